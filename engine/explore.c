// SPDX-License-Identifier: GPL-2.0
/*
 * Controlled runs: many short executions, each on a fresh model, each from
 * its own seed, one fiber at a time (engine/ctl.h) under the chosen memory
 * model (engine/memmodel.h). The first that fails keeps its decision list:
 * that is the schedule the report carries and minimization shrinks.
 */
#include "explore.h"

#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "interrupt.h"
#include "memmodel.h"
#include "pos.h"
#include "surw.h"
#include "trace.h"

static void fiber_main(void *p)
{
	struct worker *w = p;

	w->fn(w->run, w->arg);
}

uint64_t execution_seed(uint64_t seed, uint64_t index)
{
	uint64_t x = seed ^ (index * 0x9e3779b97f4a7c15ULL);

	return splitmix64(&x);
}

/* Each worker's PRNG and event ring start afresh; each worker sets its own
 * budget (worker_set_budget()). */
static void reset_workers(struct run *run, uint64_t seed)
{
	for (int i = 0; i < run->nr_workers; i++) {
		struct thread_ctx *ctx = run->workers[i].ctx;

		rng_seed(&ctx->rng, seed, (uint64_t)i + 1);
		trace_ring_reset(&ctx->ring);
	}
	trace_seq_reset();
}

static struct ctl the_ctl;

uint64_t explore_one(struct run *run, uint64_t index, const struct ctl_config *how)
{
	struct ctl_config cc = *how;

	cc.seed = execution_seed(run->cfg.seed, index);
	return explore_seeded(run, cc.seed, &cc);
}

uint64_t explore_seeded(struct run *run, uint64_t worker_seed, const struct ctl_config *cc)
{
	/* A fresh subject for each execution, the same shape. */
	run->subject_ops->reset(run);
	reset_workers(run, worker_seed);
	atomic_store(&lostflush_stop, false);
	mm_start(run->cfg.memory, run->nr_workers);
	ctl_init(&the_ctl, run->nr_workers, cc);
	for (int i = 0; i < run->nr_workers; i++)
		ctl_add_thread(&the_ctl, i, run->workers[i].ctx->name, fiber_main, &run->workers[i],
			       run->workers[i].ctx);
	lostflush_ctl = &the_ctl;
	ctl_run(&the_ctl);
	lostflush_ctl = NULL;
	/* Every fiber has returned: what waited for them (a retired page
	 * table, in the KVM model) is given back. */
	run->subject_ops->settle(run);
	mm_stop();
	/* Every store visible, every fiber done: the subject is at rest (not
	 * when a signal abandoned the execution where it stood). */
	if (run->subject_ops->check && !run_failures(run) && !the_ctl.abandoned)
		run->subject_ops->check(run, the_ctl.log_len);
	ctl_destroy(&the_ctl);
	run->decisions += the_ctl.log_len;
	return the_ctl.steps;
}

uint64_t explore_deadline(const struct run *run)
{
	if (run->cfg.duration_ns > UINT64_MAX - run->t0_ns)
		return 0;
	return run->t0_ns + run->cfg.duration_ns;
}

bool explore_cut_clean(const struct run *run)
{
	return (the_ctl.past_deadline || the_ctl.log_full) && !run_failures(run);
}

const struct ctl *explore_last(void)
{
	return &the_ctl;
}

void explore_keep_failing(struct run *run, uint64_t index, uint64_t steps)
{
	int nr;
	struct thread_ctx *const *threads = run_threads(run, &nr);

	run->failing_execution = index;
	run->failing_steps = steps;
	run->failing_trace_hash = trace_hash(threads, nr);
	run->failing_switches = the_ctl.switches;
	free(run->schedule);
	run->schedule = malloc(the_ctl.log_len * sizeof(*run->schedule) + 1);
	HARNESS_NEED(run->schedule, "memory", "a copy of the failing schedule (%zu decisions)",
		     the_ctl.log_len);
	memcpy(run->schedule, the_ctl.log, the_ctl.log_len * sizeof(*run->schedule));
	run->schedule_len = the_ctl.log_len;
}

