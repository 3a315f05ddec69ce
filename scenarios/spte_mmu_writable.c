// SPDX-License-Identifier: GPL-2.0
/*
 * spte-mmu-writable: which SPTE changes need a TLB flush (seed 003). Since
 * 6.13 (081976992f43) leaf_spte_change_needs_tlb_flush() says: flush iff
 * MMU-writable goes from 1 to 0. Dirty logging clears only W and may leave
 * writable TLB entries behind for a moment: it flushes for the entries it
 * reaped, after dropping mmu_lock. Write-tracking clears MMU-writable too
 * and may not return while any vCPU can still write the gfn.
 *
 * The race the rule "flush iff old.W && !new.W" loses (w-rule):
 *
 *   v1                         R dirty log                 T write-tracker
 *   ------------------------   -------------------------   -----------------------------
 *   write G: TLB G writable
 *                              mmu_lock; G: W=0, MMU-W=1
 *                              mmu_unlock
 *                              (its flush still to come)
 *                                                          mmu_lock; G: MMU-W=0
 *                                                          old.W == 0: "no flush"
 *                                                          mmu_unlock: G is tracked
 *   write G through the TLB
 *     !!! write-escaped-tracking
 *                              flush
 *
 * The ager opens the same window for good: aging clears W (access
 * tracking) and never flushes, so T again sees old.W == 0.
 *
 * never-flush-overwrite (the September 2024 idea: overwriting a present
 * SPTE never flushes) loses it without R's help.
 *
 * enable-log-no-flush (before b64d740ea7dd: enabling dirty logging flushed
 * only if some SPTE changed):
 *
 *   v1                         A ager                      R dirty log
 *   ------------------------   -------------------------   -----------------------------
 *   write G: TLB G writable
 *                              age G: access-tracked,
 *                              W cleared, no flush
 *                                                          enable logging: write-protect
 *                                                          all; G has no W: unchanged;
 *                                                          nothing changed: no flush
 *   write G through the TLB
 *     !!! lost-dirty-write
 */
#include "scenario.h"

#include "../workers/workers.h"

/* The seed's first proposal: a flush only when W itself goes away. */
static bool w_rule(uint64_t old_spte, uint64_t new_spte)
{
	return is_writable_pte(old_spte) && !is_writable_pte(new_spte);
}

static bool never_flush(uint64_t old_spte, uint64_t new_spte)
{
	(void)old_spte;
	(void)new_spte;
	return false;
}

static const struct dirty_log_policy log_upstream = DIRTY_LOG_POLICY();
static const struct dirty_log_policy log_enable_no_flush =
	DIRTY_LOG_POLICY(.enable_always_flushes = false);
static const struct write_track_policy track_w_rule = { .leaf_change_needs_flush = w_rule };
static const struct write_track_policy track_never = { .leaf_change_needs_flush = never_flush };

static const struct scenario_variant variants[] = {
	{
		.name = "fixed",
		.summary = "flush iff MMU-writable goes 1 -> 0; enabling logging always flushes",
		.note = "6.13's leaf_spte_change_needs_tlb_flush() and b64d740ea7dd; must run "
			"clean",
		.policy = &flush_policy_tdp,
		.log_policy = &log_upstream,
	},
	{
		.name = "w-rule",
		.summary = "flush iff old.W && !new.W",
		.note = "after dirty logging cleared W (its flush still pending), tracking "
			"sees W == 0 and returns without a flush",
		.buggy = true,
		.claims.caught_by = DETECT_ORACLE | DETECT_RANDOM | DETECT_PCT,
		.claims.depth = { 1, DEPTH_EXACT },
		.claims.shows_with_ad_bits = AD_BITS_OFF, /* with PML logging never clears W */
		.policy = &flush_policy_tdp,
		.log_policy = &log_upstream,
		.track_policy = &track_w_rule,
	},
	{
		.name = "never-flush-overwrite",
		.summary = "overwriting a present SPTE never flushes",
		.note = "write-tracking's write-protect returns while vCPUs hold the gfn "
			"writable in their TLBs",
		.buggy = true,
		.claims.caught_by = DETECT_ORACLE | DETECT_RANDOM | DETECT_PCT,
		.claims.depth = { 1, DEPTH_EXACT },
		.policy = &flush_policy_tdp,
		.log_policy = &log_upstream,
		.track_policy = &track_never,
	},
	{
		.name = "enable-log-no-flush",
		.summary = "enabling dirty logging flushes only if some SPTE changed",
		.note = "an access-tracked SPTE has no W to clear, so nothing changes, but a "
			"TLB still holds it writable: writes go unlogged",
		.buggy = true,
		.claims.caught_by = DETECT_ORACLE | DETECT_RANDOM | DETECT_PCT,
		.claims.depth = { 1, DEPTH_EXACT },
		.claims.shows_with_ad_bits = AD_BITS_OFF, /* needs access tracking */
		.policy = &flush_policy_tdp,
		.log_policy = &log_enable_no_flush,
	},
};

static void spte_mmu_writable_defaults(struct vm_config *cfg, const struct run_config *rc,
				       const struct scenario_variant *v)
{
	cfg->kvm.nr_vcpus = 2;
	cfg->kvm.nr_gfns = 64;
	/* Two roots, a vCPU in each (an L1 root and a nested TDP root, or
	 * SMM's): a write-protect must reach every root. */
	cfg->kvm.nr_roots = 2;
	cfg->kvm.log_policy = v->log_policy;
	cfg->kvm.log_mode = LOG_BITMAP;
	cfg->work = (struct workload){
		.hot_gfns = 4,
		.slice = 64,
		.write_ratio = 0.6,
		.invlpg_ratio = 0,
		.reaper_pause_us = 50,
		.tracker_pause_us = 50,
		.ager_pause_us = 100,
		.exec_guest_entries = 6,
		.exec_harvests = 3,
		.exec_tracks = 2,
		.exec_agings = 2,
	};
	if (rc->sched != SCHED_FREE) {
		cfg->work.slice = 6;
		cfg->work.hot_gfns = 1;
	}
}

/* R turns logging off and on every third step, so enabling it (and its
 * flush) happens all run long. */
#define REAPER_CYCLE 3

static void spte_mmu_writable_workers(struct run *run, const struct scenario_variant *v)
{
	(void)v;
	run_add_worker(run, "R", reaper_worker, (void *)(uintptr_t)REAPER_CYCLE);
	run_vm(run)->aging = true;
	run_vm(run)->quiesced_check = dirty_log_quiesced_check;
}

const struct scenario scenario_spte_mmu_writable = {
	.name = "spte-mmu-writable",
	.summary = "which SPTE changes need a flush: dirty logging vs write-tracking",
	.origin = "seed 003 (kvm list, 2024, leaf_spte_change_needs_tlb_flush(); "
		  "081976992f43, b64d740ea7dd)",
	.arch = &x86_tdp_ops,
	.arch_note = "x86's MMU-writable bit and write-tracking; arm64's stage 2 has neither",
	.variants = variants,
	.nr_variants = ARRAY_SIZE(variants),
	.defaults = spte_mmu_writable_defaults,
	/* Two trackers: a gfn tracked twice is nested tracking, and the
	 * nested add relies on the first add's write-protect and flush. */
	.workers = "tracker,tracker,ager",
	.controlled_workers = "tracker,ager",
	.add_workers = spte_mmu_writable_workers,
};
