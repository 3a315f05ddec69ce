// SPDX-License-Identifier: GPL-2.0
/*
 * The puncher: userspace taking guest_memfd memory away, a small hole at a
 * time (fallocate(FALLOC_FL_PUNCH_HOLE), as a VMM converting or ballooning
 * pages does); the file runs the invalidation itself (model/guest_memfd.c).
 * A hole may span two slots bound to the same file.
 */
#include "../model/guest_memfd.h"
#include "workers.h"

void puncher_worker(struct run *run, void *arg)
{
	const struct workload *w = &run_vm(run)->cfg.work;
	struct kvm *kvm = &run_vm(run)->kvm;

	(void)arg;
	worker_set_budget(w->exec_punches);
	while (worker_keep_going()) {
		gfn_t gfn = pick_hot_gfn(run);
		uint64_t nr = 1 + rng_below(&current_thread->rng, w->unmap_pages_max);

		if (gfn + nr > kvm->cfg.nr_gfns)
			nr = kvm->cfg.nr_gfns - gfn;
		kvm_gmem_punch_hole(kvm, gfn, gfn + nr);
		worker_pause(w->punch_pause_us);
	}
}
