/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What differs between MMUs, behind one table of operations (rcutorture's
 * struct rcu_torture_ops). A scenario names the table it runs on; the
 * workers and the notifier call through it.
 */
#ifndef LOSTFLUSH_ARCH_H
#define LOSTFLUSH_ARCH_H

#include <stdbool.h>

#include "../core/mmu.h"

struct mmu_arch_ops {
	const char *name;
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
};

extern const struct mmu_arch_ops x86_shadow_ops;
extern const struct mmu_arch_ops x86_tdp_ops;
/* The TDP MMU's zap-walk flavours (arch/x86_tdp.c): the walk settles its
 * own pending flush by range, each as a zap-leafs variant has it. */
extern const struct mmu_arch_ops x86_tdp_zap_leafs_ops;
extern const struct mmu_arch_ops x86_tdp_lost_pending_flush_ops;
extern const struct mmu_arch_ops x86_tdp_narrow_huge_flush_ops;
extern const struct mmu_arch_ops x86_tdp_yield_no_flush_ops;

#endif
