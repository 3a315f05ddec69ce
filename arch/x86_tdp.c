// SPDX-License-Identifier: GPL-2.0
/*
 * The x86 TDP MMU (arch/x86/kvm/mmu/tdp_mmu.c), reduced to what the
 * notifier-path scenarios need: several roots (the L1 TDP root, and nested
 * TDP shadow roots beside it), faults that install 4K or huge leaves with a
 * cmpxchg under a read-held mmu_lock, and zapping a gfn range across every
 * root, leaf by leaf, yielding mmu_lock inside a long walk.
 *
 * Each vCPU walks one root (vcpu->root); the notifier must zap every root,
 * since any of them may map the range, and flush if any root zapped.
 *
 * How a zap walk and a table-replacing fault settle the flushes they owe is
 * the VM's walk policy (model/walk_policy.h); upstream's is tdp_upstream.
 */
#include "arch.h"

#include "../model/flush.h"
#include "../model/memslots.h"
#include "../model/walk_policy.h"
#include "../engine/sched.h"
#include "../engine/thread.h"

/* ---- Faults -------------------------------------------------------------- */

/* Upstream's: carry the pending flush across roots, flush fully before a
 * yield, leave the final flush to the caller (the notifier flushes as its
 * policy says), and free a replaced table after its flush. */
static const struct walk_policy tdp_upstream = { TDP_WALK_POLICY };

static const struct walk_policy *walk_of(const struct kvm *kvm)
{
	return kvm->cfg.walk ? kvm->cfg.walk : &tdp_upstream;
}

/*
 * handle_removed_pt(): the table t, whose SPTEs are at `level` and map
 * from gfn base, is out of the tree. Freeze each SPTE with an xchg (the
 * shared, read-held-mmu_lock form), so that a fault still holding a slot
 * inside t cannot install a leaf there, and handle what it held: a child
 * table is removed in turn (and retired after the flush with t), a leaf
 * is zapped. Every removed table is added to removed[].
 */
static void handle_removed_pt(struct spt_table *t, gfn_t base, int level,
			      struct spt_table **removed, int *nr_removed)
{
	removed[(*nr_removed)++] = t;
	for (int i = 0; i < SPTE_ENT_PER_PAGE; i++) {
		gfn_t gfn = base + (gfn_t)i * pages_per_level(level);
		uint64_t old = xchg(&t->spte[i], SPTE_FROZEN);

		if (!is_shadow_present_pte(old))
			continue;
		if (!is_last_spte(old, level)) {
			handle_removed_pt(spt_child_table(old), gfn, level - 1, removed,
					  nr_removed);
			continue;
		}
		trace(TR_SPTE_ZAP, gfn, old);
		count(CNT_ZAPS, 1);
	}
}

/* Tables one replacement can remove: a 1G leaf over a full 2M level. */
#define TDP_MAX_REMOVED (1 + SPTE_ENT_PER_PAGE)

/*
 * tdp_mmu_map_handle_target_level() over a non-leaf SPTE: the huge leaf
 * replaces the table with one cmpxchg (tdp_mmu_set_spte_atomic(); another
 * fault under the same read-held mmu_lock may race), handle_removed_pt()
 * empties the table, and kvm_flush_remote_tlbs_gfn() drops whatever a TLB
 * holds of the huge range before the table may be freed.
 *
 *   v0 replaces T under read-held mmu_lock       v1 in guest mode, root 0
 *   -------------------------------------------  -------------------------
 *                                                walk: root -> ... -> T
 *   cmpxchg(slot, T, huge leaf); freeze T
 *   flush: kick v1, wait for it to exit  ------> exits: the walk is over
 *   call_rcu(T): freed after a grace period
 *
 * The flush comes first because the hardware walk is no RCU reader: only
 * the flush's wait for guest exits says it has left T. Upstream calls
 * call_rcu() inside handle_removed_pt(), before the flush, which is as
 * safe only because kvm_tdp_mmu_map()'s own rcu_read_lock() covers the
 * flush: no grace period ends before it. Freeing before the flush (a
 * walk policy's choice) frees T under v1's walk.
 */
