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
 * free-before-flush (a page table freed while a vCPU may still walk it):
 *
 *   H  host gives the 2M block back; a fresh THP    v0 (root 0)    v2 (root 0)
 *   ----------------------------------------------  -------------  ------------
 *                                                                  guest walk:
 *                                                                  root -> T
 *                                                   fault: huge leaf replaces
 *                                                   T; free(T) !!! v2 is in T
 *                                                   flush -------> exits
 *
 *   The model's TLB holds leaves only and T holds no leaf by then (the
 *   host's discard zapped and flushed them), so the oracle has nothing to
 *   judge: the catch is ThreadSanitizer's, a free() racing with the walk's
 *   read. Two vCPUs per root, so that one walks the root another replaces
 *   a table in.
 *
 * Variants:
 *   fixed               carry the pending flush across roots; flush before
 *                       every yield and at the end, by range, over the whole
 *                       extent of every zapped leaf (kvm_flush_remote_tlbs_gfn);
 *                       a table replaced by a huge leaf is freed by call_rcu()
 *                       after the flush
 *   lost-pending-flush  each root starts with flush = false
 *   narrow-huge-flush   flush [start, end) only
 *   yield-no-flush      yield without flushing what is pending
 *   free-before-flush   free a replaced table at once, before the flush
 */
#include "scenario.h"

#include <stdlib.h>

#include "../engine/check.h"
#include "../model/notifier.h"
#include "../model/walk_policy.h"
#include "../workers/workers.h"

/* The fixed walk: carry the pending flush across roots, flush it before
 * every yield, and flush by range itself, covering each zapped leaf's
 * whole extent. Each buggy walk is only what it changes. */
#define ZAP_LEAFS_WALK TDP_WALK_POLICY, .range_flush = true, .flush_leaf_extent = true

static const struct walk_policy walk_fixed = { ZAP_LEAFS_WALK };
static const struct walk_policy walk_lost_pending_flush = { ZAP_LEAFS_WALK, .carry_flush = false };
static const struct walk_policy walk_narrow_huge_flush = { ZAP_LEAFS_WALK,
							   .flush_leaf_extent = false };
static const struct walk_policy walk_yield_no_flush = { ZAP_LEAFS_WALK,
							.flush_before_yield = false };
static const struct walk_policy walk_free_before_flush = { ZAP_LEAFS_WALK,
							   .free_before_flush = true };

static const struct scenario_variant variants[] = {
	{
		.name = "fixed",
		.summary = "carry the flush across roots; flush every zapped leaf's extent "
			   "before a yield and at the end",
		.note = "f47e5bbbc92f with kvm_flush_remote_tlbs_gfn()'s rounding: must run "
			"clean with --tlb-huge entry and splinter",
		.walk = &walk_fixed,
		.policy = &flush_policy_tdp,
	},
	{
		.name = "lost-pending-flush",
		.summary = "each root called with flush = false (873dd122172f)",
		.note = "a zap in root 0 is forgotten when root 1 finds nothing; reverted "
			"after Hyper-V guests crashed under KSM",
		.buggy = true,
		.claims.caught_by = DETECT_ORACLE | DETECT_RANDOM | DETECT_PCT,
		.claims.depth = { 1, DEPTH_EXACT },
		.walk = &walk_lost_pending_flush,
		.policy = &flush_policy_tdp,
	},
	{
		.name = "narrow-huge-flush",
		.summary = "flush only [start, end) although a larger huge leaf was zapped",
		.note = "with a splintering TLB the 4K pieces outside [start, end) survive, "
			"and a later unmap of them finds no leaf and flushes nothing; with "
			"--tlb-huge entry a flush of any address in a huge entry drops it "
			"whole, so the run is clean",
		.buggy = true,
		.claims.caught_by = DETECT_ORACLE | DETECT_RANDOM | DETECT_PCT,
		.claims.depth = { 1, DEPTH_EXACT },
		/* Free mode: the host gives the block back and a fresh THP
		 * replaces the split one's table (discard_worker()), so a run
		 * has a huge-leaf window every few milliseconds, not one. */
		.claims.shows_with_tlb_huge = 1u << TLB_HUGE_SPLINTER,
		.claims.needs_huge_leaves = true,
		.walk = &walk_narrow_huge_flush,
		.policy = &flush_policy_tdp,
	},
	{
		.name = "yield-no-flush",
		.summary = "a long walk yields mmu_lock without flushing what it zapped",
		.note = "tdp_mmu_iter_cond_resched() without its flush: the caller forgets "
			"the pending flush once the walk has yielded; PCT is not stated: the "
			"race needs a split THP, 4K refaults and a long unmap first",
		.buggy = true,
		.claims.caught_by = DETECT_ORACLE | DETECT_RANDOM,
		.claims.depth = { 2, DEPTH_MORE_THAN },
		.walk = &walk_yield_no_flush,
		.policy = &flush_policy_tdp,
	},
	{
		.name = "free-before-flush",
		.summary = "a page table replaced by a huge leaf is freed before the flush",
		.note = "the hardware walk is no RCU reader: only the flush says a vCPU has "
			"left the table (fcb93eb6d09d); the model's TLB caches no table, so "
			"only ThreadSanitizer sees the free race with a walk",
		.buggy = true,
		.claims.caught_by = DETECT_TSAN,
		.walk = &walk_free_before_flush,
		.policy = &flush_policy_tdp,
	},
};

