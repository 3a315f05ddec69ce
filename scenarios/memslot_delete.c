// SPDX-License-Identifier: GPL-2.0
/*
 * memslot-delete: memslots under SRCU. Userspace deletes a memslot and
 * creates it again (memslot_modification_stress_test's shape), freeing its
 * memory once the delete has returned, while vCPUs fault and the host
 * reclaims. The delete takes no part in the mmu_invalidate protocol: only
 * the slot's INVALID mark, the grace periods of kvm->srcu and the zap in
 * kvm_arch_flush_shadow_memslot() keep a translation of the slot from
 * outliving it (model/memslots.c draws the window).
 *
 * fault-ignores-invalid (a fault path without kvm_mmu_faultin_pfn()'s
 * check of KVM_MEMSLOT_INVALID):
 *
 *   M delete slot S                        v0: fault on G in S
 *   -------------------------------------  ------------------------------------
 *   S' = S | INVALID; publish; synchronize
 *   zap all; flush
 *                                          srcu_read_lock; slot = S' (invalid,
 *                                          mapped anyway); seq unchanged (the
 *                                          delete began no invalidation); map G
 *   publish the set without S; synchronize
 *   return: G still mapped
 *     !!! spte-survived-slot-delete
 *                                          access G through its TLB
 *                                            !!! stale-tlb-after-slot-change
 *   munmap S's memory: the notifier finds
 *   no slot, frees G's frame
 *                                          access G through its TLB
 *                                            !!! stale-tlb-after-free
 *
 * swap-during-invalidation (before 52ac8b358b0c, "KVM: Block memslot
 * updates across range_start() and range_end()"), which this model found
 * again before it had the block:
 *
 *   N unmap hva [3, 5)                M                       v0
 *   --------------------------------  ----------------------  ---------------------
 *   range_start: slot 1 is gone:
 *   begin; range [3, 4) (slot 0's)
 *                                     create slot 1 [4, 8)
 *                                                             fault on 4: slot 1;
 *                                                             pfn P (still mapped);
 *                                                             4 not in [3, 4), seq
 *                                                             unchanged: map 4 -> P
 *   unmap hva 4 (P); range_end; free P
 *                                                             access 4 through its TLB
 *                                                               !!! stale-tlb-after-free
 *
 * arm64 runs the same delete on stage-2: kvm_arch_flush_shadow_memslot()
 * unmaps the slot's range (kvm_stage2_unmap_range()), whose walker issues
 * each leaf's TLBI, and a fault on the invalid slot is an MMIO abort.
 * arm64-unmap-skips-tlbi leaves the TLBIs out:
 *
 *   M delete slot S                        v0
 *   -------------------------------------  ------------------------------------
 *                                          fault on G in S: map G; TLB G -> P
 *   S' = S | INVALID; publish; synchronize
 *   unmap S's range: clear G's leaf,
 *   no TLBI
 *   publish the set without S; synchronize
 *   return
 *                                          access G through its TLB
 *                                            !!! stale-tlb-after-slot-change
 *
 * swap-without-synchronize publishes each set without waiting for its
 * readers: a fault that looked S up before the mark maps it after the zap,
 * or reads a set already freed (walker-used-freed-table). slot-zap-no-flush
 * (KVM_X86_QUIRK_SLOT_ZAP_ALL off, the zap without its flush) leaves the
 * vCPUs' TLB entries for S behind the delete's return
 * (stale-tlb-after-slot-change) and the memory userspace frees after it.
 */
#include "scenario.h"

static const struct memslot_policy slots_zap_slot_only = { .zap_slot_only = true };
static const struct memslot_policy slots_fault_ignores_invalid = { .fault_ignores_invalid = true };
static const struct memslot_policy slots_no_synchronize = { .swap_skips_synchronize = true };
static const struct memslot_policy slots_swap_during_invalidation = { .swap_ignores_invalidations =
									      true };
static const struct memslot_policy slots_zap_no_flush = { .zap_slot_only = true,
							  .zap_skips_flush = true };
static const struct stage2_policy stage2_unmap_skips_tlbi = { .unmap_skips_tlbi = true };

