// SPDX-License-Identifier: GPL-2.0
/*
 * A C litmus test's outer shape (litmus/parse.h): "C NAME", the header
 * comment, the initial state in braces, then P0, P1, ... each with its
 * parameters and body, then the final condition. The layout follows
 * tools/memory-model/Documentation/litmus-tests.txt ("A Simple Litmus
 * Test").
 */
#include "parse.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers ---------------------------------------------------------------- */

bool parse_expected(struct parser *ps, const char *what)
{
	char tok[64];

	if (ps->lx.tok.kind == TK_ERROR)
		return false;
	return litmus_fail_at(ps->err, ps->lx.tok.line, ps->lx.tok.col,
			      "unexpected %s: expected %s",
			      tok_describe(&ps->lx.tok, tok, sizeof(tok)), what);
}

bool parse_advance(struct parser *ps)
{
	return lex_next(&ps->lx);
}

bool parse_minus(struct parser *ps, bool *neg)
{
	*neg = tok_is(&ps->lx.tok, '-');
	return !*neg || parse_advance(ps);
}

bool parse_failed(const struct parser *ps)
{
	return ps->err->msg[0] != '\0';
}

bool parse_punct(struct parser *ps, int c, const char *what)
{
	if (!tok_is(&ps->lx.tok, c))
		return parse_expected(ps, what);
	return parse_advance(ps);
}

bool parse_accept(struct parser *ps, int c)
{
	return tok_is(&ps->lx.tok, c) && parse_advance(ps);
}

bool parse_enter(struct parser *ps)
{
	if (++ps->depth <= LITMUS_MAX_DEPTH)
		return true;
	return litmus_fail_at(ps->err, ps->lx.tok.line, ps->lx.tok.col,
			      "nested more than %d deep: flatten the test", LITMUS_MAX_DEPTH);
}

int litmus_loc_find(const struct litmus_test *t, const char *name)
{
	for (int i = 0; i < t->nr_locs; i++)
		if (!strcmp(t->locs[i].name, name))
			return i;
	return -1;
}

int litmus_loc_add(struct parser *ps, const char *name)
{
	struct litmus_test *t = ps->t;
	int i = litmus_loc_find(t, name);

	if (i >= 0)
		return i;
	if (t->nr_locs == LITMUS_MAX_LOCS) {
		litmus_fail_at(ps->err, ps->lx.tok.line, ps->lx.tok.col,
			       "'%s' is one shared location too many: at most %d", name,
			       LITMUS_MAX_LOCS);
		return -1;
	}
	snprintf(t->locs[t->nr_locs].name, LITMUS_MAX_NAME, "%s", name);
	t->locs[t->nr_locs].init_loc = -1;
	return t->nr_locs++;
}

int litmus_reg_find(const struct litmus_thread *th, const char *name)
{
	for (int i = 0; i < th->nr_regs; i++)
		if (!strcmp(th->reg_name[i], name))
			return i;
	return -1;
}

/* ---- the header --------------------------------------------------------------- */

static bool parse_header(struct parser *ps)
{
	if (!tok_is_word(&ps->lx.tok, "C"))
		return parse_expected(ps, "'C' and the test's name on the first line (only C "
					  "litmus tests are read, as in "
					  "tools/memory-model/litmus-tests/)");
	if (!lex_rest_of_line(&ps->lx, ps->t->name, sizeof(ps->t->name)))
		return false;
	if (!ps->t->name[0])
		return litmus_fail_at(ps->err, ps->lx.tok.line, ps->lx.tok.col,
				      "the test has no name: write 'C NAME' on the first line");
	/* herd7 allows a "doc string" after the name. */
	if (ps->lx.tok.kind == TK_STRING && !parse_advance(ps))
		return false;
	return true;
}

/* ---- the initial state ---------------------------------------------------------- */

static const char *const type_words[] = { "int", "long", "unsigned", "spinlock_t", "atomic_t" };

static bool is_type_word(const struct tok *t)
{
	for (size_t i = 0; i < sizeof(type_words) / sizeof(type_words[0]); i++)
		if (tok_is_word(t, type_words[i]))
			return true;
	return false;
}

/* Type words and stars before a name; how many stars. */
static bool parse_type(struct parser *ps, int *stars)
{
	*stars = 0;
	while (is_type_word(&ps->lx.tok))
		if (!parse_advance(ps))
			return false;
	while (tok_is(&ps->lx.tok, '*')) {
		(*stars)++;
		if (!parse_advance(ps))
			return false;
	}
	return true;
}

