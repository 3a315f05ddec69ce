/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Remote TLB flushes (virt/kvm/kvm_main.c) and the deferred-flush policies.
 *
 * kvm_flush_remote_tlbs() is today's upstream flush: request KVM_REQ_TLB_FLUSH
 * on every vCPU and wait for those in guest mode to leave it. It knows
 * nothing of deferral.
 *
 * Deferral (a zapper flushes only its own TLB and marks the remote ones
 * dirty; whoever needs them clean later flushes) is a policy: a table of
 * functions a scenario supplies, one table per variant, so the buggy forms
 * sit next to the fixed one they mutate.
 */
#ifndef LOSTFLUSH_FLUSH_H
#define LOSTFLUSH_FLUSH_H

#include <stdbool.h>

#include "mmu.h"

void kvm_flush_remote_tlbs(struct kvm *kvm);
/*
 * kvm_arch_flush_remote_tlbs_range(): 0 when [gfn, gfn + nr) is flushed on
 * every vCPU; -EOPNOTSUPP when the arch cannot, and the caller must fall
 * back to a full flush. The variant's policy->arch_flush_range if it has
 * one, else hv_flush_remote_tlbs_range(): the model's "hardware" range
 * flush, -EOPNOTSUPP when kvm->cfg.arch_range_flush is false.
 */
int kvm_arch_flush_remote_tlbs_range(struct kvm *kvm, gfn_t gfn, uint64_t nr);
int hv_flush_remote_tlbs_range(struct kvm *kvm, gfn_t gfn, uint64_t nr);
/* kvm_flush_remote_tlbs_range(): the half-open range [gfn, gfn + nr), with
 * the full-flush fallback. */
void kvm_flush_remote_tlbs_range(struct kvm *kvm, gfn_t gfn, uint64_t nr);
/* kvm_flush_remote_tlbs_gfn(): the whole huge page gfn lies in at `level`. */
void kvm_flush_remote_tlbs_gfn(struct kvm *kvm, gfn_t gfn, int level);

/*
 * How remote flushes are deferred and settled. Every hook is called with
 * mmu_lock held as its comment says; `lock` fields say which mode the paths
 * that call them take it in.
 */
struct flush_policy {
	/* mmu_lock mode of the vCPU paths, faults and invlpg zaps. READ is the
	 * concurrent-zap configuration (Ben Gardon's 2019 RFC; the TDP MMU's
	 * today): vCPUs fault and zap side by side, changing SPTEs with
	 * atomics. WRITE is the shadow MMU's spinlock. */
	enum mmu_lock_mode vcpu_lock;
	/* After a zap flushed only the zapper's own TLB (mmu_lock held). */
	void (*mark_remote_dirty)(struct kvm *kvm);
	/* A full remote flush that settles the mark: kvm_flush_remote_tlbs()
	 * as the variant has it. Called with or without mmu_lock, as the
	 * caller's path does. */
	void (*flush)(struct kvm *kvm);
	/* kvm_flush_remote_tlbs_cond(): a zapper's own flush (mmu_lock held). */
	void (*flush_cond)(struct kvm *kvm, bool zapped);
	/* The MMU notifier's decision, before and after dropping mmu_lock;
	 * `zapped` says whether its own unmap zapped anything. */
	void (*notifier_locked)(struct kvm *kvm, bool zapped);
	void (*notifier_unlocked)(struct kvm *kvm, bool zapped);
	/* __kvm_handle_hva_range()'s per-memslot range flush (seed 000):
	 * how many pages, from a slot's start gfn, to flush once the
	 * handlers so far zapped something and [start, end) was this slot's
	 * range. NULL: no range flushes (notifier_locked() flushes). */
	uint64_t (*notifier_range_nr)(gfn_t start, gfn_t end);
	/* A range flush the arch cannot do (-EOPNOTSUPP) makes the notifier
	 * fall back to one full flush; false ignores the failure. */
	bool range_flush_fallback;
	/* kvm_arch_flush_remote_tlbs_range() as the variant has it; NULL:
	 * the model's (x86 with Hyper-V's range hypercall, or -EOPNOTSUPP
	 * without). */
	int (*arch_flush_range)(struct kvm *kvm, gfn_t gfn, uint64_t nr);
	/* Does the dirty-log path (the flusher worker, a bitmap harvest,
	 * logging's enable) flush before dropping mmu_lock, or after it
	 * (2009's kvm_vm_ioctl_get_dirty_log(), and today's
	 * kvm_get_dirty_log_protect())? Either way with `flush` above. */
	bool dirty_log_flushes_under_lock;
	/* The variant's own state (a deferred-flush mark, a counter): made
	 * zeroed with the VM, state_size bytes at kvm->policy_state; the model
	 * never reads it. name_state() names its shared variables for the
	 * memory model's timelines; state_signature() mixes what the state
	 * search should tell apart into its hash (engine/cover.h). */
	size_t state_size;
	void (*name_state)(void *state);
	uint64_t (*state_signature)(const void *state, uint64_t h);
};

/* Shared pieces of policies: a flush that ignores any mark, a notifier
 * hook that does nothing, and kvm_flush_remote_tlbs() if anything was
 * zapped. */
void flush_policy_nop(struct kvm *kvm, bool zapped);
void flush_policy_if_zapped(struct kvm *kvm, bool zapped);

/* Today's TDP MMU: vCPUs fault under a read-held mmu_lock, nothing is
 * deferred, and a zapper or the notifier makes one full flush if it zapped
 * anything. FLUSH_POLICY_TDP is its designated initializers, so a variant
 * says only what it changes: { FLUSH_POLICY_TDP, .field = ... } (a later
 * initializer overrides an earlier one). */
#define FLUSH_POLICY_TDP                                                                 \
	.vcpu_lock = MMU_LOCK_READ, .flush = kvm_flush_remote_tlbs,                      \
	.flush_cond = flush_policy_if_zapped, .notifier_locked = flush_policy_if_zapped, \
	.notifier_unlocked = flush_policy_nop
extern const struct flush_policy flush_policy_tdp;

#endif
