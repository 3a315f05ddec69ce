// SPDX-License-Identifier: GPL-2.0
/*
 * memslot-move: memslots under SRCU, moved (KVM_MR_MOVE), deleted and
 * created while vCPUs fault, the host reclaims and migration's dirty log
 * is on. A move keeps the slot's memory and its dirty bitmap and gives it
 * new gfns; the old gfns become MMIO. As for a delete, nothing but the
 * slot's INVALID mark, the grace periods of kvm->srcu and the zap in
 * kvm_arch_flush_shadow_memslot() keeps a vCPU from reaching the memory
 * through an old gfn once the move has returned (model/memslots.c).
 *
 * move-zaps-new-range (with KVM_X86_QUIRK_SLOT_ZAP_ALL off, the zap given
 * the slot at its new base instead of the old one):
 *
 *   M move S from [4, 8) to [8, 12)        v0
 *   -------------------------------------  ------------------------------------
 *                                          fault on 5: map 5 -> P; TLB 5 -> P
 *   S' = S | INVALID; publish; synchronize
 *   zap [8, 12) (nothing there); flush
 *   publish S at [8, 12); synchronize
 *   return: 5 is MMIO now, yet mapped
 *     !!! spte-survived-slot-delete
 *                                          write 5 through its TLB: the page
 *                                          that is gfn 9 now
 *                                            !!! stale-tlb-after-slot-change
 *
 * move-drops-dirty-bitmap (the moved slot gets an empty bitmap instead of
 * the old slot's, which kvm_prepare_memory_region() hands it):
 *
 *   R reaper (userspace)       M move S from [4, 8) to [8, 12)   v0
 *   -------------------------  --------------------------------  -----------------
 *   enable logging; copy all
 *                                                                write 5 = x:
 *                                                                bit 5 set
 *                              invalidate, zap, flush; publish
 *                              S at [8, 12) with an empty bitmap
 *   harvest: nothing reported
 *   quiesced: page of 9 holds x, the copy does not
 *     !!! lost-dirty-write
 *
 * fault-ignores-invalid maps the slot marked INVALID after the zap, as it
 * does in memslot-delete: the old gfn outlives the move.
 */
#include "scenario.h"

static const struct dirty_log_policy log_upstream = DIRTY_LOG_POLICY();

static const struct memslot_policy slots_zap_slot_only = { .zap_slot_only = true };
static const struct memslot_policy slots_fault_ignores_invalid = { .fault_ignores_invalid = true };
static const struct memslot_policy slots_zap_new_range = { .zap_slot_only = true,
							   .move_zaps_new_range = true };
static const struct memslot_policy slots_drop_bitmap = { .move_drops_dirty_bitmap = true };

static const struct scenario_variant variants[] = {
	{
		.name = "fixed",
		.summary = "6.18: a move invalidates, zaps everything and flushes, then "
			   "publishes the slot at its new base with its dirty bitmap",
		.note = "kvm_set_memslot(KVM_MR_MOVE) -> kvm_invalidate_memslot(), "
			"kvm_arch_flush_shadow_memslot(kvm, old), kvm_move_memslot(); "
			"kvm_prepare_memory_region() keeps old->dirty_bitmap; harvests hold "
			"slots_lock; must run clean",
		.policy = &flush_policy_tdp,
	},
	{
		.name = "slot-zap-only",
		.summary = "KVM_X86_QUIRK_SLOT_ZAP_ALL off: zap the old slot's leaves and flush",
		.note = "kvm_mmu_zap_memslot(kvm, old) (6.12); must run clean",
		.policy = &flush_policy_tdp,
		.memslot_policy = &slots_zap_slot_only,
	},
	{
		.name = "fault-ignores-invalid",
		.summary = "the fault path maps a slot marked KVM_MEMSLOT_INVALID",
		.note = "a fault on an old gfn during the move maps it after the zap: the "
			"old gfn still reaches the slot's memory once the move has returned",
		.buggy = true,
		.claims.caught_by = DETECT_ORACLE | DETECT_RANDOM | DETECT_PCT | DETECT_COVER,
		.claims.depth = { 1, DEPTH_EXACT },
		.policy = &flush_policy_tdp,
		.memslot_policy = &slots_fault_ignores_invalid,
	},
	{
		.name = "move-zaps-new-range",
		.summary = "quirk off: the zap given the slot at its new base, not the old",
		.note = "kvm_arch_flush_shadow_memslot() takes the old slot; zapping the new "
			"range zaps nothing, and the old gfns keep their SPTEs and TLB "
			"entries",
		.buggy = true,
		.claims.caught_by = DETECT_ORACLE | DETECT_RANDOM | DETECT_PCT | DETECT_COVER,
		.claims.depth = { 0, DEPTH_EXACT },
		.policy = &flush_policy_tdp,
		.memslot_policy = &slots_zap_new_range,
	},
	{
		.name = "move-drops-dirty-bitmap",
		.summary = "a move gives the slot an empty dirty bitmap",
		.note = "the pages dirtied before the move and not yet harvested are never "
			"reported: the destination keeps their old contents",
		.buggy = true,
		.claims.caught_by = DETECT_ORACLE | DETECT_RANDOM | DETECT_PCT | DETECT_COVER,
		.claims.depth = { 0, DEPTH_EXACT },
		/* 7 of 20 seeds within 20 s: only the quiesced check at the
		 * run's end sees the lost page, and in free mode only if the
		 * run stops after a move and before the page is written again
		 * or the slot created anew (which copies it whole). */
		.claims.rare_in_free_mode = true,
		.policy = &flush_policy_tdp,
		.memslot_policy = &slots_drop_bitmap,
	},
};

static void memslot_move_defaults(struct vm_config *cfg, const struct run_config *rc,
				  const struct scenario_variant *v)
{
	(void)v;
	memslot_churn_defaults(cfg, rc);
	/* Four spare gfns above the two slots: the second moves between
	 * [4, 8) and [8, 12), and the vCPUs touch all twelve. */
	cfg->kvm.nr_gfns = 12;
	cfg->work.hot_gfns = 12;
	cfg->kvm.memslot_moves = true;
	cfg->kvm.log_policy = &log_upstream;
	cfg->kvm.log_mode = LOG_BITMAP;
	cfg->work.reaper_pause_us = 200;
	cfg->work.exec_harvests = 1;
}

/* The VM ends with dirty_log_test's check. */
static void memslot_move_workers(struct run *run, const struct scenario_variant *v)
{
	(void)v;
	run_vm(run)->quiesced_check = dirty_log_quiesced_check;
}

const struct scenario scenario_memslot_move = {
	.name = "memslot-move",
	.summary = "memslots under SRCU: a slot moved, deleted and created while vCPUs "
		   "fault and dirty logging is on",
	.origin = "kvm_set_memslot(), kvm_move_memslot(), kvm_prepare_memory_region() "
		  "(6.18); memslot_modification_stress_test, dirty_log_test",
	.arch = &x86_tdp_ops,
	.arch_note = "the x86 TDP MMU's fault path looks its slot up inside kvm->srcu; the "
		     "others' do not yet",
	.variants = variants,
	.nr_variants = ARRAY_SIZE(variants),
	.defaults = memslot_move_defaults,
	.workers = "memslots,invalidator,reaper",
	.controlled_workers = "memslots,reaper",
	.add_workers = memslot_move_workers,
};