/* An initial value: a number, -number, a location (its address: "y=z" or
 * "int *p = &x"), or ATOMIC_INIT(n). */
static bool parse_init_value(struct parser *ps, struct litmus_loc *l)
{
	bool neg = false, atomic_init = false;

	if (tok_is_word(&ps->lx.tok, "ATOMIC_INIT")) {
		atomic_init = true;
		if (!parse_advance(ps) || !parse_punct(ps, '(', "'(' after ATOMIC_INIT"))
			return false;
	}
	if (!atomic_init && (tok_is(&ps->lx.tok, '&') || ps->lx.tok.kind == TK_IDENT)) {
		int loc;

		if (tok_is(&ps->lx.tok, '&') && !parse_advance(ps))
			return false;
		if (ps->lx.tok.kind != TK_IDENT)
			return parse_expected(ps, "a location's name after '&'");
		loc = litmus_loc_add(ps, ps->lx.tok.text);
		if (loc < 0)
			return false;
		l->init_loc = loc;
		return parse_advance(ps);
	}
	if (!parse_minus(ps, &neg))
		return false;
	if (ps->lx.tok.kind != TK_INT)
		return parse_expected(ps, "an initial value: a number, a location's name, "
					  "&name or ATOMIC_INIT(n)");
	l->init = neg ? -ps->lx.tok.value : ps->lx.tok.value;
	l->init_loc = -1;
	if (!parse_advance(ps))
		return false;
	return !atomic_init || parse_punct(ps, ')', "')' closing ATOMIC_INIT(");
}

static bool parse_init_entry(struct parser *ps)
{
	int stars, loc;

	if (ps->lx.tok.kind == TK_INT)
		return litmus_fail_at(ps->err, ps->lx.tok.line, ps->lx.tok.col,
				      "unexpected '%s': initial register values (0:r1=...) are "
				      "not supported; set the register in its thread",
				      ps->lx.tok.text);
	if (!parse_type(ps, &stars))
		return false;
	if (ps->lx.tok.kind != TK_IDENT)
		return parse_expected(ps, "a location in the initial state: 'int x = 0;', "
					  "'int *p = &x;', 'p=x;' or '}'");
	loc = litmus_loc_add(ps, ps->lx.tok.text);
	if (loc < 0 || !parse_advance(ps))
		return false;
	if (parse_accept(ps, '=') && !parse_init_value(ps, &ps->t->locs[loc]))
		return false;
	if (parse_failed(ps))
		return false;
	return parse_punct(ps, ';', "';' after an initial value");
}

static bool parse_init(struct parser *ps)
{
	if (!tok_is(&ps->lx.tok, '{'))
		return parse_expected(ps, "'{' opening the initial state (it may be empty: {})");
	/* Past the header, "(*" is C: READ_ONCE(*x). */
	ps->lx.ocaml_comments = false;
	if (!parse_advance(ps))
		return false;
	while (!tok_is(&ps->lx.tok, '}')) {
		if (ps->lx.tok.kind == TK_EOF)
			return parse_expected(ps, "'}' closing the initial state");
		if (!parse_accept(ps, ';') && (parse_failed(ps) || !parse_init_entry(ps)))
			return false;
	}
	return parse_advance(ps);
}

/* ---- threads -------------------------------------------------------------------- */

/* "P<n>", n the next thread's number. */
static bool parse_thread_name(struct parser *ps, int *n)
{
	const char *s = ps->lx.tok.text;
	char *end;
	long v;

	if (ps->lx.tok.kind != TK_IDENT || s[0] != 'P' || s[1] < '0' || s[1] > '9')
		return false;
	errno = 0;
	v = strtol(s + 1, &end, 10);
	if (*end || errno || v < 0 || v > 1000)
		return false;
	*n = (int)v;
	return true;
}

