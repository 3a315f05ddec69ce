/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Cost counters. Each thread counts into its own cache-line-padded block, so
 * measuring never adds a shared cache line to the race being hunted; the run
 * sums the blocks when it reports. Every counter is a total.
 */
#ifndef LOSTFLUSH_COUNTERS_H
#define LOSTFLUSH_COUNTERS_H

#include <stdatomic.h>
#include <stdint.h>

/* Counter ids are the subject's (model/counter_ids.h), numbered from 0;
 * the engine counts one thing itself, in the last slot. The capacity is
 * the engine's and the count the subject's: a new model counter is one
 * line in the subject's list, and a slot no one names is not reported. */
#define COUNTER_SLOTS 64
#define CNT_PERTURBATIONS (COUNTER_SLOTS - 1) /* schedule points that delayed */

/* Written by one thread, read (relaxed) by the progress display. */
struct counters {
	_Atomic uint64_t v[COUNTER_SLOTS];
} __attribute__((aligned(64)));

static inline void counter_add(struct counters *c, int id, uint64_t n)
{
	/* Only the owning thread writes: a load and a store suffice and keep
	 * the hot path free of locked instructions. */
	atomic_store_explicit(&c->v[id], atomic_load_explicit(&c->v[id], memory_order_relaxed) + n,
			      memory_order_relaxed);
}

static inline uint64_t counter_read(const struct counters *c, int id)
{
	return atomic_load_explicit(&c->v[id], memory_order_relaxed);
}

#endif
