// SPDX-License-Identifier: GPL-2.0
/*
 * The running kernel's KVM behind a run (workers/real.h). dirty_log_test's
 * loop, split into lostflush's workers: each vCPU thread runs the guest
 * program iteration after iteration; the reaper advances the iteration,
 * harvests and copies what the kernel reported; the check at the end
 * verifies the copy page by page.
 */
#include "real.h"

#include <stdlib.h>

#include "../engine/check.h"
#include "../engine/thread.h"
#include "vm.h"
#include "workers.h"

/* Entries per vCPU ring: 1,024 (16 KiB), the fewest KVM takes beside its
 * reserve for PML (576 entries), so that full rings and their exits come. */
#define REAL_RING_ENTRIES 1024

static enum real_log_mode log_mode(const struct real_vm_config *cfg)
{
	if (cfg->ring_entries)
		return REAL_LOG_RING;
	return cfg->manual_protect ? REAL_LOG_CLEAR : REAL_LOG_GET;
}

void real_run_create(struct vm *vm, uint64_t seed)
{
	const struct vm_config *c = &vm->cfg;
	const struct real_vm_config cfg = {
		.nr_vcpus = c->kvm.nr_vcpus,
		.nr_pages = c->kvm.nr_gfns,
		.writes = c->work.slice,
		/* The guest's random stream follows the run's --seed. */
		.seed = seed,
		.log_dirty = c->real_logs_dirty,
		.manual_protect = c->real_logs_dirty && c->kvm.log_mode == LOG_CLEAR,
		.ring_entries =
			c->real_logs_dirty && c->kvm.log_mode == LOG_RING ? REAL_RING_ENTRIES : 0,
		.thp = c->real_invalidation == REAL_INV_THP,
		.memfd = c->real_memfd,
		.guest_memfd = c->real_guest_memfd,
	};
	char why[256];

	vm->real = calloc(1, sizeof(*vm->real));
	HARNESS_NEED(vm->real, "memory", "the real VM's books (%zu bytes)", sizeof(*vm->real));
	if (real_vm_create(&vm->real->vm, &cfg, why, sizeof(why)) ||
	    real_log_create(&vm->real->log, &vm->real->vm, log_mode(&cfg), why, sizeof(why)))
		harness_lacks("KVM", "%s", why);
	vm->real->log.drop_first = c->real_drops_a_report;
	pthread_mutex_init(&vm->real->vmm_lock, NULL);
	real_track_init(vm);
	real_vm_set_iteration(&vm->real->vm, 1);
	vm->real->iteration = 1;
	real_log_first_copy(&vm->real->log, &vm->real->vm);
}

void real_run_destroy(struct vm *vm)
{
	if (!vm->real)
		return;
	pthread_mutex_destroy(&vm->real->vmm_lock);
	pthread_rwlock_destroy(&vm->real->ws_map_lock);
	free(vm->real->page_busy);
	real_log_destroy(&vm->real->log);
	real_vm_destroy(&vm->real->vm);
	free(vm->real);
	vm->real = NULL;
}

/* One iteration of vCPU v: the program runs to its next exit. */
static void run_iteration(struct vm *vm, int v)
{
	char why[256];
	enum real_exit exit;

	real_track_enter(vm, v);
	exit = real_vcpu_run(&vm->real->vm.vcpus[v], why, sizeof(why));
	real_track_exit(vm, v, exit);
	switch (exit) {
	case REAL_EXIT_SYNC: count(CNT_GUEST_ITERATIONS, 1); break;
	/* Judged by the replay (real_track_exit()). */
	case REAL_EXIT_MISMATCH: break;
	/* The host took write access away: wait a little, write again. */
	case REAL_EXIT_EFAULT:
		count(CNT_GUEST_WRITES_REFUSED, 1);
		worker_pause(50);
		break;
	case REAL_EXIT_WRITE_DROPPED: count(CNT_GUEST_WRITES_REFUSED, 1); break;
	/* Its ring is full: the reaper's next harvest makes room. */
	case REAL_EXIT_RING_FULL:
		count(CNT_RING_FULL_EXITS, 1);
		worker_pause(50);
		break;
	case REAL_EXIT_OTHER: HARNESS_ASSERT(false, "the real guest stopped: %s", why);
	}
}

void real_vcpu_worker(struct run *run, void *arg)
{
	while (worker_keep_going())
		run_iteration(run_vm(run), (int)(intptr_t)arg);
}

