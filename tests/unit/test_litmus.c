// SPDX-License-Identifier: GPL-2.0
/*
 * Litmus tests for the memory model (--memory), run the way the harness
 * runs the model: two fibers under the controlled scheduler, the shared
 * variables written and read with the kernel primitives of engine/bitops.h.
 * Each shape runs 2000 seeded random executions per model; "allowed" means
 * the outcome shows at least once, "forbidden" that it never does. The
 * verdicts are the Linux kernel memory model's for the same shapes
 * (tools/memory-model/litmus-tests: SB+fencembonceonces,
 * MP+fencewmbonceonce+fencermbonceonce, MP+pooncerelease+poacquireonce),
 * with tso standing in for x86 (where only SB shows) and sc allowing none.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "../../engine/bitops.h"
#include "../../engine/ctl.h"
#include "../../engine/memmodel.h"
#include "../../engine/thread.h"

#define EXECUTIONS 2000

struct litmus;
typedef void (*litmus_thread)(struct litmus *l, int id);

struct litmus {
	struct ctl ctl;
	_Atomic int x, y;
	int r0, r1;
	int passed_seen, passed_wrong, ran_while_passed; /* passed_thread */
	unsigned barriers;				 /* which barriers the shape has */
	litmus_thread body;
};

enum {
	B_MB = 1,      /* smp_mb() on both sides (SB) */
	B_WMB = 2,     /* smp_wmb() in the writer (MP) */
	B_RMB = 4,     /* smp_rmb() in the reader (MP) */
	B_REL_ACQ = 8, /* release store and acquire load instead (MP) */
};

struct fiber_arg {
	struct litmus *l;
	int id;
};

static void fiber(void *p)
{
	struct fiber_arg *a = p;

	a->l->body(a->l, a->id);
}

static void point(struct litmus *l, int id)
{
	ctl_point(&l->ctl, id);
}

/* SB: each thread stores to one variable, then loads the other. */
static void sb_thread(struct litmus *l, int id)
{
	_Atomic int *mine = id ? &l->y : &l->x, *other = id ? &l->x : &l->y;
	int r;

	WRITE_ONCE(*mine, 1);
	point(l, id);
	if (l->barriers & B_MB)
		smp_mb();
	point(l, id);
	r = READ_ONCE(*other);
	if (id)
		l->r1 = r;
	else
		l->r0 = r;
}

/* MP: thread 0 writes data then flag; thread 1 reads flag then data. */
static void mp_thread(struct litmus *l, int id)
{
	if (id == 0) {
		WRITE_ONCE(l->x, 1);
		point(l, id);
		if (l->barriers & B_WMB)
			smp_wmb();
		if (l->barriers & B_REL_ACQ)
			smp_store_release(&l->y, 1);
		else
			WRITE_ONCE(l->y, 1);
		point(l, id);
		return;
	}
	l->r0 = l->barriers & B_REL_ACQ ? smp_load_acquire(&l->y) : READ_ONCE(l->y);
	point(l, id);
	if (l->barriers & B_RMB)
		smp_rmb();
	point(l, id);
	l->r1 = READ_ONCE(l->x);
}

/* One random execution of body under model m. */
static void run_one(struct litmus *l, enum mem_model m, litmus_thread body, unsigned barriers,
		    uint64_t seed, uint32_t hold_passed_one_in)
{
	static struct fiber_arg args[2];
	const struct ctl_config cfg = { .strategy = CTL_RANDOM,
					.seed = seed,
					.hold_passed_one_in = hold_passed_one_in };

	memset(l, 0, sizeof(*l));
	l->body = body;
	l->barriers = barriers;
	ctl_init(&l->ctl, 2, &cfg);
	for (int i = 0; i < 2; i++) {
		args[i] = (struct fiber_arg){ l, i };
		ctl_add_thread(&l->ctl, i, i ? "t1" : "t0", fiber, &args[i], NULL);
	}
	mm_start(m, 2);
	lostflush_ctl = &l->ctl;
	ctl_run(&l->ctl);
	lostflush_ctl = NULL;
	mm_stop();
	ctl_destroy(&l->ctl);
}

/* How many of EXECUTIONS executions end with (r0, r1) == (want0, want1). */
static int count_outcome(enum mem_model m, litmus_thread body, unsigned barriers, int want0,
			 int want1)
{
	static struct litmus l;
	int seen = 0;

	for (uint64_t seed = 1; seed <= EXECUTIONS; seed++) {
		run_one(&l, m, body, barriers, seed, 0);
		seen += l.r0 == want0 && l.r1 == want1;
	}
	return seen;
}

static void expect(const char *shape, enum mem_model m, litmus_thread body, unsigned barriers,
		   int want0, int want1, bool allowed)
{
	int seen = count_outcome(m, body, barriers, want0, want1);

	printf("%-28s %-4s %4d of %d  (%s)\n", shape, mem_model_name(m), seen, EXECUTIONS,
	       allowed ? "allowed" : "forbidden");
	if (allowed)
		assert_true(seen > 0);
	else
		assert_int_equal(seen, 0);
}

