// SPDX-License-Identifier: GPL-2.0
/*
 * The harness's own assertions exit 4 with file, line and expression, so a
 * bug in lostflush is never mistaken for a found race (exit 1) or a clean
 * run (exit 0).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "../../engine/check.h"
#include "child.h"

static void failing_assert(void)
{
	int frames = 0;

	HARNESS_ASSERT(frames > 0, "frame pool has %d frames", frames);
}

static void passing_assert(void)
{
	HARNESS_ASSERT(1 + 1 == 2, "arithmetic");
}

static void harness_failure_exits_4(void **state)
{
	char err[1024];

	(void)state;
	assert_int_equal(run_child(failing_assert, err, sizeof(err)), EXIT_HARNESS);
	assert_non_null(strstr(err, "harness failure"));
	assert_non_null(strstr(err, "frames > 0"));
	assert_non_null(strstr(err, "frame pool has 0 frames"));
	assert_non_null(strstr(err, "test_check.c"));
	assert_non_null(strstr(err, "not a race"));
}

static void holding_assert_is_silent(void **state)
{
	char err[1024];

	(void)state;
	assert_int_equal(run_child(passing_assert, err, sizeof(err)), 0);
	assert_string_equal(err, "");
}

static void last_words(void)
{
	fputs("last words: the report so far\n", stderr);
}

static void lacking_memory(void)
{
	void *p = NULL;

	harness_on_lack(last_words);
	HARNESS_NEED(p, "memory", "the VM model of %d gfns", 1000);
}

/* What the machine lacks is exit 3, names the resource, and lets the
 * command line write what it found first: never exit 4, never silent. */
static void lack_of_resources_exits_3(void **state)
{
	char err[1024];

	(void)state;
	assert_int_equal(run_child(lacking_memory, err, sizeof(err)), EXIT_SKIPPED);
	assert_non_null(strstr(err, "not enough memory: the VM model of 1000 gfns"));
	assert_non_null(strstr(err, "last words: the report so far"));
	assert_null(strstr(err, "bug in lostflush itself"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(harness_failure_exits_4),
		cmocka_unit_test(holding_assert_is_silent),
		cmocka_unit_test(lack_of_resources_exits_3),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
