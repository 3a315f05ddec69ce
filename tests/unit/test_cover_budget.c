// SPDX-License-Identifier: GPL-2.0
/*
 * What bounds a controlled execution besides its workload: the run's
 * deadline, read inside the execution, and --max-memory, of which the
 * state search's archive leaves a share for the decision log. An execution
 * cut by either stops where it stands; one that ends before its deadline
 * takes the very decisions it takes without one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../engine/budget.h"
#include "../../engine/ctl.h"
#include "../../engine/trace.h"
#include "child.h"

#define NS_PER_MS 1000000ULL

static struct ctl the_ctl;
static int points_each; /* schedule points per fiber; -1: without end */

static void body(void *arg)
{
	int id = (int)(intptr_t)arg;

	for (int i = 0; points_each < 0 || i < points_each; i++)
		ctl_point(&the_ctl, id);
}

/* Two fibers, each making `points` schedule points (-1: forever). */
static void run_two(int points, const struct ctl_config *cfg)
{
	points_each = points;
	ctl_init(&the_ctl, 2, cfg);
	ctl_add_thread(&the_ctl, 0, "a", body, (void *)(intptr_t)0, NULL);
	ctl_add_thread(&the_ctl, 1, "b", body, (void *)(intptr_t)1, NULL);
	ctl_run(&the_ctl);
	ctl_destroy(&the_ctl);
}

/* A deadline already passed cuts the execution at the first reading of the
 * clock, CTL_DEADLINE_EVERY decisions in. */
static void a_passed_deadline_cuts_the_execution(void **state)
{
	const struct ctl_config cfg = { .strategy = CTL_RANDOM, .seed = 3, .deadline_ns = 1 };

	(void)state;
	run_two(1000, &cfg);
	assert_true(the_ctl.abandoned);
	assert_true(the_ctl.past_deadline);
	assert_true(the_ctl.log_len < CTL_DEADLINE_EVERY);
}

/* An execution that ends before its deadline: the same decisions as
 * without one, so runs that finish in time keep their failing executions
 * and trace hashes. */
static void a_future_deadline_changes_no_decision(void **state)
{
	static struct ctl_decision without[4096];
	struct ctl_config cfg = { .strategy = CTL_RANDOM, .seed = 5 };
	size_t n;

	(void)state;
	run_two(1000, &cfg);
	n = the_ctl.log_len;
	assert_true(n > 2000 && n <= 4096);
	memcpy(without, the_ctl.log, n * sizeof(*without));
	cfg.deadline_ns = trace_now_ns() + 60000 * NS_PER_MS;
	run_two(1000, &cfg);
	assert_false(the_ctl.abandoned);
	assert_false(the_ctl.past_deadline);
	assert_int_equal(the_ctl.log_len, n);
	assert_memory_equal(the_ctl.log, without, n * sizeof(*without));
}

/* An execution without end stops within a few milliseconds of its
 * deadline, not when its workload is done. */
static void an_endless_execution_stops_at_its_deadline(void **state)
{
	uint64_t t0 = trace_now_ns();
	struct ctl_config cfg = { .strategy = CTL_RANDOM, .seed = 7 };
	double late_ms;

	(void)state;
	cfg.deadline_ns = t0 + 200 * NS_PER_MS;
	run_two(-1, &cfg);
	late_ms = (double)(trace_now_ns() - cfg.deadline_ns) / 1e6;
	printf("an endless execution stopped %.3f ms after its deadline, %zu decisions\n", late_ms,
	       the_ctl.log_len);
	assert_true(the_ctl.past_deadline);
	/* Generous: a loaded machine may hold the process off the CPU. */
	assert_true(late_ms < 1000);
}

/* What the archive charges leaves its reserve free; the log may use it. */
static void a_charge_leaving_a_reserve(void **state)
{
	(void)state;
	budget_init(1000);
	assert_true(budget_charge_leaving(700, 250));
	assert_false(budget_charge_leaving(100, 250)); /* 800 would leave 200 */
	assert_int_equal(budget_used(), 700);
	assert_true(budget_charge(250)); /* the log takes the reserve */
	assert_false(budget_charge_leaving(1, 2000));
	assert_false(budget_charge(51));
	budget_init(UINT64_MAX);
}

/* Under the search, a log that cannot grow cuts the execution where it
 * stands instead of ending the run: the memory is the archive's. */
static void a_full_log_cuts_the_search_execution(void **state)
{
	const struct ctl_config search = { .strategy = CTL_RANDOM,
					   .seed = 9,
					   .cut_when_log_full = true };
	size_t cap;

	(void)state;
	budget_init(UINT64_MAX);
	run_two(10, &search);
	cap = the_ctl.log_cap;
	budget_init(0);
	run_two((int)cap, &search);
	budget_init(UINT64_MAX);
	assert_true(the_ctl.abandoned);
	assert_true(the_ctl.log_full);
	assert_false(the_ctl.past_deadline);
	assert_true(the_ctl.log_len <= cap - CTL_LOG_HEADROOM + 1);
}

/* Elsewhere it is a lack of memory, exit 3 naming --max-memory. */
static void full_log_child(void)
{
	const struct ctl_config plain = { .strategy = CTL_RANDOM, .seed = 9 };

	run_two(10, &plain);
	budget_init(0);
	run_two((int)the_ctl.log_cap, &plain);
}

static void a_full_log_elsewhere_is_exit_3(void **state)
{
	char err[1024];

	(void)state;
	assert_int_equal(run_child(full_log_child, err, sizeof(err)), 3);
	assert_non_null(strstr(err, "--max-memory"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_passed_deadline_cuts_the_execution),
		cmocka_unit_test(a_future_deadline_changes_no_decision),
		cmocka_unit_test(an_endless_execution_stops_at_its_deadline),
		cmocka_unit_test(a_charge_leaving_a_reserve),
		cmocka_unit_test(a_full_log_cuts_the_search_execution),
		cmocka_unit_test(a_full_log_elsewhere_is_exit_3),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