/* SB (r0 == 0 && r1 == 0): the store buffer's signature. */
static void store_buffering(void **state)
{
	(void)state;
	expect("SB", MEM_SC, sb_thread, 0, 0, 0, false);
	expect("SB", MEM_TSO, sb_thread, 0, 0, 0, true);
	expect("SB", MEM_WEAK, sb_thread, 0, 0, 0, true);
}

static void store_buffering_with_smp_mb(void **state)
{
	(void)state;
	for (enum mem_model m = MEM_SC; m <= MEM_WEAK; m++)
		expect("SB+mbs", m, sb_thread, B_MB, 0, 0, false);
}

/* MP (r0 == 1 && r1 == 0): the flag seen, the data not. */
static void message_passing(void **state)
{
	(void)state;
	expect("MP", MEM_SC, mp_thread, 0, 1, 0, false);
	expect("MP", MEM_TSO, mp_thread, 0, 1, 0, false);
	expect("MP", MEM_WEAK, mp_thread, 0, 1, 0, true);
}

static void message_passing_with_wmb_and_rmb(void **state)
{
	(void)state;
	for (enum mem_model m = MEM_SC; m <= MEM_WEAK; m++)
		expect("MP+wmb+rmb", m, mp_thread, B_WMB | B_RMB, 1, 0, false);
}

/* One side of the pair is not enough (LKMM: both allowed). */
static void message_passing_with_one_barrier(void **state)
{
	(void)state;
	expect("MP+wmb", MEM_TSO, mp_thread, B_WMB, 1, 0, false);
	expect("MP+wmb", MEM_WEAK, mp_thread, B_WMB, 1, 0, true);
	expect("MP+rmb", MEM_TSO, mp_thread, B_RMB, 1, 0, false);
	expect("MP+rmb", MEM_WEAK, mp_thread, B_RMB, 1, 0, true);
}

static void message_passing_with_release_acquire(void **state)
{
	(void)state;
	for (enum mem_model m = MEM_SC; m <= MEM_WEAK; m++)
		expect("MP+release+acquire", m, mp_thread, B_REL_ACQ, 1, 0, false);
}

/* ---- A passed store: what the state search holds in flight ------------- */

#define PROBES 8

/* Thread 0 stores x then y and looks, at each of its points, whether the
 * model calls its store passed; memory as it is says whether y is visible
 * while x is not. Thread 1 only takes points, four times as many, so it is
 * there to run instead while thread 0 is held. */
static void passed_thread(struct litmus *l, int id)
{
	if (id == 0) {
		WRITE_ONCE(l->x, 1);
		WRITE_ONCE(l->y, 1);
	}
	for (int i = 0; i < (id ? 4 * PROBES : PROBES); i++) {
		if (id == 0) {
			bool passed = mm_passed(0);
			bool shows = atomic_load(&l->y) == 1 && atomic_load(&l->x) == 0;

			l->passed_seen += passed;
			l->passed_wrong += passed != shows;
		} else {
			/* The other thread acting while thread 0's store is passed. */
			l->ran_while_passed += mm_passed(0);
		}
		point(l, id);
	}
}

static void passed_totals(enum mem_model m, uint32_t hold, int *seen, int *wrong, int *ran)
{
	static struct litmus l;

	*seen = *wrong = *ran = 0;
	for (uint64_t seed = 1; seed <= EXECUTIONS; seed++) {
		run_one(&l, m, passed_thread, 0, seed, hold);
		*seen += l.passed_seen;
		*wrong += l.passed_wrong;
		*ran += l.ran_while_passed;
	}
}

/* mm_passed() is exactly "a later store of the fiber is visible and an
 * earlier one is not": never under sc and tso (FIFO), sometimes under weak. */
static void passed_store_is_the_reordering(void **state)
{
	int seen, wrong, ran;

	(void)state;
	for (enum mem_model m = MEM_SC; m <= MEM_WEAK; m++) {
		passed_totals(m, 0, &seen, &wrong, &ran);
		printf("passed %-4s seen at %d probes, %d disagreeing with memory\n",
		       mem_model_name(m), seen, wrong);
		assert_int_equal(wrong, 0);
		if (m == MEM_WEAK)
			assert_true(seen > 0);
		else
			assert_int_equal(seen, 0);
	}
}

/* hold_passed_one_in: while its store is passed, a fiber and its buffer
 * are mostly passed over, so the other acts on the reordering longer. */
static void held_while_passed(void **state)
{
	int seen, wrong, acted_free, acted_held;

	(void)state;
	passed_totals(MEM_WEAK, 0, &seen, &wrong, &acted_free);
	passed_totals(MEM_WEAK, 8, &seen, &wrong, &acted_held);
	printf("thread 1 steps while thread 0's store was passed: %d unheld, %d held one in 8\n",
	       acted_free, acted_held);
	assert_true(acted_free > 0);
	assert_true(acted_held > 3 * acted_free);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(store_buffering),
		cmocka_unit_test(store_buffering_with_smp_mb),
		cmocka_unit_test(message_passing),
		cmocka_unit_test(message_passing_with_wmb_and_rmb),
		cmocka_unit_test(message_passing_with_one_barrier),
		cmocka_unit_test(message_passing_with_release_acquire),
		cmocka_unit_test(passed_store_is_the_reordering),
		cmocka_unit_test(held_while_passed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
