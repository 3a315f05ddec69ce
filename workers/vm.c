// SPDX-License-Identifier: GPL-2.0
/* The KVM model behind the engine's subject table (engine/subject.h). */
#include "vm.h"

#include <stdio.h>

#include "../engine/check.h"
#include "../engine/cover.h"
#include "../model/flush.h"
#include "real.h"

/* The oracle stamps a violation with the guest accesses made so far. */
static uint64_t accesses_so_far(void *run)
{
	return run_counter(run, CNT_ACCESSES);
}

/* The host's read-back of a frame it frees is judged by this VM's oracle
 * (arm64, where the caches are modelled). */
static void vm_judge_read_back(struct vm *vm)
{
	vm->kvm.mem.read_back_judge = &vm->oracle;
}

static int vm_build(struct run *run)
{
	struct vm *vm = run_vm(run);

	if (kvm_create(&vm->kvm, &vm->cfg.kvm))
		return -1;
	oracle_init(&vm->oracle, &vm->kvm.mem, 0);
	vm->oracle.rights = &vm->kvm.rights;
	vm->oracle.slot_rights = &vm->kvm.slot_rights;
	vm->oracle.keep_going = run->cfg.keep_going;
	vm->oracle.accesses_so_far = accesses_so_far;
	vm->oracle.accesses_arg = run;
	vm_judge_read_back(vm);
	if (vm->cfg.real_kernel)
		real_run_create(vm, run->cfg.seed);
	return 0;
}

static void vm_reset(struct run *run)
{
	struct vm *vm = run_vm(run);

	kvm_destroy(&vm->kvm);
	HARNESS_ASSERT(!kvm_create(&vm->kvm, &vm->cfg.kvm), "cannot rebuild the model");
	oracle_forget(&vm->oracle);
	vm_judge_read_back(vm);
}

static void vm_destroy(struct run *run)
{
	struct vm *vm = run_vm(run);

	real_run_destroy(vm);
	oracle_destroy(&vm->oracle);
	kvm_destroy(&vm->kvm);
}

static void vm_start(struct run *run)
{
	run_vm(run)->oracle.t0_ns = run->t0_ns;
}

/* Workers walk page tables locklessly (model/mmu.c): RCU readers. */
static void vm_thread_start(void)
{
	spt_rcu_register_thread();
}

static void vm_thread_stop(void)
{
	spt_rcu_unregister_thread();
}

/* Page tables retired during the run: free mode hands them to call_rcu(),
 * whose callbacks are waited for (and counted) here; controlled modes keep
 * them until every fiber has returned, which is their grace period. */
static void vm_settle(struct run *run)
{
	if (run->cfg.sched == SCHED_FREE)
		spt_rcu_barrier();
	else
		kvm_free_retired_tables(&run_vm(run)->kvm);
}

static void vm_check(struct run *run, uint64_t end_decision)
{
	struct vm *vm = run_vm(run);

	if (vm->real) {
		real_run_check(run);
		return;
	}
	if (!vm->quiesced_check)
		return;
	vm->oracle.end_decision = end_decision;
	vm->quiesced_check(&vm->kvm, &vm->oracle);
}

static uint64_t vm_failures(const struct run *run)
{
	return atomic_load(&run_vm(run)->oracle.nr_violations);
}

static uint64_t vm_first_failure_decision(const struct run *run)
{
	return run_vm(run)->oracle.kept[0].decision;
}

/* The same failure: the same kind of violation, by the same vCPU. */
static uint64_t vm_first_failure_id(const struct run *run)
{
	const struct violation *v = &run_vm(run)->oracle.kept[0];

	return (uint64_t)v->kind << 32 | (uint32_t)v->vcpu_id;
}

#define HOT_PAGES_WATCHED 4

/*
 * What the flush policy's own state shows (a deferred-flush mark, a count
 * and how far it is ahead of what flushes settled), and which vCPUs' TLBs
 * hold each hot page.
 */
static uint64_t vm_signature(const struct run *run, uint64_t h)
{
	const struct vm *vm = run_vm(run);
	const struct kvm *kvm = &vm->kvm;
	uint32_t hot = vm->cfg.work.hot_gfns < HOT_PAGES_WATCHED ? vm->cfg.work.hot_gfns
								 : HOT_PAGES_WATCHED;

	if (kvm->policy && kvm->policy->state_signature)
		h = kvm->policy->state_signature(kvm->policy_state, h);
	for (int i = 0; i < kvm->nr_vcpus; i++) {
		struct kvm_vcpu *vcpu = kvm->vcpus[i];
		uint64_t held = 0;

		for (uint32_t g = 0; g < hot; g++)
			held |= (uint64_t)(tlb_lookup(&vcpu->tlb, g) != NULL) << g;
		/* Following reorderings, whether a vCPU has been asked to
		 * flush: under store buffers it is not implied by the
		 * requester's last event, as the request may still wait in its
		 * buffer. Measured on a missing write barrier, 15 of 20 seeds
		 * with it, 12 without; for other races it only splits states
		 * (a non-atomic increment under sc: 13 of 20 with it, 19
		 * without). */
		if (run->cfg.cover_reorderings && mm_enabled())
			held |= (uint64_t)atomic_load_explicit(&vcpu->requests,
							       memory_order_relaxed)
				<< 8;
		h = cover_mix(h, held);
	}
	return h;
}

static void vm_progress(struct run *run, double dt, char *buf, size_t len)
{
	struct vm *vm = run_vm(run);
	uint64_t acc = run_counter(run, CNT_ACCESSES);

	if (vm->real) {
		acc = run_counter(run, CNT_GUEST_ITERATIONS);
		snprintf(buf, len, "%7.0f iter/s  harvests %-9llu",
			 dt > 0 ? (double)(acc - vm->progress_accesses) / dt : 0.0,
			 (unsigned long long)run_counter(run, CNT_HARVESTS));
		vm->progress_accesses = acc;
		return;
	}
	snprintf(buf, len, "%7.2fM acc/s  flushes %-9llu",
		 dt > 0 ? (double)(acc - vm->progress_accesses) / dt / 1e6 : 0.0,
		 (unsigned long long)run_counter(run, CNT_FLUSHES));
	vm->progress_accesses = acc;
}

const struct subject_ops vm_subject_ops = {
	.name = "kvm",
	.build = vm_build,
	.reset = vm_reset,
	.destroy = vm_destroy,
	.start = vm_start,
	.thread_start = vm_thread_start,
	.thread_stop = vm_thread_stop,
	.settle = vm_settle,
	.check = vm_check,
	.failures = vm_failures,
	.first_failure_decision = vm_first_failure_decision,
	.first_failure_id = vm_first_failure_id,
	.signature = vm_signature,
	.progress = vm_progress,
};
