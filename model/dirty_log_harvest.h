/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the dirty log's two halves share inside the model (model/dirty_log.c:
 * the bitmap, clear-log, enabling and the quiesced check; model/dirty_ring.c:
 * the ring): not for code outside model/.
 */
#ifndef LOSTFLUSH_DIRTY_LOG_HARVEST_H
#define LOSTFLUSH_DIRTY_LOG_HARVEST_H

#include <stdbool.h>

#include "dirty_log.h"
#include "mmu.h"

/* A gfn a harvest reports to userspace: its page is copied after the
 * harvest returns, and its write right revoked. */
void dirty_log_report(struct dirty_log *d, gfn_t gfn);
/* Write-protect one reported gfn for logging (mmu_lock held for write);
 * whether the change needs a flush by the run's rule. */
bool dirty_log_wrprot(struct kvm *kvm, struct dirty_log *d, gfn_t gfn);
/* kvm_dirty_ring_push(): the vCPU's own ring. */
void dirty_ring_push(struct dirty_ring *r, gfn_t gfn);
/* Collect every ring, then KVM_RESET_DIRTY_RINGS; whether anything was
 * reaped, *changed whether a write-protect changed an SPTE. */
bool dirty_ring_harvest(struct kvm *kvm, struct dirty_log *d, bool *changed);
/* Rings reset apart: collect every ring (handing the gfns over); take what
 * was handed over as this harvest's report; KVM_RESET_DIRTY_RINGS alone. */
uint64_t dirty_ring_collect_all(struct dirty_log *d);
void dirty_ring_take_handed_over(struct dirty_log *d);
bool dirty_ring_reset_all(struct kvm *kvm, struct dirty_log *d, bool *changed);

#endif
