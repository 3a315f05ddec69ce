// SPDX-License-Identifier: GPL-2.0
/*
 * The bounded search (engine/bounded.h): a depth-first walk over the
 * decisions of one execution, replayed from its start for every schedule,
 * with sleep sets.
 */
#include "bounded.h"

#include <stdlib.h>
#include <string.h>

#include "budget.h"
#include "check.h"
#include "explore.h"
#include "interrupt.h"
#include "memmodel.h"
#include "trace.h"

/* Sleepers a node keeps at most: more only explores more. */
#define SLEEP_MAX 32

/* One thing that may happen at a decision: fiber `entity` runs, or entry
 * `entry` of fiber entity - nr_threads's buffer becomes visible. */
struct alt {
	uint8_t entity;
	int8_t entry;
};

/* An alternative known to lead nowhere new, and what its step touches:
 * a node's explored one (done >= 0) or chosen one (done < 0). */
struct sleeper {
	struct alt alt;
	uint32_t node;
	int16_t done;
};

struct done_alt {
	struct alt alt;
	struct footprint fp;
};

struct node {
	bool stale;	      /* a load's choice (0: the newest value, 1: the older) */
	struct alt chosen;    /* stale: entity holds the choice */
	int current;	      /* the fiber that ran before it (-1: none) */
	bool current_runs;    /* and could have gone on */
	uint32_t preemptions; /* before this decision */
	struct alt *alts;     /* what was enabled */
	bool *tried;
	int nr_alts;
	struct footprint fp; /* the chosen step's, over every execution */
	struct done_alt *done;
	int nr_done;
	struct sleeper sleep[SLEEP_MAX];
	int nr_sleep;
};

struct search {
	struct node *path;
	size_t len, cap;
	size_t pos;	    /* the decision being made */
	uint32_t preempted; /* preemptions so far in this execution */
	int bound;
	size_t last_pick;     /* the last pick node (SIZE_MAX: none) */
	uint64_t recorded_at; /* c->steps when a step was last recorded */
	bool over_bound;      /* an alternative was left for a larger bound */
	int nr_threads;	      /* entities from here on are store buffers */
};

static struct search the_search;
/* Sleep sets prune only the search with no bound (engine/bounded.h says
 * why); LOSTFLUSH_NO_SLEEP_SETS=1 turns them off there too, to check that
 * they lose nothing: the same outcomes, more schedules. */
static bool use_sleep_sets;

static bool alt_eq(struct alt a, struct alt b)
{
	return a.entity == b.entity && a.entry == b.entry;
}

static void node_free(struct node *n)
{
	free(n->alts);
	free(n->tried);
	free(n->done);
	budget_release(sizeof(*n));
}

static void truncate_path(struct search *s, size_t len)
{
	while (s->len > len)
		node_free(&s->path[--s->len]);
}

static struct node *node_push(struct search *s)
{
	struct node *n;

	HARNESS_NEED(budget_charge(sizeof(*n)), "memory",
		     "the bounded search's path past %zu decisions: give shorter executions "
		     "(--workload) or a larger --max-memory",
		     s->len);
	if (s->len == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 1024;
		struct node *grown = realloc(s->path, cap * sizeof(*grown));

		HARNESS_NEED(grown, "memory", "the bounded search's path (%zu decisions)", cap);
		s->path = grown;
		s->cap = cap;
	}
	n = &s->path[s->len++];
	memset(n, 0, sizeof(*n));
	return n;
}

static const struct footprint *sleeper_fp(const struct search *s, const struct sleeper *z)
{
	const struct node *n = &s->path[z->node];

	return z->done < 0 ? &n->fp : &n->done[z->done].fp;
}

static bool asleep(const struct search *s, const struct node *n, struct alt a)
{
	if (!use_sleep_sets)
		return false;
	for (int i = 0; i < n->nr_sleep; i++)
		if (alt_eq(n->sleep[i].alt, a))
			return true;
	for (int i = 0; i < n->nr_done; i++)
		if (alt_eq(n->done[i].alt, a))
			return true;
	(void)s;
	return false;
}

