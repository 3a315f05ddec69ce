// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>

#include "report.h"

const char *outcome_name(enum outcome o)
{
	return o == OUTCOME_VIOLATION ? "violation" : "clean";
}

const char *expect_name(enum verdict_expect e)
{
	switch (e) {
	case VERDICT_EXPECT_CLEAN: return "clean";
	case VERDICT_EXPECT_VIOLATION: return "violation";
	default: return "not-judged";
	}
}

void report_text_violations(FILE *out, const struct run_result *r)
{
	for (int i = 0; i < r->nr_kept; i++) {
		fprintf(out, "!!! %s/%s seed=%#" PRIx64 "\n", r->scenario, r->variant, r->seed);
		violation_print(out, &r->kept[i]);
	}
	if (r->nr_violations > (uint64_t)r->nr_kept)
		fprintf(out, "!!! ... and %" PRIu64 " more violations (counted, not kept)\n",
			r->nr_violations - (uint64_t)r->nr_kept);
}

/* A run on the running kernel: the model's counters are all zero there,
 * and only the guest's and the host's say anything. */
static bool ran_real_guest(const struct run_result *r)
{
	return !r->counters[CNT_ACCESSES] && r->counters[CNT_GUEST_ITERATIONS];
}

static void print_counters(FILE *out, const struct run_result *r)
{
	int col = fprintf(out, "Counters:");

	for (int id = 0; id < COUNTER_SLOTS; id++) {
		if (!counter_names[id] || (ran_real_guest(r) && !r->counters[id]))
			continue;
		char item[80];
		int len = snprintf(item, sizeof(item), " %s=%" PRIu64, counter_names[id],
				   r->counters[id]);

		/* Wrap before 80 columns, continuing indented. */
		if (col + len > 79) {
			fputs("\n ", out);
			col = 1;
		}
		col += fprintf(out, "%s", item);
	}
	fputs("\n", out);
}

/* What a bounded search covered: a claim only for a bound explored whole. */
static void bounded_print(FILE *out, const struct run_result *r)
{
	if (r->nr_violations) {
		fprintf(out,
			"Bounded: a failing schedule with %d preemption%s (the bug's depth: "
			"every schedule with fewer was explored first)\n",
			r->bug_depth, r->bug_depth == 1 ? "" : "s");
	} else if (r->bound_exhaustive) {
		fprintf(out,
			"Bounded: explored %" PRIu64 " schedules, every one there is (no "
			"decision was left for a larger bound): clean\n",
			r->bound_schedules);
	} else if (r->bound_complete >= 0 && r->bound_complete == r->bound_reached) {
		fprintf(out,
			"Bounded: explored %" PRIu64 " schedules, complete to %d preemption%s: "
			"clean\n",
			r->bound_schedules, r->bound_complete, r->bound_complete == 1 ? "" : "s");
	} else if (r->bound_complete >= 0) {
		fprintf(out,
			"Bounded: complete to %d preemption%s only; %" PRIu64 " schedules of "
			"bound %d explored when it stopped (time or executions ran out): not "
			"a claim of clean beyond %d\n",
			r->bound_complete, r->bound_complete == 1 ? "" : "s", r->bound_schedules,
			r->bound_reached, r->bound_complete);
	} else {
		fprintf(out,
			"Bounded: not complete even to 0 preemptions (%" PRIu64 " schedules "
			"explored when it stopped): no claim of clean\n",
			r->bound_schedules);
	}
}

void report_text_summary(FILE *out, const struct run_result *r, bool quiet)
{
	double secs = (double)r->elapsed_ns / 1e9;

	if (!quiet) {
		print_counters(out, r);
		if (ran_real_guest(r))
			fprintf(out, "Rate: %.0f guest iterations/s, %.2fM writes verified/s\n",
				secs > 0 ? (double)r->counters[CNT_GUEST_ITERATIONS] / secs : 0.0,
				secs > 0 ? (double)r->counters[CNT_WRITES_VERIFIED] / secs / 1e6
					 : 0.0);
		else
			fprintf(out, "Rate: %.2fM guest accesses/s, %.0f remote flushes/s\n",
				secs > 0 ? (double)r->counters[CNT_ACCESSES] / secs / 1e6 : 0.0,
				secs > 0 ? (double)r->counters[CNT_FLUSHES] / secs : 0.0);
		fprintf(out, "Memory: peak RSS %.1f MiB, %.1f bytes per modelled gfn\n",
			(double)r->peak_rss_bytes / (1 << 20),
			r->gfns ? (double)r->peak_rss_bytes / (double)r->gfns : 0.0);
	}
	if (r->outcome == OUTCOME_VIOLATION)
		fprintf(out, "First violation after %.3f s and %" PRIu64 " guest accesses.\n",
			(double)r->first_violation_ns / 1e9, r->accesses_to_first_violation);
	if (r->executions_run)
		fprintf(out, "Executions: %" PRIu64 " under %s%s\n", r->executions_run, r->sched,
			r->nr_violations ? "" : ", none failed");
	if (r->searched)
		fprintf(out,
			"States kept: %" PRIu64 " (each with the first schedule that reached "
			"it)%s\n",
			r->cover_states,
			r->archive_full ? "; the archive reached its limit (--max-memory) and "
					  "kept no more"
					: "");
	if (r->bounded)
		bounded_print(out, r);
	if (r->nr_violations && r->executions_run)
		fprintf(out,
			"Failing execution: %" PRIu64 ", after %" PRIu64 " schedule points, "
			"trace hash %016" PRIx64 "\n"
			"Replay: %s\n",
			r->failing_execution, r->failing_steps, r->failing_trace_hash, r->rerun);
	else if (r->nr_violations)
		fprintf(out,
			"Rerun: %s\n  (free mode reruns the same seed and perturbation "
			"draws; the interleaving itself depends on the host's scheduling)\n",
			r->rerun);
	fprintf(out, "%s/%s: %s after %.1f s%s; expected %s%s%s -> %s\n", r->scenario, r->variant,
		outcome_name(r->outcome), secs, r->interrupted ? " (interrupted)" : "",
		expect_name(r->expected), r->not_judged_reason ? ": " : "",
		r->not_judged_reason ? r->not_judged_reason : "",
		r->verdict == VERDICT_AS_EXPECTED	? "as expected"
		: r->verdict == VERDICT_NOT_AS_EXPECTED ? "NOT as expected"
							: "not judged");
}
