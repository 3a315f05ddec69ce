// SPDX-License-Identifier: GPL-2.0
/*
 * ./stress --litmus FILE (cli/litmus_run.h). Everything that can be wrong
 * with the command line or the file is said before the first execution;
 * the run itself is the engine's generic controlled run (run_execute()),
 * so every controlled scheduler and memory model applies to a litmus test
 * as it does to a scenario.
 */
#include "litmus_run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../engine/budget.h"
#include "../engine/check.h"
#include "../engine/interrupt.h"
#include "../engine/memmodel.h"
#include "../litmus/print.h"
#include "../reports/litmus_json.h"
#include "../reports/output.h"
#include "complain.h"
#include "config.h"
#include "numbers.h"

/* What shapes a litmus run, or says where its output goes. The others
 * shape the KVM model's scenarios. */
static const enum option_id allowed[] = {
	OPT_LITMUS,   OPT_SCHED,  OPT_MEMORY,	  OPT_EXECUTIONS, OPT_SEED,
	OPT_DURATION, OPT_REPORT, OPT_MAX_MEMORY, OPT_QUIET,
};

bool litmus_option_allowed(enum option_id id)
{
	for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
		if (allowed[i] == id)
			return true;
	return false;
}

static int check_options(struct options *o)
{
	char ok[256] = "";

	for (size_t i = 1, used = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
		used += (size_t)snprintf(ok + used, sizeof(ok) - used, "%s--%s", i > 1 ? ", " : "",
					 option_table[allowed[i]].name);
	for (int i = 0; i < NR_OPTIONS; i++)
		if (o->given[i] && !litmus_option_allowed((enum option_id)i)) {
			complain("--%s cannot be given with --litmus: it shapes the KVM model's "
				 "scenarios (with --litmus: %s)",
				 option_table[i].name, ok);
			return -1;
		}
	if (o->given[OPT_SCHED] && o->sched == SCHED_FREE) {
		complain("--sched free cannot run a litmus test: its threads run one at a "
			 "time under the controlled scheduler; give any other --sched "
			 "(default random)");
		return -1;
	}
	if (!o->given[OPT_SCHED])
		o->sched = SCHED_RANDOM;
	return 0;
}

static bool report_ok(const struct options *o)
{
	char why[512];

	if (!o->report_path || !report_output_check(o->report_path, why, sizeof(why)))
		return true;
	complain("--report '%s' cannot be written: %s", o->report_path, why);
	return false;
}

static struct run_config config_of(const struct options *o, uint64_t seed)
{
	struct run_config cfg;

	memset(&cfg, 0, sizeof(cfg));
	config_schedule(&cfg, o);
	if (!o->given[OPT_EXECUTIONS])
		cfg.executions = LITMUS_DEFAULT_EXECUTIONS;
	cfg.seed = seed;
	/* A count of executions runs whole unless a --duration cuts it. */
	cfg.duration_ns = o->given[OPT_DURATION] ? o->duration_ns : MAX_DURATION_NS;
	return cfg;
}

/* The file's "Result:" against what the run saw; the exit code. */
static int judge(const struct litmus_subject *s, bool quiet)
{
	enum litmus_result seen = litmus_observation(&s->outcomes);
	enum litmus_result want = s->test->expected;

	if (want == LR_NONE || seen == LR_NONE) {
		if (!quiet)
			printf("Result: %s\n", want == LR_NONE ? "the file states none; nothing to "
								 "compare"
							       : "no execution ran; not judged");
		return EXIT_AS_EXPECTED;
	}
	if (seen == want) {
		if (!quiet)
			printf("Result: %s, as the file says\n", litmus_result_name(seen));
		return EXIT_AS_EXPECTED;
	}
	printf("!!! Result differs: the file says %s, this run observed %s\n",
	       litmus_result_name(want), litmus_result_name(seen));
	return EXIT_NOT_AS_EXPECTED;
}

/* Under --sched bounded, whether the observations are all there are: a
 * Never means never only from a search that ended on its own. */
static void print_coverage(const struct run *run)
{
	if (run->cfg.sched != SCHED_BOUNDED)
		return;
	if (run->bound_exhaustive)
		printf("Exhaustive: every schedule explored (%llu)\n",
		       (unsigned long long)run->bound_schedules);
	else if (run->cfg.bound != BOUNDED_NONE && run->bound_complete == run->cfg.bound)
		printf("Bounded: every schedule with at most %d preemption(s) explored (%llu); "
		       "outcomes past the bound are not\n",
		       run->cfg.bound, (unsigned long long)run->bound_schedules);
	else
		printf("Not exhaustive: stopped after %llu executions (--executions or "
		       "--duration); an outcome not seen may still happen\n",
		       (unsigned long long)run->executions_run);
}

static int run_test(const struct options *o, const struct litmus_test *t, uint64_t seed)
{
	struct run_config cfg = config_of(o, seed);
	struct litmus_subject *s = litmus_subject_new(t, o->litmus_path);
	struct run *run = calloc(1, sizeof(*run));
	char sched[64];
	int rc;

	HARNESS_NEED(s && run, "memory", "a litmus run");
	HARNESS_NEED(!run_init(run, &cfg, s, &litmus_subject_ops), "memory", "a litmus run");
	litmus_add_workers(run);
	option_format(o, OPT_SCHED, sched, sizeof(sched));
	if (!o->quiet) {
		printf("lostflush %s: litmus %s sched=%s memory=%s seed=%#llx executions=%llu\n",
		       LOSTFLUSH_VERSION, o->litmus_path, sched, mem_model_name(cfg.memory),
		       (unsigned long long)seed, (unsigned long long)cfg.executions);
		fflush(stdout);
	}
	interrupt_install();
	run_execute(run);
	litmus_print_herd(stdout, s);
	print_coverage(run);
	if (!o->quiet) {
		litmus_print_histogram(stdout, s);
		printf("Ran %llu executions in %.2f s (sched %s, memory %s, seed %#llx)%s\n",
		       (unsigned long long)run->executions_run, (double)run->elapsed_ns / 1e9,
		       sched, mem_model_name(cfg.memory), (unsigned long long)seed,
		       run->interrupted ? ", interrupted" : "");
	}
	rc = judge(s, o->quiet);
	if (o->report_path) {
		struct litmus_run_info info = {
			.path = o->litmus_path,
			.sched = sched,
			.memory = mem_model_name(cfg.memory),
			.seed = seed,
			.executions = run->executions_run,
			.interrupted = run->interrupted,
		};

		if (report_litmus_json_write(o->report_path, s, &info))
			rc = EXIT_USAGE;
	}
	if (run->interrupted)
		rc = 128 + interrupt_signal();
	run_destroy(run);
	free(run);
	litmus_subject_free(s);
	return rc;
}

int litmus_run(struct options *o, uint64_t default_seed)
{
	struct litmus_test *t;
	struct litmus_error err;
	int rc;

	if (check_options(o) || !report_ok(o))
		return EXIT_USAGE;
	budget_init(o->max_memory);
	t = malloc(sizeof(*t));
	HARNESS_NEED(t, "memory", "a litmus test (%zu bytes)", sizeof(*t));
	if (litmus_parse_file(o->litmus_path, t, &err)) {
		if (err.line)
			complain("%s:%d:%d: %s", o->litmus_path, err.line, err.col, err.msg);
		else
			complain("--litmus '%s' %s", o->litmus_path, err.msg);
		free(t);
		return EXIT_USAGE;
	}
	rc = run_test(o, t, o->given[OPT_SEED] ? o->seed : default_seed);
	free(t);
	return rc;
}
