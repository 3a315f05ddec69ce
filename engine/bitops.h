/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel-named atomics over C11 <stdatomic.h>.
 *
 * The model's shared state is written with the same primitives the kernel code
 * it imitates uses, so a variant reads like the patch it comes from. Each
 * primitive gives exactly the ordering the Linux kernel documents for it
 * (Documentation/atomic_t.txt, Documentation/atomic_bitops.txt,
 * Documentation/memory-barriers.txt), no more, so that a missing barrier in a
 * variant stays missing here.
 *
 * Every variable touched through these macros must be declared _Atomic: the
 * model is then free of C data races by construction, and ThreadSanitizer
 * reports only the deliberately plain accesses of buggy variants.
 */
#ifndef LOSTFLUSH_BITOPS_H
#define LOSTFLUSH_BITOPS_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "memmodel.h"

#define BITS_PER_LONG (8 * (int)sizeof(unsigned long))
#define BIT_MASK(nr) (1UL << ((nr) % BITS_PER_LONG))

/*
 * Under --memory tso|weak (controlled executions only) every primitive
 * below goes through the memory model instead (engine/memmodel.h): stores may
 * wait in a store buffer and loads may read an older value, exactly as far
 * as the primitive's documented ordering allows. mm_enabled() is false in
 * free mode and under sc, where the C11 forms below are the whole story.
 */
#define __mm_val_t(x) __typeof__(atomic_load_explicit(&(x), memory_order_relaxed))
#define __mm_ptr_t(p) __typeof__(atomic_load_explicit((p), memory_order_relaxed))
#define __mm_u64(v) ((uint64_t)(uintptr_t)(v))

/*
 * smp_mb(): orders every earlier load and store before every later one, on
 * every CPU's view. The store-buffering (Dekker) pair under vCPU requests
 * needs exactly this.
 */
#define smp_mb()                                                   \
	do {                                                       \
		if (mm_enabled())                                  \
			mm_fence(MM_MB);                           \
		else                                               \
			atomic_thread_fence(memory_order_seq_cst); \
	} while (0)
/* smp_wmb(): earlier stores before later stores. A release fence is the
 * closest C11 fence; it also orders earlier loads, which is stronger than the
 * kernel promises but never hides a missing smp_wmb(). */
#define smp_wmb()                                                  \
	do {                                                       \
		if (mm_enabled())                                  \
			mm_fence(MM_WMB);                          \
		else                                               \
			atomic_thread_fence(memory_order_release); \
	} while (0)
/* smp_rmb(): earlier loads before later loads (an acquire fence in C11). */
#define smp_rmb()                                                  \
	do {                                                       \
		if (mm_enabled())                                  \
			mm_fence(MM_RMB);                          \
		else                                               \
			atomic_thread_fence(memory_order_acquire); \
	} while (0)
/* Around non-value-returning atomics, which are unordered in the kernel. */
#define smp_mb__before_atomic() smp_mb()
#define smp_mb__after_atomic() smp_mb()

/* READ_ONCE / WRITE_ONCE: single-copy atomic, no ordering at all. */
#define READ_ONCE(x)                                                        \
	(mm_enabled() ? (__mm_val_t(x))mm_load(&(x), (int)sizeof(x), false) \
		      : atomic_load_explicit(&(x), memory_order_relaxed))
#define WRITE_ONCE(x, v)                                                        \
	do {                                                                    \
		if (mm_enabled())                                               \
			mm_store(&(x), (int)sizeof(x), __mm_u64(v), false);     \
		else                                                            \
			atomic_store_explicit(&(x), (v), memory_order_relaxed); \
	} while (0)
/* smp_load_acquire / smp_store_release: one-way barriers, as in the kernel. */
#define smp_load_acquire(p)                                                  \
	(mm_enabled() ? (__mm_ptr_t(p))mm_load((p), (int)sizeof(*(p)), true) \
		      : atomic_load_explicit((p), memory_order_acquire))
#define smp_store_release(p, v)                                                \
	do {                                                                   \
		if (mm_enabled())                                              \
			mm_store((p), (int)sizeof(*(p)), __mm_u64(v), true);   \
		else                                                           \
			atomic_store_explicit((p), (v), memory_order_release); \
	} while (0)
/* smp_store_mb(): a store followed by smp_mb(), as vcpu->mode is written. */
#define smp_store_mb(x, v)        \
	do {                      \
		WRITE_ONCE(x, v); \
		smp_mb();         \
	} while (0)

/*
 * xchg / cmpxchg: value-returning RMW, so fully ordered (an smp_mb() before
 * and after the operation, atomic_t.txt). cmpxchg returns the old value; a
 * failed cmpxchg is unordered in the kernel and in the memory model; in
 * free mode it stays fully ordered, which can only hide bugs that rely on a
 * failed cmpxchg ordering nothing.
 */
