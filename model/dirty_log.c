// SPDX-License-Identifier: GPL-2.0
/*
 * The dirty log (model/dirty_log.h) but its ring (model/dirty_ring.c):
 * the bitmap and clear-log harvests, enabling and disabling, and the
 * quiesced check, which share the harvest's bookkeeping of what was
 * reported and revoked.
 */
#include "dirty_log.h"

#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "arch_ops.h"
#include "dirty_log_harvest.h"
#include "../engine/check.h"
#include "../engine/ctl.h"
#include "flush.h"
#include "memslots.h"
#include "../engine/interrupt.h"
#include "../engine/memmodel.h"
#include "../engine/sched.h"
#include "../engine/shared.h"
#include "../engine/thread.h"
#include "../oracle/oracle.h"
#include "../oracle/write_rights.h"
#include "write_track.h"

#define WORD_BITS ((uint64_t)BITS_PER_LONG)

/*
 * The walks over every gfn (enabling the log, the migration's first copy,
 * the quiesced check) are one model step each, and at millions of gfns one
 * takes seconds. They look up every WALK_STOP_EVERY gfns and give up when
 * the run is stopping: what a walk did not reach is neither revoked nor
 * copied, so nothing is declared that did not happen, and a log whose
 * first copy was cut short (copied stays false) has no quiesced check.
 * Below WALK_STOP_EVERY gfns they never look, as before.
 */
#define WALK_STOP_EVERY (1ULL << 16)

static bool walk_cut_short(gfn_t gfn, bool (*stopping)(void))
{
	return gfn && !(gfn & (WALK_STOP_EVERY - 1)) && stopping();
}

int kvm_dirty_tracking_create(struct kvm *kvm)
{
	kvm->rights = write_rights_create(kvm->cfg.nr_gfns);
	if (!kvm->rights)
		return -1;
	return dirty_log_create(kvm) || write_track_create(kvm) ? -1 : 0;
}

void kvm_dirty_tracking_destroy(struct kvm *kvm)
{
	dirty_log_destroy(kvm);
	write_track_destroy(kvm);
	write_rights_destroy(kvm->rights);
	kvm->rights = NULL;
}

/* Names for the memory model's events: the rings and the first words of
 * the bitmap (the model keeps 256 names in all). */
static void name_log_variables(struct dirty_log *d)
{
	for (uint64_t i = 0; i < 4 && i * WORD_BITS < d->nr_gfns; i++)
		mm_name(&d->bitmap[i], "dirty_bitmap[%llu]", (unsigned long long)i);
	for (uint64_t i = 0; d->handed_over && i < 4 && i * WORD_BITS < d->nr_gfns; i++)
		mm_name(&d->handed_over[i], "handed_over[%llu]", (unsigned long long)i);
	for (int v = 0; v < d->nr_rings && v < 4; v++)
		for (uint32_t i = 0; i < DIRTY_RING_SIZE; i++) {
			mm_name(&d->rings[v].gfns[i].gfn, "v%d.ring[%u].gfn", v, i);
			mm_name(&d->rings[v].gfns[i].flags, "v%d.ring[%u].flags", v, i);
		}
}

int dirty_log_create(struct kvm *kvm)
{
	struct dirty_log *d = calloc(1, sizeof(*d));
	uint64_t n = kvm->cfg.nr_gfns, words = (n + WORD_BITS - 1) / WORD_BITS;

	if (!d)
		return -1;
	kvm->dirty_log = d;
	d->policy = kvm->cfg.log_policy;
	d->mode = kvm->cfg.log_mode;
	d->nr_gfns = n;
	d->bitmap = calloc(words, sizeof(*d->bitmap));
	d->snapshot = calloc(words, sizeof(*d->snapshot));
	d->dest = calloc(n, sizeof(*d->dest));
	d->to_copy = calloc(words, sizeof(*d->to_copy));
	d->revoked = calloc(words, sizeof(*d->revoked));
	if (!d->bitmap || !d->snapshot || !d->dest || !d->to_copy || !d->revoked)
		return -1;
	if (d->mode == LOG_RING) {
		d->nr_rings = kvm->nr_vcpus;
		d->rings = calloc((size_t)d->nr_rings, sizeof(*d->rings));
		d->handed_over = calloc(words, sizeof(*d->handed_over));
		if (!d->rings || !d->handed_over)
			return -1;
	}
	name_log_variables(d);
	return 0;
}

