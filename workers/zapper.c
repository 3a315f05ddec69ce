// SPDX-License-Identifier: GPL-2.0
/*
 * A zapper that does its own flush, as rmap_write_protect() callers and
 * kvm_mmu_zap_page() did: zap under mmu_lock, then
 * kvm_flush_remote_tlbs_cond(kvm, zapped), which must also settle a deferred
 * mark it finds.
 */
#include "../model/arch_ops.h"
#include "../model/flush.h"
#include "workers.h"

void zapper_worker(struct run *run, void *arg)
{
	struct kvm *kvm = &run_vm(run)->kvm;

	(void)arg;
	worker_set_budget(run_vm(run)->cfg.work.exec_zaps);
	while (worker_keep_going()) {
		bool zapped;

		worker_pause(run_vm(run)->cfg.work.zapper_pause_us);
		mmu_lock(kvm, MMU_LOCK_WRITE);
		zapped = kvm->arch->zap_gfn(kvm, pick_hot_gfn(run));
		kvm->policy->flush_cond(kvm, zapped);
		mmu_unlock(kvm, MMU_LOCK_WRITE);
	}
}
