// SPDX-License-Identifier: GPL-2.0
/*
 * A thread's body (litmus/parse.h): register declarations, assignments,
 * calls of the kernel primitives (litmus/builtins.h) and if/else, over
 * expressions of integers, registers and the thread's parameters. Plain C
 * accesses to shared memory (*x = 1, r = *x) are refused: LKMM gives them
 * data-race semantics (tools/memory-model/Documentation/access-marking.txt)
 * this harness does not model.
 */
#include "builtins.h"
#include "parse.h"

#include <stdio.h>
#include <string.h>

static struct litmus_thread *self(struct parser *ps)
{
	return &ps->t->threads[ps->thread];
}

static bool too_large(struct parser *ps)
{
	return litmus_fail_at(ps->err, ps->lx.tok.line, ps->lx.tok.col,
			      "the test is too large: more than %d statements or expressions",
			      LITMUS_MAX_NODES);
}

static struct litmus_expr *new_expr(struct parser *ps, enum litmus_expr_kind kind)
{
	struct litmus_expr *e;

	if (ps->t->nr_exprs == LITMUS_MAX_NODES) {
		too_large(ps);
		return NULL;
	}
	e = &ps->t->exprs[ps->t->nr_exprs++];
	e->kind = kind;
	e->line = ps->lx.tok.line;
	e->col = ps->lx.tok.col;
	return e;
}

static struct litmus_stmt *new_stmt(struct parser *ps, enum litmus_stmt_kind kind)
{
	struct litmus_stmt *s;

	if (ps->t->nr_stmts == LITMUS_MAX_NODES) {
		too_large(ps);
		return NULL;
	}
	s = &ps->t->stmts[ps->t->nr_stmts++];
	s->kind = kind;
	s->line = ps->lx.tok.line;
	s->col = ps->lx.tok.col;
	return s;
}

/* A parameter of this thread: the location it names; -1 if it is none. */
static int param_of(struct parser *ps, const char *name)
{
	int loc = litmus_loc_find(ps->t, name);

	return loc >= 0 && self(ps)->sees[loc] ? loc : -1;
}

static int declare_reg(struct parser *ps, const char *name, bool pointer)
{
	struct litmus_thread *th = self(ps);
	int r = litmus_reg_find(th, name);

	if (param_of(ps, name) >= 0) {
		litmus_fail_at(ps->err, ps->lx.tok.line, ps->lx.tok.col,
			       "'%s' is a parameter of P%d, a shared location: it cannot be a "
			       "register too",
			       name, ps->thread);
		return -1;
	}
	if (r >= 0) {
		th->reg_pointer[r] |= pointer;
		return r;
	}
	if (th->nr_regs == LITMUS_MAX_REGS) {
		litmus_fail_at(ps->err, ps->lx.tok.line, ps->lx.tok.col,
			       "'%s' is one register too many for P%d: at most %d", name,
			       ps->thread, LITMUS_MAX_REGS);
		return -1;
	}
	snprintf(th->reg_name[th->nr_regs], LITMUS_MAX_NAME, "%s", name);
	th->reg_pointer[th->nr_regs] = pointer;
	return th->nr_regs++;
}

/* ---- expressions ------------------------------------------------------------- */

static struct litmus_expr *parse_expr(struct parser *ps);

/* A pointer: a parameter (the location's address) or a register holding
 * one. A register used so is marked: a load into it carries an address
 * dependency (litmus/exec.c). */
static struct litmus_expr *parse_pointer(struct parser *ps)
{
	struct litmus_expr *e;
	int loc, reg;

	if (ps->lx.tok.kind != TK_IDENT) {
		parse_expected(ps, "a pointer: a parameter of the thread or a register holding "
				   "a location's address");
		return NULL;
	}
	loc = param_of(ps, ps->lx.tok.text);
	reg = litmus_reg_find(self(ps), ps->lx.tok.text);
	if (loc < 0 && reg < 0) {
		litmus_fail_at(ps->err, ps->lx.tok.line, ps->lx.tok.col,
			       "unknown name '%s': P%d has no parameter or register of that "
			       "name",
			       ps->lx.tok.text, ps->thread);
		return NULL;
	}
	e = new_expr(ps, loc >= 0 ? LE_LOC : LE_REG);
	if (!e)
		return NULL;
	e->loc = loc;
	e->reg = reg;
	if (reg >= 0)
		self(ps)->reg_pointer[reg] = true;
	return parse_advance(ps) ? e : NULL;
}

