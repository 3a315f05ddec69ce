// SPDX-License-Identifier: GPL-2.0
/*
 * dirty-log: harvesting dirty pages while vCPUs write (dirty_log_test's
 * shape), in the three upstream interfaces (--log bitmap|clear|ring). A
 * harvest reports the gfns marked since the last one, write-protects them
 * again and, before returning, flushes: a vCPU that kept a writable TLB
 * entry could otherwise write the page unlogged, and migration would never
 * copy that write.
 *
 * What a missing flush loses (no-flush; flush-if-wrprot when the SPTE was
 * access-tracked, so write-protecting it changed nothing):
 *
 *   v1                                  A ager        R reaper (userspace)
 *   ---------------------------------   -----------   ------------------------------
 *   write G: fault, fast path sets W,
 *     marks G dirty; TLB: G writable
 *                                       age G: SPTE
 *                                       access-tracked,
 *                                       W gone, no flush
 *                                                     harvest: G reported; wrprot G
 *                                                       changes nothing -> no flush
 *                                                     returns; copies G
 *   write G through the TLB entry
 *     !!! lost-dirty-write: no mark, no later harvest reports it
 *
 * ring-reset-no-flush loses it the same way: KVM_RESET_DIRTY_RINGS
 * write-protects the collected gfns and returns without a flush.
 *
 * ring-relaxed-flags reads a ring entry's flags without acquire (and hands
 * it back without release):
 *
 *   v1 (kvm_dirty_ring_push)            R (collect)
 *   ---------------------------------   ------------------------------------
 *   e->gfn = G
 *   smp_wmb()
 *   e->flags = DIRTY
 *                                       flags == DIRTY (plain load)
 *                                       gfn = e->gfn  -> the slot's old gfn
 *                                       copy the wrong page; G never copied
 *   (G stays writable: no later mark)
 *     !!! at the quiesced check G differs from the destination
 *
 * Under sc and tso the gfn load cannot pass the flags load, so only --memory
 * weak shows it.
 *
 * ring-reset-apart (fixed) collects and resets on two threads, as the ring's
 * interface allows; the reset's acquire on the flags is then all that
 * orders its gfn read after the vCPU's push:
 *
 *   v1 (push)             R (collect)                R2 (reset, then copy)
 *   -------------------   ------------------------   ---------------------------
 *                                                    takes the hand-over
 *   e->gfn = G; wmb;
 *   e->flags = DIRTY
 *                         acquire DIRTY, gfn G
 *                         release RESET
 *                                                    flags RESET (acquire)
 *                                                    gfn: G, not the slot's old
 *                                                    one; write-protect G, flush
 *                         hand G over
 *                                                    next round: copy G
 *
 * Without the acquire R2 may read the old gfn and protect it instead; G
 * stays writable and a write after R2 copies it is never logged.
 *
 * Every run ends with the quiesced check: the vCPUs stopped, one more
 * harvest, and every page compared with the destination the harvests built.
 */
#include "scenario.h"

#include "../workers/workers.h"

static const struct dirty_log_policy log_fixed = DIRTY_LOG_POLICY();
static const struct dirty_log_policy log_flush_if_wrprot =
	DIRTY_LOG_POLICY(.harvest_flush = HARVEST_FLUSH_IF_WRPROT);
static const struct dirty_log_policy log_no_flush =
	DIRTY_LOG_POLICY(.harvest_flush = HARVEST_NO_FLUSH, .ring_reset_flushes = false);
static const struct dirty_log_policy log_ring_reset_no_flush =
	DIRTY_LOG_POLICY(.ring_reset_flushes = false);
static const struct dirty_log_policy log_ring_relaxed =
	DIRTY_LOG_POLICY(.ring_flags_ordered = false);

#define BITMAP_MODES ((1U << LOG_BITMAP) | (1U << LOG_CLEAR))
#define RING_MODE (1U << LOG_RING)

