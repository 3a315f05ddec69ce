/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The shared MMU model: struct kvm and struct kvm_vcpu, memslots, the SPTE
 * tables, mmu_lock and the mmu_invalidate_* protocol the fault path retries
 * on. Names follow upstream (include/linux/kvm_host.h, virt/kvm/kvm_main.c)
 * so a variant can be compared with the patch it comes from line by line.
 *
 * This file knows nothing of scenarios: a scenario picks the arch ops and
 * the deferred-flush policy, and the model calls them.
 */
#ifndef LOSTFLUSH_MMU_H
#define LOSTFLUSH_MMU_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "../engine/bitops.h"
#include "counter_ids.h"
#include "cache.h"
#include "dirty_log_mode.h"
#include "hostmem.h"
#include "sleeplock.h"
#include "spte.h"
#include "tlb.h"
#include "trace_events.h"

struct mmu_arch_ops;
struct flush_policy;
struct walk_policy;
struct dirty_log;
struct dirty_log_policy;
struct request_policy;
struct write_track_policy;
struct write_track;
struct write_rights;
struct slot_rights;
struct tlbi_log;
struct cache_model;
struct stage2_policy;

enum vcpu_mode {
	OUTSIDE_GUEST_MODE,
	IN_GUEST_MODE,
	EXITING_GUEST_MODE,
	READING_SHADOW_PAGE_TABLES,
};

/* Request bits (vcpu->requests). */
enum {
	KVM_REQ_TLB_FLUSH = 0,
	KVM_REQ_TLB_FLUSH_RANGE = 1, /* the model's broadcast range invalidation */
};

#define VCPU_MAX_PENDING_RANGES 8

struct gfn_range {
	gfn_t start;
	uint64_t nr;
};

struct kvm_vcpu {
	/* Written by other threads: kept on their own line. */
	_Atomic int mode __attribute__((aligned(64)));
	atomic_bitmap requests;
	_Atomic uint64_t exits; /* bumped at each exit from guest mode: the kick's ack */

	/* arm64's broadcast TLBIs (model/tlbi.h): the last one applied to
	 * this TLB, and whether a guest access is in flight. */
	_Atomic uint64_t tlbi_seen;
	_Atomic bool tlbi_in_access;

	/* Pending range invalidations, drained by KVM_REQ_TLB_FLUSH_RANGE. */
	pthread_mutex_t range_lock __attribute__((aligned(64)));
	struct gfn_range ranges[VCPU_MAX_PENDING_RANGES];
	int nr_ranges;
	bool ranges_overflowed; /* too many: flush everything instead */

	int vcpu_id;
	struct kvm *kvm;
	/* The fault path performed the faulting write itself (a tracked gfn):
	 * the guest's access is done, not retried. Only this vCPU's thread. */
	bool write_emulated;
	/* The access hit no memslot: KVM emulated it as MMIO, with no
	 * memory behind it (kvm_handle_noslot_fault()). Only its thread. */
	bool mmio_emulated;
	/* arm64: the fault being handled is an instruction fetch's (set by
	 * the vCPU before it calls the fault path; only its thread). */
	bool fault_exec;
	/* x86: the read fault's pfn lookup returned the page read-only
	 * (hva_to_pfn(): a read fault asks for write access too, and
	 * fast GUP's promotion may fail, e.g. while the primary PTE's
	 * Accessed bit changes). Set by the vCPU; only its thread. */
	bool fault_pfn_read_only;
	/* Gfns PML has logged since the vCPU last entered the guest (only its
	 * thread): with the ring, a full PML buffer exits (dirty_log.h). */
	uint32_t pml_marks;
	/* The root this vCPU's "hardware" walks: with several roots (the TDP
	 * MMU's L1 root and nested TDP shadow roots) vCPU i uses root
	 * i % nr_roots. */
	struct spt_table *root;
	struct tlb tlb; /* touched only by this vCPU's thread */
};

struct kvm_memory_slot {
	int id;
	gfn_t base_gfn;
	uint64_t npages;
	uint64_t hva_base; /* host page number of base_gfn */
	uint32_t flags;	   /* KVM_MEMSLOT_INVALID while it is being deleted */
	/* Backed by a guest_memfd (model/guest_memfd.h): no host mapping,
	 * so the MMU notifier never covers it; hva_base is its file offset. */
	bool gmem;
};

struct spt_table {
	_Atomic uint64_t spte[SPTE_ENT_PER_PAGE];
};

