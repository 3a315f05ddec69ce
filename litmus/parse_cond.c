// SPDX-License-Identifier: GPL-2.0
/*
 * The final condition (litmus/parse.h): a quantifier (exists, ~exists,
 * forall) over a proposition of terms "N:rK=V" (thread N's register rK at
 * the end) and "x=V" (location x at the end), joined by /\ and \/, negated
 * by ~, grouped by parentheses: herd7's constraint syntax
 * (herdtools7 doc, "Final condition"). V is a number or a location's name
 * (its address: the pointer-publishing tests end "1:r0=x").
 */
#include "parse.h"

#include <stdio.h>
#include <string.h>

static struct litmus_cond *new_cond(struct parser *ps, enum litmus_cond_kind kind)
{
	struct litmus_test *t = ps->t;
	struct litmus_cond *c;

	if (t->nr_conds == (int)(sizeof(t->conds) / sizeof(t->conds[0]))) {
		litmus_fail_at(ps->err, ps->lx.tok.line, ps->lx.tok.col,
			       "the condition has more than %zu terms",
			       sizeof(t->conds) / sizeof(t->conds[0]));
		return NULL;
	}
	c = &t->conds[t->nr_conds++];
	c->kind = kind;
	c->value_loc = -1;
	return c;
}

static bool parse_value(struct parser *ps, struct litmus_cond *c)
{
	bool neg = false;

	if (ps->lx.tok.kind == TK_IDENT) {
		c->value_loc = litmus_loc_find(ps->t, ps->lx.tok.text);
		if (c->value_loc < 0)
			return litmus_fail_at(ps->err, ps->lx.tok.line, ps->lx.tok.col,
					      "unknown location '%s' as a value: name a location "
					      "of the test",
					      ps->lx.tok.text);
		return parse_advance(ps);
	}
	if (!parse_minus(ps, &neg))
		return false;
	if (ps->lx.tok.kind != TK_INT)
		return parse_expected(ps, "a value after '=': a number or a location's name");
	c->value = neg ? -ps->lx.tok.value : ps->lx.tok.value;
	return parse_advance(ps);
}

static void observe(struct litmus_test *t, int loc)
{
	for (int i = 0; i < t->nr_observed; i++)
		if (t->observed[i] == loc)
			return;
	t->observed[t->nr_observed++] = loc;
}

/* N:rK=V */
static struct litmus_cond *parse_reg_term(struct parser *ps)
{
	struct litmus_cond *c = new_cond(ps, LC_REG);
	int64_t n = ps->lx.tok.value;
	int line = ps->lx.tok.line, col = ps->lx.tok.col;

	if (!c || !parse_advance(ps) || !parse_punct(ps, ':', "':' and a register (as in 1:r0=1)"))
		return NULL;
	if (n >= ps->t->nr_threads) {
		litmus_fail_at(ps->err, line, col,
			       "thread %lld in the condition: the test has P0 to P%d", (long long)n,
			       ps->t->nr_threads - 1);
		return NULL;
	}
	if (ps->lx.tok.kind != TK_IDENT) {
		parse_expected(ps, "a register's name after ':'");
		return NULL;
	}
	c->thread = (int)n;
	c->reg = litmus_reg_find(&ps->t->threads[n], ps->lx.tok.text);
	if (c->reg < 0) {
		litmus_fail_at(ps->err, ps->lx.tok.line, ps->lx.tok.col,
			       "P%lld has no register '%s'", (long long)n, ps->lx.tok.text);
		return NULL;
	}
	if (!parse_advance(ps) || !parse_punct(ps, '=', "'=' and a value") || !parse_value(ps, c))
		return NULL;
	return c;
}

/* x=V */
static struct litmus_cond *parse_loc_term(struct parser *ps)
{
	struct litmus_cond *c = new_cond(ps, LC_LOC);