/*
 * The host gives the hot 2M block back whole (a balloon inflating over it,
 * or MADV_DONTNEED of the region) and the next touch faults a fresh THP in,
 * as do_huge_pmd_anonymous_page() does over an empty block. The 4K table
 * the last split left is still in the tree (zapping removes leaves only),
 * so the fault that maps the new THP replaces that table with a huge leaf,
 * and a huge-leaf window opens again: without this a free run had one.
 *
 * One invalidation covers the block. A vCPU that faults meanwhile retries,
 * but get_user_pages() has backed its page with a 4K frame by then, so the
 * host unmaps pass after pass until one finds the block empty; the frames
 * are freed after the invalidation ends, as tlb_finish_mmu() frees them.
 */
#define DISCARD_PASSES_MAX 64
#define DISCARD_PAUSE_US 2000

static void host_discard_block(struct kvm *kvm, uint64_t first, uint64_t pages)
{
	size_t n = 0, cap = pages;
	kvm_pfn_t *freed = malloc(cap * sizeof(*freed));

	HARNESS_NEED(freed, "memory", "the frames of a discarded block");
	kvm_mmu_notifier_invalidate_range_start(kvm, first, first + pages);
	for (int pass = 0; pass < DISCARD_PASSES_MAX; pass++) {
		size_t before = n;

		for (uint64_t hva = first; hva < first + pages; hva++) {
			kvm_pfn_t pfn = hostmem_unmap(&kvm->mem, hva);

			if (pfn == HVA_NO_FRAME)
				continue;
			if (n == cap) {
				kvm_pfn_t *grown = realloc(freed, 2 * cap * sizeof(*freed));

				HARNESS_NEED(grown, "memory", "the frames of a discarded block");
				freed = grown;
				cap *= 2;
			}
			freed[n++] = pfn;
		}
		if (n == before)
			break;
	}
	kvm_mmu_notifier_invalidate_range_end(kvm, first, first + pages);
	for (size_t i = 0; i < n; i++)
		hostmem_free_frame(&kvm->mem, freed[i]);
	free(freed);
}

/* The 2M block the hot pages lie in, or as much of it as the VM has: a
 * VM smaller than one block has no THP, and its host discards what there
 * is. */
static uint64_t discard_pages(const struct kvm *kvm)
{
	uint64_t block = pages_per_level(PG_LEVEL_2M);

	return kvm->mem.nr_pages < block ? kvm->mem.nr_pages : block;
}

static void discard_worker(struct run *run, void *arg)
{
	(void)arg;
	while (worker_keep_going()) {
		worker_pause(DISCARD_PAUSE_US);
		if (torture_must_stop())
			break;
		host_discard_block(&run_vm(run)->kvm, 0, discard_pages(&run_vm(run)->kvm));
	}
}

static void zap_leafs_defaults(struct vm_config *cfg, const struct run_config *rc,
			       const struct scenario_variant *v)
{
	/* Two vCPUs per root for free-before-flush: one replaces a table in
	 * the root the other walks. */
	cfg->kvm.nr_vcpus = v->walk && v->walk->free_before_flush ? 4 : 2;
	/* Two 2M blocks in one memslot; the hot pages lie in the first. */
	cfg->kvm.nr_gfns = 1024;
	cfg->kvm.nr_memslots = 1;
	cfg->kvm.nr_roots = 2;
	cfg->kvm.max_huge_level = PG_LEVEL_2M;
	cfg->kvm.arch_range_flush = true;
	cfg->kvm.tlb_huge = v->claims.shows_with_tlb_huge ? TLB_HUGE_SPLINTER : TLB_HUGE_ENTRY;
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
	if (rc->sched != SCHED_FREE) {
		cfg->work.slice = 8;
		cfg->work.hot_gfns = 8;
	}
}

static void zap_leafs_workers(struct run *run, const struct scenario_variant *v)
{
	(void)v;
	/* Controlled executions each start with a fresh THP already, and an
	 * extra worker would lengthen every one of them (PCT's k). */
	if (run->cfg.sched == SCHED_FREE)
		run_add_worker(run, "H", discard_worker, NULL);
}

const struct scenario scenario_zap_leafs = {
	.name = "zap-leafs",
	.summary = "zap only leaf SPTEs, root after root, over huge leaves; yield in long walks",
	.origin = "seed 001 (kvm list, 2022-03, \"Zap only TDP MMU leafs in "
		  "kvm_zap_gfn_range()\"); 873dd122172f, f47e5bbbc92f",
	.arch = &x86_tdp_ops,
	.arch_note = "the TDP MMU's leaf zap over several roots; arm64's stage 2 has one, and its "
		     "unmap walker invalidates each leaf",
	.variants = variants,
	.nr_variants = ARRAY_SIZE(variants),
	.defaults = zap_leafs_defaults,
	.workers = "invalidator,invalidator",
	.controlled_workers = "invalidator",
	.add_workers = zap_leafs_workers,
};
