/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The MMU flavours: each fills in the model's table of operations
 * (model/arch_ops.h); the TDP MMU's pieces its flavours share.
 */
#ifndef LOSTFLUSH_ARCH_H
#define LOSTFLUSH_ARCH_H

#include <stdbool.h>

#include "../model/arch_ops.h"

/* Dirty logging and write-tracking in the TDP fault path
 * (arch/x86_tdp_wrprot.c). */
/* fast_page_fault(): fix a present SPTE without mmu_lock (an access-tracked
 * one, or W for a write where MMU-writable allows it); false if the slow
 * path must run. */
bool tdp_fast_page_fault(struct kvm_vcpu *vcpu, gfn_t gfn, bool write);
/* make_spte() for a fault on gfn, under mmu_lock: writable unless gfn is
 * write-tracked, and marked dirty when it is writable and logging is on.
 * *emulate: a write to a tracked gfn, which KVM performs itself. */
uint64_t tdp_make_fault_spte(struct kvm_vcpu *vcpu, gfn_t gfn, struct page_ref page, int level,
			     bool write, bool *emulate);
/* tdp_mmu_set_spte_atomic() of a fault's leaf over what is there. */
void tdp_install_fault_leaf(_Atomic uint64_t *slot, gfn_t gfn, uint64_t new_spte);
/* EPT A/D bits in hardware (arch/x86_ept_ad.c): a walk that fills a TLB
 * entry from `leaf` sets A; the first write through an entry that has not
 * seen D set sets D and, if D was clear, logs the gfn (PML). False: the
 * leaf no longer maps the entry's frame writable, and the write faults. */
void ept_walk_sets_accessed(struct kvm_vcpu *vcpu, gfn_t gfn, uint64_t leaf, int level);
bool ept_write_sets_dirty(struct kvm_vcpu *vcpu, gfn_t gfn, const struct tlb_entry *e);

/* The write_protect_gfn and age_gfn ops of x86_tdp_ops. */
bool tdp_write_protect_gfn(struct kvm *kvm, gfn_t gfn, bool for_tracking, bool *changed);
bool tdp_age_gfn(struct kvm *kvm, gfn_t gfn, bool clear);
/* 6.13's leaf_spte_change_needs_tlb_flush() (081976992f43): flush iff
 * MMU-writable goes from 1 to 0. */
bool leaf_spte_change_needs_tlb_flush(uint64_t old_spte, uint64_t new_spte);

extern const struct mmu_arch_ops x86_shadow_ops;
extern const struct mmu_arch_ops x86_tdp_ops;

#endif
