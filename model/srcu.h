/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvm->srcu, the read side that protects the memslot set: a vCPU holds it
 * while it handles an exit (upstream: all of KVM_RUN but guest mode), the
 * MMU notifier while it walks the slots; kvm_set_memslot() waits for every
 * reader that may still see the old set (synchronize_srcu_expedited() in
 * kvm_swap_active_memslots()).
 *
 * Free mode: liburcu's memb flavour stands in for SRCU. Its readers may
 * block inside a read-side section, as SRCU's may (a vCPU's fault sleeps
 * on mmu_lock), they announce nothing between sections (a vCPU thread
 * spends most of its time outside), and it is the flavour the page-table
 * RCU already uses, so one registration serves both. Its grace period is
 * the process's, not the VM's: it also waits for page-table walkers, which
 * is longer, never shorter, than SRCU's.
 *
 * Controlled modes: fibers take turns on one thread, so SRCU is modelled
 * as upstream builds it: two reader counts, the index flipped by
 * synchronize, which then waits (a predicate the scheduler evaluates)
 * until the readers that started before the flip are gone.
 */
#ifndef LOSTFLUSH_SRCU_H
#define LOSTFLUSH_SRCU_H

struct kvm;

int kvm_srcu_read_lock(struct kvm *kvm);
void kvm_srcu_read_unlock(struct kvm *kvm, int idx);
/* Return once every reader that was in a section when it was called has
 * left it. Never call it inside a section. */
void kvm_synchronize_srcu(struct kvm *kvm);

#endif
