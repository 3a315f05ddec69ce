// SPDX-License-Identifier: GPL-2.0
/*
 * A thread of a litmus test, run statement by statement on its fiber. Each
 * statement begins at a schedule point (engine/sched.h), where the
 * controlled scheduler may switch threads or make a buffered store
 * visible; a statement with several shared accesses has a point before
 * each access after its first. Every shared access is a kernel primitive
 * of engine/bitops.h, so --memory sc|tso|weak apply to it exactly as to
 * the KVM model.
 *
 * What each primitive orders (Documentation/memory-barriers.txt,
 * Documentation/atomic_t.txt), and where this is stronger than LKMM
 * (docs/model.md, "Litmus tests"):
 *   READ_ONCE/WRITE_ONCE, atomic_read/atomic_set, atomic_add() and the
 *     other RMWs without a value: unordered;
 *   smp_load_acquire, smp_store_release: acquire, release;
 *   rcu_dereference: an acquire load (LKMM orders only the accesses that
 *     depend on it by address);
 *   a load into a register the thread later dereferences: an acquire
 *     load, for the same reason (LKMM's "addr" dependency);
 *   rcu_assign_pointer: a release store, as in the kernel;
 *   xchg, cmpxchg, atomic_*_return, atomic_fetch_*, atomic_xchg,
 *     atomic_cmpxchg: fully ordered, their _relaxed, _acquire and
 *     _release forms too; a failed cmpxchg orders nothing.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "../engine/bitops.h"
#include "../engine/sched.h"
#include "subject.h"

struct exec {
	struct litmus_subject *s;
	int th;
	int accesses; /* in the current statement */
};

void litmus_fatal(const struct litmus_subject *s, int line, int col, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "stress: %s:%d:%d: ", s->path, line, col);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

int litmus_loc_at(const struct litmus_subject *s, int64_t a)
{
	for (int i = 0; i < s->test->nr_locs; i++)
		if (litmus_addr(s, i) == a)
			return i;
	return -1;
}

static int64_t eval(struct exec *x, const struct litmus_expr *e);

/* The location a pointer expression names. */
static int pointee(struct exec *x, const struct litmus_expr *e)
{
	int64_t a = eval(x, e);
	int loc = litmus_loc_at(x->s, a);

	if (loc < 0)
		litmus_fatal(x->s, e->line, e->col,
			     "P%d dereferences %lld, which is no shared location's address "
			     "(is the pointer initialized?)",
			     x->th, (long long)a);
	return loc;
}

/* atomic_add() and kin: unordered (atomic_t.txt, "non-RMW ops" and
 * "RMW ops without return value"). */
static void add_unordered(_Atomic uint64_t *p, uint64_t d)
{
	if (mm_enabled())
		mm_rmw(p, (int)sizeof(*p), MM_ADD, d);
	else
		atomic_fetch_add_explicit(p, d, memory_order_relaxed);
}

/* The value-returning RMWs: fully ordered, an smp_mb() either side. */
static uint64_t fetch_add_ordered(_Atomic uint64_t *p, uint64_t d)
{
	uint64_t old;

	if (mm_enabled())
		return mm_rmw_return(p, (int)sizeof(*p), MM_ADD, d);
	smp_mb();
	old = atomic_fetch_add_explicit(p, d, memory_order_seq_cst);
	smp_mb();
	return old;
}

static uint64_t amount(struct exec *x, const struct litmus_expr *e)
{
	if (e->nargs == 1)
		return (uint64_t)e->delta;
	return (uint64_t)e->delta * (uint64_t)eval(x, e->arg[1]);
}

static int64_t sync_call(struct exec *x, const struct litmus_expr *e)
{
	switch (e->op) {
	case LOP_SPIN_LOCK: litmus_spin_lock(x->s, x->th, pointee(x, e->arg[0])); return 0;
	case LOP_SPIN_UNLOCK: litmus_spin_unlock(x->s, x->th, pointee(x, e->arg[0])); return 0;
	case LOP_SPIN_TRYLOCK: return litmus_spin_trylock(x->s, x->th, pointee(x, e->arg[0]));
	case LOP_RCU_READ_LOCK: litmus_rcu_read_lock(x->s, x->th); return 0;
	case LOP_RCU_READ_UNLOCK: litmus_rcu_read_unlock(x->s, x->th, e->line, e->col); return 0;
	default: litmus_synchronize_rcu(x->s, x->th, e->line, e->col); return 0;
	}
}

static int64_t fence(int op)
{
	if (op == LOP_MB)
		smp_mb();
	else if (op == LOP_WMB)
		smp_wmb();
	else
		smp_rmb();
	return 0;
}

