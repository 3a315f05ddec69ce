/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How the MMU's walks settle the flushes they owe: a hook of the flush
 * decision a variant may change, with upstream's as the default (the
 * arch's, when a VM gives none). A zap walk over several roots, yielding
 * mmu_lock on the way, and a fault that replaces a page table with a huge
 * leaf each owe a flush before what they removed may be reused.
 */
#ifndef LOSTFLUSH_WALK_POLICY_H
#define LOSTFLUSH_WALK_POLICY_H

#include <stdbool.h>

struct walk_policy {
	/* Each root gets the pending flush of the roots before it
	 * (f47e5bbbc92f); false is the posted 873dd122172f, which passed
	 * false to each root, so only the last root's zaps were flushed. */
	bool carry_flush;
	/* tdp_mmu_iter_cond_resched() flushes what is pending before it
	 * drops mmu_lock; either way the caller then forgets it. */
	bool flush_before_yield;
	/* The walk flushes what it zapped itself, by range, before it
	 * returns (as kvm_zap_gfn_range() does right after
	 * kvm_tdp_mmu_zap_leafs()), and returns false. Otherwise it returns
	 * whether a flush is pending and its caller flushes everything, and
	 * so does a yield. */
	bool range_flush;
	/* With range_flush: the range covers the whole extent of every
	 * zapped leaf (kvm_flush_remote_tlbs_gfn(kvm, gfn, level) for each),
	 * or, when false, only [start, end) of the request. */
	bool flush_leaf_extent;
	/* A fault that replaced a page table with a huge leaf frees the
	 * removed table at once, before the flush, as if no walker could
	 * still be inside it (upstream: flush, then call_rcu()). */
	bool free_before_flush;
};

#endif
