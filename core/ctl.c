// SPDX-License-Identifier: GPL-2.0
#include "ctl.h"

#include <stdio.h>
#include <string.h>

#include "check.h"

/* Wait on a semaphore, retrying if a signal interrupted the wait. */
static void sem_wait_all(sem_t *s)
{
	while (sem_wait(s))
		;
}

static void pct_init(struct ctl *c)
{
	int d = c->cfg.pct_depth;
	int order[CTL_MAX_THREADS];

	HARNESS_ASSERT(d >= 1 && d <= CTL_MAX_DEPTH, "PCT depth %d", d);
	HARNESS_ASSERT(c->cfg.steps_estimate >= 1, "PCT needs a step estimate");
	/* Initial priorities d .. d+n-1 in a random order (a Fisher-Yates
	 * shuffle); change point i (1-based) later sets priority i, below
	 * every initial one. */
	for (int i = 0; i < c->nr_threads; i++)
		order[i] = i;
	for (int i = c->nr_threads - 1; i > 0; i--) {
		int j = (int)rng_below(&c->rng, (uint64_t)i + 1);
		int tmp = order[i];

		order[i] = order[j];
		order[j] = tmp;
	}
	for (int i = 0; i < c->nr_threads; i++)
		c->threads[order[i]].priority = d + i;
	for (int i = 0; i < d - 1; i++)
		c->change_points[i] = 1 + rng_below(&c->rng, c->cfg.steps_estimate);
}

void ctl_init(struct ctl *c, int nr_threads, const struct ctl_config *cfg)
{
	HARNESS_ASSERT(nr_threads >= 1 && nr_threads <= CTL_MAX_THREADS, "%d threads",
		       nr_threads);
	memset(c, 0, sizeof(*c));
	c->cfg = *cfg;
	c->nr_threads = nr_threads;
	c->current = -1;
	rng_seed(&c->rng, cfg->seed, 0);
	sem_init(&c->all_started, 0, 0);
	sem_init(&c->done, 0, 0);
	for (int i = 0; i < nr_threads; i++)
		sem_init(&c->threads[i].wake, 0, 0);
	if (cfg->strategy == CTL_PCT)
		pct_init(c);
}

void ctl_destroy(struct ctl *c)
{
	for (int i = 0; i < c->nr_threads; i++)
		sem_destroy(&c->threads[i].wake);
	sem_destroy(&c->all_started);
	sem_destroy(&c->done);
}

static bool runnable(const struct ctl_thread *t)
{
	return !t->exited && (!t->wait_pred || t->wait_pred(t->wait_arg));
}

static int pick_random(struct ctl *c)
{
	int ready[CTL_MAX_THREADS], n = 0;

	for (int i = 0; i < c->nr_threads; i++)
		if (runnable(&c->threads[i]))
			ready[n++] = i;
	return n ? ready[rng_below(&c->rng, (uint64_t)n)] : -1;
}

static int pick_pct(struct ctl *c)
{
	int best = -1;

	for (int i = 0; i < c->nr_threads; i++)
		if (runnable(&c->threads[i]) &&
		    (best < 0 || c->threads[i].priority > c->threads[best].priority))
			best = i;
	return best;
}

static bool all_exited(const struct ctl *c)
{
	for (int i = 0; i < c->nr_threads; i++)
		if (!c->threads[i].exited)
			return false;
	return true;
}

static void report_deadlock(const struct ctl *c)
{
	fprintf(stderr, "==== deadlock in the model after %llu steps: nobody can run ====\n",
		(unsigned long long)c->steps);
	for (int i = 0; i < c->nr_threads; i++) {
		const struct ctl_thread *t = &c->threads[i];

		fprintf(stderr, "  %-6s %s\n", t->name,
			t->exited ? "exited" : t->wait_what ? t->wait_what : "(runnable?)");
	}
	HARNESS_ASSERT(false, "every live thread waits for another");
}

/* Choose who runs next; -1 when everyone has exited. */
static int pick_next(struct ctl *c)
{
	int next = c->cfg.strategy == CTL_PCT ? pick_pct(c) : pick_random(c);

	if (next < 0 && !all_exited(c))
		report_deadlock(c);
	return next;
}

/* Hand the CPU from `self` to `next` and, unless self has exited, wait to
 * be handed it back. */
static void switch_to(struct ctl *c, int self, int next)
{
	if (next == self)
		return;
	c->switches++;
	c->current = next;
	if (next < 0) {
		sem_post(&c->done);
		return;
	}
	sem_post(&c->threads[next].wake);
	if (!c->threads[self].exited)
		sem_wait_all(&c->threads[self].wake);
}

void ctl_thread_start(struct ctl *c, int id, const char *name)
{
	struct ctl_thread *t = &c->threads[id];

	snprintf(t->name, sizeof(t->name), "%s", name);
	t->started = true;
	/* Nothing but this thread touches its slot before the post: the
	 * controller reads the names only after all_started. */
	sem_post(&c->all_started);
	sem_wait_all(&t->wake);
}

void ctl_thread_exit(struct ctl *c, int id)
{
	c->threads[id].exited = true;
	switch_to(c, id, pick_next(c));
}

void ctl_run(struct ctl *c)
{
	int first;

	for (int i = 0; i < c->nr_threads; i++)
		sem_wait_all(&c->all_started);
	first = pick_next(c);
	c->current = first;
	sem_post(&c->threads[first].wake);
	sem_wait_all(&c->done);
}

static void pct_change_point(struct ctl *c, int id)
{
	for (int i = 0; i < c->cfg.pct_depth - 1; i++)
		if (c->change_points[i] == c->steps)
			c->threads[id].priority = i + 1;
}

void ctl_point(struct ctl *c, int id)
{
	HARNESS_ASSERT(c->current == id, "thread %d at a point while %d runs", id,
		       c->current);
	c->steps++;
	if (c->cfg.strategy == CTL_PCT)
		pct_change_point(c, id);
	switch_to(c, id, pick_next(c));
}

void ctl_wait_until(struct ctl *c, int id, bool (*pred)(void *arg), void *arg,
		    const char *what)
{
	struct ctl_thread *t = &c->threads[id];

	while (!pred(arg)) {
		t->wait_pred = pred;
		t->wait_arg = arg;
		t->wait_what = what;
		c->steps++;
		switch_to(c, id, pick_next(c));
	}
	t->wait_pred = NULL;
	t->wait_what = NULL;
}
