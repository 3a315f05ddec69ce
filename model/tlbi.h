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
 *
 * A TLBI by IPA carries the level of the leaf it invalidates as its TTL
 * hint (__tlbi_level(): arm64's level, 3 for a 4K page, 2 for a 2M block,
 * 1 for a 1G block; 0, never a leaf's level with a 4K granule, for no
 * hint). The Arm ARM lets a PE skip entries the hint says are not at that
 * level ("if the level is wrong, no invalidation may take place", as
 * tlbflush.h puts it): the model's PEs are those that keep them, so a
 * wrong hint leaves the entry it should have dropped.
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

#define TLBI_TTL_NONE 0 /* a TLBI with no level hint */

struct tlbi_op {
	uint64_t seq;
	gfn_t start;
	uint64_t nr;
	int ttl; /* arm64's level of the leaf, or TLBI_TTL_NONE */
};

/* The TTL hint naming a leaf at the model's `level` (PG_LEVEL_4K: 3). */
static inline int tlbi_ttl_of_level(int level)
{
	return SPTE_ROOT_LEVEL - level;
}

struct tlbi_log {
	pthread_mutex_t lock;
	_Atomic uint64_t seq; /* TLBIs logged so far */
	struct tlbi_op ops[TLBI_LOG_SIZE];
};

int tlbi_log_init(struct tlbi_log *l);
void tlbi_log_destroy(struct tlbi_log *l);

/* TLBI over [start, start + nr) (nr TLBI_ALL: the VMID) with level hint
 * ttl, then DSB ISH. */
void tlbi_broadcast_hinted(struct kvm *kvm, gfn_t start, uint64_t nr, int ttl);
/* The same with no hint: by VMID, or by range (__kvm_tlb_flush_vmid_range()
 * passes TLBI_TTL_UNKNOWN: a range may hold leaves of any level). */
void tlbi_broadcast(struct kvm *kvm, gfn_t start, uint64_t nr);
/* A vCPU's guest access begins: apply the TLBIs logged since its last one
 * to its own TLB. Ends with tlbi_access_end(). */
void tlbi_access_begin(struct kvm_vcpu *vcpu);
void tlbi_access_end(struct kvm_vcpu *vcpu);

#endif
