// SPDX-License-Identifier: GPL-2.0
/*
 * arm64's stage-2 MMU as KVM drives it (arch/arm64/kvm/mmu.c): the fault
 * path, user_mem_abort(), under a read-held mmu_lock; the MMU notifier's
 * unmap and aging, and dirty logging's write-protect, each through the
 * page-table walker (arch/arm64_pgtable.c). TLBIs are broadcast: the unmap
 * walker invalidates each leaf it clears and returns false, so the
 * notifier's core code flushes nothing more (seed 000's arm64 half:
 * vmid_flush_on_ret leaves it to core code's VMID-wide flush instead).
 */
#include "arm64_pgtable.h"

#include "../engine/check.h"
#include "../engine/sched.h"
#include "../engine/thread.h"
#include "../model/dirty_log.h"
#include "../model/flush.h"
#include "../model/memslots.h"
#include "../model/tlbi.h"

/* A permission fault: the leaf is valid and lacks a permission the
 * fault asks for (the hardware reports FSC_PERM). */
static bool permission_fault(uint64_t pte, unsigned prot)
{
	return stage2_pte_valid(pte) && (((prot & STAGE2_PROT_X) && !stage2_pte_executable(pte)) ||
					 ((prot & STAGE2_PROT_W) && !is_writable_pte(pte)));
}

/*
 * A permission fault relax_perms fixes: the leaf maps the fault's frame,
 * at the level the fault would map (upstream: vma_pagesize ==
 * fault_granule; at any other level user_mem_abort() maps, which splits
 * or collapses).
 */
static bool fault_relaxes(uint64_t pte, int leaf_level, int level, gfn_t gfn, kvm_pfn_t pfn,
			  unsigned prot)
{
	return permission_fault(pte, prot) && leaf_level == level &&
	       spte_to_pfn(pte) + (gfn - gfn_round_for_level(gfn, level)) == pfn;
}

/*
 * Under the read-held mmu_lock, past the retry check: the CMOs the
 * pre-seed order made here (the D-cache clean unless the fault was a
 * permission fault, the I-cache invalidation for a fetch's), then relax or
 * map at the fault's level. The walk stands for the fault status the
 * hardware reported.
 */
static int stage2_fault_locked(struct kvm_vcpu *vcpu, gfn_t gfn, struct page_ref page,
			       unsigned prot, int level)
{
	struct kvm *kvm = vcpu->kvm;
	gfn_t base = gfn_round_for_level(gfn, level);
	kvm_pfn_t pfn = page.pfn - (gfn - base);
	int leaf_level;
	uint64_t pte = spt_walk_root(kvm->root, gfn, &leaf_level);

	if (stage2_policy_of(kvm)->cmo_in_abort) {
		if (!permission_fault(pte, prot))
			stage2_dcache_clean_inval_poc(kvm, pfn, gfn, level);
		if (vcpu->fault_exec)
			stage2_icache_inval_pou(kvm, pfn, gfn, level);
	}
	if (fault_relaxes(pte, leaf_level, level, gfn, page.pfn, prot))
		return kvm_pgtable_stage2_relax_perms(vcpu, gfn, prot);
	return kvm_pgtable_stage2_map(kvm, gfn, level, pfn, page.gen, prot);
}

/*
 * user_mem_abort(): snapshot mmu_invalidate_seq, look the pfn up, then
 * under the read-held mmu_lock check for a racing invalidation
 * (mmu_invalidate_retry(), any range) and map at
 * the level the memslot and the host allow (4K while the memslot is
 * logged: force_pte), or relax the permissions of a leaf that lacks only
 * W or X. -EAGAIN ends the fault: the vCPU re-enters and faults again if
 * it must. Before 25aa28691bb9 (cmo_in_abort) the CMOs were made here on
 * every fault. The walk runs inside rcu_read_lock() (kvm_pgtable_walk_
 * begin() for a shared walk): a collapse may unlink a table it is in.
 */
