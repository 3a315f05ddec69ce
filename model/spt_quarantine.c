// SPDX-License-Identifier: GPL-2.0
/*
 * Freed page tables, poisoned and held back from malloc for a while.
 *
 * A table freed while a walker is still inside it (a retirement that did
 * not wait for its grace period) is a use-after-free that plain runs do
 * not show: free() hands the page straight back, the next table allocated
 * for the same range is very often that page, and the late walker's load
 * or store lands where a live walker's would. So a freed table goes
 * through what the kernel's debug allocators do with a freed object: every
 * entry is overwritten with a poison no real PTE has (SLUB's POISON_FREE,
 * include/linux/poison.h), and the page is kept in a FIFO quarantine of
 * the last SPT_QUARANTINE_TABLES freed tables (KASAN's quarantine,
 * mm/kasan/quarantine.c: kasan_quarantine_put(), and quarantine_reduce()
 * freeing the oldest), really freed only when it leaves. A walker that
 * reads the poison reports walker-used-freed-table
 * (spt_walked_freed_table()) instead of following it.
 *
 * The quarantine is the process's, as malloc is: retired tables are freed
 * on liburcu's callback thread in free mode and on the controlling thread
 * at the end of a controlled execution, so the FIFO takes a lock.
 */
#include "spt.h"

#include <pthread.h>
#include <stdlib.h>

#include "../engine/shared.h"
#include "../oracle/oracle.h"

/* Long enough that a walker that lost its grace period reads the poison
 * before the page can come back from malloc (the walk is microseconds,
 * freeing 64 more tables takes many collapses), short enough to cost
 * 256 KiB. */
#define SPT_QUARANTINE_TABLES 64

static pthread_mutex_t quarantine_lock = PTHREAD_MUTEX_INITIALIZER;
static struct spt_table *quarantine[SPT_QUARANTINE_TABLES];
static unsigned quarantine_oldest, quarantine_used;

/* Every entry: a relaxed atomic store, since the walker this is meant to
 * catch may be reading the entry at this very moment. */
static void spt_poison_table(struct spt_table *t)
{
	for (int i = 0; i < SPTE_ENT_PER_PAGE; i++)
		shared_store_explicit(&t->spte[i], SPTE_POISON, memory_order_relaxed);
}

void spt_quarantine_table(struct spt_table *t)
{
	struct spt_table *evicted = NULL;

	spt_poison_table(t);
	pthread_mutex_lock(&quarantine_lock);
	if (quarantine_used == SPT_QUARANTINE_TABLES) {
		evicted = quarantine[quarantine_oldest];
		quarantine[quarantine_oldest] = t;
		quarantine_oldest = (quarantine_oldest + 1) % SPT_QUARANTINE_TABLES;
	} else {
		quarantine[(quarantine_oldest + quarantine_used++) % SPT_QUARANTINE_TABLES] = t;
	}
	pthread_mutex_unlock(&quarantine_lock);
	free(evicted);
}

void spt_quarantine_drain(void)
{
	pthread_mutex_lock(&quarantine_lock);
	while (quarantine_used) {
		free(quarantine[quarantine_oldest]);
		quarantine_oldest = (quarantine_oldest + 1) % SPT_QUARANTINE_TABLES;
		quarantine_used--;
	}
	pthread_mutex_unlock(&quarantine_lock);
}

bool spt_walked_freed_table(uint64_t pte, gfn_t gfn, int level)
{
	if (pte != SPTE_POISON)
		return false;
	oracle_report_freed_table_walk(gfn, level);
	return true;
}
