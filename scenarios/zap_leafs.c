// SPDX-License-Identifier: GPL-2.0
/*
 * zap-leafs: kvm_tdp_mmu_zap_leafs() over several roots and huge leaves
 * (seed 001, "KVM: x86/mmu: Zap only TDP MMU leafs in kvm_zap_gfn_range()",
 * March 2022). The walk zaps only leaf SPTEs, root after root, and a huge
 * leaf that only partly overlaps [start, end) is zapped whole. What it
 * zapped must be flushed before mmu_lock is dropped, at the end or at a
 * yield inside a long walk (tdp_mmu_iter_cond_resched()).
 *
 * The guest's memory is one memslot backed by transparent huge pages, so
 * faults map 2M leaves; the host unmaps a few pages at a time, splitting
 * the THP first (its notifier covers the whole 2M) and then freeing only
 * the unmapped frames. Two roots (an L1 root and a nested TDP root), one
 * vCPU on each.
 *
 * lost-pending-flush (873dd122172f, reverted; relanded as f47e5bbbc92f):
 *
 *   N  notifier, unmap G                            v0 (root 0)    v1 (root 1)
 *   ----------------------------------------------  -------------  -----------
 *                                                   cache G -> P
 *   root 0: flush = zap_leafs(.., false): zap G, true
 *   root 1: flush = zap_leafs(.., false): nothing, false
 *   flush is false: no flush; mmu_unlock; free P
 *                                                   use G -> P  !!! stale
 *
 * narrow-huge-flush (caught only with --tlb-huge splinter):
 *
 *   N  notifier                                     v0, TLB splinters the 2M
 *   ----------------------------------------------  ---------------------------
 *                                                   cache H -> P+h, K -> P+k
 *   unmap [H, H+1): zap the 2M leaf L over H, K
 *   flush only [H, H+1) ------------------------->  drops H; keeps K -> P+k
 *   split the THP; free P+h (K's frame stays)
 *   unmap [K, K+1): no leaf (L is gone), no flush
 *   free P+k
 *                                                   use K -> P+k  !!! stale
 *
 *   With --tlb-huge entry the TLB holds L as one entry, and flushing any
 *   address in it drops all of it (as INVLPG and range flushes do on x86):
 *   the narrow flush is enough and the run is clean.
 *
 * yield-no-flush (the walk yields mmu_lock without flushing first):
 *
 *   N  notifier, unmap [G, G+8) of a split THP      v0 (root 0)
 *   ----------------------------------------------  -------------
 *                                                   cache G -> P
 *   root 0: zap G .. G+7, flush pending
 *   root 1: 16 SPTEs visited: yield, pending flush
 *           forgotten; nothing left to zap
 *   no flush; mmu_unlock; free P
 *                                                   use G -> P  !!! stale
 *
 * Variants:
 *   fixed               carry the pending flush across roots; flush before
 *                       every yield and at the end, by range, over the whole
 *                       extent of every zapped leaf (kvm_flush_remote_tlbs_gfn)
 *   lost-pending-flush  each root starts with flush = false
 *   narrow-huge-flush   flush [start, end) only
 *   yield-no-flush      yield without flushing what is pending
 */
#include "scenario.h"

#include "../workers/workers.h"

static void flush_if_zapped(struct kvm *kvm, bool zapped)
{
	if (zapped)
		kvm_flush_remote_tlbs(kvm);
}

/* Faults under a read-held mmu_lock; the notifier flushes fully only if
 * the walk left a flush pending, which these flavours never do. */
static const struct flush_policy tdp_policy = {
	.vcpu_lock = MMU_LOCK_READ,
	.flush = kvm_flush_remote_tlbs,
	.flush_cond = flush_if_zapped,
	.notifier_locked = flush_if_zapped,
	.notifier_unlocked = flush_policy_nop,
};