/*
 * What handle_removed_pt() leaves in every SPTE of a table it took out of
 * the tree (upstream FROZEN_SPTE, once REMOVED_SPTE): not present, so a
 * walker still inside the table finds nothing, and not 0, so a racing
 * fault's cmpxchg(0, leaf) fails instead of installing a leaf into a table
 * no walk will ever reach again.
 */
#define SPTE_FROZEN 0x5a0ULL

struct spt_page;

enum mmu_lock_mode {
	MMU_LOCK_WRITE,
	MMU_LOCK_READ,
};

struct kvm_config {
	uint64_t nr_gfns;
	int nr_memslots;
	int nr_vcpus;
	uint32_t tlb_entries;
	enum tlb_huge_mode tlb_huge;
	bool arch_range_flush; /* false: the arch range flush says -EOPNOTSUPP */
	int nr_roots;	       /* page-table roots, 1..KVM_MAX_ROOTS (0: 1) */
	/* The largest leaf a fault may map where host memory and the memslot
	 * allow (0 or PG_LEVEL_4K: 4K only). */
	int max_huge_level;
	enum dirty_log_mode log_mode; /* how the dirty-log reaper harvests */
	/* LOG_RING: userspace collects the rings on one thread and calls
	 * KVM_RESET_DIRTY_RINGS on another (two reapers). */
	bool ring_reset_apart;
	/* EPT Accessed/Dirty bits: the hardware sets A on a walk and D on
	 * the first write through a TLB entry, aging clears A, and dirty
	 * logging is PML's (clear D; the hardware logs the gfn when it sets
	 * D again). Without them: access tracking and write-protection. */
	bool ad_bits;
	/* Non-NULL: the VM has dirty logging and write-tracking (a vCPU's
	 * write fault consults both), with these harvest choices
	 * (model/dirty_log.h); write-tracking's flush choices are its own
	 * (model/write_track.h; NULL: upstream's). */
	const struct dirty_log_policy *log_policy;
	const struct write_track_policy *track_policy;
	/* The request/entry Dekker pair's halves (model/request.h; NULL:
	 * upstream's). */
	const struct request_policy *request_policy;
	/* The MMU flavour and the flush policies the VM runs: the remote
	 * flushes' (model/flush.h) and its walks' (model/walk_policy.h; NULL:
	 * the arch's upstream one). */
	const struct mmu_arch_ops *arch;
	const struct flush_policy *policy;
	const struct walk_policy *walk;
	/* arm64: the stage-2 fault path's order (model/stage2_policy.h;
	 * NULL: upstream's) and the CPU's cache features (model/cache.h). */
	const struct stage2_policy *stage2;
	struct cpu_features cpu;
	/* Every memslot is backed by a guest_memfd, and how its hole punch
	 * orders its steps (model/guest_memfd.h; NULL: 6.18's). */
	bool gmem;
	const struct gmem_policy *gmem_policy;
	/* How a memslot delete and the fault path treat a slot going away
	 * (model/memslots.h; NULL: 6.18's). */
	const struct memslot_policy *memslot_policy;
	/* A memslots worker deletes and creates slots while the VM runs. */
	bool memslot_changes;
	/* ... and moves the last slot: the slots leave the gfns above it
	 * free for it, as many as it has (model/memslots.h). */
	bool memslot_moves;
};

#define KVM_MAX_ROOTS 4

/* Values of --range-flush (0: the scenario's choice). */
enum { RANGE_FLUSH_WORKS = 1, RANGE_FLUSH_UNSUPPORTED = 2 };

struct kvm {
	pthread_rwlock_t mmu_lock;
	/* mmu_lock under a controlled scheduler, where one thread runs at a
	 * time and a waiter is a predicate (engine/ctl.h), not a sleeper. */
	int ctl_readers;
	bool ctl_writer;

	/* The invalidation protocol (kvm_mmu_invalidate_begin/end). Written
	 * under mmu_lock held for write; the fault path reads the sequence
	 * before taking the lock, so all are atomics. */
	_Atomic unsigned long mmu_invalidate_seq __attribute__((aligned(64)));
	_Atomic long mmu_invalidate_in_progress;
	_Atomic gfn_t mmu_invalidate_range_start;
	_Atomic gfn_t mmu_invalidate_range_end;

