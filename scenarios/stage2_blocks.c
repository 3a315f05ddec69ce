// SPDX-License-Identifier: GPL-2.0
/*
 * stage2-blocks: arm64 stage-2 blocks under dirty logging. THP backs the
 * guest, so a fault maps a 2M block; every vCPU's hot pages lie in one
 * block, so several vCPUs fault the same block PTE at once. The host
 * reclaims beside them (an invalidator unmaps a page or two now and then:
 * the THP splits, the frames are read back and freed). A reaper turns
 * logging on and off: on, the write-protected block is split at the first
 * write (a fault maps 4K: force_pte), and pages come back one by one; off,
 * the next fault maps 2M again over the table of pages and collapses it
 * (stage2_map_walk_table_pre(): break the table, TLBI the whole VMID, make
 * the block, free the table after a grace period).
 *
 *   R (logging off)    v0 (write fault on A)        v1 (guest)
 *   ---------------    --------------------------   --------------------------
 *                                                   TLB: page A, page A+1 (4K
 *                                                   leaves from the table)
 *   disable logging
 *                      map 2M at A's block:
 *                      break the table (locked)
 *                      <- collapse-no-tlbi: no VMID TLBI
 *                      make the block
 *                                                   access A+2: walk, fill the
 *                                                   block; the TLB holds block
 *                                                   and pages for one IPA
 *                                                     !!! conflicting-translations
 *
 * no-break replaces a valid entry by another in one store, with no TLBI:
 * the block split into a table while TLBs hold the block, the table
 * collapsed while they hold its pages. The same conflict follows.
 *
 * cmo-in-abort (before seed 002's 25aa28691bb9): user_mem_abort() cleans
 * the D-cache for the size it maps, but not on a permission fault
 * ("if (fault_status != FSC_PERM) clean_dcache_guest_page()"), and a
 * permission fault whose vma_pagesize exceeds the fault's granule maps
 * (collapses) instead of relaxing:
 *
 *   R (logging on, then off)   v1 (fetch from A, mapped 4K XN)  v0 (caches off)
 *   ------------------------   ------------------------------   ----------------
 *   logging on: A faults at
 *   4K (A's page cleaned);
 *   B, in A's block, never
 *   faults
 *   logging off
 *                              permission fault, 2M:
 *                              no D-cache clean (FSC_PERM)
 *                              collapse: break, TLBI, make
 *                                                               read B via the
 *                                                               block: PoC holds
 *                                                               data older than
 *                                                               the host's THP fill
 *                                                                 !!! stale-cache-seen
 *
 * rebreak-perms (before 694d071f8d85): a read fault and a fetch fault on
 * one block race; the loser finds the block mapped with other permissions
 * and breaks and remakes it (TLBI, CMOs, and every vCPU on the leaf
 * faults again) instead of returning -EAGAIN and relaxing. Clean; its cost
 * is in s2_breaks, tlbi_ipa, dcache_clean_pages and faults against fixed's.
 *
 * lazy-split (upstream's stage2_map_walk_leaf(): the block's other pages
 * are "faulted back lazily"), without FWB, the host reclaiming (N):
 *
 *   v1 (caches off)           v0 (write fault on B)      N (unmap A, B)
 *   -----------------------   ------------------------   -------------------
 *   TLB: block over A, B
 *   write A with caches off:
 *   to PoC, behind any line
 *   the CPU holds for A's
 *   frame
 *                             break the block, TLBI
 *                             <- no clean of the block
 *                             make a table; map B 4K
 *                                                        unmap B's leaf:
 *                                                        TLBI, clean B;
 *                                                        A has no leaf:
 *                                                        nothing cleaned
 *                                                        free A's frame, read
 *                                                        back through the
 *                                                        cache: a stale line
 *                                                          !!! lost-uncached-write
 *
 * fixed cleans the block to PoC after the split's TLBI, as the unmap
 * walker cleans what it clears: upstream has no such clean, a finding of
 * this model (docs/model.md and docs/results.md say more).
 *
 * In free mode the host's khugepaged (K) collapses every block the host
 * split back into a THP: with an invalidator (host reclaim splitting the
 * THP) the blocks come back, and so do the stage-2 collapses over them.
 *
 * Each execution also ends with dirty_log_test's check: arm64's logging
 * (read faults map read-only while logging, a write fault marks the page
 * after it maps it writable) loses no write.
 *
 * Variants:
 *   fixed             upstream: split and collapse by break-before-make, and
 *                     the split's clean of the block
 *   lazy-split        upstream's split, which cleans nothing
 *   cmo-in-abort      the CMOs in user_mem_abort() on every fault (before seed
 *                     002): what several vCPUs on one block pay, and the
 *                     block a permission fault collapses left uncleaned
 *   rebreak-perms     a permission-only change breaks and remakes (clean, counted)
 *   collapse-no-tlbi  the collapse skips the VMID-wide TLBI
 *   no-break          valid replaced by valid in one store
 */
