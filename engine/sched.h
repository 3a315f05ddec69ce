/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Schedule points. Every shared step of the model calls sched_point(); the
 * free-running scheduler decides there, from the thread's own seeded PRNG,
 * whether to stretch the window the step opens: a short spin, a
 * sched_yield(), or a short sleep (rcutorture's stutter, liburcu's
 * DEBUG_YIELD). Rare windows then open often, and ThreadSanitizer watches
 * real threads on real cores.
 *
 * Under a controlled scheduler (engine/ctl.h) a point is instead where the
 * scheduler may switch threads; nothing is perturbed.
 */
#ifndef LOSTFLUSH_SCHED_H
#define LOSTFLUSH_SCHED_H

#include <stdint.h>

#include "ctl.h"
#include "thread.h"
#include "tsan_report.h"

struct perturb {
	uint64_t spin_threshold; /* rng_chance() thresholds, per point */
	uint64_t yield_threshold;
	uint64_t sleep_threshold;
	uint32_t spin_max;     /* cpu_relax() iterations at most */
	uint32_t sleep_max_us; /* microseconds at most */
	uint32_t window_boost; /* chance multiplier at sched_window() */
};

/* Rates as probabilities per schedule point. */
struct perturb_rates {
	double spin, yield, sleep;
	uint32_t spin_max;
	uint32_t sleep_max_us;
	uint32_t window_boost;
};

extern const struct perturb_rates perturb_defaults;

void perturb_init(struct perturb *p, const struct perturb_rates *rates);
void sched_perturb(struct thread_ctx *self, uint32_t boost);

#define SCHED_STR2(x) #x
#define SCHED_STR(x) SCHED_STR2(x)
/* Where a point is in the code: the schedulers that learn what the step
 * after a point touches (engine/footprint.h) key it by this. */
#define SCHED_SITE __FILE__ ":" SCHED_STR(__LINE__)

/* A shared step of the model: delay here, maybe. */
#define sched_point() sched_point_at(SCHED_SITE)

static inline void sched_point_at(const char *site)
{
	tsan_report_poll();
	if (lostflush_ctl && current_thread) {
		ctl_point_at(lostflush_ctl, current_thread->index, site);
		return;
	}
	if (current_thread && current_thread->perturb)
		sched_perturb(current_thread, 1);
}

/*
 * A point inside a window the code under test opens on purpose (between a
 * flush request and the clear that follows it, between the load and the store
 * of a plain increment): the chance of a delay is multiplied by window_boost.
 * A buggy variant marks the places its fixed form has too (a window that
 * exists only in the bug, inside a plain increment, is marked alone), so
 * widening never favours the fixed form; it only makes a narrow window as
 * likely to be hit as a wide one.
 *
 * Under a controlled scheduler every point is a possible switch already: no
 * widening is needed, but the fiber records which window it is stopped in
 * (its function names it), because being stopped there is part of the
 * state the state search (engine/cover.h) tells apart.
 */
#define sched_window() sched_window_at(__func__, SCHED_SITE)

static inline void sched_window_at(const char *window, const char *site)
{
	tsan_report_poll();
	if (lostflush_ctl && current_thread) {
		current_thread->window = window;
		ctl_point_at(lostflush_ctl, current_thread->index, site);
		current_thread->window = NULL;
		return;
	}
	if (current_thread && current_thread->perturb)
		sched_perturb(current_thread, current_thread->perturb->window_boost);
}

#endif
