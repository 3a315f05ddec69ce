// SPDX-License-Identifier: GPL-2.0
/*
 * The hardware side of EPT Accessed/Dirty bits (SDM 29.3.5), with PML: a
 * walk that fills a TLB entry sets A in the leaf; the first write through
 * an entry that has not seen D set walks again and sets D, and when D goes
 * from 0 to 1 the gfn is logged (Page-Modification Logging). The model
 * logs it at once with mark_page_dirty(); upstream flushes each vCPU's PML
 * buffer on every exit (vmx_flush_pml_buffer()) and kicks every vCPU before
 * a harvest reads the bitmap, which comes to the same for a harvest.
 *
 * Both updates are locked RMWs on the SPTE (a cmpxchg loop here), as the
 * hardware's are: a plain store could undo a concurrent write-protect.
 */
#include "arch.h"

#include "../model/dirty_log.h"
#include "../engine/thread.h"

/* What identifies the frame a leaf maps. */
#define FRAME_MASK (SPTE_PFN_MASK | SPTE_GEN_MASK)

/* Set `bit` in gfn's leaf if it still maps `frame` with the access the
 * caller needs; false if it no longer does (the access faults). *was
 * returns the SPTE before. */
static bool set_leaf_bit(struct spt_table *root, gfn_t gfn, int level, uint64_t frame,
			 uint64_t need, uint64_t bit, uint64_t *was)
{
	_Atomic uint64_t *slot = spt_slot_root(root, gfn_round_for_level(gfn, level), level);

	if (!slot)
		return false;
	for (;;) {
		uint64_t old = READ_ONCE(*slot);

		*was = old;
		if ((old & need) != need || (old & FRAME_MASK) != frame ||
		    !is_last_spte(old, level))
			return false;
		if ((old & bit) || cmpxchg(slot, old, old | bit) == old)
			return true;
	}
}

void ept_walk_sets_accessed(struct kvm_vcpu *vcpu, gfn_t gfn, uint64_t leaf, int level)
{
	uint64_t was;

	/* Without A/D bits the walk sets nothing: aging access-tracks. */
	if (!vcpu->kvm->cfg.ad_bits)
		return;
	if (!(leaf & SPTE_ACCESSED))
		set_leaf_bit(vcpu->root, gfn, level, leaf & FRAME_MASK, SPTE_PRESENT, SPTE_ACCESSED,
			     &was);
}

bool ept_spte_is_old(const struct kvm *kvm, uint64_t spte)
{
	return kvm->cfg.ad_bits ? !(spte & SPTE_ACCESSED) : is_access_track_spte(spte);
}

bool ept_write_sets_dirty(struct kvm_vcpu *vcpu, gfn_t gfn, const struct tlb_entry *e)
{
	int level;
	uint64_t leaf = spt_walk_root(vcpu->root, gfn, &level), was;

	/* The hardware walks again: the leaf must still map the entry's
	 * frame writable, or the write faults instead. */
	if (!is_hw_present_pte(leaf) || !is_writable_pte(leaf) ||
	    spte_to_pfn(leaf) + (gfn - gfn_round_for_level(gfn, level)) != tlb_entry_pfn(e, gfn))
		return false;
	if (!set_leaf_bit(vcpu->root, gfn, level, leaf & FRAME_MASK, SPTE_PRESENT | SPTE_WRITABLE,
			  SPTE_DIRTY, &was))
		return false;
	if (!(was & SPTE_DIRTY)) {
		mark_page_dirty(vcpu, gfn);
		vcpu->pml_marks++;
	}
	return true;
}
