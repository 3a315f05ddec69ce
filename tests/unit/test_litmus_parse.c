// SPDX-License-Identifier: GPL-2.0
/*
 * The C litmus parser (litmus/parse.c, parse_body.c, parse_cond.c): each
 * construct it accepts lands where the interpreter looks for it, and each
 * kind of bad input stops it at the line and column of the bad token with
 * a message naming it and what was allowed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../litmus/litmus.h"
#include "../../litmus/parse.h"

static struct litmus_test *t;
static struct litmus_error err;

static int parse(const char *text)
{
	return litmus_parse(text, strlen(text), t, &err);
}

/* text parses; its first thread's first statement. */
static const struct litmus_stmt *first_stmt(const char *text)
{
	if (parse(text))
		fail_msg("%d:%d: %s", err.line, err.col, err.msg);
	return t->threads[0].body;
}

#define MP_TEXT                                                                          \
	"C MP+pooncerelease+poacquireonce\n"                                             \
	"\n"                                                                             \
	"(*\n * Result: Never\n * a comment with READ_ONCE(*x) in it\n *)\n\n"           \
	"{\n\tint x = 0;\n}\n\n"                                                         \
	"P0(int *x, int *y)\n{\n\tWRITE_ONCE(*x, 1);\n\tsmp_store_release(y, 1);\n}\n\n" \
	"P1(int *x, int *y)\n{\n\tint r0;\n\tint r1;\n\n"                                \
	"\tr0 = smp_load_acquire(y);\n\tr1 = READ_ONCE(*x);\n}\n\n"                      \
	"exists (1:r0=1 /\\ 1:r1=0)\n"

static void whole_test(void **state)
{
	const struct litmus_stmt *s;

	(void)state;
	assert_int_equal(parse(MP_TEXT), 0);
	assert_string_equal(t->name, "MP+pooncerelease+poacquireonce");
	assert_int_equal(t->expected, LR_NEVER);
	assert_int_equal(t->nr_threads, 2);
	assert_int_equal(t->nr_locs, 2);
	assert_string_equal(t->locs[0].name, "x");
	assert_string_equal(t->locs[1].name, "y");
	assert_true(t->threads[0].sees[0] && t->threads[0].sees[1]);
	s = t->threads[0].body;
	assert_int_equal(s->kind, LS_CALL);
	assert_int_equal(s->expr->op, LOP_WRITE_ONCE);
	assert_int_equal(s->expr->arg[0]->kind, LE_LOC);
	assert_int_equal(s->expr->arg[0]->loc, 0);
	assert_int_equal(s->expr->arg[1]->value, 1);
	assert_int_equal(s->next->expr->op, LOP_STORE_RELEASE);
	assert_null(s->next->next);
	assert_int_equal(t->threads[1].nr_regs, 2);
	s = t->threads[1].body;
	assert_int_equal(s->kind, LS_ASSIGN);
	assert_int_equal(s->reg, 0);
	assert_int_equal(s->expr->op, LOP_LOAD_ACQUIRE);
	assert_int_equal(s->next->expr->op, LOP_READ_ONCE);
	assert_int_equal(t->quantifier, LQ_EXISTS);
	assert_string_equal(t->cond_text, "(1:r0=1 /\\ 1:r1=0)");
	assert_int_equal(t->cond->kind, LC_AND);
	assert_int_equal(t->cond->a->kind, LC_REG);
	assert_int_equal(t->cond->a->thread, 1);
	assert_int_equal(t->cond->b->value, 0);
}

static void result_words(void **state)
{
	(void)state;
	assert_int_equal(parse("C a\n(* Result: Sometimes *)\n{}\nP0(int *x){}\nexists (x=0)"), 0);
	assert_int_equal(t->expected, LR_SOMETIMES);
	assert_int_equal(parse("C a\n(* Result: Always *)\n{}\nP0(int *x){}\nexists (x=0)"), 0);
	assert_int_equal(t->expected, LR_ALWAYS);
	assert_int_equal(parse("C a \"doc\"\n{}\nP0(int *x){}\nexists (x=0)"), 0);
	assert_int_equal(t->expected, LR_NONE);
}

static void init_forms(void **state)
{
	(void)state;
	assert_int_equal(parse("C i\n{ int x = 3; int *p = &x; q=x; y=-2; atomic_t v = "
			       "ATOMIC_INIT(5); spinlock_t l; int z; }\n"
			       "P0(int *x){}\nexists (x=3)"),
			 0);
	assert_int_equal(t->locs[litmus_loc_find(t, "x")].init, 3);
	assert_int_equal(t->locs[litmus_loc_find(t, "p")].init_loc, litmus_loc_find(t, "x"));
	assert_int_equal(t->locs[litmus_loc_find(t, "q")].init_loc, litmus_loc_find(t, "x"));
	assert_int_equal(t->locs[litmus_loc_find(t, "y")].init, -2);
	assert_int_equal(t->locs[litmus_loc_find(t, "v")].init, 5);
	assert_int_equal(t->locs[litmus_loc_find(t, "l")].init_loc, -1);
	assert_int_equal(t->locs[litmus_loc_find(t, "z")].init, 0);
}

