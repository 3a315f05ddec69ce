/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The running kernel's KVM as what a run's workers act on
 * (vm_config.real_kernel): the VM on /dev/kvm (real/kvm_vm.h), the
 * migration's copy of its working set (real/dirty_log.h), and the
 * iteration number the reaper advances. vCPU threads run the guest
 * program; the reaper harvests and copies; the subject's check stops
 * nothing (the workers have stopped), lets each vCPU run one more
 * iteration, harvests a last time and compares every page with its copy,
 * as dirty_log_test verifies a round.
 */
#ifndef LOSTFLUSH_REAL_H
#define LOSTFLUSH_REAL_H

#include <pthread.h>
#include <stdint.h>

#include "../real/dirty_log.h"
#include "../real/kvm_vm.h"

struct run;
struct vm;

struct real_run {
	struct real_vm vm;
	struct real_log log;
	_Atomic uint64_t iteration;
	/* The VMM's own lock between its memslot changes and its harvests:
	 * a harvest never asks for a slot that is being deleted, and a slot
	 * created anew is copied whole before the next harvest. */
	pthread_mutex_t vmm_lock;
	/* vCPU i's store was dropped since its last iteration ended: its
	 * read-back differs, as it must. */
	bool dropped[REAL_MAX_VCPUS];
};

/* Build vm->real from vm->cfg; on failure the host lacks what the kernel
 * needs (exit 3, the reason printed). */
void real_run_create(struct vm *vm);
void real_run_destroy(struct vm *vm);
/* The check after the workers stopped (engine/subject.h: check). */
void real_run_check(struct run *run);

void real_vcpu_worker(struct run *run, void *arg);
void real_reaper_worker(struct run *run, void *arg);
/* workers/real_invalidator.c */
void real_invalidator_worker(struct run *run, void *arg);
/* workers/real_memslots.c */
void real_memslot_worker(struct run *run, void *arg);
/* The window after the host took something away from the guest: open
 * until every vCPU has run two iterations, or an access of theirs was
 * refused, or 20 ms went by on a machine too busy to run them. */
void real_hold_window(struct run *run);
/* Each page of the working set's pages [first, first + n) against
 * snapshot: kind reported for the first word of each that changed. */
void real_compare_range(struct vm *vm, uint64_t first, uint64_t n, const uint8_t *snapshot,
			int kind);

#endif
