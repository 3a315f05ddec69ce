// SPDX-License-Identifier: GPL-2.0
/*
 * real-dirty-log: dirty_log_test against the running kernel. vCPU threads
 * run the guest program (real/guest.c), each iteration writing the
 * iteration's value into pages of the working set; the reaper, as
 * migration's userspace, advances the iteration, harvests the slot's dirty
 * log and copies what it reported; at the end each vCPU runs one more
 * iteration, the reaper harvests once more and every page is compared with
 * its copy. The kernel cannot be scheduled, so the race it would lose is
 * the host's own:
 *
 *   vCPU (guest)                 R reaper (userspace)
 *   ---------------------------  ---------------------------------------
 *   write page P = i             KVM_GET_DIRTY_LOG: P reported, cleared,
 *                                write-protected
 *   write P = i (faults: KVM     copy P (i)
 *   logs it again)
 *                                ...
 *                                last harvest: P reported; copy P
 *   compare: every page equals its copy, or a write was never reported
 *     !!! lost-dirty-write
 *
 * --log bitmap (KVM_GET_DIRTY_LOG), --log clear (manual protect with
 * initially-set: KVM_GET_DIRTY_LOG, then KVM_CLEAR_DIRTY_LOG, then the
 * copy) or --log ring (each vCPU's dirty ring with acquire/release:
 * collect, KVM_RESET_DIRTY_RINGS, then the copy; a vCPU whose ring is full
 * exits and waits for the next harvest). reaper-drops-a-page is the
 * harness's own slip, the proof that the comparison can fail: each harvest
 * leaves out the first page reported.
 */
#include "scenario.h"

static void drops_a_report(struct vm_config *cfg, const struct run_config *rc)
{
	(void)rc;
	cfg->real_drops_a_report = true;
}

static void ring_apart(struct vm_config *cfg, const struct run_config *rc)
{
	(void)rc;
	cfg->real_ring_apart = true;
	cfg->kvm.log_mode = LOG_RING;
}

static void memfd(struct vm_config *cfg, const struct run_config *rc)
{
	(void)rc;
	cfg->real_memfd = true;
}

static const struct scenario_variant variants[] = {
	{
		.name = "fixed",
		.summary = "the running kernel's dirty log, harvested as migration does",
		.note = "kvm_vm_ioctl_get_dirty_log() / kvm_clear_dirty_log_protect() on "
			"the host's KVM; must run clean",
	},
	{
		.name = "memfd-backed",
		.summary = "the working set in a memfd (shmem), shared, not anonymous memory",
		.note = "the same harvests over shmem-backed pages; must run clean",
		.vm_settings = memfd,
	},
	{
		.name = "ring-reset-apart",
		.summary = "the dirty ring collected on one thread and reset on another",
		.note = "a collector marks the entries it took for reset and hands their "
			"pages over; the reaper calls KVM_RESET_DIRTY_RINGS and copies them "
			"(the order kvm_dirty_ring_reset() relies on); must run clean",
		.vm_settings = ring_apart,
		.extra_workers = "real-collector",
	},
	{
		.name = "reaper-drops-a-page",
		.summary = "the harness's reaper leaves out the first page of each harvest",
		.note = "not the kernel's: the proof that the comparison finds a page the "
			"copy missed",
		.buggy = true,
		.claims.caught_by = DETECT_ORACLE,
		.vm_settings = drops_a_report,
	},
};

static void real_dirty_log_defaults(struct vm_config *cfg, const struct run_config *rc,
				    const struct scenario_variant *v)
{
	(void)rc;
	(void)v;
	cfg->real_logs_dirty = true;
	cfg->real_ring_ok = true;
	cfg->kvm.nr_vcpus = 2;
	/* The working set: 1,024 pages (4 MiB). */
	cfg->kvm.nr_gfns = 1024;
	cfg->kvm.log_mode = LOG_BITMAP;
	cfg->work = (struct workload){
		.hot_gfns = 1024,
		.slice = 64, /* pages each vCPU writes per iteration */
		.reaper_pause_us = 1000,
	};
}

const struct scenario scenario_real_dirty_log = {
	.name = "real-dirty-log",
	.summary = "the running kernel's dirty log: vCPUs write while migration harvests",
	.origin = "tools/testing/selftests/kvm/dirty_log_test.c, on /dev/kvm",
	.arch = &x86_tdp_ops,
	.arch_note = "the running kernel's KVM on x86, whatever MMU it uses",
	.real_kernel = true,
	.variants = variants,
	.nr_variants = ARRAY_SIZE(variants),
	.defaults = real_dirty_log_defaults,
	.workers = "real-reaper",
};
