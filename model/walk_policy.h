/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How the MMU's walks settle the flushes they owe: a hook of the flush
 * decision a variant may change, with upstream's as the default (the
 * arch's, when a VM gives none). A zap walk over several roots, yielding
 * mmu_lock on the way, and a fault that replaces a page table with a huge
 * leaf each owe a flush before what they removed may be reused; a fault
 * that changes a present leaf, and aging, which walks without mmu_lock,
 * must not lose what a racing writer did.
 */
#ifndef LOSTFLUSH_WALK_POLICY_H
#define LOSTFLUSH_WALK_POLICY_H

#include <stdbool.h>

#include "spte.h"

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
	/* With range_flush: the extent [*lo, *hi) to flush for a leaf at
	 * gfn and level zapped while zapping [start, end), for a range
	 * neither form above says (where it starts, how far it reaches);
	 * NULL: as flush_leaf_extent says. */
	void (*zap_flush_extent)(gfn_t gfn, int level, gfn_t start, gfn_t end, gfn_t *lo,
				 gfn_t *hi);
	/* A fault that replaced a page table with a huge leaf frees the
	 * removed table at once, before the flush, as if no walker could
	 * still be inside it (upstream: flush, then call_rcu()). */
	bool free_before_flush;
	/* A fault that finds a present leaf already allowing its access
	 * installs its own over it anyway (before 386d69f9f29b, 6.13-rc4):
	 * a read fault whose pfn came back read-only downgrades the leaf a
	 * racing write fault made writable (kernel Bugzilla 219588). */
	bool fault_overwrites_allowed_leaf;
	/* A fault replacing a present leaf never flushes (before
	 * 1a175082b190): tdp_mmu_map_handle_target_level() flushed only
	 * over a non-leaf SPTE, though the change may take MMU-writable
	 * away from a leaf some TLB holds writable. */
	bool fault_leaf_change_skips_flush;
	/* Aging, which runs without mmu_lock (6.15), writes the aged SPTE
	 * back with a plain store of what its walk read, as the locked
	 * form could: a zap or a write-protect in between is undone. */
	bool age_stores_what_it_read;
};

/* The TDP MMU's upstream walk as designated initializers, so a variant
 * says only what it changes: { TDP_WALK_POLICY, .field = ... }. */
#define TDP_WALK_POLICY .carry_flush = true, .flush_before_yield = true

#endif