/* A primitive; acquire: a load carries an address dependency. */
static int64_t call(struct exec *x, const struct litmus_expr *e, bool acquire)
{
	_Atomic uint64_t *p;
	int64_t v = 0, w = 0;

	if (x->accesses++)
		sched_point();
	if (e->op == LOP_MB || e->op == LOP_WMB || e->op == LOP_RMB)
		return fence(e->op);
	if (e->op >= LOP_SPIN_LOCK)
		return sync_call(x, e);
	p = &x->s->cell[pointee(x, e->arg[0])];
	if (e->nargs > 1 && e->op != LOP_ADD && e->op != LOP_ADD_RETURN && e->op != LOP_FETCH_ADD)
		v = eval(x, e->arg[1]);
	if (e->nargs > 2)
		w = eval(x, e->arg[2]);
	switch (e->op) {
	case LOP_READ_ONCE: return (int64_t)(acquire ? smp_load_acquire(p) : READ_ONCE(*p));
	case LOP_LOAD_ACQUIRE:
	case LOP_RCU_DEREFERENCE: return (int64_t)smp_load_acquire(p);
	case LOP_WRITE_ONCE: WRITE_ONCE(*p, (uint64_t)v); return 0;
	case LOP_STORE_RELEASE:
	case LOP_RCU_ASSIGN: smp_store_release(p, (uint64_t)v); return 0;
	case LOP_XCHG: return (int64_t)xchg(p, (uint64_t)v);
	case LOP_CMPXCHG: return (int64_t)cmpxchg(p, (uint64_t)v, (uint64_t)w);
	case LOP_ADD: add_unordered(p, amount(x, e)); return 0;
	case LOP_ADD_RETURN: {
		uint64_t d = amount(x, e);

		return (int64_t)(fetch_add_ordered(p, d) + d);
	}
	default: return (int64_t)fetch_add_ordered(p, amount(x, e));
	}
}

static int64_t binary(struct exec *x, const struct litmus_expr *e)
{
	int64_t a = eval(x, e->arg[0]), b;

	/* && and || evaluate their right side only when C would. */
	if (e->op == LITMUS_OP2('&', '&'))
		return a && eval(x, e->arg[1]);
	if (e->op == LITMUS_OP2('|', '|'))
		return a || eval(x, e->arg[1]);
	b = eval(x, e->arg[1]);
	switch (e->op) {
	case '+': return (int64_t)((uint64_t)a + (uint64_t)b);
	case '-': return (int64_t)((uint64_t)a - (uint64_t)b);
	case '&': return a & b;
	case '|': return a | b;
	case '^': return a ^ b;
	case '<': return a < b;
	case '>': return a > b;
	case LITMUS_OP2('<', '='): return a <= b;
	case LITMUS_OP2('>', '='): return a >= b;
	case LITMUS_OP2('=', '='): return a == b;
	default: return a != b;
	}
}

static int64_t eval(struct exec *x, const struct litmus_expr *e)
{
	int64_t a;

	switch (e->kind) {
	case LE_CONST: return e->value;
	case LE_REG: return x->s->regs[x->th][e->reg];
	case LE_LOC: return litmus_addr(x->s, e->loc);
	case LE_UNARY:
		a = eval(x, e->arg[0]);
		return e->op == '-' ? (int64_t)(0 - (uint64_t)a) : e->op == '!' ? !a : ~a;
	case LE_BINARY: return binary(x, e);
	default: return call(x, e, false);
	}
}

/* A load assigned to a register the thread dereferences carries an
 * address dependency: it is made an acquire (stronger than LKMM). */
static int64_t assigned_value(struct exec *x, const struct litmus_stmt *st)
{
	const struct litmus_thread *t = &x->s->test->threads[x->th];

	if (st->expr->kind == LE_CALL && t->reg_pointer[st->reg])
		return call(x, st->expr, true);
	return eval(x, st->expr);
}

static void run_block(struct exec *x, const struct litmus_stmt *st)
{
	for (; st; st = st->next) {
		sched_point();
		x->accesses = 0;
		x->s->steps[x->th]++;
		switch (st->kind) {
		case LS_CALL: eval(x, st->expr); break;
		case LS_ASSIGN: x->s->regs[x->th][st->reg] = assigned_value(x, st); break;
		case LS_IF:
			run_block(x, eval(x, st->expr) ? st->then_block : st->else_block);
			break;
		}
	}
}

void litmus_exec_thread(struct litmus_subject *s, int th)
{
	struct exec x = { .s = s, .th = th };

	run_block(&x, s->test->threads[th].body);
}
