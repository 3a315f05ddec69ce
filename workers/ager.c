// SPDX-License-Identifier: GPL-2.0
/*
 * The ager: the primary MMU's reclaim asking which pages were used
 * (mmu_notifier clear_flush_young, with the flush x86 elides since 6.13,
 * and test_young). Aged SPTEs become access-tracked; TLB entries filled
 * from them stay.
 */
#include "../model/arch_ops.h"
#include "workers.h"

void ager_worker(struct run *run, void *arg)
{
	struct kvm *kvm = &run_vm(run)->kvm;

	(void)arg;
	worker_set_budget(run_vm(run)->cfg.work.exec_agings);
	while (worker_keep_going()) {
		gfn_t gfn = pick_hot_gfn(run);

		worker_pause(run_vm(run)->cfg.work.ager_pause_us);
		/* test_young first, as reclaim's folio_referenced() does for
		 * a page it only looks at; then clear_young. */
		if (kvm->arch->age_gfn(kvm, gfn, false))
			kvm->arch->age_gfn(kvm, gfn, true);
		trace(TR_AGE, gfn, 0);
	}
}
