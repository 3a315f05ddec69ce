// SPDX-License-Identifier: GPL-2.0
/*
 * A VM: its memslots, host memory, roots, vCPUs and the flush policy's
 * state, made and unmade as a whole (kvm_create() / kvm_destroy()), and
 * checked before it is made (kvm_config_check()).
 */
#include "mmu.h"

#include <stdlib.h>
#include <string.h>

#include "../engine/check.h"
#include "../oracle/slot_rights.h"
#include "arch_ops.h"
#include "flush.h"
#include "memslots.h"
#include "notifier.h"
#include "spt.h"
#include "tlbi.h"

/* Timelines name the variables the memory model buffers. */
static void name_shared_variables(struct kvm *kvm)
{
	mm_names_clear();
	mm_name(&kvm->mmu_invalidate_seq, "invalidate_seq");
	mm_name(&kvm->mmu_invalidate_in_progress, "invalidate_in_progress");
	mm_name(&kvm->mmu_invalidate_range_start, "invalidate_start");
	mm_name(&kvm->mmu_invalidate_range_end, "invalidate_end");
	for (int i = 0; i < kvm->nr_vcpus; i++) {
		mm_name(&kvm->vcpus[i]->mode, "v%d.mode", i);
		mm_name(&kvm->vcpus[i]->requests, "v%d.requests", i);
	}
}

static void thp_split_start(void *arg, uint64_t hva_start, uint64_t hva_end)
{
	kvm_mmu_notifier_invalidate_range_start(arg, hva_start, hva_end);
}

static void thp_split_end(void *arg, uint64_t hva_start, uint64_t hva_end)
{
	kvm_mmu_notifier_invalidate_range_end(arg, hva_start, hva_end);
}

/* Huge leaves need huge host pages behind them: the host backs guest
 * memory with THPs, and tells this VM's MMU notifier when it splits one. */
static int hostmem_init_for(struct kvm *kvm, const struct kvm_config *cfg)
{
	const struct hostmem_notifier n = {
		.invalidate_start = thp_split_start,
		.invalidate_end = thp_split_end,
		.arg = kvm,
	};

	if (hostmem_init(&kvm->mem, cfg->nr_gfns))
		return -1;
	if (cfg->max_huge_level <= PG_LEVEL_4K)
		return 0;
	return hostmem_enable_huge(&kvm->mem, cfg->max_huge_level, &n);
}

/* The flush policy's state, zeroed and cache-line aligned: its variables
 * stand where the memory model and ThreadSanitizer watch them alone. */
static int policy_state_create(struct kvm *kvm)
{
	const struct flush_policy *p = kvm->policy;
	size_t size;

	if (!p || !p->state_size)
		return 0;
	size = (p->state_size + 63) / 64 * 64;
	kvm->policy_state = aligned_alloc(64, size);
	if (!kvm->policy_state)
		return -1;
	memset(kvm->policy_state, 0, size);
	if (p->name_state)
		p->name_state(kvm->policy_state);
	return 0;
}

int kvm_config_check(const struct kvm_config *cfg, char *why, size_t len)
{
	uint64_t frames = hostmem_frames_needed(cfg->nr_gfns, cfg->max_huge_level);

	if (cfg->nr_memslots < 1 ||
	    (uint64_t)cfg->nr_memslots + cfg->memslot_moves > cfg->nr_gfns) {
		snprintf(why, len, "%d memslots%s cannot share %llu gfns", cfg->nr_memslots,
			 cfg->memslot_moves ? " and the spare gfns a move needs" : "",
			 (unsigned long long)cfg->nr_gfns);
		return -1;
	}
	if (frames > SPTE_MAX_PFN) {
		snprintf(why, len,
			 "%llu gfns need %llu host frames with %s pages, more than an "
			 "SPTE's pfn field holds (%llu)",
			 (unsigned long long)cfg->nr_gfns, (unsigned long long)frames,
			 cfg->max_huge_level > PG_LEVEL_4K ? "huge" : "4K",
			 (unsigned long long)SPTE_MAX_PFN);
		return -1;
	}
	if (cfg->nr_roots > KVM_MAX_ROOTS) {
		snprintf(why, len, "%d roots, at most %d", cfg->nr_roots, KVM_MAX_ROOTS);
		return -1;
	}
	return 0;
}

bool kvm_can_map_huge(const struct kvm_config *cfg)
{
	uint64_t first_slot = cfg->nr_gfns / (uint64_t)(cfg->nr_memslots ? cfg->nr_memslots : 1);

	/* Slot 0 starts at hva 0, aligned for any block: if one fits in it, a
	 * THP can back a huge leaf there. */
	return cfg->max_huge_level > PG_LEVEL_4K &&
	       first_slot >= pages_per_level(cfg->max_huge_level);
}

/* arm64: the broadcast TLBIs' log, and the caches of every host frame
 * (the host writes a frame when it faults it in: hostmem tells the cache). */