void dirty_log_destroy(struct kvm *kvm)
{
	struct dirty_log *d = kvm->dirty_log;

	if (!d)
		return;
	free((void *)d->bitmap);
	free(d->snapshot);
	free(d->dest);
	free(d->to_copy);
	free((void *)d->handed_over);
	free(d->revoked);
	free(d->rings);
	free(d);
	kvm->dirty_log = NULL;
}

bool kvm_dirty_tracking_wants_4k(struct kvm *kvm, gfn_t gfn)
{
	if (kvm->dirty_log && shared_load_explicit(&kvm->dirty_log->enabled, memory_order_acquire))
		return true;
	return kvm->track && kvm_gfn_is_write_tracked(kvm, gfn);
}

/* ---- the vCPU side ------------------------------------------------------ */

void mark_page_dirty(struct kvm_vcpu *vcpu, gfn_t gfn)
{
	struct dirty_log *d = vcpu->kvm->dirty_log;

	if (!d || !shared_load_explicit(&d->enabled, memory_order_acquire))
		return;
	trace(TR_PAGE_DIRTY, gfn, 0);
	if (d->mode == LOG_RING)
		dirty_ring_push(&d->rings[vcpu->vcpu_id], gfn);
	else
		set_bit((int)(gfn % WORD_BITS), &d->bitmap[gfn / WORD_BITS]);
	/* Marked: a harvest may take the mark before what follows it (a
	 * lockless cmpxchg that makes the SPTE writable must not). */
	sched_point();
}

void kvm_vcpu_write_guest(struct kvm_vcpu *vcpu, gfn_t gfn, uint64_t value)
{
	struct kvm *kvm = vcpu->kvm;
	uint64_t hva = gfn_to_hva(kvm, gfn);
	/* copy_to_user() faults the page in if the host has no frame there. */
	struct page_ref page = hostmem_get_page(&kvm->mem, hva);

	trace(TR_EMULATE, gfn, page.pfn);
	shared_store_explicit(hostmem_content(&kvm->mem, hva), value, memory_order_relaxed);
	mark_page_dirty(vcpu, gfn);
}

/* ---- harvesting ----------------------------------------------------------- */

/* Write-protect one reported gfn for logging (mmu_lock held for write);
 * the right to write it unlogged is revoked from here, and the revocation
 * completes when the harvest returns. */
static void revoke_for_log(struct kvm *kvm, struct dirty_log *d, gfn_t gfn)
{
	kvm->rights->gfn[gfn].log_pending = write_right_revoke(kvm->rights, gfn);
	d->revoked[gfn / WORD_BITS] |= 1UL << (gfn % WORD_BITS);
}

bool dirty_log_wrprot(struct kvm *kvm, struct dirty_log *d, gfn_t gfn)
{
	bool changed;

	kvm->arch->write_protect_gfn(kvm, gfn, false, &changed);
	revoke_for_log(kvm, d, gfn);
	trace(TR_WRPROT, gfn, changed);
	sched_point();
	return changed;
}

void dirty_log_report(struct dirty_log *d, gfn_t gfn)
{
	unsigned long bit = 1UL << (gfn % WORD_BITS);

	if (!(d->to_copy[gfn / WORD_BITS] & bit))
		d->nr_reported++;
	d->to_copy[gfn / WORD_BITS] |= bit;
}

/* Call fn(kvm, d, gfn) for each gfn set in bits, clearing them. */
static void drain_bits(struct kvm *kvm, struct dirty_log *d, unsigned long *bits,
		       void (*fn)(struct kvm *kvm, struct dirty_log *d, gfn_t gfn))
{
	uint64_t words = (d->nr_gfns + WORD_BITS - 1) / WORD_BITS;

	for (uint64_t i = 0; i < words; i++)
		for (unsigned long w = bits[i]; w; w &= w - 1)
			fn(kvm, d, i * WORD_BITS + (uint64_t)__builtin_ctzl(w));
	memset(bits, 0, words * sizeof(*bits));
}

