// SPDX-License-Identifier: GPL-2.0
#include "sched.h"

#include <sched.h>
#include <time.h>

#include "bitops.h"

/* Defaults chosen so a default run keeps most of its speed (about one point
 * in 50 perturbed) while a marked window is stretched past a sleep in one
 * case in a hundred. Tuned by measuring time to detection of the buggy
 * variants over seed sweeps (scripts/sweep.sh); see the README. */
const struct perturb_rates perturb_defaults = {
	.spin = 0.02,
	.yield = 0.002,
	.sleep = 0.0002,
	.spin_max = 2000,
	.sleep_max_us = 200,
	.window_boost = 50,
};

static uint64_t scaled(double p, uint32_t boost)
{
	return rng_threshold(p * boost);
}

void perturb_init(struct perturb *p, const struct perturb_rates *r)
{
	p->spin_threshold = scaled(r->spin, 1);
	p->yield_threshold = scaled(r->yield, 1);
	p->sleep_threshold = scaled(r->sleep, 1);
	p->spin_max = r->spin_max;
	p->sleep_max_us = r->sleep_max_us;
	p->window_boost = r->window_boost ? r->window_boost : 1;
}

static uint64_t boosted(uint64_t threshold, uint32_t boost)
{
	if (boost <= 1)
		return threshold;
	return threshold > UINT64_MAX / boost ? UINT64_MAX : threshold * boost;
}

static void spin_for(struct rng *rng, uint32_t max)
{
	for (uint64_t n = rng_below(rng, (uint64_t)max + 1); n; n--)
		cpu_relax();
}

static void sleep_for(struct rng *rng, uint32_t max_us)
{
	uint64_t us = 1 + rng_below(rng, max_us ? max_us : 1);
	struct timespec ts = { .tv_sec = 0, .tv_nsec = (long)(us * 1000) };

	nanosleep(&ts, NULL);
}

void sched_perturb(struct thread_ctx *self, uint32_t boost)
{
	const struct perturb *p = self->perturb;
	uint64_t r = rng_next(&self->rng);

	/* One draw decides among the three, in order of cost: the sleep band
	 * first, then yield, then spin, so raising one rate never starves the
	 * rarer, longer delays. */
	uint64_t sleep = boosted(p->sleep_threshold, boost);
	uint64_t yield = sleep + boosted(p->yield_threshold, boost);
	uint64_t spin = yield + boosted(p->spin_threshold, boost);

	if (yield < sleep)
		yield = UINT64_MAX;
	if (spin < yield)
		spin = UINT64_MAX;
	if (r < sleep)
		sleep_for(&self->rng, p->sleep_max_us);
	else if (r < yield)
		sched_yield();
	else if (r < spin)
		spin_for(&self->rng, p->spin_max);
	else
		return;
	counter_add(&self->counters, CNT_PERTURBATIONS, 1);
}
