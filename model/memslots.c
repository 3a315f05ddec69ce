// SPDX-License-Identifier: GPL-2.0
/*
 * The memslot set under SRCU, and kvm_set_memslot()'s delete and create
 * (model/memslots.h). The window the delete closes:
 *
 *   M delete slot S                      v0: fault on G in S
 *   -----------------------------------  ------------------------------------
 *                                        srcu_read_lock; slot = S (valid)
 *   S' = S | INVALID; publish the set
 *   synchronize_srcu: waits for v0 ----> seq; pfn; mmu_lock; map G; unlock
 *                                        srcu_read_unlock
 *   zap (all, or S's leaves); flush
 *                                        srcu_read_lock; slot = S' (invalid):
 *                                        retry, and again, until S is gone
 *   publish the set without S; synchronize
 *   return: no SPTE of S's gfns is left
 *                                        slot = none: an MMIO access
 *
 * A fault that mapped an invalid slot could install after the zap; a swap
 * that did not wait could leave v0 mapping after it, or reading a set
 * already freed; a zap without its flush leaves v0's TLB entry. In each
 * case a translation of S outlives the delete, and userspace frees S's
 * memory once the delete has returned.
 */
#include "memslots.h"

#include <stdlib.h>
#include <string.h>

#include "../engine/check.h"
#include "../engine/ctl.h"
#include "../engine/sched.h"
#include "../engine/shared.h"
#include "../engine/thread.h"
#include "../oracle/oracle.h"
#include "../oracle/slot_rights.h"
#include "arch_ops.h"
#include "dirty_log.h"
#include "flush.h"
#include "mmu.h"
#include "srcu.h"

/* What a freed set's generation reads: no real one gets there. */
#define MEMSLOTS_POISON 0x6b6b6b6b6b6b6b6bULL
/* Freed sets held back before free(): a reader that missed its grace
 * period reads the poison, not a reused allocation (as freed tables,
 * model/spt_quarantine.c). */
#define MEMSLOTS_QUARANTINE 64

static const struct memslot_policy memslots_upstream;

static const struct memslot_policy *policy_of(const struct kvm *kvm)
{
	return kvm->cfg.memslot_policy ? kvm->cfg.memslot_policy : &memslots_upstream;
}

static struct kvm_memslots *set_alloc(int nr)
{
	struct kvm_memslots *set = calloc(1, sizeof(*set) + (size_t)nr * sizeof(*set->slots));

	if (!set)
		return NULL;
	set->nr = nr;
	set->slots = (struct kvm_memory_slot *)(set + 1);
	return set;
}

struct kvm_memslots *kvm_memslots(struct kvm *kvm)
{
	return shared_load_explicit(&kvm->memslots, memory_order_acquire);
}

static bool set_poisoned(const struct kvm_memslots *set)
{
	return shared_load_explicit(&set->generation, memory_order_relaxed) == MEMSLOTS_POISON;
}

/* Where the last slot moves, its spare gfns take a slot's share. */
static uint64_t pages_per_slot(const struct kvm_config *cfg)
{
	return cfg->nr_gfns / (uint64_t)(cfg->nr_memslots + (cfg->memslot_moves ? 1 : 0));
}

struct kvm_memory_slot kvm_memslot_initial(const struct kvm *kvm, int id)
{
	uint64_t per_slot = pages_per_slot(&kvm->cfg);
	struct kvm_memory_slot s = {
		.id = id,
		.base_gfn = (gfn_t)id * per_slot,
		.gmem = kvm->cfg.gmem,
	};

	s.npages = id == kvm->cfg.nr_memslots - 1 && !kvm->cfg.memslot_moves
			   ? kvm->cfg.nr_gfns - s.base_gfn
			   : per_slot;
	/* Host pages are laid out in slot order, so hva == gfn here
	 * (gfn_layout_hva()); callers still go through the slot, as KVM
	 * does. */
	s.hva_base = s.base_gfn;
	return s;
}

int kvm_memslots_init(struct kvm *kvm)
{
	uint64_t per_slot = pages_per_slot(&kvm->cfg);
	struct kvm_memslots *set = set_alloc(kvm->cfg.nr_memslots);

	if (!set)
		return -1;
	kvm->nr_memslots = kvm->cfg.nr_memslots;
	kvm->move_base = kvm->cfg.memslot_moves ? (gfn_t)kvm->nr_memslots * per_slot : 0;
	kvm->move_pages = kvm->cfg.memslot_moves ? per_slot : 0;
	for (int i = 0; i < set->nr; i++)
		set->slots[i] = kvm_memslot_initial(kvm, i);
	shared_store(&kvm->memslots, set);
	sleeplock_init(&kvm->slots_lock, "kvm->slots_lock");
	pthread_mutex_init(&kvm->mn_invalidate_lock, NULL);
	pthread_cond_init(&kvm->mn_memslots_update, NULL);
	return 0;
}