/* kvm_arch_mmu_enable_log_dirty_pt_masked() for one bitmap word. */
static bool wrprot_mask(struct kvm *kvm, struct dirty_log *d, uint64_t word, unsigned long mask)
{
	bool changed = false;

	for (int b = 0; b < BITS_PER_LONG; b++)
		if (mask & (1UL << b)) {
			gfn_t gfn = word * WORD_BITS + (uint64_t)b;

			dirty_log_report(d, gfn);
			changed |= dirty_log_wrprot(kvm, d, gfn);
		}
	return changed;
}

/* The dirty-log path's flush as the VM's flush policy has it: its flush
 * (which may settle a deferred mark), made before mmu_lock is dropped when
 * the policy says dirty_log_flushes_under_lock, otherwise after it, as
 * today's kvm_get_dirty_log_protect() does. The ring's reset takes
 * mmu_lock per entry, so it always flushes after the last. */
static bool log_flushes_under_lock(const struct kvm *kvm, const struct dirty_log *d)
{
	return d->mode != LOG_RING && kvm->policy && kvm->policy->dirty_log_flushes_under_lock;
}

static void log_flush(struct kvm *kvm)
{
	if (kvm->policy && kvm->policy->flush)
		kvm->policy->flush(kvm);
	else
		kvm_flush_remote_tlbs(kvm);
}

static bool must_flush(const struct dirty_log *d, bool reaped, bool changed)
{
	if (d->mode == LOG_RING)
		return reaped && d->policy->ring_reset_flushes;
	switch (d->policy->harvest_flush) {
	case HARVEST_FLUSH_IF_REAPED: return reaped;
	case HARVEST_FLUSH_IF_WRPROT: return changed;
	case HARVEST_NO_FLUSH: return false;
	}
	return true;
}

/* kvm_get_dirty_log_protect() without manual protect: fetch-and-clear each
 * word, write-protect what it held. Returns whether anything was reaped. */
static bool harvest_get(struct kvm *kvm, struct dirty_log *d, bool *changed)
{
	uint64_t words = (d->nr_gfns + WORD_BITS - 1) / WORD_BITS;
	bool reaped = false;

	mmu_lock(kvm, MMU_LOCK_WRITE);
	for (uint64_t i = 0; i < words; i++) {
		unsigned long mask;

		if (!READ_ONCE(d->bitmap[i]))
			continue;
		reaped = true;
		mask = xchg(&d->bitmap[i], 0UL);
		*changed |= wrprot_mask(kvm, d, i, mask);
	}
	if (log_flushes_under_lock(kvm, d) && must_flush(d, reaped, *changed))
		log_flush(kvm);
	mmu_unlock(kvm, MMU_LOCK_WRITE);
	return reaped;
}

/* KVM_GET_DIRTY_LOG with manual protect (a copy, nothing cleared), then
 * KVM_CLEAR_DIRTY_LOG of every bit it returned (kvm_clear_dirty_log_protect:
 * only the bits still set are cleared and protected). */
static bool harvest_clear(struct kvm *kvm, struct dirty_log *d, bool *changed)
{
	uint64_t words = (d->nr_gfns + WORD_BITS - 1) / WORD_BITS;
	bool reaped = false;

	for (uint64_t i = 0; i < words; i++)
		d->snapshot[i] = READ_ONCE(d->bitmap[i]);
	mmu_lock(kvm, MMU_LOCK_WRITE);
	for (uint64_t i = 0; i < words; i++) {
		unsigned long mask = 0;

		for (int b = 0; b < BITS_PER_LONG; b++)
			if ((d->snapshot[i] & (1UL << b)) && test_and_clear_bit(b, &d->bitmap[i]))
				mask |= 1UL << b;
		if (!mask)
			continue;
		reaped = true;
		*changed |= wrprot_mask(kvm, d, i, mask);
	}
	if (log_flushes_under_lock(kvm, d) && must_flush(d, reaped, *changed))
		log_flush(kvm);
	mmu_unlock(kvm, MMU_LOCK_WRITE);
	return reaped;
}

