// SPDX-License-Identifier: GPL-2.0
/*
 * Spinlocks and RCU for litmus threads, on the controlled scheduler: a
 * thread that must wait says so with ctl_wait_until() (engine/ctl.h) and
 * is not scheduled until it can go on, so a wait never spins and a test
 * that cannot finish is reported as a deadlock.
 *
 * spin_lock(): a cmpxchg() of the lock word from 0 to 1, waiting while it
 * is held. The successful cmpxchg() is fully ordered, stronger than the
 * kernel's acquire (tools/memory-model/Documentation/locking.txt).
 * spin_unlock(): a release store of 0, then every earlier store of the
 * thread visible (the memory model's lock release, engine/memmodel.h),
 * stronger than the kernel's release.
 *
 * RCU (Documentation/RCU/Design/Requirements/Requirements.rst, "Grace-
 * Period Guarantee"): synchronize_rcu() is an smp_mb(), a wait for every
 * read-side critical section that had begun when it started, and an
 * smp_mb(). rcu_read_lock() lets the loads after it see every store
 * visible (an smp_rmb() against everything: a section that begins after a
 * grace period began sees what preceded that grace period) and
 * rcu_read_unlock() makes the section's stores visible before the waiter
 * can see it end. LKMM makes both only compiler barriers and derives the
 * guarantee from its rcu-order relations; these are stronger
 * (docs/model.md).
 */
#include <stdio.h>

#include "../engine/bitops.h"
#include "../engine/ctl.h"
#include "../engine/shared.h"
#include "subject.h"

static void wait_until(struct litmus_subject *s, int th, bool (*pred)(void *), void *arg)
{
	ctl_wait_until(lostflush_ctl, th, pred, arg, s->waiting_for[th]);
}

static bool lock_free(void *arg)
{
	return shared_load_explicit((_Atomic uint64_t *)arg, memory_order_relaxed) == 0;
}

void litmus_spin_lock(struct litmus_subject *s, int th, int loc)
{
	_Atomic uint64_t *lock = &s->cell[loc];

	snprintf(s->waiting_for[th], sizeof(s->waiting_for[th]), "spin_lock(%s)",
		 s->test->locs[loc].name);
	while (cmpxchg(lock, (uint64_t)0, (uint64_t)1) != 0)
		wait_until(s, th, lock_free, (void *)lock);
}

bool litmus_spin_trylock(struct litmus_subject *s, int th, int loc)
{
	(void)th;
	return cmpxchg(&s->cell[loc], (uint64_t)0, (uint64_t)1) == 0;
}

void litmus_spin_unlock(struct litmus_subject *s, int th, int loc)
{
	(void)th;
	smp_store_release(&s->cell[loc], (uint64_t)0);
	mm_release_all();
}

/* The read-side bookkeeping is plain (only the running fiber touches it)
 * but shared with synchronize_rcu()'s wait: told to the footprint, or the
 * search with sleep sets would take a reader's entry and a grace period's
 * start for independent. */
void litmus_rcu_read_lock(struct litmus_subject *s, int th)
{
	footprint_note(&s->rcu_nesting[th], true);
	if (!s->rcu_nesting[th]++)
		mm_acquire_all();
}

void litmus_rcu_read_unlock(struct litmus_subject *s, int th, int line, int col)
{
	if (!s->rcu_nesting[th])
		litmus_fatal(s, line, col,
			     "P%d calls rcu_read_unlock() outside a read-side "
			     "critical section",
			     th);
	mm_release_all();
	footprint_note(&s->rcu_nesting[th], true);
	footprint_note(&s->rcu_sections[th], true);
	if (!--s->rcu_nesting[th])
		s->rcu_sections[th]++;
}

/* Every section the grace period waits for has ended. */
static bool readers_done(void *arg)
{
	const struct litmus_grace_period *gp = arg;

	for (int t = 0; t < gp->s->test->nr_threads; t++) {
		footprint_note(&gp->s->rcu_sections[t], false);
		if (gp->waits[t] && gp->s->rcu_sections[t] == gp->section[t])
			return false;
	}
	return true;
}

void litmus_synchronize_rcu(struct litmus_subject *s, int th, int line, int col)
{
	struct litmus_grace_period *gp = &s->gp[th];

	if (s->rcu_nesting[th])
		litmus_fatal(s, line, col,
			     "P%d calls synchronize_rcu() inside a read-side "
			     "critical section: it would wait for itself",
			     th);
	smp_mb();
	gp->s = s;
	for (int t = 0; t < s->test->nr_threads; t++) {
		footprint_note(&s->rcu_nesting[t], false);
		footprint_note(&s->rcu_sections[t], false);
		gp->waits[t] = s->rcu_nesting[t] > 0;
		gp->section[t] = s->rcu_sections[t];
	}
	snprintf(s->waiting_for[th], sizeof(s->waiting_for[th]), "synchronize_rcu()");
	wait_until(s, th, readers_done, gp);
	smp_mb();
}
