// SPDX-License-Identifier: GPL-2.0
#include "write_track.h"

#include <stdlib.h>

#include "arch_ops.h"
#include "../engine/check.h"
#include "flush.h"
#include "../engine/shared.h"
#include "../engine/thread.h"
#include "../oracle/write_rights.h"

int write_track_create(struct kvm *kvm)
{
	struct write_track *t = calloc(1, sizeof(*t));

	if (!t)
		return -1;
	kvm->track = t;
	t->nr_gfns = kvm->cfg.nr_gfns;
	t->count = calloc(t->nr_gfns, sizeof(*t->count));
	return t->count ? 0 : -1;
}

void write_track_destroy(struct kvm *kvm)
{
	if (!kvm->track)
		return;
	free((void *)kvm->track->count);
	free(kvm->track);
	kvm->track = NULL;
}

static void write_track_flush(struct kvm *kvm)
{
	const struct write_track_policy *p = kvm->cfg.track_policy;

	if (p && p->flush)
		p->flush(kvm);
	else
		kvm_flush_remote_tlbs(kvm);
}

static bool write_track_must_flush(struct kvm *kvm, bool needed)
{
	const struct write_track_policy *p = kvm->cfg.track_policy;

	return p && p->must_flush ? p->must_flush(kvm, needed) : needed;
}

bool kvm_gfn_is_write_tracked(struct kvm *kvm, gfn_t gfn)
{
	return READ_ONCE(kvm->track->count[gfn]) != 0;
}

/*
 * kvm_write_track_add_gfn() -> __kvm_write_track_add_gfn() ->
 * kvm_mmu_slot_gfn_write_protect(): under mmu_lock held for write, count
 * the tracker in, protect the gfn, and flush if the SPTE changes need it by
 * the rule (the shadow MMU's mmu_spte_update() verdict). The right to write
 * gfn is revoked at the write-protect and complete at the unlock. A nested
 * add (the gfn already tracked) protects nothing itself, but its caller
 * relies on the protection from its return on just the same: the first
 * add's revocation is complete when either returns.
 */
void kvm_write_track_add_gfn(struct kvm *kvm, gfn_t gfn)
{
	uint16_t n;
	uint32_t epoch = 0;
	bool changed;

	mmu_lock(kvm, MMU_LOCK_WRITE);
	n = READ_ONCE(kvm->track->count[gfn]);
	if (!n) {
		/* The oracle's books: whoever sees the count go up sees that
		 * this period's revocation is not made yet, not the last
		 * period's, long complete. */
		shared_store_explicit(&kvm->rights->gfn[gfn].track_pending, 0,
				      memory_order_relaxed);
		atomic_thread_fence(memory_order_release);
	}
	WRITE_ONCE(kvm->track->count[gfn], (uint16_t)(n + 1));
	trace(TR_TRACK, gfn, n + 1);
	if (!n) {
		bool flush = kvm->arch->write_protect_gfn(kvm, gfn, true, &changed);

		epoch = write_right_revoke(kvm->rights, gfn);
		shared_store_explicit(&kvm->rights->gfn[gfn].track_pending, epoch,
				      memory_order_relaxed);
		count(CNT_TRACK_WRPROTS, 1);
		if (write_track_must_flush(kvm, flush))
			write_track_flush(kvm);
	} else {
		epoch = shared_load_explicit(&kvm->rights->gfn[gfn].track_pending,
					     memory_order_relaxed);
	}
	mmu_unlock(kvm, MMU_LOCK_WRITE);
	if (epoch)
		write_right_done(&kvm->rights->gfn[gfn].track_done, epoch);
}

void kvm_write_track_remove_gfn(struct kvm *kvm, gfn_t gfn)
{
	uint16_t n;

	mmu_lock(kvm, MMU_LOCK_WRITE);
	n = READ_ONCE(kvm->track->count[gfn]);
	HARNESS_ASSERT(n > 0, "gfn %#llx untracked more often than tracked",
		       (unsigned long long)gfn);
	WRITE_ONCE(kvm->track->count[gfn], (uint16_t)(n - 1));
	trace(TR_UNTRACK, gfn, n - 1);
	mmu_unlock(kvm, MMU_LOCK_WRITE);
}
