// SPDX-License-Identifier: GPL-2.0
/*
 * The controlled scheduler (engine/ctl.h). One file of some 500 lines on
 * purpose: its strategies (random, pct, guided) decide in the one loop
 * pick_next() runs, over one fiber and buffer state, and split apart they
 * would each need that state's insides.
 */
#include "ctl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "budget.h"
#include "check.h"
#include "ctl_asan.h"
#include "interrupt.h"
#include "memmodel.h"
#include "thread.h"
#include "trace.h"

#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define CTL_TSAN 1
#endif
#endif
#ifdef __SANITIZE_THREAD__
#define CTL_TSAN 1
#endif

#ifdef CTL_TSAN
#include <sanitizer/tsan_interface.h>
#endif

/* Fiber stacks outlive executions: allocating them once keeps the start of
 * an execution at a makecontext() per worker. */
#define CTL_STACK_SIZE ((size_t)256 * 1024)
static void *stacks[CTL_MAX_THREADS];

/* The decision log's storage, reused by every execution of the process. */
static struct ctl_decision *log_storage;
static size_t log_storage_cap;

static void *fiber_stack(int id)
{
	if (!stacks[id]) {
		stacks[id] = malloc(CTL_STACK_SIZE);
		HARNESS_NEED(stacks[id], "memory",
			     "a %zu KiB stack for fiber %d: --vcpus asks for "
			     "one per vCPU",
			     CTL_STACK_SIZE / 1024, id);
	}
	return stacks[id];
}

/* Double the decision log's room, charged to --max-memory; false if the
 * budget or the machine refuses. */
static bool log_grow(struct ctl *c)
{
	size_t cap = c->log_cap ? 2 * c->log_cap : 4096;
	struct ctl_decision *grown;

	if (!budget_charge((cap - c->log_cap) * sizeof(*grown)))
		return false;
	grown = realloc(c->log, cap * sizeof(*grown));
	if (!grown) {
		budget_release((cap - c->log_cap) * sizeof(*grown));
		return false;
	}
	c->log = log_storage = grown;
	c->log_cap = log_storage_cap = cap;
	return true;
}

/* The log is the one thing an execution grows without a bound of its own:
 * its length is the workload's. */
static void log_cannot_grow(const struct ctl *c)
{
	HARNESS_NEED(false, "memory",
		     "an execution's decision log passed %zu decisions, more than "
		     "--max-memory holds beside the rest: give shorter executions "
		     "(--workload entries=N, ...) or a larger --max-memory",
		     c->log_len);
}

/* Before a decision: CTL_LOG_HEADROOM decisions of room, or the execution
 * is cut here (cut_when_log_full: false) or the run ends (exit 3). */
static bool log_room(struct ctl *c)
{
	if (c->log_cap - c->log_len >= CTL_LOG_HEADROOM || log_grow(c))
		return true;
	if (!c->cfg.cut_when_log_full)
		log_cannot_grow(c);
	c->log_full = true;
	return false;
}

static void log_decision(struct ctl *c, enum ctl_decision_kind kind, int thread, int arg)
{
	if (c->log_len == c->log_cap && !log_grow(c))
		log_cannot_grow(c);
	c->log[c->log_len++] =
		(struct ctl_decision){ (uint8_t)kind, (uint8_t)thread, (uint8_t)arg };
}

static void shuffle(struct rng *rng, int *v, int n)
{
	for (int i = n - 1; i > 0; i--) {
		int j = (int)rng_below(rng, (uint64_t)i + 1);
		int tmp = v[i];

		v[i] = v[j];
		v[j] = tmp;
	}
}

static int nr_entities(const struct ctl *c)
{
	return mm_enabled() ? 2 * c->nr_threads : c->nr_threads;
}

