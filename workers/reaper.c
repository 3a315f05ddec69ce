// SPDX-License-Identifier: GPL-2.0
/*
 * The dirty-log reaper: migration's userspace. It turns logging on (and the
 * first full copy), then harvests in the VM's --log mode while the vCPUs
 * write, copying each reported page to the destination; with a cycle it
 * turns logging off and on again every `cycle` harvests, as a VMM that
 * toggles KVM_MEM_LOG_DIRTY_PAGES does. arg: the cycle (0: never).
 */
#include "../model/dirty_log.h"
#include "workers.h"

void reaper_worker(struct run *run, void *arg)
{
	struct kvm *kvm = &run_vm(run)->kvm;
	uint64_t cycle = (uint64_t)(uintptr_t)arg, step = 0;

	worker_set_budget(run_vm(run)->cfg.work.exec_harvests);
	dirty_log_enable(kvm);
	while (worker_keep_going()) {
		worker_pause(run_vm(run)->cfg.work.reaper_pause_us);
		if (cycle && ++step % cycle == 0) {
			dirty_log_disable(kvm);
			worker_pause(run_vm(run)->cfg.work.reaper_pause_us);
			dirty_log_enable(kvm);
			continue;
		}
		dirty_log_harvest(kvm);
	}
	/* A vCPU waiting for room in its ring would wait for ever. */
	atomic_store(&kvm->dirty_log->reaper_done, true);
}
