// SPDX-License-Identifier: GPL-2.0
/*
 * arm64's stage-2 MMU (arch/arm64/kvm/hyp/pgtable.c, arch/arm64/kvm/mmu.c),
 * 4K granule, levels 0-3, on the model's page-table tree. Faults run under
 * a read-held mmu_lock (every stage-2 fault since 6.2), so the map walker
 * changes a PTE only by break-before-make:
 *
 *   stage2_map_walker_try_leaf()
 *     the same mapping, or one differing only in permissions: -EAGAIN
 *     break: cmpxchg(old, LOCKED); a walker that finds LOCKED: -EAGAIN
 *     TLBI by IPA and level if old was valid (by VMID if a table)
 *     D-cache clean+invalidate to PoC if the new PTE is cacheable (not
 *       with FWB: the callback returns early)
 *     I-cache invalidate to PoU if the new PTE is executable (a no-op
 *       with DIC)
 *     make: smp_store_release(new)
 *
 *   v0 (fault on A)                 v1 (guest, caches off)
 *   ----------------------------    ------------------------------------
 *   break; TLBI; make valid         <- make-before-cmo: CMOs not done
 *                                   reads A through the valid PTE: PoC
 *                                   holds data older than the host wrote
 *                                     !!! stale-cache-seen
 *   clean D-cache to PoC            <- too late
 *
 * TLBIs are broadcast (model/tlbi.h): nothing here requests or kicks, and
 * the arch's unmap returns false, having invalidated each leaf it cleared,
 * so the notifier's core code flushes nothing more.
 *
 * Every step is a schedule point, and reported to a step hook (unit tests
 * record the order with it).
 */
#include "arch.h"

#include "../engine/sched.h"
#include "../engine/thread.h"
#include "../model/stage2_policy.h"
#include "../model/tlbi.h"

static const struct stage2_policy upstream_stage2;

static stage2_step_fn step_hook;
static void *step_arg;

void stage2_set_step_hook(stage2_step_fn fn, void *arg)
{
	step_hook = fn;
	step_arg = arg;
}

static void step(enum stage2_step s, gfn_t gfn, int level)
{
	if (step_hook)
		step_hook(s, gfn, level, step_arg);
	sched_point();
}

static const struct stage2_policy *policy_of(const struct kvm *kvm)
{
	return kvm->cfg.stage2 ? kvm->cfg.stage2 : &upstream_stage2;
}

bool stage2_pte_locked(uint64_t pte)
{
	return pte == S2_PTE_LOCKED;
}

static bool pte_valid(uint64_t pte)
{
	return is_shadow_present_pte(pte);
}

static bool pte_executable(uint64_t pte)
{
	return pte_valid(pte) && !(pte & S2_PTE_XN);
}

/* stage2_pte_needs_update(). */
static bool pte_needs_update(uint64_t old, uint64_t new)
{
	if (!pte_valid(old) || !pte_valid(new))
		return true;
	return (old ^ new) & ~S2_PTE_PERMS;
}

/* __kvm_tlb_flush_vmid_ipa() / __kvm_tlb_flush_vmid(). */
static void tlbi_ipa(struct kvm *kvm, gfn_t gfn, int level)
{
	step(STAGE2_TLBI_IPA, gfn, level);
	count(CNT_TLBI_IPA, 1);
	tlbi_broadcast(kvm, gfn_round_for_level(gfn, level), pages_per_level(level));
}

static void tlbi_vmid(struct kvm *kvm, gfn_t gfn, int level)
{
	step(STAGE2_TLBI_VMID, gfn, level);
	count(CNT_TLBI_VMID, 1);
	tlbi_broadcast(kvm, 0, TLBI_ALL);
}

/* mm_ops->dcache_clean_inval_poc() (clean_dcache_guest_page(): returns at
 * once with FWB, which also implies IDC). */
static void dcache_clean_inval_poc(struct kvm *kvm, kvm_pfn_t pfn, gfn_t gfn, int level)
{
	uint64_t pages = pages_per_level(level);

	if (kvm->cache->features.fwb)
		return;
	trace(TR_CMO_DCACHE, gfn, pfn);
	count(CNT_DCACHE_PAGES, pages);
	cache_clean_inval_poc(kvm->cache, pfn, pages);
	step(STAGE2_CMO_DCACHE, gfn, level);
}

/* mm_ops->icache_inval_pou() (invalidate_icache_guest_page(): an isb
 * alone with DIC). */
