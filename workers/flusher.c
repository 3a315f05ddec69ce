// SPDX-License-Identifier: GPL-2.0
/*
 * The dirty-log path as a flusher: kvm_vm_ioctl_get_dirty_log() write-protects
 * a slot under mmu_lock and flushes remote TLBs. In 2009 it flushed after
 * dropping mmu_lock; today's flushes before. The policy says which, and what
 * the flush does with a deferred mark.
 */
#include "../model/flush.h"
#include "workers.h"

void dirty_log_flusher_worker(struct run *run, void *arg)
{
	struct kvm *kvm = &run_vm(run)->kvm;
	const struct flush_policy *policy = kvm->policy;

	(void)arg;
	worker_set_budget(run_vm(run)->cfg.work.exec_flushes);
	while (worker_keep_going()) {
		worker_pause(run_vm(run)->cfg.work.flusher_pause_us);
		mmu_lock(kvm, MMU_LOCK_WRITE);
		/* The write-protect itself changes nothing a lost-flush check
		 * needs here; its flush is what matters. */
		if (policy->dirty_log_flushes_under_lock)
			policy->flush(kvm);
		mmu_unlock(kvm, MMU_LOCK_WRITE);
		if (!policy->dirty_log_flushes_under_lock)
			policy->flush(kvm);
	}
}