#include "scenario.h"

#include "../model/dirty_log.h"
#include "../workers/workers.h"

static const struct dirty_log_policy log_upstream = DIRTY_LOG_POLICY();
static const struct stage2_policy cmo_in_abort = { .cmo_in_abort = true };
static const struct stage2_policy rebreak_perms = { .rebreak_perms = true };
static const struct stage2_policy collapse_no_tlbi = { .collapse_skips_tlbi = true };
static const struct stage2_policy no_break = { .no_break = true };
static const struct stage2_policy lazy_split = { .split_skips_clean = true };

static const struct scenario_variant variants[] = {
	{
		.name = "fixed",
		.summary = "blocks split and collapsed by break-before-make",
		.note = "upstream stage2_map_walk_leaf() and stage2_map_walk_table_pre(), "
			"with the split's clean of the block to PoC after its TLBI (lazy-split "
			"is upstream's, without it); must run clean, and lose no dirty write",
		.policy = &flush_policy_tdp,
	},
	{
		.name = "lazy-split",
		.summary = "a block split into an empty table with no clean to PoC (upstream)",
		.note = "stage2_map_walk_leaf() as upstream has it: the block's pages no fault "
			"maps again leave stage 2 uncleaned, and the unmap that later runs for "
			"them finds no leaf to clean; without FWB a write with caches off "
			"through the block is lost to the host's read-back",
		.buggy = true,
		.claims.caught_by = DETECT_ORACLE | DETECT_RANDOM | DETECT_PCT | DETECT_COVER,
		.claims.depth = { 1, DEPTH_EXACT },
		.claims.shows_with_cpu_features = CPU_FEATURE_SETS_WITHOUT(CPU_FEATURE_FWB),
		.policy = &flush_policy_tdp,
		.stage2_policy = &lazy_split,
	},
	{
		.name = "cmo-in-abort",
		.summary =
			"CMOs of the whole block in user_mem_abort(), none for a permission fault",
		.note = "before the seed: every vCPU faulting on a block cleans its 2M "
			"(dcache_clean_pages against fixed's); and a permission fault that "
			"collapses a table into a block cleans nothing, so a page of the block "
			"no fault cleaned is read from PoC stale",
		.buggy = true,
		/* The race needs a page of the block no fault touched while
		 * logging was on, then a fetch, then an uncached read: random
		 * and cover find it at once, PCT's few priority changes do not
		 * (pct:5 10 of 20 seeds in 10 s). Free mode's eight hot pages
		 * all faulted while logging was on until the host's reclaim
		 * joined the roster; with it free mode catches seeds 1-20
		 * (slowest 1.2 s, beside other work). */
		.claims.caught_by = DETECT_ORACLE | DETECT_RANDOM | DETECT_COVER,
		.claims.depth = { 1, DEPTH_MORE_THAN },
		.policy = &flush_policy_tdp,
		.stage2_policy = &cmo_in_abort,
	},
	{
		.name = "rebreak-perms",
		.summary = "a permission-only change breaks and remakes the block",
		.note = "before 694d071f8d85: clean, but racing faults on one block break it "
			"again (s2_breaks, tlbi_ipa, dcache_clean_pages against fixed's)",
		.policy = &flush_policy_tdp,
		.stage2_policy = &rebreak_perms,
	},
	{
		.name = "collapse-no-tlbi",
		.summary = "the table-to-block collapse skips the VMID-wide TLBI",
		.note = "a TLB keeps the table's pages and fills the block beside them "
			"(kvm_page_table_test's adjust-mappings stage)",
		.buggy = true,
		.claims.caught_by = DETECT_ORACLE | DETECT_RANDOM | DETECT_PCT | DETECT_COVER,
		.claims.depth = { 1, DEPTH_MORE_THAN },
		/* The race spans a logging toggle, the faults after it and a
		 * fill: pct:3 misses it in a few of 20 seeds under tso and
		 * weak within 10 s; pct:4 catches all. */
		.claims.pct_depth = 4,
		.policy = &flush_policy_tdp,
		.stage2_policy = &collapse_no_tlbi,
	},
	{
		.name = "no-break",
		.summary = "a valid block or table replaced by another valid entry in one store",
		.note = "no break, no TLBI: a TLB holds the old block and the new pages, or "
			"the old pages and the new block",
		.buggy = true,
		.claims.caught_by = DETECT_ORACLE | DETECT_RANDOM | DETECT_PCT | DETECT_COVER,
		.claims.depth = { 0, DEPTH_EXACT },
		.policy = &flush_policy_tdp,
		.stage2_policy = &no_break,
	},
};