static void sleep_add(struct node *n, struct sleeper z)
{
	for (int i = 0; i < n->nr_sleep; i++)
		if (alt_eq(n->sleep[i].alt, z.alt))
			return;
	if (n->nr_sleep < SLEEP_MAX)
		n->sleep[n->nr_sleep++] = z;
}

/* Node `to`'s sleepers: those of pick node p, and p's explored
 * alternatives, that do not conflict with the step p took. */
static void inherit_sleep(struct search *s, size_t p, struct node *to)
{
	const struct node *from = &s->path[p];

	for (int i = 0; i < from->nr_sleep; i++)
		if (!footprints_conflict(sleeper_fp(s, &from->sleep[i]), &from->fp))
			sleep_add(to, from->sleep[i]);
	for (int i = 0; i < from->nr_done; i++)
		if (!footprints_conflict(&from->done[i].fp, &from->fp))
			sleep_add(to,
				  (struct sleeper){ from->done[i].alt, (uint32_t)p, (int16_t)i });
}

static void fp_merge(struct footprint *into, const struct footprint *f)
{
	into->overflow |= f->overflow;
	for (int i = 0; i < f->n; i++)
		footprint_add(into, f->a[i].addr, f->a[i].write);
}

/* The step the last pick node chose has ended: add what it touched. */
static void record_step(struct search *s, const struct ctl *c)
{
	struct node *n;

	if (s->last_pick == SIZE_MAX || s->recorded_at == c->steps)
		return;
	n = &s->path[s->last_pick];
	if (n->chosen.entity >= c->nr_threads || c->last_step_thread != n->chosen.entity)
		return;
	s->recorded_at = c->steps;
	fp_merge(&n->fp, &c->last_step);
}

static uint32_t cost(const struct node *n, struct alt a)
{
	if (n->stale)
		return a.entity ? 1 : 0;
	return n->current_runs && a.entity != n->current ? 1 : 0;
}

/* What was enabled: every fiber that can run and every committable
 * buffered store. */
static void list_alts(struct node *n, const struct ctl *c, const int *en, int nr)
{
	int cap = 0, idx[MM_BUFFER_MAX];

	for (int i = 0; i < nr; i++)
		cap += en[i] < c->nr_threads ? 1 : MM_BUFFER_MAX;
	n->alts = malloc((size_t)cap * sizeof(*n->alts));
	n->tried = calloc((size_t)cap, sizeof(*n->tried));
	HARNESS_NEED(n->alts && n->tried, "memory", "a decision's %d alternatives", cap);
	for (int i = 0; i < nr; i++) {
		if (en[i] < c->nr_threads) {
			n->alts[n->nr_alts++] = (struct alt){ (uint8_t)en[i], 0 };
			continue;
		}
		for (int k = 0, m = mm_committable(en[i] - c->nr_threads, idx); k < m; k++)
			n->alts[n->nr_alts++] = (struct alt){ (uint8_t)en[i], (int8_t)idx[k] };
	}
}

/* The default among what does not sleep: the running fiber, else the
 * lowest-numbered fiber, else the oldest store; -1 if all sleep. */
static int default_alt(const struct search *s, const struct node *n)
{
	int best = -1;

	for (int i = 0; i < n->nr_alts; i++) {
		struct alt a = n->alts[i];

		if (asleep(s, n, a))
			continue;
		if (a.entity == n->current && n->current_runs)
			return i;
		if (best < 0)
			best = i;
	}
	return best;
}

/* Take alternative i. What it touches comes later: a fiber's when its
 * step ends (record_step()), a store's when the decision is made
 * (store_footprint()). */
static void take(struct search *s, struct node *n, int i)
{
	n->chosen = n->alts[i];
	n->tried[i] = true;
	s->preempted = n->preemptions + cost(n, n->chosen);
	footprint_clear(&n->fp);
}

