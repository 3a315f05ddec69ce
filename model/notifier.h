/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The MMU notifier (virt/kvm/kvm_main.c) and the host side of an unmap, in
 * the order mm/ runs them (zap_page_range_single(), unmap_region()):
 *
 *   invalidate_range_start   KVM zaps SPTEs and flushes as its policy says
 *   clear the host PTEs
 *   invalidate_range_end     KVM lets faults in the range proceed again
 *   free the frames          the point the oracle calls "revocation complete"
 */
#ifndef LOSTFLUSH_NOTIFIER_H
#define LOSTFLUSH_NOTIFIER_H

#include "mmu.h"

void kvm_mmu_notifier_invalidate_range_start(struct kvm *kvm, uint64_t hva_start, uint64_t hva_end);
void kvm_mmu_notifier_invalidate_range_end(struct kvm *kvm, uint64_t hva_start, uint64_t hva_end);
/* The host's unmap of [hva_start, hva_end), frames freed at the end. */
void host_unmap_range(struct kvm *kvm, uint64_t hva_start, uint64_t hva_end);

#endif
