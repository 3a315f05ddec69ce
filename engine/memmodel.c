// SPDX-License-Identifier: GPL-2.0
/*
 * The memory model's store buffers (engine/memmodel.h). One file of some
 * 500 lines on purpose: loads, stores, commits, barriers and the passed-
 * store test all read and write the same per-fiber buffers, whose layout
 * no other file should know.
 */
#include "memmodel.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "ctl.h"
#include "footprint.h"
#include "thread.h"

struct mm_entry {
	volatile void *addr;
	uint64_t val;
	uint8_t size, op;
	uint32_t group; /* entries of a later group wait for earlier groups */
	uint32_t seq;	/* the fiber's stores, numbered in program order */
};

struct mm_buffer {
	struct mm_entry e[MM_BUFFER_MAX];
	int n;
	uint32_t group;
	uint64_t floor;	    /* loads may not read a value overwritten by then */
	uint64_t read_view; /* newest write any of this fiber's loads read */
	uint32_t next_seq;
	uint32_t newest_visible; /* seq + 1 of its newest store made visible */
};

/* A variable's newest value and the one before it (weak only). */
struct mm_loc {
	const volatile void *addr;
	uint64_t cur, prev;
	uint64_t cur_ts, prev_ts;		    /* when each became visible */
	uint64_t seen[(CTL_MAX_THREADS + 63) / 64]; /* fibers that saw cur */
};

#define MM_LOCS 4096 /* power of two; a controlled execution touches far fewer */

struct memmodel {
	enum mem_model model;
	int nr_threads;
	uint64_t clock; /* visible stores so far: the global store order */
	struct mm_buffer buf[CTL_MAX_THREADS];
	struct mm_loc loc[MM_LOCS];
	uint32_t used[MM_LOCS];
	int nr_used;
};

struct memmodel *lostflush_mm;
static struct memmodel the_model;
static bool bypass; /* only the running fiber's code runs: no TLS needed */

const char *mem_model_name(enum mem_model m)
{
	static const char *const names[] = { "sc", "tso", "weak" };

	return m <= MEM_WEAK ? names[m] : "?";
}

void mm_start(enum mem_model m, int nr_threads)
{
	struct memmodel *mm = &the_model;

	HARNESS_ASSERT(nr_threads <= CTL_MAX_THREADS, "%d fibers", nr_threads);
	for (int i = 0; i < mm->nr_used; i++)
		mm->loc[mm->used[i]].addr = NULL;
	memset(mm->buf, 0, sizeof(mm->buf[0]) * (size_t)CTL_MAX_THREADS);
	mm->nr_used = 0;
	mm->clock = 0;
	mm->model = m;
	mm->nr_threads = nr_threads;
	/* Under sc nothing is buffered, so no model is in force, unless a
	 * strategy reads footprints: then every access still comes here to
	 * be noted, and goes straight to memory (direct()). */
	lostflush_mm = m == MEM_SC && !lostflush_footprints ? NULL : mm;
}

void mm_stop(void)
{
	lostflush_mm = NULL;
}

/* ---- Raw memory: only one fiber runs, so load-modify-store is atomic ---- */

static uint64_t raw_load(const volatile void *p, int size)
{
	void *q = (void *)(uintptr_t)p;

	switch (size) {
	case 1: return atomic_load_explicit((_Atomic uint8_t *)q, memory_order_relaxed);
	case 2: return atomic_load_explicit((_Atomic uint16_t *)q, memory_order_relaxed);
	case 4: return atomic_load_explicit((_Atomic uint32_t *)q, memory_order_relaxed);
	case 8: return atomic_load_explicit((_Atomic uint64_t *)q, memory_order_relaxed);
	}
	HARNESS_ASSERT(false, "a modelled access of %d bytes", size);
	return 0;
}

static void raw_store(volatile void *p, int size, uint64_t v)
{
	void *q = (void *)(uintptr_t)p;

	switch (size) {
	case 1:
		atomic_store_explicit((_Atomic uint8_t *)q, (uint8_t)v, memory_order_relaxed);
		return;
	case 2:
		atomic_store_explicit((_Atomic uint16_t *)q, (uint16_t)v, memory_order_relaxed);
		return;
	case 4:
		atomic_store_explicit((_Atomic uint32_t *)q, (uint32_t)v, memory_order_relaxed);
		return;
	case 8: atomic_store_explicit((_Atomic uint64_t *)q, v, memory_order_relaxed); return;
	}
	HARNESS_ASSERT(false, "a modelled access of %d bytes", size);
}

