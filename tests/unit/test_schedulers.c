// SPDX-License-Identifier: GPL-2.0
/*
 * The conflict-aware schedulers' parts: footprints (what a step touched,
 * and when two conflict), the site map, the steps a controlled execution
 * notes, SURW's profile (which points are interesting, each fiber's
 * weight), and POS fixed by its seed.
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
#include "../../engine/footprint.h"
#include "../../engine/memmodel.h"
#include "../../engine/pos.h"
#include "../../engine/site_map.h"
#include "../../engine/surw.h"
#include "../../engine/thread.h"

/* ---- Footprints ------------------------------------------------------------ */

static void footprints_conflict_on_a_write(void **state)
{
	struct footprint a, b;

	(void)state;
	footprint_clear(&a);
	footprint_clear(&b);
	footprint_add(&a, 0x1000, false);
	footprint_add(&b, 0x1000, false);
	assert_false(footprints_conflict(&a, &b)); /* two reads */
	footprint_add(&b, 0x2000, true);
	assert_false(footprints_conflict(&a, &b)); /* a write elsewhere */
	footprint_add(&a, 0x2000, false);
	assert_true(footprints_conflict(&a, &b)); /* read and write of one word */
	assert_true(footprints_conflict(&b, &a));
	/* A word read then written is written, and listed once. */
	footprint_clear(&a);
	footprint_add(&a, 0x3000, false);
	footprint_add(&a, 0x3000, true);
	assert_int_equal(a.n, 1);
	assert_true(a.a[0].write);
}

static void an_overflowed_footprint_conflicts_with_all(void **state)
{
	struct footprint a, b;

	(void)state;
	footprint_clear(&a);
	footprint_clear(&b);
	for (int i = 0; i < FP_MAX + 1; i++)
		footprint_add(&a, 0x10000 + 8 * (uintptr_t)i, false);
	assert_true(a.overflow);
	footprint_add(&b, 0x99999, false); /* a read of a word a never named */
	assert_true(footprints_conflict(&a, &b));
}

/* ---- The site map ---------------------------------------------------------- */

static void site_map_finds_creates_and_clears(void **state)
{
	static struct site_map m;

	(void)state;
	site_map_clear(&m);
	assert_int_equal(site_map_find(&m, 42, false), -1);
	assert_int_equal(site_map_find(&m, 42, true), 0);
	assert_int_equal(site_map_find(&m, 7, true), 1);
	assert_int_equal(site_map_find(&m, 42, false), 0);
	assert_int_equal(site_map_find(&m, site_key("a.c:1", 3), true), 2);
	assert_int_equal(site_map_find(&m, site_key("a.c:1", 3), false), 2);
	site_map_clear(&m);
	assert_int_equal(site_map_find(&m, 42, false), -1);
	for (int i = 0; i < SITE_MAP_SLOTS; i++)
		assert_int_equal(site_map_find(&m, 1000 + (uint64_t)i, true), i);
	assert_int_equal(site_map_find(&m, 5, true), -1); /* full */
	assert_int_equal(site_map_find(&m, 1000, false), 0);
}

/* ---- A toy execution: fibers touching shared words ---------------------- */

static _Atomic uint64_t shared_x, private_y[2];

struct toy {
	struct ctl ctl;
	int writes, reads;
	/* What the recording picker saw: each step's fiber, start site and
	 * footprint. */
	int nr_steps;
	int step_fiber[64];
	const char *step_site[64];
	struct footprint step_fp[64];
};

static struct toy toy;

static void writer(void *arg)
{
	(void)arg;
	for (int i = 0; i < toy.writes; i++) {
		WRITE_ONCE(shared_x, i + 1);
		ctl_point_at(&toy.ctl, 0, "toy.c:write-x");
		WRITE_ONCE(private_y[0], i);
		ctl_point_at(&toy.ctl, 0, "toy.c:write-y");
	}
}

static void reader(void *arg)
{
	(void)arg;
	ctl_point_at(&toy.ctl, 1, "toy.c:start");
	for (int i = 0; i < toy.reads; i++) {
		(void)READ_ONCE(shared_x);
		ctl_point_at(&toy.ctl, 1, "toy.c:read-x");
	}
}

static int recording_pick(void *arg, struct ctl *c, const int *en, int n, int *entry)
{
	(void)arg;
	*entry = -1;
	if (c->last_step_thread >= 0 && toy.nr_steps < 64) {
		toy.step_fiber[toy.nr_steps] = c->last_step_thread;
		toy.step_site[toy.nr_steps] = c->last_step_site;
		toy.step_fp[toy.nr_steps++] = c->last_step;
	}
	return en[c->log_len % (size_t)n]; /* round robin, as it comes */
}

