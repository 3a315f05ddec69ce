// SPDX-License-Identifier: GPL-2.0
#include "tlbi.h"

#include <sched.h>

#include "../engine/ctl.h"
#include "../engine/memmodel.h"
#include "../engine/sched.h"
#include "../engine/shared.h"
#include "../engine/thread.h"
#include "mmu.h"

int tlbi_log_init(struct tlbi_log *l)
{
	atomic_init(&l->seq, 0);
	return pthread_mutex_init(&l->lock, NULL) ? -1 : 0;
}

void tlbi_log_destroy(struct tlbi_log *l)
{
	pthread_mutex_destroy(&l->lock);
}

struct dsb_wait {
	struct kvm_vcpu *vcpu;
	uint64_t seq;
};

/* The vCPU has applied TLBI `seq`, or is not in a guest access: its next
 * access will apply it first. */
static bool vcpu_past(void *arg)
{
	const struct dsb_wait *w = arg;

	return !shared_load(&w->vcpu->tlbi_in_access) || shared_load(&w->vcpu->tlbi_seen) >= w->seq;
}

void tlbi_broadcast(struct kvm *kvm, gfn_t start, uint64_t nr)
{
	tlbi_broadcast_hinted(kvm, start, nr, TLBI_TTL_NONE);
}

void tlbi_broadcast_hinted(struct kvm *kvm, gfn_t start, uint64_t nr, int ttl)
{
	struct tlbi_log *l = kvm->tlbi;
	uint64_t seq;

	/* DSB ISHST (__kvm_tlb_flush_vmid_ipa() starts with it): the PTE
	 * change is visible before any PE drops its entry; without it a walk
	 * after the TLBI could refill the old translation from a PTE store
	 * still buffered. */
	mm_release_all();
	pthread_mutex_lock(&l->lock);
	seq = shared_load(&l->seq) + 1;
	l->ops[seq % TLBI_LOG_SIZE] = (struct tlbi_op){ seq, start, nr, ttl };
	/* Seq_cst, against the vCPU's store of tlbi_in_access: either it
	 * sees this TLBI when its access begins, or we see it in flight. */
	shared_store(&l->seq, seq);
	pthread_mutex_unlock(&l->lock);
	trace(TR_TLBI, nr == TLBI_ALL ? TRACE_NO_GFN : start, nr);
	/* DSB ISH: complete only once every PE finished the TLBI. In free
	 * mode it waits whatever the stop flag says: an issuer that gave up
	 * would go on as though the TLBI had completed (a harvest declaring
	 * its revocations done) while an access that began before it still
	 * used the old entry, a violation no kernel could show. The wait is
	 * bounded: an access never waits on the issuer, and a vCPU of a
	 * stopping run starts no new one. */
	for (int i = 0; i < kvm->nr_vcpus; i++) {
		struct dsb_wait w = { kvm->vcpus[i], seq };

		if (vcpu_past(&w))
			continue;
		if (lostflush_ctl)
			ctl_wait_until(lostflush_ctl, current_thread->index, vcpu_past, &w,
				       "a vCPU's access in flight (DSB ISH)");
		else
			while (!vcpu_past(&w))
				sched_yield();
	}
}

/* The leaf level a TLBI's hint names, in the model's numbering. */
static int hinted_level(const struct tlbi_op *op)
{
	return op->ttl == TLBI_TTL_NONE ? TLB_ANY_LEVEL : SPTE_ROOT_LEVEL - op->ttl;
}

static void apply(struct kvm_vcpu *vcpu, const struct tlbi_op *op)
{
	uint32_t dropped = op->nr == TLBI_ALL ? tlb_flush_all(&vcpu->tlb)
					      : tlb_flush_range_at_level(&vcpu->tlb, op->start,
									 op->nr, hinted_level(op));

	count(CNT_TLB_DROPPED, dropped);
	if (op->nr == TLBI_ALL)
		count(CNT_VMID_DROPPED, dropped);
}

void tlbi_access_begin(struct kvm_vcpu *vcpu)
{
	struct tlbi_log *l = vcpu->kvm->tlbi;
	uint64_t seen = shared_load_explicit(&vcpu->tlbi_seen, memory_order_relaxed), now;

	shared_store(&vcpu->tlbi_in_access, true);
	now = shared_load(&l->seq);
	if (now == seen)
		return;
	pthread_mutex_lock(&l->lock);
	now = shared_load(&l->seq);
	if (now - seen > TLBI_LOG_SIZE)
		count(CNT_TLB_DROPPED, tlb_flush_all(&vcpu->tlb));
	else
		for (uint64_t s = seen + 1; s <= now; s++)
			apply(vcpu, &l->ops[s % TLBI_LOG_SIZE]);
	pthread_mutex_unlock(&l->lock);
	shared_store(&vcpu->tlbi_seen, now);
	/* The TLBIs are complete for this PE: its later walks read no PTE
	 * older than them (the issuer's DSB ISHST made the change visible). */
	mm_acquire_all();
}

void tlbi_access_end(struct kvm_vcpu *vcpu)
{
	shared_store_explicit(&vcpu->tlbi_in_access, false, memory_order_release);
}