static void every_primitive(void **state)
{
	static const struct {
		const char *stmt;
		enum litmus_op op;
		int nargs;
		int64_t delta;
	} cases[] = {
		{ "r = READ_ONCE(*x);", LOP_READ_ONCE, 1, 0 },
		{ "WRITE_ONCE(*x, 1);", LOP_WRITE_ONCE, 2, 0 },
		{ "r = smp_load_acquire(x);", LOP_LOAD_ACQUIRE, 1, 0 },
		{ "smp_store_release(x, 1);", LOP_STORE_RELEASE, 2, 0 },
		{ "r = rcu_dereference(*x);", LOP_RCU_DEREFERENCE, 1, 0 },
		{ "rcu_assign_pointer(*x, 1);", LOP_RCU_ASSIGN, 2, 0 },
		{ "smp_mb();", LOP_MB, 0, 0 },
		{ "smp_wmb();", LOP_WMB, 0, 0 },
		{ "smp_rmb();", LOP_RMB, 0, 0 },
		{ "smp_mb__before_atomic();", LOP_MB, 0, 0 },
		{ "smp_mb__after_atomic();", LOP_MB, 0, 0 },
		{ "r = xchg(x, 1);", LOP_XCHG, 2, 0 },
		{ "r = xchg_relaxed(x, 1);", LOP_XCHG, 2, 0 },
		{ "r = xchg_acquire(x, 1);", LOP_XCHG, 2, 0 },
		{ "r = xchg_release(x, 1);", LOP_XCHG, 2, 0 },
		{ "r = cmpxchg(x, 0, 1);", LOP_CMPXCHG, 3, 0 },
		{ "r = cmpxchg_acquire(x, 0, 1);", LOP_CMPXCHG, 3, 0 },
		{ "r = atomic_read(x);", LOP_READ_ONCE, 1, 0 },
		{ "atomic_set(x, 2);", LOP_WRITE_ONCE, 2, 0 },
		{ "atomic_inc(x);", LOP_ADD, 1, 1 },
		{ "atomic_dec(x);", LOP_ADD, 1, -1 },
		{ "atomic_add(3, x);", LOP_ADD, 2, 1 },
		{ "atomic_sub(3, x);", LOP_ADD, 2, -1 },
		{ "r = atomic_inc_return(x);", LOP_ADD_RETURN, 1, 1 },
		{ "r = atomic_add_return_relaxed(2, x);", LOP_ADD_RETURN, 2, 1 },
		{ "r = atomic_fetch_add(2, x);", LOP_FETCH_ADD, 2, 1 },
		{ "r = atomic_fetch_sub_release(2, x);", LOP_FETCH_ADD, 2, -1 },
		{ "r = atomic_xchg(x, 4);", LOP_XCHG, 2, 0 },
		{ "r = atomic_cmpxchg(x, 0, 4);", LOP_CMPXCHG, 3, 0 },
		{ "spin_lock(x);", LOP_SPIN_LOCK, 1, 0 },
		{ "spin_unlock(x);", LOP_SPIN_UNLOCK, 1, 0 },
		{ "r = spin_trylock(x);", LOP_SPIN_TRYLOCK, 1, 0 },
		{ "rcu_read_lock();", LOP_RCU_READ_LOCK, 0, 0 },
		{ "rcu_read_unlock();", LOP_RCU_READ_UNLOCK, 0, 0 },
		{ "synchronize_rcu();", LOP_SYNCHRONIZE_RCU, 0, 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char text[256];
		const struct litmus_stmt *s;

		snprintf(text, sizeof(text), "C c\n{}\nP0(int *x)\n{\n\t%s\n}\nexists (x=0)",
			 cases[i].stmt);
		s = first_stmt(text);
		assert_non_null(s);
		assert_int_equal(s->expr->kind, LE_CALL);
		assert_int_equal(s->expr->op, cases[i].op);
		assert_int_equal(s->expr->nargs, cases[i].nargs);
		assert_int_equal(s->expr->delta, cases[i].delta);
		/* The pointer first, whatever the order written. */
		if (cases[i].nargs)
			assert_int_equal(s->expr->arg[0]->kind, LE_LOC);
	}
}

static void registers_and_expressions(void **state)
{
	const struct litmus_stmt *s;

	(void)state;
	s = first_stmt("C e\n{}\nP0(int *x)\n{\n\tint r0, *r1;\n\tr0 = 1 + 2 - 1;\n"
		       "\tr2 = r0 == 2 && !(r0 < 1) || -r0;\n}\nexists (0:r2=1)");
	assert_int_equal(t->threads[0].nr_regs, 3);
	assert_string_equal(t->threads[0].reg_name[2], "r2");
	assert_true(t->threads[0].reg_pointer[1]);
	assert_false(t->threads[0].reg_pointer[0]);
	assert_int_equal(s->expr->kind, LE_BINARY);
	assert_int_equal(s->expr->op, '-');
	assert_int_equal(s->expr->arg[0]->op, '+');
	assert_int_equal(s->next->expr->op, LITMUS_OP2('|', '|'));
	assert_int_equal(s->next->expr->arg[0]->op, LITMUS_OP2('&', '&'));
	assert_int_equal(s->next->expr->arg[1]->kind, LE_UNARY);
}

static void if_else_and_blocks(void **state)
{
	const struct litmus_stmt *s;

	(void)state;
	s = first_stmt("C f\n{}\nP0(int *x)\n{\n\tint r0;\n\tr0 = READ_ONCE(*x);\n"
		       "\tif (r0 == 1) {\n\t\tWRITE_ONCE(*x, 2);\n\t\tsmp_mb();\n\t} else\n"
		       "\t\tWRITE_ONCE(*x, 3);\n\tif (r0) WRITE_ONCE(*x, 4);\n"
		       "\t{ smp_wmb(); }\n}\nexists (x=2)");
	s = s->next;
	assert_int_equal(s->kind, LS_IF);
	assert_int_equal(s->expr->op, LITMUS_OP2('=', '='));
	assert_int_equal(s->then_block->expr->op, LOP_WRITE_ONCE);
	assert_int_equal(s->then_block->next->expr->op, LOP_MB);
	assert_int_equal(s->else_block->expr->arg[1]->value, 3);
	assert_int_equal(s->next->kind, LS_IF);
	assert_null(s->next->else_block);
	assert_int_equal(s->next->next->expr->op, LOP_WMB);
}

static void pointers_through_registers(void **state)
{
	const struct litmus_stmt *s;

	(void)state;
	s = first_stmt("C p\n{ y=z; }\nP0(int *x, int **y)\n{\n\tint *r0;\n\tint r1;\n"
		       "\tr0 = rcu_dereference(*y);\n\tr1 = READ_ONCE(*r0);\n}\n"
		       "exists (0:r0=x /\\ 0:r1=0)");
	assert_int_equal(s->next->expr->arg[0]->kind, LE_REG);
	assert_int_equal(s->next->expr->arg[0]->reg, 0);
	assert_true(t->threads[0].reg_pointer[0]);
	assert_int_equal(t->cond->a->value_loc, litmus_loc_find(t, "x"));
}

static void conditions(void **state)
{
	(void)state;
	assert_int_equal(parse("C q\n{}\nP0(int *x){}\n~exists (x=1 \\/ ~(x=2) /\\ x=-3)"), 0);
	assert_int_equal(t->quantifier, LQ_NOT_EXISTS);
	/* /\ binds tighter than \/. */
	assert_int_equal(t->cond->kind, LC_OR);
	assert_int_equal(t->cond->b->kind, LC_AND);
	assert_int_equal(t->cond->b->a->kind, LC_NOT);
	assert_int_equal(t->cond->b->b->value, -3);
	assert_int_equal(t->nr_observed, 1);
	assert_int_equal(parse("C q\n{}\nP0(int *x){}\nforall (x=1)"), 0);
	assert_int_equal(t->quantifier, LQ_FORALL);
	assert_int_equal(parse("C q\n{}\nP0(int *x){}\nexists x=1 /\\ true"), 0);
	assert_string_equal(t->cond_text, "x=1 /\\ true");
}

/* ---- bad input ---------------------------------------------------------------- */

static void expect_error(const char *text, int line, int col, const char *words)
{
	int rc = parse(text);

	if (rc != -1 || err.line != line || err.col != col || !strstr(err.msg, words))
		fail_msg("wanted %d:%d '%s', got rc %d at %d:%d: %s", line, col, words, rc,
			 err.line, err.col, err.msg);
}

static void bad_input(void **state)
{
	(void)state;
	expect_error("", 1, 1, "unexpected end of file: expected 'C'");
	expect_error("X86 a\n", 1, 1, "only C litmus tests");
	expect_error("C a\n(* open", 2, 1, "never closed");
	expect_error("C a\n{ int x = ; }", 2, 11, "unexpected ';': expected an initial value");
	expect_error("C a\n{ 0:r1=1; }", 2, 3, "initial register values");
	expect_error("C a\n{}\nP1(int *x){}", 3, 1, "unexpected 'P1': expected P0");
	expect_error("C a\n{}\nP0(int x){}", 3, 8, "is not a pointer");
	expect_error("C a\n{}\nP0(int *x)\n{\n\tfoo(*x);\n}", 5, 2, "unknown primitive 'foo'");
	expect_error("C a\n{}\nP0(int *x)\n{\n\tr0 = READ_ONCE(x);\n}", 5, 17,
		     "unexpected 'x': expected '*'");
	expect_error("C a\n{}\nP0(int *x)\n{\n\tr0 = *x;\n}", 5, 7, "plain access");
	expect_error("C a\n{}\nP0(int *x)\n{\n\t*x = 1;\n}", 5, 2, "plain store");
	expect_error("C a\n{}\nP0(int *x)\n{\n\tx = 1;\n}", 5, 2, "shared location");
	expect_error("C a\n{}\nP0(int *x)\n{\n\tr0 = READ_ONCE(*y);\n}", 5, 18, "unknown name 'y'");
	expect_error("C a\n{}\nP0(int *x)\n{\n\tr0 = r9 + 1;\n}", 5, 7, "unknown name 'r9'");
	expect_error("C a\n{}\nP0(int *x)\n{\n\tr0 = WRITE_ONCE(*x, 1);\n}", 5, 7, "has no value");
	expect_error("C a\n{}\nP0(int *x)\n{\n\tWRITE_ONCE(*x);\n}", 5, 15,
		     "WRITE_ONCE's argument 2 of 2");
	expect_error("C a\n{}\nP0(int *x)\n{\n\tsmp_mb(1);\n}", 5, 9, "smp_mb takes 0");
	expect_error("C a\n{}\nP0(int *x)\n{\n\tr0 = 99999999999999999999;\n}", 5, 7,
		     "is larger than");
	expect_error("C a\n{}\nP0(int *x)\n{\n\tr0 = 1 @ 2;\n}", 5, 9, "unexpected character '@'");
	expect_error("C a\n{}\nP0(int *x)\n{\n\tint r0 = 1;\n}", 5, 9, "declaration gives no");
	expect_error("C a\n{}\nP0(int *x)\n{\n\tWRITE_ONCE(*x, 1)\n}", 6, 1, "expected ';'");
	expect_error("C a\n{}\nP0(int *x)\n{\n", 5, 1, "end of file: expected '}'");
	expect_error("C a\n{}\nP0(int *x){}\n", 4, 1, "expected the final condition");
	expect_error("C a\n{}\nP0(int *x){}\nlocations [x;]", 4, 1, "not supported");
	expect_error("C a\n{}\nP0(int *x){}\nexists (2:r0=1)", 4, 9, "thread 2");
	expect_error("C a\n{}\nP0(int *x){}\nexists (0:r0=1)", 4, 11, "no register 'r0'");
	expect_error("C a\n{}\nP0(int *x){}\nexists (w=1)", 4, 9, "unknown location 'w'");
	expect_error("C a\n{}\nP0(int *x){}\nexists (x=1) junk", 4, 14, "the end of the test");
	expect_error("C a\n{}\nP0(int *x){}\nexists (x=1 /\\ )", 4, 16, "expected a term");
	expect_error("C a\n{}\nP0(int *x)\n{\n\tr0 = \x80;\n}", 5, 7, "byte 0x80");
}

static void limits(void **state)
{
	char text[4096];
	size_t n = 0;

	(void)state;
	n += (size_t)snprintf(text + n, sizeof(text) - n, "C deep\n{}\nP0(int *x)\n{\n\tr0 = ");
	for (int i = 0; i < LITMUS_MAX_DEPTH + 2; i++)
		text[n++] = '(';
	text[n] = '\0';
	/* Each parenthesis is an expression inside a group: two levels. */
	expect_error(text, 5, 7 + LITMUS_MAX_DEPTH / 2, "nested more than");
	n = (size_t)snprintf(text, sizeof(text), "C many\n{}\n");
	for (int i = 0; i <= LITMUS_MAX_THREADS; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "P%d(int *x){}\n", i);
	expect_error(text, 3 + LITMUS_MAX_THREADS, 1, "one thread too many");
}

static int setup(void **state)
{
	(void)state;
	t = malloc(sizeof(*t));
	return t ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	free(t);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(whole_test),
		cmocka_unit_test(result_words),
		cmocka_unit_test(init_forms),
		cmocka_unit_test(every_primitive),
		cmocka_unit_test(registers_and_expressions),
		cmocka_unit_test(if_else_and_blocks),
		cmocka_unit_test(pointers_through_registers),
		cmocka_unit_test(conditions),
		cmocka_unit_test(bad_input),
		cmocka_unit_test(limits),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