/* Userspace reads through the hva: a page the host reclaimed comes back
 * with its data. */
static uint64_t hva_content(struct kvm *kvm, uint64_t hva)
{
	return shared_load_explicit(hostmem_content(&kvm->mem, hva), memory_order_relaxed);
}

/* The migration's destination holds pages by host address, as a VMM's
 * RAM blocks do, so a slot's pages keep their copies when it moves. */
static void copy_hva(struct kvm *kvm, struct dirty_log *d, uint64_t hva)
{
	d->dest[hva] = hva_content(kvm, hva);
}

/* Copy every page of slot s (the migration's first pass over it); false
 * if the run stopped it part-way. */
static bool copy_slot(struct kvm *kvm, struct dirty_log *d, const struct kvm_memory_slot *s)
{
	for (gfn_t gfn = s->base_gfn; gfn < s->base_gfn + s->npages; gfn++) {
		if (walk_cut_short(gfn, torture_must_stop))
			return false;
		copy_hva(kvm, d, slot_gfn_to_hva(kvm, s, gfn));
	}
	return true;
}

static void revocation_done(struct kvm *kvm, struct dirty_log *d, gfn_t gfn)
{
	struct write_right *r = &kvm->rights->gfn[gfn];

	(void)d;
	write_right_done(&r->log_done, r->log_pending);
}

/* The ioctl has returned: its revocations are complete. */
static void declare_revocations_done(struct kvm *kvm, struct dirty_log *d)
{
	drain_bits(kvm, d, d->revoked, revocation_done);
}

/* A reported gfn: userspace finds its slot and copies the page. */
static void copy_page(struct kvm *kvm, struct dirty_log *d, gfn_t gfn)
{
	struct kvm_memory_slot *s = gfn_to_memslot(kvm, gfn);

	if (s)
		copy_hva(kvm, d, slot_gfn_to_hva(kvm, s, gfn));
}

/* The harvest's ioctl returns (after its flush), and userspace copies what
 * it reported. */
static uint64_t harvest_return(struct kvm *kvm, struct dirty_log *d, bool reaped, bool changed)
{
	/* Outside mmu_lock, before returning: kvm_flush_remote_tlbs_memslot()
	 * (x86 has no per-memslot flush without range support: all of it). */
	if (!log_flushes_under_lock(kvm, d) && must_flush(d, reaped, changed))
		log_flush(kvm);
	trace(TR_HARVEST_DONE, d->nr_reported, 0);
	declare_revocations_done(kvm, d);
	/* Userspace copies what the harvest reported, after it returned. */
	drain_bits(kvm, d, d->to_copy, copy_page);
	count(CNT_HARVESTS, 1);
	count(CNT_DIRTY_REAPED, d->nr_reported);
	return d->nr_reported;
}

/* The dirty-log ioctls and KVM_SET_USER_MEMORY_REGION take slots_lock;
 * the lock is taken only where memslots change, so the other VMs' runs
 * stay as they were. */
static void log_slots_lock(struct kvm *kvm)
{
	if (kvm->cfg.memslot_changes)
		sleeplock_lock(&kvm->slots_lock);
}

static void log_slots_unlock(struct kvm *kvm)
{
	if (kvm->cfg.memslot_changes)
		sleeplock_unlock(&kvm->slots_lock);
}

static uint64_t harvest_locked(struct kvm *kvm)
{
	struct dirty_log *d = kvm->dirty_log;
	bool changed = false, reaped;

	d->nr_reported = 0;
	trace(TR_HARVEST, d->mode, 0);
	if (d->mode == LOG_RING)
		reaped = dirty_ring_harvest(kvm, d, &changed);
	else if (d->mode == LOG_CLEAR)
		reaped = harvest_clear(kvm, d, &changed);
	else
		reaped = harvest_get(kvm, d, &changed);
	return harvest_return(kvm, d, reaped, changed);
}

