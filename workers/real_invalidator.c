// SPDX-License-Identifier: GPL-2.0
/*
 * The host taking guest memory away from the running kernel's guest, as
 * mmu_stress_test does, in the VM's kind (REAL_INV_*): mprotect(PROT_READ)
 * with a snapshot held until the vCPUs have run (real_hold_window()) and
 * compared, or madvise, munmap and mmap, a THP split or collapse, a hole
 * punched in the file behind the memory, or the host's compaction, whose pages the replay skips
 * while they are taken away (workers/real_verify.c). The interleavings are drawn at the top of the
 * scenario file that runs this worker.
 */
#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../engine/check.h"
#include "../engine/thread.h"
#include "real.h"
#include "workers.h"

#define RANGE_PAGES_MAX 16

static void report_write(struct vm *vm, int kind, uint64_t page, uint64_t was, uint64_t now)
{
	oracle_report(&vm->oracle, &(struct violation){
					   .kind = (enum violation_kind)kind,
					   .vcpu_id = (int)(now & 0xffff),
					   .gfn = REAL_WS_GPA / REAL_PAGE_SIZE + page,
					   .level = PG_LEVEL_4K,
					   .write = true,
					   .entry_epoch = was,
					   .current_epoch = now,
					   .t_ns = trace_now_ns() - vm->oracle.t0_ns,
					   .host_view = true,
				   });
}

/* The first word that changed says which vCPU wrote, in which iteration. */
void real_compare_range(struct vm *vm, uint64_t first, uint64_t n, const uint8_t *snapshot,
			int kind)
{
	const uint8_t *ws = vm->real->vm.ws;

	for (uint64_t p = 0; p < n; p++) {
		const uint64_t *now = (const uint64_t *)(ws + (first + p) * REAL_PAGE_SIZE);
		const uint64_t *was = (const uint64_t *)(snapshot + p * REAL_PAGE_SIZE);

		for (size_t w = 0; w < REAL_PAGE_SIZE / 8; w++)
			if (now[w] != was[w]) {
				report_write(vm, kind, first + p, was[w], now[w]);
				break;
			}
	}
}

/* A window nobody wrote in proves nothing. */
void real_hold_window(struct run *run)
{
	int nr_vcpus = run_vm(run)->real->vm.nr_vcpus;
	uint64_t iterations = run_counter(run, CNT_GUEST_ITERATIONS);
	uint64_t refused = run_counter(run, CNT_GUEST_WRITES_REFUSED);
	uint64_t deadline = trace_now_ns() + 20ULL * 1000 * 1000;

	while (run_counter(run, CNT_GUEST_ITERATIONS) < iterations + 2ULL * (uint64_t)nr_vcpus &&
	       run_counter(run, CNT_GUEST_WRITES_REFUSED) == refused && trace_now_ns() < deadline &&
	       !torture_must_stop())
		worker_pause(20);
}

static void protect(uint8_t *addr, size_t len, int prot)
{
	HARNESS_ASSERT(!mprotect(addr, len, prot), "mprotect of the real working set failed");
}

/* mprotect(PROT_READ) and the window check, then write access back. */
static void protect_range(struct run *run, uint64_t first, uint64_t n)
{
	struct vm *vm = run_vm(run);
	static _Thread_local uint8_t snapshot[RANGE_PAGES_MAX * REAL_PAGE_SIZE];
	uint8_t *range = vm->real->vm.ws + first * REAL_PAGE_SIZE;
	size_t len = n * REAL_PAGE_SIZE;

	if (!vm->cfg.real_skips_mprotect)
		protect(range, len, PROT_READ);
	memcpy(snapshot, range, len);
	real_hold_window(run);
	real_compare_range(vm, first, n, snapshot, VIOL_WRITE_AFTER_MPROTECT);
	if (!vm->cfg.real_skips_mprotect)
		protect(range, len, PROT_READ | PROT_WRITE);
}

static const int madvice[] = {
	[REAL_INV_DONTNEED] = MADV_DONTNEED,
	[REAL_INV_PAGEOUT] = MADV_PAGEOUT,
	[REAL_INV_COLD] = MADV_COLD,
};

/* munmap() and a fresh mmap() at the same place: the slot's hva now
 * maps new zero pages (or the memfd's pages again). Nobody reads the
 * range meanwhile. */
static void remap_range(struct real_run *r, uint64_t first, uint64_t n)
{
	pthread_rwlock_wrlock(&r->ws_map_lock);
	HARNESS_ASSERT(!munmap(r->vm.ws + first * REAL_PAGE_SIZE, n * REAL_PAGE_SIZE),
		       "munmap of the real working set failed");
	HARNESS_ASSERT(real_vm_remap_ws(&r->vm, first, n),
		       "mmap of the real working set at its place failed");
	pthread_rwlock_unlock(&r->ws_map_lock);
}

#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25
#endif
#define HUGE_PAGES 512ULL /* 4K pages in a 2M one */

/* A huge page of the working set, split (MADV_DONTNEED of one of its
 * pages), or collapsed again (MADV_COLLAPSE copies its pages into a new
 * huge page: a write through a translation of an old small page after the
 * copy is lost). The whole 2M is busy meanwhile: both remap all of it. */
static void split_or_collapse(struct real_run *r, uint64_t first, bool collapse)
{
	uint8_t *huge = r->vm.ws + first * REAL_PAGE_SIZE;
	uint64_t page = rng_below(&current_thread->rng, HUGE_PAGES);

	if (!collapse) {
		HARNESS_ASSERT(
			!madvise(huge + page * REAL_PAGE_SIZE, REAL_PAGE_SIZE, MADV_DONTNEED),
			"madvise(MADV_DONTNEED) of the real working set failed");
		return;
	}
	/* The kernel may find no huge page to be had now: not a finding. */
	if (!madvise(huge, HUGE_PAGES * REAL_PAGE_SIZE, MADV_COLLAPSE))
		count(CNT_THP_COLLAPSES, 1);
}

/* /proc/sys/vm/compact_memory: the kernel compacts every zone, migrating
 * movable pages, the guest's among them, each through the notifier
 * (migrate_pages() -> try_to_migrate()). Which pages move is the kernel's
 * choice, so the whole working set is busy meanwhile. */
/* /proc/vmstat's count of pages migrated so far, system-wide (0 where
 * the kernel does not say). */
static uint64_t pages_migrated(void)
{
	FILE *f = fopen("/proc/vmstat", "re");
	char name[64];
	unsigned long long n, found = 0;

	if (!f)
		return 0;
	while (fscanf(f, "%63s %llu", name, &n) == 2)
		if (!strcmp(name, "pgmigrate_success"))
			found = n;
	fclose(f);
	return found;
}

static void compact_memory(void)
{
	int fd = open("/proc/sys/vm/compact_memory", O_WRONLY | O_CLOEXEC);
	uint64_t before = pages_migrated();

	if (fd < 0)
		harness_lacks("permission",
			      "cannot open /proc/sys/vm/compact_memory (%s): the "
			      "host's compaction, which migrates the guest's pages, needs root",
			      strerror(errno));
	HARNESS_ASSERT(write(fd, "1", 1) == 1, "writing /proc/sys/vm/compact_memory failed");
	close(fd);
	count(CNT_HOST_COMPACTIONS, 1);
	count(CNT_HOST_PAGES_MIGRATED, pages_migrated() - before);
}

static void punch_hole(struct real_run *r, uint64_t first, uint64_t n)
{
	char why[256];

	HARNESS_ASSERT(!real_vm_punch_hole(&r->vm, first, n, why, sizeof(why)), "%s", why);
}

/* The range taken away and given back as the VM's kind says; the replay
 * skips its pages while it runs. */
static void take_away(struct run *run, uint64_t first, uint64_t n)
{
	struct vm *vm = run_vm(run);
	struct real_run *r = vm->real;
	uint8_t *range = r->vm.ws + first * REAL_PAGE_SIZE;
	size_t len = n * REAL_PAGE_SIZE;
	int kind = vm->cfg.real_invalidation;

	if (kind == REAL_INV_THP) {
		first = first / HUGE_PAGES * HUGE_PAGES;
		n = HUGE_PAGES;
	}
	if (kind == REAL_INV_COMPACT) {
		first = 0;
		n = r->vm.cfg.nr_pages;
	}
	real_pages_busy(r, first, n);
	if (kind == REAL_INV_THP)
		split_or_collapse(r, first, rng_below(&current_thread->rng, 2));
	else if (kind == REAL_INV_COMPACT)
		compact_memory();
	else if (kind == REAL_INV_MPROTECT)
		protect_range(run, first, n);
	else if (kind == REAL_INV_REMAP)
		remap_range(r, first, n);
	else if (kind == REAL_INV_PUNCH_HOLE)
		punch_hole(r, first, n);
	else
		HARNESS_ASSERT(!madvise(range, len, madvice[kind]),
			       "madvise of the real working set failed");
	real_pages_done(r, first, n);
	count(CNT_HOST_INVALIDATIONS, 1);
}

/* The harness's slip: a word of a page the guest writes, changed by the
 * host and announced to no one. */
static void write_behind(struct vm *vm)
{
	uint64_t page = rng_below(&current_thread->rng, vm->real->vm.cfg.nr_pages);
	int v = (int)rng_below(&current_thread->rng, (uint64_t)vm->real->vm.nr_vcpus);

	__atomic_store_n((uint64_t *)(vm->real->vm.ws + page * REAL_PAGE_SIZE) + v, 0xbadULL,
			 __ATOMIC_RELAXED);
}

void real_invalidator_worker(struct run *run, void *arg)
{
	struct vm *vm = run_vm(run);
	uint64_t pages = vm->real->vm.cfg.nr_pages;

	(void)arg;
	while (worker_keep_going()) {
		uint64_t n = 1 + rng_below(&current_thread->rng, RANGE_PAGES_MAX);
		uint64_t first = rng_below(&current_thread->rng, pages);

		if (first + n > pages)
			n = pages - first;
		/* A new value for the guest to write: a write in the window
		 * must change what the snapshot holds. */
		real_vm_set_iteration(&vm->real->vm, ++vm->real->iteration);
		take_away(run, first, n);
		if (vm->cfg.real_writes_behind)
			write_behind(vm);
		worker_pause(vm->cfg.work.invalidate_pause_us);
	}
}
