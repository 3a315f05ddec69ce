// SPDX-License-Identifier: GPL-2.0
#include "sleeplock.h"

#include "../engine/ctl.h"
#include "../engine/memmodel.h"
#include "../engine/sched.h"
#include "../engine/thread.h"

void sleeplock_init(struct sleeplock *l, const char *name)
{
	pthread_mutex_init(&l->mutex, NULL);
	l->ctl_held = false;
	l->name = name;
}

void sleeplock_destroy(struct sleeplock *l)
{
	pthread_mutex_destroy(&l->mutex);
}

static bool unlocked(void *arg)
{
	return !((const struct sleeplock *)arg)->ctl_held;
}

void sleeplock_lock(struct sleeplock *l)
{
	sched_point();
	if (!lostflush_ctl) {
		pthread_mutex_lock(&l->mutex);
		return;
	}
	ctl_wait_until(lostflush_ctl, current_thread->index, unlocked, l, l->name);
	l->ctl_held = true;
}

void sleeplock_unlock(struct sleeplock *l)
{
	if (!lostflush_ctl) {
		pthread_mutex_unlock(&l->mutex);
		return;
	}
	/* A release, as mutex_unlock() is: what the holder stored is visible
	 * to the next holder (ctl_wait_until() acquires). */
	mm_release_all();
	l->ctl_held = false;
}
