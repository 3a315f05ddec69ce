/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a run found, flattened for the writers: the text the user reads, and
 * the JSON a CI job or a later --replay reads.
 */
#ifndef LOSTFLUSH_REPORT_H
#define LOSTFLUSH_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "../model/counter_ids.h"
#include "../engine/ctl.h"
#include "../oracle/oracle.h"

enum outcome {
	OUTCOME_CLEAN,
	OUTCOME_VIOLATION,
};

enum verdict_expect {
	VERDICT_EXPECT_CLEAN,
	VERDICT_EXPECT_VIOLATION,
	VERDICT_NOT_JUDGED, /* a bug only another detector can catch here */
};

/* What the run's outcome says against its expectation. */
enum verdict {
	VERDICT_AS_EXPECTED,
	VERDICT_NOT_AS_EXPECTED,
	VERDICT_UNJUDGED, /* not judged, or cut short before a finding decided it */
};

/* An option as a report writes it and a replay reads it back: the key is
 * the option's long name with '_' for '-'. */
enum report_kv_type { KV_STRING, KV_NUMBER, KV_TRUE };

struct report_kv {
	char key[32];
	char *value; /* malloc'd */
	enum report_kv_type type;
};

void report_kv_free(struct report_kv *kv, int n);

struct run_result {
	const char *scenario;
	const char *variant;
	const char *sched; /* "free", "random", "pct:D" */
	char sched_buf[16];
	/* The scheduler that replays the failing execution: "pct:D:K" names
	 * the step estimate PCT used for it. */
	char replay_sched[48];
	uint64_t executions_run; /* controlled modes */
	uint64_t failing_execution;
	/* The execution whose seeds replay it (--sched cover: the one its
	 * prefix was found in; otherwise failing_execution). */
	uint64_t replay_execution;
	bool searched; /* --sched cover: a state search ran */
	/* Its failing execution depends on the ones before it (cover, surw,
	 * bounded): --replay follows its decisions, not its index alone. */
	bool replay_by_schedule;
	/* --sched bounded: its bound, the largest explored whole (-1: none),
	 * the one it ended in and that pass's schedules, whether nothing was
	 * left past it, and the failing schedule's preemptions (-1: none).
	 * With no bound, bound, bound_complete and bound_reached are -1. */
	bool bounded;
	int bound, bound_complete, bound_reached;
	uint64_t bound_schedules;
	bool bound_exhaustive;
	int bug_depth;
	uint64_t cover_states; /* the abstract states it kept */
	/* Its archive reached --max-memory (or its cell limit) and kept no
	 * more states from then on; the bytes it held at the end. */
	bool archive_full;
	uint64_t archive_bytes;
	uint64_t max_memory;
	uint64_t failing_steps;
	uint64_t failing_trace_hash;
	const char *memory; /* "sc", "tso", "weak" */
	uint64_t decisions; /* scheduler decisions, all executions */
	/* Peak resident memory of the process by the end of the run
	 * (getrusage), over the modelled gfns: what a VM model costs. */
	uint64_t peak_rss_bytes;
	/* The failing execution's decisions up to its violation, and the
	 * minimized ones (--minimize); thread i is thread_names[i]. */
	const struct ctl_decision *schedule, *minimized;
	size_t schedule_len, minimized_len;
	bool guided; /* the run followed a given schedule (--replay of one) */
	uint64_t minimized_trace_hash;
	/* Copies: the run that named its workers is gone by the time a
	 * report is written. */
	char thread_names[CTL_MAX_THREADS][16];
	int nr_threads;
	uint64_t seed;
	uint64_t duration_ns;
	uint64_t elapsed_ns;
	bool interrupted;
	bool minimize_interrupted; /* the minimized schedule is the best so far */
	enum verdict_expect expected;
	const char *not_judged_reason;
	enum outcome outcome;
	enum verdict verdict;
	bool as_expected; /* verdict is not VERDICT_NOT_AS_EXPECTED */
	uint64_t nr_violations;
	int nr_kept;
	struct violation kept[ORACLE_MAX_KEPT];
	uint64_t first_violation_ns;
	uint64_t accesses_to_first_violation;
	uint64_t counters[COUNTER_SLOTS]; /* by slot; named ones reported */
	/* Configuration actually run. */
	int vcpus;
	uint64_t gfns, hot_gfns;
	uint32_t tlb_entries;
	/* Every option that shaped the run, as it ran; what --replay reads
	 * back (with a failing controlled execution); the command line that
	 * runs it again. All malloc'd (run_result_free()). */
	struct report_kv *options, *replay;
	int nr_options, nr_replay;
	char *rerun;
};

/* What a result owns: its schedules, option pairs and rerun line. */
void run_result_free(struct run_result *r);

const char *outcome_name(enum outcome o);
const char *expect_name(enum verdict_expect e);

/* Text: violations with !!!, counters, the verdict line. */
void report_text_violations(FILE *out, const struct run_result *r);
void report_text_summary(FILE *out, const struct run_result *r, bool quiet);

/* JSON (jansson), written through report_output_write() (reports/output.h).
 * -1 after a message on stderr. */
int report_json_write(const char *path, const struct run_result *results, int n);
/* JUnit XML (reports/junit.c) and KTAP (reports/ktap.c), through the same
 * output: a test case per run. -1 after a message on stderr. */
int report_junit_write(const char *path, const struct run_result *results, int n);
int report_ktap_write(const char *path, const struct run_result *results, int n);

/* A schedule as JSON: [{"run": T, "n": N} | {"commit": T, "entry": K} |
 * {"stale": T, "older": B}, ...], runs of one thread folded together. */
struct json_t;
struct json_t *schedule_json(const struct ctl_decision *d, size_t len);
/* Back from JSON, at most max_decisions of them once runs are unfolded;
 * -1 with *why saying what is wrong (which decision, or how many were
 * asked for). *out is malloc'd. */
int schedule_from_json(const struct json_t *j, size_t max_decisions, struct ctl_decision **out,
		       size_t *len, char *why, size_t why_len);

#endif
