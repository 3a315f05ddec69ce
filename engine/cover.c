// SPDX-License-Identifier: GPL-2.0
/*
 * --sched cover (engine/cover.h): an archive of abstract states, each with the
 * first decision prefix found to reach it; most executions replay a kept
 * prefix and go on at random from there.
 */
#include "cover.h"

#include <stdlib.h>
#include <string.h>

#include "budget.h"
#include "check.h"
#include "explore.h"
#include "interrupt.h"
#include "memmodel.h"
#include "reads_from.h"
#include "trace.h"

/*
 * The search's constants. Each was measured on the catalogue's deep races,
 * on the search as it was when it was tried; docs/controlled.md ("The
 * search's constants") has the figures.
 *
 * FRESH_ONE_IN   one execution in 8 starts from nothing: every prefix in
 *                the archive begins with what some earlier execution did,
 *                and fresh starts keep new beginnings coming.
 * RECENT         half the others go on from one of the 32 states found
 *                last: a state just found is one step along a chain, and
 *                going on from it at once is what climbs the chain.
 * TOURNAMENT     the rest go on from the least tried of 3 random states:
 *                Go-Explore's weighting towards rarely chosen cells,
 *                without keeping a sorted list.
 * SWITCH_ONE_IN  past the prefix, the running fiber keeps running except
 *                one decision in 6: a random choice at every point
 *                switches five times in six and cuts short the segment a
 *                race needs one thread to run without a stop.
 *
 * Following store reorderings (a variant's cover_follows_reorderings, under
 * store buffers):
 *
 * PASSED_ONE_IN  every execution that does not start fresh goes on from a
 *                state in which some fiber's store has been passed by a
 *                later one of its own: the reordering a weak-memory race
 *                is made of, in flight (mm_passed()).
 * HOLD_ONE_IN    while a fiber's store is passed, random decisions pass
 *                over that fiber and its buffer seven times in eight, so
 *                the others act on the reordering before the fiber drains
 *                it (ctl.h, hold_passed_one_in).
 * PASSED_SWITCH_ONE_IN  going on from a passed store, the running fiber
 *                is kept one decision in 2, not 5 in 6: the reordering
 *                needs several fibers to act while it lasts, not one to
 *                run long.
 *
 * For other races following reorderings is effort taken from the states
 * they need, so a variant asks for it.
 *
 * Each can be set at build time (-DSWITCH_ONE_IN=8) to measure another;
 * 0 turns PASSED_ONE_IN, HOLD_ONE_IN and RESEED_FROM_PASSED off.
 */
#ifndef FRESH_ONE_IN
#define FRESH_ONE_IN 8
#endif
#ifndef RECENT
#define RECENT 32
#endif
#ifndef RECENT_ONE_IN
#define RECENT_ONE_IN 2
#endif
#define TOURNAMENT 3
#ifndef SWITCH_ONE_IN
#define SWITCH_ONE_IN 6
#endif
#ifndef PASSED_ONE_IN
#define PASSED_ONE_IN 1
#endif
#ifndef PASSED_SWITCH_ONE_IN
#define PASSED_SWITCH_ONE_IN 2
#endif
/*
 * READS_FROM     a reads-from pair (engine/reads_from.h) no execution has
 *                shown before is a new state too, kept with the prefix
 *                that showed it (RFF's feedback, ASPLOS 2024).
 */
#ifndef READS_FROM
#define READS_FROM 0
#endif
#ifndef HOLD_ONE_IN
#define HOLD_ONE_IN 8
#endif
#ifndef RESEED_FROM_PASSED
#define RESEED_FROM_PASSED 1
#endif
/* States kept at most; past it, or past --max-memory (engine/budget.h),
 * the search goes on without keeping new ones. The tables are sized for
 * the most at once, but calloc()'s pages cost memory only as cells fill
 * them, and each cell is charged for its share with its prefix. */
