// SPDX-License-Identifier: GPL-2.0
/*
 * The level a fault maps at, the same on x86 and arm64: what the memslot
 * allows (a whole aligned block inside it, not while logging) and what the
 * host maps the page with. x86: kvm_mmu_max_mapping_level() and
 * kvm_mmu_hugepage_adjust(); arm64: user_mem_abort()'s force_pte with
 * logging, fault_supports_stage2_huge_mapping() and
 * transparent_hugepage_adjust().
 */
#include "arch.h"

/*
 * The memslot's part of kvm_mmu_max_mapping_level(): the largest level,
 * up to cfg.max_huge_level, whose aligned huge page around gfn lies wholly
 * inside the slot with gfn and hva equally aligned (the lpage_info
 * disallow_lpage counts of kvm_alloc_memslot_metadata()).
 */
static int max_level_for(struct kvm *kvm, const struct kvm_memory_slot *slot, gfn_t gfn)
{
	/* A logged slot maps only 4K leaves (kvm_mmu_max_mapping_level()
	 * sees the slot's lpage_info disallowed while logging is on), since
	 * logging tracks writes per 4K page; so does a write-tracked gfn
	 * (kvm_mmu_gfn_disallow_lpage()). */
	if (kvm_dirty_tracking_wants_4k(kvm, gfn))
		return PG_LEVEL_4K;
	for (int level = kvm->cfg.max_huge_level; level > PG_LEVEL_4K; level--) {
		uint64_t pages = pages_per_level(level);
		gfn_t base = gfn_round_for_level(gfn, level);

		if (base >= slot->base_gfn && base + pages <= slot->base_gfn + slot->npages &&
		    !((slot->base_gfn ^ slot->hva_base) & (pages - 1)))
			return level;
	}
	return PG_LEVEL_4K;
}

/*
 * kvm_mmu_hugepage_adjust(): the level to map gfn at, the smaller of what
 * the memslot allows and what the host maps the page with
 * (host_pfn_mapping_level()). Called under mmu_lock, after the retry
 * check: a host split since the pfn was looked up ran the notifier, so the
 * fault retried or sees the split.
 */
int fault_mapping_level(struct kvm *kvm, gfn_t gfn, kvm_pfn_t pfn)
{
	int level = max_level_for(kvm, gfn_to_memslot(kvm, gfn), gfn);
	int host = hostmem_mapping_level(&kvm->mem, gfn_to_hva(kvm, gfn), pfn);

	return host < level ? host : level;
}