static struct ctl_config strategy_of(const struct run *run, uint64_t estimate)
{
	struct ctl_config cc = {
		.strategy = run->cfg.sched == SCHED_PCT ? CTL_PCT : CTL_RANDOM,
		.pct_depth = run->cfg.pct_depth,
		.steps_estimate = estimate,
		.deadline_ns = explore_deadline(run),
	};

	if (run->cfg.sched == SCHED_POS || run->cfg.sched == SCHED_SURW) {
		cc.strategy = CTL_PICKER;
		cc.picker = run->cfg.sched == SCHED_POS ? &pos_picker : &surw_picker;
	}
	if (run->cfg.guide) {
		/* A replay runs its execution whole: cut at the duration, it
		 * would end clean where the schedule it follows fails. */
		cc.deadline_ns = 0;
		cc.strategy = CTL_GUIDED;
		cc.guide = run->cfg.guide;
		cc.guide_len = run->cfg.guide_len;
	}
	return cc;
}

/*
 * PCT's k. Its d-1 change points are drawn from 1..k; one drawn past the
 * end of an execution never fires, so an estimate twice too large halves
 * the chance of each. The first executions run with a generous guess; from
 * then on k is the longest execution seen, and grows when a longer one
 * comes. The k an execution used is in its replay line (pct:D:K), because
 * a replay runs that execution alone and could not learn it.
 */
#define PCT_GUESS_STEPS 200
#define PCT_LEARNING_EXECUTIONS 16

struct step_estimate {
	uint64_t k;	  /* what the next execution uses */
	uint64_t longest; /* decisions in the longest execution so far */
	uint64_t seen;	  /* executions measured */
};

static void estimate_learn(struct step_estimate *e, const struct run *run, uint64_t decisions)
{
	if (decisions > e->longest)
		e->longest = decisions;
	e->seen++;
	if (run->cfg.pct_steps)
		return;
	if (e->seen >= PCT_LEARNING_EXECUTIONS || e->longest > e->k)
		e->k = e->longest;
}

/* The state of a conflict-aware strategy for execution i. SURW's first
 * execution is its profile (engine/surw.h). */
static void *picker_begin(const struct run *run, uint64_t i, struct ctl_config *cc)
{
	if (run->cfg.sched == SCHED_POS)
		return pos_begin();
	if (i == run->cfg.first_execution) {
		cc->picker = &surw_profile_picker;
		return surw_profile_begin();
	}
	cc->picker = &surw_picker;
	return surw_begin();
}

bool explore_needs_footprints(enum sched_mode m)
{
	return m == SCHED_POS || m == SCHED_SURW || m == SCHED_BOUNDED;
}

/* Many short executions until one fails, the count or the time is reached,
 * or Ctrl-C. */
void run_controlled(struct run *run)
{
	struct step_estimate estimate = {
		.k = run->cfg.pct_steps ? run->cfg.pct_steps : PCT_GUESS_STEPS,
	};
	uint64_t last =
		run->cfg.executions ? run->cfg.first_execution + run->cfg.executions : UINT64_MAX;

	lostflush_footprints = explore_needs_footprints(run->cfg.sched) && !run->cfg.guide;

	for (uint64_t i = run->cfg.first_execution; i < last; i++) {
		struct ctl_config cc = strategy_of(run, estimate.k);
		uint64_t steps;

		if (interrupt_requested() || trace_now_ns() - run->t0_ns >= run->cfg.duration_ns)
			break;
		if (cc.strategy == CTL_PICKER)
			cc.picker_arg = picker_begin(run, i, &cc);
		steps = explore_one(run, i, &cc);
		if (cc.picker == &surw_profile_picker)
			surw_profile_end(&the_ctl);
		if (explore_cut_clean(run))
			break;
		run->executions_run++;
		if (run_failures(run)) {
			run->failing_pct_steps = estimate.k;
			explore_keep_failing(run, i, steps);
			break;
		}
		estimate_learn(&estimate, run, the_ctl.log_len);
	}
	lostflush_footprints = false;
	torture_stop();
}
