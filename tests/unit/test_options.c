// SPDX-License-Identifier: GPL-2.0
/*
 * The command line: numbers read one strict way, options_parse() refusing
 * every value outside what --help promises while taking a good line whole,
 * every option printing back what it parses, and the combinations a run or
 * a replay cannot take refused.
 */
#include <getopt.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../cli/complain.h"
#include "../../cli/numbers.h"
#include "../../cli/options.h"
#include "../../engine/run.h"
#include "../../workers/vm.h"
#include "../../engine/sched.h"

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

/* Messages go here, so a test can read what was said. */
static char said[2048];

static int parse(struct options *o, int argc, char **argv)
{
	FILE *f = fmemopen(said, sizeof(said), "w");
	int ret;

	assert_non_null(f);
	complain_stream = f;
	options_init(o, "stress");
	ret = options_parse(o, argc, argv);
	fclose(f);
	complain_stream = NULL;
	return ret;
}

static void assert_refused(int argc, char **argv, const char *message_part)
{
	struct options o;

	assert_int_equal(parse(&o, argc, argv), -1);
	if (message_part && !strstr(said, message_part))
		fail_msg("message '%s' lacks '%s'", said, message_part);
	options_free(&o);
}

#define REFUSED(part, ...)                                 \
	do {                                               \
		char *argv_[] = { "stress", __VA_ARGS__ }; \
		assert_refused(ARGC(argv_), argv_, part);  \
	} while (0)

static void whole_numbers_are_strict(void **state)
{
	uint64_t v = 7;

	(void)state;
	assert_int_equal(parse_whole("42", &v), 0);
	assert_true(v == 42);
	assert_int_equal(parse_whole("0x2a", &v), 0);
	assert_true(v == 42);
	/* A leading zero is decimal, never octal. */
	assert_int_equal(parse_whole("010", &v), 0);
	assert_true(v == 10);
	assert_int_equal(parse_whole("08", &v), 0);
	assert_true(v == 8);
	assert_int_equal(parse_whole("18446744073709551615", &v), 0);
	assert_true(v == UINT64_MAX);
	v = 7;
	assert_int_equal(parse_whole("18446744073709551616", &v), -1);
	assert_int_equal(parse_whole("0x10000000000000000", &v), -1);
	assert_int_equal(parse_whole(" 1", &v), -1);
	assert_int_equal(parse_whole("-1", &v), -1);
	assert_int_equal(parse_whole("+1", &v), -1);
	assert_int_equal(parse_whole("1 ", &v), -1);
	assert_int_equal(parse_whole("", &v), -1);
	assert_int_equal(parse_whole("0x", &v), -1);
	assert_int_equal(parse_whole("1e3", &v), -1);
	assert_int_equal(parse_whole("3garbage", &v), -1);
	/* Refused values leave the destination alone. */
	assert_true(v == 7);
}

static void reals_are_plain_and_finite(void **state)
{
	double v = 0.25;

	(void)state;
	assert_int_equal(parse_real("0.5", &v), 0);
	assert_true(v == 0.5);
	assert_int_equal(parse_real(".5", &v), 0);
	assert_int_equal(parse_real("1e-3", &v), 0);
	assert_true(v == 1e-3);
	v = 0.25;
	assert_int_equal(parse_real("nan", &v), -1);
	assert_int_equal(parse_real("inf", &v), -1);
	assert_int_equal(parse_real("1e999", &v), -1);
	assert_int_equal(parse_real("0x1p-2", &v), -1);
	assert_int_equal(parse_real(" 0.5", &v), -1);
	assert_int_equal(parse_real("-0.5", &v), -1);
	assert_int_equal(parse_real(".", &v), -1);
	assert_int_equal(parse_real("1e", &v), -1);
	assert_true(v == 0.25);
}

