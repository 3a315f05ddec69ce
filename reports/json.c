// SPDX-License-Identifier: GPL-2.0
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "report.h"

static json_t *violation_fields(const struct violation *v);

/* The violation as the text report prints it: what a CI page shows. */
static json_t *violation_text(const struct violation *v)
{
	char *text = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&text, &size);
	json_t *j;

	if (!out)
		return json_null();
	violation_print(out, v);
	fclose(out);
	j = json_string(text);
	free(text);
	return j ? j : json_null();
}

/* What a bounded search covered (engine/bounded.h). complete_to: the
 * largest bound explored whole (-1: none, or no bound); bound and
 * reached are -1 with no bound; exhaustive: no decision was
 * left for a larger one; bug_depth: the failing schedule's preemptions. */
static json_t *bounded_json(const struct run_result *r)
{
	json_t *b = json_object();

	json_object_set_new(b, "bound", r->bound < 0 ? json_null() : json_integer(r->bound));
	json_object_set_new(b, "complete_to", json_integer(r->bound_complete));
	json_object_set_new(b, "reached", json_integer(r->bound_reached));
	json_object_set_new(b, "schedules", json_integer((json_int_t)r->bound_schedules));
	json_object_set_new(b, "exhaustive", json_boolean(r->bound_exhaustive));
	json_object_set_new(b, "bug_depth",
			    r->bug_depth >= 0 ? json_integer(r->bug_depth) : json_null());
	return b;
}

static json_t *violation_json(const struct violation *v)
{
	json_t *j = violation_fields(v);

	json_object_set_new(j, "text", violation_text(v));
	return j;
}

