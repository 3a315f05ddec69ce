/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What arm64's stage-2 page-table walker (arch/arm64_pgtable.c, upstream's
 * hyp/pgtable.c) lends the code that calls it (arch/arm64_mmu.c, upstream's
 * mmu.c): the policy a run departs from upstream by, the PTE tests, and the
 * TLBIs and cache maintenance, each a step the step hook sees.
 */
#ifndef LOSTFLUSH_ARM64_PGTABLE_H
#define LOSTFLUSH_ARM64_PGTABLE_H

#include "arch.h"

#include "../model/stage2_policy.h"

/* The run's departures (kvm_config.stage2), or upstream's order. */
const struct stage2_policy *stage2_policy_of(const struct kvm *kvm);
bool stage2_pte_valid(uint64_t pte);
bool stage2_pte_executable(uint64_t pte);
/* The slot of the entry at `level` for gfn, through tables only; NULL if
 * the tree no longer has a table above it there. */
_Atomic uint64_t *stage2_slot_at(struct kvm *kvm, gfn_t gfn, int level);
/* __kvm_tlb_flush_vmid_ipa(): broadcast, then DSB. */
void stage2_tlbi_ipa(struct kvm *kvm, gfn_t gfn, int level);
/* The CMOs of a leaf's frames (pages_per_level(level) from pfn); no-ops
 * with FWB and with DIC respectively. */
void stage2_dcache_clean_inval_poc(struct kvm *kvm, kvm_pfn_t pfn, gfn_t gfn, int level);
void stage2_icache_inval_pou(struct kvm *kvm, kvm_pfn_t pfn, gfn_t gfn, int level);

#endif