static void formats_read_back(void **state)
{
	static const double reals[] = { 0.5, 0.1, 1e-3, 0.0002, 1.0 / 3.0, 0.0 };
	static const uint64_t durations[] = { NS_PER_MS, 1500 * NS_PER_MS, 10 * NS_PER_S,
					      1000000500, MAX_DURATION_NS };
	char buf[64];

	(void)state;
	for (size_t i = 0; i < sizeof(reals) / sizeof(reals[0]); i++) {
		double back;

		format_real(buf, sizeof(buf), reals[i]);
		assert_int_equal(parse_real(buf, &back), 0);
		assert_true(back == reals[i]);
	}
	for (size_t i = 0; i < sizeof(durations) / sizeof(durations[0]); i++) {
		uint64_t back;

		format_duration(buf, sizeof(buf), durations[i]);
		assert_int_equal(parse_duration(buf, &back), 0);
		assert_true(back == durations[i]);
	}
	format_real(buf, sizeof(buf), 0.1);
	assert_string_equal(buf, "0.1");
	format_duration(buf, sizeof(buf), 1500 * NS_PER_MS);
	assert_string_equal(buf, "1500ms");
}

static void bytes_with_suffixes(void **state)
{
	uint64_t v = 0;
	char buf[32];

	(void)state;
	assert_int_equal(parse_bytes("4096", &v), 0);
	assert_true(v == 4096);
	assert_int_equal(parse_bytes("512M", &v), 0);
	assert_true(v == 512ULL << 20);
	assert_int_equal(parse_bytes("0x10K", &v), 0);
	assert_true(v == 16ULL << 10);
	assert_int_equal(parse_bytes("16777216T", &v), -1);
	assert_int_equal(parse_bytes("1.5G", &v), -1);
	assert_int_equal(parse_bytes("G", &v), -1);
	assert_int_equal(parse_bytes("1g", &v), -1);
	format_bytes(buf, sizeof(buf), 6ULL << 30);
	assert_string_equal(buf, "6G");
	format_bytes(buf, sizeof(buf), 1000);
	assert_string_equal(buf, "1000");
}

/* A spec is kept as it parses: applying the kept form gives the very
 * struct the given form gives, for many drawn values (a lossy print of a
 * probability would change the run it describes). */
static void specs_keep_their_values(void **state)
{
	uint64_t x = 42;

	(void)state;
	for (int i = 0; i < 2000; i++) {
		double p = (double)(splitmix64(&x) >> 11) / (double)(1ULL << 53);
		char given[160], kept[SPEC_MAX_LEN + 1];
		struct workload a, b;

		snprintf(given, sizeof(given), "invlpg=%.17g,write=%.6g,slice=%llu", p, p / 3,
			 (unsigned long long)(splitmix64(&x) % 1000000 + 1));
		memset(&a, 0, sizeof(a));
		memset(&b, 0, sizeof(b));
		assert_int_equal(
			spec_canonical(&workload_spec, "--workload", given, kept, sizeof(kept)), 0);
		assert_int_equal(spec_apply(&workload_spec, &a, given), 0);
		assert_int_equal(spec_apply(&workload_spec, &b, kept), 0);
		if (memcmp(&a, &b, sizeof(a)))
			fail_msg("'%s' was kept as '%s'", given, kept);
	}
}

static void rejects_bad_values(void **state)
{
	(void)state;
	REFUSED("from 1 to 64", "--scenario", "invlpg-defer", "--vcpus", "0");
	REFUSED("from 1 to 64", "--scenario", "invlpg-defer", "--vcpus", "100000");
	REFUSED("'-1'", "--vcpus", "-1");
	REFUSED("' -1'", "--seed", " -1");
	REFUSED("ms, s, m or h", "--duration", "bogus");
	REFUSED("ms, s, m or h", "--duration", "0.5ms");
	REFUSED("ms, s, m or h", "--duration", "25h");
	REFUSED("use clean or violation", "--expect", "maybe");
	REFUSED("a power of two", "--tlb-entries", "100");
	REFUSED("probability from 0 to 1", "--perturb", "spin=2");
	REFUSED("probability from 0 to 1", "--perturb", "spin=nan");
	REFUSED("probability from 0 to 1", "--workload", "invlpg=nan");
	REFUSED("key 'wobble' is unknown", "--perturb", "spin=0.1,wobble=3");
	REFUSED("has no '='", "--workload", "hot");
	REFUSED("pct:D", "--sched", "pct:00000000000000000000003garbage");
	REFUSED("pct:D", "--sched", "pct:9");
	REFUSED("pct:D", "--sched", "pct:3:0");
	REFUSED("pct:D", "--sched", "pctx");
	REFUSED("use sc, tso or weak", "--memory", "strong");
	REFUSED("from 1M to 1T", "--max-memory", "1K");
}

