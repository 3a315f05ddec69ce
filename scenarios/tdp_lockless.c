// SPDX-License-Identifier: GPL-2.0
/*
 * tdp-lockless: 6.18's TDP MMU writers that mmu_lock does not serialize.
 * Faults change SPTEs under a read-held mmu_lock, many at once, and aging
 * (since 6.15, KVM_MMU_LOCKLESS_AGING) under no lock at all, against
 * write-tracking's write-protect and the notifier's zaps, which hold it
 * for write. Each writer must neither lose a racing writer's change nor
 * leave a TLB holding more than the SPTE it changed allows.
 *
 * The racing read fault (6.13-rc2, kernel Bugzilla 219588), as the forms
 * before 386d69f9f29b and 1a175082b190 lose it (fault-downgrade-no-flush):
 *
 *   v0: read fault on G             v1: write fault on G       T write-tracker
 *   ------------------------------  -------------------------  ---------------------------
 *   pfn lookup: read-only (fast
 *   GUP's write promotion failed)
 *                                   install G writable and
 *                                   MMU-writable; write G:
 *                                   TLB G writable
 *   read mmu_lock; walk reads v1's
 *   leaf; make_spte: read-only;
 *   cmpxchg succeeds: MMU-writable
 *   lost, no flush (old was a leaf)
 *                                                              track G: write-protect;
 *                                                              old not MMU-writable:
 *                                                              "no flush"; G is tracked
 *                                   write G through the TLB
 *                                     !!! write-escaped-tracking
 *
 * 6.18 returns spurious when the leaf already allows the access, and
 * flushes whenever a fault's change takes MMU-writable away: an
 * access-tracked leaf (aged, its TLB entries kept) allows no read, so a
 * read fault with a read-only pfn still downgrades it, and only the flush
 * saves spurious-without-flush.
 *
 * Lockless aging writing back what it read (age-stores-what-it-read):
 *
 *   A ager, no mmu_lock             I invalidator              v0
 *   ------------------------------  -------------------------  ---------------------------
 *   read G's SPTE: present, young
 *                                   zap G, flush, free frame
 *   store the aged SPTE: present
 *                                                              walk G: fill from the
 *                                                              stale leaf, use the frame
 *                                                                !!! use-after-free
 */
#include "scenario.h"

#include "../model/walk_policy.h"

/* 6.18's walks, and each form before them. */
static const struct walk_policy walk_618 = { TDP_WALK_POLICY };
static const struct walk_policy walk_612 = {
	TDP_WALK_POLICY,
	.fault_overwrites_allowed_leaf = true,
	.fault_leaf_change_skips_flush = true,
};
static const struct walk_policy walk_613_rc1 = {
	TDP_WALK_POLICY,
	.fault_overwrites_allowed_leaf = true,
};
static const struct walk_policy walk_spurious_only = {
	TDP_WALK_POLICY,
	.fault_leaf_change_skips_flush = true,
};
static const struct walk_policy walk_age_store = {
	TDP_WALK_POLICY,
	.age_stores_what_it_read = true,
};

static const struct dirty_log_policy log_upstream = DIRTY_LOG_POLICY();

