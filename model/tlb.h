/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A vCPU's TLB: a small direct-mapped cache of gfn -> pfn translations.
 *
 * Only its own vCPU thread touches it, as only a CPU's own flush instructions
 * touch its TLB: remote flushes arrive as requests the vCPU serves itself.
 *
 * Each entry keeps what the oracle needs to judge a later use: the frame
 * generation the translation was made under (copied from the SPTE it was
 * filled from) and when it was filled.
 *
 * Huge translations: TLB_HUGE_ENTRY keeps one entry per huge page (a flush of
 * any address inside drops it, as on x86 and arm64 hardware);
 * TLB_HUGE_SPLINTER caches each 4K piece separately (as hardware that
 * splinters huge pages may), so flushing a sub-range leaves the rest.
 */
#ifndef LOSTFLUSH_TLB_H
#define LOSTFLUSH_TLB_H

#include <stdbool.h>
#include <stdint.h>

#include "spte.h"

enum tlb_huge_mode { TLB_HUGE_ENTRY, TLB_HUGE_SPLINTER, NR_TLB_HUGE_MODES };

/* "entry" / "splinter": the names --tlb-huge takes. */
const char *tlb_huge_name(enum tlb_huge_mode mode);

struct tlb_entry {
	gfn_t gfn;	     /* first gfn the entry covers (aligned to level) */
	kvm_pfn_t pfn;	     /* frame of gfn */
	uint64_t fill_ns;    /* when it was filled, for the report */
	uint32_t frame_gen;  /* generation tag the SPTE carried */
	uint32_t wp_epoch;   /* write-right epoch at the fill (oracle/write_rights.h) */
	uint32_t slot_epoch; /* memslot-right epoch at the fill (oracle/slot_rights.h) */
	uint8_t level;	     /* pages covered: pages_per_level(level) */
	/* The level of the leaf it was filled from, which a splintered
	 * block's 4K pieces keep: what a TLBI's level hint is matched with. */
	uint8_t walk_level;
	bool valid;
	bool writable;
	/* The SPTE's Dirty bit as this entry knows it (A/D bits on): a write
	 * through an entry that has not seen D set walks to set it. */
	bool dirty;
	/* arm64: the frame's host-written data version at the fill
	 * (model/cache.h), the version the fault's maintenance owed it. */
	uint32_t data_version;
	bool exec_never; /* arm64: the stage-2 PTE had XN: a fetch faults */
};

struct tlb {
	struct tlb_entry *entries;
	uint32_t nr_entries; /* power of two */
	enum tlb_huge_mode huge_mode;
};

int tlb_init(struct tlb *tlb, uint32_t nr_entries, enum tlb_huge_mode mode);
void tlb_destroy(struct tlb *tlb);

/* The entry translating gfn, or NULL. */
struct tlb_entry *tlb_lookup(struct tlb *tlb, gfn_t gfn);
/* Cache the translation of gfn by a leaf SPTE at `level`; returns the entry. */
struct tlb_entry *tlb_fill(struct tlb *tlb, gfn_t gfn, uint64_t leaf_spte, int level);
/* Another valid entry that translates a gfn `e` covers, or NULL: a block
 * and a page for one address at once (arm64 forbids it: a TLB conflict
 * abort, or either translation used). */
const struct tlb_entry *tlb_overlapping_entry(const struct tlb *tlb, const struct tlb_entry *e);
/* Flushes return how many valid entries they dropped. */
uint32_t tlb_flush_all(struct tlb *tlb);
/* Drop every entry that translates any gfn in [start, start + nr). */
uint32_t tlb_flush_range(struct tlb *tlb, gfn_t start, uint64_t nr);
/* The same, by an invalidation whose level hint says the leaf was at
 * walk_level (TLB_ANY_LEVEL: no hint): an entry filled from a leaf at
 * another level is kept, as hardware that uses the hint may keep it. */
#define TLB_ANY_LEVEL 0
uint32_t tlb_flush_range_at_level(struct tlb *tlb, gfn_t start, uint64_t nr, int walk_level);

/* The frame an entry maps gfn to (a huge entry maps consecutive frames). */
static inline kvm_pfn_t tlb_entry_pfn(const struct tlb_entry *e, gfn_t gfn)
{
	return e->pfn + (gfn - e->gfn);
}

#endif