static int arm64_state_create(struct kvm *kvm, const struct kvm_config *cfg)
{
	/* Zeroed: a create that fails half-way is torn down by kvm_destroy(),
	 * and a zeroed mutex and cache model destroy safely. */
	kvm->tlbi = calloc(1, sizeof(*kvm->tlbi));
	kvm->cache = calloc(1, sizeof(*kvm->cache));
	if (!kvm->tlbi || !kvm->cache || tlbi_log_init(kvm->tlbi) ||
	    cache_init(kvm->cache, hostmem_frames_needed(cfg->nr_gfns, cfg->max_huge_level),
		       cfg->cpu))
		return -1;
	kvm->mem.cache = kvm->cache;
	return 0;
}

static void arm64_state_destroy(struct kvm *kvm)
{
	if (kvm->tlbi)
		tlbi_log_destroy(kvm->tlbi);
	if (kvm->cache)
		cache_destroy(kvm->cache);
	free(kvm->tlbi);
	free(kvm->cache);
	kvm->tlbi = NULL;
	kvm->cache = NULL;
}

int kvm_create(struct kvm *kvm, const struct kvm_config *cfg)
{
	pthread_rwlockattr_t attr;

	memset(kvm, 0, sizeof(*kvm));
	kvm->cfg = *cfg;
	/* Timelines and dumps print the model's names for its events. */
	trace_set_vocabulary(trace_event_names, NR_TRACE_EVENTS);
	/* The kernel's rwlock_t is a queued lock: waiting writers are not
	 * starved by a stream of readers. glibc's default would starve them. */
	pthread_rwlockattr_init(&attr);
	pthread_rwlockattr_setkind_np(&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
	pthread_rwlock_init(&kvm->mmu_lock, &attr);
	sleeplock_init(&kvm->gmem_file_lock, "the guest_memfd's filemap_invalidate_lock");
	pthread_rwlockattr_destroy(&attr);
	atomic_init(&kvm->mmu_invalidate_range_start, INVALID_GFN);
	atomic_init(&kvm->mmu_invalidate_range_end, INVALID_GFN);
	kvm->arch = cfg->arch;
	kvm->policy = cfg->policy;
	kvm->nr_roots = cfg->nr_roots ? cfg->nr_roots : 1;
	HARNESS_ASSERT(kvm->nr_roots <= KVM_MAX_ROOTS, "%d roots", kvm->nr_roots);
	for (int i = 0; i < kvm->nr_roots; i++)
		kvm->roots[i] = spt_alloc_table();
	kvm->root = kvm->roots[0];
	if (kvm_memslots_init(kvm) || hostmem_init_for(kvm, cfg))
		return -1;
	kvm->vcpus = calloc((size_t)cfg->nr_vcpus, sizeof(struct kvm_vcpu *));
	if (!kvm->vcpus)
		return -1;
	kvm->nr_vcpus = cfg->nr_vcpus;
	for (int i = 0; i < cfg->nr_vcpus; i++) {
		struct kvm_vcpu *v = aligned_alloc(64, sizeof(*v));

		if (!v)
			return -1;
		memset(v, 0, sizeof(*v));
		v->vcpu_id = i;
		v->kvm = kvm;
		v->root = kvm->roots[i % kvm->nr_roots];
		pthread_mutex_init(&v->range_lock, NULL);
		if (tlb_init(&v->tlb, cfg->tlb_entries, cfg->tlb_huge))
			return -1;
		kvm->vcpus[i] = v;
	}
	name_shared_variables(kvm);
	if (policy_state_create(kvm))
		return -1;
	if (cfg->log_policy && kvm_dirty_tracking_create(kvm))
		return -1;
	if (cfg->memslot_changes && !(kvm->slot_rights = slot_rights_create(cfg->nr_gfns)))
		return -1;
	if (cfg->arch && cfg->arch->broadcast_tlbi && arm64_state_create(kvm, cfg))
		return -1;
	return 0;
}

void kvm_destroy(struct kvm *kvm)
{
	/* Callbacks still queued count into the threads that retired their
	 * tables, which outlive the VM only this far. */
	spt_rcu_barrier();
	kvm_free_retired_tables(kvm);
	kvm_dirty_tracking_destroy(kvm);
	slot_rights_destroy(kvm->slot_rights);
	kvm->slot_rights = NULL;
	arm64_state_destroy(kvm);
	for (int i = 0; kvm->vcpus && i < kvm->nr_vcpus; i++) {
		if (!kvm->vcpus[i])
			continue;
		tlb_destroy(&kvm->vcpus[i]->tlb);
		pthread_mutex_destroy(&kvm->vcpus[i]->range_lock);
		free(kvm->vcpus[i]);
	}
	free(kvm->vcpus);
	for (int i = 0; i < kvm->nr_roots; i++)
		if (kvm->roots[i])
			spt_free_tree(kvm->roots[i], SPTE_ROOT_LEVEL);
	kvm_memslots_destroy(kvm);
	free(kvm->policy_state);
	hostmem_destroy(&kvm->mem);
	pthread_rwlock_destroy(&kvm->mmu_lock);
	sleeplock_destroy(&kvm->gmem_file_lock);
}