static const struct scenario_variant variants[] = {
	{
		.name = "fixed",
		.summary = "6.18: spurious if allowed, cmpxchg, flush if MMU-writable is lost; "
			   "atomic aging",
		.note = "tdp_mmu_map_handle_target_level() since 386d69f9f29b and "
			"1a175082b190, kvm_tdp_mmu_age_spte() since 6.15; must run clean",
		.policy = &flush_policy_tdp,
		.walk = &walk_618,
		.log_policy = &log_upstream,
	},
	{
		.name = "fault-downgrade-no-flush",
		.summary = "up to 6.12: a fault installs over a sufficient leaf, and a leaf "
			   "change never flushes",
		.note = "a read fault with a read-only pfn takes MMU-writable from the leaf a "
			"racing write fault installed, with no flush: the writable TLB entry "
			"outlives a write-protect that saw nothing to flush",
		.buggy = true,
		.claims.caught_by = DETECT_ORACLE | DETECT_RANDOM | DETECT_COVER,
		.claims.depth = { 2, DEPTH_MORE_THAN },
		.claims.rare_in_free_mode = true, /* 12 of 20 seeds within 20 s */
		.policy = &flush_policy_tdp,
		.walk = &walk_612,
		.log_policy = &log_upstream,
		/* No aging; reclaim now and then, so gfns fault afresh, and
		 * the tracker at once after a downgrade. */
		.actors = "ager=0",
		.workload = "invalidate-us=2000,tracker-us=10",
	},
	{
		.name = "fault-warn-and-flush",
		.summary = "6.13-rc1: a fault installs over a sufficient leaf, and flushes what "
			   "it downgrades",
		.note = "1a175082b190 without 386d69f9f29b: safe, but each downgrade is the "
			"WARN of Bugzilla 219588 (counted as fault_mmu_writable_lost) and a "
			"flush; must run clean",
		.policy = &flush_policy_tdp,
		.walk = &walk_613_rc1,
		.log_policy = &log_upstream,
	},
	{
		.name = "spurious-without-flush",
		.summary = "386d69f9f29b's spurious check without 1a175082b190's flush",
		.note = "an aged (access-tracked) leaf allows no read, so a read fault with a "
			"read-only pfn still downgrades it; TLB entries filled before the aging "
			"stay writable, and without the flush a write-protect misses them",
		.buggy = true,
		.claims.caught_by = DETECT_ORACLE | DETECT_RANDOM | DETECT_COVER,
		.claims.depth = { 2, DEPTH_MORE_THAN },
		/* Free: no reclaim in its roster, so gfns fault afresh only at
		 * the start (0 of 20 seeds within 20 s); with --actors
		 * invalidator=1, 3 of 5 within 10 s. */
		.claims.rare_in_free_mode = true,
		.claims.shows_with_ad_bits = AD_BITS_OFF, /* needs access tracking */
		.policy = &flush_policy_tdp,
		.walk = &walk_spurious_only,
		.log_policy = &log_upstream,
		.actors = "invalidator=0",
	},
	{
		.name = "age-stores-what-it-read",
		.summary = "lockless aging writes the aged SPTE back with a plain store",
		.note = "the locked form's write without the lock: a zap between the ager's "
			"read and its store is undone, and a vCPU maps the freed frame again",
		.buggy = true,
		.claims.caught_by = DETECT_ORACLE | DETECT_RANDOM | DETECT_PCT | DETECT_COVER,
		.claims.depth = { 1, DEPTH_EXACT },
		.policy = &flush_policy_tdp,
		.walk = &walk_age_store,
		.log_policy = &log_upstream,
		.actors = "tracker=0",
		.workload = "ager-us=10,invalidate-us=50",
	},
};

static void tdp_lockless_defaults(struct vm_config *cfg, const struct run_config *rc,
				  const struct scenario_variant *v)
{
	cfg->kvm.nr_vcpus = 2;
	cfg->kvm.nr_gfns = 64;
	/* Write-tracking rides on the dirty-tracking machinery; nothing
	 * here turns logging on. */
	cfg->kvm.log_policy = v->log_policy;
	cfg->kvm.log_mode = LOG_BITMAP;
	cfg->work = (struct workload){
		.hot_gfns = 4,
		.slice = 64,
		.write_ratio = 0.5,
		.ro_pfn_ratio = 0.5,
		.invlpg_ratio = 0,
		.unmap_pages_max = 1,
		.invalidate_pause_us = 200,
		.tracker_pause_us = 50,
		.ager_pause_us = 100,
		.exec_guest_entries = 6,
		.exec_invalidations = 1,
		.exec_tracks = 2,
		.exec_agings = 2,
	};
	if (rc->sched != SCHED_FREE) {
		cfg->work.slice = 6;
		cfg->work.hot_gfns = 1;
	}
}

const struct scenario scenario_tdp_lockless = {
	.name = "tdp-lockless",
	.summary = "6.18's TDP MMU writers without mmu_lock's exclusion: racing faults, "
		   "lockless aging",
	.origin = "kernel Bugzilla 219588 (386d69f9f29b, 1a175082b190); lockless aging "
		  "(b146a9b34aed, e29b74920e6f)",
	.arch = &x86_tdp_ops,
	.arch_note = "the TDP MMU's faults under a read-held mmu_lock and its lockless aging",
	.variants = variants,
	.nr_variants = ARRAY_SIZE(variants),
	.defaults = tdp_lockless_defaults,
	.workers = "tracker,ager,invalidator",
};
