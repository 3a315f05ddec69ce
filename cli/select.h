/* SPDX-License-Identifier: GPL-2.0 */
/* The runs an invocation selects, each checked before any starts. */
#ifndef LOSTFLUSH_SELECT_H
#define LOSTFLUSH_SELECT_H

#include "../scenarios/scenario.h"
#include "options.h"

#define MAX_RUNS 256

struct selection {
	const struct scenario *scenario;
	const struct scenario_variant *variant;
};

/* Every scenario's name (s NULL), or s's variants, for a message. */
void print_names(const struct scenario *s);
/* Expand --scenario/--variant into at most max runs; -1 after a message on
 * an unknown name. */
int select_runs(const struct options *o, struct selection *sel, int max, int *n);
/* Build and check every selected run's configuration: 0, or the exit
 * code (EXIT_USAGE, EXIT_SKIPPED) after a message naming what one of them
 * cannot take. A run the host lacks something for leaves a selection of
 * several (*n shrinks), after a message saying it is skipped. */
int check_runs(const struct options *o, struct selection *sel, int *n, uint64_t seed);

#endif
