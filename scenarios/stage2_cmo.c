// SPDX-License-Identifier: GPL-2.0
/*
 * stage2-cmo: arm64's stage-2 faults and the cache maintenance they owe
 * (seed 002: 25aa28691bb9 moved the CMOs from user_mem_abort() into the
 * map walker, so of several vCPUs faulting on one page only the one that
 * installs the PTE pays). vCPUs read, write, fetch and read with caches off
 * (a non-cacheable stage-1 mapping reads PoC) a few hot pages; an
 * invalidator unmaps them, so the host fills a fresh frame at each refault
 * and the fault must clean it to PoC (and invalidate the I-cache for an
 * executable mapping) before making the PTE valid.
 *
 *   v0 (fault on A)                 v1 (caches off)
 *   ----------------------------    -----------------------------------
 *   host fills frame P for A
 *   break; make PTE valid           <- make-before-cmo
 *                                   read A -> P through the valid PTE:
 *                                   PoC older than the host's fill
 *                                     !!! stale-cache-seen
 *   clean P to PoC                  <- too late
 *
 * relax-x-no-icache: a fetch from a page mapped without X relaxes its
 * permissions; without the I-cache invalidation first, the fetch runs the
 * I-cache's lines from before the host filled the frame.
 *
 * unmap-skips-tlbi (seed 000's arm64 half: the arch walker owns the TLBI):
 *
 *   N (notifier, unmap A)             v1
 *   -------------------------------   ---------------------------------
 *                                     TLB: A -> P
 *   clear A's PTE; no TLBI
 *   returns false: core flushes none
 *   invalidate_range_end; free P
 *                                     use A -> P   !!! stale-tlb-after-free
 *
 * vmid-flush-on-ret without FWB (363ef89f8e9b: the unmap's clean must
 * follow its TLBI, which is why stage2_unmap_defer_tlb_flush() defers the
 * TLBIs only with FWB, where there is no clean):
 *
 *   N (notifier, unmap A)             v1 (caches off)
 *   -------------------------------   ---------------------------------
 *                                     TLB: A -> P
 *   clear A's PTE
 *   clean+invalidate P to PoC
 *                                     write A -> P with caches off: to
 *                                     PoC, behind any line the CPU
 *                                     allocates for P from now on
 *   core code: VMID-wide TLBI
 *   invalidate_range_end; the host
 *   reads P back through the cache    !!! lost-uncached-write
 *
 * Variants:
 *   fixed              upstream's order: break, TLBI, clean, invalidate, make;
 *                      unmap: clear, TLBI, clean
 *   cmo-in-abort       the CMOs in user_mem_abort() on every fault, before the
 *                      map call (before the seed): clean, and what it costs
 *   vmid-flush-on-ret  unmap and clear_flush_young (an ager runs) leave the
 *                      invalidation to core code's VMID-wide flush (seed 000's
 *                      arm64 half, as upstream ages): without FWB the unmap's
 *                      clean comes before its TLBI; with FWB clean, and what
 *                      it costs
 *   age-targeted       the ager's TLBI done by the arch walker, by IPA per leaf
 *                      (seed 000's ask): clean, vmid-flush-on-ret's baseline
 *   make-before-cmo    the PTE made valid before its CMOs
 *   relax-x-no-icache  X added without the I-cache invalidation
 *   unmap-skips-tlbi   a leaf cleared without its TLBI
 */
#include "scenario.h"

#include <string.h>

#include "../workers/workers.h"

/* Without FWB the unmap walker owes a D-cache clean; without DIC a fetch
 * owes the I-cache invalidation. */
#define NO_FWB_SETS CPU_FEATURE_SETS_WITHOUT(CPU_FEATURE_FWB)
#define NO_DIC_SETS CPU_FEATURE_SETS_WITHOUT(CPU_FEATURE_DIC)

static const struct stage2_policy cmo_in_abort = { .cmo_in_abort = true };
static const struct stage2_policy make_before_cmo = { .make_before_cmo = true };
static const struct stage2_policy relax_x_no_icache = { .relax_x_skips_icache = true };
static const struct stage2_policy vmid_flush_on_ret = { .vmid_flush_on_ret = true };
static const struct stage2_policy unmap_skips_tlbi = { .unmap_skips_tlbi = true };

