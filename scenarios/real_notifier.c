// SPDX-License-Identifier: GPL-2.0
/*
 * real-notifier: the running kernel's MMU notifier under a host that takes
 * write access away while vCPUs write (mmu_stress_test's mprotect stage,
 * run concurrently). The invalidator makes a random range of the working
 * set read-only, snapshots it, waits, compares and gives write access
 * back; vCPU threads run the guest program, and a write the host mapping
 * refuses comes back from KVM_RUN as -EFAULT and is retried later. The
 * interleaving it hunts (workers/real_invalidator.c draws it): a write
 * that lands in a range after mprotect() returned, through a translation
 * the notifier's zap and flush should have removed.
 *
 * invalidator-skips-mprotect is the harness's own slip, the proof that the
 * comparison can fail: the range is snapshotted and compared but never
 * made read-only, so the guest's writes land in it.
 */
#include "scenario.h"

static void skips_mprotect(struct vm_config *cfg, const struct run_config *rc)
{
	(void)rc;
	cfg->real_skips_mprotect = true;
}

static const struct scenario_variant variants[] = {
	{
		.name = "fixed",
		.summary = "the running kernel's notifier: mprotect() zaps and flushes before "
			   "it returns",
		.note = "kvm_mmu_notifier_invalidate_range_start() on the host's KVM; must "
			"run clean",
	},
	{
		.name = "invalidator-skips-mprotect",
		.summary = "the harness's invalidator compares a range it never protected",
		.note = "not the kernel's: the proof that the comparison finds a write",
		.buggy = true,
		.claims.caught_by = DETECT_ORACLE,
		.vm_settings = skips_mprotect,
	},
};

static void real_notifier_defaults(struct vm_config *cfg, const struct run_config *rc,
				   const struct scenario_variant *v)
{
	(void)rc;
	(void)v;
	cfg->kvm.nr_vcpus = 2;
	/* A small working set, so ranges the host protects are written. */
	cfg->kvm.nr_gfns = 64;
	cfg->kvm.log_mode = LOG_BITMAP;
	cfg->work = (struct workload){
		.hot_gfns = 64,
		.slice = 64, /* pages each vCPU writes per iteration */
		.invalidate_pause_us = 200,
	};
}

const struct scenario scenario_real_notifier = {
	.name = "real-notifier",
	.summary = "the running kernel's MMU notifier: the host write-protects ranges while "
		   "vCPUs write",
	.origin = "tools/testing/selftests/kvm/mmu_stress_test.c, on /dev/kvm",
	.arch = &x86_tdp_ops,
	.arch_note = "the running kernel's KVM on x86, whatever MMU it uses",
	.real_kernel = true,
	.variants = variants,
	.nr_variants = ARRAY_SIZE(variants),
	.defaults = real_notifier_defaults,
	.workers = "real-invalidator",
};
