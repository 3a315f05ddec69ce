// SPDX-License-Identifier: GPL-2.0
/*
 * The two rights break-before-make and cache maintenance guard on arm64's
 * stage 2 (oracle/oracle.h):
 *
 *   fresh contents   a guest access through a translation sees at least
 *                    the data the host had written to the frame when the
 *                    translation was filled: the fault path cleans the
 *                    D-cache to PoC and invalidates the I-cache to PoU
 *                    before it makes the PTE valid. What the host writes
 *                    to a frame while it is mapped is not the fault's to
 *                    maintain, so it is not judged.
 *   one translation  a TLB never holds two valid translations for one
 *                    address: a block replaced by pages (or the reverse)
 *                    is broken, and the old one invalidated by TLBI,
 *                    before the new one is made. Judged at each fill; a
 *                    stale entry that no fill overlaps is not a conflict.
 *   host reads data  what a guest wrote with caches off reaches the host's
 *                    read-back of the frame: the unmap walker cleans and
 *                    invalidates it to PoC after the leaf's TLBI, so no
 *                    line allocated before the guest's last write survives
 *                    (stage2_unmap_walker(), 363ef89f8e9b). Judged when the
 *                    host frees the frame.
 */
#include "oracle.h"

#include "../engine/trace.h"

static uint64_t accesses(const struct oracle *o)
{
	return o->accesses_so_far ? o->accesses_so_far(o->accesses_arg) : 0;
}

bool oracle_check_cache_use(struct oracle *o, const struct cache_model *c, int vcpu_id,
			    const struct tlb_entry *e, gfn_t gfn, enum guest_access_kind kind)
{
	kvm_pfn_t pfn = tlb_entry_pfn(e, gfn);
	uint32_t seen, latest;
	uint64_t t;

	/* A host write after the fill (latest past the entry's clock) is not
	 * the fault's to have maintained. */
	if (cache_access_fresh(c, pfn, kind, &seen, &latest) || latest > e->data_version)
		return true;
	t = trace_now_ns();
	oracle_report(o, &(struct violation){
				 .kind = VIOL_STALE_CACHE_SEEN,
				 .vcpu_id = vcpu_id,
				 .gfn = gfn,
				 .pfn = pfn,
				 .level = e->level,
				 .write = false,
				 .entry_epoch = seen,
				 .current_epoch = latest,
				 .t_ns = t - o->t0_ns,
				 .entry_age_ns = t - e->fill_ns,
				 .accesses = accesses(o),
			 });
	return false;
}

bool oracle_check_single_translation(struct oracle *o, int vcpu_id, const struct tlb *tlb,
				     const struct tlb_entry *filled)
{
	const struct tlb_entry *other = tlb_overlapping_entry(tlb, filled);
	uint64_t t;

	if (!other)
		return true;
	t = trace_now_ns();
	oracle_report(o, &(struct violation){
				 .kind = VIOL_CONFLICTING_TRANSLATIONS,
				 .vcpu_id = vcpu_id,
				 .gfn = filled->gfn,
				 .pfn = filled->pfn,
				 .level = filled->level,
				 /* The levels of the two entries. */
				 .entry_epoch = other->level,
				 .current_epoch = filled->level,
				 .t_ns = t - o->t0_ns,
				 .entry_age_ns = t - other->fill_ns,
				 .accesses = accesses(o),
			 });
	return false;
}

bool oracle_check_read_back(struct oracle *o, struct cache_model *c, kvm_pfn_t pfn)
{
	int writer = -1;
	gfn_t gfn = 0;

	if (cache_read_back_fresh(c, pfn, &writer, &gfn))
		return true;
	oracle_report(o, &(struct violation){
				 .kind = VIOL_LOST_UNCACHED_WRITE,
				 .vcpu_id = writer,
				 .gfn = gfn,
				 .pfn = pfn,
				 .level = PG_LEVEL_4K,
				 .write = true,
				 .t_ns = trace_now_ns() - o->t0_ns,
				 .accesses = accesses(o),
			 });
	return false;
}
