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
	/* Each vCPU's iteration as the host replays it (workers/real_verify.c). */
	struct real_track {
		uint64_t r8;	    /* the random state its iteration starts from */
		uint64_t start_seq; /* inv_seq when the iteration first ran */
		bool at_start;	    /* the guest is at its loop's start */
		bool interrupted;   /* an exit other than its last came between */
	} track[REAL_MAX_VCPUS];
	/* The host's invalidations of guest memory, for the replay: each
	 * range's pages are marked busy (UINT64_MAX) while one runs, then
	 * with the sequence number it ended at. */
	_Atomic uint64_t inv_seq;
	_Atomic uint64_t *page_busy;
	/* Held for write while part of the working set is unmapped (remap),
	 * for read while a vCPU's iteration is checked. */
	pthread_rwlock_t ws_map_lock;
};

/* Build vm->real from vm->cfg, its guests' random streams from seed; on
 * failure the host lacks what the kernel needs (exit 3, the reason
 * printed). */
void real_run_create(struct vm *vm, uint64_t seed);
void real_run_destroy(struct vm *vm);
/* The check after the workers stopped (engine/subject.h: check). */
void real_run_check(struct run *run);

void real_vcpu_worker(struct run *run, void *arg);
void real_reaper_worker(struct run *run, void *arg);
void real_collector_worker(struct run *run, void *arg);
/* workers/real_verify.c: every write of an iteration that ran whole,
 * with no invalidation of its pages meanwhile, is in the page the host
 * sees when the vCPU exits (stale-tlb-after-free otherwise). */
void real_track_init(struct vm *vm);
void real_track_enter(struct vm *vm, int v);
void real_track_exit(struct vm *vm, int v, int exit);
/* The host's invalidation of pages [first, first + n) begins, or ends. */
void real_pages_busy(struct real_run *r, uint64_t first, uint64_t n);
void real_pages_done(struct real_run *r, uint64_t first, uint64_t n);

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
