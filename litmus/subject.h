/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A litmus test as the engine's subject (engine/subject.h): one fiber per
 * P<n> interprets its thread's statements (litmus/exec.c) on shared
 * locations that go through the memory model like the KVM model's do, and
 * each execution's final state is counted (litmus/outcome.c).
 */
#ifndef LOSTFLUSH_LITMUS_SUBJECT_H
#define LOSTFLUSH_LITMUS_SUBJECT_H

#include <stdatomic.h>

#include "../engine/run.h"
#include "litmus.h"
#include "outcome.h"

/* A synchronize_rcu() waiting: for each other thread, whether it was in a
 * read-side critical section when the grace period started, and which of
 * its sections that was. */
struct litmus_grace_period {
	struct litmus_subject *s;
	bool waits[LITMUS_MAX_THREADS];
	uint64_t section[LITMUS_MAX_THREADS];
};

struct litmus_subject {
	const struct litmus_test *test;
	const char *path; /* for a message */
	/* The shared locations, one 8-byte word each. */
	_Atomic uint64_t cell[LITMUS_MAX_LOCS];
	int64_t regs[LITMUS_MAX_THREADS][LITMUS_MAX_REGS];
	uint32_t steps[LITMUS_MAX_THREADS]; /* statements begun */
	/* RCU read-side state: nesting depth, and sections ended. Not
	 * modelled memory: the scheduler's wait predicates read it. */
	int rcu_nesting[LITMUS_MAX_THREADS];
	uint64_t rcu_sections[LITMUS_MAX_THREADS];
	struct litmus_grace_period gp[LITMUS_MAX_THREADS];
	char waiting_for[LITMUS_MAX_THREADS][64]; /* a deadlock report's words */
	struct litmus_outcomes outcomes;
};

extern const struct subject_ops litmus_subject_ops;

/* A subject for test t (read from path); NULL without memory. */
struct litmus_subject *litmus_subject_new(const struct litmus_test *t, const char *path);
void litmus_subject_free(struct litmus_subject *s);
/* One worker per thread, P0 first. */
void litmus_add_workers(struct run *run);

/* The address of location loc, as a register or a cell holds it. */
static inline int64_t litmus_addr(const struct litmus_subject *s, int loc)
{
	return (int64_t)(uintptr_t)&s->cell[loc];
}
/* The location at address a; -1 if a is none. */
int litmus_loc_at(const struct litmus_subject *s, int64_t a);

/* Thread th runs its body (litmus/exec.c). */
void litmus_exec_thread(struct litmus_subject *s, int th);

/* The kernel's locks and RCU, on the controlled scheduler
 * (litmus/sync.c). */
void litmus_spin_lock(struct litmus_subject *s, int th, int loc);
void litmus_spin_unlock(struct litmus_subject *s, int th, int loc);
bool litmus_spin_trylock(struct litmus_subject *s, int th, int loc);
void litmus_rcu_read_lock(struct litmus_subject *s, int th);
void litmus_rcu_read_unlock(struct litmus_subject *s, int th, int line, int col);
void litmus_synchronize_rcu(struct litmus_subject *s, int th, int line, int col);

/* The test cannot go on: what it did wrong, at its line and column;
 * exits 2 (the test, not the harness, is at fault). */
__attribute__((noreturn, format(printf, 4, 5))) void
litmus_fatal(const struct litmus_subject *s, int line, int col, const char *fmt, ...);

#endif
