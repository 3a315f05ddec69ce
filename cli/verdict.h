/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The verdict rules: what a run of a variant is expected to do, whether
 * what it did meets that, and what the whole invocation then says and
 * exits with. Pure functions of their arguments, so they are unit-tested.
 */
#ifndef LOSTFLUSH_VERDICT_H
#define LOSTFLUSH_VERDICT_H

#include <stdbool.h>

#include "../engine/run.h"
#include "../reports/report.h"
#include "../scenarios/scenario.h"
#include "config.h"
#include "options.h"

/* Can the variant's bug show at all under this configuration? */
bool bug_can_show(const struct config *cfg, const struct scenario_variant *v);

/* What a run should find: --expect (forced) wins; a given schedule is
 * expected to fail (guided); else the variant's descriptor, under the
 * run's scheduler, memory model and settings. *why says why a run is not
 * judged, or NULL. */
enum verdict_expect run_expectation(enum expectation forced, bool guided, const struct config *cfg,
				    const struct scenario_variant *v, const char **why);

/* A violation against an expected clean run fails whatever else happened;
 * a run a signal cut short is otherwise not judged (a clean run so far is
 * no proof, a race not yet caught no failure). */
enum verdict run_verdict(enum verdict_expect expected, enum outcome outcome, bool interrupted);

struct final_verdict {
	int exit_code;	  /* 0, 1, 3, or 128 + the signal */
	const char *word; /* "SUCCESS", "FAILURE", "INTERRUPTED", "REPORT NOT WRITTEN" */
};

/* The invocation's end, from its runs' verdicts (done of them ran) and the
 * signal that stopped it (0: none): a failure decides it; then a signal
 * (never SUCCESS after one); then report_failed, a report that could not
 * be written (exit 3: the machine lacked room for it; its message names
 * the file); else success. */
struct final_verdict final_verdict(const struct run_result *results, int done, int signo,
				   bool report_failed);

#endif
