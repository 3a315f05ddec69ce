/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The memslot set under SRCU (virt/kvm/kvm_main.c): the active set is a
 * pointer readers follow inside kvm->srcu (model/srcu.h), and a change
 * builds a new set, publishes it (rcu_assign_pointer()) and waits for the
 * readers of the old one before it frees it (kvm_swap_active_memslots()).
 *
 * Deleting a slot (kvm_set_memslot(KVM_MR_DELETE)) as 6.18 does it, with
 * no mmu_invalidate_begin()/end() at all:
 *
 *   1. kvm_invalidate_memslot(): a copy of the slot marked
 *      KVM_MEMSLOT_INVALID replaces it, and the swap waits for readers, so
 *      no fault that saw the slot valid is still running;
 *   2. kvm_arch_flush_shadow_memslot(): on x86, with the default
 *      KVM_X86_QUIRK_SLOT_ZAP_ALL, everything is zapped
 *      (kvm_mmu_zap_all_fast()), else only the slot's leaves
 *      (kvm_mmu_zap_memslot()), and flushed; on arm64 the slot's stage-2
 *      range is unmapped (kvm_stage2_unmap_range()), its TLBIs with it;
 *   3. the set without the slot is swapped in, waiting for readers again.
 *
 * Moving it (KVM_MR_MOVE: a new base_gfn, the same memory) takes steps 1
 * and 2 as they are, then swaps in the set with the slot at its new base
 * (kvm_move_memslot()); the slot keeps its dirty bitmap, as
 * kvm_prepare_memory_region() hands old->dirty_bitmap to the new slot.
 * Either change, once it returns, has taken the old gfns away: no SPTE may
 * map them (spte-survived-slot-delete) and no vCPU may still reach them
 * through its TLB (stale-tlb-after-slot-change, oracle/slot_rights.h).
 *
 * A fault that finds the slot invalid retries (kvm_mmu_faultin_pfn():
 * "existing SPTEs for the old memslot will be zapped before KVM inserts a
 * new MMIO SPTE"); a fault that finds no slot is an MMIO access, emulated
 * without memory. A freed set is poisoned and held back a while, as a
 * freed page table is: a reader that reaches one reports
 * walker-used-freed-table.
 *
 * Dirty logging goes on across the changes in its bitmap forms: the VM's
 * bitmap holds each slot's at the slot's gfns, and the harvests, like the
 * changes, run under slots_lock (model/dirty_log.c).
 */
#ifndef LOSTFLUSH_MEMSLOTS_H
#define LOSTFLUSH_MEMSLOTS_H

#include <stdbool.h>
#include <stdint.h>

#include "spte.h"

struct kvm;
struct kvm_vcpu;
struct kvm_memory_slot;

#define KVM_MEMSLOT_INVALID (1U << 16)

/* One set: every slot id's slot; a slot with no pages is not there. */
struct kvm_memslots {
	_Atomic uint64_t generation;
	int nr;
	struct kvm_memory_slot *slots; /* nr of them, in the same allocation */
};

/*
 * How kvm_set_memslot() and the fault path treat a slot going away: one
 * table per variant; NULL is 6.18's.
 */
struct memslot_policy {
	/* KVM_X86_QUIRK_SLOT_ZAP_ALL off: zap only the slot's leaves, with
	 * their flush (kvm_mmu_zap_memslot()), not everything. Not a bug: a
	 * VMM's choice since 6.12. */
	bool zap_slot_only;
	/* With zap_slot_only: the zap without its flush. */
	bool zap_skips_flush;
	/* The fault path maps a slot marked KVM_MEMSLOT_INVALID instead of
	 * retrying. */
	bool fault_ignores_invalid;
	/* kvm_swap_active_memslots() publishes the new set and frees the old
	 * without waiting for the readers of the old one. */
	bool swap_skips_synchronize;
	/* It publishes the new set while MMU-notifier invalidations are in
	 * flight (before 52ac8b358b0c): one that began when a slot was not
	 * there ends with a range that does not cover it. */
	bool swap_ignores_invalidations;
	/* A move zaps the slot at its new base, not its old one. */
	bool move_zaps_new_range;
	/* A move gives the moved slot a new, empty dirty bitmap instead of
	 * the old slot's. */
	bool move_drops_dirty_bitmap;
};

/* Slot id as the VM starts with it: userspace's own record of its
 * layout, read without the set. */
struct kvm_memory_slot kvm_memslot_initial(const struct kvm *kvm, int id);
/* The set a reader inside kvm->srcu (or a VM with no memslot changes)
 * sees: rcu_dereference() of the active set. */
struct kvm_memslots *kvm_memslots(struct kvm *kvm);
int kvm_memslots_init(struct kvm *kvm);
void kvm_memslots_destroy(struct kvm *kvm);

/* The host page behind gfn in this model's layout, whichever slot holds
 * it now, or none: hosts lay guest memory out in gfn order (hva == gfn),
 * and where the last slot moves (kvm_config.memslot_moves) the spare gfns
 * above it are its memory again. For what reads the page itself rather
 * than the slot (the guest's data access, the host's own reclaim). */
uint64_t gfn_layout_hva(const struct kvm *kvm, gfn_t gfn);

/* The slot holding gfn in set, or NULL; a set already freed (its poison)
 * is reported (walker-used-freed-table) and finds none. */
struct kvm_memory_slot *memslots_lookup(struct kvm_memslots *set, gfn_t gfn);

/* The fault path's slot, inside kvm->srcu: the valid slot holding gfn, or
 * NULL with *retry set (the slot is being deleted: RET_PF_RETRY) or clear
 * (no slot: an MMIO access). A slot whose set was freed under the reader
 * is reported (walker-used-freed-table) and retried. */
struct kvm_memory_slot *kvm_faultin_memslot(struct kvm_vcpu *vcpu, gfn_t gfn, bool *retry);
/* The host page behind gfn in slot, as __gfn_to_hva_memslot() reads it. */
uint64_t slot_gfn_to_hva(struct kvm *kvm, const struct kvm_memory_slot *slot, gfn_t gfn);

/* kvm_mmu_notifier_invalidate_range_start() and _end()'s count of the
 * invalidations in flight (mn_active_invalidate_count, under
 * mn_invalidate_lock): a memslot swap waits for it to drop to zero, so an
 * invalidation sees the same slots at its start and its end. */
void kvm_mn_invalidate_enter(struct kvm *kvm);
void kvm_mn_invalidate_exit(struct kvm *kvm);

/* kvm_set_memory_region() of slot id: move it to base_gfn (the steps in
 * the header), checking on return what the delete checks for the gfns it
 * left; nothing if there is no such slot, it is there already, or the new
 * range holds another slot (-EEXIST). No lock held. */
void kvm_move_memslot(struct kvm *kvm, int id, gfn_t base_gfn);
/* kvm_set_memory_region() of slot id: delete it (steps 1-3 above) and, on
 * return, check that no SPTE of its gfns survived (spte-survived-slot-
 * delete); create it over [base_gfn, base_gfn + npages) unless it is
 * there (-EEXIST). Either does nothing to a slot already so. No lock held. */
void kvm_delete_memslot(struct kvm *kvm, int id);
/* The delete's promise, checked as it returns: no root maps a gfn of the
 * deleted slot s (spte-survived-slot-delete for each that does), and from
 * now on no TLB entry filled before may reach one (the oracle's books). */
void kvm_memslot_check_deleted(struct kvm *kvm, const struct kvm_memory_slot *s);
void kvm_create_memslot(struct kvm *kvm, int id, gfn_t base_gfn, uint64_t npages);

#endif
