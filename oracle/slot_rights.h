/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The right to reach a gfn through its memslot, for the oracle.
 *
 * A memslot change that takes gfns away (a delete, or a move's old range)
 * promises, once kvm_set_memory_region() has returned, that no vCPU still
 * translates them: userspace may free the memory, or a guest access to the
 * old address must now exit as MMIO. The change stamps each gfn it took
 * away with a new epoch as it returns; a change that gives gfns to a slot
 * (a create, or a move's new range) stamps them before it publishes the
 * slot. A TLB entry records the epoch at its fill. A use of gfn is a
 * violation (stale-tlb-after-slot-change) through an entry older than
 * gfn's last take-away, or while gfn is taken away and not given back:
 * whether the memory was freed or lives on at the slot's new address, and
 * whether the entry outlived the change or was filled after it from an
 * SPTE that did.
 *
 * The oracle's books, kept beside the model: the code under test never
 * reads them. Apart from the write rights because those also steer the
 * fault path's fast path (a VM with write rights takes it).
 */
#ifndef LOSTFLUSH_SLOT_RIGHTS_H
#define LOSTFLUSH_SLOT_RIGHTS_H

#include <stdatomic.h>
#include <stdint.h>

#include "../engine/shared.h"
#include "../model/spte.h"

struct slot_rights {
	_Atomic uint32_t clock; /* memslot changes returned so far */
	uint64_t nr_gfns;
	_Atomic uint32_t *gone;	   /* per gfn: the epoch a change took it away */
	_Atomic uint32_t *granted; /* per gfn: the epoch a change gave it a slot */
};

struct slot_rights *slot_rights_create(uint64_t nr_gfns);
void slot_rights_destroy(struct slot_rights *r);

/* The epoch a TLB entry filled now records. */
static inline uint32_t slot_epoch_now(struct slot_rights *r)
{
	return shared_load_explicit(&r->clock, memory_order_acquire);
}

static inline void slot_rights_stamp(struct slot_rights *r, _Atomic uint32_t *book, gfn_t start,
				     gfn_t end)
{
	uint32_t epoch = shared_fetch_add_explicit(&r->clock, 1, memory_order_acq_rel) + 1;

	for (gfn_t gfn = start; gfn < end; gfn++)
		shared_store_explicit(&book[gfn], epoch, memory_order_release);
}

/* A memslot change returning: gfns [start, end) are no slot's any more. */
static inline void slot_rights_take_away(struct slot_rights *r, gfn_t start, gfn_t end)
{
	slot_rights_stamp(r, r->gone, start, end);
}

/* A memslot change about to publish a slot over gfns [start, end). */
static inline void slot_rights_grant(struct slot_rights *r, gfn_t start, gfn_t end)
{
	slot_rights_stamp(r, r->granted, start, end);
}

#endif