static void stage2_blocks_defaults(struct vm_config *cfg, const struct run_config *rc,
				   const struct scenario_variant *v)
{
	(void)v;
	cfg->kvm.nr_vcpus = 4;
	/* Two 2M blocks in one memslot; the hot pages lie in the first. */
	cfg->kvm.nr_gfns = 1024;
	cfg->kvm.nr_memslots = 1;
	cfg->kvm.max_huge_level = PG_LEVEL_2M;
	cfg->kvm.log_policy = &log_upstream;
	cfg->kvm.log_mode = LOG_BITMAP;
	cfg->work = (struct workload){
		.hot_gfns = 8,
		.slice = 32,
		.write_ratio = 0.3,
		.fetch_ratio = 0.3,
		.uncached_ratio = 0.2,
		.reaper_pause_us = 100,
		/* The host's reclaim: a THP split now and then, and a frame
		 * read back and freed; khugepaged brings the block back. */
		.unmap_pages_max = 2,
		.invalidate_pause_us = 1000,
		.exec_guest_entries = 6,
		.exec_harvests = 4,
		.exec_invalidations = 1,
	};
	if (rc->sched != SCHED_FREE) {
		cfg->kvm.nr_vcpus = 2;
		cfg->work.slice = 4;
		cfg->work.hot_gfns = 2;
	}
}

/* R turns logging off and on every second step: a split and a collapse
 * in every few harvests. */
#define REAPER_CYCLE 2

/* khugepaged sleeps 10 s between scans (khugepaged_scan_sleep_millisecs);
 * a run lasts seconds, so here it looks every few milliseconds. */
#define KHUGEPAGED_PAUSE_US 2000

/*
 * The host's khugepaged: every block the host split (an invalidator's
 * unmap, as reclaim splitting the THP) is collapsed into a THP again
 * (collapse_huge_page(): the MMU notifier over the block, then a fault
 * maps a stage-2 block over the table of pages). Without it the first
 * unmap ended the run's blocks for good. Free mode only: a controlled
 * execution's schedule stays as it was, and without an invalidator
 * nothing is split, so it finds nothing to do.
 */
static void khugepaged_worker(struct run *run, void *arg)
{
	struct hostmem *mem = &run_vm(run)->kvm.mem;

	(void)arg;
	while (worker_keep_going()) {
		worker_pause(KHUGEPAGED_PAUSE_US);
		if (torture_must_stop())
			break;
		for (uint64_t blk = 0; blk < hostmem_huge_blocks(mem); blk++)
			hostmem_collapse_thp(mem, blk);
	}
}

static void stage2_blocks_workers(struct run *run, const struct scenario_variant *v)
{
	(void)v;
	run_add_worker(run, "R", reaper_worker, (void *)(uintptr_t)REAPER_CYCLE);
	if (run->cfg.sched == SCHED_FREE)
		run_add_worker(run, "K", khugepaged_worker, NULL);
	run_vm(run)->quiesced_check = dirty_log_quiesced_check;
}

const struct scenario scenario_stage2_blocks = {
	.name = "stage2-blocks",
	.summary = "arm64 stage-2 blocks split and collapsed under dirty logging",
	.origin = "seed 002's walker; stage2_map_walk_table_pre(), 694d071f8d85, "
		  "kvm_page_table_test.c",
	.arch = &arm64_stage2_ops,
	.arch_note = "arm64's break-before-make of blocks and tables; x86's MMUs replace a huge "
		     "leaf in one store",
	.variants = variants,
	.nr_variants = ARRAY_SIZE(variants),
	.defaults = stage2_blocks_defaults,
	.workers = "invalidator",
	.add_workers = stage2_blocks_workers,
};