static void pct_init(struct ctl *c)
{
	int d = c->cfg.pct_depth, n = nr_entities(c);
	int order[CTL_MAX_ENTITIES];

	HARNESS_ASSERT(d >= 1 && d <= CTL_MAX_DEPTH, "PCT depth %d", d);
	HARNESS_ASSERT(c->cfg.steps_estimate >= 1, "PCT needs a step estimate");
	/* Initial priorities d .. d+n-1 in a random order; change point i
	 * (1-based) later sets priority i, below every initial one. */
	for (int i = 0; i < n; i++)
		order[i] = i;
	shuffle(&c->rng, order, n);
	for (int i = 0; i < n; i++)
		c->priority[order[i]] = d + i;
	for (int i = 0; i < d - 1; i++)
		c->change_points[i] = 1 + rng_below(&c->rng, c->cfg.steps_estimate);
}

void ctl_init(struct ctl *c, int nr_threads, const struct ctl_config *cfg)
{
	HARNESS_ASSERT(nr_threads >= 1 && nr_threads <= CTL_MAX_THREADS, "%d threads", nr_threads);
	memset(c, 0, sizeof(*c));
	c->cfg = *cfg;
	c->nr_threads = nr_threads;
	c->current = -1;
	c->last_step_thread = -1;
	c->log = log_storage;
	c->log_cap = log_storage_cap;
	rng_seed(&c->rng, cfg->seed, 0);
	if (cfg->strategy == CTL_PCT)
		pct_init(c);
}

void ctl_destroy(struct ctl *c)
{
#ifdef CTL_TSAN
	for (int i = 0; i < c->nr_threads; i++)
		if (c->threads[i].tsan_fiber)
			__tsan_destroy_fiber(c->threads[i].tsan_fiber);
#endif
	c->nr_threads = 0;
}

static struct ctl *running_ctl;

/* A switch has arrived on its new stack. The stack it left is the
 * controller's when it came from there: that is how the controller's
 * bounds are learnt. */
static void arrived(struct ctl *c, void *fake, int came_from)
{
	const void *bottom = NULL;
	size_t size = 0;

	ctl_asan_arrive(fake, &bottom, &size);
	if (came_from < 0) {
		c->controller_stack = bottom;
		c->controller_stack_size = size;
	}
}

static void fiber_entry(void)
{
	struct ctl *c = running_ctl;
	int id = c->current;
	struct ctl_thread *t = &c->threads[id];

	arrived(c, NULL, c->switched_from);

	t->fn(t->arg);
	/* Its buffered stores stay enabled entities: they become visible by
	 * the scheduler's decisions, before the execution ends. */
	t->exited = true;
	ctl_point_at(c, id, NULL);
	HARNESS_ASSERT(false, "an exited fiber was scheduled again");
}

void ctl_add_thread(struct ctl *c, int id, const char *name, void (*fn)(void *arg), void *arg,
		    struct thread_ctx *tls)
{
	struct ctl_thread *t = &c->threads[id];

	HARNESS_ASSERT(id >= 0 && id < c->nr_threads, "fiber %d of %d", id, c->nr_threads);
	snprintf(t->name, sizeof(t->name), "%s", name);
	t->fn = fn;
	t->arg = arg;
	t->tls = tls;
	HARNESS_ASSERT(!getcontext(&t->context), "getcontext failed");
	t->context.uc_stack.ss_sp = fiber_stack(id);
	t->context.uc_stack.ss_size = CTL_STACK_SIZE;
	t->context.uc_link = NULL;
	makecontext(&t->context, fiber_entry, 0);
#ifdef CTL_TSAN
	t->tsan_fiber = __tsan_create_fiber(0);
	__tsan_set_fiber_name(t->tsan_fiber, t->name);
#endif
}

static bool runnable(const struct ctl_thread *t)
{
	if (t->exited)
		return false;
	if (!t->wait_pred)
		return true;
	return mm_read_memory_as_is(t->wait_pred, t->wait_arg);
}

/* What may happen next: fibers that can run and buffers with a store that
 * can become visible. Entity e < n is fiber e; e >= n is fiber e-n's
 * buffer. */
