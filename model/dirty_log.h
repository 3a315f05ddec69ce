/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Dirty logging (virt/kvm/kvm_main.c, virt/kvm/dirty_ring.c) and the
 * userspace side that uses it to migrate (tools/testing/selftests/kvm/
 * dirty_log_test.c): the dirty bitmap or the per-vCPU dirty rings, the
 * three ways to harvest them, and the migration destination the harvests
 * build, which the quiesced check compares with the source at the end.
 *
 * Write-protect-based logging, as x86 without PML: enabling logging
 * write-protects every SPTE (W cleared, MMU-writable kept); a write then
 * faults, the fast path makes the SPTE writable again and marks the gfn
 * dirty; a harvest reports the marked gfns, write-protects them again and
 * flushes before returning, so no vCPU keeps writing through an old
 * writable TLB entry unlogged. With EPT A/D bits (kvm.cfg.ad_bits) logging
 * is PML's instead: enabling and harvesting clear D, and the hardware logs
 * a gfn when a write sets D again (arch/x86_ept_ad.c); the flush is as
 * necessary, since an entry that has seen D set writes without a walk.
 */
#ifndef LOSTFLUSH_DIRTY_LOG_H
#define LOSTFLUSH_DIRTY_LOG_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "../engine/bitops.h"
#include "dirty_log_mode.h"
#include "spte.h"

struct kvm;
struct kvm_memory_slot;
struct kvm_vcpu;
struct oracle;

/* struct kvm_dirty_gfn: what one ring entry carries. */
#define KVM_DIRTY_GFN_F_DIRTY 1U
#define KVM_DIRTY_GFN_F_RESET 2U
#define DIRTY_RING_SIZE 16U /* entries, a power of two */
/* kvm_dirty_ring_soft_full(): the vCPU exits (KVM_EXIT_DIRTY_RING_FULL)
 * with this many entries unreset, keeping a reserve for marks already on
 * their way. */
#define DIRTY_RING_SOFT_LIMIT (DIRTY_RING_SIZE - 4U)
/* PML's buffer, which the reserve is sized for (kvm_dirty_ring_get_rsvd_
 * entries(): 64 + kvm_cpu_dirty_log_size(), the 512 entries of VMX's PML
 * log). The hardware logs into it with no exit, and a full buffer exits
 * (EXIT_REASON_PML_FULL), so at most this many marks reach the ring
 * between two soft-limit checks. */
#define PML_ENTRIES (DIRTY_RING_SIZE - DIRTY_RING_SOFT_LIMIT)

struct dirty_gfn {
	_Atomic uint64_t gfn;
	_Atomic uint32_t flags;
};

struct dirty_ring {
	struct dirty_gfn gfns[DIRTY_RING_SIZE];
	_Atomic uint32_t dirty_index; /* next push (the vCPU) */
	_Atomic uint32_t reset_index; /* next reset (KVM_RESET_DIRTY_RINGS) */
	uint32_t fetch_index;	      /* next collect (userspace) */
};

/* When the harvests and write-protects flush: one table per variant. */
enum harvest_flush {
	HARVEST_FLUSH_IF_REAPED, /* any gfn reported (upstream) */
	HARVEST_FLUSH_IF_WRPROT, /* only if some SPTE changed */
	HARVEST_NO_FLUSH,
};

struct dirty_log_policy {
	/* get-dirty-log and clear-dirty-log. */
	enum harvest_flush harvest_flush;
	/* kvm_vm_ioctl_reset_dirty_pages(): flush if any entry was reset. */
	bool ring_reset_flushes;
	/* Userspace reads a ring entry's flags with acquire and hands it
	 * back with release (dirty_gfn_is_dirtied / dirty_gfn_set_collected). */
	bool ring_flags_ordered;
	/* Enabling logging flushes always (b64d740ea7dd), or only if some
	 * SPTE changed. */
	bool enable_always_flushes;
};

/* Upstream's choices, the base a variant overrides with designated
 * initializers: DIRTY_LOG_POLICY(.harvest_flush = HARVEST_NO_FLUSH). */
#define DIRTY_LOG_POLICY(...)                                                          \
	{                                                                              \
		.harvest_flush = HARVEST_FLUSH_IF_REAPED, .ring_reset_flushes = true,  \
		.ring_flags_ordered = true, .enable_always_flushes = true, __VA_ARGS__ \
	}

