// SPDX-License-Identifier: GPL-2.0
#include "tlb.h"

#include <stdlib.h>

#include "../engine/trace.h"

#include <string.h>

static const char *const tlb_huge_names[NR_TLB_HUGE_MODES] = {
	[TLB_HUGE_ENTRY] = "entry",
	[TLB_HUGE_SPLINTER] = "splinter",
};

const char *tlb_huge_name(enum tlb_huge_mode mode)
{
	return mode < NR_TLB_HUGE_MODES ? tlb_huge_names[mode] : "?";
}

int tlb_init(struct tlb *tlb, uint32_t nr_entries, enum tlb_huge_mode mode)
{
	if (nr_entries == 0 || (nr_entries & (nr_entries - 1)))
		return -1;
	tlb->entries = calloc(nr_entries, sizeof(*tlb->entries));
	tlb->nr_entries = nr_entries;
	tlb->huge_mode = mode;
	return tlb->entries ? 0 : -1;
}

void tlb_destroy(struct tlb *tlb)
{
	free(tlb->entries);
	tlb->entries = NULL;
}

/* Entries of different levels hash with a level salt, so a huge entry and
 * the 4K entries inside it rarely share a slot. When they do, one evicts the
 * other, which a real TLB may always do. */
static uint32_t tlb_slot(const struct tlb *tlb, gfn_t base, int level)
{
	uint64_t h = (base >> (SPTE_LEVEL_BITS * (level - 1))) * 0x9e3779b97f4a7c15ULL;

	return (uint32_t)((h >> 32) + (uint64_t)level * 7) & (tlb->nr_entries - 1);
}

static bool covers(const struct tlb_entry *e, gfn_t gfn)
{
	return e->valid && gfn >= e->gfn && gfn < e->gfn + pages_per_level(e->level);
}

struct tlb_entry *tlb_lookup(struct tlb *tlb, gfn_t gfn)
{
	for (int level = PG_LEVEL_4K; level <= PG_LEVEL_1G; level++) {
		struct tlb_entry *e =
			&tlb->entries[tlb_slot(tlb, gfn_round_for_level(gfn, level), level)];

		if (e->level == level && covers(e, gfn))
			return e;
	}
	return NULL;
}

struct tlb_entry *tlb_fill(struct tlb *tlb, gfn_t gfn, uint64_t leaf_spte, int level)
{
	gfn_t base = gfn_round_for_level(gfn, level);
	kvm_pfn_t pfn = spte_to_pfn(leaf_spte) + (gfn - base);
	int walk_level = level;
	struct tlb_entry *e;

	if (tlb->huge_mode == TLB_HUGE_SPLINTER || level == PG_LEVEL_4K) {
		base = gfn;
		level = PG_LEVEL_4K;
	} else {
		pfn = spte_to_pfn(leaf_spte);
	}
	e = &tlb->entries[tlb_slot(tlb, base, level)];
	*e = (struct tlb_entry){
		.gfn = base,
		.pfn = pfn,
		.fill_ns = trace_now_ns(),
		.frame_gen = spte_frame_gen(leaf_spte),
		.level = (uint8_t)level,
		.walk_level = (uint8_t)walk_level,
		.valid = true,
		.writable = is_writable_pte(leaf_spte),
		.dirty = (leaf_spte & SPTE_DIRTY) != 0,
	};
	return e;
}

const struct tlb_entry *tlb_overlapping_entry(const struct tlb *tlb, const struct tlb_entry *e)
{
	/* Scan: entries of other levels live in other slots. */
	for (uint32_t i = 0; i < tlb->nr_entries; i++) {
		const struct tlb_entry *o = &tlb->entries[i];

		if (o != e && o->valid && o->gfn < e->gfn + pages_per_level(e->level) &&
		    e->gfn < o->gfn + pages_per_level(o->level))
			return o;
	}
	return NULL;
}

uint32_t tlb_flush_all(struct tlb *tlb)
{
	uint32_t dropped = 0;

	for (uint32_t i = 0; i < tlb->nr_entries; i++) {
		dropped += tlb->entries[i].valid;
		tlb->entries[i].valid = false;
	}
	return dropped;
}

uint32_t tlb_flush_range(struct tlb *tlb, gfn_t start, uint64_t nr)
{
	return tlb_flush_range_at_level(tlb, start, nr, TLB_ANY_LEVEL);
}

uint32_t tlb_flush_range_at_level(struct tlb *tlb, gfn_t start, uint64_t nr, int walk_level)
{
	uint32_t dropped = 0;

	/* Scan rather than probe: a range may be larger than the TLB and huge
	 * entries overlap it from below; the TLB is small. */
	for (uint32_t i = 0; i < tlb->nr_entries; i++) {
		struct tlb_entry *e = &tlb->entries[i];

		if (walk_level != TLB_ANY_LEVEL && e->walk_level != walk_level)
			continue;
		if (e->valid && e->gfn < start + nr && start < e->gfn + pages_per_level(e->level)) {
			e->valid = false;
			dropped++;
		}
	}
	return dropped;
}