void kvm_memslots_destroy(struct kvm *kvm)
{
	while (kvm->nr_freed_sets) {
		free(kvm->freed_sets[kvm->freed_oldest]);
		kvm->freed_oldest = (kvm->freed_oldest + 1) % MEMSLOTS_QUARANTINE;
		kvm->nr_freed_sets--;
	}
	free(kvm->freed_sets);
	free(shared_load(&kvm->memslots));
	sleeplock_destroy(&kvm->slots_lock);
	pthread_mutex_destroy(&kvm->mn_invalidate_lock);
	pthread_cond_destroy(&kvm->mn_memslots_update);
}

/* Poison a set no reader may still hold and queue it; under slots_lock. */
static void set_free(struct kvm *kvm, struct kvm_memslots *set)
{
	if (!kvm->freed_sets) {
		kvm->freed_sets = calloc(MEMSLOTS_QUARANTINE, sizeof(struct kvm_memslots *));
		HARNESS_ASSERT(kvm->freed_sets, "no memory for the memslot quarantine");
	}
	memset(set->slots, 0x6b, (size_t)set->nr * sizeof(*set->slots));
	shared_store_explicit(&set->generation, MEMSLOTS_POISON, memory_order_relaxed);
	if (kvm->nr_freed_sets == MEMSLOTS_QUARANTINE) {
		free(kvm->freed_sets[kvm->freed_oldest]);
		kvm->freed_sets[kvm->freed_oldest] = set;
		kvm->freed_oldest = (kvm->freed_oldest + 1) % MEMSLOTS_QUARANTINE;
		return;
	}
	kvm->freed_sets[(kvm->freed_oldest + kvm->nr_freed_sets++) % MEMSLOTS_QUARANTINE] = set;
}

struct kvm_memory_slot *memslots_lookup(struct kvm_memslots *set, gfn_t gfn)
{
	if (set_poisoned(set)) {
		oracle_report_freed_memslots_walk(gfn);
		return NULL;
	}
	for (int i = 0; i < set->nr; i++) {
		struct kvm_memory_slot *s = &set->slots[i];

		if (s->npages && gfn >= s->base_gfn && gfn < s->base_gfn + s->npages)
			return s;
	}
	return NULL;
}

uint64_t gfn_layout_hva(const struct kvm *kvm, gfn_t gfn)
{
	if (gfn >= kvm->move_base && gfn < kvm->move_base + kvm->move_pages)
		return gfn - kvm->move_pages;
	return gfn;
}

struct kvm_memory_slot *gfn_to_memslot(struct kvm *kvm, gfn_t gfn)
{
	return memslots_lookup(kvm_memslots(kvm), gfn);
}

uint64_t gfn_to_hva(struct kvm *kvm, gfn_t gfn)
{
	struct kvm_memory_slot *s = gfn_to_memslot(kvm, gfn);

	HARNESS_ASSERT(s, "gfn %#llx is in no memslot", (unsigned long long)gfn);
	return s->hva_base + (gfn - s->base_gfn);
}

uint64_t slot_gfn_to_hva(struct kvm *kvm, const struct kvm_memory_slot *slot, gfn_t gfn)
{
	(void)kvm;
	return slot->hva_base + (gfn - slot->base_gfn);
}

struct kvm_memory_slot *kvm_faultin_memslot(struct kvm_vcpu *vcpu, gfn_t gfn, bool *retry)
{
	struct kvm *kvm = vcpu->kvm;
	struct kvm_memslots *set = kvm_memslots(kvm);
	struct kvm_memory_slot *slot;

	*retry = set_poisoned(set);
	slot = memslots_lookup(set, gfn); /* reports a freed set */
	if (!slot)
		return NULL;
	/* Between kvm_vcpu_gfn_to_memslot() and kvm_mmu_faultin_pfn()'s
	 * look at the slot's flags the memslots worker may swap the set: a
	 * schedule point where one runs, and only there, so every other
	 * VM's executions stay as they were. */
	if (kvm->cfg.memslot_changes)
		sched_point();
	if (set_poisoned(set)) {
		oracle_report_freed_memslots_walk(gfn);
		*retry = true;
		return NULL;
	}
	if ((slot->flags & KVM_MEMSLOT_INVALID) && !policy_of(kvm)->fault_ignores_invalid) {
		*retry = true;
		return NULL;
	}
	return slot;
}

void kvm_mn_invalidate_enter(struct kvm *kvm)
{
	if (lostflush_ctl) {
		kvm->mn_active_invalidate_count++;
		return;
	}
	pthread_mutex_lock(&kvm->mn_invalidate_lock);
	kvm->mn_active_invalidate_count++;
	pthread_mutex_unlock(&kvm->mn_invalidate_lock);
}

