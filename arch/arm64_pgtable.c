// SPDX-License-Identifier: GPL-2.0
/*
 * arm64's stage-2 page-table walker (arch/arm64/kvm/hyp/pgtable.c), 4K
 * granule, levels 0-3 with 2M and 1G blocks, on the model's page-table
 * tree; arch/arm64_mmu.c (upstream's mmu.c) calls it. Faults run under
 * a read-held mmu_lock (every stage-2 fault since 6.2), so the map walker
 * changes a PTE only by break-before-make:
 *
 *   stage2_map_walker_try_leaf()
 *     the same mapping, or one differing only in permissions: -EAGAIN
 *     break: cmpxchg(old, LOCKED); a walker that finds LOCKED: -EAGAIN
 *     TLBI by IPA and level if old was valid (by VMID if a table)
 *     D-cache clean+invalidate to PoC if the new PTE is cacheable (not
 *       with FWB: the callback returns early)
 *     I-cache invalidate to PoU if the new PTE is executable (a no-op
 *       with DIC)
 *     make: smp_store_release(new)
 *
 *   v0 (fault on A)                 v1 (guest, caches off)
 *   ----------------------------    ------------------------------------
 *   break; TLBI; make valid         <- made valid before its CMOs
 *                                   reads A through the valid PTE: PoC
 *                                   holds data older than the host wrote
 *                                     !!! stale-cache-seen
 *   clean D-cache to PoC            <- too late
 *
 * TLBIs are broadcast (model/tlbi.h): nothing here requests or kicks.
 *
 * Every step is a schedule point, and reported to a step hook (unit tests
 * record the order with it).
 */
#include "arm64_pgtable.h"

#include "../engine/sched.h"
#include "../engine/shared.h"
#include "../engine/thread.h"
#include "../model/tlbi.h"

static const struct stage2_policy upstream_stage2;

static stage2_step_fn step_hook;
static void *step_arg;

void stage2_set_step_hook(stage2_step_fn fn, void *arg)
{
	step_hook = fn;
	step_arg = arg;
}

static void step(enum stage2_step s, gfn_t gfn, int level)
{
	if (step_hook)
		step_hook(s, gfn, level, step_arg);
	sched_point();
}

const struct stage2_policy *stage2_policy_of(const struct kvm *kvm)
{
	return kvm->cfg.stage2 ? kvm->cfg.stage2 : &upstream_stage2;
}

bool stage2_pte_locked(uint64_t pte)
{
	return pte == S2_PTE_LOCKED;
}

bool stage2_pte_valid(uint64_t pte)
{
	return is_shadow_present_pte(pte);
}

static bool pte_is_table(uint64_t pte, int level)
{
	return stage2_pte_valid(pte) && !is_last_spte(pte, level);
}

bool stage2_pte_executable(uint64_t pte)
{
	return stage2_pte_valid(pte) && !(pte & S2_PTE_XN);
}

/* stage2_pte_needs_update(). */
static bool pte_needs_update(uint64_t old, uint64_t new)
{
	if (!stage2_pte_valid(old) || !stage2_pte_valid(new))
		return true;
	return (old ^ new) & ~S2_PTE_PERMS;
}

/* __kvm_tlb_flush_vmid_ipa(): __tlbi_level(ipas2e1is, ipa, level), the
 * level of the leaf the caller broke as the TTL hint (stage2_try_break_pte()
 * and stage2_unmap_put_pte() pass ctx->level): a PE may keep an entry of
 * another level, so a wrong level leaves the old translation. */
void stage2_tlbi_ipa(struct kvm *kvm, gfn_t gfn, int level)
{
	step(STAGE2_TLBI_IPA, gfn, level);
	count(CNT_TLBI_IPA, 1);
	tlbi_broadcast_hinted(kvm, gfn_round_for_level(gfn, level), pages_per_level(level),
			      tlbi_ttl_of_level(level));
}

/* __kvm_tlb_flush_vmid(): vmalls12e1is, no address, no hint. */
static void tlbi_vmid(struct kvm *kvm, gfn_t gfn, int level)
{
	step(STAGE2_TLBI_VMID, gfn, level);
	count(CNT_TLBI_VMID, 1);
	tlbi_broadcast(kvm, 0, TLBI_ALL);
}

/* mm_ops->dcache_clean_inval_poc() (clean_dcache_guest_page(): returns at
 * once with FWB, which also implies IDC). */
void stage2_dcache_clean_inval_poc(struct kvm *kvm, kvm_pfn_t pfn, gfn_t gfn, int level)
{
	uint64_t pages = pages_per_level(level);

	if (kvm->cache->features.fwb)
		return;
	trace(TR_CMO_DCACHE, gfn, pfn);
	count(CNT_DCACHE_PAGES, pages);
	cache_clean_inval_poc(kvm->cache, pfn, pages);
	step(STAGE2_CMO_DCACHE, gfn, level);
}

