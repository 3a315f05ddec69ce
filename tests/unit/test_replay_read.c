// SPDX-License-Identifier: GPL-2.0
/*
 * Reading a report back: the replay object's keys as option pairs, the
 * schedule unfolded, and every bound held before anything is built (a
 * short file asking for billions of decisions, a thread index past the
 * scheduler's, a value that is no option's).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../reports/replay_read.h"

#define MiB (1u << 20)

static char why[512];

static int parse(const char *json, size_t max_bytes, struct replay_file *rf)
{
	why[0] = '\0';
	return replay_file_parse(json, strlen(json), max_bytes, rf, why, sizeof(why));
}

/* A report with one run whose replay object is `replay`. */
static char *report_with(const char *replay)
{
	static char buf[80 * 1024];

	snprintf(buf, sizeof(buf),
		 "{\"tool\": \"lostflush\", \"runs\": [{\"scenario\": \"x\"}, "
		 "{\"replay\": %s}]}",
		 replay);
	return buf;
}

static const char *value_of(const struct replay_file *rf, const char *key)
{
	for (int i = 0; i < rf->nr_kv; i++)
		if (!strcmp(rf->kv[i].key, key))
			return rf->kv[i].value;
	return NULL;
}

static void reads_pairs_and_unfolds_the_schedule(void **state)
{
	struct replay_file rf;

	(void)state;
	assert_int_equal(
		parse(report_with("{\"scenario\": \"invlpg-defer\", \"vcpus\": 2, "
				  "\"seed\": \"0x1\", \"schedule\": [{\"run\": 1, \"n\": 3},"
				  " {\"commit\": 0, \"entry\": 2}, {\"stale\": 1, "
				  "\"older\": true}, {\"reseed\": 7}]}"),
		      MiB, &rf),
		REPLAY_READ_OK);
	assert_int_equal(rf.nr_kv, 3);
	assert_string_equal(value_of(&rf, "scenario"), "invlpg-defer");
	assert_string_equal(value_of(&rf, "vcpus"), "2");
	assert_string_equal(value_of(&rf, "seed"), "0x1");
	assert_int_equal(rf.schedule_len, 6);
	assert_int_equal(rf.schedule[2].kind, CTL_RUN);
	assert_int_equal(rf.schedule[2].thread, 1);
	assert_int_equal(rf.schedule[3].kind, CTL_COMMIT);
	assert_int_equal(rf.schedule[3].arg, 2);
	assert_int_equal(rf.schedule[4].kind, CTL_STALE);
	assert_int_equal(rf.schedule[4].arg, 1);
	assert_int_equal(rf.schedule[5].kind, CTL_RESEED);
	replay_file_free(&rf);
}

/* 1000 decisions of ten million each in a few kilobytes: refused by what
 * it asks for, before any of it is built, and said to be a budget. */
static void a_schedule_past_the_budget_is_refused_first(void **state)
{
	static char sched[64 * 1024];
	size_t used = 0;
	struct replay_file rf;

	(void)state;
	used += (size_t)snprintf(sched + used, sizeof(sched) - used, "{\"schedule\": [");
	for (int i = 0; i < 1000; i++)
		used += (size_t)snprintf(sched + used, sizeof(sched) - used,
					 "%s{\"run\": %d, "
					 "\"n\": 10000000}",
					 i ? ", " : "", i % 5);
	snprintf(sched + used, sizeof(sched) - used, "]}");
	assert_int_equal(parse(report_with(sched), 64 * MiB, &rf), REPLAY_READ_TOO_BIG);
	assert_non_null(strstr(why, "--max-memory"));
	assert_null(rf.schedule);
}

static void refuses_malformed_decisions(void **state)
{
	static const char *const bad[] = {
		"[{\"run\": 4294967297, \"n\": 1}]", /* wrapped to thread 1 once */
		"[{\"run\": -1, \"n\": 1}]",
		"[{\"run\": 80, \"n\": 1}]",
		"[{\"run\": 0, \"n\": 0}]",
		"[{\"run\": 0, \"n\": 1, \"commit\": 2}]",
		"[{\"commit\": 0, \"entry\": 256}]",
		"[{\"stale\": 0, \"older\": 1}]",
		"[{\"reseed\": 300}]",
		"[{\"run\": \"0\", \"n\": 1}]",
		"[[0, 1]]",
		"{\"run\": 0}",
	};
	char replay[256];
	struct replay_file rf;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(replay, sizeof(replay), "{\"schedule\": %s}", bad[i]);
		if (parse(report_with(replay), MiB, &rf) != REPLAY_READ_BAD)
			fail_msg("schedule %s was taken", bad[i]);
		assert_null(rf.schedule);
	}
}

static void refuses_what_no_option_is(void **state)
{
	static const char *const bad[] = {
		"{\"vcpus\": 2.0}",   "{\"vcpus\": null}",	 "{\"vcpus\": [2]}",
		"{\"vcpus\": false}", "{\"vcpus\": {\"n\": 2}}",
	};
	struct replay_file rf;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (parse(report_with(bad[i]), MiB, &rf) != REPLAY_READ_BAD)
			fail_msg("replay %s was taken", bad[i]);
	assert_int_equal(parse("not json", MiB, &rf), REPLAY_READ_BAD);
	assert_non_null(strstr(why, "not JSON"));
	assert_int_equal(parse("{\"runs\": [{\"scenario\": \"x\"}]}", MiB, &rf), REPLAY_READ_BAD);
	assert_non_null(strstr(why, "no run in it"));
	assert_int_equal(parse("{\"runs\": [{\"replay\": {\"a\": 1, \"a\": 2}}]}", MiB, &rf),
			 REPLAY_READ_BAD);
	assert_int_equal(parse(report_with("{}"), 8, &rf), REPLAY_READ_TOO_BIG);
}

/* Only a regular file is read, and its size is looked at before a byte
 * of it: /dev/zero never ends, and was read to the budget. */
static void reads_a_regular_file_only_sized_first(void **state)
{
	char path[] = "/tmp/test_replay_read.XXXXXX", why[256];
	struct replay_file rf;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, 3000000), 0);
	close(fd);
	assert_int_equal(replay_file_read("/dev/zero", 8 * MiB, &rf, why, sizeof(why)),
			 REPLAY_READ_BAD);
	assert_non_null(strstr(why, "a character device"));
	assert_int_equal(replay_file_read("/tmp", 8 * MiB, &rf, why, sizeof(why)), REPLAY_READ_BAD);
	assert_non_null(strstr(why, "a directory"));
	/* Its true size, not the bytes a bounded read got. */
	assert_int_equal(replay_file_read(path, 2 * MiB, &rf, why, sizeof(why)),
			 REPLAY_READ_TOO_BIG);
	assert_non_null(strstr(why, "it is 3000000 bytes"));
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reads_pairs_and_unfolds_the_schedule),
		cmocka_unit_test(a_schedule_past_the_budget_is_refused_first),
		cmocka_unit_test(refuses_malformed_decisions),
		cmocka_unit_test(refuses_what_no_option_is),
		cmocka_unit_test(reads_a_regular_file_only_sized_first),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