static int enabled_entities(const struct ctl *c, int *out)
{
	int n = 0;

	for (int i = 0; i < c->nr_threads; i++)
		if (runnable(&c->threads[i]))
			out[n++] = i;
	if (mm_enabled())
		for (int i = 0; i < c->nr_threads; i++)
			if (mm_pending(i))
				out[n++] = c->nr_threads + i;
	return n;
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
			t->exited      ? "exited"
			: t->wait_what ? t->wait_what
				       : "(runnable?)");
	}
	HARNESS_ASSERT(false, "every live thread waits for another");
}

/* Make one of fiber t's buffered stores visible; which one is a decision
 * under weak ordering. */
static void commit_one(struct ctl *c, int t, int pick_random_entry)
{
	int idx[MM_BUFFER_MAX];
	int n = mm_committable(t, idx);
	int k;

	HARNESS_ASSERT(n > 0, "buffer of fiber %d has nothing to commit", t);
	k = pick_random_entry ? idx[rng_below(&c->rng, (uint64_t)n)] : idx[0];
	log_decision(c, CTL_COMMIT, t, k);
	mm_commit(t, k);
}

static int pick_pct_entity(struct ctl *c, const int *en, int n)
{
	int best = en[0];

	for (int i = 1; i < n; i++)
		if (c->priority[en[i]] > c->priority[best])
			best = en[i];
	return best;
}

/* A PCT change point at this decision: the entity about to act drops below
 * every other. */
static bool pct_change_point(struct ctl *c, int entity)
{
	uint64_t decision = c->log_len + 1;
	bool changed = false;

	for (int i = 0; i < c->cfg.pct_depth - 1; i++)
		if (c->change_points[i] == decision) {
			c->priority[entity] = i + 1;
			changed = true;
		}
	return changed;
}

/* Fork every fiber's random stream by v, and log it: a replay that meets
 * the decision forks the same streams at the same point. */
static void reseed(struct ctl *c, uint8_t v)
{
	log_decision(c, CTL_RESEED, 0, v);
	for (int i = 0; i < c->nr_threads; i++) {
		struct rng *r;

		if (!c->threads[i].tls)
			continue;
		r = &c->threads[i].tls->rng;
		rng_seed(r, rng_next(r) ^ ((uint64_t)v + 1) * 0x9e3779b97f4a7c15ULL,
			 (uint64_t)i + 1);
	}
}

/* The guide's next possible decision, or -1 when it has run out. */
static int guided_entity(struct ctl *c, int *commit_entry)
{
	while (c->guide_pos < c->cfg.guide_len) {
		struct ctl_decision d = c->cfg.guide[c->guide_pos++];

		if (d.kind == CTL_RESEED) {
			reseed(c, d.arg);
			continue;
		}
		if (d.thread >= c->nr_threads)
			continue;
		if (d.kind == CTL_RUN && runnable(&c->threads[d.thread]))
			return d.thread;
		if (d.kind == CTL_COMMIT && mm_enabled() && mm_entry_committable(d.thread, d.arg)) {
			*commit_entry = d.arg;
			return c->nr_threads + d.thread;
		}
	}
	return -1;
}

/* Past the guide, deciding at random (then_random). */
static bool past_guide_at_random(const struct ctl *c)
{
	return c->cfg.strategy == CTL_GUIDED && c->cfg.then_random &&
	       c->guide_pos >= c->cfg.guide_len;
}

/* Past the guide: run on without preempting; commit only when stuck. */
static int fallback_entity(struct ctl *c, const int *en)
{
	if (c->current >= 0 && runnable(&c->threads[c->current]))
		return c->current;
	return en[0];
}

/* Entity e is fiber e or fiber (e - n)'s buffer: is that fiber's store
 * passed, a reordering in flight? */
static bool held(const struct ctl *c, int e)
{
	return c->cfg.hold_passed_one_in && mm_passed(e < c->nr_threads ? e : e - c->nr_threads);
}

/* A uniform choice among the entities not held; -1 if all are. */
static int unheld_entity(struct ctl *c, const int *en, int n)
{
	int pick[CTL_MAX_ENTITIES], nr = 0;

	for (int i = 0; i < n; i++)
		if (!held(c, en[i]))
			pick[nr++] = en[i];
	return nr ? pick[rng_below(&c->rng, (uint64_t)nr)] : -1;
}

