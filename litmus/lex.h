/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The tokens of a C litmus test, each with its line and column, as herd7's
 * C lexer cuts them (herd/libdir and lib/CLexer.mll in the herdtools7
 * sources): identifiers, integers, C punctuation, and the condition's
 * connectives /\ and \/. Comments are C's everywhere and OCaml's (* *) in
 * the header, where the kernel's tests keep their "Result:" line.
 */
#ifndef LOSTFLUSH_LITMUS_LEX_H
#define LOSTFLUSH_LITMUS_LEX_H

#include "litmus.h"

enum tok_kind {
	TK_EOF,
	TK_IDENT,
	TK_INT,
	TK_STRING,
	TK_PUNCT, /* value: the character, or LITMUS_OP2() of two */
	TK_ERROR, /* the lexer's own message is in the error */
};

/* Two-character punctuation besides the C operators. */
#define TK_AND LITMUS_OP2('/', '\\')
#define TK_OR LITMUS_OP2('\\', '/')

struct tok {
	enum tok_kind kind;
	char text[LITMUS_MAX_NAME + 8]; /* as written (cut, for a message) */
	int64_t value;
	int line, col;
	const char *at, *end; /* where it is in the text */
};

struct lex {
	const char *p, *end;
	int line, col;
	bool ocaml_comments;	   /* the header's (* *) */
	enum litmus_result result; /* a comment said "Result: ..." */
	struct tok tok;		   /* the current token */
	const char *last_end;	   /* where the token before it ended */
	struct litmus_error *err;
};

void lex_init(struct lex *lx, const char *text, size_t len, struct litmus_error *err);
/* Move to the next token; false (and the error set) on a bad one. */
bool lex_next(struct lex *lx);
/* The rest of the current line, raw, after the current token: the test's
 * name in "C MP+poonceonces". Moves to the token after it. */
bool lex_rest_of_line(struct lex *lx, char *buf, size_t len);

bool tok_is(const struct tok *t, int punct);
bool tok_is_word(const struct tok *t, const char *word);
/* "'foo'", "end of file", for a message. */
const char *tok_describe(const struct tok *t, char *buf, size_t len);

/* Fill err at (line, col) with a formatted message; returns false. */
bool litmus_fail_at(struct litmus_error *err, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif
