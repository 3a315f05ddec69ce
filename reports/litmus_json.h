/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The JSON report of a litmus run (./stress --litmus FILE --report R):
 * the test, how it ran, every final state with its count and whether the
 * condition holds in it, herd7's observation and the verdict against the
 * file's "Result:" line. Written as every report is (reports/output.h).
 */
#ifndef LOSTFLUSH_REPORTS_LITMUS_JSON_H
#define LOSTFLUSH_REPORTS_LITMUS_JSON_H

#include <stdbool.h>
#include <stdint.h>

#include "../litmus/subject.h"

struct litmus_run_info {
	const char *path;
	const char *sched, *memory;
	uint64_t seed, executions;
	bool interrupted;
};

/* 0, or -1 after a message on stderr. */
int report_litmus_json_write(const char *path, const struct litmus_subject *s,
			     const struct litmus_run_info *info);

#endif
