/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Store buffers and stale loads for controlled executions (--memory).
 *
 *   sc    every access takes effect at once, in program order.
 *   tso   each fiber's stores wait in a FIFO buffer; its own loads read the
 *         buffer first (store forwarding). A store may then be passed by a
 *         later load of another variable: store buffering (SB) shows.
 *   weak  the buffer drains in any order, except that smp_wmb() (and a
 *         release) orders the stores on either side of it, and two stores
 *         to one variable stay in order (coherence). A load may read the
 *         value a variable held just before its newest one, unless the
 *         fiber has already seen the newest, or a barrier since then
 *         forbids it: smp_rmb() orders it after the loads before the
 *         barrier, an acquire load after the value it read, smp_mb() after
 *         everything visible. Message passing (MP) shows without the
 *         smp_wmb()/smp_rmb() pair.
 *
 * Which stores wait: those the kernel leaves unordered: WRITE_ONCE(),
 * smp_store_release(), and the RMW atomics that return nothing (set_bit(),
 * clear_bit(), atomic_long_inc()). A value-returning RMW, a successful
 * cmpxchg() and smp_mb() drain the fiber's buffer first (atomic_t.txt: fully
 * ordered); a failed cmpxchg() orders nothing. A lock release drains; a lock
 * acquire, and the end of a wait the scheduler knows about, let later loads
 * see everything visible. Real x86 makes every LOCK-prefixed RMW a full
 * barrier, so `tso` is strictly weaker than an x86 CPU for set_bit(): the
 * model holds code to what the kernel promises, not to what one CPU does.
 *
 * The strengths these choices imply (all can only hide a bug, never invent
 * one): the visible order of stores is one global order (multi-copy
 * atomicity); a load may be stale by one value, not more.
 *
 * Only the running fiber touches this state, and the scheduler decides when
 * a buffered store becomes visible (a COMMIT decision) and whether a load
 * reads the older value (a STALE decision), so both replay exactly.
 */
#ifndef LOSTFLUSH_MEMMODEL_H
#define LOSTFLUSH_MEMMODEL_H

#include <stdbool.h>
#include <stdint.h>

enum mem_model {
	MEM_SC,
	MEM_TSO,
	MEM_WEAK,
};

enum mm_op {
	MM_STORE,
	MM_OR,
	MM_AND,
	MM_ADD,
};

enum mm_fence {
	MM_MB,
	MM_WMB,
	MM_RMB,
};

#define MM_BUFFER_MAX 8

struct memmodel;
/* The model in force; NULL under sc or outside a controlled execution,
 * where every access goes straight to memory. */
extern struct memmodel *lostflush_mm;

static inline bool mm_enabled(void)
{
	return lostflush_mm != 0;
}

const char *mem_model_name(enum mem_model m);

/* Start a fresh execution of nr_threads fibers under model m and make it the
 * one in force (m == MEM_SC makes none in force). */
void mm_start(enum mem_model m, int nr_threads);
void mm_stop(void);

/* The accesses, for the running fiber. size is 1, 2, 4 or 8 bytes. */
uint64_t mm_load(const volatile void *p, int size, bool acquire);
void mm_store(volatile void *p, int size, uint64_t v, bool release);
void mm_rmw(volatile void *p, int size, enum mm_op op, uint64_t operand);
uint64_t mm_rmw_return(volatile void *p, int size, enum mm_op op, uint64_t operand);
uint64_t mm_xchg(volatile void *p, int size, uint64_t v);
uint64_t mm_cmpxchg(volatile void *p, int size, uint64_t old, uint64_t new_val);
void mm_fence(enum mm_fence f);
/* A lock taken (later loads see all that is visible) or released (earlier
 * stores become visible first). */
void mm_acquire_all(void);
void mm_release_all(void);

/* For the scheduler. */
int mm_pending(int t);
/* Fiber t has a store still buffered that a later store of its own has
 * already passed: a reordering other fibers can now observe (weak only). */
bool mm_passed(int t);
/* Indexes of fiber t's entries that may become visible now; returns how
 * many (at least one when any are pending). */
int mm_committable(int t, int *idx);
bool mm_entry_committable(int t, int k);
void mm_commit(int t, int k);
/* The word entry k of fiber t's buffer writes, for the strategies that
 * weigh what a commit touches (engine/footprint.h). */
uintptr_t mm_entry_addr(int t, int k);
void mm_drain(int t);
/* Evaluate pred(arg) on memory as it is, bypassing every buffer. */
bool mm_read_memory_as_is(bool (*pred)(void *arg), void *arg);

/* Names for modelled variables, for timelines ("v0.mode"); NULL if none. */
void mm_names_clear(void);
void mm_name(const volatile void *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const char *mm_name_of(uint64_t addr);

#endif