/* A random decision: with switch_one_in, mostly the current fiber runs on;
 * with hold_passed_one_in, a fiber whose store was passed mostly waits. */
static int random_entity(struct ctl *c, const int *en, int n)
{
	int e;

	if (c->cfg.switch_one_in > 1 && c->current >= 0 && runnable(&c->threads[c->current]) &&
	    !held(c, c->current) && rng_below(&c->rng, c->cfg.switch_one_in))
		return c->current;
	if (c->cfg.hold_passed_one_in && rng_below(&c->rng, c->cfg.hold_passed_one_in) &&
	    (e = unheld_entity(c, en, n)) >= 0)
		return e;
	return en[rng_below(&c->rng, (uint64_t)n)];
}

/* The execution's time is up: read the clock every CTL_DEADLINE_EVERY
 * calls only, and not at all without a deadline. */
static bool past_deadline(struct ctl *c)
{
	if (!c->cfg.deadline_ns || ++c->polls % CTL_DEADLINE_EVERY)
		return false;
	c->past_deadline = trace_now_ns() >= c->cfg.deadline_ns;
	return c->past_deadline;
}

/* Decide what happens next until a fiber is to run; -1 when all exited. */
static int pick_next(struct ctl *c)
{
	int en[CTL_MAX_ENTITIES];

	for (;;) {
		int n, e, entry = -1;

		/* A signal, the run's time is up, or (under the search) no
		 * room for the log: the execution is abandoned where it
		 * stands, every fiber left as it is; the controller returns
		 * from ctl_run(). It judges nothing past this point: the
		 * subject's check at rest is skipped. */
		if (interrupt_requested() || past_deadline(c) || !log_room(c)) {
			c->abandoned = true;
			return -1;
		}
		/* Its wait predicates read memory for the scheduler, not as
		 * a step of the fiber that stopped. */
		c->picking = true;
		n = enabled_entities(c, en);
		c->picking = false;

		if (c->cfg.reseed_past_guide && !c->reseeded && past_guide_at_random(c)) {
			c->reseeded = true;
			reseed(c, (uint8_t)rng_below(&c->rng, 256));
		}

		if (!n) {
			if (!all_exited(c))
				report_deadlock(c);
			return -1;
		}
		switch (c->cfg.strategy) {
		case CTL_RANDOM: e = random_entity(c, en, n); break;
		case CTL_PCT:
			e = pick_pct_entity(c, en, n);
			if (pct_change_point(c, e))
				e = pick_pct_entity(c, en, n);
			break;
		case CTL_PICKER:
			e = c->cfg.picker->pick(c->cfg.picker_arg, c, en, n, &entry);
			if (e < 0) {
				c->abandoned = c->pruned = true;
				return -1;
			}
			break;
		default:
			e = guided_entity(c, &entry);
			if (e < 0)
				e = c->cfg.then_random ? random_entity(c, en, n)
						       : fallback_entity(c, en);
			break;
		}
		if (e < c->nr_threads) {
			log_decision(c, CTL_RUN, e, 0);
			if (c->cfg.observe)
				c->cfg.observe(c->cfg.observe_arg, c);
			return e;
		}
		if (entry >= 0) {
			log_decision(c, CTL_COMMIT, e - c->nr_threads, entry);
			mm_commit(e - c->nr_threads, entry);
		} else {
			commit_one(c, e - c->nr_threads,
				   c->cfg.strategy != CTL_GUIDED || past_guide_at_random(c));
		}
	}
}

#ifdef CTL_TSAN
static void *tsan_fiber_of(struct ctl *c, int id)
{
	return id < 0 ? c->controller_fiber : c->threads[id].tsan_fiber;
}
#endif

/* Switch from fiber `self` (-1: the controller) to `next` (-1: back to the
 * controller, the execution is over). */