struct dirty_log {
	const struct dirty_log_policy *policy;
	enum dirty_log_mode mode;
	_Atomic bool enabled;
	uint64_t nr_gfns;
	atomic_bitmap *bitmap;	  /* LOG_BITMAP, LOG_CLEAR */
	struct dirty_ring *rings; /* LOG_RING: one per vCPU */
	int nr_rings;
	/* Userspace: the migration destination, a copy of each page as the
	 * harvest that last reported it left it; and the harvest in flight:
	 * what userspace will copy, and what KVM write-protected (its epochs
	 * are in the write-right books). Bitmaps, so a large VM pays a bit
	 * per gfn for them. */
	uint64_t *dest;
	unsigned long *to_copy;
	unsigned long *revoked;
	uint64_t nr_reported;
	unsigned long *snapshot; /* LOG_CLEAR: the bitmap as fetched */
	/* Rings reset apart: the gfns the collector has collected and marked
	 * RESET, for the resetter to copy after its next reset. */
	atomic_bitmap *handed_over;
	/* The migration is consistent only from the full copy after the
	 * latest enable; the resetter waits for it. */
	_Atomic bool copied;
	_Atomic bool reaper_done; /* no harvest will come: ring waits end */
};

int dirty_log_create(struct kvm *kvm);
void dirty_log_destroy(struct kvm *kvm);

/* mark_page_dirty_in_slot(): nothing unless logging is on. */
void mark_page_dirty(struct kvm_vcpu *vcpu, gfn_t gfn);

/* KVM_MEM_LOG_DIRTY_PAGES on: write-protect every SPTE and flush (or, with
 * clear-dirty-log's initially-set, set every bit and protect nothing); then
 * userspace's first full copy. Off: marks stop. */
void dirty_log_enable(struct kvm *kvm);
void dirty_log_disable(struct kvm *kvm);
/* One harvest in the VM's mode, then copy every reported page to the
 * destination; returns the pages reported. */
uint64_t dirty_log_harvest(struct kvm *kvm);

/* Rings reset apart (kvm_config.ring_reset_apart), the two reapers'
 * halves of a harvest. The collector's: collect every ring, marking each
 * entry RESET and then handing its gfn over; returns how many. */
uint64_t dirty_log_collect(struct kvm *kvm);
/* The resetter's: take what was handed over, KVM_RESET_DIRTY_RINGS (which
 * flushes before it returns), then copy what it took; returns how many. */
uint64_t dirty_log_reset_rings(struct kvm *kvm);
/* The resetter starts once logging is on and its first copy made; false:
 * the collector ended first, or the run stops. */
bool dirty_log_wait_copied(struct kvm *kvm);

/*
 * A memslot change while logging is on, called by kvm_set_memslot() under
 * slots_lock once its last swap has waited for its readers, so no vCPU
 * marks the old gfns any more; the harvests hold slots_lock too, as
 * KVM_GET_DIRTY_LOG and KVM_CLEAR_DIRTY_LOG do. Each slot's bitmap is the
 * VM's bitmap at the slot's gfns.
 *
 * Deleted: kvm_free_memslot() frees the slot's bitmap, and userspace
 * stops migrating its memory. Created: a new bitmap (all set with
 * KVM_DIRTY_LOG_INITIALLY_SET), and userspace copies the new slot whole
 * before it relies on the log, as at logging's start. Moved: the slot
 * keeps its bitmap (kvm_prepare_memory_region(): new->dirty_bitmap =
 * old->dirty_bitmap), now at the new gfns; fresh_bitmap gives it an empty
 * one instead.
 */
void dirty_log_memslot_deleted(struct kvm *kvm, const struct kvm_memory_slot *old);
void dirty_log_memslot_created(struct kvm *kvm, const struct kvm_memory_slot *s);
void dirty_log_memslot_moved(struct kvm *kvm, const struct kvm_memory_slot *old,
			     const struct kvm_memory_slot *moved, bool fresh_bitmap);

/* kvm_vcpu_write_guest(): KVM writes guest memory through the host
 * mapping, then marks the gfn dirty. */
void kvm_vcpu_write_guest(struct kvm_vcpu *vcpu, gfn_t gfn, uint64_t value);

/* The vCPU's PML buffer is full and it must exit before another guest
 * access: only with the ring (a bitmap has room for every gfn). */
bool dirty_ring_pml_full(const struct kvm_vcpu *vcpu);
/* The vCPU may enter: its ring has room (or no harvest will ever come, and
 * it should stop). Waits while the ring is soft-full; false: stop. */
bool dirty_ring_vcpu_may_enter(struct kvm_vcpu *vcpu);

/* dirty_log_test's end: with every vCPU stopped, harvest once more and
 * compare every page with the destination; a difference is a lost dirty
 * write, reported to the run's oracle. Returns the pages that differ. */
uint64_t dirty_log_quiesced_check(struct kvm *kvm, struct oracle *oracle);

#endif
