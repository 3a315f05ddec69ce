// SPDX-License-Identifier: GPL-2.0
/*
 * The verdict rules: what each run is expected to find, whether it met
 * that, and how an invocation ends, interrupted or not. A signal never
 * turns into SUCCESS, a fixed variant's violation is never excused by one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../cli/verdict.h"
#include "../../engine/check.h"

static void verdict_of_each_pair(void **state)
{
	(void)state;
	assert_int_equal(run_verdict(VERDICT_EXPECT_CLEAN, OUTCOME_CLEAN, false),
			 VERDICT_AS_EXPECTED);
	assert_int_equal(run_verdict(VERDICT_EXPECT_CLEAN, OUTCOME_VIOLATION, false),
			 VERDICT_NOT_AS_EXPECTED);
	assert_int_equal(run_verdict(VERDICT_EXPECT_VIOLATION, OUTCOME_VIOLATION, false),
			 VERDICT_AS_EXPECTED);
	assert_int_equal(run_verdict(VERDICT_EXPECT_VIOLATION, OUTCOME_CLEAN, false),
			 VERDICT_NOT_AS_EXPECTED);
	assert_int_equal(run_verdict(VERDICT_NOT_JUDGED, OUTCOME_VIOLATION, false),
			 VERDICT_UNJUDGED);
}

/* Cut short, a clean run proves nothing and a bug not yet caught fails
 * nothing; a violation found decides the run either way. */
static void interrupted_runs(void **state)
{
	(void)state;
	assert_int_equal(run_verdict(VERDICT_EXPECT_CLEAN, OUTCOME_CLEAN, true), VERDICT_UNJUDGED);
	assert_int_equal(run_verdict(VERDICT_EXPECT_VIOLATION, OUTCOME_CLEAN, true),
			 VERDICT_UNJUDGED);
	assert_int_equal(run_verdict(VERDICT_EXPECT_CLEAN, OUTCOME_VIOLATION, true),
			 VERDICT_NOT_AS_EXPECTED);
	assert_int_equal(run_verdict(VERDICT_EXPECT_VIOLATION, OUTCOME_VIOLATION, true),
			 VERDICT_AS_EXPECTED);
}

static void ends(void **state)
{
	struct run_result r[3] = { 0 };
	struct final_verdict f;

	(void)state;
	r[0].verdict = r[1].verdict = VERDICT_AS_EXPECTED;
	r[2].verdict = VERDICT_UNJUDGED;
	f = final_verdict(r, 3, 0, false);
	assert_int_equal(f.exit_code, 0);
	assert_string_equal(f.word, "SUCCESS");
	/* Interrupted after 1 of 9 runs: never SUCCESS. */
	f = final_verdict(r, 1, 2 /* SIGINT */, false);
	assert_int_equal(f.exit_code, 130);
	assert_string_equal(f.word, "INTERRUPTED");
	f = final_verdict(r, 0, 15 /* SIGTERM */, false);
	assert_int_equal(f.exit_code, 143);
	/* A failure found before the signal decides it. */
	r[1].verdict = VERDICT_NOT_AS_EXPECTED;
	f = final_verdict(r, 2, 2, false);
	assert_int_equal(f.exit_code, 1);
	assert_string_equal(f.word, "FAILURE");
	/* A report that could not be written is the machine's lack (3),
	 * and hides neither a failure's 1 nor a signal's 128 + N. */
	f = final_verdict(r, 2, 2, true);
	assert_int_equal(f.exit_code, 1);
	assert_string_equal(f.word, "FAILURE");
	r[1].verdict = VERDICT_AS_EXPECTED;
	f = final_verdict(r, 3, 0, true);
	assert_int_equal(f.exit_code, 3);
	assert_string_equal(f.word, "REPORT NOT WRITTEN");
	f = final_verdict(r, 1, 15 /* SIGTERM */, true);
	assert_int_equal(f.exit_code, 143);
	assert_string_equal(f.word, "INTERRUPTED");
}

static void apply(struct config *cfg, enum sched_mode sched)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->run.sched = sched;
	cfg->run.pct_depth = 3;
	cfg->vm.kvm.nr_gfns = 4096;
	cfg->vm.kvm.nr_memslots = 1;
	cfg->vm.kvm.arch_range_flush = true;
}

