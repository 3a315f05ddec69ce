/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What differs between MMUs, behind one table of operations (rcutorture's
 * struct rcu_torture_ops). The model defines the table and calls through
 * it; arch/ fills it in, one table per MMU flavour; a scenario names the
 * table it runs on.
 */
#ifndef LOSTFLUSH_ARCH_OPS_H
#define LOSTFLUSH_ARCH_OPS_H

#include <stdbool.h>

#include "mmu.h"

struct mmu_arch_ops {
	const char *name;
	/* arm64: TLBIs are broadcast (model/tlbi.h: no request, no kick) and
	 * the fault path maintains the caches (model/cache.h); the VM gets a
	 * TLBI log and a cache model. */
	bool broadcast_tlbi;
	/* write_protect_gfn serves dirty logging only: the MMU has no
	 * write-tracking (x86's page-track), so no tracker runs on it. */
	bool no_write_tracking;
	/* The fault path looks its slot up inside kvm->srcu and does not map
	 * an invalid one (model/memslots.h), so slots may come and go. */
	bool memslot_changes;
	/* kvm_arch_flush_shadow_memslot() unmaps the slot's range alone, its
	 * TLBIs issued by the unmap (arm64's kvm_stage2_unmap_range()); x86
	 * zaps everything unless KVM_X86_QUIRK_SLOT_ZAP_ALL is off. */
	bool memslot_zaps_slot_only;
	/* kvm_arch_flush_remote_tlbs() and kvm_arch_flush_remote_tlbs_range()
	 * where the arch has its own (arm64: broadcast TLBIs); NULL: the
	 * generic requests (kvm_flush_remote_tlbs(), and the range through
	 * the flush policy's or the model's hypercall). */
	void (*flush_remote_tlbs)(struct kvm *kvm);
	int (*flush_remote_tlbs_range)(struct kvm *kvm, gfn_t gfn, uint64_t nr);
	/* Resolve a guest fault on gfn; false if it must be retried
	 * (mmu_invalidate_retry). Called outside guest mode, no lock held. */
	bool (*page_fault)(struct kvm_vcpu *vcpu, gfn_t gfn, bool write);
	/* The guest invalidated its own translation of gfn (invlpg).
	 * Outside guest mode, no lock held. */
	void (*invlpg)(struct kvm_vcpu *vcpu, gfn_t gfn);
	/* kvm_unmap_gfn_range(): zap the leaves for [start, end); true if a
	 * remote flush is needed. mmu_lock held for write. */
	bool (*unmap_gfn_range)(struct kvm *kvm, gfn_t start, gfn_t end);
	/* Zap the leaf for one gfn; true if one was present. mmu_lock held. */
	bool (*zap_gfn)(struct kvm *kvm, gfn_t gfn);
	/* Write-protect gfn's 4K leaves in every root: clear W, and with
	 * for_tracking MMU-writable too. Returns whether the SPTE changes
	 * need a flush by the run's rule (kvm_config.track_policy, else the
	 * arch's: x86's leaf_spte_change_needs_tlb_flush());
	 * *changed says whether any SPTE changed at all. mmu_lock held for
	 * write. NULL where the MMU has no dirty logging. */
	bool (*write_protect_gfn)(struct kvm *kvm, gfn_t gfn, bool for_tracking, bool *changed);
	/* kvm_age_gfn() / kvm_test_age_gfn(): was gfn accessed since it was
	 * last aged; with clear, age it (no flush). Lockless. */
	bool (*age_gfn)(struct kvm *kvm, gfn_t gfn, bool clear);
	/* The hardware's Accessed/Dirty bits (EPT's, when the VM turns them
	 * on, kvm_config.ad_bits; arm64's access flag, FEAT_HAFDBS): a walk
	 * that fills a TLB entry from `leaf` sets A; the first write through an entry that has not
	 * seen D set sets D (and PML logs the gfn), false when the leaf no longer maps the entry's
	 * frame writable and the write faults. NULL: the MMU has no A/D bits. */
	void (*walk_sets_accessed)(struct kvm_vcpu *vcpu, gfn_t gfn, uint64_t leaf, int level);
	/* The leaf says aging found it unused since (A clear, access-tracked,
	 * arm64's access flag clear): a TLB hit through it is a stale
	 * Accessed the vCPU counts. NULL: the MMU does not age. */
	bool (*spte_is_old)(const struct kvm *kvm, uint64_t spte);
	bool (*write_sets_dirty)(struct kvm_vcpu *vcpu, gfn_t gfn, const struct tlb_entry *e);
};

#endif