static bool parse_param(struct parser *ps, struct litmus_thread *th)
{
	int stars, loc;

	if (!is_type_word(&ps->lx.tok))
		return parse_expected(ps, "a parameter: int *x, int **p, spinlock_t *l or "
					  "atomic_t *v");
	if (!parse_type(ps, &stars))
		return false;
	if (ps->lx.tok.kind != TK_IDENT)
		return parse_expected(ps, "the parameter's name");
	if (!stars)
		return litmus_fail_at(ps->err, ps->lx.tok.line, ps->lx.tok.col,
				      "parameter '%s' is not a pointer: a thread names a shared "
				      "location as 'int *%s'",
				      ps->lx.tok.text, ps->lx.tok.text);
	loc = litmus_loc_add(ps, ps->lx.tok.text);
	if (loc < 0)
		return false;
	th->sees[loc] = true;
	return parse_advance(ps);
}

static bool parse_params(struct parser *ps, struct litmus_thread *th)
{
	if (!parse_punct(ps, '(', "'(' and the thread's parameters"))
		return false;
	if (tok_is_word(&ps->lx.tok, "void") && !parse_advance(ps))
		return false;
	if (parse_accept(ps, ')'))
		return true;
	for (;;) {
		if (!parse_param(ps, th))
			return false;
		if (parse_accept(ps, ')'))
			return true;
		if (!parse_punct(ps, ',', "',' or ')' after a parameter"))
			return false;
	}
}

static bool parse_threads(struct parser *ps)
{
	struct litmus_test *t = ps->t;
	int n;

	while (parse_thread_name(ps, &n)) {
		char want[16];

		snprintf(want, sizeof(want), "P%d", t->nr_threads);
		if (n != t->nr_threads)
			return litmus_fail_at(ps->err, ps->lx.tok.line, ps->lx.tok.col,
					      "unexpected '%s': expected %s (threads are numbered "
					      "from P0 in order)",
					      ps->lx.tok.text, want);
		if (n == LITMUS_MAX_THREADS)
			return litmus_fail_at(ps->err, ps->lx.tok.line, ps->lx.tok.col,
					      "'%s' is one thread too many: at most %d", want,
					      LITMUS_MAX_THREADS);
		ps->thread = t->nr_threads++;
		if (!parse_advance(ps) || !parse_params(ps, &t->threads[ps->thread]) ||
		    !parse_body(ps, &t->threads[ps->thread].body))
			return false;
	}
	if (!t->nr_threads)
		return parse_expected(ps, "a thread: P0(int *x, ...) { ... }");
	return true;
}

/* ---- the whole -------------------------------------------------------------------- */

int litmus_parse(const char *text, size_t len, struct litmus_test *t, struct litmus_error *err)
{
	struct parser ps = { .t = t, .err = err };

	memset(t, 0, sizeof(*t));
	memset(err, 0, sizeof(*err));
	lex_init(&ps.lx, text, len, err);
	if (!parse_advance(&ps) || !parse_header(&ps))
		return -1;
	t->expected = ps.lx.result;
	if (!parse_init(&ps) || !parse_threads(&ps) || !parse_condition(&ps))
		return -1;
	if (ps.lx.tok.kind != TK_EOF) {
		parse_expected(&ps, "the end of the test after its condition");
		return -1;
	}
	return 0;
}

int litmus_parse_file(const char *path, struct litmus_test *t, struct litmus_error *err)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	size_t n;
	int rc;

	memset(err, 0, sizeof(*err));
	if (!f) {
		snprintf(err->msg, sizeof(err->msg), "cannot be read: %s", strerror(errno));
		return -1;
	}
	buf = malloc(LITMUS_MAX_FILE + 1);
	if (!buf) {
		fclose(f);
		snprintf(err->msg, sizeof(err->msg), "no memory to read it");
		return -1;
	}
	n = fread(buf, 1, LITMUS_MAX_FILE + 1, f);
	if (ferror(f) || n > LITMUS_MAX_FILE) {
		snprintf(err->msg, sizeof(err->msg), "%s",
			 ferror(f) ? "cannot be read (is it a directory?)"
				   : "is larger than 1 MiB: no litmus test is");
		fclose(f);
		free(buf);
		return -1;
	}
	fclose(f);
	rc = litmus_parse(buf, n, t, err);
	free(buf);
	return rc;
}

const char *litmus_result_name(enum litmus_result r)
{
	static const char *const names[] = { "(none)", "Never", "Sometimes", "Always" };

	return r <= LR_ALWAYS ? names[r] : "?";
}

const char *litmus_quantifier_name(enum litmus_quantifier q)
{
	return q == LQ_FORALL ? "forall" : q == LQ_NOT_EXISTS ? "~exists" : "exists";
}
