/* SPDX-License-Identifier: GPL-2.0 */
/* The command line: typed, bounded options parsed from one table. */
#ifndef LOSTFLUSH_OPTIONS_H
#define LOSTFLUSH_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "core/run.h"

enum expectation {
	EXPECT_FROM_VARIANT, /* fixed: clean; buggy: violation if this build can catch it */
	EXPECT_CLEAN,
	EXPECT_VIOLATION,
};

struct options {
	bool list, help, version, quiet, keep_going;
	const char *scenario;
	const char *variant;      /* NULL: the scenario's first (fixed) variant */
	const char *report_path;  /* JSON report, or NULL */
	const char *replay_path;  /* --replay: a report to run again */
	enum expectation expect;
	uint64_t seed;
	bool seed_given;
	uint64_t duration_ns;
	enum sched_mode sched;
	int pct_depth;
	uint64_t pct_steps; /* PCT's k; 0: learned from the executions */
	uint64_t executions;      /* 0: until the duration is up */
	uint64_t first_execution;
	bool one_execution;       /* --execution N: exactly that one */
	enum mem_model memory;
	bool memory_given;
	int range_flush; /* 0: the scenario's; RANGE_FLUSH_WORKS or _UNSUPPORTED */
	bool tlb_huge_given, log_given, ad_bits_given; /* false: the scenario's */
	bool ad_bits;
	enum tlb_huge_mode tlb_huge;
	enum dirty_log_mode log_mode;
	bool minimize;
	bool timeline;         /* print the last execution even if clean */
	/* --replay of a minimized schedule: follow it (malloc'd). */
	struct ctl_decision *guide;
	size_t guide_len;
	/* 0 = the scenario's default */
	uint64_t vcpus, gfns, hot_gfns, tlb_entries;
	struct perturb_rates perturb;
	/* --workload and --perturb as given, applied over a variant's own. */
	char workload[256];
	char perturb_spec[256];
	const char *argv0;
	/* The options as given, for the replay line. */
	char replay_extra[512];
};

/* Parse argv. On bad input print a message naming the value and what is
 * allowed, and return -1 (the caller exits 2). */
int options_parse(struct options *o, int argc, char **argv);
void options_usage(FILE *out, const char *argv0);

/* Apply "key=value,..." to perturbation rates; -1 (after a message) on bad input. */
int perturb_apply(struct perturb_rates *r, const char *spec);
/* Apply "key=value,..." to a workload; -1 (after a message) on bad input. */
int workload_apply(struct workload *w, const char *spec);

/* "10s", "500ms", "2m", "1h" -> ns; -1 if malformed. Exposed for tests. */
int parse_duration(const char *s, uint64_t *ns);

#endif
