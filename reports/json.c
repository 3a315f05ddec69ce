// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "report.h"

#include "../options.h"

static void tmp_path(char *buf, size_t len, const char *path)
{
	snprintf(buf, len, "%s.tmp.%ld", path, (long)getpid());
}

int report_json_check_path(const char *path)
{
	char tmp[4096];
	int fd;

	tmp_path(tmp, sizeof(tmp), path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0644);
	if (fd < 0) {
		fprintf(stderr, "stress: --report '%s' cannot be written: %s\n", path,
			strerror(errno));
		return -1;
	}
	close(fd);
	unlink(tmp);
	return 0;
}

static json_t *violation_json(const struct violation *v)
{
	if (v->quiesced)
		return json_pack("{s:s, s:s, s:I, s:I, s:I}", "kind", violation_name(v->kind),
				 "found", "quiesced-check", "gfn", (json_int_t)v->gfn,
				 "destination", (json_int_t)v->entry_epoch,
				 "source", (json_int_t)v->current_epoch);
	return json_pack("{s:s, s:i, s:I, s:I, s:i, s:b, s:I, s:I, s:f, s:f, s:I}",
			 "kind", violation_name(v->kind), "vcpu", v->vcpu_id,
			 "gfn", (json_int_t)v->gfn, "pfn", (json_int_t)v->pfn,
			 "level", v->level, "write", v->write,
			 "entry_epoch", (json_int_t)v->entry_epoch,
			 "current_epoch", (json_int_t)v->current_epoch,
			 "time_s", (double)v->t_ns / 1e9,
			 "entry_age_ms", (double)v->entry_age_ns / 1e6,
			 "accesses", (json_int_t)v->accesses);
}

/* Threads a schedule ran at least once. */
static int threads_that_ran(const struct ctl_decision *d, size_t n)
{
	bool ran[CTL_MAX_THREADS] = { false };
	int count = 0;

	for (size_t i = 0; i < n; i++)
		if (d[i].kind == CTL_RUN && !ran[d[i].thread]) {
			ran[d[i].thread] = true;
			count++;
		}
	return count;
}

static json_t *run_json_base(const struct run_result *r);

/* Everything --replay needs to run the failing execution again. */
static json_t *replay_json(const struct run_result *r)
{
	char seed[32];

	snprintf(seed, sizeof(seed), "%#llx", (unsigned long long)r->seed);
	json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:i, s:I, s:I, s:i, s:s, s:s}",
			      "scenario", r->scenario, "variant", r->variant, "sched", r->replay_sched,
			      "memory", r->memory, "seed", seed,
			      "execution", (json_int_t)r->replay_execution,
			      "vcpus", r->vcpus, "gfns", (json_int_t)r->gfns,
			      "hot_gfns", (json_int_t)r->hot_gfns,
			      "tlb_entries", (int)r->tlb_entries,
			      "workload", r->workload_spec ? r->workload_spec : "",
			      "perturb", r->perturb_spec ? r->perturb_spec : "");

	json_object_set_new(j, "range_flush", json_string(r->range_flush));
	json_object_set_new(j, "tlb_huge", json_string(r->tlb_huge));
	json_object_set_new(j, "log", json_string(r->log_mode));
	json_object_set_new(j, "ad_bits", json_string(r->ad_bits));
	/* A minimized schedule replaces the strategy: --replay follows it. */
	if (r->minimized)
		json_object_set_new(j, "schedule", schedule_json(r->minimized, r->minimized_len));
	/* A run that followed a schedule is not its seed's execution: the
	 * decisions it took are what replays it. */
	else if ((r->guided || r->searched) && r->schedule)
		json_object_set_new(j, "schedule", schedule_json(r->schedule, r->schedule_len));
	return j;
}

static json_t *names_json(const struct run_result *r)
{
	json_t *a = json_array();

	for (int i = 0; i < r->nr_threads; i++)
		json_array_append_new(a, json_string(r->thread_names[i]));
	return a;
}

