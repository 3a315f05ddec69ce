// SPDX-License-Identifier: GPL-2.0
/*
 * gmem-punch-hole: guest_memfd invalidation (6.8's guest_memfd, as 6.18
 * has it). A guest_memfd has no host mapping, so no MMU notifier: a hole
 * punched in the file is invalidated by kvm_gmem_punch_hole() itself, and
 * a fault that takes its pfn from the file (kvm_gmem_get_pfn(), with no
 * filemap lock) is kept out only by mmu_invalidate_retry_gfn() over the
 * range the punch added. Small memslots bound to one file, so a hole often
 * spans two.
 *
 * range-keeps-last-slot (the range form posted before the 6.8 merge, fixed
 * in review): each slot's range replaced the one before, so a hole across
 * two slots left only the last slot's gfns in the retry range:
 *
 *   P punch hole [1, 3): slots A [0, 2), B [2, 4)    v0: fault on gfn 1 (slot A)
 *   ---------------------------------------------    ---------------------------
 *                                                    seq = mmu_invalidate_seq
 *   mmu_lock; begin
 *   A: range = [1, 2); zap gfn 1
 *   B: range = [2, 3) (A's range lost); zap gfn 2
 *   flush; mmu_unlock
 *                                                    kvm_gmem_get_pfn(1): the
 *                                                    old folio, still in the file
 *                                                    retry_gfn: 1 not in [2, 3),
 *                                                    seq unchanged: install it
 *   truncate: gfn 1's folio is freed
 *   mmu_lock; end; mmu_unlock
 *                                                    access gfn 1 through its TLB
 *                                                      !!! stale-tlb-after-free
 *
 * truncate-before-invalidate frees the folios while SPTEs and TLBs still
 * map them (the order the source's comment forbids: "only after zap and
 * flush"); end-before-truncate closes the window while the old folios are
 * still in the file, so a fault that takes one after the end passes both
 * checks and maps it just before it is freed.
 */
#include "scenario.h"

static const struct gmem_policy gmem_range_keeps_last = { .range_keeps_last_slot = true };
static const struct gmem_policy gmem_truncate_first = { .truncate_before_invalidate = true };
static const struct gmem_policy gmem_end_first = { .end_before_truncate = true };

static const struct scenario_variant variants[] = {
	{
		.name = "fixed",
		.summary =
			"6.18: begin, each slot's range widened and zapped, flush, truncate, end",
		.note = "kvm_gmem_punch_hole() -> kvm_gmem_invalidate_begin(), "
			"truncate_inode_pages_range(), kvm_gmem_invalidate_end(); must run "
			"clean",
		.policy = &flush_policy_tdp,
	},
	{
		.name = "range-keeps-last-slot",
		.summary = "each slot's range replaces the last (the form posted before 6.8)",
		.note = "a hole across two slots leaves only the last slot's gfns in the "
			"retry range: a fault on the first slot installs a folio the "
			"truncation then frees",
		.buggy = true,
		.claims.caught_by = DETECT_ORACLE | DETECT_RANDOM | DETECT_PCT | DETECT_COVER,
		.claims.depth = { 1, DEPTH_EXACT },
		.policy = &flush_policy_tdp,
		.gmem_policy = &gmem_range_keeps_last,
	},
	{
		.name = "truncate-before-invalidate",
		.summary = "the folios are freed before the zap and its flush",
		.note = "SPTEs and TLB entries map the freed frames until the zap and "
			"flush that follow",
		.buggy = true,
		.claims.caught_by = DETECT_ORACLE | DETECT_RANDOM | DETECT_PCT | DETECT_COVER,
		.claims.depth = { 1, DEPTH_EXACT },
		.policy = &flush_policy_tdp,
		.gmem_policy = &gmem_truncate_first,
	},
	{
		.name = "end-before-truncate",
		.summary = "the invalidation ends before the truncation",
		.note = "a fault after the end takes the old folio, still in the file, "
			"passes its retry check and maps it just before it is freed",
		.buggy = true,
		.claims.caught_by = DETECT_ORACLE | DETECT_RANDOM | DETECT_PCT | DETECT_COVER,
		.claims.depth = { 1, DEPTH_EXACT },
		.policy = &flush_policy_tdp,
		.gmem_policy = &gmem_end_first,
	},
};

static void gmem_punch_hole_defaults(struct vm_config *cfg, const struct run_config *rc,
				     const struct scenario_variant *v)
{
	(void)v;
	cfg->kvm.nr_vcpus = 2;
	cfg->kvm.nr_gfns = 64;
	/* Slots of two gfns, every one bound to the one guest_memfd. */
	cfg->kvm.nr_memslots = 32;
	cfg->kvm.gmem = true;
	cfg->work = (struct workload){
		.hot_gfns = 8,
		.slice = 64,
		.write_ratio = 0.5,
		.invlpg_ratio = 0,
		.unmap_pages_max = 3,
		.punch_pause_us = 200,
		.exec_guest_entries = 6,
		.exec_punches = 1,
	};
	if (rc->sched != SCHED_FREE) {
		cfg->work.slice = 6;
		cfg->work.hot_gfns = 2;
		cfg->work.unmap_pages_max = 2;
	}
}

const struct scenario scenario_gmem_punch_hole = {
	.name = "gmem-punch-hole",
	.summary = "guest_memfd's hole punch: its own invalidation, no MMU notifier",
	.origin = "kvm_gmem_punch_hole() (6.8, as in 6.18); the range accumulation fixed "
		  "in review before the merge",
	.arch = &x86_tdp_ops,
	.arch_note = "the x86 TDP MMU's fault path and retry check; arm64's gmem_abort() is "
		     "not modelled",
	.variants = variants,
	.nr_variants = ARRAY_SIZE(variants),
	.defaults = gmem_punch_hole_defaults,
	.workers = "puncher",
};
