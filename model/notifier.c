// SPDX-License-Identifier: GPL-2.0
#include "notifier.h"

#include "memslots.h"
#include "srcu.h"

#include "arch_ops.h"
#include "../engine/check.h"
#include "flush.h"
#include "../engine/sched.h"
#include "../engine/thread.h"

/* The gfns of one memslot that back [hva_start, hva_end), or false. */
static bool slot_gfn_range(const struct kvm_memory_slot *s, uint64_t hva_start, uint64_t hva_end,
			   gfn_t *start, gfn_t *end)
{
	uint64_t lo = hva_start > s->hva_base ? hva_start : s->hva_base;
	uint64_t hi = hva_end < s->hva_base + s->npages ? hva_end : s->hva_base + s->npages;

	if (lo >= hi)
		return false;
	*start = s->base_gfn + (lo - s->hva_base);
	*end = s->base_gfn + (hi - s->hva_base);
	return true;
}

/* The seed's per-slot flush, under mmu_lock:
 *   if (flush_on_ret && !need_flush && r.ret &&
 *       kvm_arch_flush_remote_tlbs_range(kvm, start, nr))
 *           need_flush = true;
 * r.ret accumulates over slots, so a slot after one that zapped is flushed
 * too; need_flush asks for one full flush after the loop. */
static bool notifier_range_flush(struct kvm *kvm, gfn_t start, gfn_t end, bool ret, bool need_flush)
{
	const struct flush_policy *policy = kvm->policy;
	uint64_t nr;

	if (!ret || need_flush)
		return need_flush;
	nr = policy->notifier_range_nr(start, end);
	if (nr > end - start)
		count(CNT_RANGE_EXCESS, nr - (end - start));
	if (!kvm_arch_flush_remote_tlbs_range(kvm, start, nr))
		return false;
	count(CNT_RANGE_FALLBACKS, 1);
	return policy->range_flush_fallback;
}

/* kvm_mmu_notifier_invalidate_range_start() -> __kvm_handle_hva_range()
 * with kvm_mmu_unmap_gfn_range() as the handler, per memslot. */
void kvm_mmu_notifier_invalidate_range_start(struct kvm *kvm, uint64_t hva_start, uint64_t hva_end)
{
	bool zapped = false, need_flush = false;

	trace(TR_INVALIDATE_START, hva_start, hva_end - hva_start);
	count(CNT_INVALIDATIONS, 1);
	int idx;
	struct kvm_memslots *set;

	/* Counted in flight before the slots are walked, so no memslot swap
	 * comes between this start and its end (52ac8b358b0c). */
	kvm_mn_invalidate_enter(kvm);
	/* __kvm_handle_hva_range() walks the slots inside kvm->srcu. */
	idx = kvm_srcu_read_lock(kvm);
	set = kvm_memslots(kvm);

	mmu_lock(kvm, MMU_LOCK_WRITE);
	kvm_mmu_invalidate_begin(kvm);
	for (int i = 0; i < set->nr; i++) {
		gfn_t start, end;

		/* A guest_memfd slot has no host mapping for the notifier to
		 * cover: its invalidations are the file's own. */
		if (!set->slots[i].npages || set->slots[i].gmem ||
		    !slot_gfn_range(&set->slots[i], hva_start, hva_end, &start, &end))
			continue;
		kvm_mmu_invalidate_range_add(kvm, start, end);
		zapped |= kvm->arch->unmap_gfn_range(kvm, start, end);
		if (kvm->policy->notifier_range_nr)
			need_flush = notifier_range_flush(kvm, start, end, zapped, need_flush);
	}
	sched_point();
	if (need_flush)
		kvm_flush_remote_tlbs(kvm);
	kvm->policy->notifier_locked(kvm, zapped);
	mmu_unlock(kvm, MMU_LOCK_WRITE);
	kvm_srcu_read_unlock(kvm, idx);
	kvm->policy->notifier_unlocked(kvm, zapped);
}

/* kvm_mmu_notifier_invalidate_range_end() */
void kvm_mmu_notifier_invalidate_range_end(struct kvm *kvm, uint64_t hva_start, uint64_t hva_end)
{
	mmu_lock(kvm, MMU_LOCK_WRITE);
	kvm_mmu_invalidate_end(kvm);
	mmu_unlock(kvm, MMU_LOCK_WRITE);
	kvm_mn_invalidate_exit(kvm);
	trace(TR_INVALIDATE_END, hva_start, hva_end - hva_start);
}

#define HOST_UNMAP_MAX 64

void host_unmap_range(struct kvm *kvm, uint64_t hva_start, uint64_t hva_end)
{
	kvm_pfn_t freed[HOST_UNMAP_MAX];
	int n = 0;

	HARNESS_ASSERT(hva_end > hva_start && hva_end - hva_start <= HOST_UNMAP_MAX,
		       "unmap of %llu pages", (unsigned long long)(hva_end - hva_start));
	kvm_mmu_notifier_invalidate_range_start(kvm, hva_start, hva_end);
	for (uint64_t hva = hva_start; hva < hva_end; hva++) {
		kvm_pfn_t pfn = hostmem_unmap(&kvm->mem, hva);

		if (pfn != HVA_NO_FRAME)
			freed[n++] = pfn;
	}
	kvm_mmu_notifier_invalidate_range_end(kvm, hva_start, hva_end);
	sched_point();
	/* tlb_finish_mmu(): only now are the pages freed. */
	for (int i = 0; i < n; i++)
		hostmem_free_frame(&kvm->mem, freed[i]);
}
