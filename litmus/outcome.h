/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Final states, counted: each execution's registers (every register of
 * every thread) and the locations the condition names, as one vector of
 * values; a state seen again adds to its count. herd7 lists the states a
 * test can reach; a sampling run lists those it reached and how often, as
 * litmus7's histogram does.
 */
#ifndef LOSTFLUSH_LITMUS_OUTCOME_H
#define LOSTFLUSH_LITMUS_OUTCOME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "litmus.h"

struct litmus_outcomes {
	int width; /* values in a state */
	size_t n, cap;
	int64_t *vals; /* n states of width values */
	uint64_t *count;
	bool *positive; /* the proposition holds in it */
	uint32_t *slot; /* hash table: index + 1, 0 empty */
	size_t nr_slots;
	uint64_t nr_positive, nr_negative; /* executions */
};

/* Where thread th's register r is in a state, and location loc (one the
 * condition names); the width of a state. */
int litmus_state_width(const struct litmus_test *t);
int litmus_state_reg(const struct litmus_test *t, int th, int r);
int litmus_state_loc(const struct litmus_test *t, int loc);

/* Whether c holds in state v; addr[i] is location i's address. */
bool litmus_cond_holds(const struct litmus_test *t, const struct litmus_cond *c, const int64_t *v,
		       const int64_t *addr);

void litmus_outcomes_init(struct litmus_outcomes *o, int width);
void litmus_outcomes_free(struct litmus_outcomes *o);
void litmus_outcomes_add(struct litmus_outcomes *o, const int64_t *v, bool positive);
/* The states' indexes in order of their values (herd7 sorts them so);
 * malloc'd. */
size_t *litmus_outcomes_sorted(const struct litmus_outcomes *o);

#endif