static void rejects_bad_shapes(void **state)
{
	(void)state;
	REFUSED("unknown option '--frobnicate'", "--scenario", "invlpg-defer", "--frobnicate");
	REFUSED("needs a value", "--scenario");
	REFUSED("unexpected argument 'extra'", "--scenario", "invlpg-defer", "extra");
	REFUSED("'--keep-going' takes no value", "--keep-going=yes");
	REFUSED("ambiguous", "--exec", "3");
}

static void accepts_good_line(void **state)
{
	char *argv[] = {
		"stress",
		"--scenario",
		"invlpg-defer",
		"--variant",
		"missing-wmb",
		"--seed",
		"0x2a",
		"--duration",
		"500ms",
		"--vcpus",
		"4",
		"--tlb-entries",
		"256",
		"--expect",
		"violation",
		"--perturb",
		"spin=0.50,spin-max=0x10",
		"--keep-going",
		"-q",
		"--sched",
		"pct:4:100",
		"--memory",
		"weak",
		"--max-memory",
		"64M",
	};
	struct options o;

	(void)state;
	assert_int_equal(parse(&o, ARGC(argv), argv), 0);
	assert_string_equal(o.scenario, "invlpg-defer");
	assert_string_equal(o.variant, "missing-wmb");
	assert_true(o.given[OPT_SEED]);
	assert_true(o.seed == 42);
	assert_true(o.duration_ns == 500 * NS_PER_MS);
	assert_true(o.vcpus == 4);
	assert_true(o.tlb_entries == 256);
	assert_int_equal(o.expect, EXPECT_VIOLATION);
	/* Specs are kept as they parse. */
	assert_string_equal(o.perturb, "spin=0.5,spin-max=16");
	assert_int_equal(o.sched, SCHED_PCT);
	assert_int_equal(o.pct_depth, 4);
	assert_true(o.pct_steps == 100);
	assert_int_equal(o.memory, MEM_WEAK);
	assert_true(o.max_memory == 64ULL << 20);
	assert_true(o.keep_going);
	assert_true(o.quiet);
	assert_false(o.list);
	assert_int_equal(options_check(&o), 0);
	options_free(&o);
}

static void defaults_when_not_given(void **state)
{
	char *argv[] = { "stress", "--scenario", "invlpg-defer" };
	struct options o;

	(void)state;
	assert_int_equal(parse(&o, ARGC(argv), argv), 0);
	assert_null(o.variant);
	assert_false(o.given[OPT_SEED]);
	assert_true(o.duration_ns == 10 * NS_PER_S);
	assert_false(o.given[OPT_VCPUS]);
	assert_int_equal(o.expect, EXPECT_FROM_VARIANT);
	assert_int_equal(o.sched, SCHED_FREE);
	assert_true(o.max_memory >= (1ULL << 20));
	options_free(&o);
}

/* A sample value each kind takes, for the table-wide checks. */
static const char *sample_of(const struct option_def *d)
{
	switch (d->kind) {
	case OK_WHOLE: return d->flags & OPTF_POW2 ? "0x400" : d->hi < 64 ? "1" : "0x40";
	case OK_DURATION: return "2.5s";
	case OK_BYTES: return "2048K";
	case OK_CHOICE: return d->choice_name(d->choice_base + d->nr_choices - 1);
	case OK_TEXT: return "a name";
	case OK_SPEC: return d->spec->keys[0].kind == SPEC_PROBABILITY ? "spin=0.50" : "slice=010";
	case OK_SCHED: return "pct:05:0x10";
	default: return NULL;
	}
}

/* Every option prints what it parses, and parses what it prints, to the
 * same print: no value is read one way and written another. */
