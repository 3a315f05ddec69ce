// SPDX-License-Identifier: GPL-2.0
/*
 * Where a report goes: refused before the run when it could not be written
 * or would replace something that is not a regular file; written beside
 * its target and renamed over it, leaving nothing else behind; a symlink
 * to a regular file keeps pointing at the new report.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../reports/output.h"

static char dir[64];

static int make_dir(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/lostflush-output-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int remove_dir(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd);
}

static const char *in_dir(const char *name)
{
	static char path[4][256];
	static int next;
	char *p = path[next++ % 4];

	snprintf(p, 256, "%s/%s", dir, name);
	return p;
}

static void assert_refused(const char *path, const char *why_part)
{
	char why[512] = "";

	assert_int_equal(report_output_check(path, why, sizeof(why)), -1);
	if (!strstr(why, why_part))
		fail_msg("'%s': '%s' lacks '%s'", path, why, why_part);
}

static int entries_in_dir(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)))
		n += e->d_name[0] != '.' || (e->d_name[1] && strcmp(e->d_name, ".."));
	closedir(d);
	return n;
}

static int write_hello(FILE *out, void *arg)
{
	return fputs(arg, out) < 0;
}

static void slurp(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, len - 1, f);
	buf[n] = '\0';
	fclose(f);
}

static void refuses_what_it_cannot_write(void **state)
{
	(void)state;
	assert_refused("", "empty");
	assert_refused(dir, "directory");
	assert_refused(in_dir(""), "directory");
	assert_refused(".", "directory");
	assert_refused(in_dir("missing/r.json"), "does not exist");
	assert_refused("/dev/null", "not a regular file");
	assert_int_equal(mkfifo(in_dir("fifo"), 0600), 0);
	assert_refused(in_dir("fifo"), "not a regular file");
	assert_int_equal(symlink(in_dir("fifo"), in_dir("to-fifo")), 0);
	assert_refused(in_dir("to-fifo"), "not a regular file");
	assert_int_equal(symlink(in_dir("nothing"), in_dir("dangling")), 0);
	assert_refused(in_dir("dangling"), "symlink to nothing");
	/* The check leaves nothing behind: the fifo and the two links. */
	assert_int_equal(entries_in_dir(), 3);
}

static void writes_whole_and_leaves_nothing_else(void **state)
{
	char why[512], got[64];

	(void)state;
	assert_int_equal(report_output_check(in_dir("r.json"), why, sizeof(why)), 0);
	assert_int_equal(
		report_output_write(in_dir("r.json"), write_hello, "one", why, sizeof(why)), 0);
	/* Over an existing regular file. */
	assert_int_equal(
		report_output_write(in_dir("r.json"), write_hello, "two", why, sizeof(why)), 0);
	slurp(in_dir("r.json"), got, sizeof(got));
	assert_string_equal(got, "two");
	assert_int_equal(entries_in_dir(), 1);
}

static void follows_a_link_to_a_regular_file(void **state)
{
	char why[512], got[64];
	struct stat st;

	(void)state;
	assert_int_equal(
		report_output_write(in_dir("real.json"), write_hello, "old", why, sizeof(why)), 0);
	assert_int_equal(symlink(in_dir("real.json"), in_dir("link.json")), 0);
	assert_int_equal(report_output_check(in_dir("link.json"), why, sizeof(why)), 0);
	assert_int_equal(
		report_output_write(in_dir("link.json"), write_hello, "new", why, sizeof(why)), 0);
	assert_int_equal(lstat(in_dir("link.json"), &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	slurp(in_dir("real.json"), got, sizeof(got));
	assert_string_equal(got, "new");
}

/* Something that is not a regular file appeared at the path during the
 * run: it is not replaced, and the report is kept where it was written. */
static void keeps_the_report_when_the_target_changed(void **state)
{
	char why[512], kept[512], got[64];
	char *at;

	(void)state;
	assert_int_equal(report_output_check(in_dir("late.json"), why, sizeof(why)), 0);
	assert_int_equal(mkfifo(in_dir("late.json"), 0600), 0);
	assert_int_equal(
		report_output_write(in_dir("late.json"), write_hello, "found", why, sizeof(why)),
		-1);
	at = strstr(why, "the report is kept at '");
	assert_non_null(at);
	snprintf(kept, sizeof(kept), "%s", at + strlen("the report is kept at '"));
	kept[strlen(kept) - 1] = '\0';
	slurp(kept, got, sizeof(got));
	assert_string_equal(got, "found");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(refuses_what_it_cannot_write, make_dir, remove_dir),
		cmocka_unit_test_setup_teardown(writes_whole_and_leaves_nothing_else, make_dir,
						remove_dir),
		cmocka_unit_test_setup_teardown(follows_a_link_to_a_regular_file, make_dir,
						remove_dir),
		cmocka_unit_test_setup_teardown(keeps_the_report_when_the_target_changed, make_dir,
						remove_dir),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
