// SPDX-License-Identifier: GPL-2.0
/*
 * real-memslot: the running kernel's memslot changes under a running guest
 * with dirty logging on (memslot_modification_stress_test's shape). The
 * VMM deletes the working set's slot and creates it again, or moves it
 * away and back, in turn, holding each change open until the vCPUs have
 * run, and adds a one-page slot beside it and deletes it again; a reaper
 * harvests and copies between changes, and the run ends with
 * dirty_log_test's comparison. The interleaving it hunts: a guest write
 * that still reaches the slot's memory after the delete or move returned,
 * through a translation kvm_arch_flush_shadow_memslot() should have
 * removed.
 *
 *   M memslots (VMM)                    vCPU (guest)
 *   ----------------------------------  ------------------------------------
 *   delete (or move) the slot: returns  TLB still maps the old gpa (a lost
 *   snapshot the slot's memory          zap or flush)
 *                                       write the old gpa
 *   compare with the snapshot
 *     !!! stale-tlb-after-slot-change
 *   create the slot again (or move it back); after a create, copy it
 *   whole for the migration, as a new slot's first pass
 *
 * memslots-skips-change is the harness's own slip, the proof that the
 * comparison can fail: the slot is never deleted or moved, so the guest's
 * writes land in the window.
 */
#include "scenario.h"

static void skips_slot_change(struct vm_config *cfg, const struct run_config *rc)
{
	(void)rc;
	cfg->real_skips_slot_change = true;
}

static const struct scenario_variant variants[] = {
	{
		.name = "fixed",
		.summary = "the running kernel's memslot delete and move, with the dirty log",
		.note = "kvm_set_memslot() on the host's KVM: the old addresses exit as "
			"MMIO once the change returns; must run clean",
	},
	{
		.name = "memslots-skips-change",
		.summary = "the harness's VMM compares a slot it never deleted or moved",
		.note = "not the kernel's: the proof that the comparison finds a write",
		.buggy = true,
		.claims.caught_by = DETECT_ORACLE,
		.vm_settings = skips_slot_change,
	},
};

static void real_memslot_defaults(struct vm_config *cfg, const struct run_config *rc,
				  const struct scenario_variant *v)
{
	(void)rc;
	(void)v;
	cfg->real_logs_dirty = true;
	cfg->kvm.nr_vcpus = 2;
	cfg->kvm.nr_gfns = 64;
	cfg->kvm.log_mode = LOG_BITMAP;
	cfg->work = (struct workload){
		.hot_gfns = 64,
		.slice = 64, /* pages each vCPU writes per iteration */
		.reaper_pause_us = 1000,
		.slot_pause_us = 1000,
	};
}

const struct scenario scenario_real_memslot = {
	.name = "real-memslot",
	.summary = "the running kernel's memslots deleted and moved under a running guest, "
		   "dirty logging on",
	.origin = "tools/testing/selftests/kvm/memslot_modification_stress_test.c, on "
		  "/dev/kvm",
	.arch = &x86_tdp_ops,
	.arch_note = "the running kernel's KVM on x86, whatever MMU it uses",
	.real_kernel = true,
	.variants = variants,
	.nr_variants = ARRAY_SIZE(variants),
	.defaults = real_memslot_defaults,
	.workers = "real-memslots,real-reaper",
};