static const struct scenario_variant variants[] = {
	{
		.name = "fixed",
		.summary = "break, TLBI, clean to PoC, invalidate the I-cache, make",
		.note = "upstream stage2_map_walker_try_leaf() and "
			"kvm_pgtable_stage2_relax_perms(); must run clean",
		.policy = &flush_policy_tdp,
	},
	{
		.name = "cmo-in-abort",
		.summary = "CMOs in user_mem_abort() on every fault, as before the seed",
		.note = "clean: every fault on a page pays the CMOs, also those that find it "
			"mapped (dcache_clean_pages against fixed's)",
		.policy = &flush_policy_tdp,
		.stage2_policy = &cmo_in_abort,
	},
	{
		.name = "vmid-flush-on-ret",
		.summary = "unmap and clear_flush_young leave the TLBI to core code's VMID flush",
		.note = "seed 000's arm64 half, unmap and clear_flush_young (an ager runs): "
			"without FWB the unmap walker cleans each page to PoC before the TLBI, so "
			"a vCPU writing with caches off through its stale entry after the clean "
			"leaves its data behind a line the host reads back (why "
			"stage2_unmap_defer_tlb_flush() defers only with FWB); with FWB clean, "
			"but each flush drops every TLB entry of the VMID (tlbi_vmid, "
			"vmid_flush_dropped against age-targeted's tlbi_ipa)",
		.buggy = true,
		.claims.caught_by = DETECT_ORACLE | DETECT_RANDOM | DETECT_PCT | DETECT_COVER,
		.claims.depth = { 2, DEPTH_EXACT },
		.claims.shows_with_cpu_features = NO_FWB_SETS,
		.policy = &flush_policy_tdp,
		.stage2_policy = &vmid_flush_on_ret,
		.extra_workers = "ager",
	},
	{
		.name = "age-targeted",
		.summary = "clear_flush_young's TLBI done by the arch walker, by IPA per leaf",
		.note = "seed 000's ask, the cost baseline vmid-flush-on-ret is measured against "
			"(both age): clean",
		.policy = &flush_policy_tdp,
		.extra_workers = "ager",
	},
	{
		.name = "make-before-cmo",
		.summary =
			"the PTE is made valid before the D-cache clean and I-cache invalidation",
		.note = "a vCPU with caches off reads, or fetches, through the new PTE before "
			"the data reached PoC or the I-cache was invalidated",
		.buggy = true,
		.claims.caught_by = DETECT_ORACLE | DETECT_RANDOM | DETECT_PCT | DETECT_COVER,
		.claims.depth = { 1, DEPTH_EXACT },
		/* FWB and DIC together leave no CMO to be late. */
		.claims.shows_with_cpu_features =
			~((1U << (CPU_FEATURE_FWB | CPU_FEATURE_DIC)) |
			  (1U << (CPU_FEATURE_FWB | CPU_FEATURE_DIC | CPU_FEATURE_IDC))) &
			0xffU,
		.policy = &flush_policy_tdp,
		.stage2_policy = &make_before_cmo,
	},
	{
		.name = "relax-x-no-icache",
		.summary = "execute permission added without invalidating the I-cache",
		.note = "a fetch from a page mapped non-executable relaxes its permissions and "
			"then runs I-cache lines from before the host filled the frame",
		.buggy = true,
		.claims.caught_by = DETECT_ORACLE | DETECT_RANDOM | DETECT_PCT | DETECT_COVER,
		.claims.depth = { 0, DEPTH_EXACT },
		/* With DIC every page is mapped executable: nothing relaxes. */
		.claims.shows_with_cpu_features = NO_DIC_SETS,
		.policy = &flush_policy_tdp,
		.stage2_policy = &relax_x_no_icache,
	},
	{
		.name = "unmap-skips-tlbi",
		.summary = "the unmap walker clears a leaf without its TLBI",
		.note = "returns false, so core code flushes nothing either: a vCPU keeps the "
			"translation of a frame the host frees",
		.buggy = true,
		.claims.caught_by = DETECT_ORACLE | DETECT_RANDOM | DETECT_PCT | DETECT_COVER,
		.claims.depth = { 1, DEPTH_EXACT },
		.policy = &flush_policy_tdp,
		.stage2_policy = &unmap_skips_tlbi,
	},
};

static void stage2_cmo_defaults(struct vm_config *cfg, const struct run_config *rc,
				const struct scenario_variant *v)
{
	(void)v;
	cfg->kvm.nr_vcpus = 4;
	cfg->kvm.nr_gfns = 64;
	cfg->work = (struct workload){
		.hot_gfns = 4,
		.slice = 32,
		.write_ratio = 0.2,
		.fetch_ratio = 0.3,
		.uncached_ratio = 0.5,
		.unmap_pages_max = 2,
		.invalidate_pause_us = 50,
		.exec_guest_entries = 4,
		.exec_invalidations = 2,
		.ager_pause_us = 100,
		.exec_agings = 2,
	};
	if (rc->sched != SCHED_FREE) {
		cfg->kvm.nr_vcpus = 2;
		cfg->work.slice = 4;
		cfg->work.hot_gfns = 2;
	}
}

/* A variant with an ager: vCPUs count accesses through entries it aged. */
static void stage2_cmo_workers(struct run *run, const struct scenario_variant *v)
{
	run_vm(run)->aging = v->extra_workers && strstr(v->extra_workers, "ager");
}

const struct scenario scenario_stage2_cmo = {
	.name = "stage2-cmo",
	.summary = "arm64 stage-2 faults: break-before-make and the cache maintenance they owe",
	.origin = "seed 002 (25aa28691bb9); stage2_map_walker_try_leaf(), "
		  "kvm_pgtable_stage2_relax_perms()",
	.arch = &arm64_stage2_ops,
	.arch_note = "arm64's break-before-make and cache maintenance; x86 has neither",
	.variants = variants,
	.nr_variants = ARRAY_SIZE(variants),
	.defaults = stage2_cmo_defaults,
	.workers = "invalidator",
	.add_workers = stage2_cmo_workers,
};