static uint64_t apply_op(enum mm_op op, uint64_t old, uint64_t operand)
{
	switch (op) {
	case MM_STORE: return operand;
	case MM_OR: return old | operand;
	case MM_AND: return old & operand;
	case MM_ADD: return old + operand;
	}
	return old;
}

/* ---- Variable history (weak) -------------------------------------------- */

static uint32_t loc_hash(const volatile void *p)
{
	uint64_t x = (uint64_t)(uintptr_t)p >> 3;

	return (uint32_t)((x * 0x9e3779b97f4a7c15ULL) >> 40) & (MM_LOCS - 1);
}

static struct mm_loc *loc_find(const volatile void *p, bool create)
{
	struct memmodel *mm = lostflush_mm;

	for (uint32_t i = loc_hash(p), n = 0; n < MM_LOCS; i = (i + 1) & (MM_LOCS - 1), n++) {
		struct mm_loc *l = &mm->loc[i];

		if (l->addr == p)
			return l;
		if (!l->addr) {
			if (!create)
				return NULL;
			HARNESS_ASSERT(mm->nr_used < MM_LOCS / 2,
				       "more than %d modelled variables in one execution",
				       MM_LOCS / 2);
			memset(l, 0, sizeof(*l));
			l->addr = p;
			mm->used[mm->nr_used++] = i;
			return l;
		}
	}
	return NULL;
}

static void seen_set(struct mm_loc *l, int t)
{
	l->seen[t / 64] |= 1ULL << (t % 64);
}

static bool seen_by(const struct mm_loc *l, int t)
{
	return l->seen[t / 64] >> (t % 64) & 1;
}

static struct thread_ctx *fiber_ctx(int t)
{
	return lostflush_ctl ? lostflush_ctl->threads[t].tls : NULL;
}

static void trace_fiber(int t, int ev, const volatile void *p, uint64_t v)
{
	struct thread_ctx *ctx = fiber_ctx(t);

	if (ctx)
		trace_ring_add(&ctx->ring, ev, (uint64_t)(uintptr_t)p, v, trace_now_ns());
}

/* A store of fiber t becomes visible to every fiber. */
static void make_visible(int t, volatile void *p, int size, uint64_t v)
{
	struct memmodel *mm = lostflush_mm;
	uint64_t old = raw_load(p, size);

	raw_store(p, size, v);
	mm->clock++;
	if (mm->model == MEM_WEAK) {
		struct mm_loc *l = loc_find(p, true);

		/* A plain write we did not see (a reset) leaves no history. */
		l->prev = old;
		l->prev_ts = l->cur == old ? l->cur_ts : 0;
		l->cur = v;
		l->cur_ts = mm->clock;
		memset(l->seen, 0, sizeof(l->seen));
		seen_set(l, t);
	}
}

/* ---- Buffers --------------------------------------------------------------- */

static int self(void)
{
	return lostflush_ctl ? lostflush_ctl->current : -1;
}

static bool direct(void)
{
	return !lostflush_mm || bypass || self() < 0 || lostflush_mm->model == MEM_SC;
}

int mm_pending(int t)
{
	return lostflush_mm ? lostflush_mm->buf[t].n : 0;
}

/* The buffer keeps program order, so its first entry is its oldest. */
bool mm_passed(int t)
{
	const struct mm_buffer *b;

	if (!lostflush_mm)
		return false;
	b = &lostflush_mm->buf[t];
	return b->n && b->e[0].seq < b->newest_visible;
}

bool mm_entry_committable(int t, int k)
{
	const struct mm_buffer *b = &lostflush_mm->buf[t];

	if (k >= b->n)
		return false;
	if (lostflush_mm->model == MEM_TSO)
		return k == 0;
	if (b->e[k].group != b->e[0].group)
		return false;
	for (int j = 0; j < k; j++)
		if (b->e[j].addr == b->e[k].addr)
			return false;
	return true;
}

int mm_committable(int t, int *idx)
{
	int n = 0;

	for (int k = 0; k < mm_pending(t); k++)
		if (mm_entry_committable(t, k))
			idx[n++] = k;
	return n;
}