/* mm_ops->icache_inval_pou() (invalidate_icache_guest_page(): an isb
 * alone with DIC). */
void stage2_icache_inval_pou(struct kvm *kvm, kvm_pfn_t pfn, gfn_t gfn, int level)
{
	uint64_t pages = pages_per_level(level);

	if (kvm->cache->features.dic)
		return;
	trace(TR_CMO_ICACHE, gfn, pfn);
	count(CNT_ICACHE_PAGES, pages);
	cache_inval_icache_pou(kvm->cache, pfn, pages);
	step(STAGE2_CMO_ICACHE, gfn, level);
}

/* The CMOs the walker owes a new leaf before it is made valid. */
static void leaf_cmos(struct kvm *kvm, uint64_t new, gfn_t gfn, int level)
{
	if (stage2_policy_of(kvm)->cmo_in_abort)
		return;
	stage2_dcache_clean_inval_poc(kvm, spte_to_pfn(new), gfn, level);
	if (stage2_pte_executable(new))
		stage2_icache_inval_pou(kvm, spte_to_pfn(new), gfn, level);
}

/* A PTE as a trace event carries it: a table's address is the heap's,
 * different in every process, and would make trace hashes (and so
 * replays) unrepeatable; the event keeps that it was a table. */
static uint64_t traced(uint64_t pte, int level)
{
	return pte_is_table(pte, level) ? pte & ~SPTE_TABLE_MASK : pte;
}

/* stage2_try_break_pte(): lock the PTE, then invalidate what it held. */
static bool try_break_pte(struct kvm *kvm, _Atomic uint64_t *ptep, uint64_t old, gfn_t gfn,
			  int level)
{
	if (stage2_pte_locked(old))
		return false;
	if (cmpxchg(ptep, old, S2_PTE_LOCKED) != old)
		return false;
	trace(TR_S2_BREAK, gfn, traced(old, level));
	count(CNT_S2_BREAKS, 1);
	step(STAGE2_BREAK, gfn, level);
	if (pte_is_table(old, level)) {
		if (!stage2_policy_of(kvm)->collapse_skips_tlbi)
			tlbi_vmid(kvm, gfn, level);
	} else if (stage2_pte_valid(old)) {
		stage2_tlbi_ipa(kvm, gfn, level);
	}
	return true;
}

/* stage2_make_pte(). */
static void make_pte(_Atomic uint64_t *ptep, uint64_t new, gfn_t gfn, int level)
{
	smp_store_release(ptep, new);
	trace(TR_S2_MAKE, gfn, traced(new, level));
	step(STAGE2_MAKE, gfn, level);
}

/* With no_break: valid replaced by valid in one store, with no
 * TLBI; the new leaf's CMOs are still made before it. */
static int replace_without_break(struct kvm *kvm, _Atomic uint64_t *ptep, uint64_t old,
				 uint64_t new, gfn_t gfn, int level)
{
	if (stage2_pte_locked(old))
		return -EAGAIN;
	leaf_cmos(kvm, new, gfn, level);
	if (cmpxchg(ptep, old, new) != old)
		return -EAGAIN;
	trace(TR_S2_MAKE, gfn, new);
	step(STAGE2_MAKE, gfn, level);
	return 0;
}

/*
 * A table a block replaced, and every table below it, freed once no
 * software walker can be inside (stage2_free_unlinked_table() through
 * call_rcu()). Its leaves need no TLBI of their own: the break's VMID-wide
 * one covered them.
 */
static void free_unlinked_table(struct kvm *kvm, uint64_t table, int level)
{
	struct spt_table *t = spt_child_table(table);

	for (int i = 0; level - 1 > PG_LEVEL_4K && i < SPTE_ENT_PER_PAGE; i++) {
		uint64_t child = shared_load_explicit(&t->spte[i], memory_order_acquire);

		if (pte_is_table(child, level - 1))
			free_unlinked_table(kvm, child, level - 1);
	}
	spt_retire_table(kvm, t);
}

/* The new leaf in, by break-before-make or (no_break) in one store. */
static int replace_leaf(struct kvm *kvm, _Atomic uint64_t *ptep, uint64_t old, uint64_t new,
			gfn_t gfn, int level)
{
	if (stage2_policy_of(kvm)->no_break && stage2_pte_valid(old))
		return replace_without_break(kvm, ptep, old, new, gfn, level);
	if (!try_break_pte(kvm, ptep, old, gfn, level)) {
		count(CNT_S2_EAGAIN, 1);
		return -EAGAIN;
	}
	if (stage2_policy_of(kvm)->make_before_cmo) {
		make_pte(ptep, new, gfn, level);
		leaf_cmos(kvm, new, gfn, level);
	} else {
		leaf_cmos(kvm, new, gfn, level);
		make_pte(ptep, new, gfn, level);
	}
	return 0;
}

