// SPDX-License-Identifier: GPL-2.0
/*
 * invlpg-defer: deferring the remote flush of a guest invlpg through
 * remote_tlbs_dirty (seed 004, "KVM: Defer remote tlb flushes on invlpg",
 * 2009; merged as the tlbs_dirty counter in a4ee1ca4a36e, 2010; removed in
 * 2021 after a missed flush).
 *
 * A guest invlpg zaps one SPTE and flushes only the local TLB; other vCPUs
 * may still cache the translation. That is harmless until the host frees
 * the frame, so whoever frees it (the MMU notifier) must flush if the remote
 * TLBs are marked dirty. The race every buggy variant loses:
 *
 *   F  flusher          Z  zapper (v2 invlpg)   N  notifier        v1
 *   ------------------  ----------------------  -----------------  --------------------
 *   request flush ----------------------------------------------> flush TLB, re-walk,
 *                                                                  cache G->P again
 *                       zap S(G->P)
 *                       local flush only
 *                       mark dirty
 *   clear mark   <- the mark Z set is wiped
 *                                               unmap P: no SPTE,
 *                                               mark clear: no flush
 *                                               free P
 *                                                                  use G->P  !!! stale
 *
 * Two families of fixes, each with the buggy forms beside it:
 *
 * Bit form (set_bit / test_and_clear_bit, as Andrea Arcangeli asked):
 *   fixed                  every test_and_clear_bit-then-flush runs with mmu_lock
 *                          held for write, and every consumer tests the bit under
 *                          mmu_lock. A consumer that finds the bit clear then knows
 *                          whoever cleared it has finished flushing.
 *   plain-flag             the seed's v2: a plain bool, cleared before the flush by
 *                          flushers outside mmu_lock and read by the notifier after
 *                          dropping it. ThreadSanitizer reports the data race; the
 *                          oracle sees the consequence: N reads "clear" while the
 *                          flusher that cleared it has not finished its flush.
 *   clear-after-request    a flusher outside mmu_lock requests, then clears.
 *   notifier-ignores-flag  the v1 patch: the notifier flushes only if it zapped.
 *
 * Counter form (a4ee1ca4a36e): zappers count, flushers snapshot the count,
 * flush, and settle the snapshot, so a mark made during the flush survives
 * it. Zappers here run concurrently under a read-held mmu_lock (Ben Gardon's
 * 2019 concurrent-zap configuration); the dirty-log flusher runs outside it.
 *   fixed-counter          zap; smp_wmb(); atomic inc  |  snap; smp_mb(); flush;
 *                          tlbs_flushed = max(tlbs_flushed, snap). Never reset.
 *   counter-reset          a4ee1ca4a36e as merged: cmpxchg(snap, 0). With two
 *                          flushers in flight the count can come back to a
 *                          snapshot (ABA), drawn at the counter code below.
 *   late-snapshot          the snapshot taken after the flush: a mark made
 *                          during the flush is settled unflushed.
 *   missing-wmb            the increment may become visible before the zap. On
 *                          x86 smp_wmb() is a compiler barrier and stores are not
 *                          reordered with stores, so only modelled store buffers
 *                          with weak ordering can show it; free mode cannot.
 *   nonatomic-inc          dirty++ as load and store under a read-held lock:
 *
 *     Za (v2)            Zb (v3)           F flusher              v1
 *     zap A; load 0
 *                        zap B; load 0
 *                        store 1
 *                                          snap = 1; flush -----> re-walk, cache C
 *                        zap C; load 1
 *                        store 2
 *     store 1  <- overwrites C's mark with the snapshot's value
 *                                          settle 1: C never flushed
 *     N: unmap C's frame, nothing pending, no flush, free           use C  !!! stale
 */
#include "scenario.h"

#include "../engine/shared.h"
#include "../model/request.h"
#include "../engine/cover.h"
#include "../engine/memmodel.h"
#include "../engine/sched.h"
#include "../engine/thread.h"
#include "../workers/workers.h"