#define xchg(p, v)                                                                            \
	(mm_enabled() ? (__mm_ptr_t(p))mm_xchg((p), (int)sizeof(*(p)), __mm_u64(v)) : ({      \
		atomic_thread_fence(memory_order_seq_cst);                                    \
		__auto_type __old = atomic_exchange_explicit((p), (v), memory_order_seq_cst); \
		atomic_thread_fence(memory_order_seq_cst);                                    \
		__old;                                                                        \
	}))
#define cmpxchg(p, o, n)                                                                          \
	(mm_enabled()                                                                             \
		 ? (__mm_ptr_t(p))mm_cmpxchg((p), (int)sizeof(*(p)), __mm_u64(o), __mm_u64(n))    \
		 : ({                                                                             \
			   /* the non-_Atomic type of *p, as clang insists */                     \
			   __mm_ptr_t(p) __exp = (o);                                             \
			   atomic_thread_fence(memory_order_seq_cst);                             \
			   atomic_compare_exchange_strong_explicit(                               \
				   (p), &__exp, (n), memory_order_seq_cst, memory_order_seq_cst); \
			   atomic_thread_fence(memory_order_seq_cst);                             \
			   __exp;                                                                 \
		   }))

typedef _Atomic unsigned long atomic_bitmap;

/* set_bit / clear_bit: atomic RMW without a return value: unordered. */
static inline void set_bit(int nr, atomic_bitmap *addr)
{
	if (mm_enabled()) {
		mm_rmw(addr + nr / BITS_PER_LONG, (int)sizeof(*addr), MM_OR, BIT_MASK(nr));
		return;
	}
	atomic_fetch_or_explicit(addr + nr / BITS_PER_LONG, BIT_MASK(nr), memory_order_relaxed);
}

static inline void clear_bit(int nr, atomic_bitmap *addr)
{
	if (mm_enabled()) {
		mm_rmw(addr + nr / BITS_PER_LONG, (int)sizeof(*addr), MM_AND, ~BIT_MASK(nr));
		return;
	}
	atomic_fetch_and_explicit(addr + nr / BITS_PER_LONG, ~BIT_MASK(nr), memory_order_relaxed);
}

/* test_bit: a plain atomic load: unordered. */
static inline bool test_bit(int nr, atomic_bitmap *addr)
{
	return READ_ONCE(addr[nr / BITS_PER_LONG]) & BIT_MASK(nr);
}

/* test_and_{set,clear}_bit: RMW with a return value: fully ordered
 * (atomic_bitops.txt, "RMW operations that have a return value are fully
 * ordered"). */
static inline bool test_and_set_bit(int nr, atomic_bitmap *addr)
{
	unsigned long old;

	if (mm_enabled())
		return mm_rmw_return(addr + nr / BITS_PER_LONG, (int)sizeof(*addr), MM_OR,
				     BIT_MASK(nr)) &
		       BIT_MASK(nr);
	atomic_thread_fence(memory_order_seq_cst);
	old = atomic_fetch_or_explicit(addr + nr / BITS_PER_LONG, BIT_MASK(nr),
				       memory_order_seq_cst);
	atomic_thread_fence(memory_order_seq_cst);
	return old & BIT_MASK(nr);
}

static inline bool test_and_clear_bit(int nr, atomic_bitmap *addr)
{
	unsigned long old;

	if (mm_enabled())
		return mm_rmw_return(addr + nr / BITS_PER_LONG, (int)sizeof(*addr), MM_AND,
				     ~BIT_MASK(nr)) &
		       BIT_MASK(nr);
	atomic_thread_fence(memory_order_seq_cst);
	old = atomic_fetch_and_explicit(addr + nr / BITS_PER_LONG, ~BIT_MASK(nr),
					memory_order_seq_cst);
	atomic_thread_fence(memory_order_seq_cst);
	return old & BIT_MASK(nr);
}

/* atomic_long_inc: unordered; atomic_long_read: a plain atomic load. */
#define atomic_long_inc(p)                                                       \
	do {                                                                     \
		if (mm_enabled())                                                \
			mm_rmw((p), (int)sizeof(*(p)), MM_ADD, 1);               \
		else                                                             \
			atomic_fetch_add_explicit((p), 1, memory_order_relaxed); \
	} while (0)
#define atomic_long_read(p) smp_load_relaxed(p)
#define smp_load_relaxed(p)                                                   \
	(mm_enabled() ? (__mm_ptr_t(p))mm_load((p), (int)sizeof(*(p)), false) \
		      : atomic_load_explicit((p), memory_order_relaxed))

/* A spin-wait body: tell the CPU we are spinning. */
static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ __volatile__("yield" ::: "memory");
#endif
}

#endif
