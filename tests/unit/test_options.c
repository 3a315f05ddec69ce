// SPDX-License-Identifier: GPL-2.0
/*
 * The command line: durations in their units, and options_parse() refusing
 * every value outside what --help promises while taking a good line whole.
 */
#include <getopt.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../options.h"

#define NS_PER_MS 1000000ULL
#define NS_PER_S 1000000000ULL

#define ARGC(argv) ((int)(sizeof(argv) / sizeof((argv)[0])))

static void assert_duration(const char *s, uint64_t want)
{
	uint64_t ns = 0;

	assert_int_equal(parse_duration(s, &ns), 0);
	assert_true(ns == want);
}

static void assert_bad_duration(const char *s)
{
	uint64_t ns = 777;

	assert_int_equal(parse_duration(s, &ns), -1);
	/* A refused value leaves the caller's default alone. */
	assert_true(ns == 777);
}

static void duration_units(void **state)
{
	(void)state;
	assert_duration("500ms", 500 * NS_PER_MS);
	assert_duration("10s", 10 * NS_PER_S);
	assert_duration("2m", 120 * NS_PER_S);
	assert_duration("1h", 3600 * NS_PER_S);
	assert_duration("1.5s", 1500 * NS_PER_MS);
	/* A bare number is seconds. */
	assert_duration("3", 3 * NS_PER_S);
	/* The bounds themselves are allowed. */
	assert_duration("1ms", NS_PER_MS);
	assert_duration("24h", 24 * 3600 * NS_PER_S);
}

static void duration_rejects(void **state)
{
	(void)state;
	assert_bad_duration("");
	assert_bad_duration("abc");
	assert_bad_duration("10x");
	assert_bad_duration("10 s");
	assert_bad_duration("10sec");
	assert_bad_duration("-1s");
	assert_bad_duration("0s");
	assert_bad_duration("0");
	assert_bad_duration("25h");
	assert_bad_duration("0.5ms");
}

/* Non-finite values are not durations. */
static void duration_rejects_non_finite(void **state)
{
	(void)state;
	assert_bad_duration("inf");
	assert_bad_duration("nan");
	assert_bad_duration("nans");
}

static void rejects_vcpus_zero(void **state)
{
	char *argv[] = { "stress", "--scenario", "invlpg-defer", "--vcpus", "0" };
	struct options o;

	(void)state;
	assert_int_equal(options_parse(&o, ARGC(argv), argv), -1);
}

static void rejects_vcpus_too_many(void **state)
{
	char *argv[] = { "stress", "--scenario", "invlpg-defer", "--vcpus", "100000" };
	struct options o;

	(void)state;
	assert_int_equal(options_parse(&o, ARGC(argv), argv), -1);
}

static void rejects_vcpus_negative(void **state)
{
	char *argv[] = { "stress", "--vcpus", "-1" };
	struct options o;

	(void)state;
	assert_int_equal(options_parse(&o, ARGC(argv), argv), -1);
}

static void rejects_bad_duration(void **state)
{
	char *argv[] = { "stress", "--scenario", "invlpg-defer", "--duration", "bogus" };
	struct options o;

	(void)state;
	assert_int_equal(options_parse(&o, ARGC(argv), argv), -1);
}

static void rejects_bad_expect(void **state)
{
	char *argv[] = { "stress", "--scenario", "invlpg-defer", "--expect", "maybe" };
	struct options o;

	(void)state;
	assert_int_equal(options_parse(&o, ARGC(argv), argv), -1);
}

static void rejects_unknown_option(void **state)
{
	char *argv[] = { "stress", "--scenario", "invlpg-defer", "--frobnicate" };
	struct options o;

	(void)state;
	assert_int_equal(options_parse(&o, ARGC(argv), argv), -1);
}

static void rejects_missing_value(void **state)
{
	char *argv[] = { "stress", "--scenario" };
	struct options o;

	(void)state;
	assert_int_equal(options_parse(&o, ARGC(argv), argv), -1);
}

static void rejects_stray_argument(void **state)
{
	char *argv[] = { "stress", "--scenario", "invlpg-defer", "extra" };
	struct options o;

	(void)state;
	assert_int_equal(options_parse(&o, ARGC(argv), argv), -1);
}

static void rejects_tlb_entries_not_power_of_two(void **state)
{
	char *argv[] = { "stress", "--scenario", "invlpg-defer", "--tlb-entries", "100" };
	struct options o;

	(void)state;
	assert_int_equal(options_parse(&o, ARGC(argv), argv), -1);
}

static void rejects_perturb_out_of_range(void **state)
{
	char *argv[] = { "stress", "--scenario", "invlpg-defer", "--perturb", "spin=2" };
	struct options o;

	(void)state;
	assert_int_equal(options_parse(&o, ARGC(argv), argv), -1);
}

static void rejects_perturb_unknown_key(void **state)
{
	char *argv[] = { "stress", "--perturb", "spin=0.1,wobble=3" };
	struct options o;

	(void)state;
	assert_int_equal(options_parse(&o, ARGC(argv), argv), -1);
}