/*
 * The deferred-flush state, in every form the variants need: the bit
 * (set_bit / test_and_clear_bit); the counter of a4ee1ca4a36e (snapshot,
 * request, cmpxchg to 0) and its never-reset form, where tlbs_flushed is
 * the highest snapshot a completed flush covered; and the seed's plain
 * bool, which is deliberately not atomic so ThreadSanitizer can see its
 * race. Upstream they were fields of struct kvm; here they are the
 * scenario's, made with each VM (flush_policy.state_size).
 */
struct deferred {
	atomic_bitmap remote_tlbs_dirty __attribute__((aligned(64)));
	_Atomic long tlbs_dirty;
	_Atomic long tlbs_flushed;
	bool plain_remote_tlbs_dirty;
};

static struct deferred *deferred(struct kvm *kvm)
{
	return kvm->policy_state;
}

static void name_deferred(void *state)
{
	struct deferred *d = state;

	mm_name(&d->remote_tlbs_dirty, "remote_tlbs_dirty");
	mm_name(&d->tlbs_dirty, "tlbs_dirty");
	mm_name(&d->tlbs_flushed, "tlbs_flushed");
}

/* For the state search: the bit and the plain flag, the count and how far
 * it is ahead of what flushes settled, each capped at 3 (a count of 7 is
 * no different from 3 for a lost flush). */
static uint64_t deferred_signature(const void *state, uint64_t h)
{
	const struct deferred *d = state;
	long dirty = atomic_load_explicit(&d->tlbs_dirty, memory_order_relaxed);
	long flushed = atomic_load_explicit(&d->tlbs_flushed, memory_order_relaxed);

	h = cover_mix(h, atomic_load_explicit(&d->remote_tlbs_dirty, memory_order_relaxed));
	return cover_mix(h, cover_clamp(dirty, 3) | cover_clamp(dirty - flushed, 3) << 4 |
				    (uint64_t)d->plain_remote_tlbs_dirty << 8);
}

/* Every policy of this scenario keeps the deferred state. */
#define DEFERRED_STATE                                                      \
	.state_size = sizeof(struct deferred), .name_state = name_deferred, \
	.state_signature = deferred_signature

#define REMOTE_TLBS_DIRTY 0 /* bit number in remote_tlbs_dirty */

/* ---- Bit form ------------------------------------------------------------ */

static void bit_mark(struct kvm *kvm)
{
	set_bit(REMOTE_TLBS_DIRTY, &deferred(kvm)->remote_tlbs_dirty);
	trace(TR_MARK_DIRTY, TRACE_NO_GFN, 1);
}

/* Caller holds mmu_lock for write: nobody can observe the cleared bit until
 * the flush it stands for has completed. */
static void bit_flush(struct kvm *kvm)
{
	test_and_clear_bit(REMOTE_TLBS_DIRTY, &deferred(kvm)->remote_tlbs_dirty);
	trace(TR_CLEAR_DIRTY, TRACE_NO_GFN, 0);
	sched_window();
	kvm_flush_remote_tlbs(kvm);
}

/* kvm_flush_remote_tlbs_cond(); mmu_lock held for write. The bit is tested
 * and cleared whether or not this path zapped, so the flush settles it. */
static void bit_flush_cond(struct kvm *kvm, bool zapped)
{
	bool dirty = test_and_clear_bit(REMOTE_TLBS_DIRTY, &deferred(kvm)->remote_tlbs_dirty);

	if (dirty)
		trace(TR_CLEAR_DIRTY, TRACE_NO_GFN, 0);
	if (zapped || dirty)
		kvm_flush_remote_tlbs(kvm);
	else
		trace(TR_SKIP_FLUSH, TRACE_NO_GFN, 0);
}

/* The bit form's fixed policy: each bit variant is only what it changes. */
#define BIT_POLICY                                                                      \
	.vcpu_lock = MMU_LOCK_WRITE, .mark_remote_dirty = bit_mark, .flush = bit_flush, \
	.flush_cond = bit_flush_cond, .notifier_locked = bit_flush_cond,                \
	.notifier_unlocked = flush_policy_nop, .dirty_log_flushes_under_lock = true,    \
	DEFERRED_STATE

