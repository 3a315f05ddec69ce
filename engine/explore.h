/* SPDX-License-Identifier: GPL-2.0 */
/* Controlled runs: executions one fiber at a time (engine/explore.c). */
#ifndef LOSTFLUSH_EXPLORE_H
#define LOSTFLUSH_EXPLORE_H

#include "ctl.h"
#include "run.h"

/* Execution `index` of a run derives its seed from the run's seed. */
uint64_t execution_seed(uint64_t seed, uint64_t index);
/* Run execution `index` once on a fresh model with strategy `how` (its seed
 * is ignored: the execution's own is used). Returns its schedule points;
 * the oracle holds only this execution's violations. */
uint64_t explore_one(struct run *run, uint64_t index, const struct ctl_config *how);
/* The same on a fresh model whose workers draw from worker_seed, the
 * scheduler from cc->seed (the state search runs a kept prefix with the
 * worker seeds it was found with, and decides on with a new seed). */
uint64_t explore_seeded(struct run *run, uint64_t worker_seed, const struct ctl_config *cc);
/* The last execution failed: keep its decisions, hash and counts as the
 * run's failing execution, under index `index` (whose seed its workers
 * drew from). */
void explore_keep_failing(struct run *run, uint64_t index, uint64_t steps);
/* When the run's --duration is up, for ctl_config.deadline_ns (0: never,
 * a duration past the clock's range). */
uint64_t explore_deadline(const struct run *run);
/* The last execution was cut where it stood, by its deadline or for want
 * of room for its log, and found nothing before the cut: it is not counted
 * among the executions run, and the run ends. One that found a failure
 * before the cut is counted and kept: what it found happened. */
bool explore_cut_clean(const struct run *run);
/* The scheduler of the last execution: its decision log, its counts. */
const struct ctl *explore_last(void);
/* The strategy reads footprints (engine/footprint.h): noting must be on. */
bool explore_needs_footprints(enum sched_mode m);
/* The whole controlled run (run_execute() calls it). */
void run_controlled(struct run *run);

#endif