static json_t *violation_fields(const struct violation *v)
{
	if (v->quiesced)
		return json_pack("{s:s, s:s, s:I, s:I, s:I}", "kind", violation_name(v->kind),
				 "found", "quiesced-check", "gfn", (json_int_t)v->gfn,
				 "destination", (json_int_t)v->entry_epoch, "source",
				 (json_int_t)v->current_epoch);
	return json_pack("{s:s, s:i, s:I, s:I, s:i, s:b, s:I, s:I, s:f, s:f, s:I}", "kind",
			 violation_name(v->kind), "vcpu", v->vcpu_id, "gfn", (json_int_t)v->gfn,
			 "pfn", (json_int_t)v->pfn, "level", v->level, "write", v->write,
			 "entry_epoch", (json_int_t)v->entry_epoch, "current_epoch",
			 (json_int_t)v->current_epoch, "time_s", (double)v->t_ns / 1e9,
			 "entry_age_ms", (double)v->entry_age_ns / 1e6, "accesses",
			 (json_int_t)v->accesses);
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

/* Option pairs as a JSON object: numbers as numbers, flags as true. */
static json_t *kv_json(const struct report_kv *kv, int n)
{
	json_t *j = json_object();

	for (int i = 0; i < n; i++) {
		json_t *v;

		if (kv[i].type == KV_NUMBER)
			v = json_integer((json_int_t)strtoll(kv[i].value, NULL, 10));
		else if (kv[i].type == KV_TRUE)
			v = json_true();
		else
			v = json_string(kv[i].value);
		json_object_set_new(j, kv[i].key, v);
	}
	return j;
}

/* Everything --replay needs to run the failing execution again. */
static json_t *replay_json(const struct run_result *r)
{
	json_t *j = kv_json(r->replay, r->nr_replay);

	/* A minimized schedule replaces the strategy: --replay follows it. */
	if (r->minimized)
		json_object_set_new(j, "schedule", schedule_json(r->minimized, r->minimized_len));
	/* A run that followed a schedule is not its seed's execution: the
	 * decisions it took are what replays it. */
	else if ((r->guided || r->replay_by_schedule) && r->schedule)
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
	json_object_set_new(
		j, "schedule_switches",
		json_integer((json_int_t)ctl_count_switches(r->schedule, r->schedule_len)));
	if (!r->minimized)
		return;
	json_object_set_new(j, "minimize_interrupted", json_boolean(r->minimize_interrupted));
	json_object_set_new(j, "minimized_schedule", schedule_json(r->minimized, r->minimized_len));
	json_object_set_new(j, "minimized_threads",
			    json_integer(threads_that_ran(r->minimized, r->minimized_len)));
	json_object_set_new(
		j, "minimized_switches",
		json_integer((json_int_t)ctl_count_switches(r->minimized, r->minimized_len)));
	/* An interrupted minimization kept its best schedule so far, but the
	 * execution last run was another: there is no hash to give. */
	if (r->minimize_interrupted)
		return;
	snprintf(hash, sizeof(hash), "%016llx", (unsigned long long)r->minimized_trace_hash);
	json_object_set_new(j, "minimized_trace_hash", json_string(hash));
}

static const char *verdict_name(enum verdict v)
{
	return v == VERDICT_AS_EXPECTED	      ? "as-expected"
	       : v == VERDICT_NOT_AS_EXPECTED ? "not-as-expected"
					      : "not-judged";
}

static json_t *run_json(const struct run_result *r)
{
	json_t *j = run_json_base(r);

	json_object_set_new(j, "verdict", json_string(verdict_name(r->verdict)));
	json_object_set_new(j, "options", kv_json(r->options, r->nr_options));
	json_object_set_new(j, "max_memory", json_integer((json_int_t)r->max_memory));

	if (r->executions_run) {
		double secs = (double)r->elapsed_ns / 1e9;

		json_object_set_new(j, "executions_run",
				    json_integer((json_int_t)r->executions_run));
		json_object_set_new(j, "memory", json_string(r->memory));
		json_object_set_new(j, "decisions", json_integer((json_int_t)r->decisions));
		json_object_set_new(j, "decisions_per_s",
				    json_real(secs > 0 ? (double)r->decisions / secs : 0.0));
		if (r->searched) {
			json_object_set_new(j, "cover_states",
					    json_integer((json_int_t)r->cover_states));
			json_object_set_new(j, "cover_archive_full", json_boolean(r->archive_full));
			json_object_set_new(j, "cover_archive_bytes",
					    json_integer((json_int_t)r->archive_bytes));
		}
		if (r->bounded)
			json_object_set_new(j, "bounded", bounded_json(r));
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
	for (int id = 0; id < COUNTER_SLOTS; id++)
		if (counter_names[id])
			json_object_set_new(counters, counter_names[id],
					    json_integer((json_int_t)r->counters[id]));
	return json_pack(
		"{s:s, s:s, s:s, s:s, s:f, s:f, s:b, s:s, s:s?, s:s, s:b, s:I, s:o,"
		" s:o, s:o, s:o, s:{s:I, s:f}, s:{s:i, s:I, s:I, s:i}, s:s}",
		"scenario", r->scenario, "variant", r->variant, "sched", r->sched, "seed", seed,
		"duration_s", (double)r->duration_ns / 1e9, "elapsed_s",
		(double)r->elapsed_ns / 1e9, "interrupted", r->interrupted, "expected",
		expect_name(r->expected), "not_judged_reason", r->not_judged_reason, "outcome",
		outcome_name(r->outcome), "as_expected", r->as_expected, "violations_total",
		(json_int_t)r->nr_violations, "violations", viol, "time_to_first_violation_s",
		r->nr_violations ? json_real((double)r->first_violation_ns / 1e9) : json_null(),
		"accesses_to_first_violation",
		r->nr_violations ? json_integer((json_int_t)r->accesses_to_first_violation)
				 : json_null(),
		"counters", counters, "memory", "peak_rss_bytes", (json_int_t)r->peak_rss_bytes,
		"bytes_per_gfn", r->gfns ? (double)r->peak_rss_bytes / (double)r->gfns : 0.0,
		"config", "vcpus", r->vcpus, "gfns", (json_int_t)r->gfns, "hot_gfns",
		(json_int_t)r->hot_gfns, "tlb_entries", (int)r->tlb_entries, "rerun",
		r->rerun ? r->rerun : "");
}

int report_json_write(const char *path, const struct run_result *results, int n)
{
	json_t *runs = json_array(), *root;

	for (int i = 0; i < n; i++)
		json_array_append_new(runs, run_json(&results[i]));
	root = json_pack("{s:s, s:s, s:o}", "tool", "lostflush", "version", LOSTFLUSH_VERSION,
			 "runs", runs);
	return report_output_json(path, root);
}
