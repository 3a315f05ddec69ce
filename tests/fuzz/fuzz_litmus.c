// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: a C litmus test (the file ./stress --litmus reads)
 * through the parser. Whatever it refuses it must refuse with a line and
 * column inside the text and a message; whatever it accepts must hold
 * together: every register, location and thread a node names exists, and
 * the condition evaluates and the (empty) result prints. abort() is the
 * finding.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../litmus/print.h"
#include "quiet.h"

static struct litmus_test test;
static FILE *devnull;

static void check(bool ok)
{
	if (!ok)
		abort();
}

static void check_expr(const struct litmus_test *t, int th, const struct litmus_expr *e)
{
	check(e >= t->exprs && e < t->exprs + t->nr_exprs);
	if (e->kind == LE_REG)
		check(e->reg >= 0 && e->reg < t->threads[th].nr_regs);
	if (e->kind == LE_LOC)
		check(e->loc >= 0 && e->loc < t->nr_locs && t->threads[th].sees[e->loc]);
	for (int i = 0; i < 3; i++)
		if (e->arg[i])
			check_expr(t, th, e->arg[i]);
	if (e->kind == LE_CALL)
		for (int i = 0; i < e->nargs; i++)
			check(e->arg[i] != NULL);
}

static void check_block(const struct litmus_test *t, int th, const struct litmus_stmt *s)
{
	for (; s; s = s->next) {
		check(s >= t->stmts && s < t->stmts + t->nr_stmts);
		check(s->expr != NULL);
		check_expr(t, th, s->expr);
		if (s->kind == LS_ASSIGN)
			check(s->reg >= 0 && s->reg < t->threads[th].nr_regs);
		check_block(t, th, s->then_block);
		check_block(t, th, s->else_block);
	}
}

static void check_cond(const struct litmus_test *t, const struct litmus_cond *c)
{
	check(c >= t->conds && c < t->conds + t->nr_conds);
	if (c->kind == LC_REG)
		check(c->thread < t->nr_threads && c->reg < t->threads[c->thread].nr_regs);
	if (c->kind == LC_LOC)
		check(litmus_state_loc(t, c->loc) >= 0);
	if (c->a)
		check_cond(t, c->a);
	if (c->b)
		check_cond(t, c->b);
}

static void check_accepted(const struct litmus_test *t)
{
	struct litmus_subject *s;
	int64_t v[LITMUS_MAX_THREADS * LITMUS_MAX_REGS + LITMUS_MAX_LOCS] = { 0 };
	int64_t addr[LITMUS_MAX_LOCS];

	check(t->name[0] && t->nr_threads > 0 && t->cond);
	for (int th = 0; th < t->nr_threads; th++)
		check_block(t, th, t->threads[th].body);
	check_cond(t, t->cond);
	s = litmus_subject_new(t, "fuzz");
	check(s != NULL);
	for (int i = 0; i < t->nr_locs; i++)
		addr[i] = litmus_addr(s, i);
	/* A state holding a pointer, printed as the location's name. */
	if (litmus_state_width(t) > 0 && t->nr_locs)
		v[0] = addr[0];
	litmus_outcomes_add(&s->outcomes, v, litmus_cond_holds(t, t->cond, v, addr));
	litmus_print_herd(devnull, s);
	litmus_print_histogram(devnull, s);
	litmus_subject_free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct litmus_error err;
	int lines = 1;

	if (!devnull)
		devnull = fopen("/dev/null", "w");
	if (!litmus_parse((const char *)data, size, &test, &err)) {
		check_accepted(&test);
		return 0;
	}
	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';
	check(err.msg[0] != '\0');
	check(err.line >= 1 && err.line <= lines && err.col >= 1);
	return 0;
}
