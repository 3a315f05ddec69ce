// SPDX-License-Identifier: GPL-2.0
/* Page tables taken out of the tree, freed after a grace period. */
#include "spt.h"

#include <stdlib.h>
#include <urcu/urcu-memb.h>

#include "../engine/check.h"
#include "../engine/sched.h"
#include "../engine/shared.h"
#include "../engine/thread.h"

#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define SPT_TSAN 1
#endif
#endif
#ifdef __SANITIZE_THREAD__
#define SPT_TSAN 1
#endif

#ifdef SPT_TSAN
#include <sanitizer/tsan_interface.h>
#define spt_tsan_release(p) __tsan_release(p)
#define spt_tsan_acquire(p) __tsan_acquire(p)
#else
#define spt_tsan_release(p) ((void)(p))
#define spt_tsan_acquire(p) ((void)(p))
#endif

/*
 * A page table and its bookkeeping (upstream struct kvm_mmu_page: sp->spt
 * and sp->rcu_head). The table comes first, so the table's address is the
 * page's, and an RCU callback finds the table without reading memory.
 */
/* A retired table's bookkeeping, allocated only when it is retired, so a
 * live table costs its 4 KiB page and nothing more. */
struct spt_page {
	struct rcu_head rcu;
	struct spt_table *table;
	struct spt_page *next_retired;
	struct thread_ctx *retired_by; /* counts the free */
};

/* ---- Retired page tables -------------------------------------------------
 *
 * Free mode: a retired table goes to liburcu's call_rcu() and is freed on
 * its helper thread after a grace period. Software walkers (the fault path
 * under a read-held mmu_lock, the lockless fast page fault, the zap walk)
 * run inside spt_rcu_read_lock(), so the grace period waits for every one
 * of them that may still be inside the table. The vCPUs' hardware walks
 * run in guest mode, in no read-side section: a remote flush, which waits
 * for every vCPU to leave guest mode, is what ends them, and that is why
 * the caller flushes before it retires the table (fcb93eb6d09d).
 *
 * Controlled modes: every fiber runs on the controlling thread, one at a
 * time, so liburcu would see one reader whose sections interleave, and a
 * grace period would end at a moment set by real time on another thread:
 * not part of the schedule, so not replayable. No fiber may block waiting
 * for it either (synchronize_rcu() would wait for fibers that cannot run).
 * So there read-side sections are empty, and a retired table waits on
 * kvm->retired until the execution is over: every fiber has returned, no
 * walker of any kind is left, and kvm_free_retired_tables() frees it.
 *
 * ThreadSanitizer: Debian's liburcu 0.13 is not instrumented, so TSan sees
 * neither the grace period nor the hand-off to the helper thread. The two
 * edges RCU guarantees are annotated instead: the retiring thread releases
 * the table when it hands it over and the callback acquires it, and every
 * read-side section releases spt_rcu_readers when it ends, which the
 * callback acquires (the grace period saw every such reader quiescent).
 * A hardware walk is in no section: only the flush orders it before the
 * free, so a free that comes before the flush is still a race to TSan.
 */
static _Thread_local bool rcu_registered;
#ifdef SPT_TSAN
static char spt_rcu_readers;
#endif

void spt_rcu_register_thread(void)
{
	if (rcu_registered)
		return;
	urcu_memb_register_thread();
	rcu_registered = true;
}

void spt_rcu_unregister_thread(void)
{
	if (!rcu_registered)
		return;
	urcu_memb_unregister_thread();
	rcu_registered = false;
}

void spt_rcu_read_lock(void)
{
	if (lostflush_ctl)
		return;
	spt_rcu_register_thread();
	urcu_memb_read_lock();
}

void spt_rcu_read_unlock(void)
{
	if (lostflush_ctl)
		return;
#ifdef SPT_TSAN
	spt_tsan_release(&spt_rcu_readers);
#endif
	urcu_memb_read_unlock();
}

/* Tables handed to call_rcu() whose callback has not run yet. */
static _Atomic long rcu_callbacks_pending;

/*
 * rcu_barrier() for the tables alone. liburcu's own allocates its
 * completion on this thread and frees it on the helper thread, a hand-off
 * ThreadSanitizer cannot see in the uninstrumented library; a count the
 * callbacks drop with a release and this loop reads with an acquire is a
 * hand-off it sees, and it also orders each callback's counting before the
 * run adds the counters up.
 */
void spt_rcu_barrier(void)
{
	const struct timespec nap = { 0, 100L * 1000 };

	HARNESS_ASSERT(!rcu_registered || !urcu_memb_read_ongoing(),
		       "waiting for a grace period inside a read-side section");
	while (shared_load_explicit(&rcu_callbacks_pending, memory_order_acquire))
		nanosleep(&nap, NULL);
}

static void count_table_freed(struct thread_ctx *by)
{
	if (by)
		atomic_fetch_add_explicit(&by->counters.v[CNT_TABLES_FREED], 1,
					  memory_order_relaxed);
}

/* A retired table is poisoned and quarantined rather than freed: a walker
 * that was still inside it when it went, which only a retirement that
 * skipped its grace period allows, reads the poison and is reported
 * (model/spt_quarantine.c). Upstream's tdp_mmu_free_sp() and
 * kvm_pgtable_stage2_free_unlinked() hand the page back to the page
 * allocator. */
static void spt_page_free(struct spt_page *sp)
{
	count_table_freed(sp->retired_by);
	spt_quarantine_table(sp->table);
	free(sp);
}

/* tdp_mmu_free_sp_rcu_callback(): a grace period has passed. */
static void spt_free_rcu_callback(struct rcu_head *head)
{
	struct spt_page *sp = caa_container_of(head, struct spt_page, rcu);

	spt_tsan_acquire(sp);
#ifdef SPT_TSAN
	spt_tsan_acquire(&spt_rcu_readers);
#endif
	spt_page_free(sp);
	/* Release: spt_rcu_barrier() sees the free and the count. */
	shared_fetch_sub_explicit(&rcu_callbacks_pending, 1, memory_order_release);
}

void spt_retire_table(struct kvm *kvm, struct spt_table *t)
{
	struct spt_page *sp = calloc(1, sizeof(*sp));

	HARNESS_NEED(sp, "memory", "retiring an SPTE table");
	sp->table = t;
	sp->retired_by = current_thread;
	if (lostflush_ctl) {
		sp->next_retired = kvm->retired;
		kvm->retired = sp;
		return;
	}
	/* Counted before the hand-off, or a barrier could miss it. */
	shared_fetch_add(&rcu_callbacks_pending, 1);
	/* Everything this thread did to the table and its bookkeeping happens
	 * before the callback: the hand-off liburcu 0.13 hides from TSan. */
	spt_tsan_release(sp);
	urcu_memb_call_rcu(&sp->rcu, spt_free_rcu_callback);
}

/* A plain free(): a table no walk ever reached (a lost install race), or
 * a buggy variant's table freed before its flush, which only
 * ThreadSanitizer is asked to see. */
void spt_free_table_now(struct spt_table *t)
{
	count_table_freed(current_thread);
	free(t);
}

void kvm_free_retired_tables(struct kvm *kvm)
{
	while (kvm->retired) {
		struct spt_page *sp = kvm->retired;

		kvm->retired = sp->next_retired;
		spt_page_free(sp);
	}
}
