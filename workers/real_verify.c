// SPDX-License-Identifier: GPL-2.0
/*
 * The host replays each vCPU's iterations (workers/real.h): the guest's
 * random stream is known (real_guest_next()), so at each iteration's end
 * the host knows which pages it wrote, and with what. A write that is not
 * in the page the host sees went through a translation to a frame the host
 * no longer has there, unless the host itself was taking those pages away
 * while the iteration ran (its pages are busy meanwhile). The scenarios
 * that rely on it draw that interleaving.
 */
#include <stdlib.h>

#include "../engine/check.h"
#include "../engine/thread.h"
#include "../real/guest.h"
#include "real.h"
#include "workers.h"

void real_track_init(struct vm *vm)
{
	struct real_run *r = vm->real;

	r->page_busy = calloc(r->vm.cfg.nr_pages, sizeof(*r->page_busy));
	HARNESS_NEED(r->page_busy, "memory", "the replay's books of %llu pages",
		     (unsigned long long)r->vm.cfg.nr_pages);
	pthread_rwlock_init(&r->ws_map_lock, NULL);
	for (int v = 0; v < r->vm.nr_vcpus; v++)
		r->track[v] = (struct real_track){ .r8 = r->vm.vcpus[v].seed, .at_start = true };
}

void real_pages_busy(struct real_run *r, uint64_t first, uint64_t n)
{
	trace(TR_HOST_TAKE_AWAY, REAL_WS_GPA / REAL_PAGE_SIZE + first, n);
	for (uint64_t p = first; p < first + n; p++)
		atomic_store(&r->page_busy[p], UINT64_MAX);
}

void real_pages_done(struct real_run *r, uint64_t first, uint64_t n)
{
	uint64_t seq = atomic_fetch_add(&r->inv_seq, 1) + 1;

	trace(TR_HOST_GIVE_BACK, REAL_WS_GPA / REAL_PAGE_SIZE + first, seq);
	for (uint64_t p = first; p < first + n; p++)
		atomic_store(&r->page_busy[p], seq);
}

void real_track_enter(struct vm *vm, int v)
{
	struct real_track *t = &vm->real->track[v];

	if (!t->at_start)
		return;
	t->start_seq = atomic_load(&vm->real->inv_seq);
	t->at_start = false;
	t->interrupted = false;
}

static void report_lost_write(struct vm *vm, int v, uint64_t page, uint64_t wrote, uint64_t sees)
{
	oracle_report(&vm->oracle, &(struct violation){
					   .kind = VIOL_STALE_TLB_AFTER_FREE,
					   .vcpu_id = v,
					   .gfn = REAL_WS_GPA / REAL_PAGE_SIZE + page,
					   .level = PG_LEVEL_4K,
					   .write = true,
					   .entry_epoch = wrote,
					   .current_epoch = sees,
					   .t_ns = trace_now_ns() - vm->oracle.t0_ns,
					   .host_view = true,
				   });
}

/* The host has taken page p away, or is doing so, since seq. */
static bool busy_since(struct real_run *r, uint64_t p, uint64_t seq)
{
	return atomic_load(&r->page_busy[p]) > seq;
}

/* The iteration of vCPU v that started from state r8 and wrote iteration
 * i: each page it wrote holds its value, or was being taken away. */
static void verify(struct vm *vm, int v, uint64_t r8, uint64_t i)
{
	struct real_run *r = vm->real;
	uint64_t mask = r->vm.cfg.nr_pages - 1, want = real_guest_value(i, v);

	pthread_rwlock_rdlock(&r->ws_map_lock);
	for (uint32_t n = 0; n < r->vm.cfg.writes; n++) {
		uint64_t p = real_guest_next(&r8) & mask, sees;

		if (busy_since(r, p, r->track[v].start_seq))
			continue;
		sees = __atomic_load_n((uint64_t *)(r->vm.ws + p * REAL_PAGE_SIZE) + v,
				       __ATOMIC_SEQ_CST);
		/* Asked again after the read: an invalidation that began
		 * between the first look and the read announced itself before
		 * it touched the page. */
		if (sees != want && !busy_since(r, p, r->track[v].start_seq))
			report_lost_write(vm, v, p, want, sees);
	}
	pthread_rwlock_unlock(&r->ws_map_lock);
	count(CNT_WRITES_VERIFIED, r->vm.cfg.writes);
}

/* The guest read back, through its own translation, something other than
 * what it had just written to page `page`. Not a finding where the host
 * took the page away meanwhile (its store may have gone to the old frame,
 * its load to the new one), or where a store of this iteration was refused
 * or dropped. */
static void judge_mismatch(struct vm *vm, int v, uint64_t page, uint64_t i)
{
	struct real_track *t = &vm->real->track[v];

	if (t->interrupted || page >= vm->real->vm.cfg.nr_pages ||
	    busy_since(vm->real, page, t->start_seq))
		return;
	oracle_report(&vm->oracle, &(struct violation){
					   .kind = VIOL_GUEST_LOST_OWN_WRITE,
					   .vcpu_id = v,
					   .gfn = REAL_WS_GPA / REAL_PAGE_SIZE + page,
					   .level = PG_LEVEL_4K,
					   .write = true,
					   .entry_epoch = real_guest_value(i, v),
					   .t_ns = trace_now_ns() - vm->oracle.t0_ns,
					   .host_view = true,
				   });
}

void real_track_exit(struct vm *vm, int v, int exit)
{
	struct real_track *t = &vm->real->track[v];
	struct real_guest_state g;
	char why[256];

	if (exit != REAL_EXIT_SYNC && exit != REAL_EXIT_MISMATCH) {
		t->interrupted = true;
		return;
	}
	HARNESS_ASSERT(!real_vcpu_state(&vm->real->vm.vcpus[v], &g, why, sizeof(why)), "%s", why);
	if (exit == REAL_EXIT_SYNC)
		trace(TR_GUEST_ITERATION, g.r11, t->interrupted ? 0 : vm->real->vm.cfg.writes);
	if (exit == REAL_EXIT_SYNC && !t->interrupted)
		verify(vm, v, t->r8, g.r11);
	if (exit == REAL_EXIT_MISMATCH)
		judge_mismatch(vm, v, (g.rax - REAL_WS_GPA) / REAL_PAGE_SIZE, g.r11);
	/* Either way the guest starts its loop again from r8. */
	t->r8 = g.r8;
	t->at_start = true;
}
