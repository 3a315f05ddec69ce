/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vCPU modes, requests, kicks and acks (virt/kvm/kvm_main.c,
 * include/linux/kvm_host.h, arch/x86/kvm/x86.c vcpu_enter_guest()).
 *
 * The Dekker pair under every remote flush:
 *
 *   vCPU entering guest                  requester
 *   mode = IN_GUEST_MODE                 set_bit(req, &vcpu->requests)
 *   smp_mb()                             smp_mb__before_atomic()
 *   if (requests) cancel entry           if (cmpxchg(mode, IN, EXITING) != OUTSIDE)
 *                                               kick and wait for the exit
 *
 * Either the vCPU sees the request before it enters, or the requester sees
 * the vCPU in guest mode and waits for it to leave (a guest that has left has
 * no TLB in use, and serves the request before entering again).
 *
 * The kick is modelled as the IPI is: the vCPU notices it at its next guest
 * access and exits; "wait" returns once it has (vcpu->exits moved on).
 */
#ifndef LOSTFLUSH_REQUEST_H
#define LOSTFLUSH_REQUEST_H

#include <stdbool.h>

#include "mmu.h"

/*
 * The Dekker pair's two halves, for variants that weaken one; NULL, or a
 * NULL field, is upstream's. publish_in_guest_mode() makes vcpu->mode
 * IN_GUEST_MODE visible before vcpu_enter_guest() reads the requests;
 * exiting_guest_mode() is kvm_vcpu_exiting_guest_mode(), the requester's
 * read of the mode after setting the request bit.
 */
struct request_policy {
	void (*publish_in_guest_mode)(struct kvm_vcpu *vcpu);
	int (*exiting_guest_mode)(struct kvm_vcpu *vcpu);
};

/* kvm_make_request(): the smp_wmb() orders whatever the request asks the
 * vCPU to act on (a range, a zapped SPTE) before the request bit. */
void kvm_make_request(int req, struct kvm_vcpu *vcpu);
/* kvm_check_request(): test, and clear if set. */
bool kvm_check_request(int req, struct kvm_vcpu *vcpu);
bool kvm_request_pending(struct kvm_vcpu *vcpu);

/* Make `req` on every vCPU and wait for each one in guest mode to leave it.
 * Returns true if any vCPU had to be kicked. */
bool kvm_make_all_cpus_request(struct kvm *kvm, int req);

/* vCPU side. */
/* vcpu_enter_guest()'s entry: false if a request cancels the entry. */
bool kvm_vcpu_enter_guest(struct kvm_vcpu *vcpu);
/* Leave guest mode (the ack a waiting requester sees). */
void kvm_vcpu_exit_guest(struct kvm_vcpu *vcpu);
/* Has a requester asked this vCPU to leave guest mode? */
bool kvm_vcpu_kicked(struct kvm_vcpu *vcpu);
/* Serve TLB requests before (re)entering the guest; whether any was. */
bool kvm_vcpu_serve_requests(struct kvm_vcpu *vcpu);

#endif