static const struct scenario_variant variants[] = {
	{
		.name = "fixed",
		.summary = "carry the flush across roots; flush every zapped leaf's extent "
			   "before a yield and at the end",
		.note = "f47e5bbbc92f with kvm_flush_remote_tlbs_gfn()'s rounding: must run "
			"clean with --tlb-huge entry and splinter",
		.arch = &x86_tdp_zap_leafs_ops,
		.policy = &tdp_policy,
	},
	{
		.name = "lost-pending-flush",
		.summary = "each root called with flush = false (873dd122172f)",
		.note = "a zap in root 0 is forgotten when root 1 finds nothing; reverted "
			"after Hyper-V guests crashed under KSM",
		.buggy = true,
		.caught_by = DETECT_ORACLE | DETECT_RANDOM | DETECT_PCT,
		.arch = &x86_tdp_lost_pending_flush_ops,
		.policy = &tdp_policy,
	},
	{
		.name = "narrow-huge-flush",
		.summary = "flush only [start, end) although a larger huge leaf was zapped",
		.note = "with a splintering TLB the 4K pieces outside [start, end) survive, "
			"and a later unmap of them finds no leaf and flushes nothing; with "
			"--tlb-huge entry a flush of any address in a huge entry drops it "
			"whole, so the run is clean",
		.buggy = true,
		.caught_by = DETECT_ORACLE | DETECT_RANDOM | DETECT_PCT,
		/* A free run has one huge-leaf window: the first unmap splits
		 * the THP, and nothing collapses it back. Most runs catch it
		 * there (17 of 20 seeds); controlled executions each start
		 * with a fresh THP. */
		.rare_in_free_mode = true,
		.shows_with_tlb_huge = 1u << TLB_HUGE_SPLINTER,
		.arch = &x86_tdp_narrow_huge_flush_ops,
		.policy = &tdp_policy,
	},
	{
		.name = "yield-no-flush",
		.summary = "a long walk yields mmu_lock without flushing what it zapped",
		.note = "tdp_mmu_iter_cond_resched() without its flush: the caller forgets "
			"the pending flush once the walk has yielded; PCT is not stated: the "
			"race needs a split THP, 4K refaults and a long unmap first",
		.buggy = true,
		.caught_by = DETECT_ORACLE | DETECT_RANDOM,
		.arch = &x86_tdp_yield_no_flush_ops,
		.policy = &tdp_policy,
	},
};

static void zap_leafs_defaults(struct run_config *cfg, const struct scenario_variant *v)
{
	(void)v;
	cfg->kvm.nr_vcpus = 2;
	/* Two 2M blocks in one memslot; the hot pages lie in the first. */
	cfg->kvm.nr_gfns = 1024;
	cfg->kvm.nr_memslots = 1;
	cfg->kvm.nr_roots = 2;
	cfg->kvm.max_huge_level = PG_LEVEL_2M;
	cfg->kvm.arch_range_flush = true;
	cfg->kvm.tlb_huge = v->shows_with_tlb_huge ? TLB_HUGE_SPLINTER : TLB_HUGE_ENTRY;
	cfg->work = (struct workload){
		.hot_gfns = 16,
		.slice = 256,
		.write_ratio = 0.3,
		.invlpg_ratio = 0, /* TDP: the guest's invlpg never exits */
		/* Up to 8 pages: over two roots of 4K leaves that is the
		 * TDP_YIELD_EVERY SPTEs after which a walk yields. */
		.unmap_pages_max = 8,
		.invalidate_pause_us = 50,
		.exec_guest_entries = 6,
		.exec_invalidations = 3,
	};
	if (cfg->sched != SCHED_FREE) {
		cfg->work.slice = 8;
		cfg->work.hot_gfns = 8;
	}
}

static void zap_leafs_workers(struct run *run, const struct scenario_variant *v)
{
	(void)v;
	add_vcpu_workers(run);
	run_add_worker(run, "N", invalidator_worker, NULL);
}

const struct scenario scenario_zap_leafs = {
	.name = "zap-leafs",
	.summary = "zap only leaf SPTEs, root after root, over huge leaves; yield in long walks",
	.origin = "seed 001 (kvm list, 2022-03, \"Zap only TDP MMU leafs in "
		  "kvm_zap_gfn_range()\"); 873dd122172f, f47e5bbbc92f",
	.arch = &x86_tdp_zap_leafs_ops,
	.variants = variants,
	.nr_variants = ARRAY_SIZE(variants),
	.defaults = zap_leafs_defaults,
	.add_workers = zap_leafs_workers,
};
