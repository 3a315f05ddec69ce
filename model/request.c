// SPDX-License-Identifier: GPL-2.0
#include "request.h"

#include <sched.h>

#include "../engine/check.h"
#include "flush.h"
#include "../engine/sched.h"
#include "../engine/shared.h"
#include "../engine/thread.h"

void kvm_make_request(int req, struct kvm_vcpu *vcpu)
{
	/* What the request asks for must be visible before the bit, or the
	 * vCPU could serve the request and miss its payload. */
	smp_wmb();
	set_bit(req, &vcpu->requests);
	count(CNT_REQUESTS, 1);
}

bool kvm_check_request(int req, struct kvm_vcpu *vcpu)
{
	if (!test_bit(req, &vcpu->requests))
		return false;
	clear_bit(req, &vcpu->requests);
	/* The clear must be ordered before the work the request asks for
	 * (kvm_check_request()'s smp_mb__after_atomic()): otherwise a new
	 * request made while we work could be wiped by our late clear. */
	smp_mb__after_atomic();
	return true;
}

bool kvm_request_pending(struct kvm_vcpu *vcpu)
{
	return READ_ONCE(vcpu->requests) != 0;
}

/* kvm_vcpu_exiting_guest_mode(): returns the mode it found. */
static int kvm_vcpu_exiting_guest_mode(struct kvm_vcpu *vcpu)
{
	/* The request bit must be visible before mode is read: pairs with the
	 * smp_mb() after vcpu->mode = IN_GUEST_MODE. Without it the requester
	 * can read OUTSIDE while the vCPU misses the request. */
	smp_mb__before_atomic();
	return cmpxchg(&vcpu->mode, IN_GUEST_MODE, EXITING_GUEST_MODE);
}

struct exit_wait {
	struct kvm_vcpu *vcpu;
	uint64_t exits_before;
};

static bool vcpu_has_exited(void *arg)
{
	const struct exit_wait *w = arg;

	return shared_load_explicit(&w->vcpu->exits, memory_order_acquire) != w->exits_before ||
	       smp_load_acquire(&w->vcpu->mode) == OUTSIDE_GUEST_MODE;
}

static void wait_for_exit(struct kvm_vcpu *vcpu, uint64_t exits_before)
{
	unsigned spins = 0;

	if (lostflush_ctl) {
		struct exit_wait w = { vcpu, exits_before };

		ctl_wait_until(lostflush_ctl, current_thread->index, vcpu_has_exited, &w,
			       "a kicked vCPU to leave guest mode");
		return;
	}

	/* The IPI's wait: done once the vCPU left guest mode after the kick. */
	while (shared_load_explicit(&vcpu->exits, memory_order_acquire) == exits_before &&
	       smp_load_acquire(&vcpu->mode) != OUTSIDE_GUEST_MODE) {
		if (++spins < 64)
			cpu_relax();
		else
			sched_yield();
	}
}

bool kvm_make_all_cpus_request(struct kvm *kvm, int req)
{
	uint64_t exits[kvm->nr_vcpus];
	bool need_wait[kvm->nr_vcpus];
	bool kicked = false;
	const struct request_policy *req_policy = kvm->cfg.request_policy;

	for (int i = 0; i < kvm->nr_vcpus; i++) {
		struct kvm_vcpu *v = kvm->vcpus[i];

		kvm_make_request(req, v);
		sched_point();
		exits[i] = shared_load_explicit(&v->exits, memory_order_acquire);
		/* KVM_REQ_TLB_FLUSH has KVM_REQUEST_WAIT: any mode but
		 * OUTSIDE needs the IPI and the wait (kvm_request_needs_ipi). */
		need_wait[i] = (req_policy && req_policy->exiting_guest_mode
					? req_policy->exiting_guest_mode(v)
					: kvm_vcpu_exiting_guest_mode(v)) != OUTSIDE_GUEST_MODE;
		if (need_wait[i]) {
			trace(TR_KICK, TRACE_NO_GFN, (uint64_t)i);
			count(CNT_KICKS, 1);
			kicked = true;
		}
	}
	for (int i = 0; i < kvm->nr_vcpus; i++)
		if (need_wait[i])
			wait_for_exit(kvm->vcpus[i], exits[i]);
	return kicked;
}

