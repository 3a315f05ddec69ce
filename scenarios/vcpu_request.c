// SPDX-License-Identifier: GPL-2.0
/*
 * vcpu-request: the request/entry Dekker pair under every remote flush
 * (kvm_make_all_cpus_request() against vcpu_enter_guest(); the ordering
 * documented in Documentation/virt/kvm/vcpu-requests.rst).
 *
 *   vCPU (entering)                    N (notifier: zap, flush, free)
 *   mode = IN_GUEST_MODE               set_bit(KVM_REQ_TLB_FLUSH)
 *   smp_mb()                           smp_mb__before_atomic()
 *   if (requests) exit and flush       if (cmpxchg(mode, IN, EXITING) == IN) kick, wait
 *
 * Each side stores, then loads what the other stores: store buffering. With
 * both barriers at least one side sees the other. Drop either and both can
 * miss: the race the variants lose (v cached G->P in an earlier entry):
 *
 *   v (outside guest mode)             N
 *                                      zap G
 *                                      set_bit(TLB_FLUSH)   <- sits in N's store buffer
 *                                      cmpxchg: mode is OUTSIDE, no kick
 *   mode = IN_GUEST_MODE
 *   [no smp_mb(): the store waits]     (no-mb-entry: N read OUTSIDE because
 *   requests == 0: enter                the mode store had not left v's buffer)
 *                                      unlock; request visible, too late
 *                                      free P
 *   use G->P  !!! stale
 *
 *   fixed           both barriers, as upstream.
 *   no-mb-entry     vcpu->mode written with WRITE_ONCE(), no smp_mb() before
 *                   the requests are read.
 *   no-mb-request   no smp_mb__before_atomic() in kvm_vcpu_exiting_guest_mode():
 *                   only a successful cmpxchg() is fully ordered, and one that
 *                   fails (mode OUTSIDE) orders nothing.
 *
 * Both need a store buffer: under --memory sc they cannot happen, and a
 * report there would be a bug in the harness; free mode on x86 will rarely
 * or never show them (x86's LOCK'd set_bit and cmpxchg are full barriers).
 */
#include "scenario.h"

#include "../model/request.h"
#include "../engine/sched.h"
#include "../engine/thread.h"
#include "../workers/workers.h"

/* The notifier flushes whenever its unmap zapped (no deferral here). */
static void flush_if_zapped(struct kvm *kvm, bool zapped)
{
	if (zapped)
		kvm_flush_remote_tlbs(kvm);
	else
		trace(TR_SKIP_FLUSH, TRACE_NO_GFN, 0);
}

static void flush_always(struct kvm *kvm)
{
	kvm_flush_remote_tlbs(kvm);
}

static void mark_nothing(struct kvm *kvm)
{
	(void)kvm;
}

/* no-mb-entry: the mode store may still be buffered when requests are read. */
static void publish_mode_without_mb(struct kvm_vcpu *vcpu)
{
	WRITE_ONCE(vcpu->mode, IN_GUEST_MODE);
}

/* no-mb-request: a failed cmpxchg() does not order the request bit before
 * the read of mode. */
static int exiting_guest_mode_without_mb(struct kvm_vcpu *vcpu)
{
	return cmpxchg(&vcpu->mode, IN_GUEST_MODE, EXITING_GUEST_MODE);
}

static const struct flush_policy request_flushes = {
	.vcpu_lock = MMU_LOCK_WRITE,
	.mark_remote_dirty = mark_nothing,
	.flush = flush_always,
	.flush_cond = flush_if_zapped,
	.notifier_locked = flush_if_zapped,
	.notifier_unlocked = flush_policy_nop,
	.dirty_log_flushes_under_lock = true,
};
static const struct request_policy no_mb_entry = {
	.publish_in_guest_mode = publish_mode_without_mb,
};
static const struct request_policy no_mb_request = {
	.exiting_guest_mode = exiting_guest_mode_without_mb,
};

#define NEEDS_STORE_BUFFER_NOTE                                                         \
	"needs a store buffer (--memory tso or weak under --sched random|pct); cannot " \
	"happen under sc, and x86 hardware hides it behind LOCK'd atomics"

static const struct scenario_variant variants[] = {
	{
		.name = "fixed",
		.summary = "smp_store_mb(mode) | set_bit; smp_mb__before_atomic(); cmpxchg(mode)",
		.note = "the Dekker pair as upstream has it; must run clean in every mode",
		.policy = &request_flushes,
	},
	{
		.name = "no-mb-entry",
		.summary = "vcpu->mode = IN_GUEST_MODE without smp_mb() before reading requests",
		.note = NEEDS_STORE_BUFFER_NOTE,
		.buggy = true,
		.claims.caught_by =
			DETECT_STORE_BUFFERS | DETECT_RANDOM | DETECT_PCT | DETECT_COVER,
		.claims.depth = { 1, DEPTH_EXACT },
		.claims.shows_from = MEM_TSO,
		.policy = &request_flushes,
		.request_policy = &no_mb_entry,
	},
	{
		.name = "no-mb-request",
		.summary = "request bit then cmpxchg(mode) without smp_mb__before_atomic()",
		.note = NEEDS_STORE_BUFFER_NOTE
		"; random finds it in milliseconds; pct "
		"needs depth 5 (the request must stay buffered across the other "
		"side's whole entry, so its buffer takes a change point of its own)",
		.buggy = true,
		.claims.caught_by =
			DETECT_STORE_BUFFERS | DETECT_RANDOM | DETECT_PCT | DETECT_COVER,
		.claims.depth = { 2, DEPTH_MORE_THAN },
		.claims.pct_depth = 5,
		.claims.shows_from = MEM_TSO,
		.policy = &request_flushes,
		.request_policy = &no_mb_request,
	},
};

static void vcpu_request_defaults(struct vm_config *cfg, const struct run_config *rc,
				  const struct scenario_variant *v)
{
	(void)v;
	/* Two vCPUs: the requester's loop has a point after each vCPU's
	 * request, so the second vCPU's entry can fall inside the first's. */
	cfg->kvm.nr_vcpus = 2;
	cfg->kvm.nr_gfns = 4096;
	cfg->work = (struct workload){
		.hot_gfns = 4,
		.slice = 64,
		.write_ratio = 0.3,
		/* No invlpg: every flush here is the notifier's own. */
		.invlpg_ratio = 0,
		.unmap_pages_max = 1,
		.invalidate_pause_us = 20,
		.exec_guest_entries = 5,
		.exec_invalidations = 3,
	};
	if (rc->sched != SCHED_FREE) {
		cfg->work.slice = 6;
		cfg->work.hot_gfns = 2;
	}
}

const struct scenario scenario_vcpu_request = {
	.name = "vcpu-request",
	.summary = "request vs guest entry: the Dekker pair under every remote flush",
	.origin = "Documentation/virt/kvm/vcpu-requests.rst; kvm_vcpu_exiting_guest_mode()",
	.arch = &x86_shadow_ops,
	.arch_note = "KVM_REQ_TLB_FLUSH and the kick; arm64 invalidates by broadcast TLBI, with no "
		     "request",
	.variants = variants,
	.nr_variants = ARRAY_SIZE(variants),
	.defaults = vcpu_request_defaults,
	.workers = "invalidator,invalidator",
	.controlled_workers = "invalidator",
};
