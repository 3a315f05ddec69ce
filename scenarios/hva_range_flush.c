// SPDX-License-Identifier: GPL-2.0
/*
 * hva-range-flush: a range-based TLB flush in the MMU-notifier path (seed
 * 000, Sean Christopherson, April 2024). __kvm_handle_hva_range() runs the
 * unmap handler per memslot; the proposal flushes each slot's gfn range with
 * kvm_arch_flush_remote_tlbs_range() under mmu_lock, and falls back to one
 * full flush if the arch cannot. Ranges are half-open: nr = end - start.
 * The posted patch had "+ 1", one page too many: safe, and counted.
 *
 * The race a wrong range loses (under-by-one):
 *
 *   N  notifier, unmap hva [h, h+3)                   v1
 *   -----------------------------------------------   -------------------------
 *                                                      cache G+2 -> P
 *   mmu_lock; slot A: zap G .. G+2
 *   range flush [G, G+2)  <- G+2 left out --------->   drops G, G+1; keeps G+2
 *   mmu_unlock; free P
 *                                                      use G+2 -> P   !!! stale
 *
 * no-fallback loses the same way when the arch answers -EOPNOTSUPP and the
 * notifier ignores it: nothing is flushed at all.
 *
 * Variants:
 *   fixed           nr = end - start, fall back to a full flush on failure
 *   full-flush      today's generic code: one full flush if anything was
 *                   zapped; the cost baseline
 *   seed-plus-one   the posted nr = end - start + 1: clean, one extra page
 *                   per range flush (range_flush_excess_pages)
 *   under-by-one    nr = end - start - 1
 *   no-fallback     a failing range flush is ignored
 */
#include "scenario.h"

#include "../workers/workers.h"

static uint64_t range_exact(gfn_t start, gfn_t end)
{
	return end - start;
}

static uint64_t range_plus_one(gfn_t start, gfn_t end)
{
	return end - start + 1;
}

static uint64_t range_minus_one(gfn_t start, gfn_t end)
{
	return end - start - 1;
}

/* The TDP MMU's policy, with the notifier flushing each memslot's range
 * under mmu_lock instead of one full flush: the seed's patch. Each variant
 * is only what it changes. */
#define RANGE_POLICY                                                                             \
	FLUSH_POLICY_TDP, .notifier_locked = flush_policy_nop, .notifier_range_nr = range_exact, \
			  .range_flush_fallback = true

static const struct flush_policy range_fixed = { RANGE_POLICY };
static const struct flush_policy range_seed_plus_one = { RANGE_POLICY,
							 .notifier_range_nr = range_plus_one };
static const struct flush_policy range_under_by_one = { RANGE_POLICY,
							.notifier_range_nr = range_minus_one };
static const struct flush_policy range_no_fallback = { RANGE_POLICY,
						       .range_flush_fallback = false };

static const struct scenario_variant variants[] = {
	{
		.name = "fixed",
		.summary = "flush each memslot's [start, end) by range; full flush if that fails",
		.note = "the seed's patch with nr = end - start; must run clean with "
			"--range-flush works and unsupported",
		.policy = &range_fixed,
	},
	{
		.name = "full-flush",
		.summary = "one full flush after all memslots, if anything was zapped",
		.note = "today's generic code: safe; the cost baseline (tlb_overflush)",
		.policy = &flush_policy_tdp,
	},
	{
		.name = "seed-plus-one",
		.summary = "the posted nr = end - start + 1",
		.note = "one page too many: safe; range_flush_excess_pages counts one per "
			"range flush",
		.policy = &range_seed_plus_one,
	},
	{
		.name = "under-by-one",
		.summary = "nr = end - start - 1",
		.note = "the last gfn of each memslot's range keeps its TLB entry after "
			"its frame is freed",
		.buggy = true,
		.claims.caught_by = DETECT_ORACLE | DETECT_RANDOM | DETECT_PCT,
		.claims.depth = { 2, DEPTH_EXACT },
		.claims.shows_with_range_flush = RANGE_FLUSH_WORKS,
		.policy = &range_under_by_one,
	},
	{
		.name = "no-fallback",
		.summary = "a range flush that fails (-EOPNOTSUPP) is ignored",
		.note = "when the arch cannot flush a range nothing is flushed; runs with "
			"--range-flush unsupported unless told otherwise",
		.buggy = true,
		.claims.caught_by = DETECT_ORACLE | DETECT_RANDOM | DETECT_PCT,
		.claims.depth = { 1, DEPTH_EXACT },
		.claims.shows_with_range_flush = RANGE_FLUSH_UNSUPPORTED,
		.policy = &range_no_fallback,
	},
};

static void hva_range_flush_defaults(struct vm_config *cfg, const struct run_config *rc,
				     const struct scenario_variant *v)
{
	cfg->kvm.nr_vcpus = 2;
	/* Small memslots (4 pages), so most unmaps of up to 4 pages cross a
	 * slot boundary and the handler runs per slot, as the seed's loop. */
	cfg->kvm.nr_gfns = 64;
	cfg->kvm.nr_memslots = 16;
	cfg->kvm.nr_roots = 2; /* an L1 root and a nested TDP root */
	cfg->kvm.arch_range_flush = v->claims.shows_with_range_flush != RANGE_FLUSH_UNSUPPORTED;
	cfg->work = (struct workload){
		.hot_gfns = 16,
		.slice = 256,
		.write_ratio = 0.3,
		.invlpg_ratio = 0, /* TDP: the guest's invlpg never exits */
		.unmap_pages_max = 4,
		.invalidate_pause_us = 50,
		.exec_guest_entries = 6,
		.exec_invalidations = 2,
	};
	if (rc->sched != SCHED_FREE) {
		cfg->work.slice = 8;
		cfg->work.hot_gfns = 6;
	}
}

const struct scenario scenario_hva_range_flush = {
	.name = "hva-range-flush",
	.summary = "range-based remote flush in the MMU-notifier path, per memslot",
	.origin = "seed 000 (kvm list, 2024-04, \"KVM: delete .change_pte\" thread)",
	.arch = &x86_tdp_ops,
	.arch_note = "the notifier's range flush after an unmap that asks for one; arm64's unmap "
		     "walker invalidates each leaf itself and asks for none (stage2-cmo measures "
		     "the notifier's flushes there)",
	.variants = variants,
	.nr_variants = ARRAY_SIZE(variants),
	.defaults = hva_range_flush_defaults,
	.workers = "invalidator,invalidator",
	.controlled_workers = "invalidator",
};