uint64_t dirty_log_harvest(struct kvm *kvm)
{
	uint64_t reported;

	log_slots_lock(kvm);
	reported = harvest_locked(kvm);
	log_slots_unlock(kvm);
	return reported;
}

uint64_t dirty_log_collect(struct kvm *kvm)
{
	return dirty_ring_collect_all(kvm->dirty_log);
}

uint64_t dirty_log_reset_rings(struct kvm *kvm)
{
	struct dirty_log *d = kvm->dirty_log;
	bool changed = false, reaped;

	d->nr_reported = 0;
	trace(TR_HARVEST, d->mode, 0);
	dirty_ring_take_handed_over(d);
	/* Between userspace's take and its ioctl: the collector may mark more
	 * entries RESET, which this reset then protects (and the next copies). */
	sched_point();
	reaped = dirty_ring_reset_all(kvm, d, &changed);
	return harvest_return(kvm, d, reaped, changed);
}

static bool copied_or_no_collector(void *arg)
{
	struct dirty_log *d = arg;

	return shared_load(&d->copied) || shared_load(&d->reaper_done);
}

bool dirty_log_wait_copied(struct kvm *kvm)
{
	struct dirty_log *d = kvm->dirty_log;

	if (lostflush_ctl)
		ctl_wait_until(lostflush_ctl, current_thread->index, copied_or_no_collector, d,
			       "dirty logging on and its first copy");
	else
		while (!copied_or_no_collector(d) && !torture_must_stop())
			sched_yield();
	return shared_load(&d->copied);
}

/* ---- enabling and disabling ------------------------------------------------- */

/* kvm_mmu_slot_apply_flags() -> kvm_mmu_slot_remove_write_access(): every
 * mapped gfn loses W (with PML, kvm_mmu_slot_leaf_clear_dirty(): D); then
 * kvm_flush_remote_tlbs_memslot(). */
static void write_protect_all(struct kvm *kvm, struct dirty_log *d)
{
	bool changed = false;

	mmu_lock(kvm, MMU_LOCK_WRITE);
	for (gfn_t gfn = 0; gfn < d->nr_gfns && !walk_cut_short(gfn, torture_must_stop); gfn++) {
		bool c;

		kvm->arch->write_protect_gfn(kvm, gfn, false, &c);
		changed |= c;
		revoke_for_log(kvm, d, gfn);
	}
	if (log_flushes_under_lock(kvm, d) && (d->policy->enable_always_flushes || changed))
		log_flush(kvm);
	mmu_unlock(kvm, MMU_LOCK_WRITE);
	if (!log_flushes_under_lock(kvm, d) && (d->policy->enable_always_flushes || changed))
		log_flush(kvm);
	declare_revocations_done(kvm, d);
}

static void enable_locked(struct kvm *kvm)
{
	struct dirty_log *d = kvm->dirty_log;
	struct kvm_memslots *set;

	trace(TR_HARVEST, d->mode, 1);
	/* The memslot flag first: a fault after this point marks. */
	shared_store_explicit(&d->enabled, true, memory_order_seq_cst);
	if (d->mode == LOG_CLEAR) {
		/* KVM_DIRTY_LOG_INITIALLY_SET: every bit set, nothing
		 * write-protected until the first clear. */
		for (gfn_t gfn = 0; gfn < d->nr_gfns && !walk_cut_short(gfn, torture_must_stop);
		     gfn++)
			set_bit((int)(gfn % WORD_BITS), &d->bitmap[gfn / WORD_BITS]);
	} else {
		write_protect_all(kvm, d);
	}
	/* Migration's first pass: every page of every slot. */
	set = kvm_memslots(kvm);
	for (int i = 0; i < set->nr; i++)
		if (!copy_slot(kvm, d, &set->slots[i]))
			return;
	/* Whole: the stop flag only ever goes up in a run, so a write-protect
	 * walk cut short would have cut this one short too. */
	shared_store(&d->copied, true);
}