void mm_commit(int t, int k)
{
	struct mm_buffer *b = &lostflush_mm->buf[t];
	struct mm_entry e = b->e[k];

	HARNESS_ASSERT(mm_entry_committable(t, k), "entry %d of fiber %d is not committable", k, t);
	memmove(&b->e[k], &b->e[k + 1], sizeof(b->e[0]) * (size_t)(b->n - k - 1));
	b->n--;
	if (e.seq + 1 > b->newest_visible)
		b->newest_visible = e.seq + 1;
	make_visible(t, e.addr, e.size, apply_op(e.op, raw_load(e.addr, e.size), e.val));
	trace_fiber(t, TR_STORE_VISIBLE, e.addr, raw_load(e.addr, e.size));
}

uintptr_t mm_entry_addr(int t, int k)
{
	HARNESS_ASSERT(k < mm_pending(t), "entry %d of fiber %d's %d", k, t, mm_pending(t));
	return (uintptr_t)lostflush_mm->buf[t].e[k].addr;
}

/* A store made visible by the running fiber's own step (a barrier, an RMW
 * that drains, a full buffer) is a write of that step: its footprint says
 * so, or a search would take the step for independent of a load of the
 * word (engine/footprint.h). A COMMIT decision is a step of its own. */
static void commit_in_step(int t, int k)
{
	footprint_note(lostflush_mm->buf[t].e[k].addr, true);
	mm_commit(t, k);
}

/* Oldest first: always a legal order. */
static void drain_first(int t, int count)
{
	while (count-- > 0)
		commit_in_step(t, 0);
}

void mm_drain(int t)
{
	drain_first(t, mm_pending(t));
}

static void buffer(int t, volatile void *p, int size, enum mm_op op, uint64_t v)
{
	struct mm_buffer *b = &lostflush_mm->buf[t];

	/* A full buffer drains its oldest entry, as a CPU stalls until one
	 * has gone out. */
	if (b->n == MM_BUFFER_MAX)
		commit_in_step(t, 0);
	b->e[b->n++] =
		(struct mm_entry){ p, v, (uint8_t)size, (uint8_t)op, b->group, b->next_seq++ };
	trace_fiber(t, TR_STORE_BUFFERED, p, v);
}

/* Everything visible, and everything visible seen: smp_mb(). */
static void full_barrier(int t)
{
	struct mm_buffer *b = &lostflush_mm->buf[t];

	mm_drain(t);
	b->floor = b->read_view = lostflush_mm->clock;
}

/* Store forwarding: fiber t's own newest buffered value of p. An RMW that
 * returns nothing cannot be forwarded: drain up to it instead. */
static bool forward(int t, const volatile void *p, uint64_t *v)
{
	struct mm_buffer *b = &lostflush_mm->buf[t];

	for (int k = b->n - 1; k >= 0; k--) {
		if (b->e[k].addr != p)
			continue;
		if (b->e[k].op == MM_STORE) {
			*v = b->e[k].val;
			return true;
		}
		drain_first(t, k + 1);
		return false;
	}
	return false;
}

/* ---- Accesses -------------------------------------------------------------- */

/* A weak load of memory: the newest value, or the one before it where the
 * fiber has not seen the newest and no barrier forbids the older. */
static uint64_t weak_load(int t, const volatile void *p, int size, uint64_t *ts)
{
	struct mm_buffer *b = &lostflush_mm->buf[t];
	uint64_t m = raw_load(p, size);
	struct mm_loc *l = loc_find(p, false);

	*ts = 0;
	if (!l || l->cur != m)
		return m;
	if (!seen_by(l, t) && l->cur_ts > b->floor && ctl_choose_stale(lostflush_ctl, t)) {
		*ts = l->prev_ts;
		trace_fiber(t, TR_STALE_LOAD, p, l->prev);
		return l->prev;
	}
	seen_set(l, t);
	*ts = l->cur_ts;
	return m;
}

uint64_t mm_load(const volatile void *p, int size, bool acquire)
{
	int t = self();
	struct mm_buffer *b;
	uint64_t v, ts = 0;

	footprint_note(p, false);
	if (direct())
		return raw_load(p, size);
	b = &lostflush_mm->buf[t];
	if (forward(t, p, &v))
		return v;
	if (lostflush_mm->model != MEM_WEAK)
		return raw_load(p, size);
	v = weak_load(t, p, size, &ts);
	if (ts > b->read_view)
		b->read_view = ts;
	/* An acquire orders later loads after the value it read. */
	if (acquire && ts > b->floor)
		b->floor = ts;
	return v;
}

