// SPDX-License-Identifier: GPL-2.0
#include "run.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bounded.h"
#include "check.h"
#include "ctl.h"
#include "cover.h"
#include "explore.h"
#include "interrupt.h"

_Thread_local struct thread_ctx *current_thread;
atomic_bool lostflush_stop;
struct ctl *lostflush_ctl;

int run_init(struct run *run, const struct run_config *cfg, void *subject,
	     const struct subject_ops *ops)
{
	memset(run, 0, sizeof(*run));
	run->cfg = *cfg;
	run->subject = subject;
	run->subject_ops = ops;
	if (ops->build(run))
		return -1;
	perturb_init(&run->perturb, &cfg->perturb);
	atomic_store(&lostflush_stop, false);
	return 0;
}

void run_destroy(struct run *run)
{
	for (int i = 0; i < run->nr_workers; i++)
		free(run->workers[i].ctx);
	free(run->schedule);
	run->subject_ops->destroy(run);
}

void run_add_worker(struct run *run, const char *name, worker_fn fn, void *arg)
{
	struct worker *w;
	struct thread_ctx *ctx;

	HARNESS_ASSERT(run->nr_workers < RUN_MAX_WORKERS, "too many workers");
	ctx = aligned_alloc(64, sizeof(*ctx));
	HARNESS_NEED(ctx, "memory", "a worker's context (%zu bytes)", sizeof(*ctx));
	memset(ctx, 0, sizeof(*ctx));
	ctx->index = run->nr_workers;
	snprintf(ctx->name, sizeof(ctx->name), "%s", name);
	/* Stream = worker index: each thread's choices depend only on the
	 * run's seed and its place in the run. */
	rng_seed(&ctx->rng, run->cfg.seed, (uint64_t)ctx->index + 1);
	ctx->perturb = &run->perturb;
	w = &run->workers[run->nr_workers++];
	*w = (struct worker){ .fn = fn, .arg = arg, .ctx = ctx, .run = run };
}

void run_remove_worker(struct run *run, int i)
{
	HARNESS_ASSERT(i >= 0 && i < run->nr_workers, "no worker %d to remove", i);
	free(run->workers[i].ctx);
	memmove(&run->workers[i], &run->workers[i + 1],
		(size_t)(run->nr_workers - i - 1) * sizeof(run->workers[0]));
	run->nr_workers--;
	for (int j = i; j < run->nr_workers; j++) {
		run->workers[j].ctx->index = j;
		rng_seed(&run->workers[j].ctx->rng, run->cfg.seed, (uint64_t)j + 1);
	}
}

static void *worker_main(void *p)
{
	struct worker *w = p;

	current_thread = w->ctx;
	w->run->subject_ops->thread_start();
	w->fn(w->run, w->arg);
	w->run->subject_ops->thread_stop();
	current_thread = NULL;
	return NULL;
}

uint64_t run_counter(const struct run *run, int id)
{
	uint64_t sum = 0;

	for (int i = 0; i < run->nr_workers; i++)
		sum += counter_read(&run->workers[i].ctx->counters, id);
	return sum;
}

struct thread_ctx *const *run_threads(struct run *run, int *nr)
{
	static struct thread_ctx *ctxs[RUN_MAX_WORKERS];

	for (int i = 0; i < run->nr_workers; i++)
		ctxs[i] = run->workers[i].ctx;
	*nr = run->nr_workers;
	return ctxs;
}

static void show_progress(struct run *run, uint64_t now, bool final)
{
	uint64_t last_ns = run->progress_ns ? run->progress_ns : run->t0_ns;
	char middle[96] = "";

	run->subject_ops->progress(run, (double)(now - last_ns) / 1e9, middle, sizeof(middle));
	fprintf(stderr, "\r[%6.1fs/%.0fs] %s violations %llu ", (double)(now - run->t0_ns) / 1e9,
		(double)run->cfg.duration_ns / 1e9, middle, (unsigned long long)run_failures(run));
	if (final)
		fputs("\n", stderr);
	run->progress_ns = now;
}

static void wait_for_end(struct run *run)
{
	uint64_t next_progress = run->t0_ns;

	while (!torture_must_stop()) {
		uint64_t now = trace_now_ns();
		struct timespec nap = { 0, 10L * 1000 * 1000 };

		if (now - run->t0_ns >= run->cfg.duration_ns)
			break;
		if (run->cfg.progress && now >= next_progress) {
			show_progress(run, now, false);
			next_progress = now + 500ULL * 1000 * 1000;
		}
		nanosleep(&nap, NULL);
	}
	torture_stop();
	if (run->cfg.progress)
		show_progress(run, trace_now_ns(), true);
}

static void run_free(struct run *run)
{
	for (int i = 0; i < run->nr_workers; i++) {
		int err = pthread_create(&run->workers[i].tid, NULL, worker_main, &run->workers[i]);

		HARNESS_NEED(!err, "threads",
			     "cannot start worker %d of %d (%s): --vcpus asks "
			     "for a thread per vCPU, beside the scenario's other workers",
			     i + 1, run->nr_workers, strerror(err));
	}
	wait_for_end(run);
	for (int i = 0; i < run->nr_workers; i++)
		pthread_join(run->workers[i].tid, NULL);
	/* What waited for the workers is given back (and counted) before the
	 * run adds up its counters. */
	run->subject_ops->settle(run);
	/* Every worker has stopped: the subject is at rest. Not after a
	 * signal: the user asked to stop now, and a check may take long. */
	if (run->subject_ops->check && !run_failures(run) && !interrupt_requested())
		run->subject_ops->check(run, 0);
}

void run_execute(struct run *run)
{
	run->t0_ns = trace_now_ns();
	run->subject_ops->start(run);
	if (run->cfg.sched == SCHED_FREE)
		run_free(run);
	else if (run->cfg.sched == SCHED_COVER && !run->cfg.guide)
		run_cover(run);
	else if (run->cfg.sched == SCHED_BOUNDED && !run->cfg.guide)
		run_bounded(run);
	else
		run_controlled(run);
	run->elapsed_ns = trace_now_ns() - run->t0_ns;
	run->interrupted = interrupt_requested();
	for (int id = 0; id < COUNTER_SLOTS; id++)
		run->totals[id] = run_counter(run, id);
}
