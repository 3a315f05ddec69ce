/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a litmus run found, as herd7 prints it (the "Test ... States ...
 * Observation" block tools and people already read), then litmus7's
 * histogram of how often each state came, since a sampling run has counts.
 */
#ifndef LOSTFLUSH_LITMUS_PRINT_H
#define LOSTFLUSH_LITMUS_PRINT_H

#include <stdio.h>

#include "subject.h"

/* herd7's Observation: Never (no execution satisfied the proposition),
 * Always (every one did) or Sometimes; LR_NONE with no execution. */
enum litmus_result litmus_observation(const struct litmus_outcomes *o);
/* herd7's Ok/No: the quantified condition holds over what was seen. */
bool litmus_validated(const struct litmus_test *t, const struct litmus_outcomes *o);
/* A state's column i: "1:r0" or "x". */
void litmus_column_name(const struct litmus_test *t, int i, char *buf, size_t len);
/* A value: a number, or the location whose address it is. */
void litmus_value_text(const struct litmus_subject *s, int64_t v, char *buf, size_t len);
/* "1:r0=0; 1:r1=1;" for state k. */
void litmus_state_text(const struct litmus_subject *s, size_t k, char *buf, size_t len);

void litmus_print_herd(FILE *out, const struct litmus_subject *s);
void litmus_print_histogram(FILE *out, const struct litmus_subject *s);

#endif
