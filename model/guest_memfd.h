/* SPDX-License-Identifier: GPL-2.0 */
/*
 * guest_memfd (virt/kvm/guest_memfd.c): memslots backed by a file of the
 * VM's own, with no host mapping and so no MMU notifier. Userspace takes
 * memory away by punching a hole in the file, and kvm_gmem_punch_hole()
 * runs the invalidation itself: begin, each bound slot's range added and
 * unmapped, the flush, then the truncation that frees the folios, then
 * end. A fault takes its pfn from the file (kvm_gmem_get_pfn(), no
 * filemap lock) and is judged by mmu_invalidate_retry_gfn() alone.
 *
 * In the model a guest_memfd's pages are the host pages behind its slots
 * (hva stands for the file offset), faulted in by hostmem_get_page() as
 * filemap_grab_folio() allocates a folio for a hole.
 */
#ifndef LOSTFLUSH_GUEST_MEMFD_H
#define LOSTFLUSH_GUEST_MEMFD_H

#include <stdbool.h>

#include "spte.h"

struct kvm;

/*
 * How kvm_gmem_punch_hole() orders its steps: one table per variant; NULL
 * is 6.18's. Each field is a form upstream had or its comments forbid.
 */
struct gmem_policy {
	/* kvm_mmu_invalidate_range_add() as posted before the 6.8 merge:
	 * each slot's range replaces the one before instead of widening it,
	 * so a hole across two slots leaves only the last slot's gfns in the
	 * range a fault's retry check reads (fixed in review, Xu Yilun). */
	bool range_keeps_last_slot;
	/* The folios are freed before the zap and its flush ("only after
	 * zap and flush", the source says of truncate_inode_pages_range()). */
	bool truncate_before_invalidate;
	/* kvm_gmem_invalidate_end() runs before the truncation: the window
	 * closes while the old folios are still in the file. */
	bool end_before_truncate;
};

/* kvm_gmem_invalidate_begin(): mmu_lock, begin, each guest_memfd slot's
 * part of [start, end) added to the range and unmapped, the flush, unlock;
 * false (and nothing done) if no slot is in it. kvm_gmem_invalidate_end()
 * closes the window. No lock held. */
bool kvm_gmem_invalidate_begin(struct kvm *kvm, gfn_t start, gfn_t end);
void kvm_gmem_invalidate_end(struct kvm *kvm);
/* kvm_gmem_fallocate(FALLOC_FL_PUNCH_HOLE) of the gfns [start, end),
 * across every guest_memfd slot they touch. No lock held. */
void kvm_gmem_punch_hole(struct kvm *kvm, gfn_t start, gfn_t end);

#endif