/* A buffered store's step is its write, known while the store waits in
 * its buffer: when the decision is made, not when it is chosen after the
 * execution (backtrack()). */
static void store_footprint(struct search *s, struct node *n)
{
	if (n->chosen.entity >= s->nr_threads && !n->fp.n)
		footprint_add(&n->fp,
			      mm_entry_addr(n->chosen.entity - s->nr_threads, n->chosen.entry),
			      true);
}

static int new_pick_node(struct search *s, struct ctl *c, const int *en, int nr)
{
	struct node *n = node_push(s);
	int i;

	n->current = c->current;
	n->preemptions = s->preempted;
	list_alts(n, c, en, nr);
	for (int k = 0; k < nr; k++)
		if (en[k] == c->current)
			n->current_runs = true;
	if (s->last_pick != SIZE_MAX)
		inherit_sleep(s, s->last_pick, n);
	i = default_alt(s, n);
	/* Everything enabled sleeps: each way on is an order of
	 * independent steps explored already. */
	if (i < 0 || n->preemptions + cost(n, n->alts[i]) > (uint32_t)s->bound) {
		if (i >= 0)
			s->over_bound = true;
		return -1;
	}
	take(s, n, i);
	store_footprint(s, n);
	return 0;
}

static int replayed(struct search *s, struct node *n, const struct ctl *c, const int *en, int nr)
{
	bool enabled = false;

	HARNESS_ASSERT(!n->stale, "the bounded search replayed a load's choice as a decision");
	for (int i = 0; i < nr; i++)
		if (en[i] == n->chosen.entity)
			enabled = true;
	HARNESS_ASSERT(enabled,
		       "the bounded search replayed a schedule that took another path: "
		       "decision %zu chose %d, not enabled (an execution is not fixed by its "
		       "decisions)",
		       s->pos, n->chosen.entity);
	s->preempted = n->preemptions + cost(n, n->chosen);
	(void)c;
	return n->chosen.entity;
}

static int bounded_pick(void *arg, struct ctl *c, const int *en, int nr, int *commit_entry)
{
	struct search *s = arg;
	struct node *n;
	size_t d = s->pos++;

	s->nr_threads = c->nr_threads;
	record_step(s, c);
	if (d < s->len) {
		n = &s->path[d];
		s->last_pick = d;
		*commit_entry = n->chosen.entry;
		if (n->chosen.entity >= c->nr_threads)
			store_footprint(s, n);
		return replayed(s, n, c, en, nr);
	}
	/* Cut here; the node stays, for backtracking to try its others. */
	if (new_pick_node(s, c, en, nr) < 0)
		return -1;
	n = &s->path[d];
	s->last_pick = d;
	*commit_entry = n->chosen.entry;
	return n->chosen.entity;
}

static bool bounded_stale(void *arg, struct ctl *c, int id)
{
	struct search *s = arg;
	size_t d = s->pos++;
	struct node *n;

	(void)c;
	(void)id;
	if (d < s->len) {
		n = &s->path[d];
		HARNESS_ASSERT(n->stale,
			       "the bounded search replayed a decision as a load's choice");
		s->preempted = n->preemptions + cost(n, n->chosen);
		return n->chosen.entity;
	}
	n = node_push(s);
	n->stale = true;
	n->preemptions = s->preempted;
	return false;
}

static const struct ctl_picker bounded_picker = { .pick = bounded_pick, .stale = bounded_stale };

/* Node n's chosen alternative is explored: remember it and what it
 * touched, for the sleep sets of its later siblings. */
static void mark_done(struct node *n)
{
	struct done_alt *grown = realloc(n->done, (size_t)(n->nr_done + 1) * sizeof(*grown));

	HARNESS_NEED(grown, "memory", "the bounded search's explored alternatives");
	n->done = grown;
	n->done[n->nr_done++] = (struct done_alt){ n->chosen, n->fp };
}

