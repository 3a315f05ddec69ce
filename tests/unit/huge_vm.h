/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The unit tests' huge-page VM: one vCPU (never in guest mode, so no flush
 * waits on it) over two 2M blocks of THP-backed memory, one TDP root, huge
 * leaves allowed, a splintering TLB, and a notifier that zaps but never
 * flushes, so what a TLB keeps is up to the oracle alone. The calling
 * thread gets a zeroed context: schedule points are no-ops and count into
 * it.
 */
#ifndef LOSTFLUSH_TEST_HUGE_VM_H
#define LOSTFLUSH_TEST_HUGE_VM_H

#include <stdlib.h>
#include <string.h>

#include "../../arch/arch.h"
#include "../../model/flush.h"
#include "../../engine/thread.h"

#define PAGES_2M 512ULL
#define GFN (PAGES_2M + 37) /* inside the second 2M block */

static const struct flush_policy huge_vm_no_flush = {
	.vcpu_lock = MMU_LOCK_READ,
	.flush = kvm_flush_remote_tlbs,
	.notifier_locked = flush_policy_nop,
	.notifier_unlocked = flush_policy_nop,
};

static inline int huge_vm_create(struct kvm *kvm, struct thread_ctx **ctx)
{
	const struct kvm_config cfg = {
		.nr_gfns = 2 * PAGES_2M,
		.nr_memslots = 1,
		.nr_vcpus = 1,
		.nr_roots = 1,
		.tlb_entries = 64,
		.tlb_huge = TLB_HUGE_SPLINTER,
		.arch_range_flush = true,
		.max_huge_level = PG_LEVEL_2M,
	};

	*ctx = aligned_alloc(64, sizeof(**ctx));
	if (!*ctx)
		return -1;
	if (kvm_create(kvm, &cfg)) {
		free(*ctx);
		return -1;
	}
	memset(*ctx, 0, sizeof(**ctx));
	current_thread = *ctx;
	kvm->arch = &x86_tdp_ops;
	kvm->policy = &huge_vm_no_flush;
	atomic_store(&lostflush_stop, false);
	return 0;
}

static inline void huge_vm_destroy(struct kvm *kvm, struct thread_ctx *ctx)
{
	current_thread = NULL;
	kvm_destroy(kvm);
	free(ctx);
	atomic_store(&lostflush_stop, false);
}

#endif
