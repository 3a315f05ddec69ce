// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel-named atomics of engine/bitops.h: what each one returns, what it
 * changes, and (with real threads) that the RMW ones are atomic and the
 * barriers give message passing.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../../engine/bitops.h"

/* Bit numbers that land in the second long of a bitmap. */
#define HIGH_BIT(n) (BITS_PER_LONG + (n))

static void set_and_clear_low_word(void **state)
{
	atomic_bitmap map[2] = { 0, 0 };

	(void)state;
	set_bit(0, map);
	set_bit(5, map);
	assert_true(test_bit(0, map));
	assert_true(test_bit(5, map));
	assert_false(test_bit(1, map));
	assert_int_equal(map[0], (1UL << 0) | (1UL << 5));
	assert_int_equal(map[1], 0);

	clear_bit(0, map);
	assert_false(test_bit(0, map));
	assert_true(test_bit(5, map));
	assert_int_equal(map[0], 1UL << 5);
}

/* A bit number past the first long must index the second one, not wrap
 * into the first. */
static void set_and_clear_high_word(void **state)
{
	atomic_bitmap map[2] = { 0, 0 };

	(void)state;
	set_bit(HIGH_BIT(3), map);
	assert_true(test_bit(HIGH_BIT(3), map));
	assert_false(test_bit(3, map));
	assert_int_equal(map[0], 0);
	assert_int_equal(map[1], 1UL << 3);

	set_bit(HIGH_BIT(BITS_PER_LONG - 1), map);
	assert_true(test_bit(HIGH_BIT(BITS_PER_LONG - 1), map));
	assert_int_equal(map[1], (1UL << 3) | (1UL << (BITS_PER_LONG - 1)));

	clear_bit(HIGH_BIT(3), map);
	assert_false(test_bit(HIGH_BIT(3), map));
	assert_int_equal(map[1], 1UL << (BITS_PER_LONG - 1));
	assert_int_equal(map[0], 0);
}

static void test_and_set_returns_old(void **state)
{
	atomic_bitmap map[2] = { 0, 0 };

	(void)state;
	assert_false(test_and_set_bit(7, map));
	assert_true(test_bit(7, map));
	/* Already set: reports it and leaves it set. */
	assert_true(test_and_set_bit(7, map));
	assert_true(test_bit(7, map));

	assert_false(test_and_set_bit(HIGH_BIT(7), map));
	assert_int_equal(map[0], 1UL << 7);
	assert_int_equal(map[1], 1UL << 7);
}

static void test_and_clear_returns_old(void **state)
{
	atomic_bitmap map[2] = { 0, 0 };

	(void)state;
	assert_false(test_and_clear_bit(9, map));
	assert_int_equal(map[0], 0);

	set_bit(9, map);
	set_bit(10, map);
	assert_true(test_and_clear_bit(9, map));
	assert_false(test_bit(9, map));
	/* Only the named bit goes. */
	assert_true(test_bit(10, map));
	assert_false(test_and_clear_bit(9, map));

	set_bit(HIGH_BIT(9), map);
	assert_true(test_and_clear_bit(HIGH_BIT(9), map));
	assert_int_equal(map[1], 0);
	assert_int_equal(map[0], 1UL << 10);
}

static void xchg_returns_old(void **state)
{
	_Atomic long v = 3;
	long old;

	(void)state;
	old = xchg(&v, 8L);
	assert_int_equal(old, 3);
	assert_int_equal(atomic_load(&v), 8);
	old = xchg(&v, -1L);
	assert_int_equal(old, 8);
	assert_int_equal(atomic_load(&v), -1);
}

static void cmpxchg_writes_only_on_match(void **state)
{
	_Atomic long v = 5;
	long old;

	(void)state;
	old = cmpxchg(&v, 5L, 6L);
	assert_int_equal(old, 5);
	assert_int_equal(atomic_load(&v), 6);

	/* Stale expectation: returns what is there and writes nothing. */
	old = cmpxchg(&v, 5L, 7L);
	assert_int_equal(old, 6);
	assert_int_equal(atomic_load(&v), 6);
}

