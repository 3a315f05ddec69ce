/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --sched pos: partial order sampling (Yuan, Yang and Gu, "Partial Order
 * Aware Concurrency Sampling", CAV 2018), in the shape of the Fray
 * project's POSScheduler.
 *
 * Every enabled entity (a fiber, or a fiber's store buffer) holds a random
 * priority; the highest acts. Then the one that acted, and every enabled
 * entity whose next step races with the step it took, draw new priorities.
 * Random walk favours orders of independent steps that come to the same
 * thing; POS draws each partial order of racing steps with more nearly
 * equal chance.
 *
 * What an entity's next step touches: a buffer's is the write of its
 * oldest store, known exactly. A fiber's is not known before it runs; it
 * is taken to be what that fiber's step from the same schedule point
 * touched the last time in this execution (engine/footprint.h), and a
 * step never seen from there races with everything. That is the one
 * departure from the paper, whose events name their variable up front.
 */
#ifndef LOSTFLUSH_POS_H
#define LOSTFLUSH_POS_H

#include "ctl.h"

extern const struct ctl_picker pos_picker;

/* The state of one execution's POS, fresh (its draws come from the
 * execution's scheduler stream). */
void *pos_begin(void);

#endif