/* stage2_map_walker_try_leaf(); over a table (stage2_map_walk_table_pre())
 * the block collapses it, and the table is freed after a grace period. */
static int map_walker_try_leaf(struct kvm *kvm, _Atomic uint64_t *ptep, uint64_t new, gfn_t gfn,
			       int level)
{
	const struct stage2_policy *p = stage2_policy_of(kvm);
	uint64_t old = READ_ONCE(*ptep);
	int ret;

	/* The walk's first read inside the goal level's table: the table
	 * may have been freed since map_walk_to() stepped into it. */
	if (spt_walked_freed_table(old, gfn, level)) {
		count(CNT_S2_EAGAIN, 1);
		return -EAGAIN;
	}

	bool perms_only = !pte_needs_update(old, new);

	if (perms_only && !(p->rebreak_perms && old != new)) {
		count(CNT_S2_EAGAIN, 1);
		return -EAGAIN;
	}
	ret = replace_leaf(kvm, ptep, old, new, gfn, level);
	if (!ret && perms_only)
		count(CNT_S2_REBREAKS, 1);
	if (!ret && pte_is_table(old, level)) {
		count(CNT_S2_COLLAPSES, 1);
		free_unlinked_table(kvm, old, level);
	}
	return ret;
}

/*
 * An empty entry above the goal level gets a new table. A break of an
 * invalid entry owes no TLBI, so one cmpxchg stands for break and make; a
 * walker that loses the race follows the winner's table, or backs off if
 * the winner left a leaf or a lock there.
 */
static uint64_t install_table(_Atomic uint64_t *ptep, uint64_t old, int level)
{
	uint64_t table = spt_new_table_spte();
	uint64_t seen = cmpxchg(ptep, old, table);

	if (seen == old)
		return table;
	spt_free_table_now(spt_child_table(table));
	return pte_is_table(seen, level) ? seen : 0;
}

/*
 * A block above the goal level: stage2_map_walk_leaf() finds no leaf may
 * go there (-E2BIG), breaks the block (a TLBI by IPA at its level) and
 * makes an empty table; the block's other pages fault again, at 4K while
 * the memslot is logged. With no_break the table replaces the block in one
 * store, and TLBs keep the block.
 *
 * The pages no fault maps again leave stage 2 here, as an unmap's do, so
 * they are owed the unmap walker's clean (stage2_unmap_walker(): after
 * the TLBI, unless FWB): a later unmap of them finds no leaf, and cleans
 * nothing. Upstream cleans nothing here (split_skips_clean), and without
 * FWB a write with caches off through the block is lost to the host's
 * read-back.
 */
static uint64_t split_block(struct kvm *kvm, _Atomic uint64_t *ptep, uint64_t old, gfn_t gfn,
			    int level)
{
	uint64_t table;

	if (stage2_policy_of(kvm)->no_break) {
		table = spt_new_table_spte();
		if (cmpxchg(ptep, old, table) != old) {
			spt_free_table_now(spt_child_table(table));
			return 0;
		}
		trace(TR_S2_MAKE, gfn, traced(table, level));
		step(STAGE2_MAKE, gfn, level);
	} else {
		if (!try_break_pte(kvm, ptep, old, gfn, level))
			return 0;
		if (!stage2_policy_of(kvm)->split_skips_clean)
			stage2_dcache_clean_inval_poc(kvm, spte_to_pfn(old),
						      gfn_round_for_level(gfn, level), level);
		table = spt_new_table_spte();
		make_pte(ptep, table, gfn, level);
	}
	count(CNT_S2_SPLITS, 1);
	return table;
}

/*
 * The walker has followed a table entry (kvm_pte_follow() in
 * __kvm_pgtable_visit()) and will next read an entry of the child table:
 * a walker preempted here, inside its RCU read-side section, is what the
 * table's grace period waits for. Free mode may stretch the gap, as at any
 * schedule point. Under a controlled scheduler it is no switch point, so
 * every existing schedule stays the same.
 */
static void stepped_into_table(void)
{
	if (!lostflush_ctl && current_thread && current_thread->perturb)
		sched_perturb(current_thread, 1);
}

/*
 * kvm_pgtable_walk() of the map walker from the root down to the goal
 * level: the slot there, or NULL (-EAGAIN: a racing walker holds an entry
 * on the way, or won it). Each level's load is an acquire, pairing with
 * the release that made the table.
 */
