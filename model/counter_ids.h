/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the model counts, per thread (engine/counters.h holds the slots):
 * the cost of a flush policy beside its safety. Every counter is a total.
 */
#ifndef LOSTFLUSH_COUNTER_IDS_H
#define LOSTFLUSH_COUNTER_IDS_H

#include "../engine/counters.h"

/* X(enum suffix, report name, one-line meaning); E: the engine's own. */
#define COUNTERS(X, E)                                                                           \
	X(ACCESSES, "accesses", "guest reads and writes performed")                              \
	X(TLB_HITS, "tlb_hits", "accesses served from a TLB entry")                              \
	X(TLB_FILLS, "tlb_fills", "TLB entries filled by a page walk")                           \
	X(TLB_DROPPED, "tlb_entries_dropped", "valid TLB entries dropped by flushes")            \
	X(TLB_OVERFLUSH, "tlb_overflush", "dropped entries whose translation was still current") \
	X(LOCAL_FLUSHES, "local_flushes", "single-entry flushes of a vCPU's own TLB")            \
	X(FAULTS, "faults", "exits to the page-fault path")                                      \
	X(FAULT_RETRIES, "fault_retries", "faults retried on mmu_invalidate_retry")              \
	X(EXITS, "guest_exits", "guest exits (kicks, faults, invlpg, time slice)")               \
	X(FLUSHES, "remote_flushes", "full remote TLB flushes (kvm_flush_remote_tlbs)")          \
	X(RANGE_FLUSHES, "range_flushes", "range flushes that succeeded")                        \
	X(RANGE_PAGES, "range_flush_pages", "pages covered by range flushes")                    \
	X(RANGE_EXCESS, "range_flush_excess_pages",                                              \
	  "pages range flushes covered beyond what was zapped")                                  \
	X(RANGE_FALLBACKS, "range_flush_fallbacks",                                              \
	  "range flushes that fell back to a full flush")                                        \
	X(REQUESTS, "requests", "vCPU requests made")                                            \
	X(KICKS, "kicks", "kicks that had to wait for a vCPU to leave guest mode")               \
	X(ZAPS, "spte_zaps", "leaf SPTEs zapped")                                                \
	X(INVLPGS, "invlpgs", "guest invlpg exits handled")                                      \
	X(DEFERRED_MARKS, "deferred_marks",                                                      \
	  "remote flushes deferred by marking remote TLBs dirty")                                \
	X(INVALIDATIONS, "invalidations", "MMU-notifier invalidations")                          \
	X(FRAMES_FREED, "frames_freed", "host frames freed after invalidation")                  \
	X(HUGE_MAPS, "huge_leaves_mapped", "2M/1G leaves installed by faults")                   \
	X(MMU_YIELDS, "mmu_lock_yields", "long walks that dropped mmu_lock to yield")            \
	X(TABLES_FREED, "page_tables_freed", "non-leaf page tables freed after a grace period")  \
	X(WP_FAULTS, "wrprot_faults", "write faults on write-protected SPTEs")                   \
	X(FAST_FAULTS, "fast_page_faults", "write access restored by the lockless fast path")    \
	X(SPURIOUS_FAULTS, "spurious_faults",                                                    \
	  "slow faults that found the SPTE already allowing the access")                         \
	X(FAULT_DOWNGRADES, "fault_mmu_writable_lost",                                           \
	  "fault installs that took MMU-writable away (6.13's WARN)")                            \
	X(HARVESTS, "dirty_log_harvests", "dirty-log harvests returned to userspace")            \
	X(DIRTY_REAPED, "dirty_pages_reaped", "dirty pages reported by harvests")                \
	X(TRACK_WRPROTS, "tracking_wrprots", "gfns write-protected for write-tracking")          \
	X(AGINGS, "agings", "clear_young / test_young calls on a gfn")                           \
	X(STALE_ACCESSED, "stale_accessed",                                                      \
	  "accesses through an entry whose Accessed bit was cleared (allowed)")                  \
	X(TLBI_IPA, "tlbi_ipa", "arm64 broadcast TLBIs by IPA and level")                        \
	X(TLBI_RANGE, "tlbi_range", "arm64 broadcast TLBIs by IPA range")                        \
	X(TLBI_VMID, "tlbi_vmid", "arm64 VMID-wide broadcast TLBIs")                             \
	X(S2_BREAKS, "s2_breaks", "stage-2 PTEs broken (break-before-make)")                     \
	X(S2_EAGAIN, "s2_eagain", "stage-2 faults that found the work done or locked (-EAGAIN)") \
	X(S2_SPLITS, "s2_splits", "stage-2 blocks split into tables")                            \
	X(S2_COLLAPSES, "s2_collapses", "stage-2 tables collapsed into blocks")                  \
	X(THP_COLLAPSES, "thp_collapses", "host THPs collapsed again from small pages")          \
	X(S2_REBREAKS, "s2_perm_rebreaks", "valid stage-2 leaves remade for permissions only")   \
	X(DCACHE_PAGES, "dcache_clean_pages", "pages cleaned and invalidated to PoC")            \
	X(ICACHE_PAGES, "icache_inval_pages", "pages invalidated in the I-cache to PoU")         \
	X(MEMSLOT_CHANGES, "memslot_changes", "memslots deleted, moved or created")              \
	X(VMID_DROPPED, "vmid_flush_dropped",                                                    \
	  "TLB entries VMID-wide TLBIs dropped (a nested guest's shadow stage 2 goes too)")      \
	X(GUEST_ITERATIONS, "guest_iterations", "iterations of the real guest's program")        \
	X(GUEST_WRITES_REFUSED, "guest_writes_refused",                                          \
	  "real guest writes a read-only host mapping refused (-EFAULT, or dropped as MMIO)")    \
	X(HOST_INVALIDATIONS, "host_invalidations",                                              \
	  "real guest ranges the host took away (mprotect, madvise, munmap)")                    \
	X(HOST_COMPACTIONS, "host_compactions", "host memory compactions under the real guest")  \
	X(HOST_PAGES_MIGRATED, "host_pages_migrated",                                            \
	  "pages the host migrated meanwhile, system-wide (/proc/vmstat)")                       \
	X(DIRTY_COLLECTED, "dirty_entries_handed_over",                                          \
	  "real dirty-ring pages a collector handed to the resetter")                            \
	X(RING_FULL_EXITS, "ring_full_exits", "real vCPU exits on a full dirty ring")            \
	X(PAGES_CHECKED, "pages_checked", "real guest pages compared with the migration's copy") \
	X(WRITES_VERIFIED, "writes_verified",                                                    \
	  "real guest writes the host found where it wrote them")                                \
	E(CNT_PERTURBATIONS, "perturbations", "schedule points that delayed or yielded")

enum counter_id {
#define COUNTER_ENUM(id, name, help) CNT_##id,
#define COUNTER_SKIP(id, name, help)
	COUNTERS(COUNTER_ENUM, COUNTER_SKIP)
#undef COUNTER_ENUM
		NR_MODEL_COUNTERS
};

_Static_assert(NR_MODEL_COUNTERS < CNT_PERTURBATIONS,
	       "the model's counters fit below the engine's slot (engine/counters.h)");

/* Every slot's report name; NULL for a slot no one counts in. Reports
 * list the named slots in order: the model's, then the engine's. */
extern const char *const counter_names[COUNTER_SLOTS];

#endif
