/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --sched surw: selectively uniform random walk (Zhao, Wolff, Ye,
 * Roychoudhury and Sen, "Selectively Uniform Concurrency Testing",
 * ASPLOS 2025), in the shape of the Fray project's SURWScheduler.
 *
 * Interesting events are steps from schedule points whose steps touched a
 * word another fiber also touched. SURW wants every interleaving of the
 * interesting events equally likely: each fiber carries a weight, the
 * number of interesting events it has left, and at each interesting event
 * the fiber to go is drawn in proportion to the weights; a fiber picked
 * at random whose next event is interesting but that is not the one drawn
 * waits (blocked) until the drawn one has gone. Steps that are not
 * interesting, and store buffers, go by plain random choice.
 *
 * The interesting points and the weights come from the run's first
 * execution, a plain random walk that counts each fiber's steps from each
 * point and notes which words more than one fiber touched (Fray learns
 * them over its first two; one pass gives the same counts). The weights
 * are the same for every later execution, so each is fixed by its seed
 * once the first has run.
 */
#ifndef LOSTFLUSH_SURW_H
#define LOSTFLUSH_SURW_H

#include "ctl.h"

/* The first execution's walk, which learns; then the weighted one. */
extern const struct ctl_picker surw_profile_picker;
extern const struct ctl_picker surw_picker;

/* Before the first execution: forget what was learnt. */
void *surw_profile_begin(void);
/* After it (c: its scheduler, ended): the interesting points and the
 * weights are fixed. */
void surw_profile_end(const struct ctl *c);
/* Before every later execution: weights from the profile, none blocked. */
void *surw_begin(void);
/* Interesting points and each fiber's weight, for the run's report. */
int surw_interesting_sites(void);
uint64_t surw_weight(int fiber);

#endif
