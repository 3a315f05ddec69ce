// SPDX-License-Identifier: GPL-2.0
/* The JSON report of a litmus run (reports/litmus_json.h). */
#include "litmus_json.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#include "../litmus/print.h"
#include "output.h"

/* A value: a number, or the name of the location whose address it is. */
static json_t *value_json(const struct litmus_subject *s, int64_t v)
{
	int loc = litmus_loc_at(s, v);

	return loc >= 0 ? json_string(s->test->locs[loc].name) : json_integer((json_int_t)v);
}

static json_t *states_json(const struct litmus_subject *s)
{
	const struct litmus_outcomes *o = &s->outcomes;
	size_t *order = litmus_outcomes_sorted(o);
	json_t *states = json_array();

	for (size_t i = 0; i < o->n; i++) {
		size_t k = order[i];
		json_t *values = json_object();

		for (int c = 0; c < o->width; c++) {
			char name[LITMUS_MAX_NAME + 8];

			litmus_column_name(s->test, c, name, sizeof(name));
			json_object_set_new(
				values, name,
				value_json(s, o->vals[k * (size_t)o->width + (size_t)c]));
		}
		json_array_append_new(states, json_pack("{s:o, s:I, s:b}", "values", values,
							"count", (json_int_t)o->count[k],
							"condition_holds", o->positive[k]));
	}
	free(order);
	return states;
}

static json_t *verdict_json(const struct litmus_subject *s)
{
	enum litmus_result seen = litmus_observation(&s->outcomes);
	enum litmus_result want = s->test->expected;

	if (want == LR_NONE || seen == LR_NONE)
		return json_null();
	return json_string(seen == want ? "as expected" : "differs");
}

int report_litmus_json_write(const char *path, const struct litmus_subject *s,
			     const struct litmus_run_info *info)
{
	const struct litmus_test *t = s->test;
	enum litmus_result seen = litmus_observation(&s->outcomes);
	char seed[24], cond[600];
	json_t *root;

	snprintf(seed, sizeof(seed), "%#llx", (unsigned long long)info->seed);
	snprintf(cond, sizeof(cond), "%s %s", litmus_quantifier_name(t->quantifier), t->cond_text);
	root = json_pack(
		"{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:b, s:s, s:o, s:I, s:I, "
		"s:b, s:s, s:o, s:o}",
		"tool", "lostflush", "version", LOSTFLUSH_VERSION, "litmus", info->path, "test",
		t->name, "sched", info->sched, "memory", info->memory, "seed", seed, "executions",
		(json_int_t)info->executions, "interrupted", info->interrupted, "condition", cond,
		"states", states_json(s), "positive", (json_int_t)s->outcomes.nr_positive,
		"negative", (json_int_t)s->outcomes.nr_negative, "validated",
		litmus_validated(t, &s->outcomes), "observation",
		seen == LR_NONE ? "None" : litmus_result_name(seen), "expected",
		t->expected == LR_NONE ? json_null() : json_string(litmus_result_name(t->expected)),
		"verdict", verdict_json(s));
	return report_output_json(path, root);
}
