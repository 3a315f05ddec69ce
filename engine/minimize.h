/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Schedule minimization: shrink a failing controlled execution's decision
 * list while the same failure (as the subject tells it apart: for the KVM
 * model, the violation's kind and vCPU) still happens.
 */
#ifndef LOSTFLUSH_MINIMIZE_H
#define LOSTFLUSH_MINIMIZE_H

#include "ctl.h"
#include "run.h"

struct minimize_result {
	struct ctl_decision *schedule; /* malloc'd; up to the violation */
	size_t len;
	uint64_t switches_before, switches_after;
	size_t len_before;
	int threads_before, threads_after; /* fibers that ran before it */
	uint64_t tries;			   /* executions replayed */
	/* A signal (or want of memory) stopped it: schedule is the best found
	 * so far (NULL if none was), and the rings hold another execution. */
	bool interrupted;
};

/* Shrink run's failing schedule (run->schedule, execution
 * run->failing_execution). At most max_tries replays. On return the last
 * execution run is the minimized one, so its trace is in the rings, unless
 * out->interrupted. */
void minimize_schedule(struct run *run, uint64_t max_tries, struct minimize_result *out);

/* Run execution `index` following `guide`; true if its first failure is
 * `failure` (subject_ops.first_failure_id()). */
bool replay_guided(struct run *run, uint64_t index, const struct ctl_decision *guide, size_t len,
		   uint64_t failure);

#endif