static const struct scenario_variant variants[] = {
	{
		.name = "fixed",
		.summary = "flush iff the harvest reaped anything, before returning",
		.note = "upstream kvm_get_dirty_log_protect(), kvm_clear_dirty_log_protect() "
			"and kvm_vm_ioctl_reset_dirty_pages(); must run clean in every --log mode",
		.policy = &flush_policy_tdp,
		.log_policy = &log_fixed,
	},
	{
		.name = "ring-reset-apart",
		.summary = "upstream's ring, collected on one thread and reset on another",
		.note = "two reapers: the collector marks entries RESET and hands their gfns "
			"over, the resetter calls KVM_RESET_DIRTY_RINGS and copies what it "
			"took; kvm_dirty_gfn_harvested()'s acquire orders the reset's gfn read "
			"after the collector's RESET. Must run clean",
		.claims.shows_with_log = RING_MODE,
		.actors = "reaper=2",
		/* Four hot gfns: a slot's previous gfn is then mostly another
		 * one, so a reset that read it protects the wrong page. */
		.controlled_workload = "hot=4",
		.policy = &flush_policy_tdp,
		.log_policy = &log_fixed,
	},
	{
		.name = "flush-if-wrprot",
		.summary = "flush only if write-protecting changed some SPTE",
		.note = "an SPTE the ager made access-tracked has no W to clear, so nothing "
			"changes and nothing is flushed, but a vCPU's TLB still holds it "
			"writable (bitmap and clear modes; the ring's reset flushes on its own)",
		.buggy = true,
		.claims.caught_by = DETECT_ORACLE | DETECT_RANDOM | DETECT_PCT,
		.claims.depth = { 2, DEPTH_EXACT },
		.claims.shows_with_log = BITMAP_MODES,
		.claims.shows_with_ad_bits = AD_BITS_OFF, /* A/D aging leaves W and D alone */
		.policy = &flush_policy_tdp,
		.log_policy = &log_flush_if_wrprot,
	},
	{
		.name = "no-flush",
		.summary = "harvests and ring resets never flush",
		.note = "every writable TLB entry outlives the harvest that reported its gfn",
		.buggy = true,
		.claims.caught_by = DETECT_ORACLE | DETECT_RANDOM | DETECT_PCT,
		.claims.depth = { 2, DEPTH_EXACT },
		.policy = &flush_policy_tdp,
		.log_policy = &log_no_flush,
	},
	{
		.name = "ring-reset-no-flush",
		.summary = "KVM_RESET_DIRTY_RINGS write-protects and returns without a flush",
		.note = "the dirty ring's form of no-flush: only --log ring shows it",
		.buggy = true,
		.claims.caught_by = DETECT_ORACLE | DETECT_RANDOM | DETECT_PCT,
		.claims.depth = { 2, DEPTH_EXACT },
		.claims.shows_with_log = RING_MODE,
		.policy = &flush_policy_tdp,
		.log_policy = &log_ring_reset_no_flush,
	},
	{
		.name = "ring-relaxed-flags",
		.summary = "the collector reads ring flags plainly, not with acquire",
		.note = "seeing DIRTY does not order the gfn read after it: the collector may "
			"copy the slot's previous gfn. Only --log ring, and only with store "
			"buffers that let loads pass (--memory weak)",
		.buggy = true,
		.claims.caught_by = DETECT_STORE_BUFFERS | DETECT_RANDOM | DETECT_PCT,
		.claims.depth = { 2, DEPTH_EXACT },
		.claims.shows_with_log = RING_MODE,
		.claims.shows_from = MEM_WEAK,
		.policy = &flush_policy_tdp,
		.log_policy = &log_ring_relaxed,
	},
};

static void dirty_log_defaults(struct vm_config *cfg, const struct run_config *rc,
			       const struct scenario_variant *v)
{
	cfg->kvm.nr_vcpus = 2;
	cfg->kvm.nr_gfns = 64;
	/* Two roots, a vCPU in each: a write-protect must reach every root. */
	cfg->kvm.nr_roots = 2;
	cfg->kvm.log_policy = v->log_policy;
	cfg->kvm.log_mode = LOG_BITMAP;
	cfg->work = (struct workload){
		.hot_gfns = 8,
		.slice = 64,
		.write_ratio = 0.6,
		.invlpg_ratio = 0, /* TDP: the guest's invlpg never exits */
		.reaper_pause_us = 100,
		.ager_pause_us = 100,
		.exec_guest_entries = 6,
		.exec_harvests = 3,
		.exec_agings = 2,
	};
	if (rc->sched != SCHED_FREE) {
		cfg->work.slice = 6;
		cfg->work.hot_gfns = 2;
	}
}

/* The VM ages, and ends with dirty_log_test's check. */
static void dirty_log_workers(struct run *run, const struct scenario_variant *v)
{
	(void)v;
	run_vm(run)->aging = true;
	run_vm(run)->quiesced_check = dirty_log_quiesced_check;
}

const struct scenario scenario_dirty_log = {
	.name = "dirty-log",
	.summary = "harvest dirty pages while vCPUs write: bitmap, clear-log and ring",
	.origin = "tools/testing/selftests/kvm/dirty_log_test.c; kvm_get_dirty_log_protect(), "
		  "kvm_dirty_ring_reset()",
	.arch = &x86_tdp_ops,
	.arch_note = "x86's write-protect and PML logging over two roots; arm64's logging runs in "
		     "stage2-blocks",
	.variants = variants,
	.nr_variants = ARRAY_SIZE(variants),
	.defaults = dirty_log_defaults,
	.workers = "reaper,ager",
	.add_workers = dirty_log_workers,
};