/* The next alternative at node n within the bound: its index, or -1. */
static int next_alt(struct search *s, const struct node *n)
{
	for (int i = 0; i < n->nr_alts; i++) {
		if (n->tried[i] || asleep(s, n, n->alts[i]))
			continue;
		if (n->preemptions + cost(n, n->alts[i]) > (uint32_t)s->bound) {
			s->over_bound = true;
			continue;
		}
		return i;
	}
	return -1;
}

/* Move to the next schedule: the deepest decision with an alternative
 * left takes it, and everything after it goes. False when none is left. */
static bool backtrack(struct search *s)
{
	while (s->len) {
		struct node *n = &s->path[s->len - 1];
		int i;

		if (n->stale) {
			if (!n->chosen.entity && n->preemptions + 1 <= (uint32_t)s->bound) {
				n->chosen.entity = 1;
				return true;
			}
			if (!n->chosen.entity)
				s->over_bound = true;
		} else {
			/* A node cut before it chose has nothing explored. */
			bool chose = false;

			for (int k = 0; k < n->nr_alts; k++)
				chose |= n->tried[k];
			if (chose)
				mark_done(n);
			if ((i = next_alt(s, n)) >= 0) {
				take(s, n, i);
				return true;
			}
		}
		truncate_path(s, s->len - 1);
	}
	return false;
}

enum pass_end { PASS_WHOLE, PASS_FAILED, PASS_CUT };

static bool out_of_room(const struct run *run)
{
	return interrupt_requested() ||
	       (run->cfg.executions && run->executions_run >= run->cfg.executions) ||
	       trace_now_ns() - run->t0_ns >= run->cfg.duration_ns;
}

/* Every schedule within bound b, or the first that fails. */
static enum pass_end pass(struct run *run, int b, uint64_t *schedules)
{
	struct search *s = &the_search;
	struct ctl_config cc = {
		.strategy = CTL_PICKER,
		.picker = &bounded_picker,
		.picker_arg = s,
		.deadline_ns = explore_deadline(run),
	};

	truncate_path(s, 0);
	s->bound = b;
	s->over_bound = false;
	*schedules = 0;
	for (;;) {
		uint64_t steps;

		if (out_of_room(run))
			return PASS_CUT;
		s->pos = 0;
		s->preempted = 0;
		s->last_pick = SIZE_MAX;
		s->recorded_at = 0;
		/* Every schedule's workers draw from execution 0's seed. */
		cc.seed = execution_seed(run->cfg.seed, 0);
		steps = explore_seeded(run, cc.seed, &cc);
		if (explore_cut_clean(run))
			return PASS_CUT;
		run->executions_run++;
		if (!explore_last()->pruned)
			(*schedules)++;
		if (run_failures(run)) {
			run->bug_depth = (int)s->preempted;
			/* Kept as execution 0, whose seeds its workers drew:
			 * --minimize replays it so. The report counts the
			 * schedules run (cli/run_one.c). */
			explore_keep_failing(run, 0, steps);
			return PASS_FAILED;
		}
		if (!backtrack(s))
			return PASS_WHOLE;
	}
}

void run_bounded(struct run *run)
{
	int top = run->cfg.bound;

	lostflush_footprints = true;
	const char *off = getenv("LOSTFLUSH_NO_SLEEP_SETS");

	use_sleep_sets = top == BOUNDED_NONE && (!off || strcmp(off, "1") != 0);
	run->bound_complete = -1;
	run->bug_depth = -1;
	for (int b = top == BOUNDED_NONE ? BOUNDED_NONE : 0;; b++) {
		uint64_t schedules;
		enum pass_end end = pass(run, b, &schedules);

		run->bound_reached = b;
		run->bound_schedules = schedules;
		if (end != PASS_WHOLE)
			break;
		run->bound_complete = b;
		/* Nothing was left for a larger bound: every schedule is
		 * explored. */
		if (!the_search.over_bound) {
			run->bound_exhaustive = true;
			break;
		}
		if (b >= top)
			break;
	}
	truncate_path(&the_search, 0);
	lostflush_footprints = false;
	torture_stop();
}