static bool stage2_page_fault(struct kvm_vcpu *vcpu, gfn_t gfn, bool write)
{
	struct kvm *kvm = vcpu->kvm;
	unsigned long mmu_seq = kvm_mmu_invalidate_seq_read(kvm);
	/* Guest memory is writable anonymous host memory: a fault maps W,
	 * but a read fault in a logged memslot maps read-only, so that the
	 * first write faults and is logged ("Only actually map the page as
	 * writable if this was a write fault"). */
	bool writable, invalid;
	unsigned prot = 0;
	struct page_ref page;
	struct kvm_memory_slot *slot;
	int level, ret;

	trace(TR_FAULT, gfn, mmu_seq);
	count(CNT_FAULTS, 1);
	/* kvm_handle_guest_abort(), inside kvm->srcu: a gfn with no slot, or
	 * whose slot is being deleted or moved (gfn_to_hva_memslot_prot()
	 * gives KVM_HVA_ERR_BAD for an invalid slot), is an MMIO access
	 * (io_mem_abort()), where x86 retries. */
	slot = kvm_faultin_memslot(vcpu, gfn, &invalid);
	if (!slot) {
		vcpu->mmio_emulated = true;
		return true;
	}
	page = hostmem_get_page(&kvm->mem, slot_gfn_to_hva(kvm, slot, gfn));
	sched_point();
	mmu_lock(kvm, MMU_LOCK_READ);
	/* The whole-VM form, as upstream's user_mem_abort() has it: any
	 * invalidation in progress retries, not only one over gfn. */
	if (mmu_invalidate_retry(kvm, mmu_seq)) {
		mmu_unlock(kvm, MMU_LOCK_READ);
		trace(TR_FAULT_RETRY, gfn, mmu_seq);
		count(CNT_FAULT_RETRIES, 1);
		return false;
	}
	spt_rcu_read_lock();
	writable = write || !kvm_dirty_tracking_wants_4k(kvm, gfn);
	if (writable)
		prot |= STAGE2_PROT_W;
	/* Executable if the fault is a fetch's, or always with DIC. */
	if (vcpu->fault_exec || kvm->cache->features.dic)
		prot |= STAGE2_PROT_X;
	level = fault_mapping_level(kvm, gfn, page.pfn);
	ret = stage2_fault_locked(vcpu, gfn, page, prot, level);
	/* "Mark the page dirty only if the fault is handled successfully",
	 * still under the lock a harvest takes for write. */
	if (writable && !ret)
		mark_page_dirty(vcpu, gfn);
	spt_rcu_read_unlock();
	mmu_unlock(kvm, MMU_LOCK_READ);
	return true;
}

/* The guest's TLBI by VA for its own translation: this PE's entry. */
static void stage2_guest_tlbi(struct kvm_vcpu *vcpu, gfn_t gfn)
{
	trace(TR_TLB_FLUSH_ONE, gfn, tlb_flush_range(&vcpu->tlb, gfn, 1));
	count(CNT_LOCAL_FLUSHES, 1);
}

/*
 * kvm_unmap_gfn_range() -> kvm_pgtable_stage2_unmap() through
 * stage2_unmap_walker(): clear each leaf, TLBI it by IPA, then clean the
 * old page to PoC unless FWB (the guest may have written it with caches
 * off). Returns false: the walker invalidated what it cleared, so core
 * code does not flush the VMID (vmid_flush_on_ret: true, and core code's
 * flush drops every entry of the VMID). mmu_lock held for write.
 */
static bool stage2_unmap_gfn_range(struct kvm *kvm, gfn_t start, gfn_t end)
{
	const struct stage2_policy *p = stage2_policy_of(kvm);
	bool cleared = false;

	for (gfn_t gfn = start; gfn < end;) {
		int level;
		uint64_t old = spt_walk_root(kvm->root, gfn, &level);
		gfn_t base;

		/* No leaf: the walk set no level. */
		if (!stage2_pte_valid(old)) {
			gfn++;
			continue;
		}
		base = gfn_round_for_level(gfn, level);
		WRITE_ONCE(*spt_slot_root(kvm->root, base, level), 0ULL);
		trace(TR_SPTE_ZAP, base, old);
		count(CNT_ZAPS, 1);
		cleared = true;
		if (!p->vmid_flush_on_ret && !p->unmap_skips_tlbi)
			stage2_tlbi_ipa(kvm, base, level);
		stage2_dcache_clean_inval_poc(kvm, spte_to_pfn(old), base, level);
		gfn = base + pages_per_level(level);
	}
	return p->vmid_flush_on_ret && cleared;
}

/*
 * kvm_mmu_write_protect_pt_masked() / kvm_mmu_wp_memory_region() for one
 * gfn: stage2_wp_range() -> kvm_pgtable_stage2_wrprotect() clears S2AP W of
 * the leaf that maps it, a whole block if a block does (the fault that
 * writes then maps 4K and splits it). mmu_lock held for write, so no
 * walker races the store; the caller flushes (kvm_flush_remote_tlbs*(),
 * a VMID-wide TLBI here). Logging only: arm64 has no write-tracking.
 */