static const struct flush_policy bit_fixed = { BIT_POLICY };

/* clear-before-request: the seed v2's order with the bit, the dirty-log
 * flusher outside mmu_lock: a notifier under the lock finds the bit clear
 * while that flush is in flight, skips its own and frees the page. */
static const struct flush_policy bit_clear_before_request = {
	BIT_POLICY,
	.dirty_log_flushes_under_lock = false,
};

/* plain-flag: the seed's v2, a plain bool. The accesses are deliberately
 * not atomic: this is the data race ThreadSanitizer must report. */
static void plain_mark(struct kvm *kvm)
{
	plain_write(deferred(kvm)->plain_remote_tlbs_dirty, true);
	trace(TR_MARK_DIRTY, TRACE_NO_GFN, 1);
}

static void plain_flush(struct kvm *kvm)
{
	plain_write(deferred(kvm)->plain_remote_tlbs_dirty, false);
	trace(TR_CLEAR_DIRTY, TRACE_NO_GFN, 0);
	/* The posted wmb(): the clear before the request. It orders the two
	 * stores, but nothing makes the notifier wait for the flush the clear
	 * stands for. */
	smp_wmb();
	sched_window();
	kvm_flush_remote_tlbs(kvm);
}

static void plain_flush_cond(struct kvm *kvm, bool zapped)
{
	if (!zapped) {
		/* The posted rmb(), pairing with the wmb() above; it cannot
		 * help a reader that runs between the clear and the flush. */
		smp_rmb();
		zapped = plain_read(deferred(kvm)->plain_remote_tlbs_dirty);
	}
	if (zapped)
		plain_flush(kvm);
	else
		trace(TR_SKIP_FLUSH, TRACE_NO_GFN, 0);
}

static const struct flush_policy bit_plain_flag = {
	BIT_POLICY,
	.mark_remote_dirty = plain_mark,
	.flush = plain_flush,
	.flush_cond = plain_flush_cond,
	.notifier_locked = flush_policy_nop,
	.notifier_unlocked = plain_flush_cond, /* after spin_unlock(), as posted */
	.dirty_log_flushes_under_lock = false,
};

/* clear-after-request: the 2009 dirty-log flusher, outside mmu_lock, sends
 * the request and only then clears the bit. */
static void bit_flush_clear_after_request(struct kvm *kvm)
{
	kvm_flush_remote_tlbs(kvm);
	sched_window();
	clear_bit(REMOTE_TLBS_DIRTY, &deferred(kvm)->remote_tlbs_dirty);
	trace(TR_CLEAR_DIRTY, TRACE_NO_GFN, 0);
}

static const struct flush_policy bit_clear_after_request = {
	BIT_POLICY,
	.flush = bit_flush_clear_after_request,
	.dirty_log_flushes_under_lock = false,
};

/* notifier-ignores-flag: the v1 patch; the notifier flushes only for what it
 * zapped itself. */
static void notifier_zapped_only(struct kvm *kvm, bool zapped)
{
	if (zapped)
		kvm_flush_remote_tlbs(kvm);
	else
		trace(TR_SKIP_FLUSH, TRACE_NO_GFN, 0);
}

static const struct flush_policy bit_notifier_ignores_flag = {
	BIT_POLICY,
	.notifier_locked = notifier_zapped_only,
};

