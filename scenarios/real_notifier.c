// SPDX-License-Identifier: GPL-2.0
/*
 * real-notifier: the running kernel's MMU notifier under a host that takes
 * write access away while vCPUs write (mmu_stress_test's mprotect stage,
 * run concurrently). The invalidator makes a random range of the working
 * set read-only, snapshots it, waits, compares and gives write access
 * back; vCPU threads run the guest program, and a write the host mapping
 * refuses comes back from KVM_RUN as -EFAULT (retried later) or as an MMIO
 * exit whose store is dropped. The interleaving it hunts: a write that
 * lands in a range after mprotect() returned, through a translation the
 * notifier's zap and flush should have removed.
 *
 *   N invalidator (host)             vCPU (guest)
 *   -------------------------------  ------------------------------------
 *   mprotect(R, PROT_READ): returns  TLB still maps R writable (a lost
 *   snapshot R                       flush)
 *   hold the window until the
 *   vCPUs have run                   write R
 *   compare R with the snapshot
 *     !!! write-after-mprotect
 *   mprotect(R, PROT_READ | PROT_WRITE)
 *
 * The other kinds take the range away with madvise (madv-dontneed,
 * madv-pageout, madv-cold), munmap and a fresh mmap (munmap-mmap), split a
 * transparent huge page and collapse it again (thp-collapse), or compact
 * the host's memory so that the guest's pages migrate (compact-memory),
 * or punch a hole in the file behind the memory (memfd-punch-hole, and
 * gmem-punch-hole through guest_memfd's own invalidation, where the kernel
 * has it);
 * the host replays each vCPU's writes (workers/real_verify.c): a write of
 * an iteration that ran whole after the range came back must be in the
 * page the host sees:
 *
 *   N invalidator (host)             vCPU (guest)
 *   -------------------------------  ------------------------------------
 *   MADV_DONTNEED page P: returns    (a TLB still maps P's old frame)
 *                                    iteration starts; write P = i
 *                                    exits at its end
 *   the replay: P's word holds 0, not i
 *     !!! stale-tlb-after-free
 *
 * invalidator-skips-mprotect and host-writes-behind are the harness's own
 * slips, the proofs that the two checks can fail: a range snapshotted and
 * compared but never made read-only, and a host write into the guest's
 * pages that no one announced.
 */
#include "scenario.h"

static void skips_mprotect(struct vm_config *cfg, const struct run_config *rc)
{
	(void)rc;
	cfg->real_skips_mprotect = true;
}

/* A variant's setting: the invalidator's kind. */
#define KIND(fn, kind)                                                     \
	static void fn(struct vm_config *cfg, const struct run_config *rc) \
	{                                                                  \
		(void)rc;                                                  \
		cfg->real_invalidation = (kind);                           \
	}

KIND(dontneed, REAL_INV_DONTNEED)
KIND(remap, REAL_INV_REMAP)
KIND(pageout, REAL_INV_PAGEOUT)
KIND(cold, REAL_INV_COLD)

/* Two huge pages: one may be split while the other is collapsed. */
static void thp(struct vm_config *cfg, const struct run_config *rc)
{
	(void)rc;
	cfg->real_invalidation = REAL_INV_THP;
	cfg->kvm.nr_gfns = 1024;
	cfg->work.hot_gfns = 1024;
}

/* Compaction is slow and system-wide: a pause between them. */
static void compact(struct vm_config *cfg, const struct run_config *rc)
{
	(void)rc;
	cfg->real_invalidation = REAL_INV_COMPACT;
	cfg->work.invalidate_pause_us = 100000;
}

/* MADV_DONTNEED of a shared mapping zaps without freeing: the memfd
 * keeps the pages and the guest finds them again. */
static void memfd_dontneed(struct vm_config *cfg, const struct run_config *rc)
{
	dontneed(cfg, rc);
	cfg->real_memfd = true;
}

static void memfd_remap(struct vm_config *cfg, const struct run_config *rc)
{
	remap(cfg, rc);
	cfg->real_memfd = true;
}

static void memfd_punch_hole(struct vm_config *cfg, const struct run_config *rc)
{
	(void)rc;
	cfg->real_invalidation = REAL_INV_PUNCH_HOLE;
	cfg->real_memfd = true;
}

/* guest_memfd's own invalidation, not the MMU notifier's; unlogged, as
 * KVM wants such a slot. */
