/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The unit tests' VMs driven by hand from the calling thread, which gets a
 * zeroed context (schedule points are no-ops and count into it): any VM a
 * test describes (hand_vm_setup()), and the logged VM, one vCPU (never in
 * guest mode, so no flush waits on it) on a 64-gfn TDP (or, when asked,
 * shadow) VM with dirty logging, write-tracking and upstream's dirty-log
 * policy.
 */
#ifndef LOSTFLUSH_TEST_LOGGED_VM_H
#define LOSTFLUSH_TEST_LOGGED_VM_H

#include <stdlib.h>
#include <string.h>

#include "../../arch/arch.h"
#include "../../model/dirty_log.h"
#include "../../engine/run.h"
#include "../../model/spt.h"
#include "../../oracle/slot_rights.h"
#include "../../workers/vm.h"

static const struct dirty_log_policy logged_vm_upstream = DIRTY_LOG_POLICY();

struct fixture {
	struct run run;
	struct vm vm;
	struct thread_ctx *ctx;
};

/* Any VM the caller describes, driven by hand from the calling thread. */
static inline int hand_vm_setup(void **state, const struct kvm_config *kvm)
{
	const struct run_config cfg = { .keep_going = true };
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	f->ctx = aligned_alloc(64, sizeof(*f->ctx));
	f->vm.cfg.kvm = *kvm;
	if (!f->ctx || run_init(&f->run, &cfg, &f->vm, &vm_subject_ops))
		return -1;
	memset(f->ctx, 0, sizeof(*f->ctx));
	current_thread = f->ctx;
	*state = f;
	return 0;
}

/* The SPTE vCPU 0's root holds for gfn. */
static inline uint64_t hand_vm_spte(struct fixture *f, gfn_t gfn)
{
	int level;

	return spt_peek_root(f->vm.kvm.vcpus[0]->root, gfn, &level);
}

/* What a vCPU's TLB would hold for gfn if it filled now from vCPU 0's
 * SPTE: a 4K entry with the epochs of this moment. */
static inline struct tlb_entry hand_vm_tlb_entry(struct fixture *f, gfn_t gfn)
{
	struct kvm *kvm = &f->vm.kvm;
	kvm_pfn_t pfn = spte_to_pfn(hand_vm_spte(f, gfn));

	return (struct tlb_entry){
		.gfn = gfn,
		.pfn = pfn,
		.frame_gen = frame_gen_tag(hostmem_frame_gen(&kvm->mem, pfn)),
		.slot_epoch = kvm->slot_rights ? slot_epoch_now(kvm->slot_rights) : 0,
		.level = PG_LEVEL_4K,
		.walk_level = PG_LEVEL_4K,
		.valid = true,
		.writable = true,
	};
}

static inline int logged_vm_setup_on(void **state, enum dirty_log_mode mode, bool ad_bits,
				     const struct mmu_arch_ops *arch)
{
	const struct kvm_config kvm = {
		.nr_gfns = 64,
		.nr_memslots = 1,
		.nr_vcpus = 1,
		.tlb_entries = 16,
		.log_policy = &logged_vm_upstream,
		.log_mode = mode,
		.ad_bits = ad_bits,
		.arch = arch,
	};

	return hand_vm_setup(state, &kvm);
}

static inline int logged_vm_setup(void **state, enum dirty_log_mode mode, bool ad_bits)
{
	return logged_vm_setup_on(state, mode, ad_bits, &x86_tdp_ops);
}

static inline int logged_vm_teardown(void **state)
{
	struct fixture *f = *state;

	current_thread = NULL;
	run_destroy(&f->run);
	free(f->ctx);
	free(f);
	return 0;
}

#endif