void kvm_mn_invalidate_exit(struct kvm *kvm)
{
	if (lostflush_ctl) {
		kvm->mn_active_invalidate_count--;
		return;
	}
	pthread_mutex_lock(&kvm->mn_invalidate_lock);
	/* rcuwait_wake_up(&kvm->mn_memslots_update_rcuwait) */
	if (!--kvm->mn_active_invalidate_count)
		pthread_cond_broadcast(&kvm->mn_memslots_update);
	pthread_mutex_unlock(&kvm->mn_invalidate_lock);
}

static bool no_invalidation_in_flight(void *arg)
{
	return !((const struct kvm *)arg)->mn_active_invalidate_count;
}

/* Publish next once no MMU-notifier invalidation is in flight (the wait
 * under mn_invalidate_lock in kvm_swap_active_memslots()). */
static void publish_memslots(struct kvm *kvm, struct kvm_memslots *next)
{
	if (policy_of(kvm)->swap_ignores_invalidations) {
		shared_store_explicit(&kvm->memslots, next, memory_order_release);
		return;
	}
	if (lostflush_ctl) {
		ctl_wait_until(lostflush_ctl, current_thread->index, no_invalidation_in_flight, kvm,
			       "kvm_swap_active_memslots: invalidations in flight");
		shared_store_explicit(&kvm->memslots, next, memory_order_release);
		return;
	}
	pthread_mutex_lock(&kvm->mn_invalidate_lock);
	while (kvm->mn_active_invalidate_count)
		pthread_cond_wait(&kvm->mn_memslots_update, &kvm->mn_invalidate_lock);
	shared_store_explicit(&kvm->memslots, next, memory_order_release);
	pthread_mutex_unlock(&kvm->mn_invalidate_lock);
}

/* kvm_swap_active_memslots(): publish, wait for the old set's readers
 * (synchronize_srcu_expedited()), free it. Under slots_lock. */
static void swap_active_memslots(struct kvm *kvm, struct kvm_memslots *next)
{
	struct kvm_memslots *old = kvm_memslots(kvm);
	uint64_t generation = shared_load_explicit(&old->generation, memory_order_relaxed) + 1;

	shared_store_explicit(&next->generation, generation, memory_order_relaxed);
	publish_memslots(kvm, next);
	trace(TR_MEMSLOTS_SWAP, TRACE_NO_GFN, generation);
	if (!policy_of(kvm)->swap_skips_synchronize)
		kvm_synchronize_srcu(kvm);
	set_free(kvm, old);
}

/* A copy of the active set with slot id as given. */
static struct kvm_memslots *set_with(struct kvm *kvm, int id, const struct kvm_memory_slot *s)
{
	struct kvm_memslots *cur = kvm_memslots(kvm), *next = set_alloc(cur->nr);

	HARNESS_ASSERT(next, "no memory for a memslot set");
	memcpy(next->slots, cur->slots, (size_t)cur->nr * sizeof(*cur->slots));
	next->slots[id] = *s;
	return next;
}

/* kvm_arch_flush_shadow_memslot(kvm, s). */
static void flush_shadow_memslot(struct kvm *kvm, const struct kvm_memory_slot *s)
{
	const struct memslot_policy *p = policy_of(kvm);
	bool slot_only = p->zap_slot_only || kvm->arch->memslot_zaps_slot_only;
	gfn_t start = slot_only ? s->base_gfn : 0;
	gfn_t end = slot_only ? s->base_gfn + s->npages : kvm->cfg.nr_gfns;
	bool flush;

	mmu_lock(kvm, MMU_LOCK_WRITE);
	flush = kvm->arch->unmap_gfn_range(kvm, start, end);
	if (flush && !(slot_only && p->zap_skips_flush))
		kvm_flush_remote_tlbs(kvm);
	mmu_unlock(kvm, MMU_LOCK_WRITE);
}

/* Gfns [start, end) left their slot and the change has returned: no SPTE
 * may map them, and the oracle's books say so from now on. */
static void gfns_taken_away(struct kvm *kvm, gfn_t start, gfn_t end)
{
	for (int r = 0; r < kvm->nr_roots; r++)
		for (gfn_t gfn = start; gfn < end; gfn++) {
			int level;
			uint64_t spte = spt_peek_root(kvm->roots[r], gfn, &level);

			if (is_shadow_present_pte(spte))
				oracle_report_spte_survived_delete(gfn, spte_to_pfn(spte), level);
		}
	if (kvm->slot_rights)
		slot_rights_take_away(kvm->slot_rights, start, end);
}

/* The oracle's books: s's gfns are a slot's from the moment it is
 * published, so a fault right after the publish maps them legally. */
