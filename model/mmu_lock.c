// SPDX-License-Identifier: GPL-2.0
/*
 * mmu_lock and the invalidation protocol (kvm_mmu_invalidate_begin/end,
 * mmu_invalidate_retry_gfn()): a reader-writer lock on real threads, a
 * predicate the controlled scheduler evaluates on fibers.
 */
#include "mmu.h"

#include <time.h>

#include "../engine/check.h"
#include "../engine/sched.h"
#include "../engine/thread.h"

static bool ctl_can_write(void *arg)
{
	const struct kvm *kvm = arg;

	return !kvm->ctl_writer && !kvm->ctl_readers;
}

static bool ctl_can_read(void *arg)
{
	return !((const struct kvm *)arg)->ctl_writer;
}

static void ctl_mmu_lock(struct kvm *kvm, enum mmu_lock_mode mode)
{
	int self = current_thread->index;

	if (mode == MMU_LOCK_WRITE) {
		ctl_wait_until(lostflush_ctl, self, ctl_can_write, kvm, "mmu_lock for write");
		kvm->ctl_writer = true;
	} else {
		ctl_wait_until(lostflush_ctl, self, ctl_can_read, kvm, "mmu_lock for read");
		kvm->ctl_readers++;
	}
}

static void ctl_mmu_unlock(struct kvm *kvm, enum mmu_lock_mode mode)
{
	/* spin_unlock() is a release: what the holder stored is visible
	 * before the next holder can look (ctl_wait_until() acquires). */
	mm_release_all();
	if (mode == MMU_LOCK_WRITE)
		kvm->ctl_writer = false;
	else
		kvm->ctl_readers--;
}

void mmu_lock(struct kvm *kvm, enum mmu_lock_mode mode)
{
	sched_point();
	if (lostflush_ctl)
		ctl_mmu_lock(kvm, mode);
	else if (mode == MMU_LOCK_WRITE)
		pthread_rwlock_wrlock(&kvm->mmu_lock);
	else
		pthread_rwlock_rdlock(&kvm->mmu_lock);
	trace(TR_LOCK, TRACE_NO_GFN, mode);
}

void mmu_unlock(struct kvm *kvm, enum mmu_lock_mode mode)
{
	trace(TR_UNLOCK, TRACE_NO_GFN, mode);
	if (lostflush_ctl)
		ctl_mmu_unlock(kvm, mode);
	else
		pthread_rwlock_unlock(&kvm->mmu_lock);
	sched_point();
}

/* kvm_mmu_invalidate_begin(), virt/kvm/kvm_main.c */
void kvm_mmu_invalidate_begin(struct kvm *kvm)
{
	long n = READ_ONCE(kvm->mmu_invalidate_in_progress) + 1;

	WRITE_ONCE(kvm->mmu_invalidate_in_progress, n);
	if (n == 1) {
		WRITE_ONCE(kvm->mmu_invalidate_range_start, INVALID_GFN);
		WRITE_ONCE(kvm->mmu_invalidate_range_end, INVALID_GFN);
	}
}

/* kvm_mmu_invalidate_range_add(): several invalidations in flight widen one
 * range, so a fault anywhere in any of them retries. */
void kvm_mmu_invalidate_range_add(struct kvm *kvm, gfn_t start, gfn_t end)
{
	gfn_t s = READ_ONCE(kvm->mmu_invalidate_range_start);
	gfn_t e = READ_ONCE(kvm->mmu_invalidate_range_end);

	HARNESS_ASSERT(READ_ONCE(kvm->mmu_invalidate_in_progress) > 0,
		       "range_add outside an invalidation");
	if (s == INVALID_GFN) {
		s = start;
		e = end;
	} else {
		s = start < s ? start : s;
		e = end > e ? end : e;
	}
	WRITE_ONCE(kvm->mmu_invalidate_range_start, s);
	WRITE_ONCE(kvm->mmu_invalidate_range_end, e);
}

/* kvm_mmu_invalidate_end() */
void kvm_mmu_invalidate_end(struct kvm *kvm)
{
	WRITE_ONCE(kvm->mmu_invalidate_seq, READ_ONCE(kvm->mmu_invalidate_seq) + 1);
	/* The new sequence must be visible before in_progress drops: a fault
	 * that sees in_progress == 0 must also see the bumped sequence, or it
	 * installs a pfn it looked up during the invalidation. Pairs with the
	 * smp_rmb() in mmu_invalidate_retry_gfn(). */
	smp_wmb();
	WRITE_ONCE(kvm->mmu_invalidate_in_progress, READ_ONCE(kvm->mmu_invalidate_in_progress) - 1);
	HARNESS_ASSERT(READ_ONCE(kvm->mmu_invalidate_in_progress) >= 0,
		       "mmu_invalidate_in_progress went negative");
}

/* The fault path's snapshot (kvm_faultin_pfn): the sequence is read before
 * the pfn is looked up; the smp_rmb() keeps the pfn lookup from being
 * satisfied before the sequence read, or a pfn from before an invalidation
 * could pass the retry check. */
unsigned long kvm_mmu_invalidate_seq_read(struct kvm *kvm)
{
	unsigned long seq = READ_ONCE(kvm->mmu_invalidate_seq);

	smp_rmb();
	return seq;
}

/* mmu_invalidate_retry(), include/linux/kvm_host.h; mmu_lock held. Any
 * invalidation in progress retries the fault, whatever its range: arm64's
 * user_mem_abort() asks this, where x86 asks the gfn form. */
bool mmu_invalidate_retry(struct kvm *kvm, unsigned long mmu_seq)
{
	if (READ_ONCE(kvm->mmu_invalidate_in_progress))
		return true;
	/* Pairs with the smp_wmb() in kvm_mmu_invalidate_end(). */
	smp_rmb();
	return READ_ONCE(kvm->mmu_invalidate_seq) != mmu_seq;
}

/* mmu_invalidate_retry_gfn(), include/linux/kvm_host.h; mmu_lock held. */
bool mmu_invalidate_retry_gfn(struct kvm *kvm, unsigned long mmu_seq, gfn_t gfn)
{
	if (READ_ONCE(kvm->mmu_invalidate_in_progress)) {
		gfn_t s = READ_ONCE(kvm->mmu_invalidate_range_start);
		gfn_t e = READ_ONCE(kvm->mmu_invalidate_range_end);

		/* No range yet means the range is about to be added: retry. */
		if (s == INVALID_GFN || (gfn >= s && gfn < e))
			return true;
	}
	/* Pairs with the smp_wmb() in kvm_mmu_invalidate_end(). */
	smp_rmb();
	return READ_ONCE(kvm->mmu_invalidate_seq) != mmu_seq;
}
