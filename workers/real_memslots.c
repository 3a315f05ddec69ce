// SPDX-License-Identifier: GPL-2.0
/*
 * The VMM changing the running kernel's memslots under its guest, as
 * memslot_modification_stress_test does, with dirty logging on: the
 * working set's slot is deleted and created again, or moved away and
 * back, in turn, and a one-page slot is added beside it and deleted. Once
 * KVM_SET_USER_MEMORY_REGION has returned the guest's accesses to the
 * slot's old addresses exit as MMIO (dropped stores, loads of zero); the
 * memory, which the VMM still maps, must not change until the slot is
 * back. A lock of the VMM's own keeps its harvests out of a change. The
 * interleaving is drawn at the top of the scenario file that runs this
 * worker.
 */
#include <stdlib.h>
#include <string.h>

#include "../engine/check.h"
#include "../engine/thread.h"
#include "real.h"
#include "workers.h"

/* Take the slot away: delete it, or move it away. */
static void take_slot_away(struct vm *vm, bool move)
{
	char why[256];
	int r = move ? real_vm_place_ws(&vm->real->vm, REAL_WS_ALT_GPA, why, sizeof(why))
		     : real_vm_delete_ws(&vm->real->vm, why, sizeof(why));

	if (move)
		trace(TR_MEMSLOT_MOVE, REAL_WS_GPA / REAL_PAGE_SIZE,
		      REAL_WS_ALT_GPA / REAL_PAGE_SIZE);
	else
		trace(TR_MEMSLOT_DELETE, REAL_WS_GPA / REAL_PAGE_SIZE, vm->real->vm.cfg.nr_pages);
	HARNESS_ASSERT(!r, "%s", why);
	count(CNT_MEMSLOT_CHANGES, 1);
}

static void give_slot_back(struct vm *vm, bool move)
{
	char why[256];

	HARNESS_ASSERT(!real_vm_place_ws(&vm->real->vm, REAL_WS_GPA, why, sizeof(why)), "%s", why);
	trace(move ? TR_MEMSLOT_MOVE : TR_MEMSLOT_CREATE,
	      (move ? REAL_WS_ALT_GPA : REAL_WS_GPA) / REAL_PAGE_SIZE,
	      move ? REAL_WS_GPA / REAL_PAGE_SIZE : vm->real->vm.cfg.nr_pages);
	count(CNT_MEMSLOT_CHANGES, 1);
	/* A new slot's bitmap knows nothing of what the old one held. */
	if (!move && vm->cfg.real_logs_dirty)
		real_log_first_copy(&vm->real->log, &vm->real->vm);
}

/* memslot_modification_stress_test's own change: a slot added beside the
 * working set and deleted again, each a zap of everything on x86 with the
 * default quirk, while the guest writes elsewhere. */
static void add_and_delete_extra(struct vm *vm)
{
	char why[256];

	for (int present = 1; present >= 0; present--) {
		HARNESS_ASSERT(!real_vm_extra_slot(&vm->real->vm, present, why, sizeof(why)), "%s",
			       why);
		trace(present ? TR_MEMSLOT_CREATE : TR_MEMSLOT_DELETE,
		      REAL_EXTRA_GPA / REAL_PAGE_SIZE, 1);
		count(CNT_MEMSLOT_CHANGES, 1);
	}
}

void real_memslot_worker(struct run *run, void *arg)
{
	struct vm *vm = run_vm(run);
	uint64_t pages = vm->real->vm.cfg.nr_pages;
	uint8_t *snapshot = malloc(pages * REAL_PAGE_SIZE);

	(void)arg;
	HARNESS_NEED(snapshot, "memory", "a snapshot of %llu pages", (unsigned long long)pages);
	for (uint64_t step = 0; worker_keep_going(); step++) {
		bool move = step & 1;

		pthread_mutex_lock(&vm->real->vmm_lock);
		/* A new value for the guest to write: a write that lands in
		 * the window must change what the snapshot holds. */
		real_vm_set_iteration(&vm->real->vm, ++vm->real->iteration);
		if (!vm->cfg.real_skips_slot_change)
			take_slot_away(vm, move);
		memcpy(snapshot, vm->real->vm.ws, pages * REAL_PAGE_SIZE);
		real_hold_window(run);
		real_compare_range(vm, 0, pages, snapshot, VIOL_STALE_TLB_AFTER_SLOT_CHANGE);
		if (!vm->cfg.real_skips_slot_change)
			give_slot_back(vm, move);
		add_and_delete_extra(vm);
		pthread_mutex_unlock(&vm->real->vmm_lock);
		worker_pause(vm->cfg.work.slot_pause_us);
	}
	free(snapshot);
}