static bool parse_arg(struct parser *ps, char shape, struct litmus_expr **out)
{
	if (shape == 'd') {
		if (!parse_punct(ps, '*', "'*' and a pointer (as in READ_ONCE(*x))"))
			return false;
		*out = parse_pointer(ps);
	} else if (shape == 'p') {
		if (tok_is(&ps->lx.tok, '*') || tok_is(&ps->lx.tok, '&'))
			return parse_expected(ps, "a pointer without '*' or '&' (as in "
						  "smp_load_acquire(x))");
		*out = parse_pointer(ps);
	} else {
		*out = parse_expr(ps);
	}
	return *out != NULL;
}

/* NAME(args) of a builtin; the pointer argument first in e->arg[]. */
static struct litmus_expr *parse_call(struct parser *ps, bool want_value)
{
	const struct litmus_builtin *b = litmus_builtin_find(ps->lx.tok.text);
	struct litmus_expr *e;
	int nvals = 0;

	if (!b) {
		litmus_fail_at(ps->err, ps->lx.tok.line, ps->lx.tok.col,
			       "unknown primitive '%s': allowed are %s", ps->lx.tok.text,
			       litmus_builtin_names());
		return NULL;
	}
	if (want_value && !b->returns) {
		litmus_fail_at(ps->err, ps->lx.tok.line, ps->lx.tok.col,
			       "'%s' has no value: call it as a statement of its own", b->name);
		return NULL;
	}
	e = new_expr(ps, LE_CALL);
	if (!e)
		return NULL;
	e->op = b->op;
	e->delta = b->scale;
	e->nargs = (int)strlen(b->args);
	if (!parse_advance(ps) || !parse_punct(ps, '(', "'(' after the primitive's name"))
		return NULL;
	for (int i = 0; b->args[i]; i++) {
		char what[96];
		int slot = b->args[i] == 'e' ? 1 + nvals++ : 0;

		if (i && !tok_is(&ps->lx.tok, ')') &&
		    !parse_punct(ps, ',', "',' and the primitive's next argument"))
			return NULL;
		if (tok_is(&ps->lx.tok, ')')) {
			snprintf(what, sizeof(what), "%s's argument %d of %zu", b->name, i + 1,
				 strlen(b->args));
			parse_expected(ps, what);
			return NULL;
		}
		if (!parse_arg(ps, b->args[i], &e->arg[slot]))
			return NULL;
	}
	if (!tok_is(&ps->lx.tok, ')')) {
		char what[96];

		snprintf(what, sizeof(what), "')': %s takes %zu argument%s", b->name,
			 strlen(b->args), strlen(b->args) == 1 ? "" : "s");
		parse_expected(ps, what);
		return NULL;
	}
	return parse_advance(ps) ? e : NULL;
}

