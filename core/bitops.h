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

#define BITS_PER_LONG (8 * (int)sizeof(unsigned long))
#define BIT_MASK(nr) (1UL << ((nr) % BITS_PER_LONG))

/*
 * smp_mb(): orders every earlier load and store before every later one, on
 * every CPU's view. The store-buffering (Dekker) pair under vCPU requests
 * needs exactly this.
 */
#define smp_mb() atomic_thread_fence(memory_order_seq_cst)
/* smp_wmb(): earlier stores before later stores. A release fence is the
 * closest C11 fence; it also orders earlier loads, which is stronger than the
 * kernel promises but never hides a missing smp_wmb(). */
#define smp_wmb() atomic_thread_fence(memory_order_release)
/* smp_rmb(): earlier loads before later loads (an acquire fence in C11). */
#define smp_rmb() atomic_thread_fence(memory_order_acquire)
/* Around non-value-returning atomics, which are unordered in the kernel. */
#define smp_mb__before_atomic() smp_mb()
#define smp_mb__after_atomic() smp_mb()

/* READ_ONCE / WRITE_ONCE: single-copy atomic, no ordering at all. */
#define READ_ONCE(x) atomic_load_explicit(&(x), memory_order_relaxed)
#define WRITE_ONCE(x, v) atomic_store_explicit(&(x), (v), memory_order_relaxed)
/* smp_load_acquire / smp_store_release: one-way barriers, as in the kernel. */
#define smp_load_acquire(p) atomic_load_explicit((p), memory_order_acquire)
#define smp_store_release(p, v) \
	atomic_store_explicit((p), (v), memory_order_release)
/* smp_store_mb(): a store followed by smp_mb(), as vcpu->mode is written. */
#define smp_store_mb(x, v)   \
	do {                 \
		WRITE_ONCE(x, v); \
		smp_mb();        \
	} while (0)

/*
 * xchg / cmpxchg: value-returning RMW, so fully ordered (an smp_mb() before
 * and after the operation, atomic_t.txt). cmpxchg returns the old value; a
 * failed cmpxchg is unordered in the kernel, here it stays fully ordered,
 * which can only hide bugs that rely on a failed cmpxchg ordering nothing.
 */
#define xchg(p, v)                                                        \
	({                                                                 \
		smp_mb();                                                  \
		__auto_type __old = atomic_exchange_explicit(              \
			(p), (v), memory_order_seq_cst);                   \
		smp_mb();                                                  \
		__old;                                                     \
	})
#define cmpxchg(p, o, n)                                                  \
	({                                                                 \
		/* the non-_Atomic type of *p, as clang insists */        \
		__typeof__(atomic_load_explicit((p), memory_order_relaxed)) __exp = (o); \
		smp_mb();                                                  \
		atomic_compare_exchange_strong_explicit(                   \
			(p), &__exp, (n), memory_order_seq_cst,            \
			memory_order_seq_cst);                             \
		smp_mb();                                                  \
		__exp;                                                     \
	})

typedef _Atomic unsigned long atomic_bitmap;

/* set_bit / clear_bit: atomic RMW without a return value: unordered. */
static inline void set_bit(int nr, atomic_bitmap *addr)
{
	atomic_fetch_or_explicit(addr + nr / BITS_PER_LONG, BIT_MASK(nr),
				 memory_order_relaxed);
}

static inline void clear_bit(int nr, atomic_bitmap *addr)
{
	atomic_fetch_and_explicit(addr + nr / BITS_PER_LONG, ~BIT_MASK(nr),
				  memory_order_relaxed);
}

/* test_bit: a plain atomic load: unordered. */
static inline bool test_bit(int nr, atomic_bitmap *addr)
{
	return atomic_load_explicit(addr + nr / BITS_PER_LONG,
				    memory_order_relaxed) &
	       BIT_MASK(nr);
}

/* test_and_{set,clear}_bit: RMW with a return value: fully ordered
 * (atomic_bitops.txt, "RMW operations that have a return value are fully
 * ordered"). */
static inline bool test_and_set_bit(int nr, atomic_bitmap *addr)
{
	unsigned long old;

	smp_mb();
	old = atomic_fetch_or_explicit(addr + nr / BITS_PER_LONG,
				       BIT_MASK(nr), memory_order_seq_cst);
	smp_mb();
	return old & BIT_MASK(nr);
}

static inline bool test_and_clear_bit(int nr, atomic_bitmap *addr)
{
	unsigned long old;

	smp_mb();
	old = atomic_fetch_and_explicit(addr + nr / BITS_PER_LONG,
					~BIT_MASK(nr), memory_order_seq_cst);
	smp_mb();
	return old & BIT_MASK(nr);
}

/* atomic_long_inc: unordered; atomic_long_inc_return: fully ordered. */
#define atomic_long_inc(p) \
	((void)atomic_fetch_add_explicit((p), 1, memory_order_relaxed))
#define atomic_long_read(p) atomic_load_explicit((p), memory_order_relaxed)

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
