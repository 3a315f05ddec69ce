// SPDX-License-Identifier: GPL-2.0
/*
 * The dirty ring (virt/kvm/dirty_ring.c): a vCPU pushes the gfns it dirties
 * into its own ring and waits when it is full (KVM_EXIT_DIRTY_RING_FULL);
 * userspace collects entries by their flags and KVM_RESET_DIRTY_RINGS
 * write-protects what was collected.
 */
#include "dirty_log_harvest.h"

#include <sched.h>

#include "../engine/check.h"
#include "../engine/ctl.h"
#include "../engine/memmodel.h"
#include "../engine/sched.h"
#include "../engine/shared.h"
#include "../engine/thread.h"

static uint32_t ring_used(struct dirty_ring *r)
{
	return shared_load_explicit(&r->dirty_index, memory_order_relaxed) -
	       shared_load_explicit(&r->reset_index, memory_order_acquire);
}

/* kvm_dirty_ring_push(). */
void dirty_ring_push(struct dirty_ring *r, gfn_t gfn)
{
	uint32_t di = shared_load_explicit(&r->dirty_index, memory_order_relaxed);
	struct dirty_gfn *e = &r->gfns[di & (DIRTY_RING_SIZE - 1)];

	HARNESS_ASSERT(ring_used(r) < DIRTY_RING_SIZE, "dirty ring overflow: the soft limit "
						       "should have stopped the vCPU first");
	WRITE_ONCE(e->gfn, gfn);
	/* The gfn before the flag that publishes it: without it a collector
	 * could see DIRTY and read the slot's previous gfn. */
	smp_wmb();
	WRITE_ONCE(e->flags, KVM_DIRTY_GFN_F_DIRTY);
	shared_store_explicit(&r->dirty_index, di + 1, memory_order_relaxed);
}

struct ring_wait {
	struct dirty_log *d;
	struct dirty_ring *r;
};

static bool ring_has_room(struct dirty_ring *r)
{
	return ring_used(r) < DIRTY_RING_SOFT_LIMIT;
}

static bool ring_room_or_no_reaper(void *arg)
{
	struct ring_wait *w = arg;

	return ring_has_room(w->r) || shared_load(&w->d->reaper_done);
}

bool dirty_ring_pml_full(const struct kvm_vcpu *vcpu)
{
	const struct dirty_log *d = vcpu->kvm->dirty_log;

	return d && d->mode == LOG_RING && vcpu->pml_marks >= PML_ENTRIES;
}

/* KVM_EXIT_DIRTY_RING_FULL: the vCPU thread waits for the collector. */
bool dirty_ring_vcpu_may_enter(struct kvm_vcpu *vcpu)
{
	struct dirty_log *d = vcpu->kvm->dirty_log;
	struct ring_wait w;

	if (!d || d->mode != LOG_RING)
		return true;
	w = (struct ring_wait){ d, &d->rings[vcpu->vcpu_id] };
	if (ring_has_room(w.r))
		return true;
	if (lostflush_ctl)
		ctl_wait_until(lostflush_ctl, current_thread->index, ring_room_or_no_reaper, &w,
			       "room in its dirty ring");
	else
		while (!ring_room_or_no_reaper(&w) && !torture_must_stop())
			sched_yield();
	return ring_has_room(w.r);
}

/*
 * A collector on a thread of its own hands a gfn over only once its entry
 * is RESET: the resetter copies what it took after a reset that began
 * later, so that reset saw the entry and write-protected the gfn. An entry
 * RESET but not yet handed over may be reset first; its gfn is copied after
 * the resetter's next reset.
 */
static void hand_over(struct dirty_log *d, gfn_t gfn)
{
	sched_point();
	/* Without it the hand-over may be seen before the RESET: the resetter
	 * copies the page, its reset skips the entry, and a write after the
	 * copy, through the SPTE still writable, is never logged. */
	smp_wmb();
	set_bit((int)(gfn % BITS_PER_LONG), &d->handed_over[gfn / BITS_PER_LONG]);
}

/* Userspace's dirty_ring_collect_one(): entries up to the first not DIRTY.
 * Returns how many. */