static const struct scenario_variant variants[] = {
	{
		.name = "fixed",
		.summary = "6.18: mark INVALID, swap and wait, zap everything and flush, swap "
			   "and wait",
		.note = "kvm_set_memslot() -> kvm_invalidate_memslot(), "
			"kvm_arch_flush_shadow_memslot() with KVM_X86_QUIRK_SLOT_ZAP_ALL "
			"(kvm_mmu_zap_all_fast()), kvm_delete_memslot(); faults retry on an "
			"invalid slot; must run clean",
		.policy = &flush_policy_tdp,
	},
	{
		.name = "slot-zap-only",
		.summary = "KVM_X86_QUIRK_SLOT_ZAP_ALL off: zap the slot's leaves and flush",
		.note = "kvm_mmu_zap_memslot() (6.12): fewer zaps, the same safety; must run "
			"clean",
		.policy = &flush_policy_tdp,
		.memslot_policy = &slots_zap_slot_only,
	},
	{
		.name = "fault-ignores-invalid",
		.summary = "the fault path maps a slot marked KVM_MEMSLOT_INVALID",
		.note = "with no invalidation begun, nothing else stops a fault that maps the "
			"dying slot after its zap: the SPTE outlives the delete",
		.buggy = true,
		.claims.caught_by = DETECT_ORACLE | DETECT_RANDOM | DETECT_PCT | DETECT_COVER,
		.claims.depth = { 1, DEPTH_EXACT },
		.policy = &flush_policy_tdp,
		.memslot_policy = &slots_fault_ignores_invalid,
	},
	{
		.name = "swap-without-synchronize",
		.summary = "kvm_swap_active_memslots() without synchronize_srcu_expedited()",
		.note = "a fault that saw the slot valid maps it after the zap, or reads a "
			"memslot set already freed",
		.buggy = true,
		.claims.caught_by = DETECT_ORACLE | DETECT_RANDOM | DETECT_PCT | DETECT_COVER,
		.claims.depth = { 1, DEPTH_EXACT },
		.policy = &flush_policy_tdp,
		.memslot_policy = &slots_no_synchronize,
	},
	{
		.name = "swap-during-invalidation",
		.summary = "memslot swaps while MMU-notifier invalidations are in flight",
		.note = "before 52ac8b358b0c: an invalidation that began while the slot was "
			"gone ends with a range that does not cover its gfns, and a fault on "
			"the slot created meanwhile maps a page the invalidation then frees",
		.buggy = true,
		.claims.caught_by = DETECT_ORACLE | DETECT_RANDOM | DETECT_PCT | DETECT_COVER,
		.claims.depth = { 1, DEPTH_EXACT },
		.claims.pct_depth = 4, /* pct:3 caught 15 of 20 within 200,000 */
		/* pct:4 under tso and weak: 14 of 20 each within 200,000. */
		.claims.pct_sc_only = true,
		.policy = &flush_policy_tdp,
		.memslot_policy = &slots_swap_during_invalidation,
		/* The host's reclaim, twice per execution and across both
		 * slots: one unmap must begin while the slot is gone. */
		.actors = "invalidator=1",
		.controlled_workload = "unmap-pages=4,invalidations=2",
	},
	{
		.name = "slot-zap-no-flush",
		.summary = "quirk off: the slot's leaves zapped without their flush",
		.note = "the vCPUs' TLB entries for the slot outlive the delete and the "
			"memory userspace frees after it",
		.buggy = true,
		.claims.caught_by = DETECT_ORACLE | DETECT_RANDOM | DETECT_PCT | DETECT_COVER,
		.claims.depth = { 1, DEPTH_EXACT },
		.policy = &flush_policy_tdp,
		.memslot_policy = &slots_zap_no_flush,
	},
	{
		.name = "arm64-unmap",
		.summary = "arm64 stage-2: mark INVALID, swap and wait, unmap the slot's range "
			   "with its TLBIs, swap and wait",
		.note = "kvm_arch_flush_shadow_memslot() -> kvm_stage2_unmap_range(); a fault "
			"on an invalid slot is an MMIO abort (kvm_handle_guest_abort()); must run "
			"clean",
		.arch = &arm64_stage2_ops,
		.policy = &flush_policy_tdp,
	},
	{
		.name = "arm64-unmap-skips-tlbi",
		.summary = "arm64: the slot's unmap clears its leaves without their TLBIs",
		.note = "stage2_unmap_walker() without its TLBI, which is all the slot's unmap "
			"owes the TLBs: the entries outlive the delete",
		.buggy = true,
		.claims.caught_by = DETECT_ORACLE | DETECT_RANDOM | DETECT_PCT | DETECT_COVER,
		.claims.depth = { 1, DEPTH_EXACT },
		.arch = &arm64_stage2_ops,
		.policy = &flush_policy_tdp,
		.stage2_policy = &stage2_unmap_skips_tlbi,
	},
};

void memslot_churn_defaults(struct vm_config *cfg, const struct run_config *rc)
{
	cfg->kvm.nr_vcpus = 2;
	/* Two slots of four gfns: the second comes and goes. */
	cfg->kvm.nr_gfns = 8;
	cfg->kvm.nr_memslots = 2;
	cfg->kvm.memslot_changes = true;
	cfg->work = (struct workload){
		.hot_gfns = 8,
		.slice = 64,
		.write_ratio = 0.5,
		.invlpg_ratio = 0,
		.unmap_pages_max = 2,
		.invalidate_pause_us = 500,
		.slot_pause_us = 200,
		.exec_guest_entries = 6,
		.exec_invalidations = 1,
		.exec_slot_changes = 1,
	};
	if (rc->sched != SCHED_FREE)
		cfg->work.slice = 6;
}

static void memslot_delete_defaults(struct vm_config *cfg, const struct run_config *rc,
				    const struct scenario_variant *v)
{
	(void)v;
	memslot_churn_defaults(cfg, rc);
}

const struct scenario scenario_memslot_delete = {
	.name = "memslot-delete",
	.summary = "memslots under SRCU: a slot deleted and created while vCPUs fault",
	.origin = "kvm_set_memslot() and kvm_arch_flush_shadow_memslot() (6.18); "
		  "memslot_modification_stress_test",
	.arch = &x86_tdp_ops,
	.arch_note = "the x86 TDP MMU's and arm64 stage-2's fault paths look their slot up "
		     "inside kvm->srcu; the shadow MMU's does not yet",
	.variants = variants,
	.nr_variants = ARRAY_SIZE(variants),
	.defaults = memslot_delete_defaults,
	.workers = "memslots,invalidator",
	.controlled_workers = "memslots",
};
