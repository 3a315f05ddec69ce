// SPDX-License-Identifier: GPL-2.0
/*
 * The x86 TDP MMU (arch/x86/kvm/mmu/tdp_mmu.c), reduced to what the
 * notifier-path scenarios need: several roots (the L1 TDP root, and nested
 * TDP shadow roots beside it), faults that install leaves with a cmpxchg
 * under a read-held mmu_lock, and zapping a gfn range across every root.
 *
 * Each vCPU walks one root (vcpu->root); the notifier must zap every root,
 * since any of them may map the range, and flush if any root zapped.
 */
#include "arch.h"

#include "../core/flush.h"
#include "../core/sched.h"
#include "../core/thread.h"

/*
 * kvm_tdp_mmu_map() through tdp_mmu_map_handle_target_level(): the leaf is
 * installed by tdp_mmu_set_spte_atomic(), a cmpxchg, since other vCPUs fault
 * under the same read-held lock. A racing fault that installed first wins;
 * this one returns and the access retries into the TLB fill.
 */
static bool tdp_page_fault(struct kvm_vcpu *vcpu, gfn_t gfn, bool write)
{
	struct kvm *kvm = vcpu->kvm;
	unsigned long mmu_seq = kvm_mmu_invalidate_seq_read(kvm);
	struct page_ref page;
	_Atomic uint64_t *slot;

	(void)write;
	trace(TR_FAULT, gfn, mmu_seq);
	count(CNT_FAULTS, 1);
	page = hostmem_get_page(&kvm->mem, gfn_to_hva(kvm, gfn));
	sched_point();
	mmu_lock(kvm, MMU_LOCK_READ);
	if (mmu_invalidate_retry_gfn(kvm, mmu_seq, gfn)) {
		mmu_unlock(kvm, MMU_LOCK_READ);
		trace(TR_FAULT_RETRY, gfn, mmu_seq);
		count(CNT_FAULT_RETRIES, 1);
		return false;
	}
	slot = spt_slot_root(vcpu->root, gfn, PG_LEVEL_4K);
	if (slot) {
		uint64_t spte = make_leaf_spte(page.pfn, page.gen, PG_LEVEL_4K, true);

		/* Over a non-present SPTE: no flush is needed, nothing could
		 * have cached an absent translation. */
		if (cmpxchg(slot, 0, spte) == 0)
			trace(TR_SPTE_SET, gfn, spte);
	}
	mmu_unlock(kvm, MMU_LOCK_READ);
	return true;
}

/* A guest invlpg does not exit under TDP: the CPU flushes its own TLB. */
static void tdp_invlpg(struct kvm_vcpu *vcpu, gfn_t gfn)
{
	trace(TR_TLB_FLUSH_ONE, gfn, tlb_flush_range(&vcpu->tlb, gfn, 1));
	count(CNT_LOCAL_FLUSHES, 1);
}

/*
 * tdp_mmu_zap_leafs() for one root: zap every present leaf in [start, end)
 * and return flush, which comes in as the pending flush of earlier roots and
 * goes out true if anything needs one. Upstream yields inside a long walk
 * (tdp_mmu_iter_cond_resched(), flushing first); these ranges are short.
 */
static bool tdp_mmu_zap_leafs(struct spt_table *root, gfn_t start, gfn_t end, bool flush)
{
	for (gfn_t gfn = start; gfn < end; gfn++) {
		int level;

		if (spt_zap_gfn_root(root, gfn, &level))
			flush = true;
		sched_point();
	}
	return flush;
}

/* kvm_tdp_mmu_unmap_gfn_range(): every root, the pending flush carried from
 * one to the next. */
static bool tdp_unmap_gfn_range(struct kvm *kvm, gfn_t start, gfn_t end)
{
	bool flush = false;

	for (int i = 0; i < kvm->nr_roots; i++)
		flush = tdp_mmu_zap_leafs(kvm->roots[i], start, end, flush);
	return flush;
}

static bool tdp_zap_gfn(struct kvm *kvm, gfn_t gfn)
{
	return tdp_unmap_gfn_range(kvm, gfn, gfn + 1);
}

const struct mmu_arch_ops x86_tdp_ops = {
	.name = "x86-tdp",
	.page_fault = tdp_page_fault,
	.invlpg = tdp_invlpg,
	.unmap_gfn_range = tdp_unmap_gfn_range,
	.zap_gfn = tdp_zap_gfn,
};
