/* SPDX-License-Identifier: GPL-2.0 */
/* Controlled runs: executions one fiber at a time (core/explore.c). */
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
/* The scheduler of the last execution: its decision log, its counts. */
const struct ctl *explore_last(void);
/* The whole controlled run (run_execute() calls it). */
void run_controlled(struct run *run);

#endif