	struct spt_table *root; /* roots[0]: the only one a shadow MMU has */
	struct spt_table *roots[KVM_MAX_ROOTS];
	int nr_roots;
	/* The active memslot set (model/memslots.h), read inside kvm->srcu;
	 * slot ids 0 .. nr_memslots - 1. */
	struct kvm_memslots *_Atomic memslots;
	int nr_memslots;
	/* Where the last slot moves to (memslot_moves; 0 pages: nowhere):
	 * gfns no slot holds at the start, laid out over its memory. */
	gfn_t move_base;
	uint64_t move_pages;
	struct sleeplock slots_lock;
	/* Freed sets, poisoned, oldest first (model/memslots.c). */
	struct kvm_memslots **freed_sets;
	int freed_oldest, nr_freed_sets;
	/* kvm->srcu under a controlled scheduler (model/srcu.c). */
	int ctl_srcu_idx;
	long ctl_srcu_readers[2];
	/* MMU-notifier invalidations between range_start() and range_end():
	 * a memslot swap waits for none (model/memslots.h). */
	pthread_mutex_t mn_invalidate_lock;
	pthread_cond_t mn_memslots_update;
	long mn_active_invalidate_count;
	struct hostmem mem;
	struct kvm_vcpu **vcpus;
	int nr_vcpus;

	/* Dirty logging and write-tracking state (model/dirty_log.h,
	 * model/write_track.h); NULL where the scenario uses neither. */
	struct dirty_log *dirty_log;
	struct write_track *track;
	struct write_rights *rights; /* the oracle's books on write rights */
	/* ... and on reaching gfns through their memslots, where memslots
	 * change (NULL elsewhere). */
	struct slot_rights *slot_rights;
	/* arm64: the broadcast TLBIs' log (model/tlbi.h) and the caches the
	 * fault path maintains (model/cache.h); NULL on x86. */
	struct tlbi_log *tlbi;
	struct cache_model *cache;

	/* Page tables taken out of the tree (model/mmu.c, "Retired page
	 * tables"): under a controlled scheduler, kept here until the
	 * execution ends (free mode hands them to call_rcu()). */
	struct spt_page *retired;

	/* The guest_memfd's filemap_invalidate_lock (model/guest_memfd.c). */
	struct sleeplock gmem_file_lock;

	struct kvm_config cfg;
	const struct mmu_arch_ops *arch;
	const struct flush_policy *policy;
	/* The flush policy's own state (flush_policy.state_size bytes), or
	 * NULL: what a variant keeps, the model does not know. */
	void *policy_state;
};

#define INVALID_GFN UINT64_MAX

int kvm_create(struct kvm *kvm, const struct kvm_config *cfg);
/* 0 if kvm_create() can build this VM; else -1, *why saying what does not
 * fit (the pfns of its host frames, its memslots). Allocates nothing. */
int kvm_config_check(const struct kvm_config *cfg, char *why, size_t len);
/* Whether a VM so configured can have a huge leaf at all: huge pages on,
 * and a memslot holding a whole huge page. */
bool kvm_can_map_huge(const struct kvm_config *cfg);
void kvm_destroy(struct kvm *kvm);
/* With cfg->log_policy: the dirty log, write-tracking and the oracle's
 * write-right books (model/dirty_log.c). Destroy is safe on any VM. */
int kvm_dirty_tracking_create(struct kvm *kvm);
void kvm_dirty_tracking_destroy(struct kvm *kvm);
/* Dirty logging is on, or gfn is write-tracked: map it at 4K only. */
bool kvm_dirty_tracking_wants_4k(struct kvm *kvm, gfn_t gfn);

/* Memslots. */
struct kvm_memory_slot *gfn_to_memslot(struct kvm *kvm, gfn_t gfn);
uint64_t gfn_to_hva(struct kvm *kvm, gfn_t gfn);

/* mmu_lock, with a schedule point on each side so lock hand-offs vary. */
void mmu_lock(struct kvm *kvm, enum mmu_lock_mode mode);
void mmu_unlock(struct kvm *kvm, enum mmu_lock_mode mode);

/* The invalidation protocol; begin/end need mmu_lock held for write. */
void kvm_mmu_invalidate_begin(struct kvm *kvm);
void kvm_mmu_invalidate_range_add(struct kvm *kvm, gfn_t start, gfn_t end);
void kvm_mmu_invalidate_end(struct kvm *kvm);
unsigned long kvm_mmu_invalidate_seq_read(struct kvm *kvm);
bool mmu_invalidate_retry(struct kvm *kvm, unsigned long mmu_seq);
bool mmu_invalidate_retry_gfn(struct kvm *kvm, unsigned long mmu_seq, gfn_t gfn);

