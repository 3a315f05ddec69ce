// SPDX-License-Identifier: GPL-2.0
/*
 * kvm_gmem_punch_hole() and its invalidation, as 6.18 has them.
 *
 * The window a hole punch opens, and what keeps a fault out of it:
 *
 *   P punch hole [G0, G1)               v0: fault on G in [G0, G1)
 *   ---------------------------------   ---------------------------------
 *                                       seq = mmu_invalidate_seq
 *   mmu_lock; begin: in_progress = 1
 *   each bound slot: range_add, zap
 *   flush; mmu_unlock
 *                                       kvm_gmem_get_pfn(G): the old folio
 *                                       (no filemap lock: not truncated yet)
 *                                       mmu_lock; retry_gfn: in_progress
 *                                       and G in range -> retry
 *   truncate: the folios are freed
 *   mmu_lock; end: seq++, in_progress = 0
 *                                       (a fault that checks after end sees
 *                                       seq moved, and retries)
 *
 * Each variant breaks one link: a range that kept only the last slot's
 * gfns lets a fault on an earlier slot pass its check and install the old
 * folio; freeing before the zap and flush leaves a TLB on a freed frame;
 * ending before the truncation lets a fault take the old folio, pass its
 * check and install it just before the folio is freed.
 */
#include "guest_memfd.h"

#include "../engine/check.h"
#include "../engine/sched.h"
#include "../engine/shared.h"
#include "../engine/thread.h"
#include "arch_ops.h"
#include "flush.h"
#include "memslots.h"
#include "mmu.h"

static const struct gmem_policy gmem_upstream;

static const struct gmem_policy *gmem_policy_of(const struct kvm *kvm)
{
	return kvm->cfg.gmem_policy ? kvm->cfg.gmem_policy : &gmem_upstream;
}

/* The gfns of slot s inside [start, end); false if none. */
static bool slot_gfns(const struct kvm_memory_slot *s, gfn_t start, gfn_t end, gfn_t *lo, gfn_t *hi)
{
	*lo = start > s->base_gfn ? start : s->base_gfn;
	*hi = end < s->base_gfn + s->npages ? end : s->base_gfn + s->npages;
	return *lo < *hi;
}

/* kvm_mmu_invalidate_range_add(), or the form posted before the merge. */
static void range_add(struct kvm *kvm, gfn_t start, gfn_t end)
{
	if (gmem_policy_of(kvm)->range_keeps_last_slot) {
		WRITE_ONCE(kvm->mmu_invalidate_range_start, start);
		WRITE_ONCE(kvm->mmu_invalidate_range_end, end);
		return;
	}
	kvm_mmu_invalidate_range_add(kvm, start, end);
}

/*
 * kvm_gmem_invalidate_begin() -> __kvm_gmem_invalidate_begin(): for each
 * bound slot the hole touches, mmu_lock and begin at the first, then
 * kvm_mmu_unmap_gfn_range() (the range added, the slot's leaves zapped);
 * one flush under the lock if anything was zapped, then unlock. A VM with
 * no slot in the hole gets no begin (and, in invalidate_end, no end).
 */
bool kvm_gmem_invalidate_begin(struct kvm *kvm, gfn_t start, gfn_t end)
{
	struct kvm_memslots *set = kvm_memslots(kvm);
	bool found = false, flush = false;

	for (int i = 0; i < set->nr; i++) {
		gfn_t lo, hi;

		if (!set->slots[i].gmem || !slot_gfns(&set->slots[i], start, end, &lo, &hi))
			continue;
		if (!found) {
			mmu_lock(kvm, MMU_LOCK_WRITE);
			kvm_mmu_invalidate_begin(kvm);
			found = true;
		}
		range_add(kvm, lo, hi);
		flush |= kvm->arch->unmap_gfn_range(kvm, lo, hi);
	}
	if (!found)
		return false;
	if (flush)
		kvm_flush_remote_tlbs(kvm);
	mmu_unlock(kvm, MMU_LOCK_WRITE);
	return true;
}

/* kvm_gmem_invalidate_end(): close the window, no flush. */
void kvm_gmem_invalidate_end(struct kvm *kvm)
{
	mmu_lock(kvm, MMU_LOCK_WRITE);
	kvm_mmu_invalidate_end(kvm);
	mmu_unlock(kvm, MMU_LOCK_WRITE);
}

/* truncate_inode_pages_range(): each folio in the hole leaves the file
 * and is freed; the page reads as a hole (zero) from now on. */
static void gmem_truncate(struct kvm *kvm, gfn_t start, gfn_t end)
{
	for (gfn_t gfn = start; gfn < end; gfn++) {
		struct kvm_memory_slot *s = gfn_to_memslot(kvm, gfn);
		uint64_t hva;
		kvm_pfn_t pfn;

		if (!s || !s->gmem)
			continue;
		hva = s->hva_base + (gfn - s->base_gfn);
		pfn = hostmem_unmap(&kvm->mem, hva);
		if (pfn == HVA_NO_FRAME)
			continue;
		shared_store_explicit(hostmem_content(&kvm->mem, hva), 0, memory_order_relaxed);
		hostmem_free_frame(&kvm->mem, pfn);
		sched_point();
	}
}

/* kvm_gmem_punch_hole(), under filemap_invalidate_lock() (the file's, so
 * two hole punches do not interleave; faults do not take it). */
void kvm_gmem_punch_hole(struct kvm *kvm, gfn_t start, gfn_t end)
{
	const struct gmem_policy *p = gmem_policy_of(kvm);
	bool began;

	HARNESS_ASSERT(start < end, "empty hole [%#llx, %#llx)", (unsigned long long)start,
		       (unsigned long long)end);
	sleeplock_lock(&kvm->gmem_file_lock);
	trace(TR_INVALIDATE_START, start, end - start);
	count(CNT_INVALIDATIONS, 1);
	if (p->truncate_before_invalidate)
		gmem_truncate(kvm, start, end);
	began = kvm_gmem_invalidate_begin(kvm, start, end);
	if (began && p->end_before_truncate)
		kvm_gmem_invalidate_end(kvm);
	if (!p->truncate_before_invalidate)
		gmem_truncate(kvm, start, end);
	if (began && !p->end_before_truncate)
		kvm_gmem_invalidate_end(kvm);
	trace(TR_INVALIDATE_END, start, end - start);
	sleeplock_unlock(&kvm->gmem_file_lock);
}
