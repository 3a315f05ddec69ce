/* SPDX-License-Identifier: GPL-2.0 */
/*
 * arm64's broadcast TLB invalidation: TLBI ...IS by IPA and level, by
 * range, or VMID-wide (vmalls12e1is), then DSB ISH, which completes only
 * when every PE of the inner-shareable domain has dropped the entries. No
 * IPI, no vCPU request, no kick: the hypervisor's walker issues it and
 * goes on once the DSB completes (__kvm_tlb_flush_vmid_ipa(),
 * __kvm_tlb_flush_vmid()).
 *
 * Modelled without touching another thread's TLB: a TLBI is appended to
 * the VM's log; a vCPU applies the log's new entries to its own TLB at the
 * start of each guest access, marking the access in flight. The DSB waits
 * for every vCPU that is in an access it began before the TLBI was logged
 * (in free mode by spinning, in controlled modes as a wait the scheduler
 * knows), so once tlbi_broadcast() returns no access uses a dropped entry:
 * a PE's access that began earlier may finish with the old translation,
 * as hardware allows.
 */
#ifndef LOSTFLUSH_TLBI_H
#define LOSTFLUSH_TLBI_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include "spte.h"

struct kvm;
struct kvm_vcpu;

#define TLBI_LOG_SIZE 64    /* a vCPU further behind drops its whole TLB */
#define TLBI_ALL UINT64_MAX /* nr of a VMID-wide TLBI */

struct tlbi_op {
	uint64_t seq;
	gfn_t start;
	uint64_t nr;
};

struct tlbi_log {
	pthread_mutex_t lock;
	_Atomic uint64_t seq; /* TLBIs logged so far */
	struct tlbi_op ops[TLBI_LOG_SIZE];
};

int tlbi_log_init(struct tlbi_log *l);
void tlbi_log_destroy(struct tlbi_log *l);

/* TLBI over [start, start + nr) (nr TLBI_ALL: the VMID), then DSB ISH. */
void tlbi_broadcast(struct kvm *kvm, gfn_t start, uint64_t nr);
/* A vCPU's guest access begins: apply the TLBIs logged since its last one
 * to its own TLB. Ends with tlbi_access_end(). */
void tlbi_access_begin(struct kvm_vcpu *vcpu);
void tlbi_access_end(struct kvm_vcpu *vcpu);

#endif
