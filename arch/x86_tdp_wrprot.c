// SPDX-License-Identifier: GPL-2.0
/*
 * Write-protection in the TDP MMU, for dirty logging and for write-tracking,
 * and the two paths that give write access back: the lockless fast page
 * fault and the slow fault's make_spte(). Also aging by access tracking.
 *
 * Every SPTE change here is a cmpxchg: the fast path changes SPTEs without
 * mmu_lock, so a write-protect done with a plain store could undo a fast
 * fix it raced with, or the fast fix could undo the write-protect
 * (upstream: kvm_tdp_mmu_write_spte() uses xchg for SPTEs with volatile
 * bits, and the fast path uses try_cmpxchg64()).
 */
#include "arch.h"

#include "../engine/check.h"
#include "../engine/shared.h"
#include "../model/dirty_log.h"
#include "../model/flush.h"
#include "../model/walk_policy.h"
#include "../engine/sched.h"
#include "../engine/thread.h"
#include "../oracle/write_rights.h"
#include "../model/write_track.h"

/* The 4K leaf slot for gfn in root, or NULL if a huge leaf maps it:
 * dirty logging and write-tracking map the gfns they protect at 4K (upstream
 * kvm_mmu_gfn_disallow_lpage(), and huge pages split when logging starts). */
static _Atomic uint64_t *leaf_slot(struct spt_table *root, gfn_t gfn)
{
	return spt_slot_root(root, gfn, PG_LEVEL_4K);
}

/*
 * fast_page_fault() / fast_pf_fix_direct_spte(): restore an access-tracked
 * SPTE, or set W on an MMU-writable one for a write, with one cmpxchg; mark
 * the gfn dirty after the cmpxchg succeeded, as upstream does. No mmu_lock:
 * a schedule point splits each step (the SPTE read, the cmpxchg, the mark),
 * so a harvest, a write-protect or a zap can come between any two.
 */
bool tdp_fast_page_fault(struct kvm_vcpu *vcpu, gfn_t gfn, bool write)
{
	_Atomic uint64_t *slot = leaf_slot(vcpu->root, gfn);

	if (!slot)
		return false;
	for (;;) {
		uint64_t old = READ_ONCE(*slot), new_spte = old;

		if (!is_shadow_present_pte(old))
			return false;
		if (is_access_track_spte(new_spte))
			new_spte = restore_acc_track_spte(new_spte);
		if (write && !is_writable_pte(new_spte)) {
			count(CNT_WP_FAULTS, 1);
			/* Not MMU-writable: tracked, or never writable: the
			 * slow path decides. */
			if (!is_mmu_writable_spte(new_spte))
				return false;
			new_spte |= SPTE_WRITABLE;
		}
		/* Spurious: another vCPU fixed it first. */
		if (new_spte == old)
			return true;
		sched_point(); /* read, not yet swapped: the cmpxchg may fail */
		if (cmpxchg(slot, old, new_spte) != old)
			continue;
		trace(TR_SPTE_SET, gfn, new_spte);
		count(CNT_FAST_FAULTS, 1);
		sched_point(); /* writable, not yet marked */
		if (is_writable_pte(new_spte) && !is_writable_pte(old))
			mark_page_dirty(vcpu, gfn);
		return true;
	}
}

/*
 * make_spte(): writable if the pfn came back writable and gfn is not
 * write-tracked (mmu_try_to_unsync_pages() says -EPERM); a read fault's pfn
 * may come back read-only (vcpu->fault_pfn_read_only), and then the SPTE has
 * neither W nor MMU-writable, as host-writable is clear. A writable SPTE in
 * a logged memslot is marked dirty before it is installed, so no write
 * through it can precede its mark.
 */
uint64_t x86_make_fault_spte(struct kvm_vcpu *vcpu, gfn_t gfn, struct page_ref page, int level,
			     bool write, bool *emulate)
{
	struct kvm *kvm = vcpu->kvm;
	bool tracked = kvm->track && kvm_gfn_is_write_tracked(kvm, gfn);
	bool map_writable = write || !vcpu->fault_pfn_read_only;
	uint64_t spte = make_leaf_spte(page.pfn, page.gen, level, map_writable && !tracked);

	/* With A/D bits a fault's leaf is accessed, and dirty if writable
	 * (make_spte(): shadow_accessed_mask, spte_shadow_dirty_mask()). */
	if (kvm->cfg.ad_bits)
		spte |= SPTE_ACCESSED | (is_writable_pte(spte) ? SPTE_DIRTY : 0);
	*emulate = tracked && write;
	if (is_writable_pte(spte))
		mark_page_dirty(vcpu, gfn);
	return spte;
}