static void tdp_replace_table(struct kvm_vcpu *vcpu, _Atomic uint64_t *slot, uint64_t old,
			      gfn_t base, uint64_t spte, int level, const struct walk_policy *walk)
{
	struct kvm *kvm = vcpu->kvm;
	struct spt_table *removed[TDP_MAX_REMOVED];
	int nr_removed = 0;

	if (cmpxchg(slot, old, spte) != old)
		return; /* a racing fault or zap won; the access retries */
	trace(TR_SPTE_SET, base, spte);
	count(CNT_HUGE_MAPS, 1);
	handle_removed_pt(spt_child_table(old), base, level - 1, removed, &nr_removed);
	if (walk->free_before_flush) {
		for (int i = 0; i < nr_removed; i++)
			spt_free_table_now(removed[i]);
		kvm_flush_remote_tlbs_gfn(kvm, base, level);
		return;
	}
	kvm_flush_remote_tlbs_gfn(kvm, base, level);
	for (int i = 0; i < nr_removed; i++)
		spt_retire_table(kvm, removed[i]);
}

/*
 * kvm_tdp_mmu_map() at a huge goal level: one leaf over the aligned block,
 * pfn rounded down as fault->pfn is, over contiguous host frames. Over an
 * empty SPTE it is a cmpxchg; over a page table (the block was mapped at
 * 4K after a THP split, and the host backs it with a THP again) the leaf
 * replaces the table (tdp_replace_table()). False if the walk found no
 * way to map huge (a frozen SPTE in a table being removed): map 4K.
 */
static bool tdp_map_huge(struct kvm_vcpu *vcpu, gfn_t gfn, struct page_ref page, int level,
			 const struct walk_policy *walk)
{
	gfn_t base = gfn_round_for_level(gfn, level);
	_Atomic uint64_t *slot = spt_slot_root(vcpu->root, gfn, level);
	uint64_t spte = make_leaf_spte(page.pfn - (gfn - base), page.gen, level, true);
	uint64_t old;

	if (!slot)
		return true; /* a larger leaf maps it already */
	old = cmpxchg(slot, 0, spte);
	if (old == 0) {
		trace(TR_SPTE_SET, base, spte);
		count(CNT_HUGE_MAPS, 1);
		return true;
	}
	if (old == SPTE_FROZEN || !is_shadow_present_pte(old))
		return false;
	if (is_last_spte(old, level))
		return true;
	tdp_replace_table(vcpu, slot, old, base, spte, level, walk);
	return true;
}

/*
 * kvm_tdp_mmu_map() through tdp_mmu_map_handle_target_level(): the leaf is
 * installed by tdp_mmu_set_spte_atomic(), a cmpxchg, since other vCPUs fault
 * under the same read-held lock. A racing fault that installed first wins;
 * this one returns and the access retries into the TLB fill. The walk runs
 * inside rcu_read_lock(), as kvm_tdp_mmu_map()'s does: a racing fault may
 * take a table this walk is in out of the tree.
 */
static void tdp_map(struct kvm_vcpu *vcpu, gfn_t gfn, struct page_ref page, bool write,
		    const struct walk_policy *walk)
{
	struct kvm *kvm = vcpu->kvm;
	_Atomic uint64_t *slot;

	if (kvm->cfg.max_huge_level > PG_LEVEL_4K) {
		int level = fault_mapping_level(kvm, gfn, page.pfn);

		if (level > PG_LEVEL_4K && tdp_map_huge(vcpu, gfn, page, level, walk))
			return;
	}
	slot = spt_slot_root(vcpu->root, gfn, PG_LEVEL_4K);
	if (slot)
		tdp_map_target_leaf(vcpu, slot, gfn, page, write, walk);
}

/* fast_page_fault() between walk_shadow_page_lockless_begin() and _end(),
 * which for the TDP MMU are rcu_read_lock() and rcu_read_unlock(): it walks
 * without mmu_lock. */
static bool tdp_fast_page_fault_rcu(struct kvm_vcpu *vcpu, gfn_t gfn, bool write)
{
	bool fixed;

	spt_rcu_read_lock();
	fixed = tdp_fast_page_fault(vcpu, gfn, write);
	spt_rcu_read_unlock();
	return fixed;
}

