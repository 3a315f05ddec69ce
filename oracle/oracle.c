// SPDX-License-Identifier: GPL-2.0
#include "oracle.h"

#include <inttypes.h>

#include "../engine/shared.h"
#include "../model/spte.h"
#include "../engine/ctl.h"
#include "../engine/thread.h"

static const char *const violation_names[NR_VIOLATION_KINDS] = {
#define VIOLATION_NAME(id, name) [VIOL_##id] = (name),
	VIOLATION_KINDS(VIOLATION_NAME)
#undef VIOLATION_NAME
};

const char *violation_name(enum violation_kind kind)
{
	return kind < NR_VIOLATION_KINDS ? violation_names[kind] : "?";
}

/* The oracle that judges walks through freed tables: the run's. */
static struct oracle *_Atomic freed_table_judge;

void oracle_init(struct oracle *o, struct hostmem *mem, uint64_t t0_ns)
{
	*o = (struct oracle){ .mem = mem, .t0_ns = t0_ns };
	pthread_mutex_init(&o->lock, NULL);
	atomic_store(&freed_table_judge, o);
}

void oracle_destroy(struct oracle *o)
{
	struct oracle *self = o;

	atomic_compare_exchange_strong(&freed_table_judge, &self, NULL);
	pthread_mutex_destroy(&o->lock);
}

void oracle_forget(struct oracle *o)
{
	atomic_store(&o->nr_violations, 0);
	o->nr_kept = 0;
}

void oracle_report(struct oracle *o, const struct violation *v)
{
	pthread_mutex_lock(&o->lock);
	if (o->nr_kept < ORACLE_MAX_KEPT) {
		o->kept[o->nr_kept] = *v;
		if (lostflush_ctl)
			o->kept[o->nr_kept].decision = lostflush_ctl->log_len;
		else if (v->quiesced)
			o->kept[o->nr_kept].decision = o->end_decision;
		o->nr_kept++;
	}
	atomic_fetch_add(&o->nr_violations, 1);
	pthread_mutex_unlock(&o->lock);
	trace_at(TR_VIOLATION, v->gfn, v->pfn, o->t0_ns + v->t_ns);
	if (!o->keep_going)
		torture_stop();
}

/* Right "map a frame": the frame's generation moves on when it is freed,
 * and it is freed only after the notifier that revoked it has returned. */
static bool check_frame_mapped(struct oracle *o, int vcpu_id, const struct tlb_entry *e, gfn_t gfn,
			       bool write)
{
	kvm_pfn_t pfn = tlb_entry_pfn(e, gfn);
	/* The frame this use reaches, not the entry's first: the host frees
	 * the frames of a huge page one by one once it has split it (munmap
	 * or MADV_DONTNEED of part of a THP). The entry's tag is valid for
	 * every frame of the block, which was allocated under one
	 * generation. */
	uint32_t now = hostmem_frame_gen(o->mem, pfn);
	uint64_t t;

	if (frame_gen_tag(now) == e->frame_gen)
		return true;
	/* Read only for a report: on every access it cost a vCPU about a
	 * third of its time. */
	t = trace_now_ns();
	oracle_report(
		o, &(struct violation){
			   .kind = VIOL_STALE_TLB_AFTER_FREE,
			   .vcpu_id = vcpu_id,
			   .gfn = gfn,
			   .pfn = pfn,
			   .level = e->level,
			   .write = write,
			   /* Both as the SPTE carries them: modulo 2^16. */
			   .entry_epoch = e->frame_gen,
			   .current_epoch = frame_gen_tag(now),
			   .t_ns = t - o->t0_ns,
			   .entry_age_ns = t - e->fill_ns,
			   .accesses = o->accesses_so_far ? o->accesses_so_far(o->accesses_arg) : 0,
		   });
	return false;
}

/* A use of e for gfn under a right revoked at current_epoch, after the
 * entry's entry_epoch. */
static void report_stale_use(struct oracle *o, enum violation_kind kind, int vcpu_id,
			     const struct tlb_entry *e, gfn_t gfn, bool write, uint64_t entry_epoch,
			     uint64_t current_epoch)
{
	uint64_t t = trace_now_ns();

	oracle_report(
		o, &(struct violation){
			   .kind = kind,
			   .vcpu_id = vcpu_id,
			   .gfn = gfn,
			   .pfn = tlb_entry_pfn(e, gfn),
			   .level = e->level,
			   .write = write,
			   .entry_epoch = entry_epoch,
			   .current_epoch = current_epoch,
			   .t_ns = t - o->t0_ns,
			   .entry_age_ns = t - e->fill_ns,
			   .accesses = o->accesses_so_far ? o->accesses_so_far(o->accesses_arg) : 0,
		   });
}

