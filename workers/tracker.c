// SPDX-License-Identifier: GPL-2.0
/*
 * The write-tracker: shadow paging (or KVMGT) write-protecting a guest page
 * it must see every write to, and releasing it later.
 */
#include "../model/write_track.h"
#include "workers.h"

void tracker_worker(struct run *run, void *arg)
{
	struct kvm *kvm = &run_vm(run)->kvm;

	(void)arg;
	worker_set_budget(run_vm(run)->cfg.work.exec_tracks);
	while (worker_keep_going()) {
		gfn_t gfn = pick_hot_gfn(run);

		worker_pause(run_vm(run)->cfg.work.tracker_pause_us);
		kvm_write_track_add_gfn(kvm, gfn);
		worker_pause(run_vm(run)->cfg.work.tracker_pause_us);
		kvm_write_track_remove_gfn(kvm, gfn);
	}
}
