/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The model's direct C11 atomics, told to the footprint of the running
 * step (engine/footprint.h).
 *
 * Most shared words of the model go through the kernel-named primitives
 * (engine/bitops.h), which the memory model sees. Some are the harness's
 * own bookkeeping of what the kernel would not expose as one word (a
 * frame's generation, a write-right epoch, the host's page contents, a
 * cache line's version) and use C11 atomics directly. A strategy that
 * prunes an order of two steps because they touch different words
 * (engine/bounded.c) must see those words too, or it would take a vCPU's
 * use of a freed frame and the free for independent and skip the order
 * that shows the bug. Each form is its C11 namesake with the access
 * noted first; p is evaluated twice, so it must have no side effects.
 */
#ifndef LOSTFLUSH_SHARED_H
#define LOSTFLUSH_SHARED_H

#include <stdatomic.h>

#include "footprint.h"

#define shared_load(p) (footprint_note((p), false), atomic_load(p))
#define shared_store(p, v) (footprint_note((p), true), atomic_store((p), (v)))
#define shared_load_explicit(p, mo) (footprint_note((p), false), atomic_load_explicit((p), (mo)))
#define shared_store_explicit(p, v, mo) \
	(footprint_note((p), true), atomic_store_explicit((p), (v), (mo)))
#define shared_exchange_explicit(p, v, mo) \
	(footprint_note((p), true), atomic_exchange_explicit((p), (v), (mo)))
#define shared_exchange(p, v) (footprint_note((p), true), atomic_exchange((p), (v)))
#define shared_fetch_add_explicit(p, v, mo) \
	(footprint_note((p), true), atomic_fetch_add_explicit((p), (v), (mo)))
#define shared_fetch_sub_explicit(p, v, mo) \
	(footprint_note((p), true), atomic_fetch_sub_explicit((p), (v), (mo)))
#define shared_fetch_add(p, v) (footprint_note((p), true), atomic_fetch_add((p), (v)))
#define shared_fetch_and(p, v) (footprint_note((p), true), atomic_fetch_and((p), (v)))
#define shared_compare_exchange_weak_explicit(p, e, v, s, f) \
	(footprint_note((p), true), atomic_compare_exchange_weak_explicit((p), (e), (v), (s), (f)))

/* A deliberately plain access of a buggy variant (the data race
 * ThreadSanitizer must see), told to the footprint all the same. */
#define plain_read(x) (footprint_note(&(x), false), (x))
#define plain_write(x, v) (footprint_note(&(x), true), (x) = (v))

#endif