/* Rights "write a gfn" and "write it unlogged": the newest completed
 * write-protect of gfn must be older than the entry. Huge entries are not
 * judged: write-protection maps the gfns it protects at 4K. */
static bool check_write_right(struct oracle *o, int vcpu_id, const struct tlb_entry *e, gfn_t gfn)
{
	struct write_rights *rights = o->rights ? *o->rights : NULL;
	struct write_right *r;
	uint32_t log_done, track_done;
	enum violation_kind kind;

	if (!rights || e->level != PG_LEVEL_4K)
		return true;
	r = &rights->gfn[gfn];
	log_done = shared_load_explicit(&r->log_done, memory_order_acquire);
	track_done = shared_load_explicit(&r->track_done, memory_order_acquire);
	if (e->wp_epoch >= log_done && e->wp_epoch >= track_done)
		return true;
	kind = e->wp_epoch < track_done ? VIOL_WRITE_ESCAPED_TRACKING : VIOL_LOST_DIRTY_WRITE;
	report_stale_use(o, kind, vcpu_id, e, gfn, true, e->wp_epoch,
			 kind == VIOL_WRITE_ESCAPED_TRACKING ? track_done : log_done);
	return false;
}

struct tracked_right oracle_tracked_right(const struct write_rights *r,
					  const _Atomic uint16_t *count, gfn_t gfn)
{
	const struct write_right *w = &r->gfn[gfn];
	uint16_t n;
	uint32_t done, pending;

	/* After the walk: the SPTE it read was made by a cmpxchg that came
	 * after any untrack it depended on; see that untrack too. */
	atomic_thread_fence(memory_order_acquire);
	/* As memory holds them: a count still in a store buffer is not yet
	 * tracking, and makes the check say nothing. A count that went up
	 * comes with this period's pending epoch cleared (write_track.c). */
	n = shared_load_explicit(&count[gfn], memory_order_acquire);
	done = shared_load_explicit(&w->track_done, memory_order_acquire);
	pending = shared_load_explicit(&w->track_pending, memory_order_relaxed);

	return (struct tracked_right){ .settled = n && pending && done >= pending,
				       .pending = pending };
}

bool oracle_check_tracked_write_fill(struct oracle *o, int vcpu_id, gfn_t gfn, kvm_pfn_t pfn,
				     struct tracked_right before, struct tracked_right after)
{
	if (!before.settled || !after.settled || before.pending != after.pending)
		return true;
	oracle_report(
		o, &(struct violation){
			   .kind = VIOL_WRITE_ESCAPED_TRACKING,
			   .vcpu_id = vcpu_id,
			   .gfn = gfn,
			   .pfn = pfn,
			   .level = PG_LEVEL_4K,
			   .write = true,
			   .entry_epoch = after.pending,
			   .current_epoch = after.pending,
			   .t_ns = trace_now_ns() - o->t0_ns,
			   .accesses = o->accesses_so_far ? o->accesses_so_far(o->accesses_arg) : 0,
		   });
	return false;
}

/* A violation found by a walker, not at a vCPU's access: reported to the
 * oracle made last, named by the walking thread. */
static void report_by_walker(struct violation *v)
{
	struct oracle *o = atomic_load(&freed_table_judge);

	if (!o)
		return;
	v->vcpu_id = -1;
	v->t_ns = trace_now_ns() - o->t0_ns;
	v->accesses = o->accesses_so_far ? o->accesses_so_far(o->accesses_arg) : 0;
	snprintf(v->walker, sizeof(v->walker), "%s", current_thread ? current_thread->name : "?");
	oracle_report(o, v);
}

void oracle_report_freed_table_walk(gfn_t gfn, int level)
{
	struct violation v = { .kind = VIOL_WALKER_USED_FREED_TABLE, .gfn = gfn, .level = level };

	report_by_walker(&v);
}

void oracle_report_freed_memslots_walk(gfn_t gfn)
{
	oracle_report_freed_table_walk(gfn, 0);
}

