/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Controlled scheduling: real pthreads, exactly one of which runs at a time.
 *
 * Each thread runs until its next ctl_point(); there the running thread asks
 * the strategy which thread runs next and hands the CPU over (a semaphore
 * post to the chosen one, a wait on its own). Because only the running
 * thread touches the scheduler's state or the model, an execution is fixed
 * by the seed and the strategy, and the list of decisions replays it.
 *
 * Strategies:
 *   random  every point picks uniformly among the runnable threads;
 *   pct     PCT (Burckhardt, Kothari, Musuvathi, Nagarakatte, ASPLOS 2010):
 *           random distinct priorities, the highest runnable thread runs,
 *           and at d-1 random steps the running thread drops below all
 *           others. A bug of depth d shows with probability at least
 *           1 / (n k^(d-1)) per execution, n threads, k steps.
 *
 * Blocking is known to the scheduler: a thread waits with
 * ctl_wait_until(pred), and is runnable only when pred holds, so a spin in
 * the model never livelocks the scheduler, and when nobody is runnable the
 * execution has deadlocked: the harness fails (exit 4) naming every thread
 * and what it waits for.
 */
#ifndef LOSTFLUSH_CTL_H
#define LOSTFLUSH_CTL_H

#include <semaphore.h>
#include <stdbool.h>
#include <stdint.h>

#include "rng.h"

#define CTL_MAX_THREADS 80
#define CTL_MAX_DEPTH 8

enum ctl_strategy {
	CTL_RANDOM,
	CTL_PCT,
};

struct ctl_config {
	enum ctl_strategy strategy;
	int pct_depth;          /* d: d-1 priority change points */
	uint64_t steps_estimate; /* k: change points fall in [1, k] */
	uint64_t seed;
};

struct ctl_thread {
	sem_t wake;
	bool started, exited;
	int priority;
	bool (*wait_pred)(void *arg); /* NULL: not waiting */
	void *wait_arg;
	const char *wait_what;
	char name[16];
};

struct ctl {
	struct ctl_config cfg;
	int nr_threads;
	int nr_started;
	int current;     /* the thread that runs; -1 before the start */
	uint64_t steps;  /* schedule points passed */
	uint64_t switches; /* decisions that changed the running thread */
	uint64_t change_points[CTL_MAX_DEPTH];
	struct rng rng;
	sem_t all_started, done;
	struct ctl_thread threads[CTL_MAX_THREADS];
};

void ctl_init(struct ctl *c, int nr_threads, const struct ctl_config *cfg);
void ctl_destroy(struct ctl *c);

/* A worker's first call: wait to be scheduled for the first time. */
void ctl_thread_start(struct ctl *c, int id, const char *name);
/* A worker's last call: hand over for good. */
void ctl_thread_exit(struct ctl *c, int id);
/* From the controlling thread, once every worker is created: run the
 * execution to its end (every worker exited). */
void ctl_run(struct ctl *c);

/* A schedule point of thread id: maybe another thread runs now. */
void ctl_point(struct ctl *c, int id);
/* Block thread id until pred(arg) holds; `what` names the wait for a
 * deadlock report. */
void ctl_wait_until(struct ctl *c, int id, bool (*pred)(void *arg), void *arg,
		    const char *what);

#endif
