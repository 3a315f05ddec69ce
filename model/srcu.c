// SPDX-License-Identifier: GPL-2.0
#include "srcu.h"

#include <urcu/urcu-memb.h>

#include "../engine/ctl.h"
#include "../engine/memmodel.h"
#include "../engine/sched.h"
#include "../engine/thread.h"
#include "mmu.h"
#include "spt.h"

#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define SRCU_TSAN 1
#endif
#endif
#ifdef __SANITIZE_THREAD__
#define SRCU_TSAN 1
#endif

/* ThreadSanitizer does not see liburcu's grace period (Debian's build is
 * not instrumented): every section's end releases this, and a grace
 * period's end acquires it, the edge SRCU guarantees. */
#ifdef SRCU_TSAN
#include <sanitizer/tsan_interface.h>
static char srcu_readers;
#define srcu_tsan_release() __tsan_release(&srcu_readers)
#define srcu_tsan_acquire() __tsan_acquire(&srcu_readers)
#else
#define srcu_tsan_release() ((void)0)
#define srcu_tsan_acquire() ((void)0)
#endif

/*
 * __srcu_read_lock()'s smp_mb() B after its count and __srcu_read_unlock()'s
 * smp_mb() C before its own: without C, a reader's store (a dirty bit it
 * set) could still sit in its store buffer when the grace period that
 * waited for it ends, and the updater would read around it. Modelled only
 * where memslots change, the one place a grace period is waited for, so
 * every other VM's executions stay as they were.
 */
static void srcu_reader_barrier(struct kvm *kvm)
{
	if (kvm->cfg.memslot_changes)
		smp_mb();
}

int kvm_srcu_read_lock(struct kvm *kvm)
{
	int idx;

	if (!lostflush_ctl) {
		spt_rcu_register_thread();
		urcu_memb_read_lock();
		return 0;
	}
	idx = kvm->ctl_srcu_idx;
	kvm->ctl_srcu_readers[idx]++;
	srcu_reader_barrier(kvm);
	return idx;
}

void kvm_srcu_read_unlock(struct kvm *kvm, int idx)
{
	if (!lostflush_ctl) {
		srcu_tsan_release();
		urcu_memb_read_unlock();
		return;
	}
	srcu_reader_barrier(kvm);
	kvm->ctl_srcu_readers[idx]--;
}

struct srcu_wait {
	struct kvm *kvm;
	int idx;
};

static bool readers_gone(void *arg)
{
	const struct srcu_wait *w = arg;

	return w->kvm->ctl_srcu_readers[w->idx] == 0;
}

void kvm_synchronize_srcu(struct kvm *kvm)
{
	struct srcu_wait w = { .kvm = kvm };

	if (!lostflush_ctl) {
		spt_rcu_register_thread();
		urcu_memb_synchronize_rcu();
		srcu_tsan_acquire();
		return;
	}
	/* Readers from now on count on the other index; wait for the ones
	 * counted on this one. */
	w.idx = kvm->ctl_srcu_idx;
	kvm->ctl_srcu_idx ^= 1;
	mm_release_all();
	ctl_wait_until(lostflush_ctl, current_thread->index, readers_gone, &w,
		       "synchronize_srcu: readers of the old memslots");
}