void oracle_report_spte_survived_delete(gfn_t gfn, kvm_pfn_t pfn, int level)
{
	struct violation v = {
		.kind = VIOL_SPTE_SURVIVED_SLOT_DELETE, .gfn = gfn, .pfn = pfn, .level = level
	};

	report_by_walker(&v);
}

/* Right "reach a gfn": the newest memslot change that took gfn away and
 * returned must be older than the entry, and a change since must have
 * given gfn back. Checked after the frame's right: where userspace has
 * freed the memory too, the free is the older story. */
static bool check_slot_right(struct oracle *o, int vcpu_id, const struct tlb_entry *e, gfn_t gfn,
			     bool write)
{
	struct slot_rights *rights = o->slot_rights ? *o->slot_rights : NULL;
	uint32_t gone;

	if (!rights)
		return true;
	gone = shared_load_explicit(&rights->gone[gfn], memory_order_acquire);
	if (e->slot_epoch >= gone &&
	    shared_load_explicit(&rights->granted[gfn], memory_order_acquire) >= gone)
		return true;
	report_stale_use(o, VIOL_STALE_TLB_AFTER_SLOT_CHANGE, vcpu_id, e, gfn, write, e->slot_epoch,
			 gone);
	return false;
}

bool oracle_check_use(struct oracle *o, int vcpu_id, const struct tlb_entry *e, gfn_t gfn,
		      bool write)
{
	if (!check_frame_mapped(o, vcpu_id, e, gfn, write))
		return false;
	if (!check_slot_right(o, vcpu_id, e, gfn, write))
		return false;
	return !write || check_write_right(o, vcpu_id, e, gfn);
}

/* A word of the real guest's: (iteration << 16) | vCPU, or what it is. */
static void describe_word(char *buf, size_t len, uint64_t w)
{
	if (!w)
		snprintf(buf, len, "0 (a fresh page)");
	else if (!(w >> 16)) /* iterations start at 1 */
		snprintf(buf, len, "%#" PRIx64 " (no guest's write)", w);
	else
		snprintf(buf, len, "%#" PRIx64 " (iteration %" PRIu64 " of vCPU %u)", w, w >> 16,
			 (unsigned)(w & 0xffff));
}

/* The running kernel's findings, in what the host saw in guest memory. */
static void host_view_print(FILE *out, const struct violation *v)
{
	char wrote[64], holds[64];

	describe_word(wrote, sizeof(wrote), v->entry_epoch);
	describe_word(holds, sizeof(holds), v->current_epoch);
	if (v->kind == VIOL_WRITE_AFTER_MPROTECT)
		fprintf(out,
			"!!! %s: gfn %#" PRIx64 " changed while the host held it read-only: a "
			"word was %s, now %s;\n"
			"!!!   a guest write went through a translation mprotect() should have "
			"zapped and flushed; at %.6f s\n",
			violation_name(v->kind), v->gfn, wrote, holds, (double)v->t_ns / 1e9);
	else if (v->kind == VIOL_GUEST_LOST_OWN_WRITE)
		fprintf(out,
			"!!! %s: vCPU %d wrote %s to gfn %#" PRIx64 " and read something else "
			"back\n"
			"!!!   through its own translation, with no host change to the page "
			"meanwhile; at %.6f s\n",
			violation_name(v->kind), v->vcpu_id, wrote, v->gfn, (double)v->t_ns / 1e9);
	else
		fprintf(out,
			"!!! %s: vCPU %d wrote %s to gfn %#" PRIx64 ", but the host's page holds "
			"%s:\n"
			"!!!   the write went to a frame the host no longer has there (a "
			"translation that outlived its invalidation); at %.6f s\n",
			violation_name(v->kind), v->vcpu_id, wrote, v->gfn, holds,
			(double)v->t_ns / 1e9);
}

