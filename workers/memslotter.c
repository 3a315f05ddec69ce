// SPDX-License-Identifier: GPL-2.0
/*
 * The memslots worker: userspace deleting the VM's last memslot and
 * creating it again while vCPUs fault and the host reclaims
 * (memslot_modification_stress_test's shape). Between the two it frees the
 * slot's memory, as a VMM that unplugs it does: munmap() once the delete
 * has returned, so a translation that outlived the delete maps a freed
 * frame. Where the VM lets it move the slot (kvm_config.memslot_moves),
 * each change is the next of four: move it to the spare gfns above it,
 * move it back, delete it (and free its memory), create it again.
 */
#include "../model/memslots.h"
#include "../model/notifier.h"
#include "workers.h"

/* The slot's host pages, unmapped and freed a notifier-sized run at a
 * time; the notifier finds no slot over them once the delete is done. */
static void free_slot_memory(struct kvm *kvm, gfn_t base_gfn, uint64_t npages)
{
	for (uint64_t done = 0; done < npages;) {
		uint64_t nr = npages - done < 64 ? npages - done : 64;
		uint64_t hva = gfn_layout_hva(kvm, base_gfn + done);

		host_unmap_range(kvm, hva, hva + nr);
		done += nr;
	}
}

/* The next change of the moving cycle. */
static void change_moving_slot(struct kvm *kvm, const struct kvm_memory_slot *shape, int step)
{
	switch (step % 4) {
	case 0: kvm_move_memslot(kvm, shape->id, kvm->move_base); break;
	case 1: kvm_move_memslot(kvm, shape->id, shape->base_gfn); break;
	case 2:
		kvm_delete_memslot(kvm, shape->id);
		free_slot_memory(kvm, shape->base_gfn, shape->npages);
		break;
	default: kvm_create_memslot(kvm, shape->id, shape->base_gfn, shape->npages);
	}
}

void memslot_worker(struct run *run, void *arg)
{
	const struct workload *w = &run_vm(run)->cfg.work;
	struct kvm *kvm = &run_vm(run)->kvm;
	int id = kvm->nr_memslots - 1;
	/* Userspace's record of the slot, not the live set: another memslots
	 * worker may have moved the slot, or freed the set, already. */
	struct kvm_memory_slot shape = kvm_memslot_initial(kvm, id);

	(void)arg;
	worker_set_budget(w->exec_slot_changes);
	for (int step = 0; kvm->move_pages && worker_keep_going(); step++) {
		change_moving_slot(kvm, &shape, step);
		worker_pause(w->slot_pause_us);
	}
	while (!kvm->move_pages && worker_keep_going()) {
		kvm_delete_memslot(kvm, id);
		free_slot_memory(kvm, shape.base_gfn, shape.npages);
		worker_pause(w->slot_pause_us);
		kvm_create_memslot(kvm, id, shape.base_gfn, shape.npages);
		worker_pause(w->slot_pause_us);
	}
}
