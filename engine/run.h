/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One run: a subject (engine/subject.h) and the worker threads that hammer
 * it until the time is up, a failure stops them, or a signal does. The run
 * knows workers only as functions and the subject only by its table.
 */
#ifndef LOSTFLUSH_RUN_H
#define LOSTFLUSH_RUN_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "counters.h"
#include "ctl.h"
#include "memmodel.h"
#include "sched.h"
#include "subject.h"
#include "thread.h"

enum sched_mode {
	SCHED_FREE,    /* real threads on real cores, perturbed */
	SCHED_RANDOM,  /* one at a time, a seeded random choice at each point */
	SCHED_PCT,     /* one at a time, PCT priorities */
	SCHED_COVER,   /* one at a time, a search guided by the states reached */
	SCHED_POS,     /* one at a time, partial order sampling (engine/pos.h) */
	SCHED_SURW,    /* one at a time, selectively uniform (engine/surw.h) */
	SCHED_BOUNDED, /* every schedule up to a preemption bound (engine/bounded.h) */
};

/* --sched bounded's K at most, and bounded alone: more preemptions than
 * any search that ends will ever take. */
#define BOUNDED_MAX 64
#define BOUNDED_NONE 1000000

struct run_config {
	enum sched_mode sched;
	int pct_depth;
	uint64_t pct_steps; /* PCT's k, fixed; 0: learn it */
	int bound;	    /* --sched bounded:K: K; BOUNDED_NONE: no bound */
	/* Controlled modes: executions to run (0: until the duration is up)
	 * and the index of the first. */
	uint64_t executions;
	uint64_t first_execution;
	enum mem_model memory; /* controlled modes only */
	/* --sched cover: follow store reorderings (the variant asks). */
	bool cover_reorderings;
	/* Follow this schedule (a minimized one, replayed) instead. */
	const struct ctl_decision *guide;
	size_t guide_len;
	struct perturb_rates perturb;
	uint64_t seed;
	uint64_t duration_ns;
	bool keep_going;
	bool progress; /* a one-line display on a terminal */
};

struct run;
typedef void (*worker_fn)(struct run *run, void *arg);

#define RUN_MAX_WORKERS 80

struct worker {
	worker_fn fn;
	void *arg;
	struct thread_ctx *ctx;
	pthread_t tid;
	struct run *run;
};

struct run {
	struct run_config cfg;
	/* What the workers act on, and how the engine drives it. */
	void *subject;
	const struct subject_ops *subject_ops;
	struct perturb perturb;
	struct worker workers[RUN_MAX_WORKERS];
	int nr_workers;
	uint64_t t0_ns;
	uint64_t elapsed_ns;
	bool interrupted;
	uint64_t totals[COUNTER_SLOTS];
	uint64_t progress_ns;	 /* the display's last sample */
	uint64_t executions_run; /* controlled modes */
	/* The execution whose worker seeds the first failing one drew from:
	 * itself, or a search's origin, or a bounded search's 0. */
	uint64_t failing_execution;
	uint64_t failing_steps;	       /* its schedule points */
	uint64_t failing_pct_steps;    /* the k its PCT priorities used */
	uint64_t failing_trace_hash;   /* trace_hash() of its events */
	uint64_t failing_switches;     /* its context switches */
	struct ctl_decision *schedule; /* its decisions (malloc) */
	size_t schedule_len;
	uint64_t decisions;	      /* scheduler decisions, all executions */
	uint64_t cover_states;	      /* --sched cover: abstract states kept */
	bool cover_archive_full;      /* it reached its limit, kept no more */
	uint64_t cover_archive_bytes; /* what it held at the end */
	/* --sched bounded: the largest bound explored whole (-1: none), the
	 * bound it was at when it ended and that pass's schedules, whether
	 * nothing was left past it; the failing schedule's preemptions. */
	int bound_complete;
	int bound_reached;
	uint64_t bound_schedules;
	bool bound_exhaustive;
	int bug_depth;
};

/* A run of the subject at `subject` (its memory, built by ops->build());
 * -1 if the machine cannot hold it. */
int run_init(struct run *run, const struct run_config *cfg, void *subject,
	     const struct subject_ops *ops);
void run_destroy(struct run *run);
/* Add a worker named `name` (at most 15 characters) running fn(run, arg). */
void run_add_worker(struct run *run, const char *name, worker_fn fn, void *arg);
/* Take worker i out before the run starts; the later ones move down a
 * place, and their random streams follow their new places, as if they
 * had been added so. */
void run_remove_worker(struct run *run, int i);
/* Start every worker, wait for the end, join, sum the counters. */
void run_execute(struct run *run);
/* Sum of one counter over all threads (safe while they run). */
uint64_t run_counter(const struct run *run, int id);
/* Failures the subject has found in this execution (or run). */
static inline uint64_t run_failures(const struct run *run)
{
	return run->subject_ops->failures(run);
}
/* Array of thread contexts for trace_dump(). */
struct thread_ctx *const *run_threads(struct run *run, int *nr);

#endif