void mm_store(volatile void *p, int size, uint64_t v, bool release)
{
	int t = self();

	footprint_note(p, true);
	if (direct()) {
		raw_store(p, size, v);
		return;
	}
	/* A release orders every earlier store before it: a group of its own
	 * after them (later stores may still pass it). */
	if (release && lostflush_mm->model == MEM_WEAK)
		mm_fence(MM_WMB);
	buffer(t, p, size, MM_STORE, v);
}

void mm_rmw(volatile void *p, int size, enum mm_op op, uint64_t operand)
{
	footprint_note(p, true);
	if (direct()) {
		raw_store(p, size, apply_op(op, raw_load(p, size), operand));
		return;
	}
	buffer(self(), p, size, op, operand);
}

uint64_t mm_rmw_return(volatile void *p, int size, enum mm_op op, uint64_t operand)
{
	int t = self();
	uint64_t old;

	footprint_note(p, true);
	if (direct()) {
		old = raw_load(p, size);
		raw_store(p, size, apply_op(op, old, operand));
		return old;
	}
	full_barrier(t);
	old = raw_load(p, size);
	make_visible(t, p, size, apply_op(op, old, operand));
	full_barrier(t);
	return old;
}

uint64_t mm_xchg(volatile void *p, int size, uint64_t v)
{
	return mm_rmw_return(p, size, MM_STORE, v);
}

uint64_t mm_cmpxchg(volatile void *p, int size, uint64_t old, uint64_t new_val)
{
	int t = self();
	uint64_t cur;

	/* A write even when it fails: whether it fails depends on every
	 * other write of p. */
	footprint_note(p, true);
	if (direct()) {
		cur = raw_load(p, size);
		if (cur == old)
			raw_store(p, size, new_val);
		return cur;
	}
	/* An RMW reads the newest value: the fiber's own buffered one, else
	 * memory. Failing, it is only that load, ordered with nothing. */
	if (!forward(t, p, &cur))
		cur = raw_load(p, size);
	if (cur != old)
		return cur;
	return mm_rmw_return(p, size, MM_STORE, new_val);
}

void mm_fence(enum mm_fence f)
{
	int t = self();
	struct mm_buffer *b;

	if (direct())
		return;
	b = &lostflush_mm->buf[t];
	switch (f) {
	case MM_MB: full_barrier(t); break;
	case MM_WMB:
		if (lostflush_mm->model == MEM_WEAK && b->n)
			b->group++;
		break;
	case MM_RMB:
		if (lostflush_mm->model == MEM_WEAK && b->read_view > b->floor)
			b->floor = b->read_view;
		break;
	}
}

void mm_acquire_all(void)
{
	int t = self();

	if (direct())
		return;
	lostflush_mm->buf[t].floor = lostflush_mm->buf[t].read_view = lostflush_mm->clock;
}

void mm_release_all(void)
{
	if (!direct())
		mm_drain(self());
}

bool mm_read_memory_as_is(bool (*pred)(void *arg), void *arg)
{
	bool saved = bypass, r;

	bypass = true;
	r = pred(arg);
	bypass = saved;
	return r;
}

/* ---- Names ----------------------------------------------------------------- */

#define MM_NAMES 256

static struct {
	const volatile void *addr;
	char name[24];
} names[MM_NAMES];
static int nr_names;

void mm_names_clear(void)
{
	nr_names = 0;
}

void mm_name(const volatile void *p, const char *fmt, ...)
{
	va_list ap;
	int i = 0;

	while (i < nr_names && names[i].addr != p)
		i++;
	if (i == MM_NAMES)
		return;
	names[i].addr = p;
	va_start(ap, fmt);
	vsnprintf(names[i].name, sizeof(names[0].name), fmt, ap);
	va_end(ap);
	if (i == nr_names)
		nr_names++;
}

const char *mm_name_of(uint64_t addr)
{
	for (int i = 0; i < nr_names; i++)
		if ((uint64_t)(uintptr_t)names[i].addr == addr)
			return names[i].name;
	return NULL;
}