#define ARCHIVE_MAX_CELLS (1 << 20)
/*
 * The archive leaves this share of --max-memory free (1 / RESERVE_SHARE):
 * the executions it runs need their decision log, which grows with the
 * execution (3 bytes a decision, doubling). Without a reserve the archive
 * filled the budget within the first long execution and the log, needing
 * to double past 32,768 decisions (64 vCPUs, entries=1000: some 330,000
 * decisions an execution), ended the run as a lack of memory (exit 3) that
 * the search itself had made. A quarter of the smallest --max-memory
 * (1 MiB) is 87,000 decisions; of 1 GiB, 89 million, more than an
 * execution makes in a minute. An execution whose log passes even that
 * is cut where it stands (ctl_config.cut_when_log_full), judges nothing
 * past the cut, and the search ends there as at its duration: the memory
 * it lacks is what the archive holds, not what the machine lacks.
 */
#define RESERVE_SHARE 4

struct cell {
	uint64_t sig;
	uint64_t origin; /* the execution whose worker seeds its prefix ran with */
	struct ctl_decision *prefix;
	uint32_t len;
	uint32_t chosen; /* executions started from it */
};

struct archive {
	struct cell *cells; /* in the order found */
	size_t nr;
	uint32_t *passed; /* indexes of the cells with a passed store */
	size_t nr_passed;
	uint32_t *slots; /* open addressing: cell index + 1, 0 empty */
	size_t nr_slots; /* a power of two, twice ARCHIVE_MAX_CELLS */
	uint64_t bytes;	 /* charged to the budget */
	bool full;	 /* a state was not kept for want of room */
};

/* What one execution of the search knows while it runs. */
struct search {
	struct archive *archive;
	struct run *run;
	uint64_t origin;
	size_t replayed; /* decisions of the prefix it replays: states known */
};

static uint64_t last_event(const struct thread_ctx *ctx)
{
	const struct trace_ring *r = &ctx->ring;

	return r->head ? r->rec[(r->head - 1) & (TRACE_RING_SIZE - 1)].event : TRACE_NO_EVENT;
}

/* A window by its name, not its address: the same on every run of every
 * build, so a search's executions do not depend on where the loader put
 * the binary. */
static uint64_t window_id(const char *name)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	if (!name)
		return 0;
	while (*name)
		h = (h ^ (unsigned char)*name++) * 0x100000001b3ULL;
	return h;
}

uint64_t cover_mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
	return h * 0xff51afd7ed558ccdULL;
}

uint64_t cover_clamp(long v, long max)
{
	return (uint64_t)(v < 0 ? 0 : v > max ? max : v);
}

/*
 * What every fiber shares: which fibers are stopped inside a window the
 * subject marks (a flusher between its snapshot and its settle, an
 * increment between its load and its store) and how many stores each has
 * not made visible; then the subject's own view (subject_ops.signature).
 */
static uint64_t shared_signature(const struct run *run)
{
	uint64_t h = 0x5bd1e995;

	for (int i = 0; i < run->nr_workers; i++) {
		h = cover_mix(h, window_id(run->workers[i].ctx->window));
		if (mm_enabled())
			h = cover_mix(h, cover_clamp(mm_pending(i), 3));
	}
	return run->subject_ops->signature(run, h);
}

static struct cell *archive_find(struct archive *a, uint64_t sig, size_t *slot)
{
	size_t mask = a->nr_slots - 1;

	for (size_t s = sig & mask;; s = (s + 1) & mask) {
		if (!a->slots[s]) {
			*slot = s;
			return NULL;
		}
		if (a->cells[a->slots[s] - 1].sig == sig)
			return &a->cells[a->slots[s] - 1];
	}
}

/* What keeping a cell with a prefix of len decisions costs. */
static uint64_t cell_bytes(size_t len)
{
	return len * sizeof(struct ctl_decision) + sizeof(struct cell) + 3 * sizeof(uint32_t);
}