static void grant_gfns(struct kvm *kvm, const struct kvm_memory_slot *s)
{
	if (kvm->slot_rights)
		slot_rights_grant(kvm->slot_rights, s->base_gfn, s->base_gfn + s->npages);
}

void kvm_memslot_check_deleted(struct kvm *kvm, const struct kvm_memory_slot *s)
{
	gfns_taken_away(kvm, s->base_gfn, s->base_gfn + s->npages);
}

void kvm_delete_memslot(struct kvm *kvm, int id)
{
	struct kvm_memory_slot old, invalid, gone = { .id = id };

	sleeplock_lock(&kvm->slots_lock);
	old = kvm_memslots(kvm)->slots[id];
	if (!old.npages) {
		sleeplock_unlock(&kvm->slots_lock);
		return;
	}
	trace(TR_MEMSLOT_DELETE, old.base_gfn, old.npages);
	invalid = old;
	invalid.flags |= KVM_MEMSLOT_INVALID;
	swap_active_memslots(kvm, set_with(kvm, id, &invalid));
	flush_shadow_memslot(kvm, &old);
	swap_active_memslots(kvm, set_with(kvm, id, &gone));
	/* kvm_free_memslot(): the slot's dirty bitmap goes with it. */
	dirty_log_memslot_deleted(kvm, &old);
	count(CNT_MEMSLOT_CHANGES, 1);
	/* The promise as the delete returns, checked before slots_lock goes:
	 * a create by another memslots worker after it gives the gfns back. */
	kvm_memslot_check_deleted(kvm, &old);
	sleeplock_unlock(&kvm->slots_lock);
}

void kvm_create_memslot(struct kvm *kvm, int id, gfn_t base_gfn, uint64_t npages)
{
	struct kvm_memory_slot s = {
		.id = id,
		.base_gfn = base_gfn,
		.npages = npages,
		.hva_base = base_gfn,
		.gmem = kvm->cfg.gmem,
	};

	sleeplock_lock(&kvm->slots_lock);
	/* Another memslots worker made it first: -EEXIST. */
	if (kvm_memslots(kvm)->slots[id].npages) {
		sleeplock_unlock(&kvm->slots_lock);
		return;
	}
	trace(TR_MEMSLOT_CREATE, base_gfn, npages);
	grant_gfns(kvm, &s);
	swap_active_memslots(kvm, set_with(kvm, id, &s));
	dirty_log_memslot_created(kvm, &s);
	count(CNT_MEMSLOT_CHANGES, 1);
	sleeplock_unlock(&kvm->slots_lock);
}

/* kvm_check_memslot_overlap(): another slot holds a gfn of the range. */
static bool overlaps_another(struct kvm *kvm, int id, gfn_t base_gfn, uint64_t npages)
{
	struct kvm_memslots *set = kvm_memslots(kvm);

	for (int i = 0; i < set->nr; i++) {
		const struct kvm_memory_slot *s = &set->slots[i];

		if (i != id && s->npages && base_gfn < s->base_gfn + s->npages &&
		    s->base_gfn < base_gfn + npages)
			return true;
	}
	return false;
}

void kvm_move_memslot(struct kvm *kvm, int id, gfn_t base_gfn)
{
	struct kvm_memory_slot old, invalid, moved;

	sleeplock_lock(&kvm->slots_lock);
	old = kvm_memslots(kvm)->slots[id];
	if (!old.npages || old.base_gfn == base_gfn ||
	    overlaps_another(kvm, id, base_gfn, old.npages)) {
		sleeplock_unlock(&kvm->slots_lock);
		return;
	}
	trace(TR_MEMSLOT_MOVE, old.base_gfn, base_gfn);
	invalid = old;
	invalid.flags |= KVM_MEMSLOT_INVALID;
	moved = old;
	moved.base_gfn = base_gfn;
	/* kvm_invalidate_memslot(): as the delete's first two steps. */
	swap_active_memslots(kvm, set_with(kvm, id, &invalid));
	flush_shadow_memslot(kvm, policy_of(kvm)->move_zaps_new_range ? &moved : &old);
	/* kvm_move_memslot(): the slot at its new base replaces the invalid
	 * one, and the swap waits for the readers that saw it. */
	grant_gfns(kvm, &moved);
	swap_active_memslots(kvm, set_with(kvm, id, &moved));
	dirty_log_memslot_moved(kvm, &old, &moved, policy_of(kvm)->move_drops_dirty_bitmap);
	count(CNT_MEMSLOT_CHANGES, 1);
	/* As the delete does: the old gfns, but what the new range covers
	 * again. */
	for (gfn_t gfn = old.base_gfn; gfn < old.base_gfn + old.npages; gfn++)
		if (gfn < base_gfn || gfn >= base_gfn + old.npages)
			gfns_taken_away(kvm, gfn, gfn + 1);
	sleeplock_unlock(&kvm->slots_lock);
}
