/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A worker thread's context: its name, its PRNG, its counters and its trace
 * ring. Every model step reaches it through `current_thread`, so schedule
 * points, counters and traces need no extra arguments.
 */
#ifndef LOSTFLUSH_THREAD_H
#define LOSTFLUSH_THREAD_H

#include <stdatomic.h>
#include <stdbool.h>

#include "counters.h"
#include "rng.h"
#include "trace.h"

struct perturb;

struct thread_ctx {
	struct counters counters;
	int index;
	char name[16];
	struct rng rng;
	const struct perturb *perturb;
	/* Loop iterations left in a controlled execution; 0: unbounded. */
	uint32_t budget;
	struct trace_ring ring;
	/* Controlled modes: the window (sched_window(), named by its
	 * function) this thread is stopped in, or NULL. */
	const char *window;
};

extern _Thread_local struct thread_ctx *current_thread;

/* The one stop flag every worker loop polls (rcutorture's
 * torture_must_stop()). Set by the run's end, a violation, or SIGINT. */
extern atomic_bool lostflush_stop;

static inline bool torture_must_stop(void)
{
	return atomic_load_explicit(&lostflush_stop, memory_order_acquire);
}

static inline void torture_stop(void)
{
	atomic_store_explicit(&lostflush_stop, true, memory_order_release);
}

struct ctl;
/* The controlled scheduler of the execution running now; NULL in free mode. */
extern struct ctl *lostflush_ctl;

/* In a controlled execution a worker loops `iterations` times; in free
 * mode until stopped. */
static inline void worker_set_budget(uint32_t iterations)
{
	if (current_thread)
		current_thread->budget = lostflush_ctl ? iterations + 1 : 0;
}

/* A worker loop's condition: not stopped, and budget left in a controlled
 * execution (whose workers do a fixed amount of work, then exit). */
static inline bool worker_keep_going(void)
{
	if (torture_must_stop())
		return false;
	if (!current_thread || !current_thread->budget)
		return true;
	if (current_thread->budget == 1)
		return false;
	current_thread->budget--;
	return true;
}

static inline void count(int id, uint64_t n)
{
	if (current_thread)
		counter_add(&current_thread->counters, id, n);
}

static inline void trace(int ev, uint64_t a, uint64_t b)
{
	if (current_thread)
		trace_ring_add(&current_thread->ring, ev, a, b, trace_now_ns());
}

/* An event stamped with a time taken earlier (a violation is stamped with
 * the moment of the use that proved it). */
static inline void trace_at(int ev, uint64_t a, uint64_t b, uint64_t t_ns)
{
	if (current_thread)
		trace_ring_add(&current_thread->ring, ev, a, b, t_ns);
}

#endif
