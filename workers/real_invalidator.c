// SPDX-License-Identifier: GPL-2.0
/*
 * The host taking write access away from the running kernel's guest, as
 * mmu_stress_test does: mprotect(PROT_READ) of a range of the working set
 * runs the MMU notifier, whose invalidation must zap the range's SPTEs and
 * flush every TLB before mprotect() returns. From then until the range is
 * writable again a guest write faults (KVM_RUN says -EFAULT) and the
 * guest retries it later; a write that lands anyway went through a
 * translation the flush should have removed:
 *
 * The window stays open until the vCPUs have run (real_hold_window()).
 *
 *   N invalidator (host)             vCPU (guest)
 *   -------------------------------  ------------------------------------
 *   mprotect(R, PROT_READ): returns  TLB still maps R writable (a lost
 *   snapshot R                       flush)
 *                                    write R
 *   compare R with the snapshot
 *     !!! write-after-mprotect
 *   mprotect(R, PROT_READ | PROT_WRITE)
 */
#include <string.h>
#include <sys/mman.h>

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

void real_invalidator_worker(struct run *run, void *arg)
{
	struct vm *vm = run_vm(run);
	uint64_t pages = vm->real->vm.cfg.nr_pages;
	static _Thread_local uint8_t snapshot[RANGE_PAGES_MAX * REAL_PAGE_SIZE];

	(void)arg;
	while (worker_keep_going()) {
		uint64_t n = 1 + rng_below(&current_thread->rng, RANGE_PAGES_MAX);
		uint64_t first = rng_below(&current_thread->rng, pages);
		uint8_t *range = vm->real->vm.ws + first * REAL_PAGE_SIZE;
		size_t len;

		if (first + n > pages)
			n = pages - first;
		len = n * REAL_PAGE_SIZE;
		/* A new value for the guest to write: a write in the window
		 * must change what the snapshot holds. */
		real_vm_set_iteration(&vm->real->vm, ++vm->real->iteration);
		if (!vm->cfg.real_skips_mprotect)
			protect(range, len, PROT_READ);
		count(CNT_HOST_MPROTECTS, 1);
		memcpy(snapshot, range, len);
		real_hold_window(run);
		real_compare_range(vm, first, n, snapshot, VIOL_WRITE_AFTER_MPROTECT);
		if (!vm->cfg.real_skips_mprotect)
			protect(range, len, PROT_READ | PROT_WRITE);
		worker_pause(vm->cfg.work.invalidate_pause_us);
	}
}