static void add_schedules(json_t *j, const struct run_result *r)
{
	char hash[24];

	json_object_set_new(j, "threads", names_json(r));
	json_object_set_new(j, "schedule", schedule_json(r->schedule, r->schedule_len));
	json_object_set_new(j, "schedule_threads",
			    json_integer(threads_that_ran(r->schedule, r->schedule_len)));
	json_object_set_new(j, "schedule_switches",
			    json_integer((json_int_t)ctl_count_switches(r->schedule,
									 r->schedule_len)));
	if (!r->minimized)
		return;
	json_object_set_new(j, "minimized_schedule",
			    schedule_json(r->minimized, r->minimized_len));
	json_object_set_new(j, "minimized_threads",
			    json_integer(threads_that_ran(r->minimized, r->minimized_len)));
	json_object_set_new(j, "minimized_switches",
			    json_integer((json_int_t)ctl_count_switches(r->minimized,
									 r->minimized_len)));
	snprintf(hash, sizeof(hash), "%016llx", (unsigned long long)r->minimized_trace_hash);
	json_object_set_new(j, "minimized_trace_hash", json_string(hash));
}

static json_t *run_json(const struct run_result *r)
{
	json_t *j = run_json_base(r);

	if (r->executions_run) {
		double secs = (double)r->elapsed_ns / 1e9;

		json_object_set_new(j, "executions_run", json_integer((json_int_t)r->executions_run));
		json_object_set_new(j, "memory", json_string(r->memory));
		json_object_set_new(j, "decisions", json_integer((json_int_t)r->decisions));
		json_object_set_new(j, "decisions_per_s",
				    json_real(secs > 0 ? (double)r->decisions / secs : 0.0));
		if (r->searched)
			json_object_set_new(j, "cover_states",
					    json_integer((json_int_t)r->cover_states));
		if (r->nr_violations) {
			json_object_set_new(j, "failing_execution",
					    json_integer((json_int_t)r->failing_execution));
			char hash[24];

			json_object_set_new(j, "failing_steps",
					    json_integer((json_int_t)r->failing_steps));
			snprintf(hash, sizeof(hash), "%016llx",
				 (unsigned long long)r->failing_trace_hash);
			json_object_set_new(j, "trace_hash", json_string(hash));
			json_object_set_new(j, "replay", replay_json(r));
			add_schedules(j, r);
		}
	}
	return j;
}

static json_t *run_json_base(const struct run_result *r)
{
	json_t *viol = json_array(), *counters = json_object();
	char seed[32];

	snprintf(seed, sizeof(seed), "%#llx", (unsigned long long)r->seed);
	for (int i = 0; i < r->nr_kept; i++)
		json_array_append_new(viol, violation_json(&r->kept[i]));
	for (int id = 0; id < NR_COUNTERS; id++)
		json_object_set_new(counters, counter_names[id],
				    json_integer((json_int_t)r->counters[id]));
	return json_pack(
		"{s:s, s:s, s:s, s:s, s:f, s:f, s:b, s:s, s:s?, s:s, s:b, s:I, s:o,"
		" s:o, s:o, s:o, s:{s:I, s:f}, s:{s:i, s:I, s:I, s:i}, s:s}",
		"scenario", r->scenario, "variant", r->variant, "sched", r->sched,
		"seed", seed, "duration_s", (double)r->duration_ns / 1e9,
		"elapsed_s", (double)r->elapsed_ns / 1e9, "interrupted", r->interrupted,
		"expected", expect_name(r->expected), "not_judged_reason", r->not_judged_reason,
		"outcome", outcome_name(r->outcome), "as_expected", r->as_expected,
		"violations_total", (json_int_t)r->nr_violations, "violations", viol,
		"time_to_first_violation_s",
		r->nr_violations ? json_real((double)r->first_violation_ns / 1e9) : json_null(),
		"accesses_to_first_violation",
		r->nr_violations ? json_integer((json_int_t)r->accesses_to_first_violation)
				 : json_null(),
		"counters", counters,
		"memory", "peak_rss_bytes", (json_int_t)r->peak_rss_bytes, "bytes_per_gfn",
		r->gfns ? (double)r->peak_rss_bytes / (double)r->gfns : 0.0,
		"config", "vcpus", r->vcpus, "gfns", (json_int_t)r->gfns,
		"hot_gfns", (json_int_t)r->hot_gfns, "tlb_entries", (int)r->tlb_entries,
		"rerun", r->replay);
}