static bool tdp_page_fault(struct kvm_vcpu *vcpu, gfn_t gfn, bool write)
{
	const struct walk_policy *walk = walk_of(vcpu->kvm);
	struct kvm *kvm = vcpu->kvm;
	unsigned long mmu_seq = kvm_mmu_invalidate_seq_read(kvm);
	struct kvm_memory_slot *slot;
	struct page_ref page;
	bool retry;

	trace(TR_FAULT, gfn, mmu_seq);
	count(CNT_FAULTS, 1);
	/* The vCPU holds kvm->srcu: the slot stays readable to the end. */
	slot = kvm_faultin_memslot(vcpu, gfn, &retry);
	if (!slot) {
		vcpu->mmio_emulated = !retry;
		if (retry)
			count(CNT_FAULT_RETRIES, 1);
		return !retry;
	}
	/* fast_page_fault() first, where anything takes write access away
	 * (dirty logging, write-tracking, aging): most such faults end there. */
	if (kvm->rights && tdp_fast_page_fault_rcu(vcpu, gfn, write))
		return true;
	page = hostmem_get_page(&kvm->mem, slot_gfn_to_hva(kvm, slot, gfn));
	sched_point();
	mmu_lock(kvm, MMU_LOCK_READ);
	if (mmu_invalidate_retry_gfn(kvm, mmu_seq, gfn)) {
		mmu_unlock(kvm, MMU_LOCK_READ);
		trace(TR_FAULT_RETRY, gfn, mmu_seq);
		count(CNT_FAULT_RETRIES, 1);
		return false;
	}
	spt_rcu_read_lock();
	tdp_map(vcpu, gfn, page, write, walk);
	spt_rcu_read_unlock();
	mmu_unlock(kvm, MMU_LOCK_READ);
	return true;
}

/* A guest invlpg does not exit under TDP: the CPU flushes its own TLB. */
static void tdp_invlpg(struct kvm_vcpu *vcpu, gfn_t gfn)
{
	trace(TR_TLB_FLUSH_ONE, gfn, tlb_flush_range(&vcpu->tlb, gfn, 1));
	count(CNT_LOCAL_FLUSHES, 1);
}

/* ---- Zapping leaves ------------------------------------------------------ */

/* SPTEs a walk visits between chances to yield (need_resched() or a
 * contended mmu_lock in tdp_mmu_iter_cond_resched(), made deterministic so
 * controlled executions replay). */
#define TDP_YIELD_EVERY 16

/* One kvm_tdp_mmu_zap_leafs() call: the pending flush and its extent. */
struct tdp_zap {
	const struct walk_policy *walk;
	bool can_yield;
	bool pending;
	gfn_t flush_start, flush_end;
	int visits;
};

/* A leaf at gfn/level was zapped while zapping [start, end). */
static void tdp_zap_note(struct tdp_zap *z, gfn_t gfn, int level, gfn_t start, gfn_t end)
{
	gfn_t lo = gfn_round_for_level(gfn, level), hi = lo + pages_per_level(level);

	if (z->walk->zap_flush_extent) {
		z->walk->zap_flush_extent(gfn, level, start, end, &lo, &hi);
	} else if (!z->walk->flush_leaf_extent) {
		lo = lo > start ? lo : start;
		hi = hi < end ? hi : end;
	}
	if (!z->pending) {
		z->flush_start = lo;
		z->flush_end = hi;
	} else {
		z->flush_start = lo < z->flush_start ? lo : z->flush_start;
		z->flush_end = hi > z->flush_end ? hi : z->flush_end;
	}
	z->pending = true;
}

static void tdp_zap_flush(struct kvm *kvm, struct tdp_zap *z)
{
	if (z->walk->range_flush)
		kvm_flush_remote_tlbs_range(kvm, z->flush_start, z->flush_end - z->flush_start);
	else
		kvm_flush_remote_tlbs(kvm);
	z->pending = false;
}

/*
 * tdp_mmu_iter_cond_resched(): every TDP_YIELD_EVERY SPTEs, flush what is
 * pending and let others have mmu_lock (cond_resched_rwlock_write(); the
 * callers that may yield hold it for write). The flush must come first:
 * once mmu_lock is dropped, another invalidation can find the zapped SPTE
 * gone, flush nothing, and let the host free the frame while a TLB still
 * maps it; and once the walk leaves its RCU read-side section, a grace
 * period may end and a table freed by a fault's replacement go while a
 * vCPU's hardware walk is still in it (fcb93eb6d09d). Either way the pending flush is forgotten, as
 * upstream's caller clears flush when this returns true.
 */
