/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Controlled scheduling: the workers of one execution are fibers on the
 * controlling thread, exactly one of which runs at a time.
 *
 * Each fiber runs until its next ctl_point(); there the scheduler decides
 * what happens next and switches to the chosen fiber. Only one fiber exists
 * at any moment as far as the model is concerned, so an execution is fixed by
 * its seed, its strategy and (under --memory tso|weak) its store-buffer
 * decisions, and the list of decisions replays it.
 *
 * Why fibers and not one pthread per worker handing a semaphore around: a
 * decision then costs a user-space context switch instead of a futex wake
 * and a trip through the kernel scheduler, and starting an execution costs
 * a makecontext() instead of a pthread_create(). ThreadSanitizer follows the
 * switches through its fiber interface, so the TSan build stays meaningful.
 *
 * Decisions (the schedule):
 *   RUN t        fiber t runs until its next point;
 *   COMMIT t k   entry k of fiber t's store buffer becomes visible to all;
 *   STALE t c    fiber t's load reads the older value (c = 1) or the newest
 *                (c = 0) where the memory model allows both;
 *   RESEED v     every fiber's random stream forks by v: from here the
 *                workers draw other choices (pages, guest operations) than
 *                the execution the decisions before it came from.
 *
 * Strategies:
 *   random  every decision picks uniformly among the enabled ones;
 *   pct     PCT (Burckhardt, Kothari, Musuvathi, Nagarakatte, ASPLOS 2010):
 *           random distinct priorities, the highest enabled entity acts,
 *           and at d-1 random steps the acting entity drops below all
 *           others. Each store buffer is an entity of its own (as the
 *           buffer threads of PCTWM, Gao et al., OOPSLA 2023), so a low
 *           priority holds a store back and a high one makes it visible at
 *           once. A bug of depth d shows with probability at least
 *           1 / (n k^(d-1)) per execution, n entities, k steps;
 *   guided  follow a given decision list; where it says something
 *           impossible, skip it; when it runs out, keep running the current
 *           fiber (then the lowest-numbered one), and make a buffered store
 *           visible only when nothing else can happen. Minimization and
 *           --replay of a minimized schedule run this way. With then_random
 *           it decides as random does once the list runs out: the state
 *           search (engine/cover.h) replays a kept prefix and explores on.
 *
 * Blocking is known to the scheduler: a fiber waits with ctl_wait_until(pred)
 * and is runnable only when pred holds, so a spin in the model never
 * livelocks the scheduler, and when nothing is enabled the execution has
 * deadlocked: the harness fails (exit 4) naming every fiber and what it
 * waits for.
 */
#ifndef LOSTFLUSH_CTL_H
#define LOSTFLUSH_CTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <ucontext.h>

#include "footprint.h"
#include "rng.h"

#define CTL_MAX_THREADS 80
#define CTL_MAX_DEPTH 8
#define CTL_DEFAULT_DEPTH 3
#define CTL_MAX_STEPS 1000000 /* the largest PCT step estimate one may give */
/* Decisions between two reads of the clock for cfg.deadline_ns: a read
 * costs some 20 ns, a decision some 500; under the state search a decision
 * may cost milliseconds (it copies a prefix into the archive), and 32 of
 * those still keep the overshoot well under a second. */
#define CTL_DEADLINE_EVERY 32
/* Room the decision log has before each decision is made: it grows here,
 * at a schedule point, where the execution can be cut when it cannot grow,
 * not in the middle of a fiber's step (the store commits of one point and
 * the stale loads of one step are far fewer). */
#define CTL_LOG_HEADROOM 1024
/* Entities PCT orders: every fiber and every fiber's store buffer. */
#define CTL_MAX_ENTITIES (2 * CTL_MAX_THREADS)

enum ctl_strategy {
	CTL_RANDOM,
	CTL_PCT,
	CTL_GUIDED,
	CTL_PICKER, /* a strategy of its own file: engine/pos.c, surw.c, bounded.c */
};

enum ctl_decision_kind {
	CTL_RUN,
	CTL_COMMIT,
	CTL_STALE,
	CTL_RESEED,
};

struct ctl_decision {
	uint8_t kind; /* enum ctl_decision_kind */
	uint8_t thread;
	uint8_t arg; /* COMMIT: buffer entry; STALE: 1 if the older value;
		      * RESEED: the fork */
};

struct ctl;

/*
 * A strategy kept in a file of its own. pick() chooses among the n enabled
 * entities en[] (fiber e < nr_threads, or fiber e - nr_threads's store
 * buffer, whose entry to make visible it puts in *commit_entry, or -1 for
 * any); -1 cuts the execution where it stands (the bounded search, on a
 * path it has already covered). stale() decides a load that may read the
 * older value (NULL: at random).
 */
struct ctl_picker {
	int (*pick)(void *arg, struct ctl *c, const int *en, int n, int *commit_entry);
	bool (*stale)(void *arg, struct ctl *c, int id);
};

