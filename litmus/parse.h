/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The parser's shared state and helpers, for the three files that parse a
 * test: litmus/parse.c (header, initial state, threads' heads),
 * litmus/parse_body.c (statements and expressions) and litmus/parse_cond.c
 * (the final condition). Recursive descent over litmus/lex.h's tokens; the
 * first error stops it, naming the token and what was allowed there.
 */
#ifndef LOSTFLUSH_LITMUS_PARSE_H
#define LOSTFLUSH_LITMUS_PARSE_H

#include "lex.h"

struct parser {
	struct lex lx;
	struct litmus_test *t;
	struct litmus_error *err;
	int depth;  /* nesting, against LITMUS_MAX_DEPTH */
	int thread; /* the thread being parsed */
};

/* "unexpected TOKEN: expected WHAT" at the current token; false. */
bool parse_expected(struct parser *ps, const char *what);
/* Consume punctuation c, or say what was expected; false on error. */
bool parse_punct(struct parser *ps, int c, const char *what);
/* Consume punctuation c if it is next; false if it is not (or on error,
 * with ps->err set: check parse_failed()). */
bool parse_accept(struct parser *ps, int c);
bool parse_failed(const struct parser *ps);
bool parse_advance(struct parser *ps);
/* A '-' before a number: *neg says whether one was there (and passed). */
bool parse_minus(struct parser *ps, bool *neg);
/* One level deeper, or an error past LITMUS_MAX_DEPTH. */
bool parse_enter(struct parser *ps);

/* A shared location by name; -1 if none. Added (initial value 0) by
 * litmus_loc_add(), -1 and an error when there is no room. */
int litmus_loc_find(const struct litmus_test *t, const char *name);
int litmus_loc_add(struct parser *ps, const char *name);
/* A register of thread th by name; -1 if none. */
int litmus_reg_find(const struct litmus_thread *th, const char *name);

/* A thread's body, from its '{' to its '}'. */
bool parse_body(struct parser *ps, struct litmus_stmt **body);
/* "exists (...)", "~exists (...)" or "forall (...)", to the end. */
bool parse_condition(struct parser *ps);

#endif
