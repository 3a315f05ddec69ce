// SPDX-License-Identifier: GPL-2.0
/*
 * ./stress: pick the runs, check every one of them, run them, judge each
 * against what its variant is expected to do, report, exit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../engine/budget.h"
#include "../engine/check.h"
#include "../engine/interrupt.h"
#include "../engine/trace.h"
#include "../reports/output.h"
#include "../reports/report.h"
#include "complain.h"
#include "list.h"
#include "litmus_run.h"
#include "options.h"
#include "replay.h"
#include "run_one.h"
#include "select.h"
#include "stdout_check.h"
#include "verdict.h"

static uint64_t default_seed(void)
{
	uint64_t x = trace_now_ns() ^ ((uint64_t)getpid() << 32);

	return splitmix64(&x);
}

/* What has been found so far, for the report written on the way out when
 * the machine runs short (harness_lacks()). */
static struct {
	const struct options *o;
	struct run_result *results;
	int done;
} so_far;

/* Every report asked for; whether one could not be written. */
static bool write_reports(const struct options *o, const struct run_result *results, int done)
{
	bool failed = false;

	if (o->report_path)
		failed |= report_json_write(o->report_path, results, done) != 0;
	if (o->junit_path)
		failed |= report_junit_write(o->junit_path, results, done) != 0;
	if (o->ktap_path)
		failed |= report_ktap_write(o->ktap_path, results, done) != 0;
	return failed;
}

static void write_what_was_found(void)
{
	if (so_far.o && so_far.done)
		write_reports(so_far.o, so_far.results, so_far.done);
}

static void print_summary(const struct run_result *results, int done, int n)
{
	printf("\nSummary (%d of %d runs%s):\n", done, n,
	       done < n ? ", the rest not run: interrupted" : "");
	for (int i = 0; i < done; i++)
		printf("  %-5s %s/%s: %s, expected %s\n",
		       results[i].verdict == VERDICT_AS_EXPECTED       ? "ok"
		       : results[i].verdict == VERDICT_NOT_AS_EXPECTED ? "FAIL"
								       : "-",
		       results[i].scenario, results[i].variant, outcome_name(results[i].outcome),
		       expect_name(results[i].expected));
}

static int run_selection(const struct options *o, const struct selection *sel, int n, uint64_t seed)
{
	struct run_result *results = calloc((size_t)n, sizeof(*results));
	struct final_verdict end;
	bool report_failed = false;
	int done = 0;

	HARNESS_NEED(results, "memory", "the results of %d runs", n);
	so_far.o = o;
	so_far.results = results;
	for (; done < n && !interrupt_requested(); so_far.done = ++done)
		run_one(o, sel[done].scenario, sel[done].variant, seed, &results[done]);
	if (n > 1)
		print_summary(results, done, n);
	report_failed = write_reports(o, results, done);
	end = final_verdict(results, done, interrupt_signal(), report_failed);
	so_far.o = NULL;
	for (int i = 0; i < done; i++)
		run_result_free(&results[i]);
	free(results);
	printf("End of test: %s\n", end.word);
	return end.exit_code;
}

/* Options that answer at once: --help, --version, --list, --list-options. */
static bool answered(const struct options *o)
{
	if (o->help)
		options_usage(stdout, o->argv0);
	else if (o->version)
		printf("lostflush %s\n", LOSTFLUSH_VERSION);
	else if (o->list && o->json)
		list_scenarios_json(o->backend == BACKEND_KVM);
	else if (o->list)
		list_scenarios(o->backend == BACKEND_KVM);
	else if (o->list_options)
		options_list(stdout);
	else
		return false;
	return true;
}

/* A report's path, checked before any run; true after the message. */
static bool report_unwritable(const char *flag, const char *path)
{
	char why[512];

	if (!path || !report_output_check(path, why, sizeof(why)))
		return false;
	complain("%s '%s' cannot be written: %s", flag, path, why);
	return true;
}

/* Two outputs, or an output and the file --replay reads, that are one
 * file: the last written would replace the others. True after the
 * message. */
static bool outputs_collide(const struct options *o)
{
	const char *flag[] = { "--replay", "--report", "--junit", "--ktap" };
	const char *path[] = { o->replay_path, o->report_path, o->junit_path, o->ktap_path };

	for (int i = 0; i < 4; i++)
		for (int j = i + 1; j < 4; j++)
			if (path[i] && path[j] && report_output_same_file(path[i], path[j])) {
				complain("%s '%s' and %s '%s' name one file: give each its own",
					 flag[i], path[i], flag[j], path[j]);
				return true;
			}
	return false;
}

/* Everything about the invocation that can be wrong, before any run. */
static int prepare(struct options *o, struct selection *sel, int *n, uint64_t *seed)
{
	int err, rc;

	budget_init(o->max_memory);
	/* Before the file is read: a report written over it would replace
	 * the reproducer with the report of its replay. */
	if (o->replay_path && o->report_path &&
	    report_output_same_file(o->report_path, o->replay_path)) {
		complain("--report '%s' names the file --replay reads ('%s'): the report would "
			 "replace the run it replays; give --report another file",
			 o->report_path, o->replay_path);
		return EXIT_USAGE;
	}
	if (outputs_collide(o))
		return EXIT_USAGE;
	if (o->replay_path && (err = replay_load(o)))
		return err;
	if (options_check(o))
		return EXIT_USAGE;
	if (!o->scenario) {
		complain("no --scenario given");
		print_names(NULL);
		fprintf(complain_stream ? complain_stream : stderr,
			"  (--list describes them; --help lists every option)\n");
		return EXIT_USAGE;
	}
	if (select_runs(o, sel, MAX_RUNS, n))
		return EXIT_USAGE;
	*seed = o->given[OPT_SEED] ? o->seed : default_seed();
	rc = check_runs(o, sel, n, *seed);
	if (rc)
		return rc;
	if (report_unwritable("--report", o->report_path) ||
	    report_unwritable("--junit", o->junit_path) ||
	    report_unwritable("--ktap", o->ktap_path))
		return EXIT_USAGE;
	return 0;
}

int main(int argc, char **argv)
{
	struct options o;
	struct selection sel[MAX_RUNS];
	uint64_t seed;
	int n, ret;

	stdout_check_start();
	options_init(&o, argv[0]);
	ret = options_parse(&o, argc, argv) ? EXIT_USAGE : 0;
	if (!ret && answered(&o)) {
		options_free(&o);
		return stdout_check_end(0);
	}
	if (!ret && o.litmus_path) {
		ret = litmus_run(&o, default_seed());
		options_free(&o);
		return stdout_check_end(ret);
	}
	if (!ret)
		ret = prepare(&o, sel, &n, &seed);
	if (!ret) {
		interrupt_install();
		harness_on_lack(write_what_was_found);
		ret = run_selection(&o, sel, n, seed);
	}
	options_free(&o);
	return stdout_check_end(ret);
}
