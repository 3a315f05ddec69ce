// SPDX-License-Identifier: GPL-2.0
/* The tokenizer of C litmus tests (litmus/lex.h). */
#include "lex.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

bool litmus_fail_at(struct litmus_error *err, int line, int col, const char *fmt, ...)
{
	va_list ap;

	err->line = line;
	err->col = col;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return false;
}

void lex_init(struct lex *lx, const char *text, size_t len, struct litmus_error *err)
{
	memset(lx, 0, sizeof(*lx));
	lx->p = text;
	lx->end = text + len;
	lx->line = 1;
	lx->col = 1;
	lx->ocaml_comments = true;
	lx->err = err;
}

static int peek(const struct lex *lx, int ahead)
{
	return lx->p + ahead < lx->end ? (unsigned char)lx->p[ahead] : -1;
}

static void advance(struct lex *lx)
{
	if (*lx->p == '\n') {
		lx->line++;
		lx->col = 1;
	} else {
		lx->col++;
	}
	lx->p++;
}

/* The kernel's tests state herd7's verdict in their header comment as
 * " * Result: Never" (tools/memory-model/litmus-tests/README). */
static void note_result(struct lex *lx, const char *from, const char *to)
{
	static const struct {
		const char *word;
		enum litmus_result r;
	} words[] = { { "Never", LR_NEVER },
		      { "Sometimes", LR_SOMETIMES },
		      { "Always", LR_ALWAYS } };
	const char *key = "Result:";
	size_t klen = strlen(key);

	for (const char *s = from; s + klen <= to; s++) {
		const char *w = s + klen;

		if (memcmp(s, key, klen))
			continue;
		while (w < to && (*w == ' ' || *w == '\t'))
			w++;
		for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
			size_t n = strlen(words[i].word);

			if ((size_t)(to - w) >= n && !memcmp(w, words[i].word, n) &&
			    lx->result == LR_NONE)
				lx->result = words[i].r;
		}
	}
}

/* A comment from its opening to its closing (both two characters). They do
 * not nest: a header may mention READ_ONCE(*x) without opening another. */
static bool skip_comment(struct lex *lx, char close0, char close1)
{
	int line = lx->line, col = lx->col;
	const char *start = lx->p;

	advance(lx);
	advance(lx);
	while (lx->p < lx->end) {
		if (peek(lx, 0) == close0 && peek(lx, 1) == close1) {
			note_result(lx, start, lx->p);
			advance(lx);
			advance(lx);
			return true;
		}
		advance(lx);
	}
	return litmus_fail_at(lx->err, line, col, "a comment opened here is never closed");
}

static bool skip_space(struct lex *lx)
{
	while (lx->p < lx->end) {
		int c = peek(lx, 0), d = peek(lx, 1);

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
			advance(lx);
		} else if (c == '/' && d == '/') {
			while (lx->p < lx->end && *lx->p != '\n')
				advance(lx);
		} else if (c == '/' && d == '*') {
			if (!skip_comment(lx, '*', '/'))
				return false;
		} else if (c == '(' && d == '*' && lx->ocaml_comments) {
			if (!skip_comment(lx, '*', ')'))
				return false;
		} else {
			return true;
		}
	}
	return true;
}

static void set_text(struct tok *t, const char *from, size_t n)
{
	if (n >= sizeof(t->text))
		n = sizeof(t->text) - 1;
	memcpy(t->text, from, n);
	t->text[n] = '\0';
}

static bool lex_ident(struct lex *lx)
{
	const char *from = lx->p;

	while (lx->p < lx->end && (isalnum((unsigned char)*lx->p) || *lx->p == '_'))
		advance(lx);
	set_text(&lx->tok, from, (size_t)(lx->p - from));
	lx->tok.kind = TK_IDENT;
	if ((size_t)(lx->p - from) >= LITMUS_MAX_NAME)
		return litmus_fail_at(lx->err, lx->tok.line, lx->tok.col,
				      "the name '%s...' is longer than %d characters", lx->tok.text,
				      LITMUS_MAX_NAME - 1);
	return true;
}

/* Decimal or 0x-hex, at most INT64_MAX (a minus sign is an operator). */
static bool lex_int(struct lex *lx)
{
	const char *from = lx->p;
	int base = 10;
	uint64_t v = 0;
	bool digits = false;

	if (peek(lx, 0) == '0' && (peek(lx, 1) == 'x' || peek(lx, 1) == 'X')) {
		base = 16;
		advance(lx);
		advance(lx);
	}
	while (lx->p < lx->end && isxdigit((unsigned char)*lx->p)) {
		int c = (unsigned char)*lx->p;
		int d = isdigit(c) ? c - '0' : tolower(c) - 'a' + 10;

		if (d >= base)
			break;
		if (v > ((uint64_t)INT64_MAX - (uint64_t)d) / (uint64_t)base) {
			set_text(&lx->tok, from, (size_t)(lx->p - from + 1));
			return litmus_fail_at(lx->err, lx->tok.line, lx->tok.col,
					      "the number '%s...' is larger than %lld",
					      lx->tok.text, (long long)INT64_MAX);
		}
		v = v * (uint64_t)base + (uint64_t)d;
		digits = true;
		advance(lx);
	}
	set_text(&lx->tok, from, (size_t)(lx->p - from));
	if (!digits || (lx->p < lx->end && (isalnum((unsigned char)*lx->p) || *lx->p == '_')))
		return litmus_fail_at(lx->err, lx->tok.line, lx->tok.col,
				      "'%s' is not a number: write decimal or 0x-hex digits",
				      lx->tok.text);
	lx->tok.kind = TK_INT;
	lx->tok.value = (int64_t)v;
	return true;
}