static void archive_add(struct archive *a, size_t slot, uint64_t sig, uint64_t origin,
			const struct ctl_decision *log, size_t len, bool passed)
{
	struct cell *cell = &a->cells[a->nr];

	if (!budget_charge_leaving(cell_bytes(len), budget_limit() / RESERVE_SHARE)) {
		a->full = true;
		return;
	}
	cell->prefix = malloc(len * sizeof(*log) + 1);
	if (!cell->prefix) {
		budget_release(cell_bytes(len));
		a->full = true;
		return;
	}
	a->bytes += cell_bytes(len);
	memcpy(cell->prefix, log, len * sizeof(*log));
	cell->sig = sig;
	cell->origin = origin;
	cell->len = (uint32_t)len;
	cell->chosen = 0;
	if (passed)
		a->passed[a->nr_passed++] = (uint32_t)a->nr;
	a->slots[slot] = (uint32_t)++a->nr;
}

/* The step just ended read a value from a store it had never been seen
 * to read from: keep the prefix up to that step. */
static void keep_new_pair(struct archive *a, const struct search *s, const struct ctl *c)
{
	uint64_t pair = reads_from_take_new(), sig = cover_mix(0x7266 /* "rf" */, pair);
	size_t slot = 0;

	if (!pair || a->nr == ARCHIVE_MAX_CELLS)
		return;
	if (!archive_find(a, sig, &slot))
		archive_add(a, slot, sig, s->origin, c->log, c->log_len - 1, false);
}

/*
 * After each RUN decision. A state is kept once per fiber, as the shared
 * part with that one fiber's last event: the product over all fibers of
 * where each is would be too fine (measured: a million states in 10 s, and
 * nothing found), while the shared part alone cannot tell a flusher about
 * to settle from one that has settled.
 *
 * The prefix kept stops before the RUN decision just taken: the state is
 * the one the decision was taken in, and an execution that goes on from it
 * decides that step afresh. Keeping the decision too would tie every
 * continuation to the fiber that happened to run next.
 */
static void observe(void *arg, const struct ctl *c)
{
	struct search *s = arg;
	struct archive *a = s->archive;
	uint64_t shared;
	bool passed = false;

	if (c->log_len <= s->replayed)
		return;
	if (READS_FROM)
		keep_new_pair(a, s, c);
	shared = shared_signature(s->run);
	for (int i = 0; i < c->nr_threads && s->run->cfg.cover_reorderings && mm_enabled(); i++)
		passed |= mm_passed(i);
	for (int i = 0; i < c->nr_threads; i++) {
		uint64_t sig = cover_mix(cover_mix(shared, (uint64_t)i + 1),
					 last_event(s->run->workers[i].ctx));
		size_t slot = 0;

		if (a->nr == ARCHIVE_MAX_CELLS) {
			a->full = true;
			return;
		}
		if (!archive_find(a, sig, &slot))
			archive_add(a, slot, sig, s->origin, c->log, c->log_len - 1, passed);
	}
}

/* One of the cells idx[0 .. nr) (idx NULL: the archive in order): half
 * the time one of the newest, else the least tried of a few. */
static struct cell *pick_among(struct archive *a, const uint32_t *idx, size_t nr, struct rng *rng)
{
	struct cell *best = NULL;

	if (!rng_below(rng, RECENT_ONE_IN)) {
		size_t recent = nr < RECENT ? nr : RECENT, k = nr - 1 - rng_below(rng, recent);

		best = &a->cells[idx ? idx[k] : k];
	} else {
		for (int i = 0; i < TOURNAMENT; i++) {
			size_t k = rng_below(rng, nr);
			struct cell *c = &a->cells[idx ? idx[k] : k];

			if (!best || c->chosen < best->chosen)
				best = c;
		}
	}
	HARNESS_ASSERT(best, "a pick among %zu cells found none", nr);
	best->chosen++;
	return best;
}

/* The cell execution goes on from, or NULL: start fresh. *passed: it was
 * picked for a passed store. */
static struct cell *pick_cell(struct archive *a, struct rng *rng, bool *passed)
{
	*passed = false;
	if (!a->nr || !rng_below(rng, FRESH_ONE_IN))
		return NULL;
	if (PASSED_ONE_IN && a->nr_passed && !rng_below(rng, PASSED_ONE_IN)) {
		*passed = true;
		return pick_among(a, a->passed, a->nr_passed, rng);
	}
	return pick_among(a, NULL, a->nr, rng);
}

static void archive_init(struct archive *a)
{
	a->nr = 0;
	a->bytes = 0;
	a->full = false;
	a->nr_slots = 2 * (size_t)ARCHIVE_MAX_CELLS;
	a->cells = calloc(ARCHIVE_MAX_CELLS, sizeof(*a->cells));
	a->slots = calloc(a->nr_slots, sizeof(*a->slots));
	a->nr_passed = 0;
	a->passed = calloc(ARCHIVE_MAX_CELLS, sizeof(*a->passed));
	HARNESS_NEED(a->cells && a->slots && a->passed, "memory",
		     "the state archive's tables (%zu MiB of address space)",
		     (ARCHIVE_MAX_CELLS * (sizeof(*a->cells) + 3 * sizeof(uint32_t))) >> 20);
}

static void archive_destroy(struct archive *a)
{
	for (size_t i = 0; i < a->nr; i++)
		free(a->cells[i].prefix);
	budget_release(a->bytes);
	free(a->cells);
	free(a->slots);
	free(a->passed);
}

/* Execution i: from a kept prefix (replayed with the worker seeds it was
 * found with, then random), or fresh. Returns its schedule points and, in
 * *origin, the execution whose seeds its workers drew from. */
static uint64_t cover_one(struct run *run, struct archive *a, uint64_t i, uint64_t *origin)
{
	struct rng pick;
	struct cell *from;
	bool passed;
	struct search s = { .archive = a, .run = run, .origin = i };
	struct ctl_config cc = {
		.strategy = CTL_RANDOM,
		.seed = execution_seed(run->cfg.seed, i),
		.switch_one_in = SWITCH_ONE_IN,
		.hold_passed_one_in = run->cfg.cover_reorderings ? HOLD_ONE_IN : 0,
		.observe = observe,
		.observe_arg = &s,
		.deadline_ns = explore_deadline(run),
		.cut_when_log_full = true,
	};

	rng_seed(&pick, cc.seed, 0x636f766572ULL /* "cover" */);
	reads_from_execution_start();
	from = pick_cell(a, &pick, &passed);
	if (from) {
		cc.strategy = CTL_GUIDED;
		cc.then_random = true;
		/* From a reordering in flight, the workers also choose anew
		 * (a RESEED where the prefix ends): what a fiber does next
		 * decides whether the reordering is ever used, and the
		 * prefix's origin has chosen it already. Forking after every
		 * prefix instead costs the races whose chains of states are
		 * built on one origin's choices (docs/controlled.md has both
		 * measurements). */
		cc.reseed_past_guide = RESEED_FROM_PASSED && passed;
		if (passed)
			cc.switch_one_in = PASSED_SWITCH_ONE_IN;
		cc.guide = from->prefix;
		cc.guide_len = from->len;
		s.origin = from->origin;
		s.replayed = from->len;
	}
	*origin = s.origin;
	return explore_seeded(run, execution_seed(run->cfg.seed, s.origin), &cc);
}

void run_cover(struct run *run)
{
	struct archive a;
	/* Execution i depends on every one before it: a search starts at 0. */
	uint64_t last = run->cfg.executions ? run->cfg.executions : UINT64_MAX;

	archive_init(&a);
	lostflush_footprints = lostflush_reads_from = READS_FROM;
	reads_from_run_start();
	for (uint64_t i = 0; i < last; i++) {
		uint64_t origin, steps;

		if (interrupt_requested() || trace_now_ns() - run->t0_ns >= run->cfg.duration_ns)
			break;
		steps = cover_one(run, &a, i, &origin);
		if (explore_cut_clean(run))
			break;
		run->executions_run++;
		if (run_failures(run)) {
			explore_keep_failing(run, origin, steps);
			break;
		}
	}
	lostflush_footprints = lostflush_reads_from = false;
	run->cover_states = a.nr;
	run->cover_archive_full = a.full;
	run->cover_archive_bytes = a.bytes;
	archive_destroy(&a);
	torture_stop();
}
