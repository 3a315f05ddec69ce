// SPDX-License-Identifier: GPL-2.0
/*
 * Controlled runs: many short executions, each on a fresh model, each from
 * its own seed, one fiber at a time (core/ctl.h) under the chosen memory
 * model (core/memmodel.h). The first that fails keeps its decision list:
 * that is the schedule the report carries and minimization shrinks.
 */
#include "explore.h"

#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "memmodel.h"
#include "trace.h"

static void fiber_main(void *p)
{
	struct worker *w = p;

	w->fn(w->run, w->arg);
}

/* A fresh model for each execution, the same arch and policy. */
static void reset_model(struct run *run)
{
	const struct mmu_arch_ops *arch = run->kvm.arch;
	const struct flush_policy *policy = run->kvm.policy;

	kvm_destroy(&run->kvm);
	HARNESS_ASSERT(!kvm_create(&run->kvm, &run->cfg.kvm), "cannot rebuild the model");
	run->kvm.arch = arch;
	run->kvm.policy = policy;
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
	reset_model(run);
	reset_workers(run, cc.seed);
	oracle_forget(&run->oracle);
	atomic_store(&lostflush_stop, false);
	mm_start(run->cfg.memory, run->nr_workers);
	ctl_init(&the_ctl, run->nr_workers, &cc);
	for (int i = 0; i < run->nr_workers; i++)
		ctl_add_thread(&the_ctl, i, run->workers[i].ctx->name, fiber_main,
			       &run->workers[i], run->workers[i].ctx);
	lostflush_ctl = &the_ctl;
	ctl_run(&the_ctl);
	lostflush_ctl = NULL;
	mm_stop();
	ctl_destroy(&the_ctl);
	run->decisions += the_ctl.log_len;
	return the_ctl.steps;
}

const struct ctl *explore_last(void)
{
	return &the_ctl;
}

static void keep_failing_schedule(struct run *run, uint64_t index, uint64_t steps)
{
	int nr;
	struct thread_ctx *const *threads = run_threads(run, &nr);

	run->failing_execution = index;
	run->failing_steps = steps;
	run->failing_trace_hash = trace_hash(threads, nr);
	run->failing_switches = the_ctl.switches;
	free(run->schedule);
	run->schedule = malloc(the_ctl.log_len * sizeof(*run->schedule) + 1);
	HARNESS_ASSERT(run->schedule, "out of memory for the schedule");
	memcpy(run->schedule, the_ctl.log, the_ctl.log_len * sizeof(*run->schedule));
	run->schedule_len = the_ctl.log_len;
}

static struct ctl_config strategy_of(const struct run *run, uint64_t estimate)
{
	struct ctl_config cc = {
		.strategy = run->cfg.sched == SCHED_PCT ? CTL_PCT : CTL_RANDOM,
		.pct_depth = run->cfg.pct_depth,
		.steps_estimate = estimate,
	};

	if (run->cfg.guide) {
		cc.strategy = CTL_GUIDED;
		cc.guide = run->cfg.guide;
		cc.guide_len = run->cfg.guide_len;
	}
	return cc;
}

/* Many short executions until one fails, the count or the time is reached,
 * or Ctrl-C. */
void run_controlled(struct run *run)
{
	/* PCT's change points fall within the estimate of the decisions in an
	 * execution: start from a guess and keep the longest seen. */
	uint64_t estimate = 200;
	uint64_t last = run->cfg.executions ? run->cfg.first_execution + run->cfg.executions
					    : UINT64_MAX;

	for (uint64_t i = run->cfg.first_execution; i < last; i++) {
		struct ctl_config cc = strategy_of(run, estimate);
		uint64_t steps;

		if (run_sigint_seen() || trace_now_ns() - run->t0_ns >= run->cfg.duration_ns)
			break;
		steps = explore_one(run, i, &cc);
		run->executions_run++;
		if (the_ctl.log_len > estimate)
			estimate = the_ctl.log_len;
		if (atomic_load(&run->oracle.nr_violations)) {
			keep_failing_schedule(run, i, steps);
			break;
		}
	}
	torture_stop();
}
