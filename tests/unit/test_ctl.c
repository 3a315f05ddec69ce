// SPDX-License-Identifier: GPL-2.0
/*
 * The controlled scheduler: one thread at a time, executions fixed by the
 * seed, blocking known to the scheduler (no livelock, deadlocks reported
 * with exit 4), and PCT finding a depth-2 bug at least as often as its
 * bound promises.
 */
#include <math.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../engine/check.h"
#include "../../engine/ctl.h"
#include "../../engine/thread.h"
#include "child.h"

/* ---- A tiny harness: run n copies of body under one ctl ----------------- */

struct toy;
typedef void (*toy_body)(struct toy *toy, int id);

struct toy {
	struct ctl ctl;
	toy_body body;
	int nr;
	/* Shared toy state; only the running thread touches it. */
	int x, bug, flag, order[256], nr_order;
	atomic_int running, overlap;
};

struct toy_arg {
	struct toy *toy;
	int id;
};

static void toy_thread(void *p)
{
	struct toy_arg *a = p;

	a->toy->body(a->toy, a->id);
}

static void toy_run(struct toy *toy, int nr, toy_body body, const struct ctl_config *cfg)
{
	static struct toy_arg args[8];

	memset(toy, 0, sizeof(*toy));
	toy->body = body;
	toy->nr = nr;
	ctl_init(&toy->ctl, nr, cfg);
	for (int i = 0; i < nr; i++) {
		char name[8];

		snprintf(name, sizeof(name), "t%d", i);
		args[i] = (struct toy_arg){ toy, i };
		ctl_add_thread(&toy->ctl, i, name, toy_thread, &args[i], NULL);
	}
	ctl_run(&toy->ctl);
	ctl_destroy(&toy->ctl);
}

/* A point that also checks nobody else runs across it. */
static void point(struct toy *toy, int id)
{
	atomic_fetch_sub(&toy->running, 1);
	ctl_point(&toy->ctl, id);
	if (atomic_fetch_add(&toy->running, 1) != 0)
		atomic_store(&toy->overlap, 1);
	if (toy->nr_order < 256)
		toy->order[toy->nr_order++] = id;
}

/* ---- One at a time, fixed by the seed ----------------------------------- */

static void busy_body(struct toy *toy, int id)
{
	atomic_fetch_add(&toy->running, 1);
	for (int i = 0; i < 40; i++)
		point(toy, id);
	atomic_fetch_sub(&toy->running, 1);
}

static void one_thread_runs_at_a_time(void **state)
{
	static struct toy toy;
	const struct ctl_config random = { .strategy = CTL_RANDOM, .seed = 7 };

	(void)state;
	toy_run(&toy, 4, busy_body, &random);
	assert_int_equal(atomic_load(&toy.overlap), 0);
	assert_int_equal(toy.nr_order, 4 * 40);
	assert_true(toy.ctl.switches > 10); /* it really interleaved */
}

static void same_seed_same_execution(void **state)
{
	static struct toy a, b, c;
	struct ctl_config cfg = { .strategy = CTL_RANDOM, .seed = 11 };

	(void)state;
	toy_run(&a, 3, busy_body, &cfg);
	toy_run(&b, 3, busy_body, &cfg);
	cfg.seed = 12;
	toy_run(&c, 3, busy_body, &cfg);
	assert_memory_equal(a.order, b.order, sizeof(a.order));
	assert_memory_not_equal(a.order, c.order, sizeof(a.order));
}

/* ---- Guided, then random: what the state search runs ------------------- */

static size_t copy_log(const struct toy *toy, struct ctl_decision *out, size_t cap)
{
	size_t n = toy->ctl.log_len < cap ? toy->ctl.log_len : cap;

	memcpy(out, toy->ctl.log, n * sizeof(*out));
	return n;
}