/* ---- Counter form ---------------------------------------------------------
 *
 * Zappers count their marks in tlbs_dirty. a4ee1ca4a36e's flusher snapshots
 * the count, flushes, and cmpxchg()es the snapshot back to 0, so a mark made
 * during its flush survives it -- unless another flusher reset the count
 * meanwhile and exactly as many new marks brought it back to the snapshot:
 * then the cmpxchg succeeds and wipes marks it never flushed for (ABA). Two
 * flushers do overlap: the dirty-log path flushes outside mmu_lock while the
 * notifier and zappers flush inside it. That is variant counter-reset:
 *
 *   F (outside mmu_lock)     Z (zapper, inside)      v0 (invlpg)       v1
 *   snap = 34; flush -------------------------------------------------> ack
 *                            snap = 41; flush;
 *                            cmpxchg(41, 0): count 0
 *                                                    ... 33 marks ...  cache G->P
 *                                                    zap G; count 34
 *   cmpxchg(34, 0) succeeds: G's mark wiped
 *   N: unmap P, count 0, no flush, free P                               use G->P !!!
 *
 * The fixed form never resets the count: tlbs_dirty only grows, and a
 * flusher publishes in tlbs_flushed the highest snapshot it has flushed for
 * (an atomic max). Mark number k is settled only by a flush whose snapshot,
 * taken after the mark, is at least k; remote TLBs are dirty while
 * tlbs_dirty != tlbs_flushed. The other counter variants mutate this form.
 */

/* The count as memory holds it, for the trace alone. Read through the
 * store-buffer model, a load after atomic_long_inc() would drain the fiber's
 * buffer (an RMW that returns nothing cannot be forwarded): a full barrier
 * the kernel's atomic_long_inc() does not have, and the very ordering
 * missing-wmb needs to be without. */
static uint64_t count_for_trace(struct kvm *kvm)
{
	return (uint64_t)atomic_load_explicit(&deferred(kvm)->tlbs_dirty, memory_order_relaxed);
}

static void counter_mark(struct kvm *kvm)
{
	/* The zap must be visible before the count that stands for it: a
	 * flusher that snapshots the count must find the SPTE gone when its
	 * request makes vCPUs re-walk. */
	smp_wmb();
	atomic_long_inc(&deferred(kvm)->tlbs_dirty);
	trace(TR_MARK_DIRTY, TRACE_NO_GFN, count_for_trace(kvm));
}

static long counter_snapshot(struct kvm *kvm)
{
	long snap = smp_load_acquire(&deferred(kvm)->tlbs_dirty);

	trace(TR_SNAPSHOT, TRACE_NO_GFN, (uint64_t)snap);
	/* Orders the snapshot before the request: a mark counted after the
	 * snapshot may belong to a zap the request's re-walk misses. */
	smp_mb();
	return snap;
}

/* Publish that every mark up to snap is flushed: tlbs_flushed = max(). */
static void counter_settle(struct kvm *kvm, long snap)
{
	long seen = READ_ONCE(deferred(kvm)->tlbs_flushed);

	while (seen < snap) {
		long old = cmpxchg(&deferred(kvm)->tlbs_flushed, seen, snap);

		if (old == seen) {
			trace(TR_CLEAR_DIRTY, TRACE_NO_GFN, (uint64_t)snap);
			return;
		}
		seen = old;
	}
}

static void counter_flush(struct kvm *kvm)
{
	long snap = counter_snapshot(kvm);

	kvm_flush_remote_tlbs(kvm);
	sched_window();
	counter_settle(kvm, snap);
}

static bool counter_pending(struct kvm *kvm)
{
	/* tlbs_dirty first: a flush settling in between can only make the
	 * two differ, which costs a spare flush, never a lost one. */
	long dirty = READ_ONCE(deferred(kvm)->tlbs_dirty);

	return dirty != READ_ONCE(deferred(kvm)->tlbs_flushed);
}

static void counter_flush_cond(struct kvm *kvm, bool zapped)
{
	if (zapped || counter_pending(kvm))
		kvm->policy->flush(kvm);
	else
		trace(TR_SKIP_FLUSH, TRACE_NO_GFN, 0);
}

/* The counter form's fixed policy: each counter variant is only what it
 * changes. */
#define COUNTER_POLICY                                                                         \
	.vcpu_lock = MMU_LOCK_READ, .mark_remote_dirty = counter_mark, .flush = counter_flush, \
	.flush_cond = counter_flush_cond, .notifier_locked = counter_flush_cond,               \
	.notifier_unlocked = flush_policy_nop, .dirty_log_flushes_under_lock = false,          \
	DEFERRED_STATE