/* The harvest's counters and its check: a harvest that fails is the
 * harness's (or the kernel's) breakage, not a finding. */
static void counted(int64_t n, const char *why)
{
	HARNESS_ASSERT(n >= 0, "the real dirty log: %s", why);
	count(CNT_HARVESTS, 1);
	count(CNT_DIRTY_REAPED, (uint64_t)n);
}

/* A harvest: whole (collect, reset, copy), or the resetter's half when
 * the ring is collected apart (reset what the collector handed over, then
 * copy it). */
static void harvest_as(struct vm *vm, bool whole)
{
	char why[256];
	int64_t n;

	trace(TR_HARVEST, vm->real->log.mode, !whole);
	n = whole ? real_log_harvest(&vm->real->log, &vm->real->vm, why, sizeof(why))
		  : real_log_reset_handed(&vm->real->log, &vm->real->vm, why, sizeof(why));
	trace(TR_HARVEST_DONE, n < 0 ? 0 : (uint64_t)n, !whole);
	counted(n, why);
}

static void harvest(struct vm *vm)
{
	harvest_as(vm, true);
}

/* The ring's collector, apart from the reaper that resets it. */
void real_collector_worker(struct run *run, void *arg)
{
	struct vm *vm = run_vm(run);

	(void)arg;
	while (worker_keep_going()) {
		worker_pause(vm->cfg.work.reaper_pause_us);
		count(CNT_DIRTY_COLLECTED, real_log_collect(&vm->real->log, &vm->real->vm));
	}
}

void real_reaper_worker(struct run *run, void *arg)
{
	struct vm *vm = run_vm(run);

	(void)arg;
	while (worker_keep_going()) {
		worker_pause(vm->cfg.work.reaper_pause_us);
		pthread_mutex_lock(&vm->real->vmm_lock);
		real_vm_set_iteration(&vm->real->vm, ++vm->real->iteration);
		harvest_as(vm, !vm->cfg.real_ring_apart);
		pthread_mutex_unlock(&vm->real->vmm_lock);
	}
}

static void report_lost(uint64_t page, uint64_t copy, uint64_t now, void *arg)
{
	struct vm *vm = arg;

	oracle_report(&vm->oracle, &(struct violation){
					   .kind = VIOL_LOST_DIRTY_WRITE,
					   .vcpu_id = (int)(now & 0xffff),
					   .gfn = REAL_WS_GPA / REAL_PAGE_SIZE + page,
					   .level = PG_LEVEL_4K,
					   .write = true,
					   .entry_epoch = copy,
					   .current_epoch = now,
					   .t_ns = trace_now_ns() - vm->oracle.t0_ns,
					   .quiesced = true,
				   });
}

/* vCPU v's last round, harvesting here whenever its ring fills (the
 * reaper has stopped). */
static void last_iteration(struct vm *vm, int v)
{
	uint64_t done = counter_read(&current_thread->counters, CNT_GUEST_ITERATIONS);

	while (counter_read(&current_thread->counters, CNT_GUEST_ITERATIONS) == done) {
		uint64_t full = counter_read(&current_thread->counters, CNT_RING_FULL_EXITS);

		run_iteration(vm, v);
		if (counter_read(&current_thread->counters, CNT_RING_FULL_EXITS) != full)
			harvest(vm);
	}
}

/* A last round the reaper did not see, then its collection and the
 * comparison. */
static void finish(struct vm *vm)
{
	real_vm_set_iteration(&vm->real->vm, ++vm->real->iteration);
	for (int v = 0; v < vm->real->vm.nr_vcpus; v++)
		last_iteration(vm, v);
	harvest(vm);
	real_log_compare(&vm->real->log, &vm->real->vm, report_lost, vm);
	count(CNT_PAGES_CHECKED, vm->real->log.nr_pages);
}

/* The reaper's thread context: the check finishes its work, and counts
 * with it (the engine's own thread has none). */
static struct thread_ctx *reaper_ctx(struct run *run)
{
	for (int i = 0; i < run->nr_workers; i++)
		if (run->workers[i].fn == real_reaper_worker)
			return run->workers[i].ctx;
	return NULL;
}

void real_run_check(struct run *run)
{
	struct thread_ctx *was = current_thread;

	if (!run_vm(run)->cfg.real_logs_dirty)
		return;
	current_thread = reaper_ctx(run);
	finish(run_vm(run));
	current_thread = was;
}