/* SPTE tables. */
/* The leaf SPTE translating gfn and its level, walked without locks as the
 * hardware walks; 0 if none. */
uint64_t spt_walk(struct kvm *kvm, gfn_t gfn, int *level);
uint64_t spt_walk_root(struct spt_table *root, gfn_t gfn, int *level);
/* The slot of the SPTE for gfn at `level`, creating tables on the way
 * (installed by cmpxchg, so safe under a read-held mmu_lock). NULL if a huge
 * leaf above `level` is in the way. */
_Atomic uint64_t *spt_slot(struct kvm *kvm, gfn_t gfn, int level);
_Atomic uint64_t *spt_slot_root(struct spt_table *root, gfn_t gfn, int level);
/* Install a leaf; returns the SPTE it replaced. */
uint64_t spt_set_leaf(struct kvm *kvm, gfn_t gfn, int level, uint64_t spte);
uint64_t spt_set_leaf_root(struct spt_table *root, gfn_t gfn, int level, uint64_t spte);
/* Zap the leaf that translates gfn (of whatever level); returns the old
 * SPTE, 0 if there was none. */
uint64_t spt_zap_gfn(struct kvm *kvm, gfn_t gfn, int *level);
/* The leaf for gfn as spt_walk_root() finds it, read past the memory model:
 * for accounting only (is a TLB entry about to be dropped still current?),
 * so counting costs never change a controlled execution. */
uint64_t spt_peek_root(struct spt_table *root, gfn_t gfn, int *level);
uint64_t spt_zap_gfn_root(struct spt_table *root, gfn_t gfn, int *level);
/* The table a present non-leaf SPTE points to. */
struct spt_table *spt_child_table(uint64_t spte);
/* A new zeroed table, as the non-leaf SPTE that points to it (arm64's
 * walker makes it after a break; kvm_init_table_pte()). */
uint64_t spt_new_table_spte(void);

/*
 * Retired page tables, freed through liburcu (urcu-memb). A thread that
 * walks page tables without mmu_lock held for write registers with RCU;
 * spt_rcu_register_thread() is called by every free-mode worker, and a
 * thread that reads first without registering (a unit test's main thread)
 * is registered on its first read-side section. Under a controlled
 * scheduler read-side sections are empty and nothing goes to call_rcu():
 * see model/mmu.c.
 */
void spt_rcu_register_thread(void);
void spt_rcu_unregister_thread(void);
void spt_rcu_read_lock(void);
void spt_rcu_read_unlock(void);
/* Wait until every table handed to call_rcu() so far has been freed. */
void spt_rcu_barrier(void);
/*
 * A table no walk can reach any more: free it
 * once no walker can be inside. The caller has frozen its SPTEs and
 * flushed every TLB that may hold a translation through it, so that no
 * vCPU's hardware walk is still in it (the hardware walks under no RCU
 * read-side section; the flush's wait for guest exits is its grace
 * period). Software walkers are waited for by an RCU grace period.
 */
void spt_retire_table(struct kvm *kvm, struct spt_table *t);
/* free() at once, with no grace period and whatever flush is still to
 * come: only a buggy variant does this. */
void spt_free_table_now(struct spt_table *t);
/* Free what a controlled execution retired; every fiber has returned. */
void kvm_free_retired_tables(struct kvm *kvm);

/*
 * What every entry of a freed page table holds while it waits in the
 * quarantine (model/spt_quarantine.c): no real PTE is this value (bit 56
 * is in no field of one), and it is not present (bits 0 and 62 clear), so
 * a walker that misses the check below finds nothing rather than follows
 * a wild pointer. SLUB's POISON_FREE bytes, less those two bits.
 */
#define SPTE_POISON 0x2b6b6b6b6b6b6b6aULL
/* A software walker (or a vCPU's hardware walk) read pte from the entry
 * for gfn at level: true if the entry is a freed table's poison, and the
 * read is reported as walker-used-freed-table. The walker then gives up,
 * as it would on an entry a racing walker holds. */
bool spt_walked_freed_table(uint64_t pte, gfn_t gfn, int level);
/* Free every table the quarantine still holds. */
void spt_quarantine_drain(void);

#endif