static const struct flush_policy counter_fixed = { COUNTER_POLICY };

/* counter-reset: kvm_flush_remote_tlbs() of a4ee1ca4a36e as merged. */
static void counter_flush_reset(struct kvm *kvm)
{
	long snap = counter_snapshot(kvm);

	kvm_flush_remote_tlbs(kvm);
	sched_window();
	if (cmpxchg(&deferred(kvm)->tlbs_dirty, snap, 0) == snap)
		trace(TR_CLEAR_DIRTY, TRACE_NO_GFN, (uint64_t)snap);
}

/* need_tlb_flush |= deferred(kvm)->tlbs_dirty, as the merged notifier has it. */
static void counter_reset_flush_cond(struct kvm *kvm, bool zapped)
{
	if (zapped || READ_ONCE(deferred(kvm)->tlbs_dirty))
		kvm->policy->flush(kvm);
	else
		trace(TR_SKIP_FLUSH, TRACE_NO_GFN, 0);
}

static const struct flush_policy counter_reset = {
	COUNTER_POLICY,
	.flush = counter_flush_reset,
	.flush_cond = counter_reset_flush_cond,
	.notifier_locked = counter_reset_flush_cond,
};

/* late-snapshot: the count is read after the flush. */
static void counter_flush_late_snapshot(struct kvm *kvm)
{
	kvm_flush_remote_tlbs(kvm);
	sched_window();
	counter_settle(kvm, counter_snapshot(kvm));
}

static const struct flush_policy counter_late_snapshot = {
	COUNTER_POLICY,
	.flush = counter_flush_late_snapshot,
};

/* missing-wmb: the count may be published before the zap is visible. */
static void counter_mark_missing_wmb(struct kvm *kvm)
{
	atomic_long_inc(&deferred(kvm)->tlbs_dirty);
	trace(TR_MARK_DIRTY, TRACE_NO_GFN, count_for_trace(kvm));
}

static const struct flush_policy counter_missing_wmb = {
	COUNTER_POLICY,
	.mark_remote_dirty = counter_mark_missing_wmb,
};

/* nonatomic-inc: `dirty++` by zappers that share a read-held mmu_lock. The
 * load and the store are each atomic (no C data race, so the oracle, not
 * ThreadSanitizer, must find it); the increment as a whole is not. */
static void counter_mark_nonatomic(struct kvm *kvm)
{
	long v;

	smp_wmb();
	v = READ_ONCE(deferred(kvm)->tlbs_dirty);
	sched_window();
	WRITE_ONCE(deferred(kvm)->tlbs_dirty, v + 1);
	trace(TR_MARK_DIRTY, TRACE_NO_GFN, (uint64_t)(v + 1));
}

static const struct flush_policy counter_nonatomic_inc = {
	COUNTER_POLICY,
	.mark_remote_dirty = counter_mark_nonatomic,
};

#define WORKLOAD_NONATOMIC_INC "invlpg=0.05,invalidate-us=200,flusher-us=200,zapper-us=5000"
/*
 * The deep counter races (counter-reset, missing-wmb, nonatomic-inc) run
 * controlled executions with more notifier unmaps and guest entries than
 * the scenario's one and eight. Each race's last two steps are an unmap
 * that skips its flush and a use of the stale entry; each more unmap and
 * entry is another chance for them to land once the counter has gone
 * wrong, where one unmap had to come exactly then. Each variant gives its
 * figures: --sched cover, how many seeds were caught within 100,000
 * executions, on seeds 1-20 (where the shape was chosen) and on later
 * seeds (where it was checked).
 */
/* The stalled increment must outlast a flusher's whole cycle. */
#define PERTURB_NONATOMIC_INC "window-boost=100,sleep-max-us=500"
/* A yield at every point inside a marked window (0.02 x 100 saturates),
 * so the window's threads interleave when others share their CPUs. */
#define PERTURB_YIELD_IN_WINDOWS "yield=0.02,window-boost=100"

/* ---- Variants -------------------------------------------------------------- */