static const struct ctl_picker recording = { .pick = recording_pick };

static void toy_run(int writes, int reads, const struct ctl_config *cfg)
{
	memset(&toy, 0, sizeof(toy));
	toy.writes = writes;
	toy.reads = reads;
	lostflush_footprints = true;
	mm_start(MEM_SC, 2);
	ctl_init(&toy.ctl, 2, cfg);
	ctl_add_thread(&toy.ctl, 0, "writer", writer, NULL, NULL);
	ctl_add_thread(&toy.ctl, 1, "reader", reader, NULL, NULL);
	lostflush_ctl = &toy.ctl;
	ctl_run(&toy.ctl);
	lostflush_ctl = NULL;
	mm_stop();
	lostflush_footprints = false;
}

static void every_step_notes_what_it_touched(void **state)
{
	const struct ctl_config cfg = { .strategy = CTL_PICKER, .picker = &recording };
	int x_writes = 0, x_reads = 0, y_writes = 0;

	(void)state;
	toy_run(3, 2, &cfg);
	ctl_destroy(&toy.ctl);
	for (int i = 0; i < toy.nr_steps; i++) {
		const struct footprint *f = &toy.step_fp[i];

		for (int k = 0; k < f->n; k++) {
			if (f->a[k].addr == (uintptr_t)&shared_x && f->a[k].write) {
				assert_int_equal(toy.step_fiber[i], 0);
				x_writes++;
			} else if (f->a[k].addr == (uintptr_t)&shared_x) {
				assert_int_equal(toy.step_fiber[i], 1);
				/* Each read of x is in the step after the
				 * reader's start or its previous read. */
				assert_true(!strcmp(toy.step_site[i], "toy.c:start") ||
					    !strcmp(toy.step_site[i], "toy.c:read-x"));
				x_reads++;
			} else {
				assert_ptr_equal(f->a[k].addr, (uintptr_t)&private_y[0]);
				assert_string_equal(toy.step_site[i], "toy.c:write-x");
				y_writes++;
			}
		}
	}
	assert_int_equal(x_writes, 3);
	assert_int_equal(x_reads, 2);
	assert_int_equal(y_writes, 3);
}

/* ---- SURW's profile ---------------------------------------------------------- */

static void surw_weighs_the_steps_on_shared_words(void **state)
{
	struct ctl_config cfg = { .strategy = CTL_PICKER, .seed = 5 };

	(void)state;
	cfg.picker = &surw_profile_picker;
	cfg.picker_arg = surw_profile_begin();
	toy_run(4, 3, &cfg);
	surw_profile_end(&toy.ctl);
	ctl_destroy(&toy.ctl);
	/* x is touched by both fibers: the writer's steps from its
	 * write-y point (which write x) and the reader's steps from start
	 * and read-x (which read it) are interesting; the writer's steps
	 * from write-x touch only its own y, and are not. A weight counts
	 * every step from an interesting point: the writer's 3 writes of x
	 * and its last, empty, step to its exit (its first write comes
	 * before any point); the reader's 3 reads and its exit. */
	assert_int_equal(surw_weight(0), 4);
	assert_int_equal(surw_weight(1), 4);
	assert_int_equal(surw_interesting_sites(), 3);
}

/* ---- POS: fixed by its seed ---------------------------------------------- */

static int pos_order(uint64_t seed, int *order, int max)
{
	struct ctl_config cfg = { .strategy = CTL_PICKER, .picker = &pos_picker, .seed = seed };
	int n = 0;

	cfg.picker_arg = pos_begin();
	toy_run(6, 6, &cfg);
	for (size_t i = 0; i < toy.ctl.log_len && n < max; i++)
		if (toy.ctl.log[i].kind == CTL_RUN)
			order[n++] = toy.ctl.log[i].thread;
	ctl_destroy(&toy.ctl);
	return n;
}

static void pos_is_fixed_by_its_seed(void **state)
{
	int a[64], b[64], c[64], na, nb, nc;

	(void)state;
	na = pos_order(9, a, 64);
	nb = pos_order(9, b, 64);
	nc = pos_order(10, c, 64);
	assert_int_equal(na, nb);
	assert_memory_equal(a, b, (size_t)na * sizeof(a[0]));
	assert_true(na != nc || memcmp(a, c, (size_t)na * sizeof(a[0])));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(footprints_conflict_on_a_write),
		cmocka_unit_test(an_overflowed_footprint_conflicts_with_all),
		cmocka_unit_test(site_map_finds_creates_and_clears),
		cmocka_unit_test(every_step_notes_what_it_touched),
		cmocka_unit_test(surw_weighs_the_steps_on_shared_words),
		cmocka_unit_test(pos_is_fixed_by_its_seed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
