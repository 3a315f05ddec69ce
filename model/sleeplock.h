/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A sleeping lock of the kernel's (a mutex, a rw_semaphore taken for
 * write) that only the model's writers take: a pthread mutex on real
 * threads, a predicate the controlled scheduler evaluates on fibers, as
 * mmu_lock is (model/mmu_lock.c). kvm->slots_lock and a guest_memfd's
 * filemap_invalidate_lock are such locks.
 */
#ifndef LOSTFLUSH_SLEEPLOCK_H
#define LOSTFLUSH_SLEEPLOCK_H

#include <pthread.h>
#include <stdbool.h>

struct sleeplock {
	pthread_mutex_t mutex;
	bool ctl_held;
	const char *name; /* for a waiting fiber's state */
};

void sleeplock_init(struct sleeplock *l, const char *name);
void sleeplock_destroy(struct sleeplock *l);
/* With a schedule point before it, as mmu_lock(). */
void sleeplock_lock(struct sleeplock *l);
void sleeplock_unlock(struct sleeplock *l);

#endif