static const struct scenario_variant variants[] = {
	{
		.name = "fixed",
		.summary = "bit form: test_and_clear_bit + flush only under mmu_lock (write)",
		.note = "consumers test the bit under mmu_lock; must run clean",
		.policy = &bit_fixed,
	},
	{
		.name = "plain-flag",
		.summary = "seed v2: plain bool, notifier reads it after dropping mmu_lock",
		.note = "ThreadSanitizer reports the data race on the flag; the oracle catches "
			"a notifier that trusts a flag cleared by a flush still in flight",
		.buggy = true,
		.claims.caught_by = DETECT_TSAN | DETECT_ORACLE | DETECT_PCT | DETECT_COVER,
		.claims.depth = { 2, DEPTH_EXACT },
		.policy = &bit_plain_flag,
		.controlled_workload = "zaps=0",
	},
	{
		.name = "clear-after-request",
		.summary = "flusher outside mmu_lock requests the flush, then clears the bit",
		.note = "a mark set during the flush is wiped; the notifier then frees a "
			"frame a vCPU still maps",
		.buggy = true,
		.claims.caught_by = DETECT_ORACLE | DETECT_RANDOM | DETECT_PCT | DETECT_COVER,
		.claims.depth = { 1, DEPTH_MORE_THAN },
		.claims.pct_depth = 5,
		.policy = &bit_clear_after_request,
		/* Free mode yields at every point inside the marked window:
		 * the race needs the flusher off its CPU between the request
		 * and the clear while a vCPU marks, which true parallelism
		 * gives on a quiet machine and time slices on a busy one do
		 * not (seeds 1-20 within 30 s at load 13: 7 caught with the
		 * defaults, 20 with the yields, slowest 7.3 s). */
		.perturb = PERTURB_YIELD_IN_WINDOWS,
		/* Without the zapper, whose flush only settles marks early,
		 * the execution is shorter and the race no rarer. */
		.controlled_workload = "zaps=0",
	},
	{
		.name = "notifier-ignores-flag",
		.summary = "seed v1: the notifier flushes only if its own unmap zapped",
		.note = "the page an invlpg zapped is freed while other TLBs map it",
		.buggy = true,
		.claims.caught_by = DETECT_ORACLE | DETECT_RANDOM | DETECT_PCT | DETECT_COVER,
		.claims.depth = { 1, DEPTH_EXACT },
		.policy = &bit_notifier_ignores_flag,
	},
	{
		.name = "clear-before-request",
		.summary =
			"bit form, flusher outside mmu_lock: test_and_clear_bit, then the request",
		.note = "the seed v2's order with the bit: a notifier that zapped nothing finds "
			"the bit clear while that flush is still in flight, skips its own "
			"flush and frees the page; random is not stated (8 of 20 seeds "
			"within 10 s)",
		.buggy = true,
		.claims.caught_by = DETECT_ORACLE | DETECT_PCT | DETECT_COVER,
		.claims.depth = { 2, DEPTH_EXACT },
		.policy = &bit_clear_before_request,
		/* As clear-after-request's: seeds 1-20 within 30 s at load
		 * 23-27, 13 caught with the default perturbation, 20 with the
		 * yields (slowest 4.3 s). */
		.perturb = PERTURB_YIELD_IN_WINDOWS,
		.controlled_workload = "zaps=0",
	},
	{
		.name = "fixed-counter",
		.summary = "zap; smp_wmb(); atomic inc | snapshot; flush; publish max(flushed, "
			   "snapshot)",
		.note = "a4ee1ca4a36e's counter made ABA-free: never reset; zappers share a "
			"read-held mmu_lock; must run clean",
		.policy = &counter_fixed,
	},
	{
		.name = "counter-reset",
		.summary = "a4ee1ca4a36e as merged: snapshot; flush; cmpxchg(snapshot, 0)",
		.note = "ABA: while one flusher is in flight another resets the count and new "
			"marks bring it back to the first one's snapshot, whose cmpxchg then "
			"wipes them; rare in free mode; random reaches its eight-step "
			"ordering (two flushes overlapping, a fill, a zap, the stale "
			"cmpxchg, the unmap, the use) in 8 of 20 seeds within 300,000 "
			"executions, pct in none, the state search (--sched cover) in 20 "
			"of 20 within 100,000; "
			"--replay scenarios/replays/invlpg-defer-counter-reset.json shows it",
		.buggy = true,
		.claims.caught_by = DETECT_ORACLE | DETECT_COVER,
		.claims.depth = { 1, DEPTH_MORE_THAN },
		/* Under weak, 13 of 20 seeds within 10 s. */
		.claims.cover_sc_only = true,
		.claims.rare_in_free_mode = true,
		.policy = &counter_reset,
		/* Caught: 20 of seeds 1-20, 19 of 21-40, 39 of 41-80; with
		 * the scenario's one unmap and eight entries 12, 17 and 23. */
		.controlled_workload = "invalidations=3,entries=10",
	},
	{
		.name = "late-snapshot",
		.summary = "count snapshotted after the flush request",
		.note = "a mark counted during the flush is settled without a flush after it",
		.buggy = true,
		.claims.caught_by = DETECT_ORACLE | DETECT_RANDOM | DETECT_PCT | DETECT_COVER,
		.claims.depth = { 1, DEPTH_MORE_THAN },
		.claims.pct_depth = 4,
		.policy = &counter_late_snapshot,
		/* As clear-after-request's: seeds 1-20 within 30 s at load
		 * 34, 11 caught with the default perturbation, 20 with the
		 * yields (slowest 10.6 s). */
		.perturb = PERTURB_YIELD_IN_WINDOWS,
		.controlled_workload = "zaps=0",
	},
	{
		.name = "missing-wmb",
		.summary = "count published without smp_wmb() after the zap",
		.note = "needs store buffers that reorder stores: on x86 smp_wmb() is only a "
			"compiler "
			"barrier and TSO keeps stores in order, so it cannot show under free "
			"mode or --memory sc|tso (clean there); under --memory weak the "
			"reordering is modelled, but the race also needs a flusher that "
			"snapshots while the zapper holds mmu_lock for read, and a vCPU "
			"that re-walks the still-present SPTE; random and pct have not "
			"reached it within 300,000 executions, the state search (--sched "
			"cover) following store reorderings reaches it within 100,000; "
			"--replay scenarios/replays/invlpg-defer-missing-wmb.json shows it",
		.buggy = true,
		.claims.caught_by = DETECT_STORE_BUFFERS | DETECT_COVER,
		.claims.depth = { 0, DEPTH_MORE_THAN },
		.claims.shows_from = MEM_WEAK,
		.policy = &counter_missing_wmb,
		/* Caught: 20 of seeds 1-20 and 36 of 21-60; with three
		 * unmaps 19 and 32; with the scenario's one 15 and 25. */
		.controlled_workload = "invalidations=4,entries=10",
		/* The race is the count passing the zap in v0's buffer. */
		.cover_follows_reorderings = true,
	},
	{
		.name = "nonatomic-inc",
		.summary = "dirty++ as load/store by zappers under a read-held mmu_lock",
		.note = "deep: a stalled increment overwrites a later zapper's mark with the "
			"flusher's snapshot, which then settles it unflushed; needs three vCPUs "
			"and five threads in order, beyond what random and pct reach in "
			"300,000 executions; rare in free mode on a busy machine; the state "
			"search (--sched cover) reaches it within 100,000; "
			"--replay scenarios/replays/invlpg-defer-nonatomic-inc.json shows it",
		.buggy = true,
		.claims.caught_by = DETECT_ORACLE | DETECT_COVER,
		.claims.depth = { 0, DEPTH_MORE_THAN },
		/* Free mode needs the stalled increment to outlast a flusher's
		 * whole cycle, which the host's timing decides: seeds 1-20
		 * within 30 s, 20 on a quiet machine, 17 at load 5-11, 6 at
		 * load 20 (0 with yields in its windows). A run that misses it
		 * says nothing, so free mode reports it and never judges. */
		.claims.rare_in_free_mode = true,
		/* Under tso, 17 of 20 seeds within 10 s; under weak, 11. */
		.claims.cover_sc_only = true,
		.policy = &counter_nonatomic_inc,
		/* The configuration the race needs: zaps frequent enough that
		 * two land in one stalled increment, and writers (notifier,
		 * zapper) rare enough not to queue on mmu_lock and hold the
		 * second zapper off, as a fair rwlock does. */
		.workload = WORKLOAD_NONATOMIC_INC,
		.perturb = PERTURB_NONATOMIC_INC,
		/* For the same reason, one invalidator: with the scenario's
		 * two, free mode's median first violation went from 1.5 s to
		 * 3.0 s (seeds 1-20). */
		.actors = "invalidator=1",
		/* Two vCPUs zapping, one holding the stale entry. */
		.controlled_vcpus = 3,
		/* Its chain is the longest. Caught: 20 of seeds 1-20 and 39
		 * of 21-60; with three unmaps 19 and 36; with three and ten
		 * entries 15 of 1-20; with the scenario's one and eight 13
		 * of 1-20 and 20 of 21-60. */
		.controlled_workload = "invalidations=4,entries=12",
	},
};

