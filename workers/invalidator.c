// SPDX-License-Identifier: GPL-2.0
/* The host mm reclaiming hot pages one small range at a time: each unmap runs
 * the MMU notifier and then frees the frames (model/notifier.c). */
#include "../model/memslots.h"
#include "../model/notifier.h"
#include "workers.h"

void invalidator_worker(struct run *run, void *arg)
{
	const struct workload *w = &run_vm(run)->cfg.work;

	(void)arg;
	worker_set_budget(run_vm(run)->cfg.work.exec_invalidations);
	while (worker_keep_going()) {
		gfn_t gfn = pick_hot_gfn(run);
		uint64_t nr = 1 + rng_below(&current_thread->rng, w->unmap_pages_max);
		uint64_t hva = gfn_layout_hva(&run_vm(run)->kvm, gfn);

		if (hva + nr > run_vm(run)->kvm.mem.nr_pages)
			nr = run_vm(run)->kvm.mem.nr_pages - hva;
		host_unmap_range(&run_vm(run)->kvm, hva, hva + nr);
		worker_pause(w->invalidate_pause_us);
	}
}
