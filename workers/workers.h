/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Thread bodies. Each loops while worker_keep_going(); each draws every
 * choice from its own seeded PRNG (current_thread->rng).
 */
#ifndef LOSTFLUSH_WORKERS_H
#define LOSTFLUSH_WORKERS_H

#include "../engine/run.h"
#include "vm.h"

/* A vCPU: enters the guest, runs a guest program of reads, writes and
 * invlpg over the hot gfns, exits on kicks, faults, invlpg and time slices,
 * and serves requests before entering again. arg: the vCPU's index. */
void vcpu_worker(struct run *run, void *arg);
/* The host mm unmapping hot pages: MMU-notifier invalidation, then free. */
void invalidator_worker(struct run *run, void *arg);
/* The dirty-log path: write-protect under mmu_lock and flush (inside or
 * outside the lock, as the policy says). */
void dirty_log_flusher_worker(struct run *run, void *arg);
/* A zapper that flushes for itself (kvm_flush_remote_tlbs_cond()). */
void zapper_worker(struct run *run, void *arg);

/* Dirty-log reaper: enable logging, harvest and copy in the --log mode;
 * arg: harvests between turning logging off and on again (0: never). */
void reaper_worker(struct run *run, void *arg);
/* Write-tracker: track a hot gfn (write-protect it), release it. */
void tracker_worker(struct run *run, void *arg);
/* Ager: test_young and clear_young on hot gfns, no flush. */
void ager_worker(struct run *run, void *arg);
void puncher_worker(struct run *run, void *arg);
void memslot_worker(struct run *run, void *arg);

/* Add one vcpu_worker per vCPU of the run's VM, named v0, v1, ... */
void add_vcpu_workers(struct run *run);

/* Sleep up to max_us (uniformly), from the thread's PRNG; the pace of a
 * background worker, not a perturbation. */
void worker_pause(uint32_t max_us);
/* The calling worker's random stream (never NULL: workers run on a
 * thread context). */
struct rng *worker_rng(void) __attribute__((returns_nonnull));
/* A key from the thread's random stream as this execution seeded it,
 * without drawing from it: a side stream forked from it leaves the
 * thread's own draws as they were. */
uint64_t worker_stream_key(void);
/* A hot gfn, uniformly. */
gfn_t pick_hot_gfn(const struct run *run);

#endif