/* A kept prefix replays exactly, and the execution goes on its own way. */
static void guided_prefix_then_random(void **state)
{
	static struct toy a, b, c;
	static struct ctl_decision la[512], lb[512], lc[512];
	const size_t prefix = 60;
	struct ctl_config cfg = { .strategy = CTL_RANDOM, .seed = 21 };
	size_t na, nb, nc;

	(void)state;
	toy_run(&a, 3, busy_body, &cfg);
	na = copy_log(&a, la, 512);
	assert_true(na > prefix);
	cfg = (struct ctl_config){ .strategy = CTL_GUIDED,
				   .guide = la,
				   .guide_len = prefix,
				   .then_random = true,
				   .seed = 22 };
	toy_run(&b, 3, busy_body, &cfg);
	nb = copy_log(&b, lb, 512);
	toy_run(&c, 3, busy_body, &cfg);
	nc = copy_log(&c, lc, 512);
	assert_memory_equal(la, lb, prefix * sizeof(*la));
	assert_memory_equal(a.order, b.order, 40 * sizeof(int));
	/* Past the prefix it decides at random: not a's execution, and not
	 * the guided fallback that runs the current thread to its end. */
	assert_memory_not_equal(a.order, b.order, sizeof(a.order));
	assert_true(b.ctl.switches > ctl_count_switches(la, prefix) + 5);
	/* And the same configuration is the same execution. */
	assert_int_equal(nb, nc);
	assert_memory_equal(lb, lc, nb * sizeof(*lb));
}

/* ---- RESEED: a continuation forks the workers' random streams --------- */

#define DRAWS 24

struct drawing {
	struct ctl ctl;
	uint64_t draws[2][DRAWS];
};

static struct drawing *drawing;

/* Each point, the thread draws from its own stream, as a worker picks a
 * page or a guest operation. */
static void draw_body(void *p)
{
	int id = (int)(intptr_t)p;

	for (int i = 0; i < DRAWS; i++) {
		drawing->draws[id][i] = rng_next(&current_thread->rng);
		ctl_point(&drawing->ctl, id);
	}
}

static size_t draw_run(struct drawing *d, const struct ctl_config *cfg, struct ctl_decision *log)
{
	static struct thread_ctx tls[2];
	size_t n;

	memset(d, 0, sizeof(*d));
	drawing = d;
	ctl_init(&d->ctl, 2, cfg);
	for (int i = 0; i < 2; i++) {
		memset(&tls[i], 0, sizeof(tls[i]));
		rng_seed(&tls[i].rng, 99, (uint64_t)i + 1);
		ctl_add_thread(&d->ctl, i, i ? "t1" : "t0", draw_body, (void *)(intptr_t)i,
			       &tls[i]);
	}
	ctl_run(&d->ctl);
	n = d->ctl.log_len;
	memcpy(log, d->ctl.log, n * sizeof(*log));
	ctl_destroy(&d->ctl);
	return n;
}

static size_t count_kind(const struct ctl_decision *d, size_t n, int kind, size_t *where)
{
	size_t count = 0;

	for (size_t i = 0; i < n; i++)
		if (d[i].kind == kind) {
			*where = i;
			count++;
		}
	return count;
}

/* Where the guide runs out, the streams fork (a logged RESEED); a replay of
 * the log forks them the same way and draws the same values; without the
 * fork the same prefix draws what the original did. */
