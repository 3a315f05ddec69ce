/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The epochs of the right to write a gfn, for the oracle (DESIGN section 3).
 *
 * A write-protect of gfn, for dirty logging or for write-tracking, revokes
 * the right: it takes a new epoch (wp_epoch) at the moment the SPTE loses W.
 * The revocation is declared complete when the operation returns: a
 * harvest returning to userspace (log_done), a write-protect for tracking
 * dropping mmu_lock (track_done). A TLB entry records wp_epoch when it is
 * filled writable; a write through it is a violation once a completed
 * revocation is newer than the entry.
 *
 * These are the oracle's books, kept beside the model as host frame
 * generations are: the code under test never reads them.
 */
#ifndef LOSTFLUSH_WRITE_RIGHTS_H
#define LOSTFLUSH_WRITE_RIGHTS_H

#include <stdatomic.h>
#include <stdint.h>

#include "../engine/shared.h"
#include "../model/spte.h"

struct write_right {
	_Atomic uint32_t wp_epoch; /* the epoch of its latest revocation */
	_Atomic uint32_t log_done;
	_Atomic uint32_t track_done;
	/* The epoch the harvest running now revoked (dirty logging's one
	 * reaper at a time), done when it returns. */
	uint32_t log_pending;
	/* The epoch write-tracking's first add revoked (mmu_lock held for
	 * write): a nested add of the gfn relies on that revocation, so it
	 * is done, at the latest, when the nested add returns too. */
	_Atomic uint32_t track_pending; /* the oracle reads it outside mmu_lock */
};

/* Epochs are drawn from one clock for every gfn, so an epoch says when:
 * a TLB entry's epoch judges any gfn it covers (a block's pages too). */
struct write_rights {
	_Atomic uint32_t clock; /* revocations so far */
	uint64_t nr_gfns;
	struct write_right *gfn; /* one per gfn */
};

struct write_rights *write_rights_create(uint64_t nr_gfns);
void write_rights_destroy(struct write_rights *r);

/* The epoch a TLB entry filled now records. */
static inline uint32_t write_epoch_now(struct write_rights *r)
{
	return shared_load_explicit(&r->clock, memory_order_acquire);
}

/* gfn lost W: a new epoch, returned for the matching *_done call. */
static inline uint32_t write_right_revoke(struct write_rights *r, gfn_t gfn)
{
	uint32_t epoch = shared_fetch_add_explicit(&r->clock, 1, memory_order_acq_rel) + 1;

	shared_store_explicit(&r->gfn[gfn].wp_epoch, epoch, memory_order_release);
	return epoch;
}

/* The revocation of `epoch` is complete (done is log_done or track_done). */
static inline void write_right_done(_Atomic uint32_t *done, uint32_t epoch)
{
	uint32_t old = shared_load_explicit(done, memory_order_relaxed);

	while (old < epoch &&
	       !shared_compare_exchange_weak_explicit(done, &old, epoch, memory_order_release,
						      memory_order_relaxed))
		;
}

#endif
