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

#include "../core/counters.h"
#include "../core/ctl.h"
#include "../core/oracle.h"

enum outcome {
	OUTCOME_CLEAN,
	OUTCOME_VIOLATION,
};

enum verdict_expect {
	VERDICT_EXPECT_CLEAN,
	VERDICT_EXPECT_VIOLATION,
	VERDICT_NOT_JUDGED, /* a bug only another detector can catch here */
};

struct run_result {
	const char *scenario;
	const char *variant;
	const char *sched; /* "free", "random", "pct:D" */
	char sched_buf[16];
	/* The scheduler that replays the failing execution: "pct:D:K" names
	 * the step estimate PCT used for it. */
	char replay_sched[48];
	const char *range_flush; /* "works" or "unsupported" */
	const char *tlb_huge;    /* "entry" or "splinter" */
	const char *log_mode;    /* "bitmap", "clear" or "ring" */
	const char *ad_bits;     /* "on" or "off" */
	uint64_t executions_run;    /* controlled modes */
	uint64_t failing_execution;
	/* The execution whose seeds replay it (--sched cover: the one its
	 * prefix was found in; otherwise failing_execution). */
	uint64_t replay_execution;
	bool searched;              /* --sched cover: a state search ran */
	uint64_t cover_states;      /* the abstract states it kept */
	uint64_t failing_steps;
	uint64_t failing_trace_hash;
	const char *memory;         /* "sc", "tso", "weak" */
	uint64_t decisions;         /* scheduler decisions, all executions */
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
	enum verdict_expect expected;
	const char *not_judged_reason;
	enum outcome outcome;
	bool as_expected;
	uint64_t nr_violations;
	int nr_kept;
	struct violation kept[ORACLE_MAX_KEPT];
	uint64_t first_violation_ns;
	uint64_t accesses_to_first_violation;
	uint64_t counters[NR_COUNTERS];
	/* Options as given that shape the run, for --replay. */
	const char *workload_spec, *perturb_spec;
	/* Configuration actually run. */
	int vcpus;
	uint64_t gfns, hot_gfns;
	uint32_t tlb_entries;
	char replay[768];
};

const char *outcome_name(enum outcome o);
const char *expect_name(enum verdict_expect e);

/* Text: violations with !!!, counters, the verdict line. */
void report_text_violations(FILE *out, const struct run_result *r);
void report_text_summary(FILE *out, const struct run_result *r, bool quiet);

/* JSON (jansson). Checked before the run so a bad path fails fast (exit 2),
 * written to a temporary file and renamed, so a report is whole or absent. */
int report_json_check_path(const char *path);
int report_json_write(const char *path, const struct run_result *results, int n);

/* A schedule as JSON: [{"run": T, "n": N} | {"commit": T, "entry": K} |
 * {"stale": T, "older": B}, ...], runs of one thread folded together. */
struct json_t;
struct json_t *schedule_json(const struct ctl_decision *d, size_t len);
/* Back from JSON; -1 (after a message) if malformed. *out is malloc'd. */
int schedule_from_json(const struct json_t *j, struct ctl_decision **out, size_t *len);

struct options;
/* --replay: set options from the first run in a report that has a failing
 * controlled execution. -1 (after a message naming the problem) if none. */
int report_json_load_replay(const char *path, struct options *o);

#endif
