// SPDX-License-Identifier: GPL-2.0
/*
 * A litmus test behind the engine's subject table (engine/subject.h), as
 * the KVM model is behind it in workers/vm.c. Nothing here fails: an
 * outcome the condition looks for is counted, not reported, so every
 * execution runs, and the verdict is drawn from the counts at the end.
 */
#include "subject.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../engine/check.h"
#include "../engine/cover.h"
#include "../engine/memmodel.h"

static struct litmus_subject *subject_of(const struct run *run)
{
	return run->subject;
}

/* Each execution starts from the test's initial state: its values, a
 * pointer's target, registers 0, no lock held, no reader inside. */
static void start_state(struct litmus_subject *s)
{
	const struct litmus_test *t = s->test;

	for (int i = 0; i < t->nr_locs; i++) {
		const struct litmus_loc *l = &t->locs[i];
		int64_t v = l->init_loc >= 0 ? litmus_addr(s, l->init_loc) : l->init;

		atomic_store_explicit(&s->cell[i], (uint64_t)v, memory_order_relaxed);
		mm_name(&s->cell[i], "%s", l->name);
	}
	memset(s->regs, 0, sizeof(s->regs));
	memset(s->steps, 0, sizeof(s->steps));
	memset(s->rcu_nesting, 0, sizeof(s->rcu_nesting));
	memset(s->rcu_sections, 0, sizeof(s->rcu_sections));
}

static int litmus_build(struct run *run)
{
	start_state(subject_of(run));
	return 0;
}

static void litmus_reset(struct run *run)
{
	start_state(subject_of(run));
}

static void litmus_destroy(struct run *run)
{
	(void)run;
}

static void litmus_start(struct run *run)
{
	(void)run;
}

static void litmus_thread_nothing(void)
{
}

static void litmus_settle(struct run *run)
{
	(void)run;
}

/* The execution is at rest: every store visible, every thread done. */
static void litmus_check(struct run *run, uint64_t end_decision)
{
	struct litmus_subject *s = subject_of(run);
	const struct litmus_test *t = s->test;
	int64_t v[LITMUS_MAX_THREADS * LITMUS_MAX_REGS + LITMUS_MAX_LOCS];
	int64_t addr[LITMUS_MAX_LOCS];
	int n = 0;

	(void)end_decision;
	for (int th = 0; th < t->nr_threads; th++)
		for (int r = 0; r < t->threads[th].nr_regs; r++)
			v[n++] = s->regs[th][r];
	for (int i = 0; i < t->nr_observed; i++)
		v[n++] = (int64_t)atomic_load_explicit(&s->cell[t->observed[i]],
						       memory_order_relaxed);
	for (int i = 0; i < t->nr_locs; i++)
		addr[i] = litmus_addr(s, i);
	litmus_outcomes_add(&s->outcomes, v, litmus_cond_holds(t, t->cond, v, addr));
}

static uint64_t litmus_none(const struct run *run)
{
	(void)run;
	return 0;
}

/* The state search tells apart: how far each thread is, what its
 * registers hold, and shared memory as it is. */
static uint64_t litmus_signature(const struct run *run, uint64_t h)
{
	const struct litmus_subject *s = subject_of(run);
	const struct litmus_test *t = s->test;

	for (int th = 0; th < t->nr_threads; th++) {
		h = cover_mix(h, s->steps[th]);
		h = cover_mix(h, (uint64_t)s->rcu_nesting[th]);
		for (int r = 0; r < t->threads[th].nr_regs; r++)
			h = cover_mix(h, (uint64_t)s->regs[th][r]);
	}
	for (int i = 0; i < t->nr_locs; i++)
		h = cover_mix(h, atomic_load_explicit(&s->cell[i], memory_order_relaxed));
	return h;
}

static void litmus_progress(struct run *run, double dt, char *buf, size_t len)
{
	(void)dt;
	snprintf(buf, len, "%llu executions  %zu states", (unsigned long long)run->executions_run,
		 subject_of(run)->outcomes.n);
}

const struct subject_ops litmus_subject_ops = {
	.name = "litmus",
	.build = litmus_build,
	.reset = litmus_reset,
	.destroy = litmus_destroy,
	.start = litmus_start,
	.thread_start = litmus_thread_nothing,
	.thread_stop = litmus_thread_nothing,
	.settle = litmus_settle,
	.check = litmus_check,
	.failures = litmus_none,
	.first_failure_decision = litmus_none,
	.first_failure_id = litmus_none,
	.signature = litmus_signature,
	.progress = litmus_progress,
};

struct litmus_subject *litmus_subject_new(const struct litmus_test *t, const char *path)
{
	struct litmus_subject *s = aligned_alloc(64, sizeof(*s) + 64 - sizeof(*s) % 64);

	if (!s)
		return NULL;
	memset(s, 0, sizeof(*s));
	s->test = t;
	s->path = path;
	litmus_outcomes_init(&s->outcomes, litmus_state_width(t));
	return s;
}

void litmus_subject_free(struct litmus_subject *s)
{
	if (!s)
		return;
	litmus_outcomes_free(&s->outcomes);
	free(s);
}

static void litmus_worker(struct run *run, void *arg)
{
	litmus_exec_thread(subject_of(run), (int)(intptr_t)arg);
}

void litmus_add_workers(struct run *run)
{
	for (int th = 0; th < subject_of(run)->test->nr_threads; th++) {
		char name[16];

		snprintf(name, sizeof(name), "P%d", th);
		run_add_worker(run, name, litmus_worker, (void *)(intptr_t)th);
	}
}