/* is_access_allowed() (spte.h since 386d69f9f29b): a write needs W, a read
 * needs the hardware's present bit (an access-tracked SPTE has none). */
static bool is_access_allowed(uint64_t spte, bool write)
{
	return write ? is_writable_pte(spte) : is_hw_present_pte(spte);
}

/*
 * tdp_mmu_map_handle_target_level() for a 4K leaf, as 6.18 has it: the walk
 * read `old`; a present leaf that already allows the access makes the fault
 * spurious (386d69f9f29b), with no write and no flush; otherwise make_spte()
 * and a cmpxchg against what the walk read (a racing change wins and the
 * access retries); and a change that takes MMU-writable away flushes the
 * gfn (1a175082b190: kvm_flush_remote_tlbs_gfn() after a WARN), since a TLB
 * may hold the old SPTE writable.
 *
 *   vA: read fault                      vB: write fault
 *   ---------------------------------   ---------------------------------
 *   pfn lookup: read-only
 *                                       install a writable leaf; write G
 *                                       through its TLB entry
 *   walk reads vB's leaf: read allowed
 *   -> spurious (before 386d69f9f29b: install the read-only leaf over it,
 *      and before 1a175082b190 without a flush: vB's writable entry lives
 *      on under an SPTE that is not MMU-writable, so a write-protect sees
 *      nothing to flush)
 *
 * One departure: a present leaf of another frame is left as it is (upstream
 * WARNs, since a pfn cannot change under a leaf without an invalidation):
 * here it is a stale leaf a buggy notifier left behind, which must stay
 * for the oracle to find.
 */
void tdp_map_target_leaf(struct kvm_vcpu *vcpu, _Atomic uint64_t *slot, gfn_t gfn,
			 struct page_ref page, bool write, const struct walk_policy *walk)
{
	const uint64_t frame = SPTE_PFN_MASK | SPTE_GEN_MASK;
	uint64_t old = READ_ONCE(*slot), new_spte;
	bool emulate;

	if (old == SPTE_FROZEN)
		return; /* a racing zap holds it: RET_PF_RETRY */
	if (is_shadow_present_pte(old)) {
		if (!walk->fault_overwrites_allowed_leaf && is_access_allowed(old, write)) {
			count(CNT_SPURIOUS_FAULTS, 1);
			return;
		}
		if ((old & frame) !=
		    (make_leaf_spte(page.pfn, page.gen, PG_LEVEL_4K, false) & frame))
			return;
	}
	new_spte = x86_make_fault_spte(vcpu, gfn, page, PG_LEVEL_4K, write, &emulate);
	vcpu->write_emulated = emulate;
	if (new_spte == old) {
		count(CNT_SPURIOUS_FAULTS, 1);
		return;
	}
	if (cmpxchg(slot, old, new_spte) != old)
		return;
	trace(TR_SPTE_SET, gfn, new_spte);
	if (!is_shadow_present_pte(old) || !leaf_spte_change_needs_tlb_flush(old, new_spte))
		return;
	count(CNT_FAULT_DOWNGRADES, 1);
	if (!walk->fault_leaf_change_skips_flush)
		kvm_flush_remote_tlbs_gfn(vcpu->kvm, gfn, PG_LEVEL_4K);
}

/*
 * write_protect_gfn() (tracking: W and MMU-writable) and
 * clear_dirty_pt_masked() without A/D bits (logging: W only), in each root;
 * for the shadow MMU, rmap_write_protect() -> spte_write_protect() (with
 * pt_protect for tracking), whose mmu_spte_update() gives the same
 * verdict by the same rule.
 * An access-tracked SPTE has no W to clear: for logging it is unchanged,
 * the case b64d740ea7dd is about.
 */
bool tdp_write_protect_gfn(struct kvm *kvm, gfn_t gfn, bool for_tracking, bool *changed)
{
	const struct write_track_policy *track = kvm->cfg.track_policy;
	bool (*needs_flush)(uint64_t, uint64_t) = track && track->leaf_change_needs_flush
							  ? track->leaf_change_needs_flush
							  : leaf_spte_change_needs_tlb_flush;
	/* Logging with A/D bits is PML's: clear D, and the hardware logs the
	 * next write (kvm_mmu_clear_dirty_pt_masked()); without them, W. */
	uint64_t clear = for_tracking	    ? SPTE_WRITABLE | SPTE_MMU_WRITABLE
			 : kvm->cfg.ad_bits ? SPTE_DIRTY
					    : SPTE_WRITABLE;
	bool flush = false;

	*changed = false;
	for (int i = 0; i < kvm->nr_roots; i++) {
		_Atomic uint64_t *slot = leaf_slot(kvm->roots[i], gfn);
		uint64_t old, new_spte;

		if (!slot)
			HARNESS_ASSERT(false, "gfn %#llx is mapped huge under write-protection",
				       (unsigned long long)gfn);
		do {
			old = READ_ONCE(*slot);
			new_spte = old & ~clear;
			if (!is_shadow_present_pte(old) || new_spte == old)
				break;
		} while (cmpxchg(slot, old, new_spte) != old);
		if (!is_shadow_present_pte(old) || new_spte == old)
			continue;
		trace(TR_SPTE_SET, gfn, new_spte);
		*changed = true;
		if (needs_flush(old, new_spte))
			flush = true;
	}
	return flush;
}