void violation_print(FILE *out, const struct violation *v)
{
	if (v->host_view && !v->quiesced) {
		host_view_print(out, v);
		return;
	}
	if (v->kind == VIOL_DATA_RACE) {
		fprintf(out,
			"!!! %s: ThreadSanitizer reported a %s (its report, with the stacks, is "
			"above),\n"
			"!!!   seen by %s at its next schedule point; %" PRIu64
			" TSan reports so far; at %.6f s\n",
			violation_name(v->kind), v->tsan_what ? v->tsan_what : "data-race",
			v->walker, v->entry_epoch, (double)v->t_ns / 1e9);
		return;
	}
	if (v->quiesced) {
		fprintf(out,
			"!!! %s: at the quiesced check gfn %#" PRIx64 " holds %#" PRIx64
			" but the migration destination has %#" PRIx64 ": a write after the\n"
			"!!!   last harvest that copied it was never reported dirty\n",
			violation_name(v->kind), v->gfn, v->current_epoch, v->entry_epoch);
		return;
	}
	if (v->kind == VIOL_STALE_CACHE_SEEN) {
		fprintf(out,
			"!!! %s: vCPU %d read gfn %#" PRIx64 " -> pfn %#" PRIx64
			" (level %d) and saw data version %" PRIu64 ", older than the %" PRIu64
			" the host had written\n"
			"!!!   when the entry was filled: the PTE was made valid before its cache "
			"maintenance; at %.6f s\n",
			violation_name(v->kind), v->vcpu_id, v->gfn, v->pfn, v->level,
			v->entry_epoch, v->current_epoch, (double)v->t_ns / 1e9);
		return;
	}
	if (v->kind == VIOL_CONFLICTING_TRANSLATIONS) {
		fprintf(out,
			"!!! %s: vCPU %d filled a level-%" PRIu64 " entry for gfn %#" PRIx64
			" while a level-%" PRIu64 " entry for the same addresses\n"
			"!!!   was valid in its TLB: a change of level without break-before-make "
			"or its TLBI; at %.6f s\n",
			violation_name(v->kind), v->vcpu_id, v->current_epoch, v->gfn,
			v->entry_epoch, (double)v->t_ns / 1e9);
		return;
	}
	if (v->kind == VIOL_LOST_UNCACHED_WRITE) {
		fprintf(out,
			"!!! %s: the host read pfn %#" PRIx64 " back (to free it) through its "
			"cacheable mapping, but vCPU %d's write\n"
			"!!!   to gfn %#" PRIx64 " with caches off may sit behind a D-cache "
			"line: no clean+invalidate to PoC followed it; at %.6f s\n",
			violation_name(v->kind), v->pfn, v->vcpu_id, v->gfn, (double)v->t_ns / 1e9);
		return;
	}
	if (v->kind == VIOL_WALKER_USED_FREED_TABLE && v->level == 0) {
		fprintf(out,
			"!!! %s: %s looking up the memslot of gfn %#" PRIx64 " read a memslot "
			"set already freed\n"
			"!!!   (poisoned): the set was swapped out without waiting for its "
			"readers (synchronize_srcu); at %.6f s\n",
			violation_name(v->kind), v->walker, v->gfn, (double)v->t_ns / 1e9);
		return;
	}
	if (v->kind == VIOL_SPTE_SURVIVED_SLOT_DELETE) {
		fprintf(out,
			"!!! %s: gfn %#" PRIx64 " still maps pfn %#" PRIx64 " (level %d) after "
			"the memslot change that took it away returned\n"
			"!!!   (%s checked): a fault mapped the slot after its zap, or no zap "
			"covered it; at %.6f s\n",
			violation_name(v->kind), v->gfn, (uint64_t)v->pfn, v->level, v->walker,
			(double)v->t_ns / 1e9);
		return;
	}
	if (v->kind == VIOL_WALKER_USED_FREED_TABLE) {
		fprintf(out,
			"!!! %s: %s walking gfn %#" PRIx64 " read its level-%d entry from a page "
			"table already freed\n"
			"!!!   (poisoned): the table was retired without waiting for every walker "
			"to leave it; at %.6f s\n",
			violation_name(v->kind), v->walker, v->gfn, v->level,
			(double)v->t_ns / 1e9);
		return;
	}
	fprintf(out,
		"!!! %s: vCPU %d %s gfn %#" PRIx64 " -> pfn %#" PRIx64
		" (level %d) through a TLB entry filled under epoch %" PRIu64
		"; the right's epoch is now %" PRIu64 "\n"
		"!!!   at %.6f s, entry %.3f ms old, after %" PRIu64 " guest accesses\n",
		violation_name(v->kind), v->vcpu_id, v->write ? "wrote" : "read", v->gfn, v->pfn,
		v->level, v->entry_epoch, v->current_epoch, (double)v->t_ns / 1e9,
		(double)v->entry_age_ns / 1e6, v->accesses);
}