struct ctl_config {
	enum ctl_strategy strategy;
	int pct_depth;		 /* d: d-1 priority change points */
	uint64_t steps_estimate; /* k: change points fall in [1, k] */
	uint64_t seed;
	/* CTL_GUIDED: the decisions to follow, and whether to go on at
	 * random after them. */
	const struct ctl_decision *guide;
	size_t guide_len;
	bool then_random;
	/* Random decisions (CTL_RANDOM, or past the guide) keep the current
	 * fiber running except one time in switch_one_in (0 or 1: never). */
	uint32_t switch_one_in;
	/* Random decisions pass over a fiber whose buffer holds a store a
	 * later one has passed (mm_passed()), and over that buffer, except one
	 * time in hold_passed_one_in (0: never pass over): the reordering
	 * stays in flight while the others act on it. */
	uint32_t hold_passed_one_in;
	/* CTL_GUIDED with then_random: fork the workers' random streams
	 * (a RESEED decision) where the guide runs out. */
	bool reseed_past_guide;
	/* trace_now_ns() past which the execution is cut where it stands,
	 * as a signal cuts it (0: never): a run's --duration holds inside an
	 * execution too, however long the workload makes one. The clock is
	 * read every CTL_DEADLINE_EVERY decisions, so an execution that ends
	 * before the deadline takes the same decisions with or without it. */
	uint64_t deadline_ns;
	/* When the decision log cannot grow within --max-memory, cut the
	 * execution where it stands (log_full) instead of ending the run
	 * with exit 3: the state search sets it, because the memory the log
	 * lacks is what its archive took. */
	bool cut_when_log_full;
	/* Called after every RUN decision is logged, before the chosen fiber
	 * runs (the state search watches the states it reaches). */
	void (*observe)(void *arg, const struct ctl *c);
	void *observe_arg;
	/* CTL_PICKER: the strategy, and its state. */
	const struct ctl_picker *picker;
	void *picker_arg;
};

struct thread_ctx;

struct ctl_thread {
	ucontext_t context;
	void *tsan_fiber;
	void (*fn)(void *arg);
	void *arg;
	struct thread_ctx *tls; /* current_thread while this fiber runs */
	bool exited;
	bool (*wait_pred)(void *arg); /* NULL: not waiting */
	void *wait_arg;
	const char *wait_what;
	size_t stale_seen; /* CTL_GUIDED: this fiber's STALE decisions used */
	/* The schedule point it is stopped at ("file:line", or the wait's
	 * name; NULL before its first and after its exit), and what its
	 * step since the last one touched (engine/footprint.h). */
	const char *site;
	struct footprint step;
	char name[16];
};

struct ctl {
	struct ctl_config cfg;
	int nr_threads;
	int current;	   /* the fiber that runs; -1 outside the execution */
	uint64_t steps;	   /* schedule points passed (waits included) */
	uint64_t switches; /* decisions that changed the running fiber */
	uint64_t change_points[CTL_MAX_DEPTH];
	int priority[CTL_MAX_ENTITIES];
	size_t guide_pos;
	bool reseeded; /* reseed_past_guide: done */
	/* A signal, or the deadline, stopped the execution before every
	 * fiber returned. */
	bool abandoned;
	bool past_deadline; /* the deadline did */
	bool log_full;	    /* cut_when_log_full did */
	bool pruned;	    /* the picker cut it: a path already covered */
	bool picking;	    /* enabled_entities() runs: no step notes */
	/* The step that ended last: whose, where it started, and what it
	 * touched. */
	int last_step_thread;
	const char *last_step_site;
	struct footprint last_step;
	uint64_t polls; /* pick_next() calls, for the deadline's clock */
	struct rng rng;
	ucontext_t controller;
	void *controller_fiber;
	struct thread_ctx *controller_tls;
	/* For AddressSanitizer: the controller's stack (learnt on the first
	 * switch away from it) and who made the last switch (-1: the
	 * controller). */
	const void *controller_stack;
	size_t controller_stack_size;
	int switched_from;
	/* The decisions taken, in order (owned by ctl.c, reused). */
	struct ctl_decision *log;
	size_t log_len, log_cap;
	struct ctl_thread threads[CTL_MAX_THREADS];
};

void ctl_init(struct ctl *c, int nr_threads, const struct ctl_config *cfg);
void ctl_destroy(struct ctl *c);

/* Fiber id runs fn(arg) with current_thread = tls; name labels it in
 * reports. Call for every id in [0, nr_threads) before ctl_run(). */
void ctl_add_thread(struct ctl *c, int id, const char *name, void (*fn)(void *arg), void *arg,
		    struct thread_ctx *tls);
/* From the controlling thread: run the execution until every fiber has
 * returned. */
void ctl_run(struct ctl *c);

/* A schedule point of fiber id: maybe something else happens now. site
 * names the point in the code (a string that lives as long as the
 * program); ctl_point() has none. */
void ctl_point_at(struct ctl *c, int id, const char *site);
void ctl_point(struct ctl *c, int id);
/* Block fiber id until pred(arg) holds; `what` names the wait for a
 * deadlock report. pred reads memory as it is, never a store buffer. */
void ctl_wait_until(struct ctl *c, int id, bool (*pred)(void *arg), void *arg, const char *what);
/* A load of fiber id may read an older value: decide (and log) whether it
 * does. */
bool ctl_choose_stale(struct ctl *c, int id);

/* Context switches in a decision list: RUN decisions that change fiber. */
uint64_t ctl_count_switches(const struct ctl_decision *d, size_t n);

#endif