static void invlpg_defer_defaults(struct vm_config *cfg, const struct run_config *rc,
				  const struct scenario_variant *v)
{
	(void)v;
	/* Three vCPUs: one to hold the stale entry, two to zap concurrently
	 * (nonatomic-inc needs two zappers in flight at once). */
	cfg->kvm.nr_vcpus = 3;
	cfg->kvm.nr_gfns = 4096;
	cfg->work = (struct workload){
		/* Few hot pages, so every vCPU keeps them all in its TLB and
		 * an invlpg'd page is still cached elsewhere. */
		.hot_gfns = 8,
		.slice = 256,
		.write_ratio = 0.3,
		.invlpg_ratio = 0.03,
		/* One page per unmap: an unmap that also zaps a live SPTE
		 * flushes for it and hides the lost flush it came to expose. */
		.unmap_pages_max = 1,
		.invalidate_pause_us = 50,
		.flusher_pause_us = 50,
		.zapper_pause_us = 200,
		/* A controlled execution: enough guest work to cache, zap and
		 * use a page, a few background steps, and no more, so PCT's k
		 * stays small. */
		.exec_guest_entries = 6,
		.exec_invalidations = 3,
		.exec_flushes = 2,
		.exec_zaps = 1,
	};
	if (rc->sched != SCHED_FREE) {
		/* One execution holds the race with two vCPUs (one caches,
		 * the other invlpgs), two hot pages, and one step of each
		 * background worker: every step more is k in PCT's
		 * 1/(n k^(d-1)). Variants needing more say so. */
		cfg->kvm.nr_vcpus = 2;
		cfg->work.slice = 12;
		cfg->work.hot_gfns = 2;
		cfg->work.invlpg_ratio = 0.1;
		cfg->work.exec_guest_entries = 8;
		cfg->work.exec_invalidations = 1;
		cfg->work.exec_flushes = 1;
		cfg->work.exec_zaps = 1;
	}
}

const struct scenario scenario_invlpg_defer = {
	.name = "invlpg-defer",
	.summary = "deferred remote flush through remote_tlbs_dirty (guest invlpg)",
	.origin = "seed 004 (kvm list, 2009-03); a4ee1ca4a36e",
	.arch = &x86_shadow_ops,
	.arch_note = "the shadow MMU's invlpg exit and its deferred remote flush; the TDP MMU has "
		     "no shadow pages, and with EPT/NPT a guest invlpg does not exit to KVM; an "
		     "arm64 guest's TLBI is broadcast by the hardware and never exits",
	.variants = variants,
	.nr_variants = ARRAY_SIZE(variants),
	.defaults = invlpg_defer_defaults,
	.workers = "invalidator,invalidator,flusher,zapper",
	.controlled_workers = "invalidator,flusher,zapper",
};