static void gmem_punch_hole(struct vm_config *cfg, const struct run_config *rc)
{
	(void)rc;
	cfg->real_invalidation = REAL_INV_PUNCH_HOLE;
	cfg->real_guest_memfd = true;
}

static void writes_behind(struct vm_config *cfg, const struct run_config *rc)
{
	dontneed(cfg, rc);
	cfg->real_writes_behind = true;
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
		.name = "madv-dontneed",
		.summary = "madvise(MADV_DONTNEED): the range's pages are zapped and freed",
		.note = "zap_page_range_single() -> the notifier; a guest write after it must "
			"land in the new zero page the host sees; must run clean",
		.vm_settings = dontneed,
	},
	{
		.name = "munmap-mmap",
		.summary = "munmap() of the range and a fresh mmap() in its place",
		.note = "the notifier on the unmap; accesses meanwhile fault (-EFAULT), and "
			"writes after land in the new pages; must run clean",
		.vm_settings = remap,
	},
	{
		.name = "madv-pageout",
		.summary = "madvise(MADV_PAGEOUT): the range reclaimed where there is swap",
		.note = "reclaim's try_to_unmap() -> the notifier; without swap the kernel "
			"keeps anonymous pages; must run clean",
		.vm_settings = pageout,
	},
	{
		.name = "madv-cold",
		.summary = "madvise(MADV_COLD): the range deactivated, its young bits cleared",
		.note = "aging through the notifier's clear_young (KVM_ELIDE_TLB_FLUSH_IF_"
			"YOUNG: no flush); must run clean",
		.vm_settings = cold,
	},
	{
		.name = "thp-collapse",
		.summary = "a transparent huge page split, then collapsed again "
			   "(MADV_COLLAPSE)",
		.note = "the split and the collapse's copy both run the notifier over the "
			"whole 2M; a write after the collapse must land in the new huge page; "
			"must run clean",
		.vm_settings = thp,
	},
	{
		.name = "compact-memory",
		.summary = "the host compacts its memory: the guest's pages migrate",
		.note = "/proc/sys/vm/compact_memory -> migrate_pages() -> the notifier for "
			"each page moved (needs root; system-wide); a write after must land "
			"in the page's new frame; must run clean",
		.vm_settings = compact,
	},
	{
		.name = "memfd-dontneed",
		.summary = "MADV_DONTNEED of a memfd's shared mapping: zapped, not freed",
		.note = "the notifier zaps and flushes, the page cache keeps the pages and "
			"the guest's writes after must land in them; must run clean",
		.vm_settings = memfd_dontneed,
	},
	{
		.name = "memfd-munmap-mmap",
		.summary = "munmap() and mmap() again of a memfd's shared mapping",
		.note = "the same pages come back at the same place; must run clean",
		.vm_settings = memfd_remap,
	},
	{
		.name = "memfd-punch-hole",
		.summary = "fallocate(FALLOC_FL_PUNCH_HOLE) of the memfd behind the working set",
		.note = "shmem_fallocate() -> unmap_mapping_range() -> the notifier; the pages "
			"are freed, and a guest write after must land in the new page; must "
			"run clean",
		.vm_settings = memfd_punch_hole,
	},
	{
		.name = "gmem-punch-hole",
		.summary = "a hole punched in a guest_memfd the host maps, shared from the start",
		.note = "kvm_gmem_punch_hole() -> kvm_gmem_invalidate_begin() -> "
			"kvm_mmu_unmap_gfn_range(), no MMU notifier; needs a kernel whose KVM "
			"offers guest_memfd with MMAP and INIT_SHARED (6.18 on), skipped (exit "
			"3) where it does not; must run clean",
		.vm_settings = gmem_punch_hole,
	},
	{
		.name = "invalidator-skips-mprotect",
		.summary = "the harness's invalidator compares a range it never protected",
		.note = "not the kernel's: the proof that the comparison finds a write",
		.buggy = true,
		.claims.caught_by = DETECT_ORACLE,
		.vm_settings = skips_mprotect,
	},
	{
		.name = "host-writes-behind",
		.summary = "the harness's host writes into the guest's pages, unannounced",
		.note = "not the kernel's: the proof that the replay of the guest's writes "
			"finds a page that does not hold what the guest wrote",
		.buggy = true,
		.claims.caught_by = DETECT_ORACLE,
		.vm_settings = writes_behind,
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