static void cmpxchg_on_int_mode(void **state)
{
	/* vcpu->mode is an _Atomic int: the macro must keep the int type. */
	_Atomic int mode = 1;
	int old;

	(void)state;
	old = cmpxchg(&mode, 1, 2);
	assert_int_equal(old, 1);
	assert_int_equal(atomic_load(&mode), 2);
	old = cmpxchg(&mode, 1, 3);
	assert_int_equal(old, 2);
	assert_int_equal(atomic_load(&mode), 2);
}

static void once_round_trip(void **state)
{
	_Atomic uint64_t v = 0;

	(void)state;
	WRITE_ONCE(v, 0x123456789abcdef0ULL);
	assert_true(READ_ONCE(v) == 0x123456789abcdef0ULL);
	WRITE_ONCE(v, UINT64_MAX);
	assert_true(READ_ONCE(v) == UINT64_MAX);
	smp_store_release(&v, 42);
	assert_true(smp_load_acquire(&v) == 42);
}

/* ---- threads ---------------------------------------------------------- */

#define BIT_THREADS 4
#define BIT_ROUNDS 100000

struct bit_worker {
	pthread_t tid;
	atomic_bitmap *word;
	_Atomic int *go;
	int bit;
	long lost; /* rounds in which our own bit was not as we left it */
};

static void wait_for_go(_Atomic int *go)
{
	while (!atomic_load_explicit(go, memory_order_acquire))
		cpu_relax();
}

/*
 * Only this thread writes its bit, so after set_bit it must read set and
 * after clear_bit clear. A non-atomic read-modify-write by another thread
 * that read the word before our change would write our old value back.
 */
static void *flip_own_bit(void *arg)
{
	struct bit_worker *w = arg;

	wait_for_go(w->go);
	for (int i = 0; i < BIT_ROUNDS; i++) {
		set_bit(w->bit, w->word);
		w->lost += !test_bit(w->bit, w->word);
		clear_bit(w->bit, w->word);
		w->lost += test_bit(w->bit, w->word);
	}
	/* Leave it set: the final word then names every thread. */
	set_bit(w->bit, w->word);
	return NULL;
}

static void bit_rmw_is_atomic(void **state)
{
	struct bit_worker w[BIT_THREADS];
	atomic_bitmap word = 0;
	_Atomic int go = 0;
	unsigned long want = 0;

	(void)state;
	for (int i = 0; i < BIT_THREADS; i++) {
		/* Spread the bits over the word, still in one long. */
		w[i] = (struct bit_worker){ .word = &word, .go = &go, .bit = i * 9 };
		want |= 1UL << w[i].bit;
		assert_int_equal(pthread_create(&w[i].tid, NULL, flip_own_bit, &w[i]), 0);
	}
	atomic_store_explicit(&go, 1, memory_order_release);
	/* Join them all before any assertion can leave this frame. */
	for (int i = 0; i < BIT_THREADS; i++)
		assert_int_equal(pthread_join(w[i].tid, NULL), 0);
	for (int i = 0; i < BIT_THREADS; i++)
		assert_int_equal(w[i].lost, 0);
	assert_int_equal(atomic_load(&word), want);
}

#define LOCK_THREADS 2
#define LOCK_ROUNDS 100000

struct lock_worker {
	pthread_t tid;
	atomic_bitmap *lock;
	_Atomic long *counter;
	_Atomic int *go;
};

/*
 * test_and_set_bit() as a lock (the kernel's bit spinlocks): it is fully
 * ordered, so the critical section cannot leak above it; the unlock is
 * clear_bit() after smp_mb__before_atomic(), as clear_bit_unlock() is.
 * The increment inside is a plain load and store: if the lock did not
 * exclude, or did not order, increments would be lost.
 */