	if (!c)
		return NULL;
	c->loc = litmus_loc_find(ps->t, ps->lx.tok.text);
	if (c->loc < 0) {
		litmus_fail_at(ps->err, ps->lx.tok.line, ps->lx.tok.col,
			       "unknown location '%s' in the condition", ps->lx.tok.text);
		return NULL;
	}
	observe(ps->t, c->loc);
	if (!parse_advance(ps) || !parse_punct(ps, '=', "'=' and a value") || !parse_value(ps, c))
		return NULL;
	return c;
}

static struct litmus_cond *parse_disj(struct parser *ps);

static struct litmus_cond *parse_atom(struct parser *ps)
{
	struct litmus_cond *c;

	if (tok_is(&ps->lx.tok, '~')) {
		c = new_cond(ps, LC_NOT);
		if (!c || !parse_enter(ps) || !parse_advance(ps))
			return NULL;
		c->a = parse_atom(ps);
		ps->depth--;
		return c->a ? c : NULL;
	}
	if (tok_is(&ps->lx.tok, '(')) {
		if (!parse_enter(ps) || !parse_advance(ps))
			return NULL;
		c = parse_disj(ps);
		ps->depth--;
		return c && parse_punct(ps, ')', "')', '/\\' or '\\/'") ? c : NULL;
	}
	if (tok_is_word(&ps->lx.tok, "true")) {
		c = new_cond(ps, LC_TRUE);
		return c && parse_advance(ps) ? c : NULL;
	}
	if (ps->lx.tok.kind == TK_INT)
		return parse_reg_term(ps);
	if (ps->lx.tok.kind == TK_IDENT)
		return parse_loc_term(ps);
	parse_expected(ps, "a term: N:rK=V, x=V, ~term or a parenthesized condition");
	return NULL;
}

static struct litmus_cond *parse_binary(struct parser *ps, int op, enum litmus_cond_kind kind,
					struct litmus_cond *(*operand)(struct parser *ps))
{
	struct litmus_cond *left = operand(ps);

	while (left && tok_is(&ps->lx.tok, op)) {
		struct litmus_cond *c = new_cond(ps, kind);

		if (!c || !parse_advance(ps))
			return NULL;
		c->a = left;
		c->b = operand(ps);
		if (!c->b)
			return NULL;
		left = c;
	}
	return left;
}

static struct litmus_cond *parse_conj(struct parser *ps)
{
	return parse_binary(ps, TK_AND, LC_AND, parse_atom);
}

static struct litmus_cond *parse_disj(struct parser *ps)
{
	return parse_binary(ps, TK_OR, LC_OR, parse_conj);
}

static bool parse_quantifier(struct parser *ps)
{
	struct litmus_test *t = ps->t;

	if (tok_is(&ps->lx.tok, '~')) {
		if (!parse_advance(ps))
			return false;
		if (!tok_is_word(&ps->lx.tok, "exists"))
			return parse_expected(ps, "'exists' after '~'");
		t->quantifier = LQ_NOT_EXISTS;
	} else if (tok_is_word(&ps->lx.tok, "exists")) {
		t->quantifier = LQ_EXISTS;
	} else if (tok_is_word(&ps->lx.tok, "forall")) {
		t->quantifier = LQ_FORALL;
	} else {
		return parse_expected(ps, "the final condition: exists (...), ~exists (...) or "
					  "forall (...) (locations and filter clauses are not "
					  "supported)");
	}
	return parse_advance(ps);
}

/* The condition as written, its white space made single spaces. */
static void keep_text(struct litmus_test *t, const char *from, const char *to)
{
	size_t n = 0;
	bool space = false;

	for (const char *p = from; p < to && n + 2 < sizeof(t->cond_text); p++) {
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
			space = n > 0;
			continue;
		}
		if (space)
			t->cond_text[n++] = ' ';
		space = false;
		t->cond_text[n++] = *p;
	}
	t->cond_text[n] = '\0';
}

bool parse_condition(struct parser *ps)
{
	const char *from, *to;

	if (!parse_quantifier(ps))
		return false;
	from = ps->lx.tok.at;
	ps->t->cond = parse_disj(ps);
	if (!ps->t->cond)
		return false;
	to = ps->lx.last_end;
	keep_text(ps->t, from, to);
	return true;
}