static void icache_inval_pou(struct kvm *kvm, kvm_pfn_t pfn, gfn_t gfn, int level)
{
	uint64_t pages = pages_per_level(level);

	if (kvm->cache->features.dic)
		return;
	trace(TR_CMO_ICACHE, gfn, pfn);
	count(CNT_ICACHE_PAGES, pages);
	cache_inval_icache_pou(kvm->cache, pfn, pages);
	step(STAGE2_CMO_ICACHE, gfn, level);
}

/* The CMOs the walker owes a new leaf before it is made valid. */
static void leaf_cmos(struct kvm *kvm, uint64_t new, gfn_t gfn, int level)
{
	if (policy_of(kvm)->cmo_in_abort)
		return;
	dcache_clean_inval_poc(kvm, spte_to_pfn(new), gfn, level);
	if (pte_executable(new))
		icache_inval_pou(kvm, spte_to_pfn(new), gfn, level);
}

/* stage2_try_break_pte(): lock the PTE, then invalidate what it held. */
static bool try_break_pte(struct kvm *kvm, _Atomic uint64_t *ptep, uint64_t old, gfn_t gfn,
			  int level)
{
	if (stage2_pte_locked(old))
		return false;
	if (cmpxchg(ptep, old, S2_PTE_LOCKED) != old)
		return false;
	trace(TR_S2_BREAK, gfn, old);
	count(CNT_S2_BREAKS, 1);
	step(STAGE2_BREAK, gfn, level);
	if (pte_valid(old) && !is_last_spte(old, level))
		tlbi_vmid(kvm, gfn, level);
	else if (pte_valid(old))
		tlbi_ipa(kvm, gfn, level);
	return true;
}

/* stage2_make_pte(). */
static void make_pte(_Atomic uint64_t *ptep, uint64_t new, gfn_t gfn, int level)
{
	smp_store_release(ptep, new);
	trace(TR_S2_MAKE, gfn, new);
	step(STAGE2_MAKE, gfn, level);
}

/* The no-break variant: valid replaced by valid in one store. */
static int replace_without_break(_Atomic uint64_t *ptep, uint64_t old, uint64_t new, gfn_t gfn,
				 int level)
{
	if (stage2_pte_locked(old) || cmpxchg(ptep, old, new) != old)
		return -EAGAIN;
	trace(TR_S2_MAKE, gfn, new);
	step(STAGE2_MAKE, gfn, level);
	return 0;
}

/* stage2_map_walker_try_leaf(). */
static int map_walker_try_leaf(struct kvm *kvm, _Atomic uint64_t *ptep, uint64_t new, gfn_t gfn,
			       int level)
{
	const struct stage2_policy *p = policy_of(kvm);
	uint64_t old = READ_ONCE(*ptep);

	if (!pte_needs_update(old, new) && !(p->rebreak_perms && old != new)) {
		count(CNT_S2_EAGAIN, 1);
		return -EAGAIN;
	}
	if (p->no_break && pte_valid(old))
		return replace_without_break(ptep, old, new, gfn, level);
	if (!try_break_pte(kvm, ptep, old, gfn, level)) {
		count(CNT_S2_EAGAIN, 1);
		return -EAGAIN;
	}
	if (p->make_before_cmo) {
		make_pte(ptep, new, gfn, level);
		leaf_cmos(kvm, new, gfn, level);
	} else {
		leaf_cmos(kvm, new, gfn, level);
		make_pte(ptep, new, gfn, level);
	}
	return 0;
}

uint64_t stage2_leaf_pte(kvm_pfn_t pfn, uint32_t gen, int level, unsigned prot)
{
	uint64_t pte = make_leaf_spte(pfn, gen, level, prot & STAGE2_PROT_W);

	return prot & STAGE2_PROT_X ? pte : pte | S2_PTE_XN;
}

int kvm_pgtable_stage2_map(struct kvm *kvm, gfn_t gfn, int level, kvm_pfn_t pfn, uint32_t gen,
			   unsigned prot)
{
	_Atomic uint64_t *ptep = spt_slot_root(kvm->root, gfn, level);

	/* A block above the level: upstream splits it; a fault that maps
	 * at 4K where a block is already valid has nothing to do. */
	if (!ptep)
		return -EAGAIN;
	return map_walker_try_leaf(kvm, ptep, stage2_leaf_pte(pfn, gen, level, prot), gfn, level);
}

/* kvm_pgtable_stage2_relax_perms() through stage2_attr_walker(): no break;
 * adding X invalidates the I-cache before the PTE changes; then a local
 * TLBI (a12ab1378a88: other PEs that cached the stricter entry fault and
 * relax it for themselves). */
