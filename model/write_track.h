/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Write-tracking (arch/x86/kvm/mmu/page_track.c): shadow paging, or a
 * device model like KVMGT, asks to see every write to a gfn. While a gfn is
 * tracked its SPTEs are neither writable nor MMU-writable, so a write
 * faults and KVM emulates it; kvm_write_track_add_gfn() must not return
 * while any vCPU could still write through a writable TLB entry.
 */
#ifndef LOSTFLUSH_WRITE_TRACK_H
#define LOSTFLUSH_WRITE_TRACK_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "spte.h"

struct kvm;

/*
 * How kvm_write_track_add_gfn() settles the TLBs: one table per variant;
 * NULL, or a NULL field, is upstream's choice.
 */
struct write_track_policy {
	/* Does this SPTE change need a flush before the write-protect
	 * returns? NULL: the arch's rule (x86: 6.13's
	 * leaf_spte_change_needs_tlb_flush()). */
	bool (*leaf_change_needs_flush)(uint64_t old_spte, uint64_t new_spte);
	/* The flush it makes; NULL: kvm_flush_remote_tlbs(), which consults
	 * no deferred mark. A variant under a deferred-flush policy may pass
	 * its settling flush here instead. */
	void (*flush)(struct kvm *kvm);
	/* Whether the write-protect flushes before it returns, given
	 * whether its SPTE changes need it (`needed`): a policy may flush
	 * for a reason of its own, such as a deferred flush still pending
	 * (mmu_lock held for write). NULL: exactly when they need it. */
	bool (*must_flush)(struct kvm *kvm, bool needed);
};

struct write_track {
	uint64_t nr_gfns;
	_Atomic uint16_t *count; /* gfn_write_track[] */
};

int write_track_create(struct kvm *kvm);
void write_track_destroy(struct kvm *kvm);

/* kvm_gfn_is_write_tracked(). */
bool kvm_gfn_is_write_tracked(struct kvm *kvm, gfn_t gfn);
/* kvm_write_track_add_gfn(): track, write-protect, flush by the rule. */
void kvm_write_track_add_gfn(struct kvm *kvm, gfn_t gfn);
/* kvm_write_track_remove_gfn(): later write faults may map it writable. */
void kvm_write_track_remove_gfn(struct kvm *kvm, gfn_t gfn);

#endif
