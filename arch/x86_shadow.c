// SPDX-License-Identifier: GPL-2.0
/*
 * The x86 shadow MMU, as far as the scenarios need it: the fault path
 * (direct_page_fault() / FNAME(page_fault) shape: snapshot, look up the pfn,
 * lock, retry check, install), write-protection for write-tracking and
 * dirty logging (rmap_write_protect(), one shared rule with the TDP MMU's
 * SPTE walk), guest invlpg (FNAME(invlpg), the 2009 form that
 * defers the remote flush), and rmap-style zapping for the notifier.
 *
 * The guest's own page tables are the identity (gva == gfn): a shadow page
 * then maps exactly what the guest maps, and invlpg of a gva zaps the SPTE of
 * the same gfn.
 */
#include "arch.h"

#include "../model/flush.h"
#include "../engine/sched.h"
#include "../engine/thread.h"

/* The shadow MMU serialised everything on mmu_lock (a spinlock in 2009); the
 * policy may instead run vCPU paths under a read-held lock, side by side. Two
 * faults racing on one gfn install the same frame (the host page is
 * looked up once, hostmem_get_page()), so the later xchg is harmless. */
static bool shadow_page_fault(struct kvm_vcpu *vcpu, gfn_t gfn, bool write)
{
	struct kvm *kvm = vcpu->kvm;
	enum mmu_lock_mode lock = kvm->policy->vcpu_lock;
	unsigned long mmu_seq = kvm_mmu_invalidate_seq_read(kvm);
	struct page_ref page;
	uint64_t spte;
	bool emulate;

	trace(TR_FAULT, gfn, mmu_seq);
	count(CNT_FAULTS, 1);
	page = hostmem_get_page(&kvm->mem, gfn_to_hva(kvm, gfn));
	sched_point();
	mmu_lock(kvm, lock);
	if (mmu_invalidate_retry_gfn(kvm, mmu_seq, gfn)) {
		mmu_unlock(kvm, lock);
		trace(TR_FAULT_RETRY, gfn, mmu_seq);
		count(CNT_FAULT_RETRIES, 1);
		return false;
	}
	/* Writable unless the pfn came back read-only or the gfn is
	 * write-tracked (mmu_set_spte() -> make_spte()). */
	spte = x86_make_fault_spte(vcpu, gfn, page, PG_LEVEL_4K, write, &emulate);
	spt_set_leaf(kvm, gfn, PG_LEVEL_4K, spte);
	vcpu->write_emulated = emulate;
	mmu_unlock(kvm, lock);
	return true;
}

/*
 * FNAME(invlpg) with the deferred remote flush (seed: "KVM: Defer remote tlb
 * flushes on invlpg"): zap the shadow PTE, flush only this vCPU's TLB, and
 * leave the remote TLBs marked dirty for whoever must have them clean later.
 */
static void shadow_invlpg(struct kvm_vcpu *vcpu, gfn_t gfn)
{
	struct kvm *kvm = vcpu->kvm;
	const struct flush_policy *policy = kvm->policy;
	int level;
	uint64_t old;

	trace(TR_INVLPG, gfn, 0);
	count(CNT_INVLPGS, 1);
	mmu_lock(kvm, policy->vcpu_lock);
	old = spt_zap_gfn(kvm, gfn, &level);
	sched_point();
	if (old) {
		policy->mark_remote_dirty(kvm);
		count(CNT_DEFERRED_MARKS, 1);
		sched_point();
	}
	/* The guest's invlpg flushes its own TLB whatever KVM did. */
	trace(TR_TLB_FLUSH_ONE, gfn, tlb_flush_range(&vcpu->tlb, gfn, 1));
	count(CNT_LOCAL_FLUSHES, 1);
	mmu_unlock(kvm, policy->vcpu_lock);
}

static bool shadow_zap_gfn(struct kvm *kvm, gfn_t gfn)
{
	int level;

	return spt_zap_gfn(kvm, gfn, &level) != 0;
}

static bool shadow_unmap_gfn_range(struct kvm *kvm, gfn_t start, gfn_t end)
{
	bool flush = false;

	for (gfn_t gfn = start; gfn < end; gfn++) {
		flush |= shadow_zap_gfn(kvm, gfn);
		sched_point();
	}
	return flush;
}

const struct mmu_arch_ops x86_shadow_ops = {
	.name = "x86-shadow",
	.page_fault = shadow_page_fault,
	.invlpg = shadow_invlpg,
	.unmap_gfn_range = shadow_unmap_gfn_range,
	.zap_gfn = shadow_zap_gfn,
	/* Shadow pages of a tracked gfn are write-protected through its rmap
	 * (kvm_mmu_slot_gfn_write_protect() -> rmap_write_protect()). */
	.write_protect_gfn = tdp_write_protect_gfn,
};