static void tdp_mmu_iter_cond_resched(struct kvm *kvm, struct tdp_zap *z)
{
	if (++z->visits < TDP_YIELD_EVERY)
		return;
	z->visits = 0;
	if (z->pending && z->walk->flush_before_yield)
		tdp_zap_flush(kvm, z);
	z->pending = false;
	count(CNT_MMU_YIELDS, 1);
	spt_rcu_read_unlock();
	mmu_unlock(kvm, MMU_LOCK_WRITE);
	mmu_lock(kvm, MMU_LOCK_WRITE);
	spt_rcu_read_lock();
}

/*
 * tdp_mmu_zap_leafs() for one root (f47e5bbbc92f): walk [start, end) leaf
 * by leaf and zap every present leaf; a huge leaf that only partly
 * overlaps the range is zapped whole. With huge leaves on, the walk steps
 * over whatever a zapped leaf or a non-present SPTE spans, as
 * for_each_tdp_pte_min_level() does; a 4K-only VM steps one gfn at a time,
 * which keeps its executions as they always were. The walk is one RCU
 * read-side section (rcu_read_lock() in tdp_mmu_zap_leafs()), left only
 * around a yield.
 */
static void tdp_mmu_zap_leafs(struct kvm *kvm, struct spt_table *root, gfn_t start, gfn_t end,
			      struct tdp_zap *z)
{
	bool huge = kvm->cfg.max_huge_level > PG_LEVEL_4K;

	spt_rcu_read_lock();
	for (gfn_t gfn = start; gfn < end;) {
		int level = PG_LEVEL_4K;

		if (z->can_yield)
			tdp_mmu_iter_cond_resched(kvm, z);
		if (spt_zap_gfn_root(root, gfn, &level))
			tdp_zap_note(z, gfn, level, start, end);
		gfn = huge ? gfn_round_for_level(gfn, level) + pages_per_level(level) : gfn + 1;
		sched_point();
	}
	spt_rcu_read_unlock();
}

/* kvm_tdp_mmu_zap_leafs(): every root, the pending flush carried from one
 * to the next (or not, as the flavour says). */
static bool kvm_tdp_mmu_zap_leafs(struct kvm *kvm, gfn_t start, gfn_t end, bool can_yield,
				  const struct walk_policy *walk)
{
	struct tdp_zap z = { .walk = walk, .can_yield = can_yield };

	for (int i = 0; i < kvm->nr_roots; i++) {
		if (!walk->carry_flush)
			z.pending = false;
		tdp_mmu_zap_leafs(kvm, kvm->roots[i], start, end, &z);
	}
	if (!walk->range_flush)
		return z.pending;
	if (z.pending)
		tdp_zap_flush(kvm, &z);
	return false;
}

/* kvm_tdp_mmu_unmap_gfn_range(): the notifier's range is blockable
 * (range->may_block: munmap and madvise may sleep), so the walk may yield. */
static bool tdp_unmap_gfn_range(struct kvm *kvm, gfn_t start, gfn_t end)
{
	return kvm_tdp_mmu_zap_leafs(kvm, start, end, true, walk_of(kvm));
}

/* One gfn, with mmu_lock held in whatever mode the caller took: no yield. */
static bool tdp_zap_gfn(struct kvm *kvm, gfn_t gfn)
{
	static const struct walk_policy returns_pending = { .carry_flush = true };

	return kvm_tdp_mmu_zap_leafs(kvm, gfn, gfn + 1, false, &returns_pending);
}

/* x86-tdp: one table; how its walks settle their flushes is the VM's walk
 * policy. */
const struct mmu_arch_ops x86_tdp_ops = {
	.name = "x86-tdp",
	.memslot_changes = true,
	.page_fault = tdp_page_fault,
	.invlpg = tdp_invlpg,
	.unmap_gfn_range = tdp_unmap_gfn_range,
	.zap_gfn = tdp_zap_gfn,
	.write_protect_gfn = tdp_write_protect_gfn,
	.age_gfn = tdp_age_gfn,
	.walk_sets_accessed = ept_walk_sets_accessed,
	.spte_is_old = ept_spte_is_old,
	.write_sets_dirty = ept_write_sets_dirty,
};