/* Young: A set (A/D bits), or not access-tracked (without). */
static bool is_young(const struct kvm *kvm, uint64_t spte)
{
	return kvm->cfg.ad_bits ? (spte & SPTE_ACCESSED) : !is_access_track_spte(spte);
}

/* Aged: A cleared (A/D bits), or access-tracked (without). */
static uint64_t make_old(const struct kvm *kvm, uint64_t spte)
{
	return kvm->cfg.ad_bits ? spte & ~SPTE_ACCESSED : mark_spte_for_access_track(spte);
}

/*
 * kvm_tdp_mmu_age_spte() (6.15's lockless aging, b146a9b34aed): with A/D
 * bits an atomic AND clears A and nothing else
 * (tdp_mmu_clear_spte_bits_atomic(), e29b74920e6f), so a racing fault's
 * cmpxchg fails and retries rather than losing its change; without them
 * the access-tracked SPTE goes in by a cmpxchg against what the walk
 * read, and a lost race leaves the SPTE young. No flush either way.
 *
 * The walk's plain store of what it read (the locked form's write,
 * kvm_tdp_mmu_write_spte() under write mmu_lock, kept once aging left the
 * lock) undoes whatever a zap or a write-protect did in between:
 *
 *   A ager, no mmu_lock            I invalidator              v0
 *   ---------------------------    -------------------------  ----------------
 *   read G's SPTE: present, young
 *                                  zap G, flush, free frame
 *   store it back, aged: present
 *                                                             walk G: fill the
 *                                                             TLB, use the frame
 *                                                               !!! use-after-free
 */
static void tdp_age_spte(struct kvm *kvm, _Atomic uint64_t *slot, gfn_t gfn, uint64_t old)
{
	const struct walk_policy *walk = kvm->cfg.walk;

	if (walk && walk->age_stores_what_it_read) {
		sched_point(); /* read, not yet written back */
		shared_store(slot, make_old(kvm, old));
		trace(TR_SPTE_SET, gfn, make_old(kvm, old));
	} else if (kvm->cfg.ad_bits) {
		uint64_t was = shared_fetch_and(slot, ~SPTE_ACCESSED);

		trace(TR_SPTE_SET, gfn, was & ~SPTE_ACCESSED);
	} else if (cmpxchg(slot, old, make_old(kvm, old)) == old) {
		trace(TR_SPTE_SET, gfn, make_old(kvm, old));
	}
}

/*
 * kvm_tdp_mmu_age_gfn_range() / kvm_tdp_mmu_test_age_gfn(): the MMU
 * notifier's aging callbacks without mmu_lock since 6.15
 * (KVM_MMU_LOCKLESS_AGING), the walk inside rcu_read_lock() (guard(rcu)()
 * in __kvm_tdp_mmu_age_gfn_range()) so that no table it is in is freed
 * under it. With A/D bits aging clears A; without them it makes the SPTE
 * access-tracked, so the next access faults. clear_flush_young() does not
 * flush on x86 (KVM_ELIDE_TLB_FLUSH_IF_YOUNG): TLB entries live on, and
 * accesses through them leave no trace (stale Accessed, allowed).
 */
bool tdp_age_gfn(struct kvm *kvm, gfn_t gfn, bool clear)
{
	bool young = false;

	spt_rcu_read_lock();
	for (int i = 0; i < kvm->nr_roots; i++) {
		_Atomic uint64_t *slot = leaf_slot(kvm->roots[i], gfn);
		uint64_t old;

		if (!slot)
			continue;
		old = READ_ONCE(*slot);
		if (!is_shadow_present_pte(old) || !is_young(kvm, old))
			continue;
		young = true;
		if (clear)
			tdp_age_spte(kvm, slot, gfn, old);
		sched_point();
	}
	spt_rcu_read_unlock();
	count(CNT_AGINGS, 1);
	return young;
}

bool leaf_spte_change_needs_tlb_flush(uint64_t old_spte, uint64_t new_spte)
{
	return is_mmu_writable_spte(old_spte) && !is_mmu_writable_spte(new_spte);
}
