/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The MMU flavours: each fills in the model's table of operations
 * (model/arch_ops.h); the TDP MMU's pieces its flavours share.
 */
#ifndef LOSTFLUSH_ARCH_H
#define LOSTFLUSH_ARCH_H

#include <errno.h>
#include <stdbool.h>

#include "../model/arch_ops.h"

/* The level to map a fault on gfn at, backed by pfn (arch/mapping_level.c):
 * the largest the memslot and the host's mapping allow, 4K while the gfn
 * is logged or write-tracked. Under mmu_lock, after the retry check. */
int fault_mapping_level(struct kvm *kvm, gfn_t gfn, kvm_pfn_t pfn);

/* Dirty logging and write-tracking in the TDP fault path
 * (arch/x86_tdp_wrprot.c). */
/* fast_page_fault(): fix a present SPTE without mmu_lock (an access-tracked
 * one, or W for a write where MMU-writable allows it); false if the slow
 * path must run. */
bool tdp_fast_page_fault(struct kvm_vcpu *vcpu, gfn_t gfn, bool write);
/* make_spte() for a fault on gfn, under mmu_lock (x86, either MMU):
 * writable unless the pfn came back read-only or gfn is write-tracked, and
 * marked dirty when it is writable and logging is on. *emulate: a write to
 * a tracked gfn, which KVM performs itself. */
uint64_t x86_make_fault_spte(struct kvm_vcpu *vcpu, gfn_t gfn, struct page_ref page, int level,
			     bool write, bool *emulate);
/* tdp_mmu_map_handle_target_level() of a fault's 4K leaf at slot, under a
 * read-held mmu_lock: make_spte() (writable unless the pfn came back
 * read-only or gfn is write-tracked, marked dirty when logged), installed
 * by cmpxchg over what the walk read, flushed when MMU-writable is lost,
 * as walk says. Sets vcpu->write_emulated for a write to a tracked gfn. */
struct walk_policy;
void tdp_map_target_leaf(struct kvm_vcpu *vcpu, _Atomic uint64_t *slot, gfn_t gfn,
			 struct page_ref page, bool write, const struct walk_policy *walk);
/* EPT A/D bits in hardware (arch/x86_ept_ad.c): a walk that fills a TLB
 * entry from `leaf` sets A; the first write through an entry that has not
 * seen D set sets D and, if D was clear, logs the gfn (PML). False: the
 * leaf no longer maps the entry's frame writable, and the write faults. */
void ept_walk_sets_accessed(struct kvm_vcpu *vcpu, gfn_t gfn, uint64_t leaf, int level);
/* Aged: A clear (A/D bits), or access-tracked (without). */
bool ept_spte_is_old(const struct kvm *kvm, uint64_t spte);
bool ept_write_sets_dirty(struct kvm_vcpu *vcpu, gfn_t gfn, const struct tlb_entry *e);

/* The write_protect_gfn op of both x86 MMUs, and x86_tdp_ops' age_gfn. */
bool tdp_write_protect_gfn(struct kvm *kvm, gfn_t gfn, bool for_tracking, bool *changed);
bool tdp_age_gfn(struct kvm *kvm, gfn_t gfn, bool clear);
/* 6.13's leaf_spte_change_needs_tlb_flush() (081976992f43): flush iff
 * MMU-writable goes from 1 to 0. */
bool leaf_spte_change_needs_tlb_flush(uint64_t old_spte, uint64_t new_spte);

/* arm64 stage 2 (arch/arm64_pgtable.c, arch/arm64_mmu.c). Bits of a stage-2 PTE beyond the
 * model's common leaf: execute-never (KVM_PTE_LEAF_ATTR_HI_S2_XN, bit 54
 * upstream, where the model's leaf keeps its frame generation), and the
 * locked invalid PTE a break leaves (KVM_INVALID_PTE_LOCKED). */
#define S2_PTE_XN (1ULL << 59)
#define S2_PTE_LOCKED (1ULL << 10)
/* The access flag, kept inverted: set once aging made the leaf old, so a
 * PTE no ager touched has the value it has without aging. */
#define S2_PTE_OLD (1ULL << 11)
/* KVM_PTE_LEAF_ATTR_S2_PERMS: what a permission change alters. */
#define S2_PTE_PERMS (SPTE_WRITABLE | SPTE_MMU_WRITABLE | SPTE_HOST_WRITABLE | S2_PTE_XN)
enum { STAGE2_PROT_W = 1, STAGE2_PROT_X = 2 };
/* The steps the walker takes, in the order it takes them. */
enum stage2_step {
	STAGE2_BREAK,
	STAGE2_TLBI_IPA,
	STAGE2_TLBI_VMID,
	STAGE2_CMO_DCACHE,
	STAGE2_CMO_ICACHE,
	STAGE2_MAKE,
	STAGE2_RELAX,
};
typedef void (*stage2_step_fn)(enum stage2_step s, gfn_t gfn, int level, void *arg);
/* Call fn at every step (NULL: none); for tests. */
void stage2_set_step_hook(stage2_step_fn fn, void *arg);
bool stage2_pte_locked(uint64_t pte);
uint64_t stage2_leaf_pte(kvm_pfn_t pfn, uint32_t gen, int level, unsigned prot);
/* kvm_pgtable_stage2_map() of one leaf, kvm_pgtable_stage2_relax_perms():
 * 0, or -EAGAIN (nothing to do, or a racing walker holds the PTE). */
int kvm_pgtable_stage2_map(struct kvm *kvm, gfn_t gfn, int level, kvm_pfn_t pfn, uint32_t gen,
			   unsigned prot);
int kvm_pgtable_stage2_relax_perms(struct kvm_vcpu *vcpu, gfn_t gfn, unsigned prot);
/* The hardware access-flag update (FEAT_HAFDBS): a walk that finds the
 * leaf old makes it young again. */
void stage2_walk_sets_af(struct kvm *kvm, gfn_t gfn, uint64_t leaf, int level);
/* The walk_sets_accessed and spte_is_old ops of arm64_stage2_ops: the
 * access flag, kept inverted (S2_PTE_OLD). */
void stage2_walk_found(struct kvm_vcpu *vcpu, gfn_t gfn, uint64_t leaf, int level);
bool stage2_spte_is_old(const struct kvm *kvm, uint64_t spte);

extern const struct mmu_arch_ops arm64_stage2_ops;
extern const struct mmu_arch_ops x86_shadow_ops;
extern const struct mmu_arch_ops x86_tdp_ops;

#endif