static void *locked_increments(void *arg)
{
	struct lock_worker *w = arg;

	wait_for_go(w->go);
	for (int i = 0; i < LOCK_ROUNDS; i++) {
		while (test_and_set_bit(0, w->lock))
			cpu_relax();
		WRITE_ONCE(*w->counter, READ_ONCE(*w->counter) + 1);
		smp_mb__before_atomic();
		clear_bit(0, w->lock);
	}
	return NULL;
}

static void test_and_set_bit_excludes(void **state)
{
	struct lock_worker w[LOCK_THREADS];
	atomic_bitmap lock = 0;
	_Atomic long counter = 0;
	_Atomic int go = 0;

	(void)state;
	for (int i = 0; i < LOCK_THREADS; i++) {
		w[i] = (struct lock_worker){ .lock = &lock, .counter = &counter, .go = &go };
		assert_int_equal(pthread_create(&w[i].tid, NULL, locked_increments, &w[i]), 0);
	}
	atomic_store_explicit(&go, 1, memory_order_release);
	for (int i = 0; i < LOCK_THREADS; i++)
		assert_int_equal(pthread_join(w[i].tid, NULL), 0);
	assert_int_equal(atomic_load(&counter), (long)LOCK_THREADS * LOCK_ROUNDS);
	assert_int_equal(atomic_load(&lock), 0);
}

#define MP_ROUNDS 1000000L

struct mp_shared {
	_Atomic long data;
	char pad[64]; /* flag on its own line: the reader spins on it */
	_Atomic long flag;
	_Atomic int go;
	long bad;  /* reads that saw the flag of round r but data before r */
	long seen; /* distinct flag values the reader observed */
};

/* Writer: data = r; smp_wmb(); flag = r. */
static void *mp_writer(void *arg)
{
	struct mp_shared *s = arg;

	wait_for_go(&s->go);
	for (long r = 1; r <= MP_ROUNDS; r++) {
		WRITE_ONCE(s->data, r);
		smp_wmb();
		WRITE_ONCE(s->flag, r);
	}
	return NULL;
}

/*
 * Reader: f = flag; smp_rmb(); d = data. data only grows and is written
 * before flag in every round, so d >= f unless one of the barriers lets
 * the writes or the reads pass each other.
 */
static void *mp_reader(void *arg)
{
	struct mp_shared *s = arg;
	long last = 0;

	wait_for_go(&s->go);
	while (last < MP_ROUNDS) {
		long f = READ_ONCE(s->flag);
		long d;

		smp_rmb();
		d = READ_ONCE(s->data);
		if (d < f)
			s->bad++;
		if (f != last) {
			s->seen++;
			last = f;
		}
	}
	return NULL;
}

static void wmb_rmb_message_passing(void **state)
{
	static struct mp_shared s;
	pthread_t writer, reader;

	(void)state;
	s = (struct mp_shared){ 0 };
	assert_int_equal(pthread_create(&reader, NULL, mp_reader, &s), 0);
	assert_int_equal(pthread_create(&writer, NULL, mp_writer, &s), 0);
	atomic_store_explicit(&s.go, 1, memory_order_release);
	assert_int_equal(pthread_join(writer, NULL), 0);
	assert_int_equal(pthread_join(reader, NULL), 0);
	assert_int_equal(s.bad, 0);
	/* The reader really watched the writer, not only its last value. */
	assert_true(s.seen >= 1);
	assert_int_equal(READ_ONCE(s.flag), MP_ROUNDS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(set_and_clear_low_word),
		cmocka_unit_test(set_and_clear_high_word),
		cmocka_unit_test(test_and_set_returns_old),
		cmocka_unit_test(test_and_clear_returns_old),
		cmocka_unit_test(xchg_returns_old),
		cmocka_unit_test(cmpxchg_writes_only_on_match),
		cmocka_unit_test(cmpxchg_on_int_mode),
		cmocka_unit_test(once_round_trip),
		cmocka_unit_test(bit_rmw_is_atomic),
		cmocka_unit_test(test_and_set_bit_excludes),
		cmocka_unit_test(wmb_rmb_message_passing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