static _Atomic uint64_t *map_walk_to(struct kvm *kvm, gfn_t gfn, int goal)
{
	struct spt_table *t = kvm->root;

	for (int l = SPTE_ROOT_LEVEL; l > goal; l--) {
		_Atomic uint64_t *ptep = &t->spte[spte_index(gfn, l)];
		uint64_t pte = smp_load_acquire(ptep);

		/* Poison: a table freed under this walk; installing a table
		 * or breaking a block here would write into freed memory. */
		if (stage2_pte_locked(pte) || spt_walked_freed_table(pte, gfn, l))
			return NULL;
		if (!stage2_pte_valid(pte))
			pte = install_table(ptep, pte, l);
		else if (is_last_spte(pte, l))
			pte = split_block(kvm, ptep, pte, gfn, l);
		if (!pte)
			return NULL;
		t = spt_child_table(pte);
		stepped_into_table();
	}
	return &t->spte[spte_index(gfn, goal)];
}

_Atomic uint64_t *stage2_slot_at(struct kvm *kvm, gfn_t gfn, int level)
{
	struct spt_table *t = kvm->root;

	for (int l = SPTE_ROOT_LEVEL; l > level; l--) {
		uint64_t pte = smp_load_acquire(&t->spte[spte_index(gfn, l)]);

		if (spt_walked_freed_table(pte, gfn, l) || !pte_is_table(pte, l))
			return NULL;
		t = spt_child_table(pte);
	}
	return &t->spte[spte_index(gfn, level)];
}

uint64_t stage2_leaf_pte(kvm_pfn_t pfn, uint32_t gen, int level, unsigned prot)
{
	uint64_t pte = make_leaf_spte(pfn, gen, level, prot & STAGE2_PROT_W);

	return prot & STAGE2_PROT_X ? pte : pte | S2_PTE_XN;
}

int kvm_pgtable_stage2_map(struct kvm *kvm, gfn_t gfn, int level, kvm_pfn_t pfn, uint32_t gen,
			   unsigned prot)
{
	_Atomic uint64_t *ptep = map_walk_to(kvm, gfn, level);

	if (!ptep) {
		count(CNT_S2_EAGAIN, 1);
		return -EAGAIN;
	}
	return map_walker_try_leaf(kvm, ptep, stage2_leaf_pte(pfn, gen, level, prot), gfn, level);
}

/* kvm_pgtable_stage2_relax_perms() through stage2_attr_walker(): no break;
 * adding X invalidates the I-cache before the PTE changes; then a local
 * TLBI (a12ab1378a88: other PEs that cached the stricter entry fault and
 * relax it for themselves), __kvm_tlb_flush_vmid_ipa_nsh() with the leaf's
 * level as its hint. */
int kvm_pgtable_stage2_relax_perms(struct kvm_vcpu *vcpu, gfn_t gfn, unsigned prot)
{
	struct kvm *kvm = vcpu->kvm;
	int level;
	uint64_t old = spt_walk_root(kvm->root, gfn, &level), new;
	_Atomic uint64_t *ptep;

	if (!stage2_pte_valid(old))
		return -EAGAIN;
	new = old;
	if (prot & STAGE2_PROT_W)
		new |= SPTE_WRITABLE | SPTE_MMU_WRITABLE | SPTE_HOST_WRITABLE;
	if (prot & STAGE2_PROT_X)
		new &= ~S2_PTE_XN;
	if (new == old)
		return -EAGAIN;
	/* The whole leaf, a block's every page (kvm_granule_size(level)).
	 * Before the seed, user_mem_abort() did it for the fetch's fault. */
	if (stage2_pte_executable(new) && !stage2_pte_executable(old) &&
	    !stage2_policy_of(kvm)->relax_x_skips_icache && !stage2_policy_of(kvm)->cmo_in_abort)
		stage2_icache_inval_pou(kvm, spte_to_pfn(old), gfn_round_for_level(gfn, level),
					level);
	ptep = stage2_slot_at(kvm, gfn, level);
	if (!ptep || cmpxchg(ptep, old, new) != old)
		return -EAGAIN;
	trace(TR_S2_MAKE, gfn, new);
	step(STAGE2_RELAX, gfn, level);
	count(CNT_TLB_DROPPED,
	      tlb_flush_range(&vcpu->tlb, gfn_round_for_level(gfn, level), pages_per_level(level)));
	return 0;
}

bool stage2_spte_is_old(const struct kvm *kvm, uint64_t spte)
{
	(void)kvm;
	return spte & S2_PTE_OLD;
}

void stage2_walk_found(struct kvm_vcpu *vcpu, gfn_t gfn, uint64_t leaf, int level)
{
	if (leaf & S2_PTE_OLD)
		stage2_walk_sets_af(vcpu->kvm, gfn, leaf, level);
}

void stage2_walk_sets_af(struct kvm *kvm, gfn_t gfn, uint64_t leaf, int level)
{
	_Atomic uint64_t *ptep = stage2_slot_at(kvm, gfn, level);

	/* A racing change wins: the walk that follows it sees its value. */
	if (ptep)
		cmpxchg(ptep, leaf, leaf & ~S2_PTE_OLD);
}
