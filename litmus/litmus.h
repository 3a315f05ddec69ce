/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A litmus test in the Linux kernel's C format, parsed: the shape herd7
 * reads from tools/memory-model/litmus-tests/ (the format is described in
 * tools/memory-model/Documentation/litmus-tests.txt). A test is a header
 * (its name and, in its comment, the verdict "Result: Never|Sometimes|
 * Always"), the shared locations and their initial values, one thread per
 * P<n> and a final condition over registers and locations.
 *
 * Everything lives in one allocation (struct litmus_test): nodes point at
 * each other inside it, and nothing is freed but the whole.
 */
#ifndef LOSTFLUSH_LITMUS_H
#define LOSTFLUSH_LITMUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LITMUS_MAX_THREADS 8
#define LITMUS_MAX_LOCS 32
#define LITMUS_MAX_REGS 16 /* per thread */
#define LITMUS_MAX_NODES 2048
#define LITMUS_MAX_NAME 32
#define LITMUS_MAX_DEPTH 32		  /* nested ifs, blocks, parentheses */
#define LITMUS_MAX_FILE ((size_t)1 << 20) /* bytes */

/* The kernel primitives a thread may call (litmus/builtins.c names them). */
enum litmus_op {
	LOP_READ_ONCE,
	LOP_WRITE_ONCE,
	LOP_LOAD_ACQUIRE,
	LOP_STORE_RELEASE,
	LOP_RCU_DEREFERENCE,
	LOP_RCU_ASSIGN,
	LOP_MB,
	LOP_WMB,
	LOP_RMB,
	LOP_XCHG,
	LOP_CMPXCHG,
	LOP_ADD,	/* atomic_add() and kin: returns nothing, unordered */
	LOP_ADD_RETURN, /* the new value, fully ordered */
	LOP_FETCH_ADD,	/* the old value, fully ordered */
	LOP_SPIN_LOCK,
	LOP_SPIN_UNLOCK,
	LOP_SPIN_TRYLOCK,
	LOP_RCU_READ_LOCK,
	LOP_RCU_READ_UNLOCK,
	LOP_SYNCHRONIZE_RCU,
};

enum litmus_expr_kind {
	LE_CONST, /* value */
	LE_REG,	  /* reg: a register of the thread */
	LE_LOC,	  /* loc: the address of a shared location (a parameter) */
	LE_UNARY, /* op ('-', '!', '~') a */
	LE_BINARY,
	LE_CALL, /* call: a primitive; its arguments in arg[] */
};

/* Binary operators, as tokens of two characters packed ('=' << 8 | '='). */
#define LITMUS_OP2(a, b) ((a) << 8 | (b))

struct litmus_expr {
	enum litmus_expr_kind kind;
	int op; /* LE_UNARY, LE_BINARY: the operator; LE_CALL: enum litmus_op */
	int64_t value;
	int reg, loc;
	int nargs;
	struct litmus_expr *arg[3];
	/* LE_CALL: the primitive's constant operand (atomic_inc(): 1). */
	int64_t delta;
	int line, col;
};

enum litmus_stmt_kind {
	LS_CALL,   /* a primitive called for its effect */
	LS_ASSIGN, /* reg = expr */
	LS_IF,	   /* if (expr) then else */
};

struct litmus_stmt {
	enum litmus_stmt_kind kind;
	int reg;
	struct litmus_expr *expr;
	struct litmus_stmt *then_block, *else_block, *next;
	int line, col;
};

struct litmus_thread {
	/* Parameters: the shared locations the thread names. */
	bool sees[LITMUS_MAX_LOCS];
	int nr_regs;
	char reg_name[LITMUS_MAX_REGS][LITMUS_MAX_NAME];
	bool reg_pointer[LITMUS_MAX_REGS];
	struct litmus_stmt *body;
};

struct litmus_loc {
	char name[LITMUS_MAX_NAME];
	int64_t init;
	int init_loc; /* >= 0: it starts holding that location's address */
};

enum litmus_cond_kind {
	LC_AND,
	LC_OR,
	LC_NOT,
	LC_REG, /* thread:reg = value */
	LC_LOC, /* loc = value */
	LC_TRUE,
};

struct litmus_cond {
	enum litmus_cond_kind kind;
	struct litmus_cond *a, *b;
	int thread, reg, loc;
	int64_t value;
	int value_loc; /* >= 0: the value is that location's address */
};

enum litmus_quantifier {
	LQ_EXISTS,
	LQ_NOT_EXISTS,
	LQ_FORALL,
};

/* What the header comment says herd7 answers, or that it says nothing. */
enum litmus_result {
	LR_NONE,
	LR_NEVER,
	LR_SOMETIMES,
	LR_ALWAYS,
};

struct litmus_test {
	char name[128];
	enum litmus_result expected;
	int nr_locs;
	struct litmus_loc locs[LITMUS_MAX_LOCS];
	int nr_threads;
	struct litmus_thread threads[LITMUS_MAX_THREADS];
	enum litmus_quantifier quantifier;
	struct litmus_cond *cond;
	char cond_text[512]; /* as written, for the output */
	/* Locations the condition names, in the order it names them. */
	int nr_observed;
	int observed[LITMUS_MAX_LOCS];
	/* The node pools. */
	int nr_exprs, nr_stmts, nr_conds;
	struct litmus_expr exprs[LITMUS_MAX_NODES];
	struct litmus_stmt stmts[LITMUS_MAX_NODES];
	struct litmus_cond conds[LITMUS_MAX_NODES / 4];
};

/* Where parsing stopped, and why. */
struct litmus_error {
	int line, col;
	char msg[1024];
};

/* Parse text (len bytes, not necessarily NUL-terminated) into *t. 0, or -1
 * with *err filled. */
int litmus_parse(const char *text, size_t len, struct litmus_test *t, struct litmus_error *err);

/* Read and parse a file: -1 with *err (line 0 when the file itself could
 * not be read). */
int litmus_parse_file(const char *path, struct litmus_test *t, struct litmus_error *err);

const char *litmus_result_name(enum litmus_result r);
const char *litmus_quantifier_name(enum litmus_quantifier q);

#endif
