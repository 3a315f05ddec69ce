/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel primitives a litmus thread may call, by name: the set LKMM's
 * herd7 model knows (tools/memory-model/linux-kernel.def), less the ones
 * this harness has no meaning for. What each orders is decided where it
 * runs (litmus/exec.c); here are only its name and its arguments' shapes.
 */
#ifndef LOSTFLUSH_LITMUS_BUILTINS_H
#define LOSTFLUSH_LITMUS_BUILTINS_H

#include "litmus.h"

struct litmus_builtin {
	const char *name;
	enum litmus_op op;
	/* One letter per argument as written: 'd' a dereference (*x, as
	 * READ_ONCE(*x) takes), 'p' a pointer (x, as smp_load_acquire(x)),
	 * 'e' a value. Parsed, the pointer goes first, the values after it in
	 * their order. */
	const char *args;
	bool returns;  /* has a value */
	bool variants; /* _relaxed, _acquire and _release forms exist */
	int64_t scale; /* LOP_ADD and kin: the amount, or its factor */
};

/* The builtin `name` names (an ordering variant resolves to its fully
 * ordered form, which is at least as strong); NULL if none. */
const struct litmus_builtin *litmus_builtin_find(const char *name);
/* Every name, for a message: "READ_ONCE, WRITE_ONCE, ...". */
const char *litmus_builtin_names(void);

#endif