static uint64_t ring_collect(struct dirty_log *d, struct dirty_ring *r, bool apart)
{
	bool ordered = d->policy->ring_flags_ordered;
	uint64_t n = 0;

	for (;; n++) {
		struct dirty_gfn *e = &r->gfns[r->fetch_index & (DIRTY_RING_SIZE - 1)];
		/* Acquire pairs with the push's smp_wmb(): without it the gfn
		 * read below may be the slot's previous one. */
		uint32_t flags = ordered ? smp_load_acquire(&e->flags) : READ_ONCE(e->flags);
		gfn_t gfn;

		if (!(flags & KVM_DIRTY_GFN_F_DIRTY))
			return n;
		gfn = READ_ONCE(e->gfn);
		if (!apart && gfn < d->nr_gfns)
			dirty_log_report(d, gfn);
		/* Release: the entry is KVM's again only after we read it. */
		if (ordered)
			smp_store_release(&e->flags, KVM_DIRTY_GFN_F_RESET);
		else
			WRITE_ONCE(e->flags, KVM_DIRTY_GFN_F_RESET);
		if (apart && gfn < d->nr_gfns)
			hand_over(d, gfn);
		r->fetch_index++;
		sched_point();
	}
}

/* kvm_dirty_ring_reset() through kvm_reset_dirty_gfn(): every harvested
 * entry, in order, is write-protected under mmu_lock. Returns how many. */
static uint64_t ring_reset(struct kvm *kvm, struct dirty_log *d, struct dirty_ring *r,
			   bool *changed)
{
	uint64_t cleared = 0;

	for (;;) {
		uint32_t ri = shared_load_explicit(&r->reset_index, memory_order_relaxed);
		struct dirty_gfn *e = &r->gfns[ri & (DIRTY_RING_SIZE - 1)];
		gfn_t gfn;

		/* kvm_dirty_gfn_harvested(): acquire, as upstream. */
		if (!(smp_load_acquire(&e->flags) & KVM_DIRTY_GFN_F_RESET))
			break;
		gfn = READ_ONCE(e->gfn);
		WRITE_ONCE(e->flags, 0U);
		shared_store_explicit(&r->reset_index, ri + 1, memory_order_release);
		cleared++;
		if (gfn >= d->nr_gfns)
			continue;
		mmu_lock(kvm, MMU_LOCK_WRITE);
		*changed |= dirty_log_wrprot(kvm, d, gfn);
		mmu_unlock(kvm, MMU_LOCK_WRITE);
	}
	return cleared;
}

uint64_t dirty_ring_collect_all(struct dirty_log *d)
{
	uint64_t n = 0;

	for (int i = 0; i < d->nr_rings; i++)
		n += ring_collect(d, &d->rings[i], true);
	return n;
}

/* The resetter takes the whole hand-over before its reset begins. */
void dirty_ring_take_handed_over(struct dirty_log *d)
{
	uint64_t words = (d->nr_gfns + BITS_PER_LONG - 1) / BITS_PER_LONG;

	for (uint64_t i = 0; i < words; i++) {
		unsigned long mask;

		if (!READ_ONCE(d->handed_over[i]))
			continue;
		mask = xchg(&d->handed_over[i], 0UL);
		for (; mask; mask &= mask - 1)
			dirty_log_report(d, i * BITS_PER_LONG + (uint64_t)__builtin_ctzl(mask));
	}
}

/* KVM_RESET_DIRTY_RINGS: kvm_vm_ioctl_reset_dirty_pages(). */
bool dirty_ring_reset_all(struct kvm *kvm, struct dirty_log *d, bool *changed)
{
	uint64_t cleared = 0;

	for (int i = 0; i < d->nr_rings; i++)
		cleared += ring_reset(kvm, d, &d->rings[i], changed);
	return cleared > 0;
}

bool dirty_ring_harvest(struct kvm *kvm, struct dirty_log *d, bool *changed)
{
	bool apart = kvm->cfg.ring_reset_apart;

	for (int i = 0; i < d->nr_rings; i++)
		ring_collect(d, &d->rings[i], apart);
	/* Both halves on one thread (the quiesced check's last harvest when
	 * they are apart): what was handed over is reported now. */
	if (apart)
		dirty_ring_take_handed_over(d);
	return dirty_ring_reset_all(kvm, d, changed);
}