static void expectations(void **state)
{
	const struct scenario_variant fixed = { .name = "fixed" };
	const struct scenario_variant oracle_bug = {
		.name = "bug",
		.buggy = true,
		.claims.caught_by = DETECT_ORACLE | DETECT_RANDOM,
	};
	const struct scenario_variant tsan_bug = {
		.name = "t",
		.buggy = true,
		.claims.caught_by = DETECT_TSAN,
	};
	const struct scenario_variant huge_bug = {
		.name = "h",
		.buggy = true,
		.claims.caught_by = DETECT_ORACLE,
		.claims.needs_huge_leaves = true,
	};
	struct config cfg;
	const char *why;

	(void)state;
	apply(&cfg, SCHED_FREE);
	assert_int_equal(run_expectation(EXPECT_FROM_VARIANT, false, &cfg, &fixed, &why),
			 VERDICT_EXPECT_CLEAN);
	assert_int_equal(run_expectation(EXPECT_FROM_VARIANT, false, &cfg, &oracle_bug, &why),
			 VERDICT_EXPECT_VIOLATION);
	assert_int_equal(run_expectation(EXPECT_FROM_VARIANT, false, &cfg, &tsan_bug, &why),
			 VERDICT_NOT_JUDGED);
	assert_non_null(strstr(why, "ThreadSanitizer"));
	assert_int_equal(run_expectation(EXPECT_CLEAN, false, &cfg, &oracle_bug, &why),
			 VERDICT_EXPECT_CLEAN);
	/* No memslot holds a huge page: the bug cannot show. */
	cfg.vm.kvm.max_huge_level = 2;
	cfg.vm.kvm.nr_gfns = 100;
	assert_int_equal(run_expectation(EXPECT_FROM_VARIANT, false, &cfg, &huge_bug, &why),
			 VERDICT_EXPECT_CLEAN);
	cfg.vm.kvm.nr_gfns = 1024;
	assert_int_equal(run_expectation(EXPECT_FROM_VARIANT, false, &cfg, &huge_bug, &why),
			 VERDICT_EXPECT_VIOLATION);
	apply(&cfg, SCHED_PCT);
	assert_int_equal(run_expectation(EXPECT_FROM_VARIANT, false, &cfg, &oracle_bug, &why),
			 VERDICT_NOT_JUDGED);
	/* A given schedule is the claim that it fails. */
	assert_int_equal(run_expectation(EXPECT_FROM_VARIANT, true, &cfg, &oracle_bug, &why),
			 VERDICT_EXPECT_VIOLATION);
	assert_int_equal(run_expectation(EXPECT_FROM_VARIANT, true, &cfg, &fixed, &why),
			 VERDICT_EXPECT_CLEAN);
}

/* The README's exit-code table, row by row: what each code is bound to. */
static void exit_code_table(void **state)
{
	struct run_result r[1] = { 0 };

	(void)state;
	assert_int_equal(EXIT_AS_EXPECTED, 0);
	assert_int_equal(EXIT_NOT_AS_EXPECTED, 1);
	assert_int_equal(EXIT_USAGE, 2);
	assert_int_equal(EXIT_SKIPPED, 3);
	assert_int_equal(EXIT_HARNESS, 4);
	r[0].verdict = VERDICT_AS_EXPECTED;
	assert_int_equal(final_verdict(r, 1, 0, false).exit_code, 0);
	r[0].verdict = VERDICT_NOT_AS_EXPECTED;
	assert_int_equal(final_verdict(r, 1, 0, false).exit_code, 1);
	r[0].verdict = VERDICT_UNJUDGED;
	assert_int_equal(final_verdict(r, 1, 1 /* SIGHUP */, false).exit_code, 129);
	assert_int_equal(final_verdict(r, 1, 2 /* SIGINT */, false).exit_code, 130);
	assert_int_equal(final_verdict(r, 1, 15 /* SIGTERM */, false).exit_code, 143);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(verdict_of_each_pair),
		cmocka_unit_test(interrupted_runs),
		cmocka_unit_test(ends),
		cmocka_unit_test(expectations),
		cmocka_unit_test(exit_code_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