/* The current token (a name) is followed by '(': a call. */
static bool called(const struct parser *ps)
{
	const char *p = ps->lx.p;

	while (p < ps->lx.end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p < ps->lx.end && *p == '(';
}

static struct litmus_expr *parse_name(struct parser *ps)
{
	struct litmus_expr *e;
	int reg, loc;

	if (called(ps))
		return parse_call(ps, true);
	reg = litmus_reg_find(self(ps), ps->lx.tok.text);
	loc = param_of(ps, ps->lx.tok.text);
	if (reg < 0 && loc < 0) {
		litmus_fail_at(ps->err, ps->lx.tok.line, ps->lx.tok.col,
			       "unknown name '%s': P%d has no register, parameter or primitive "
			       "of that name",
			       ps->lx.tok.text, ps->thread);
		return NULL;
	}
	e = new_expr(ps, reg >= 0 ? LE_REG : LE_LOC);
	if (!e)
		return NULL;
	e->reg = reg;
	e->loc = loc;
	return parse_advance(ps) ? e : NULL;
}

static struct litmus_expr *parse_unary(struct parser *ps);

static struct litmus_expr *parse_primary(struct parser *ps)
{
	struct litmus_expr *e;

	if (ps->lx.tok.kind == TK_INT) {
		e = new_expr(ps, LE_CONST);
		if (e)
			e->value = ps->lx.tok.value;
		return e && parse_advance(ps) ? e : NULL;
	}
	if (ps->lx.tok.kind == TK_IDENT)
		return parse_name(ps);
	if (tok_is(&ps->lx.tok, '(')) {
		if (!parse_enter(ps) || !parse_advance(ps))
			return NULL;
		e = parse_expr(ps);
		ps->depth--;
		return e && parse_punct(ps, ')', "')'") ? e : NULL;
	}
	if (tok_is(&ps->lx.tok, '*') || tok_is(&ps->lx.tok, '&')) {
		litmus_fail_at(ps->err, ps->lx.tok.line, ps->lx.tok.col,
			       "unexpected '%s': a plain access to shared memory is not "
			       "modelled; use READ_ONCE(*x), WRITE_ONCE(*x, v) or another "
			       "primitive",
			       ps->lx.tok.text);
		return NULL;
	}
	parse_expected(ps, "a value: a number, a register, a parameter, a primitive's "
			   "call or '('");
	return NULL;
}

static struct litmus_expr *parse_unary(struct parser *ps)
{
	struct litmus_expr *e;
	int op = (int)ps->lx.tok.value;

	if (!tok_is(&ps->lx.tok, '-') && !tok_is(&ps->lx.tok, '!') && !tok_is(&ps->lx.tok, '~'))
		return parse_primary(ps);
	e = new_expr(ps, LE_UNARY);
	if (!e || !parse_enter(ps) || !parse_advance(ps))
		return NULL;
	e->op = op;
	e->arg[0] = parse_unary(ps);
	ps->depth--;
	return e->arg[0] ? e : NULL;
}

/* Binary operators by precedence, loosest first, as in C. */
static const int levels[][5] = {
	{ LITMUS_OP2('|', '|') },
	{ LITMUS_OP2('&', '&') },
	{ '|' },
	{ '^' },
	{ '&' },
	{ LITMUS_OP2('=', '='), LITMUS_OP2('!', '=') },
	{ '<', '>', LITMUS_OP2('<', '='), LITMUS_OP2('>', '=') },
	{ '+', '-' },
};
#define NR_LEVELS ((int)(sizeof(levels) / sizeof(levels[0])))

static bool at_level(const struct tok *t, int level)
{
	for (int i = 0; i < 5 && levels[level][i]; i++)
		if (tok_is(t, levels[level][i]))
			return true;
	return false;
}

static struct litmus_expr *parse_level(struct parser *ps, int level)
{
	struct litmus_expr *left;

	if (level == NR_LEVELS)
		return parse_unary(ps);
	left = parse_level(ps, level + 1);
	while (left && at_level(&ps->lx.tok, level)) {
		struct litmus_expr *e = new_expr(ps, LE_BINARY);

		if (!e)
			return NULL;
		e->op = (int)ps->lx.tok.value;
		e->arg[0] = left;
		if (!parse_advance(ps))
			return NULL;
		e->arg[1] = parse_level(ps, level + 1);
		if (!e->arg[1])
			return NULL;
		left = e;
	}
	return left;
}

static struct litmus_expr *parse_expr(struct parser *ps)
{
	struct litmus_expr *e;

	if (!parse_enter(ps))
		return NULL;
	e = parse_level(ps, 0);
	ps->depth--;
	return e;
}

/* ---- statements ---------------------------------------------------------------- */

static bool parse_stmt(struct parser *ps, struct litmus_stmt ***tail);

/* int r0; int *r1, r2; (a value is given by a statement, not here) */
static bool parse_decl(struct parser *ps)
{
	while (tok_is_word(&ps->lx.tok, "int") || tok_is_word(&ps->lx.tok, "long") ||
	       tok_is_word(&ps->lx.tok, "unsigned"))
		if (!parse_advance(ps))
			return false;
	for (;;) {
		bool pointer = false;

		while (tok_is(&ps->lx.tok, '*')) {
			pointer = true;
			if (!parse_advance(ps))
				return false;
		}
		if (ps->lx.tok.kind != TK_IDENT)
			return parse_expected(ps, "a register's name in its declaration");
		if (declare_reg(ps, ps->lx.tok.text, pointer) < 0 || !parse_advance(ps))
			return false;
		if (tok_is(&ps->lx.tok, '='))
			return litmus_fail_at(ps->err, ps->lx.tok.line, ps->lx.tok.col,
					      "unexpected '=': a declaration gives no value here; "
					      "assign the register in a statement of its own");
		if (parse_accept(ps, ';'))
			return true;
		if (!parse_punct(ps, ',', "',' or ';' in a declaration"))
			return false;
	}
}

/* { stmt... } or one statement: a list ending at *tail. */
static bool parse_block_or_stmt(struct parser *ps, struct litmus_stmt **out)
{
	struct litmus_stmt **tail = out;

	*out = NULL;
	if (!tok_is(&ps->lx.tok, '{'))
		return parse_stmt(ps, &tail);
	if (!parse_advance(ps))
		return false;
	while (!tok_is(&ps->lx.tok, '}')) {
		if (ps->lx.tok.kind == TK_EOF)
			return parse_expected(ps, "'}' closing the block");
		if (!parse_stmt(ps, &tail))
			return false;
	}
	return parse_advance(ps);
}

static bool parse_if(struct parser *ps, struct litmus_stmt ***tail)
{
	struct litmus_stmt *s = new_stmt(ps, LS_IF);

	if (!s || !parse_enter(ps) || !parse_advance(ps) ||
	    !parse_punct(ps, '(', "'(' and the condition after 'if'"))
		return false;
	s->expr = parse_expr(ps);
	if (!s->expr || !parse_punct(ps, ')', "')' closing the if's condition") ||
	    !parse_block_or_stmt(ps, &s->then_block))
		return false;
	if (tok_is_word(&ps->lx.tok, "else") &&
	    (!parse_advance(ps) || !parse_block_or_stmt(ps, &s->else_block)))
		return false;
	ps->depth--;
	**tail = s;
	*tail = &s->next;
	return true;
}

static bool parse_assign(struct parser *ps, struct litmus_stmt ***tail)
{
	struct litmus_stmt *s;
	int reg;

	if (param_of(ps, ps->lx.tok.text) >= 0)
		return litmus_fail_at(ps->err, ps->lx.tok.line, ps->lx.tok.col,
				      "'%s' is a shared location: write it with WRITE_ONCE(*%s, "
				      "v) or another primitive",
				      ps->lx.tok.text, ps->lx.tok.text);
	s = new_stmt(ps, LS_ASSIGN);
	reg = declare_reg(ps, ps->lx.tok.text, false);
	if (!s || reg < 0 || !parse_advance(ps) ||
	    !parse_punct(ps, '=', "'=' (a statement is a call, 'r = value;' or an if)"))
		return false;
	s->reg = reg;
	s->expr = parse_expr(ps);
	if (!s->expr || !parse_punct(ps, ';', "';' ending the statement"))
		return false;
	**tail = s;
	*tail = &s->next;
	return true;
}

static bool parse_call_stmt(struct parser *ps, struct litmus_stmt ***tail)
{
	struct litmus_stmt *s = new_stmt(ps, LS_CALL);

	if (!s)
		return false;
	s->expr = parse_call(ps, false);
	if (!s->expr || !parse_punct(ps, ';', "';' ending the statement"))
		return false;
	**tail = s;
	*tail = &s->next;
	return true;
}

static bool parse_stmt(struct parser *ps, struct litmus_stmt ***tail)
{
	const struct tok *t = &ps->lx.tok;

	if (tok_is(t, ';'))
		return parse_advance(ps);
	if (tok_is(t, '{')) {
		struct litmus_stmt *inner;

		if (!parse_enter(ps) || !parse_block_or_stmt(ps, &inner))
			return false;
		ps->depth--;
		**tail = inner;
		while (**tail)
			*tail = &(**tail)->next;
		return true;
	}
	if (tok_is_word(t, "int") || tok_is_word(t, "long") || tok_is_word(t, "unsigned"))
		return parse_decl(ps);
	if (tok_is_word(t, "if"))
		return parse_if(ps, tail);
	if (t->kind == TK_IDENT && called(ps))
		return parse_call_stmt(ps, tail);
	if (t->kind == TK_IDENT)
		return parse_assign(ps, tail);
	if (tok_is(t, '*'))
		return litmus_fail_at(ps->err, t->line, t->col,
				      "unexpected '*': a plain store to shared memory is not "
				      "modelled; use WRITE_ONCE(*x, v) or another primitive");
	return parse_expected(ps, "a statement: a primitive's call (READ_ONCE, WRITE_ONCE, "
				  "smp_mb, spin_lock, ...), 'r = value;', 'if (...)', a "
				  "declaration or '}'");
}

bool parse_body(struct parser *ps, struct litmus_stmt **body)
{
	if (!tok_is(&ps->lx.tok, '{'))
		return parse_expected(ps, "'{' opening the thread's body");
	return parse_block_or_stmt(ps, body);
}
