// SPDX-License-Identifier: GPL-2.0
/* Final states and their counts (litmus/outcome.h). */
#include "outcome.h"

#include <stdlib.h>
#include <string.h>

#include "../engine/check.h"

int litmus_state_width(const struct litmus_test *t)
{
	return litmus_state_reg(t, t->nr_threads, 0) + t->nr_observed;
}

int litmus_state_reg(const struct litmus_test *t, int th, int r)
{
	int at = 0;

	for (int i = 0; i < th; i++)
		at += t->threads[i].nr_regs;
	return at + r;
}

int litmus_state_loc(const struct litmus_test *t, int loc)
{
	int at = litmus_state_reg(t, t->nr_threads, 0);

	for (int i = 0; i < t->nr_observed; i++)
		if (t->observed[i] == loc)
			return at + i;
	return -1;
}

static int64_t term_value(const struct litmus_cond *c, const int64_t *addr)
{
	return c->value_loc >= 0 ? addr[c->value_loc] : c->value;
}

bool litmus_cond_holds(const struct litmus_test *t, const struct litmus_cond *c, const int64_t *v,
		       const int64_t *addr)
{
	switch (c->kind) {
	case LC_AND:
		return litmus_cond_holds(t, c->a, v, addr) && litmus_cond_holds(t, c->b, v, addr);
	case LC_OR:
		return litmus_cond_holds(t, c->a, v, addr) || litmus_cond_holds(t, c->b, v, addr);
	case LC_NOT: return !litmus_cond_holds(t, c->a, v, addr);
	case LC_REG: return v[litmus_state_reg(t, c->thread, c->reg)] == term_value(c, addr);
	case LC_LOC: return v[litmus_state_loc(t, c->loc)] == term_value(c, addr);
	default: return true;
	}
}

void litmus_outcomes_init(struct litmus_outcomes *o, int width)
{
	memset(o, 0, sizeof(*o));
	o->width = width;
}

void litmus_outcomes_free(struct litmus_outcomes *o)
{
	free(o->vals);
	free(o->count);
	free(o->positive);
	free(o->slot);
	memset(o, 0, sizeof(*o));
}

static uint64_t hash(const int64_t *v, int n)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (int i = 0; i < n; i++)
		h = (h ^ (uint64_t)v[i]) * 0x100000001b3ULL;
	return h ^ h >> 29;
}

static void rehash(struct litmus_outcomes *o, size_t nr_slots)
{
	free(o->slot);
	o->slot = calloc(nr_slots, sizeof(*o->slot));
	HARNESS_NEED(o->slot, "memory", "a table of %zu litmus states", nr_slots);
	o->nr_slots = nr_slots;
	for (size_t i = 0; i < o->n; i++) {
		size_t s = hash(o->vals + i * (size_t)o->width, o->width) & (nr_slots - 1);

		while (o->slot[s])
			s = (s + 1) & (nr_slots - 1);
		o->slot[s] = (uint32_t)i + 1;
	}
}

static void grow(struct litmus_outcomes *o)
{
	size_t cap = o->cap ? 2 * o->cap : 64;
	size_t w = o->width ? (size_t)o->width : 1;
	int64_t *vals = realloc(o->vals, cap * w * sizeof(*vals));
	uint64_t *count = vals ? realloc(o->count, cap * sizeof(*count)) : NULL;
	bool *positive = count ? realloc(o->positive, cap * sizeof(*positive)) : NULL;

	if (vals)
		o->vals = vals;
	if (count)
		o->count = count;
	HARNESS_NEED(positive && cap < UINT32_MAX, "memory", "%zu litmus states", cap);
	o->positive = positive;
	o->cap = cap;
	rehash(o, 4 * cap);
}

void litmus_outcomes_add(struct litmus_outcomes *o, const int64_t *v, bool positive)
{
	size_t s, w = (size_t)o->width;

	if (positive)
		o->nr_positive++;
	else
		o->nr_negative++;
	if (o->n == o->cap)
		grow(o);
	for (s = hash(v, o->width) & (o->nr_slots - 1); o->slot[s];
	     s = (s + 1) & (o->nr_slots - 1)) {
		size_t i = o->slot[s] - 1;

		if (!memcmp(o->vals + i * w, v, w * sizeof(*v))) {
			o->count[i]++;
			return;
		}
	}
	memcpy(o->vals + o->n * w, v, w * sizeof(*v));
	o->count[o->n] = 1;
	o->positive[o->n] = positive;
	o->slot[s] = (uint32_t)++o->n;
}

static const struct litmus_outcomes *sorting;

static int by_values(const void *a, const void *b)
{
	const int64_t *x = sorting->vals + *(const size_t *)a * (size_t)sorting->width;
	const int64_t *y = sorting->vals + *(const size_t *)b * (size_t)sorting->width;

	for (int i = 0; i < sorting->width; i++)
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
	return 0;
}

size_t *litmus_outcomes_sorted(const struct litmus_outcomes *o)
{
	size_t *idx = malloc((o->n + 1) * sizeof(*idx));

	HARNESS_NEED(idx, "memory", "the order of %zu litmus states", o->n);
	for (size_t i = 0; i < o->n; i++)
		idx[i] = i;
	sorting = o;
	qsort(idx, o->n, sizeof(*idx), by_values);
	sorting = NULL;
	return idx;
}