bool kvm_vcpu_enter_guest(struct kvm_vcpu *vcpu)
{
	const struct request_policy *policy = vcpu->kvm->cfg.request_policy;

	/* mode before requests (vcpu_enter_guest()'s comment 1): pairs with
	 * smp_mb__before_atomic() in kvm_vcpu_exiting_guest_mode(). */
	if (policy && policy->publish_in_guest_mode)
		policy->publish_in_guest_mode(vcpu);
	else
		smp_store_mb(vcpu->mode, IN_GUEST_MODE);
	sched_point();
	if (kvm_request_pending(vcpu)) {
		WRITE_ONCE(vcpu->mode, OUTSIDE_GUEST_MODE);
		return false;
	}
	trace(TR_ENTER, TRACE_NO_GFN, 0);
	return true;
}

void kvm_vcpu_exit_guest(struct kvm_vcpu *vcpu)
{
	/* Release: a requester that sees the exit also sees that the vCPU is
	 * done with every access it made in guest mode. */
	smp_store_release(&vcpu->mode, OUTSIDE_GUEST_MODE);
	/* The kick's ack (csd_unlock() of the IPI, a release): the requester
	 * that sees it sees everything this vCPU stored before, buffered or
	 * not. The counter itself is the harness's IPI, not modelled memory. */
	mm_release_all();
	shared_fetch_add_explicit(&vcpu->exits, 1, memory_order_release);
	trace(TR_EXIT, TRACE_NO_GFN, 0);
	count(CNT_EXITS, 1);
}

bool kvm_vcpu_kicked(struct kvm_vcpu *vcpu)
{
	return READ_ONCE(vcpu->mode) != IN_GUEST_MODE;
}

/* Over-flush: valid entries in [start, start + nr) whose translation the
 * vCPU's root still gives, frame and generation alike. Dropping them was
 * safe but cost a refill. */
static uint32_t still_current(struct kvm_vcpu *vcpu, gfn_t start, uint64_t nr)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < vcpu->tlb.nr_entries; i++) {
		const struct tlb_entry *e = &vcpu->tlb.entries[i];
		uint64_t spte;
		int level;

		if (!e->valid || e->gfn >= start + nr ||
		    start >= e->gfn + pages_per_level(e->level))
			continue;
		spte = spt_peek_root(vcpu->root, e->gfn, &level);
		if (spte && spte_to_pfn(spte) == e->pfn &&
		    frame_gen_tag(spte_frame_gen(spte)) == e->frame_gen)
			n++;
	}
	return n;
}

static void serve_range_flushes(struct kvm_vcpu *vcpu)
{
	uint32_t dropped = 0, current = 0;

	pthread_mutex_lock(&vcpu->range_lock);
	if (vcpu->ranges_overflowed) {
		current += still_current(vcpu, 0, UINT64_MAX);
		dropped += tlb_flush_all(&vcpu->tlb);
	} else {
		for (int i = 0; i < vcpu->nr_ranges; i++) {
			current += still_current(vcpu, vcpu->ranges[i].start, vcpu->ranges[i].nr);
			dropped += tlb_flush_range(&vcpu->tlb, vcpu->ranges[i].start,
						   vcpu->ranges[i].nr);
		}
	}
	vcpu->nr_ranges = 0;
	vcpu->ranges_overflowed = false;
	pthread_mutex_unlock(&vcpu->range_lock);
	count(CNT_TLB_DROPPED, dropped);
	count(CNT_TLB_OVERFLUSH, current);
}

bool kvm_vcpu_serve_requests(struct kvm_vcpu *vcpu)
{
	bool served = false;

	HARNESS_ASSERT(READ_ONCE(vcpu->mode) == OUTSIDE_GUEST_MODE,
		       "vCPU %d serves requests in mode %d", vcpu->vcpu_id, READ_ONCE(vcpu->mode));
	if (kvm_check_request(KVM_REQ_TLB_FLUSH, vcpu)) {
		uint32_t current = still_current(vcpu, 0, UINT64_MAX);
		uint32_t dropped = tlb_flush_all(&vcpu->tlb);

		count(CNT_TLB_OVERFLUSH, current);
		trace(TR_TLB_FLUSH_ALL, TRACE_NO_GFN, dropped);
		count(CNT_TLB_DROPPED, dropped);
		served = true;
	}
	if (kvm_check_request(KVM_REQ_TLB_FLUSH_RANGE, vcpu)) {
		serve_range_flushes(vcpu);
		served = true;
	}
	return served;
}