static bool stage2_write_protect_gfn(struct kvm *kvm, gfn_t gfn, bool for_tracking, bool *changed)
{
	int level;
	uint64_t old = spt_walk_root(kvm->root, gfn, &level);
	_Atomic uint64_t *ptep;

	HARNESS_ASSERT(!for_tracking, "write-tracking asked of %s", kvm->arch->name);
	*changed = false;
	if (!stage2_pte_valid(old) || !is_writable_pte(old))
		return false;
	ptep = stage2_slot_at(kvm, gfn, level);
	HARNESS_ASSERT(ptep, "a leaf for gfn %llu with no table above it", (unsigned long long)gfn);
	WRITE_ONCE(*ptep, old & ~SPTE_WRITABLE);
	*changed = true;
	return true;
}

/*
 * kvm_age_gfn() / kvm_test_age_gfn() through
 * kvm_pgtable_stage2_test_clear_young(): was the leaf's access flag set;
 * with clear, make the leaf old and invalidate it, so that the next access
 * walks and sets the flag again: by IPA per leaf, the targeted TLBI in the
 * arch walker seed 000 asks for; or, with vmid_flush_on_ret, core code's
 * flush_on_ret after the handler (kvm_handle_hva_range(): one VMID-wide
 * TLBI if any page was young, which under nested virtualization discards
 * the shadow stage 2 too). A shared walk: mmu_lock held for read, inside
 * rcu_read_lock().
 */
static bool stage2_age_gfn(struct kvm *kvm, gfn_t gfn, bool clear)
{
	bool vmid_flush = stage2_policy_of(kvm)->vmid_flush_on_ret;
	int level;
	uint64_t old;
	bool young;

	mmu_lock(kvm, MMU_LOCK_READ);
	spt_rcu_read_lock();
	old = spt_walk_root(kvm->root, gfn, &level);
	young = stage2_pte_valid(old) && !(old & S2_PTE_OLD);
	if (young && clear) {
		gfn_t base = gfn_round_for_level(gfn, level);
		_Atomic uint64_t *ptep = stage2_slot_at(kvm, gfn, level);

		if (ptep && cmpxchg(ptep, old, old | S2_PTE_OLD) == old) {
			trace(TR_SPTE_SET, base, old | S2_PTE_OLD);
			if (!vmid_flush)
				stage2_tlbi_ipa(kvm, base, level);
		}
		if (vmid_flush)
			kvm_flush_remote_tlbs(kvm);
	}
	spt_rcu_read_unlock();
	mmu_unlock(kvm, MMU_LOCK_READ);
	count(CNT_AGINGS, 1);
	return young;
}

/* kvm_arch_flush_remote_tlbs(): __kvm_tlb_flush_vmid(), a broadcast TLBI
 * of the whole VMID; no request, no kick. */
static void stage2_flush_remote_tlbs(struct kvm *kvm)
{
	count(CNT_TLBI_VMID, 1);
	count(CNT_FLUSHES, 1);
	tlbi_broadcast(kvm, 0, TLBI_ALL);
}

/* kvm_arch_flush_remote_tlbs_range(): kvm_tlb_flush_vmid_range(),
 * broadcast. */
static int stage2_flush_remote_tlbs_range(struct kvm *kvm, gfn_t gfn, uint64_t nr)
{
	count(CNT_TLBI_RANGE, 1);
	count(CNT_RANGE_FLUSHES, 1);
	count(CNT_RANGE_PAGES, nr);
	tlbi_broadcast(kvm, gfn, nr);
	return 0;
}

const struct mmu_arch_ops arm64_stage2_ops = {
	.name = "arm64-stage2",
	.broadcast_tlbi = true,
	.flush_remote_tlbs = stage2_flush_remote_tlbs,
	.flush_remote_tlbs_range = stage2_flush_remote_tlbs_range,
	.page_fault = stage2_page_fault,
	.invlpg = stage2_guest_tlbi,
	.unmap_gfn_range = stage2_unmap_gfn_range,
	.write_protect_gfn = stage2_write_protect_gfn,
	.no_write_tracking = true,
	.memslot_changes = true,
	.memslot_zaps_slot_only = true,
	.age_gfn = stage2_age_gfn,
	.walk_sets_accessed = stage2_walk_found,
	.spte_is_old = stage2_spte_is_old,
};