static void reseed_forks_streams_and_replays(void **state)
{
	static struct drawing a, b, c, d;
	static struct ctl_decision la[256], lb[256], lc[256], ld[256];
	const size_t prefix = 20;
	struct ctl_config cfg = { .strategy = CTL_RANDOM, .seed = 31 };
	size_t na, nb, nc, at = 0;

	(void)state;
	na = draw_run(&a, &cfg, la);
	assert_true(na > prefix);
	cfg = (struct ctl_config){ .strategy = CTL_GUIDED,
				   .guide = la,
				   .guide_len = prefix,
				   .then_random = true,
				   .reseed_past_guide = true,
				   .seed = 32 };
	nb = draw_run(&b, &cfg, lb);
	assert_int_equal(count_kind(lb, nb, CTL_RESEED, &at), 1);
	assert_int_equal(at, prefix);
	assert_memory_equal(la, lb, prefix * sizeof(*la));
	/* The replay: every decision of b, RESEED included. */
	cfg = (struct ctl_config){ .strategy = CTL_GUIDED, .guide = lb, .guide_len = nb };
	nc = draw_run(&c, &cfg, lc);
	assert_int_equal(nc, nb);
	assert_memory_equal(lb, lc, nb * sizeof(*lb));
	assert_memory_equal(b.draws, c.draws, sizeof(b.draws));
	/* b's schedule without its RESEED: each thread's stream is its own,
	 * whatever the interleaving, so it draws exactly what a drew; b,
	 * forked, drew other values. */
	memcpy(ld, lb, nb * sizeof(*lb));
	memmove(&ld[at], &ld[at + 1], (nb - at - 1) * sizeof(*ld));
	cfg = (struct ctl_config){ .strategy = CTL_GUIDED, .guide = ld, .guide_len = nb - 1 };
	draw_run(&d, &cfg, lc);
	assert_memory_equal(a.draws, d.draws, sizeof(a.draws));
	assert_memory_not_equal(a.draws, b.draws, sizeof(a.draws));
}

/* A sticky random choice keeps the running thread most of the time. */
static void sticky_random_switches_less(void **state)
{
	static struct toy plain, sticky;
	uint64_t plain_sw = 0, sticky_sw = 0;

	(void)state;
	for (uint64_t seed = 1; seed <= 20; seed++) {
		struct ctl_config cfg = { .strategy = CTL_RANDOM, .seed = seed };

		toy_run(&plain, 4, busy_body, &cfg);
		plain_sw += plain.ctl.switches;
		cfg.switch_one_in = 6;
		toy_run(&sticky, 4, busy_body, &cfg);
		sticky_sw += sticky.ctl.switches;
		assert_int_equal(atomic_load(&sticky.overlap), 0);
		assert_int_equal(sticky.nr_order, 4 * 40);
	}
	printf("switches over 20 executions: random %llu, one in 6 %llu\n",
	       (unsigned long long)plain_sw, (unsigned long long)sticky_sw);
	/* Random switches 3 times in 4 with four threads; sticky about 1 in
	 * 6 * 4 / 3 = 8. */
	assert_true(sticky_sw > 0);
	assert_true(sticky_sw * 3 < plain_sw);
}

struct observed {
	size_t calls;
	bool saw_run_last;
};

static void count_observe(void *arg, const struct ctl *c)
{
	struct observed *o = arg;

	o->calls++;
	o->saw_run_last &= c->log_len > 0 && c->log[c->log_len - 1].kind == CTL_RUN;
}

/* The observer sees every RUN decision, right after it is logged. */
static void observer_sees_every_run(void **state)
{
	static struct toy toy;
	struct observed o = { 0, true };
	const struct ctl_config cfg = {
		.strategy = CTL_RANDOM, .seed = 5, .observe = count_observe, .observe_arg = &o
	};
	size_t runs = 0;

	(void)state;
	toy_run(&toy, 3, busy_body, &cfg);
	for (size_t i = 0; i < toy.ctl.log_len; i++)
		runs += toy.ctl.log[i].kind == CTL_RUN;
	assert_true(runs > 100);
	assert_int_equal(o.calls, runs);
	assert_true(o.saw_run_last);
}

/* ---- Blocking ------------------------------------------------------------ */

static bool flag_set(void *arg)
{
	return ((struct toy *)arg)->flag;
}

/* Thread 0 waits for the flag; thread 1 sets it after a while. Under PCT a
 * spinning waiter with the higher priority would never let thread 1 run. */