static void accepts_good_line(void **state)
{
	char *argv[] = {
		"stress", "--scenario", "invlpg-defer", "--variant", "missing-wmb",
		"--seed", "0x2a", "--duration", "500ms", "--vcpus", "4",
		"--tlb-entries", "256", "--expect", "violation",
		"--perturb", "spin=0.5,spin-max=10", "--keep-going", "-q",
	};
	struct options o;

	(void)state;
	assert_int_equal(options_parse(&o, ARGC(argv), argv), 0);
	assert_string_equal(o.scenario, "invlpg-defer");
	assert_string_equal(o.variant, "missing-wmb");
	assert_true(o.seed_given);
	assert_true(o.seed == 42);
	assert_true(o.duration_ns == 500 * NS_PER_MS);
	assert_true(o.vcpus == 4);
	assert_true(o.tlb_entries == 256);
	assert_int_equal(o.expect, EXPECT_VIOLATION);
	assert_true(o.perturb.spin == 0.5);
	assert_int_equal(o.perturb.spin_max, 10);
	/* Keys not given keep their defaults. */
	assert_true(o.perturb.yield == perturb_defaults.yield);
	assert_true(o.keep_going);
	assert_true(o.quiet);
	assert_false(o.list);
}

static void defaults_when_not_given(void **state)
{
	char *argv[] = { "stress", "--scenario", "invlpg-defer" };
	struct options o;

	(void)state;
	assert_int_equal(options_parse(&o, ARGC(argv), argv), 0);
	assert_null(o.variant);
	assert_false(o.seed_given);
	assert_true(o.duration_ns == 10 * NS_PER_S);
	assert_true(o.vcpus == 0);
	assert_int_equal(o.expect, EXPECT_FROM_VARIANT);
	assert_true(o.perturb.spin == perturb_defaults.spin);
}

/* Each call starts over: a failed parse leaves nothing for the next one. */
static void parse_twice(void **state)
{
	char *bad[] = { "stress", "--vcpus", "0" };
	char *good[] = { "stress", "--scenario", "invlpg-defer", "--expect", "clean" };
	struct options o;

	(void)state;
	assert_int_equal(options_parse(&o, ARGC(bad), bad), -1);
	assert_int_equal(options_parse(&o, ARGC(good), good), 0);
	assert_string_equal(o.scenario, "invlpg-defer");
	assert_int_equal(o.expect, EXPECT_CLEAN);
	assert_true(o.vcpus == 0);
}

/*
 * getopt keeps its place inside a cluster of short options ("-zq") across
 * calls; a parse that failed there must not leak that place into the next
 * one. glibc reinitialises only when optind is 0. Undo it for whatever
 * test runs after ours.
 */
static int getopt_reset(void **state)
{
	char *argv[] = { "stress", NULL };

	(void)state;
	optind = 0;
	opterr = 0;
	getopt_long(1, argv, "", (const struct option[]){ { 0 } }, NULL);
	return 0;
}

static void parse_after_failed_short_cluster(void **state)
{
	char *bad[] = { "stress", "-zq" };
	char *good[] = { "stress", "--scenario", "invlpg-defer" };
	struct options o;

	(void)state;
	assert_int_equal(options_parse(&o, ARGC(bad), bad), -1);
	assert_int_equal(options_parse(&o, ARGC(good), good), 0);
	/* The -q of the failed line is not part of this one. */
	assert_false(o.quiet);
	assert_non_null(o.scenario);
	assert_string_equal(o.scenario, "invlpg-defer");
}

/* Run options_parse() with stderr going to buf. */
static int parse_capturing_stderr(struct options *o, int argc, char **argv, char *buf,
				  size_t size)
{
	FILE *tmp = tmpfile();
	int saved, ret;
	size_t n;

	assert_non_null(tmp);
	fflush(stderr);
	saved = dup(STDERR_FILENO);
	assert_true(saved >= 0);
	assert_true(dup2(fileno(tmp), STDERR_FILENO) >= 0);
	ret = options_parse(o, argc, argv);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	rewind(tmp);
	n = fread(buf, 1, size - 1, tmp);
	buf[n] = '\0';
	fclose(tmp);
	return ret;
}

/* The message for an unknown short option names it, wherever it sits in a
 * cluster, and never names the program as the bad option. */
static void unknown_short_option_is_named(void **state)
{
	char *argv[] = { "stress", "-zq" };
	struct options o;
	char msg[512];

	(void)state;
	assert_int_equal(parse_capturing_stderr(&o, ARGC(argv), argv, msg, sizeof(msg)), -1);
	assert_non_null(strstr(msg, "-z"));
	assert_null(strstr(msg, "'stress'"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(duration_units),
		cmocka_unit_test(duration_rejects),
		cmocka_unit_test(duration_rejects_non_finite),
		cmocka_unit_test(rejects_vcpus_zero),
		cmocka_unit_test(rejects_vcpus_too_many),
		cmocka_unit_test(rejects_vcpus_negative),
		cmocka_unit_test(rejects_bad_duration),
		cmocka_unit_test(rejects_bad_expect),
		cmocka_unit_test(rejects_unknown_option),
		cmocka_unit_test(rejects_missing_value),
		cmocka_unit_test(rejects_stray_argument),
		cmocka_unit_test(rejects_tlb_entries_not_power_of_two),
		cmocka_unit_test(rejects_perturb_out_of_range),
		cmocka_unit_test(rejects_perturb_unknown_key),
		cmocka_unit_test(accepts_good_line),
		cmocka_unit_test(defaults_when_not_given),
		cmocka_unit_test(parse_twice),
		/* Last: a failure here leaves getopt mid-cluster. */
		cmocka_unit_test_teardown(unknown_short_option_is_named, getopt_reset),
		cmocka_unit_test_teardown(parse_after_failed_short_cluster, getopt_reset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