int report_json_write(const char *path, const struct run_result *results, int n)
{
	char tmp[4096];
	json_t *runs = json_array(), *root;
	int err;

	for (int i = 0; i < n; i++)
		json_array_append_new(runs, run_json(&results[i]));
	root = json_pack("{s:s, s:s, s:o}", "tool", "lostflush", "version", LOSTFLUSH_VERSION,
			 "runs", runs);
	tmp_path(tmp, sizeof(tmp), path);
	err = json_dump_file(root, tmp, JSON_INDENT(2) | JSON_SORT_KEYS);
	json_decref(root);
	if (err || rename(tmp, path)) {
		fprintf(stderr, "stress: writing report '%s' failed: %s\n", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

static int replay_fail(const char *path, const char *why)
{
	fprintf(stderr, "stress: --replay '%s' cannot be replayed: %s\n", path, why);
	return -1;
}

int report_json_load_replay(const char *path, struct options *o)
{
	json_error_t err;
	json_t *root = json_load_file(path, 0, &err), *runs, *run, *rp = NULL;
	const char *scenario, *variant, *sched, *seed, *workload, *perturb, *memory = "sc";
	const char *range_flush = "works", *tlb_huge = "entry", *log_mode = NULL;
	const char *ad_bits = "off";
	json_int_t execution, vcpus, gfns, hot, tlb;
	char args[64];
	size_t i;

	if (!root)
		return replay_fail(path, err.text);
	runs = json_object_get(root, "runs");
	json_array_foreach(runs, i, run) {
		rp = json_object_get(run, "replay");
		if (rp)
			break;
	}
	if (!rp)
		return replay_fail(path, "no run in it has a failing controlled execution");
	if (json_unpack_ex(rp, &err, 0, "{s:s, s:s, s:s, s?s, s?s, s?s, s?s, s?s, s:s, s:I, s:I, s:I, s:I, s:I, s:s, s:s}",
			   "scenario", &scenario, "variant", &variant, "sched", &sched,
			   "memory", &memory, "range_flush", &range_flush,
			   "tlb_huge", &tlb_huge, "log", &log_mode, "ad_bits", &ad_bits, "seed", &seed, "execution", &execution, "vcpus", &vcpus,
			   "gfns", &gfns, "hot_gfns", &hot, "tlb_entries", &tlb,
			   "workload", &workload, "perturb", &perturb))
		return replay_fail(path, err.text);
	/* The run's choices, through the ordinary option parser, so a report
	 * is held to the same bounds as a command line. */
	{
		char e[32], v[32], g[32], h[32], t[32];
		char *argv[40];
		int argc = 0;

		snprintf(e, sizeof(e), "%lld", (long long)execution);
		snprintf(v, sizeof(v), "%lld", (long long)vcpus);
		snprintf(g, sizeof(g), "%lld", (long long)gfns);
		snprintf(h, sizeof(h), "%lld", (long long)hot);
		snprintf(t, sizeof(t), "%lld", (long long)tlb);
		snprintf(args, sizeof(args), "%s", "stress");
		argv[argc++] = args;
		argv[argc++] = "--scenario"; argv[argc++] = (char *)scenario;
		argv[argc++] = "--variant"; argv[argc++] = (char *)variant;
		argv[argc++] = "--sched"; argv[argc++] = (char *)sched;
		argv[argc++] = "--seed"; argv[argc++] = (char *)seed;
		argv[argc++] = "--memory"; argv[argc++] = (char *)memory;
		argv[argc++] = "--range-flush"; argv[argc++] = (char *)range_flush;
		argv[argc++] = "--tlb-huge"; argv[argc++] = (char *)tlb_huge;
		argv[argc++] = "--ad-bits"; argv[argc++] = (char *)ad_bits;
		if (log_mode) {
			argv[argc++] = "--log";
			argv[argc++] = (char *)log_mode;
		}
		argv[argc++] = "--execution"; argv[argc++] = e;
		argv[argc++] = "--vcpus"; argv[argc++] = v;
		argv[argc++] = "--gfns"; argv[argc++] = g;
		argv[argc++] = "--hot-gfns"; argv[argc++] = h;
		argv[argc++] = "--tlb-entries"; argv[argc++] = t;
		if (*workload) {
			argv[argc++] = "--workload";
			argv[argc++] = (char *)workload;
		}
		if (*perturb) {
			argv[argc++] = "--perturb";
			argv[argc++] = (char *)perturb;
		}
		argv[argc] = NULL;
		if (options_parse(o, argc, argv))
			return replay_fail(path, "its options are out of bounds");
	}
	if (json_object_get(rp, "schedule") &&
	    schedule_from_json(json_object_get(rp, "schedule"), &o->guide, &o->guide_len))
		return replay_fail(path, "its minimized schedule is malformed");
	o->expect = EXPECT_VIOLATION;
	/* The strings stay in the loaded report, which lives until exit. */
	return 0;
}