static void waiter_body(struct toy *toy, int id)
{
	if (id == 0) {
		ctl_wait_until(&toy->ctl, id, flag_set, toy, "the flag");
		toy->x = 1;
		return;
	}
	for (int i = 0; i < 10; i++)
		ctl_point(&toy->ctl, id);
	toy->flag = 1;
	ctl_point(&toy->ctl, id);
}

static void blocked_thread_is_not_run(void **state)
{
	(void)state;
	for (uint64_t seed = 1; seed <= 20; seed++) {
		static struct toy toy;
		const struct ctl_config pct = {
			.strategy = CTL_PCT, .pct_depth = 2, .steps_estimate = 20, .seed = seed
		};

		toy_run(&toy, 2, waiter_body, &pct);
		assert_int_equal(toy.x, 1);
	}
}

static bool never(void *arg)
{
	(void)arg;
	return false;
}

static void deadlock_body(struct toy *toy, int id)
{
	ctl_wait_until(&toy->ctl, id, never, NULL, id ? "mmu_lock (held by t0)" : "a kick ack");
}

static void deadlocked_child(void)
{
	static struct toy toy;
	const struct ctl_config random = { .strategy = CTL_RANDOM, .seed = 1 };

	toy_run(&toy, 2, deadlock_body, &random);
}

static void deadlock_is_reported_exit_4(void **state)
{
	char err[2048];

	(void)state;
	assert_int_equal(run_child(deadlocked_child, err, sizeof(err)), EXIT_HARNESS);
	assert_non_null(strstr(err, "deadlock"));
	assert_non_null(strstr(err, "mmu_lock (held by t0)"));
	assert_non_null(strstr(err, "a kick ack"));
}

/* ---- PCT's bound on a depth-2 bug ---------------------------------------- */

/*
 * t0: x = 1; point; x = 2        t1: point; if (x == 1) bug
 * The bug needs t1's read between t0's two writes: two ordering
 * constraints, depth 2. An execution has k = 3 points (t0's, t1's and the
 * exits do not count), n = 2 threads: PCT with d = 2 must find it in at
 * least 1 / (n k) of executions.
 */
static void depth2_body(struct toy *toy, int id)
{
	if (id == 0) {
		toy->x = 1;
		ctl_point(&toy->ctl, id);
		toy->x = 2;
		ctl_point(&toy->ctl, id);
	} else {
		ctl_point(&toy->ctl, id);
		if (toy->x == 1)
			toy->bug = 1;
	}
}

static void pct_meets_its_bound_on_depth_2(void **state)
{
	const int runs = 3000, n = 2, k = 3;
	const double bound = 1.0 / (n * k);
	int found = 0;

	(void)state;
	for (int r = 0; r < runs; r++) {
		static struct toy toy;
		const struct ctl_config pct = { .strategy = CTL_PCT,
						.pct_depth = 2,
						.steps_estimate = (uint64_t)k,
						.seed = (uint64_t)r + 1 };

		toy_run(&toy, n, depth2_body, &pct);
		found += toy.bug;
	}
	double rate = (double)found / runs;
	/* One-sided: the rate may fall short of the bound only by sampling
	 * noise, at most 3.3 standard errors (about 1 in 2000 by chance). */
	double sigma = sqrt(bound * (1 - bound) / runs);

	printf("pct:2 found the depth-2 bug in %d of %d executions (%.3f); bound %.3f\n", found,
	       runs, rate, bound);
	assert_true(rate >= bound - 3.3 * sigma);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(one_thread_runs_at_a_time),
		cmocka_unit_test(same_seed_same_execution),
		cmocka_unit_test(guided_prefix_then_random),
		cmocka_unit_test(sticky_random_switches_less),
		cmocka_unit_test(reseed_forks_streams_and_replays),
		cmocka_unit_test(observer_sees_every_run),
		cmocka_unit_test(blocked_thread_is_not_run),
		cmocka_unit_test(deadlock_is_reported_exit_4),
		cmocka_unit_test(pct_meets_its_bound_on_depth_2),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