int kvm_pgtable_stage2_relax_perms(struct kvm_vcpu *vcpu, gfn_t gfn, unsigned prot)
{
	struct kvm *kvm = vcpu->kvm;
	int level;
	uint64_t old = spt_walk_root(kvm->root, gfn, &level), new;
	_Atomic uint64_t *ptep;

	if (!pte_valid(old))
		return -EAGAIN;
	new = old;
	if (prot & STAGE2_PROT_W)
		new |= SPTE_WRITABLE | SPTE_MMU_WRITABLE | SPTE_HOST_WRITABLE;
	if (prot & STAGE2_PROT_X)
		new &= ~S2_PTE_XN;
	if (new == old)
		return -EAGAIN;
	if (pte_executable(new) && !pte_executable(old) && !policy_of(kvm)->relax_x_skips_icache)
		icache_inval_pou(kvm, spte_to_pfn(old) + (gfn - gfn_round_for_level(gfn, level)),
				 gfn, PG_LEVEL_4K);
	ptep = spt_slot_root(kvm->root, gfn, level);
	if (!ptep || cmpxchg(ptep, old, new) != old)
		return -EAGAIN;
	trace(TR_S2_MAKE, gfn, new);
	step(STAGE2_RELAX, gfn, level);
	count(CNT_TLB_DROPPED,
	      tlb_flush_range(&vcpu->tlb, gfn_round_for_level(gfn, level), pages_per_level(level)));
	return 0;
}

/*
 * user_mem_abort(): snapshot mmu_invalidate_seq, look the pfn up, then
 * under the read-held mmu_lock check for a racing invalidation and map (or
 * relax the permissions of a valid PTE that lacks only X). -EAGAIN ends the
 * fault: the vCPU re-enters and faults again if it must. Before
 * 25aa28691bb9 (cmo_in_abort) the CMOs were made here on every fault.
 */
static bool stage2_page_fault(struct kvm_vcpu *vcpu, gfn_t gfn, bool write)
{
	struct kvm *kvm = vcpu->kvm;
	unsigned long mmu_seq = kvm_mmu_invalidate_seq_read(kvm);
	bool exec = vcpu->fault_exec;
	/* Guest memory is writable anonymous host memory, so every fault
	 * maps W (upstream: `if (writable) prot |= KVM_PGTABLE_PROT_W`); the
	 * model's arm64 has no dirty logging to take it away. */
	unsigned prot = STAGE2_PROT_W;
	struct page_ref page;
	int level;
	uint64_t pte;

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
	if (policy_of(kvm)->cmo_in_abort) {
		dcache_clean_inval_poc(kvm, page.pfn, gfn, PG_LEVEL_4K);
		if (exec)
			icache_inval_pou(kvm, page.pfn, gfn, PG_LEVEL_4K);
	}
	/* Executable if the fault is a fetch's, or always with DIC. */
	if (exec || kvm->cache->features.dic)
		prot |= STAGE2_PROT_X;
	pte = spt_walk_root(kvm->root, gfn, &level);
	if (exec && pte_valid(pte) && !pte_executable(pte) && spte_to_pfn(pte) == page.pfn)
		kvm_pgtable_stage2_relax_perms(vcpu, gfn, prot);
	else
		kvm_pgtable_stage2_map(kvm, gfn, PG_LEVEL_4K, page.pfn, page.gen, prot);
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
	const struct stage2_policy *p = policy_of(kvm);
	bool cleared = false;

	for (gfn_t gfn = start; gfn < end;) {
		int level;
		uint64_t old = spt_walk_root(kvm->root, gfn, &level);
		gfn_t base = gfn_round_for_level(gfn, level);

		if (!pte_valid(old)) {
			gfn++;
			continue;
		}
		WRITE_ONCE(*spt_slot_root(kvm->root, base, level), 0ULL);
		trace(TR_SPTE_ZAP, base, old);
		count(CNT_ZAPS, 1);
		cleared = true;
		if (!p->vmid_flush_on_ret && !p->unmap_skips_tlbi)
			tlbi_ipa(kvm, base, level);
		dcache_clean_inval_poc(kvm, spte_to_pfn(old), base, level);
		gfn = base + pages_per_level(level);
	}
	return p->vmid_flush_on_ret && cleared;
}

const struct mmu_arch_ops arm64_stage2_ops = {
	.name = "arm64-stage2",
	.broadcast_tlbi = true,
	.page_fault = stage2_page_fault,
	.invlpg = stage2_guest_tlbi,
	.unmap_gfn_range = stage2_unmap_gfn_range,
};
