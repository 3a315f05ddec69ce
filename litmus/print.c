// SPDX-License-Identifier: GPL-2.0
/*
 * herd7's output block (herdtools7, herd/top_herd.ml) and litmus7's
 * histogram (litmus/libdir/_showLog), for a litmus run (litmus/print.h).
 */
#include "print.h"

#include <stdlib.h>
#include <string.h>

enum litmus_result litmus_observation(const struct litmus_outcomes *o)
{
	if (!o->nr_positive && !o->nr_negative)
		return LR_NONE;
	if (!o->nr_positive)
		return LR_NEVER;
	return o->nr_negative ? LR_SOMETIMES : LR_ALWAYS;
}

bool litmus_validated(const struct litmus_test *t, const struct litmus_outcomes *o)
{
	switch (t->quantifier) {
	case LQ_EXISTS: return o->nr_positive > 0;
	case LQ_NOT_EXISTS: return o->nr_positive == 0;
	default: return o->nr_negative == 0;
	}
}

void litmus_column_name(const struct litmus_test *t, int i, char *buf, size_t len)
{
	for (int th = 0; th < t->nr_threads; th++) {
		if (i < t->threads[th].nr_regs) {
			snprintf(buf, len, "%d:%s", th, t->threads[th].reg_name[i]);
			return;
		}
		i -= t->threads[th].nr_regs;
	}
	snprintf(buf, len, "%s", i < t->nr_observed ? t->locs[t->observed[i]].name : "?");
}

void litmus_value_text(const struct litmus_subject *s, int64_t v, char *buf, size_t len)
{
	int loc = litmus_loc_at(s, v);

	if (loc >= 0)
		snprintf(buf, len, "%s", s->test->locs[loc].name);
	else
		snprintf(buf, len, "%lld", (long long)v);
}

void litmus_state_text(const struct litmus_subject *s, size_t k, char *buf, size_t len)
{
	const struct litmus_outcomes *o = &s->outcomes;
	size_t used = 0;

	buf[0] = '\0';
	for (int i = 0; i < o->width && used < len; i++) {
		char name[LITMUS_MAX_NAME + 8], value[LITMUS_MAX_NAME + 24];

		litmus_column_name(s->test, i, name, sizeof(name));
		litmus_value_text(s, o->vals[k * (size_t)o->width + (size_t)i], value,
				  sizeof(value));
		used += (size_t)snprintf(buf + used, len - used, "%s%s=%s;", i ? " " : "", name,
					 value);
	}
}

static const char *kind_word(enum litmus_quantifier q)
{
	return q == LQ_FORALL ? "Required" : q == LQ_NOT_EXISTS ? "Forbidden" : "Allowed";
}

void litmus_print_herd(FILE *out, const struct litmus_subject *s)
{
	const struct litmus_test *t = s->test;
	const struct litmus_outcomes *o = &s->outcomes;
	size_t *order = litmus_outcomes_sorted(o);
	enum litmus_result seen = litmus_observation(o);
	char line[4096];

	fprintf(out, "Test %s %s\n", t->name, kind_word(t->quantifier));
	fprintf(out, "States %zu\n", o->n);
	for (size_t i = 0; i < o->n; i++) {
		litmus_state_text(s, order[i], line, sizeof(line));
		fprintf(out, "%s\n", line);
	}
	fprintf(out, "%s\n", litmus_validated(t, o) ? "Ok" : "No");
	fprintf(out, "Witnesses\n");
	fprintf(out, "Positive: %llu Negative: %llu\n", (unsigned long long)o->nr_positive,
		(unsigned long long)o->nr_negative);
	fprintf(out, "Condition %s %s\n", litmus_quantifier_name(t->quantifier), t->cond_text);
	fprintf(out, "Observation %s %s %llu %llu\n", t->name,
		seen == LR_NONE ? "None" : litmus_result_name(seen),
		(unsigned long long)o->nr_positive, (unsigned long long)o->nr_negative);
	free(order);
}

void litmus_print_histogram(FILE *out, const struct litmus_subject *s)
{
	const struct litmus_outcomes *o = &s->outcomes;
	size_t *order = litmus_outcomes_sorted(o);
	char line[4096];

	fprintf(out, "Histogram (%zu states)\n", o->n);
	for (size_t i = 0; i < o->n; i++) {
		litmus_state_text(s, order[i], line, sizeof(line));
		fprintf(out, "%-8llu%s>%s\n", (unsigned long long)o->count[order[i]],
			o->positive[order[i]] ? "*" : ":", line);
	}
	free(order);
}
