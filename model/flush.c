// SPDX-License-Identifier: GPL-2.0
#include "flush.h"

#include "arch_ops.h"

#include <errno.h>

#include "request.h"
#include "../engine/sched.h"
#include "../engine/thread.h"

void kvm_flush_remote_tlbs(struct kvm *kvm)
{
	/* kvm_arch_flush_remote_tlbs(), where the arch has its own. */
	if (kvm->arch->flush_remote_tlbs) {
		kvm->arch->flush_remote_tlbs(kvm);
		return;
	}
	trace(TR_REQUEST, TRACE_NO_GFN, KVM_REQ_TLB_FLUSH);
	kvm_make_all_cpus_request(kvm, KVM_REQ_TLB_FLUSH);
	trace(TR_REQUEST_DONE, TRACE_NO_GFN, KVM_REQ_TLB_FLUSH);
	count(CNT_FLUSHES, 1);
}

static void queue_range(struct kvm_vcpu *v, gfn_t gfn, uint64_t nr)
{
	pthread_mutex_lock(&v->range_lock);
	if (v->nr_ranges < VCPU_MAX_PENDING_RANGES)
		v->ranges[v->nr_ranges++] = (struct gfn_range){ gfn, nr };
	else
		v->ranges_overflowed = true;
	pthread_mutex_unlock(&v->range_lock);
}

int hv_flush_remote_tlbs_range(struct kvm *kvm, gfn_t gfn, uint64_t nr)
{
	if (!kvm->cfg.arch_range_flush)
		return -EOPNOTSUPP;
	/* The broadcast invalidation is a hypercall on x86
	 * (hv_flush_remote_tlbs_range(), HvFlushGuestPhysicalAddressList),
	 * and VMCALL is serializing: every store before it, the zaps above
	 * all, is visible before any TLB drops the range. Without the
	 * barrier a vCPU serving an earlier request would take the queued
	 * range while the zap still sat in this thread's store buffer,
	 * re-walk the old SPTE and cache it again, and this request would
	 * then find nothing left to flush. */
	smp_mb();
	/* The model's broadcast invalidation: each vCPU drops exactly
	 * [gfn, gfn + nr) when it serves the request. */
	for (int i = 0; i < kvm->nr_vcpus; i++)
		queue_range(kvm->vcpus[i], gfn, nr);
	trace(TR_REQUEST, gfn, KVM_REQ_TLB_FLUSH_RANGE);
	kvm_make_all_cpus_request(kvm, KVM_REQ_TLB_FLUSH_RANGE);
	trace(TR_REQUEST_DONE, gfn, nr);
	count(CNT_RANGE_FLUSHES, 1);
	count(CNT_RANGE_PAGES, nr);
	return 0;
}

int kvm_arch_flush_remote_tlbs_range(struct kvm *kvm, gfn_t gfn, uint64_t nr)
{
	if (kvm->arch->flush_remote_tlbs_range)
		return kvm->arch->flush_remote_tlbs_range(kvm, gfn, nr);
	if (kvm->policy && kvm->policy->arch_flush_range)
		return kvm->policy->arch_flush_range(kvm, gfn, nr);
	return hv_flush_remote_tlbs_range(kvm, gfn, nr);
}

void kvm_flush_remote_tlbs_range(struct kvm *kvm, gfn_t gfn, uint64_t nr)
{
	if (!kvm_arch_flush_remote_tlbs_range(kvm, gfn, nr))
		return;
	/* The arch cannot flush a range: flush everything instead. */
	count(CNT_RANGE_FALLBACKS, 1);
	kvm_flush_remote_tlbs(kvm);
}

void kvm_flush_remote_tlbs_gfn(struct kvm *kvm, gfn_t gfn, int level)
{
	kvm_flush_remote_tlbs_range(kvm, gfn_round_for_level(gfn, level), pages_per_level(level));
}

void flush_policy_nop(struct kvm *kvm, bool zapped)
{
	(void)kvm;
	(void)zapped;
}

void flush_policy_if_zapped(struct kvm *kvm, bool zapped)
{
	if (zapped)
		kvm_flush_remote_tlbs(kvm);
}

const struct flush_policy flush_policy_tdp = { FLUSH_POLICY_TDP };
