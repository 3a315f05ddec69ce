// SPDX-License-Identifier: GPL-2.0
/*
 * The dirty-log reaper: migration's userspace. It turns logging on (and the
 * first full copy), then harvests in the VM's --log mode while the vCPUs
 * write, copying each reported page to the destination; with a cycle it
 * turns logging off and on again every `cycle` harvests, as a VMM that
 * toggles KVM_MEM_LOG_DIRTY_PAGES does. arg: the cycle (0: never).
 *
 * With the rings reset apart (two reapers, kvm_config.ring_reset_apart)
 * the first reaper only collects, and the second calls
 * KVM_RESET_DIRTY_RINGS and copies: a VMM whose collector and resetter are
 * different threads, as the ring's interface allows.
 */
#include "../engine/shared.h"
#include "../engine/thread.h"
#include "../model/dirty_log.h"
#include "workers.h"

/* How many reapers of the run come before the calling one. */
static int reapers_before_me(const struct run *run)
{
	int n = 0;

	for (int i = 0; i < run->nr_workers && run->workers[i].ctx != current_thread; i++)
		n += run->workers[i].fn == reaper_worker;
	return n;
}

/* The second reaper: reset, flush, copy what the collector handed over. */
static void ring_resetter(struct run *run, struct kvm *kvm)
{
	if (dirty_log_wait_copied(kvm))
		while (worker_keep_going()) {
			worker_pause(run_vm(run)->cfg.work.reaper_pause_us);
			dirty_log_reset_rings(kvm);
		}
}

static void reap(struct run *run, struct kvm *kvm, uint64_t cycle)
{
	uint64_t step = 0;

	dirty_log_enable(kvm);
	while (worker_keep_going()) {
		worker_pause(run_vm(run)->cfg.work.reaper_pause_us);
		if (cycle && ++step % cycle == 0) {
			dirty_log_disable(kvm);
			worker_pause(run_vm(run)->cfg.work.reaper_pause_us);
			dirty_log_enable(kvm);
			continue;
		}
		if (kvm->cfg.ring_reset_apart)
			dirty_log_collect(kvm);
		else
			dirty_log_harvest(kvm);
	}
}

void reaper_worker(struct run *run, void *arg)
{
	struct kvm *kvm = &run_vm(run)->kvm;
	bool apart = kvm->cfg.ring_reset_apart;

	worker_set_budget(run_vm(run)->cfg.work.exec_harvests);
	if (apart && reapers_before_me(run) == 1)
		ring_resetter(run, kvm);
	else
		/* Apart, logging stays on: turning it off and on again while
		 * the resetter copies would need a lock of the VMM's own
		 * between the two, which orders them and hides what their
		 * split is for. */
		reap(run, kvm, apart ? 0 : (uint64_t)(uintptr_t)arg);
	/* A vCPU waiting for room in its ring would wait for ever; a
	 * resetter waiting for the first copy too. */
	shared_store(&kvm->dirty_log->reaper_done, true);
}
