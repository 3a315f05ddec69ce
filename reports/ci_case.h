/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A run as a CI system's test case (reports/junit.c, reports/ktap.c): its
 * name, and what its verdict says in a line and in full.
 */
#ifndef LOSTFLUSH_REPORT_CI_CASE_H
#define LOSTFLUSH_REPORT_CI_CASE_H

#include <stddef.h>
#include <stdio.h>

#include "report.h"

/* "scenario/variant" and the options that shaped it as its rerun line
 * gives them, less the seed, execution and budget (which differ from
 * night to night, so a case keeps its name): "dirty-log/no-flush --sched
 * random --memory tso --log ring". */
void ci_case_name(const struct run_result *r, char *buf, size_t len);

/* The first violation as violation_print() prints it, or why a run has
 * none where one was expected; NULL for a run without either. malloc'd. */
char *ci_case_finding(const struct run_result *r);

/* One line: "not as expected: lost-dirty-write (expected clean)", "not
 * judged: REASON", "as expected: clean". */
void ci_case_summary(const struct run_result *r, char *buf, size_t len);

/* The runs a CI report holds, and writing one through report_output_write()
 * (reports/output.h): -1 after a message naming the report (what) and why. */
struct ci_doc {
	const struct run_result *results;
	int n;
};
int ci_doc_write(const char *path, const char *what, int (*write)(FILE *out, void *doc),
		 const struct run_result *results, int n);

#endif