static void switch_to(struct ctl *c, int self, int next)
{
	ucontext_t *from = self < 0 ? &c->controller : &c->threads[self].context;
	ucontext_t *to = next < 0 ? &c->controller : &c->threads[next].context;

	void *fake = NULL;

	if (next == self)
		return;
	if (self >= 0)
		c->switches++;
	c->current = next;
	c->switched_from = self;
	current_thread = next < 0 ? c->controller_tls : c->threads[next].tls;
#ifdef CTL_TSAN
	__tsan_switch_to_fiber(tsan_fiber_of(c, next), 0);
#endif
	/* An exited fiber never runs again: its fake stack can go. */
	ctl_asan_leave(self >= 0 && c->threads[self].exited ? NULL : &fake,
		       next < 0 ? c->controller_stack : stacks[next],
		       next < 0 ? c->controller_stack_size : CTL_STACK_SIZE);
	HARNESS_ASSERT(!swapcontext(from, to), "swapcontext failed");
	arrived(c, fake, c->switched_from);
}

void ctl_run(struct ctl *c)
{
	running_ctl = c;
	c->controller_tls = current_thread;
#ifdef CTL_TSAN
	c->controller_fiber = __tsan_get_current_fiber();
#endif
	switch_to(c, -1, pick_next(c));
	c->current = -1;
	current_thread = c->controller_tls;
	running_ctl = NULL;
}

/* Fiber id's step ends at `site`: what it touched is the last step's. */
static void step_ended(struct ctl *c, int id, const char *site)
{
	struct ctl_thread *t = &c->threads[id];

	c->last_step_site = t->site;
	t->site = site;
	c->last_step_thread = id;
	c->last_step = t->step;
	footprint_clear(&t->step);
}

void ctl_point_at(struct ctl *c, int id, const char *site)
{
	HARNESS_ASSERT(c->current == id, "fiber %d at a point while %d runs", id, c->current);
	c->steps++;
	step_ended(c, id, site);
	switch_to(c, id, pick_next(c));
}

void ctl_point(struct ctl *c, int id)
{
	ctl_point_at(c, id, NULL);
}

void ctl_wait_until(struct ctl *c, int id, bool (*pred)(void *arg), void *arg, const char *what)
{
	struct ctl_thread *t = &c->threads[id];

	while (!mm_read_memory_as_is(pred, arg)) {
		t->wait_pred = pred;
		t->wait_arg = arg;
		t->wait_what = what;
		c->steps++;
		step_ended(c, id, what);
		switch_to(c, id, pick_next(c));
	}
	t->wait_pred = NULL;
	t->wait_what = NULL;
	/* The wait observed memory as it is: what it saw, later loads see. */
	if (mm_enabled())
		mm_acquire_all();
}

static bool guided_stale(struct ctl *c, int id)
{
	struct ctl_thread *t = &c->threads[id];
	size_t seen = 0;

	for (size_t i = 0; i < c->cfg.guide_len; i++) {
		const struct ctl_decision *d = &c->cfg.guide[i];

		if (d->kind == CTL_STALE && d->thread == id && seen++ == t->stale_seen) {
			t->stale_seen++;
			return d->arg;
		}
	}
	t->stale_seen++;
	return c->cfg.then_random ? rng_below(&c->rng, 2) : false;
}

bool ctl_choose_stale(struct ctl *c, int id)
{
	bool stale = c->cfg.strategy == CTL_GUIDED ? guided_stale(c, id)
		     : c->cfg.strategy == CTL_PICKER && c->cfg.picker->stale
			     ? c->cfg.picker->stale(c->cfg.picker_arg, c, id)
			     : rng_below(&c->rng, 2);

	log_decision(c, CTL_STALE, id, stale);
	return stale;
}

uint64_t ctl_count_switches(const struct ctl_decision *d, size_t n)
{
	uint64_t switches = 0;
	int last = -1;

	for (size_t i = 0; i < n; i++) {
		if (d[i].kind != CTL_RUN)
			continue;
		if (last >= 0 && d[i].thread != last)
			switches++;
		last = d[i].thread;
	}
	return switches;
}
