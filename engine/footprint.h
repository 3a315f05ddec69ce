/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Footprints: which shared words a step of a controlled execution touched,
 * and how (read or write). A step is what a fiber does between two of its
 * schedule points.
 *
 * The schedulers that reason about conflicts need them: POS re-draws the
 * priority of a fiber whose next step races with the one just run, SURW
 * weighs the steps that touch words more than one fiber touches, and the
 * bounded search's sleep sets skip an order of two steps only when their
 * footprints do not conflict (engine/pos.c, engine/surw.c,
 * engine/bounded.c). The other strategies never read them, so noting is
 * off unless one of these runs (lostflush_footprints), and then every
 * shared access tells: the kernel-named primitives through the memory
 * model (engine/memmodel.c), the model's direct C11 atomics through
 * engine/shared.h.
 *
 * A footprint holds FP_MAX words; a step that touches more is marked
 * overflowed and conflicts with every other: a missed word could hide a
 * conflict, an extra one only costs a pruned order.
 */
#ifndef LOSTFLUSH_FOOTPRINT_H
#define LOSTFLUSH_FOOTPRINT_H

#include <stdbool.h>
#include <stdint.h>

#define FP_MAX 24

struct fp_access {
	uintptr_t addr;
	bool write;
};

struct footprint {
	uint8_t n;
	bool overflow;
	struct fp_access a[FP_MAX];
};

/* Noting is on: a controlled strategy that reads footprints runs. */
extern bool lostflush_footprints;

/* The running fiber's step touched p (a write if `write`). */
void footprint_note_slow(const volatile void *p, bool write);

static inline void footprint_note(const volatile void *p, bool write)
{
	if (__builtin_expect(lostflush_footprints, 0))
		footprint_note_slow(p, write);
}

static inline void footprint_clear(struct footprint *f)
{
	f->n = 0;
	f->overflow = false;
}

/* Add one access to f (a word already read and now written becomes a
 * write). */
void footprint_add(struct footprint *f, uintptr_t addr, bool write);
/* Two steps conflict when one writes a word the other touches. */
bool footprints_conflict(const struct footprint *a, const struct footprint *b);

#endif