void dirty_log_enable(struct kvm *kvm)
{
	log_slots_lock(kvm);
	enable_locked(kvm);
	log_slots_unlock(kvm);
}

/* ---- memslot changes -------------------------------------------------------- */

static bool logging(const struct dirty_log *d)
{
	return d && shared_load_explicit(&d->enabled, memory_order_acquire);
}

void dirty_log_memslot_deleted(struct kvm *kvm, const struct kvm_memory_slot *old)
{
	struct dirty_log *d = kvm->dirty_log;

	if (!logging(d))
		return;
	for (gfn_t gfn = old->base_gfn; gfn < old->base_gfn + old->npages; gfn++)
		clear_bit((int)(gfn % WORD_BITS), &d->bitmap[gfn / WORD_BITS]);
}

void dirty_log_memslot_created(struct kvm *kvm, const struct kvm_memory_slot *s)
{
	struct dirty_log *d = kvm->dirty_log;

	if (!logging(d))
		return;
	if (d->mode == LOG_CLEAR)
		for (gfn_t gfn = s->base_gfn; gfn < s->base_gfn + s->npages; gfn++)
			set_bit((int)(gfn % WORD_BITS), &d->bitmap[gfn / WORD_BITS]);
	copy_slot(kvm, d, s);
}

void dirty_log_memslot_moved(struct kvm *kvm, const struct kvm_memory_slot *old,
			     const struct kvm_memory_slot *moved, bool fresh_bitmap)
{
	struct dirty_log *d = kvm->dirty_log;

	if (!logging(d))
		return;
	for (uint64_t i = 0; i < old->npages; i++) {
		gfn_t from = old->base_gfn + i, to = moved->base_gfn + i;

		if (test_and_clear_bit((int)(from % WORD_BITS), &d->bitmap[from / WORD_BITS]) &&
		    !fresh_bitmap)
			set_bit((int)(to % WORD_BITS), &d->bitmap[to / WORD_BITS]);
	}
}

void dirty_log_disable(struct kvm *kvm)
{
	struct dirty_log *d = kvm->dirty_log;

	log_slots_lock(kvm);
	shared_store_explicit(&d->enabled, false, memory_order_seq_cst);
	shared_store(&d->copied, false);
	log_slots_unlock(kvm);
}

/* ---- the quiesced check --------------------------------------------------- */

/* Every page of slot s against the destination's copy; a signal cuts the
 * walk short. Returns the pages that differ. */
static uint64_t compare_slot(struct kvm *kvm, struct oracle *oracle,
			     const struct kvm_memory_slot *s)
{
	struct dirty_log *d = kvm->dirty_log;
	uint64_t differ = 0;

	for (gfn_t gfn = s->base_gfn;
	     gfn < s->base_gfn + s->npages && !walk_cut_short(gfn, interrupt_requested); gfn++) {
		uint64_t hva = slot_gfn_to_hva(kvm, s, gfn), src = hva_content(kvm, hva);

		if (src == d->dest[hva])
			continue;
		differ++;
		oracle_report(oracle, &(struct violation){
					      .kind = VIOL_LOST_DIRTY_WRITE,
					      .vcpu_id = -1,
					      .gfn = gfn,
					      .level = PG_LEVEL_4K,
					      .write = true,
					      .entry_epoch = d->dest[hva],
					      .current_epoch = src,
					      .t_ns = trace_now_ns() - oracle->t0_ns,
					      .quiesced = true,
				      });
	}
	return differ;
}

uint64_t dirty_log_quiesced_check(struct kvm *kvm, struct oracle *oracle)
{
	struct dirty_log *d = kvm->dirty_log;
	struct kvm_memslots *set;
	uint64_t differ = 0;

	if (!d || !shared_load(&d->enabled) || !shared_load(&d->copied))
		return 0;
	dirty_log_harvest(kvm);
	/* The workers have stopped: what a slot holds is what the VM has. */
	set = kvm_memslots(kvm);
	for (int i = 0; i < set->nr; i++)
		differ += compare_slot(kvm, oracle, &set->slots[i]);
	return differ;
}
