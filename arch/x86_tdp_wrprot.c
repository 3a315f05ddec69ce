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
#include "../model/dirty_log.h"
#include "../model/flush.h"
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
 * make_spte(): writable unless gfn is write-tracked (mmu_try_to_unsync_pages()
 * says -EPERM); a writable SPTE in a logged memslot is marked dirty before
 * it is installed, so no write through it can precede its mark.
 */
uint64_t tdp_make_fault_spte(struct kvm_vcpu *vcpu, gfn_t gfn, struct page_ref page, int level,
			     bool write, bool *emulate)
{
	struct kvm *kvm = vcpu->kvm;
	bool tracked = kvm->track && kvm_gfn_is_write_tracked(kvm, gfn);
	uint64_t spte = make_leaf_spte(page.pfn, page.gen, level, !tracked);

	/* With A/D bits a fault's leaf is accessed, and dirty if writable
	 * (make_spte(): shadow_accessed_mask, spte_shadow_dirty_mask()). */
	if (kvm->cfg.ad_bits)
		spte |= SPTE_ACCESSED | (is_writable_pte(spte) ? SPTE_DIRTY : 0);
	*emulate = tracked && write;
	if (is_writable_pte(spte))
		mark_page_dirty(vcpu, gfn);
	return spte;
}

/*
 * tdp_mmu_map_handle_target_level(): install over an empty SPTE, or replace
 * a present one that grants less (a write-protected leaf being made
 * writable again needs no flush: no TLB can hold more than the old SPTE
 * gave). A racing change wins; the access retries.
 */
void tdp_install_fault_leaf(_Atomic uint64_t *slot, gfn_t gfn, uint64_t new_spte)
{
	const uint64_t frame = SPTE_PFN_MASK | SPTE_GEN_MASK;
	/* Over a non-present SPTE: no flush is needed, nothing could have
	 * cached an absent translation. */
	uint64_t old = cmpxchg(slot, 0, new_spte);

	if (!old) {
		trace(TR_SPTE_SET, gfn, new_spte);
		return;
	}
	/* Only the same frame, granting more: any other leaf is the
	 * notifier's to zap, and a stale one must stay for the oracle. */
	if (old == new_spte || (old & frame) != (new_spte & frame))
		return;
	if (cmpxchg(slot, old, new_spte) == old)
		trace(TR_SPTE_SET, gfn, new_spte);
}

/*
 * write_protect_gfn() (tracking: W and MMU-writable) and
 * clear_dirty_pt_masked() without A/D bits (logging: W only), in each root.
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
 * kvm_tdp_mmu_age_gfn_range(): with A/D bits aging clears A; without them
 * it makes the SPTE access-tracked, so the next access faults. 6.13 made
 * clear_flush_young() skip the flush on x86: TLB entries live on, and
 * accesses through them leave no trace (stale Accessed, allowed).
 */
bool tdp_age_gfn(struct kvm *kvm, gfn_t gfn, bool clear)
{
	bool young = false;

	for (int i = 0; i < kvm->nr_roots; i++) {
		_Atomic uint64_t *slot = leaf_slot(kvm->roots[i], gfn);
		uint64_t old;

		if (!slot)
			continue;
		old = READ_ONCE(*slot);
		if (!is_shadow_present_pte(old) || !is_young(kvm, old))
			continue;
		young = true;
		if (clear && cmpxchg(slot, old, make_old(kvm, old)) == old)
			trace(TR_SPTE_SET, gfn, make_old(kvm, old));
		sched_point();
	}
	count(CNT_AGINGS, 1);
	return young;
}

bool leaf_spte_change_needs_tlb_flush(uint64_t old_spte, uint64_t new_spte)
{
	return is_mmu_writable_spte(old_spte) && !is_mmu_writable_spte(new_spte);
}