/* A "doc string" herd7 allows after the test's name. */
static bool lex_string(struct lex *lx)
{
	const char *from = lx->p;

	advance(lx);
	while (lx->p < lx->end && *lx->p != '"' && *lx->p != '\n')
		advance(lx);
	if (lx->p == lx->end || *lx->p != '"')
		return litmus_fail_at(lx->err, lx->tok.line, lx->tok.col,
				      "a string opened here is not closed on its line");
	advance(lx);
	set_text(&lx->tok, from, (size_t)(lx->p - from));
	lx->tok.kind = TK_STRING;
	return true;
}

static bool lex_punct(struct lex *lx)
{
	static const char *const two[] = { "==", "!=", "<=", ">=", "&&", "||", "/\\", "\\/" };
	static const char one[] = "(){};,*&=<>+-|^!~:[].";
	int c = peek(lx, 0), d = peek(lx, 1);

	for (size_t i = 0; i < sizeof(two) / sizeof(two[0]); i++)
		if (c == two[i][0] && d == two[i][1]) {
			lx->tok.kind = TK_PUNCT;
			lx->tok.value = LITMUS_OP2(c, d);
			set_text(&lx->tok, lx->p, 2);
			advance(lx);
			advance(lx);
			return true;
		}
	if (c > 0 && strchr(one, c)) {
		lx->tok.kind = TK_PUNCT;
		lx->tok.value = c;
		set_text(&lx->tok, lx->p, 1);
		advance(lx);
		return true;
	}
	if (c >= 0x20 && c < 0x7f)
		return litmus_fail_at(lx->err, lx->line, lx->col,
				      "unexpected character '%c': not part of the C litmus format",
				      c);
	return litmus_fail_at(lx->err, lx->line, lx->col,
			      "unexpected byte 0x%02x: a litmus test is ASCII text", c);
}

bool lex_next(struct lex *lx)
{
	bool ok;
	int c;

	lx->last_end = lx->tok.end;
	memset(&lx->tok, 0, sizeof(lx->tok));
	if (!skip_space(lx)) {
		lx->tok.kind = TK_ERROR;
		return false;
	}
	lx->tok.line = lx->line;
	lx->tok.col = lx->col;
	lx->tok.at = lx->tok.end = lx->p;
	if (lx->p >= lx->end) {
		lx->tok.kind = TK_EOF;
		return true;
	}
	c = peek(lx, 0);
	if (isalpha(c) || c == '_')
		ok = lex_ident(lx);
	else if (isdigit(c))
		ok = lex_int(lx);
	else if (c == '"')
		ok = lex_string(lx);
	else
		ok = lex_punct(lx);
	lx->tok.end = lx->p;
	if (!ok)
		lx->tok.kind = TK_ERROR;
	return ok;
}

bool lex_rest_of_line(struct lex *lx, char *buf, size_t len)
{
	const char *from = lx->p, *to;
	size_t n;

	while (from < lx->end && (*from == ' ' || *from == '\t'))
		from++;
	to = from;
	while (to < lx->end && *to != '\n' && *to != '\r' && *to != ' ' && *to != '\t')
		to++;
	n = (size_t)(to - from);
	while (lx->p < to)
		advance(lx);
	if (n >= len)
		return litmus_fail_at(lx->err, lx->line, lx->col,
				      "the test's name is longer than %zu characters", len - 1);
	memcpy(buf, from, n);
	buf[n] = '\0';
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)buf[i] < 0x21 || (unsigned char)buf[i] > 0x7e)
			return litmus_fail_at(lx->err, lx->line, lx->col,
					      "the test's name has a byte 0x%02x: give printable "
					      "ASCII",
					      (unsigned char)buf[i]);
	return lex_next(lx);
}

bool tok_is(const struct tok *t, int punct)
{
	return t->kind == TK_PUNCT && t->value == punct;
}

bool tok_is_word(const struct tok *t, const char *word)
{
	return t->kind == TK_IDENT && !strcmp(t->text, word);
}

const char *tok_describe(const struct tok *t, char *buf, size_t len)
{
	if (t->kind == TK_EOF)
		snprintf(buf, len, "end of file");
	else
		snprintf(buf, len, "'%s'", t->text);
	return buf;
}