static void every_option_prints_what_it_parses(void **state)
{
	(void)state;
	for (int i = 0; i < NR_OPTIONS; i++) {
		const struct option_def *d = &option_table[i];
		const char *sample = sample_of(d);
		char once[512], twice[512];
		struct options a, b;

		if (!sample)
			continue;
		options_init(&a, "stress");
		options_init(&b, "stress");
		complain_stream = fopen("/dev/null", "w");
		if (d->kind == OK_SPEC)
			sample = !strcmp(d->name, "workload") ? "invlpg=0.50,slice=010"
				 : !strcmp(d->name, "actors") ? "invalidator=02,ager=0"
							      : "spin=0.50";
		if (option_set(&a, (enum option_id)i, sample, d->name))
			fail_msg("--%s refused its sample '%s'", d->name, sample);
		assert_true(option_format(&a, (enum option_id)i, once, sizeof(once)));
		if (option_set(&b, (enum option_id)i, once, d->name))
			fail_msg("--%s refused its own print '%s'", d->name, once);
		assert_true(option_format(&b, (enum option_id)i, twice, sizeof(twice)));
		fclose(complain_stream);
		complain_stream = NULL;
		if (strcmp(once, twice))
			fail_msg("--%s: '%s' printed '%s', then '%s'", d->name, sample, once,
				 twice);
		options_free(&a);
		options_free(&b);
	}
}

/* A replay's keys are option names with '_': each finds its row. */
static void report_keys_find_their_option(void **state)
{
	(void)state;
	assert_ptr_equal(option_find("hot_gfns"), &option_table[OPT_HOT_GFNS]);
	assert_ptr_equal(option_find("hot-gfns"), &option_table[OPT_HOT_GFNS]);
	assert_ptr_equal(option_find("tlb_huge"), &option_table[OPT_TLB_HUGE]);
	assert_null(option_find("hot"));
	assert_null(option_find("hot_gfns_"));
}

static void command_line_quotes_what_a_shell_would_split(void **state)
{
	char *argv[] = { "stress", "--scenario", "invlpg-defer", "--workload",	  "hot=4",
			 "--seed", "5",		 "--report",	 "it's here.json" };
	struct options o;
	char *line;

	(void)state;
	assert_int_equal(parse(&o, ARGC(argv), argv), 0);
	line = options_command_line(&o, OPTF_SHAPES_RUN);
	assert_non_null(line);
	/* Table order, values as parsed; --report does not shape a run. */
	assert_string_equal(line, "stress --scenario invlpg-defer --seed 0x5 --workload hot=4");
	free(line);
	o.given[OPT_SCENARIO] = false;
	o.scenario = "it's";
	o.given[OPT_SCENARIO] = true;
	line = options_command_line(&o, OPTF_SHAPES_RUN);
	assert_string_equal(line, "stress --scenario 'it'\\''s' --seed 0x5 --workload hot=4");
	free(line);
	options_free(&o);
}

static int check_of(int argc, char **argv, int (*check)(const struct options *o))
{
	struct options o;
	FILE *f = fmemopen(said, sizeof(said), "w");
	int ret;

	assert_int_equal(parse(&o, argc, argv), 0);
	complain_stream = f;
	ret = check(&o);
	fclose(f);
	complain_stream = NULL;
	options_free(&o);
	return ret;
}

#define CHECK_REFUSES(check, part, ...)                                    \
	do {                                                               \
		char *argv_[] = { "stress", __VA_ARGS__ };                 \
		assert_int_equal(check_of(ARGC(argv_), argv_, check), -1); \
		assert_non_null(strstr(said, part));                       \
	} while (0)

#define CHECK_TAKES(check, ...)                                           \
	do {                                                              \
		char *argv_[] = { "stress", __VA_ARGS__ };                \
		assert_int_equal(check_of(ARGC(argv_), argv_, check), 0); \
	} while (0)

static void combinations(void **state)
{
	(void)state;
	CHECK_REFUSES(options_check, "--execution 3 needs --sched", "--execution", "3");
	CHECK_REFUSES(options_check, "--executions 3 needs --sched", "--executions", "3");
	CHECK_REFUSES(options_check, "--memory sc needs --sched", "--memory", "sc");
	CHECK_REFUSES(options_check, "--minimize needs --sched", "--minimize");
	CHECK_REFUSES(options_check, "runs that one execution", "--sched", "random", "--execution",
		      "3", "--executions", "10");
	CHECK_REFUSES(options_check, "cannot pick one execution", "--sched", "cover", "--execution",
		      "3");
	CHECK_TAKES(options_check, "--sched", "random", "--execution", "3", "--memory", "tso");
}

static void replay_takes_only_what_applies(void **state)
{
	(void)state;
	CHECK_REFUSES(options_check_with_replay, "the replay takes it from the report", "--replay",
		      "r.json", "--vcpus", "3");
	CHECK_REFUSES(options_check_with_replay, "the replay takes it from the report", "--replay",
		      "r.json", "--seed", "3");
	CHECK_REFUSES(options_check_with_replay, "runs the one execution", "--replay", "r.json",
		      "--duration", "1s");
	CHECK_REFUSES(options_check_with_replay, "--keep-going cannot be given", "--replay",
		      "r.json", "--keep-going");
	CHECK_TAKES(options_check_with_replay, "--replay", "r.json", "--variant", "fixed",
		    "--expect", "clean", "--timeline", "--minimize", "-q", "--report", "x.json",
		    "--max-memory", "1G");
}

/* Each call starts over: a failed parse leaves nothing for the next one. */
static void parse_twice(void **state)
{
	char *bad[] = { "stress", "--vcpus", "0" };
	char *good[] = { "stress", "--scenario", "invlpg-defer", "--expect", "clean" };
	struct options o;

	(void)state;
	assert_int_equal(parse(&o, ARGC(bad), bad), -1);
	options_free(&o);
	assert_int_equal(parse(&o, ARGC(good), good), 0);
	assert_string_equal(o.scenario, "invlpg-defer");
	assert_int_equal(o.expect, EXPECT_CLEAN);
	assert_false(o.given[OPT_VCPUS]);
	options_free(&o);
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
	assert_int_equal(parse(&o, ARGC(bad), bad), -1);
	options_free(&o);
	assert_int_equal(parse(&o, ARGC(good), good), 0);
	/* The -q of the failed line is not part of this one. */
	assert_false(o.quiet);
	assert_non_null(o.scenario);
	assert_string_equal(o.scenario, "invlpg-defer");
	options_free(&o);
}

/* The message for an unknown short option names it, wherever it sits in a
 * cluster, and never names the program as the bad option. */
static void unknown_short_option_is_named(void **state)
{
	char *argv[] = { "stress", "-zq" };
	struct options o;

	(void)state;
	assert_int_equal(parse(&o, ARGC(argv), argv), -1);
	assert_non_null(strstr(said, "-z"));
	assert_null(strstr(said, "'stress'"));
	options_free(&o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(duration_units),
		cmocka_unit_test(duration_rejects),
		cmocka_unit_test(duration_rejects_non_finite),
		cmocka_unit_test(whole_numbers_are_strict),
		cmocka_unit_test(reals_are_plain_and_finite),
		cmocka_unit_test(formats_read_back),
		cmocka_unit_test(bytes_with_suffixes),
		cmocka_unit_test(specs_keep_their_values),
		cmocka_unit_test(rejects_bad_values),
		cmocka_unit_test(rejects_bad_shapes),
		cmocka_unit_test(accepts_good_line),
		cmocka_unit_test(defaults_when_not_given),
		cmocka_unit_test(every_option_prints_what_it_parses),
		cmocka_unit_test(report_keys_find_their_option),
		cmocka_unit_test(command_line_quotes_what_a_shell_would_split),
		cmocka_unit_test(combinations),
		cmocka_unit_test(replay_takes_only_what_applies),
		cmocka_unit_test(parse_twice),
		/* Last: a failure here leaves getopt mid-cluster. */
		cmocka_unit_test_teardown(unknown_short_option_is_named, getopt_reset),
		cmocka_unit_test_teardown(parse_after_failed_short_cluster, getopt_reset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
