/* SPDX-License-Identifier: GPL-2.0 */
/*
 * arm64's caches as the stage-2 fault path must maintain them, per frame
 * and cheap enough for every guest access: the version of a frame's data
 * the host last wrote (through its cacheable mapping: the new data may sit
 * in the D-cache), the version visible at the Point of Coherency (what a
 * guest access through a non-cacheable stage-1 attribute reads), and the
 * version the I-cache may hold lines of: the one it was refilled from
 * after its last invalidation (what an instruction fetch reads).
 *
 * The fault path cleans and invalidates the D-cache to PoC before it makes
 * a cacheable PTE valid, and invalidates the I-cache to PoU before it makes
 * an executable one (stage2_map_walker_try_leaf(): mm_ops->
 * dcache_clean_inval_poc(), mm_ops->icache_inval_pou()). CPU features
 * spare them:
 *   FWB  stage 2 forces write-back: the guest's non-cacheable accesses are
 *        cacheable and see the host's data, no clean is needed
 *        (ARM64_HAS_STAGE2_FWB); it implies IDC.
 *   IDC  no D-cache clean to PoU is needed for instruction coherency
 *        (CTR_EL0.IDC).
 *   DIC  no I-cache invalidation to PoU is needed (CTR_EL0.DIC).
 *
 * The other direction (363ef89f8e9b): a guest writing with caches off puts
 * its data at PoC, behind any line the D-cache holds for the frame, and the
 * CPU may allocate such a line at any moment through the host's cacheable
 * linear map (a speculative fill holds PoC's data of that moment). The host
 * reads a frame back through the cache (pageout's write to swap through a
 * coherent device, migration's copy), so the unmap walker cleans and
 * invalidates the page to PoC once no guest can write it any more
 * (stage2_unmap_walker(): after the leaf's TLBI, unless FWB). The model
 * keeps the worst case: a guest's non-cacheable write stays unseen by the
 * cacheable view until a clean+invalidate to PoC follows it.
 */
#ifndef LOSTFLUSH_CACHE_H
#define LOSTFLUSH_CACHE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "spte.h"
#include "../engine/shared.h"

struct cpu_features {
	bool fwb, dic, idc;
};

/* A set of features as bits (--cpu-features takes one by its name). */
enum { CPU_FEATURE_IDC = 1, CPU_FEATURE_DIC = 2, CPU_FEATURE_FWB = 4, NR_CPU_FEATURE_SETS = 8 };
/* The sets (as a mask of 1 << set) that lack feature f: those a bug that
 * f hides can show under. */
#define CPU_FEATURE_SETS_WITHOUT(f)                                                      \
	((!(0 & (f)) << 0) | (!(1 & (f)) << 1) | (!(2 & (f)) << 2) | (!(3 & (f)) << 3) | \
	 (!(4 & (f)) << 4) | (!(5 & (f)) << 5) | (!(6 & (f)) << 6) | (!(7 & (f)) << 7))
/* The set's features; FWB brings IDC with it. */
struct cpu_features cpu_features_of(int bits);
int cpu_features_bits(struct cpu_features f);
/* "none", or its features, comma-separated, in fwb,dic,idc order. */
const char *cpu_features_name(int bits);

/* Versions are drawn from one clock per cache model, so a version says
 * when, not only how often: a TLB entry records the clock at its fill,
 * and a block entry can be judged for any page it covers. */
struct frame_cache {
	_Atomic uint32_t host_version;	 /* the clock at the frame's last host write */
	_Atomic uint32_t poc_version;	 /* host_version at the last clean to PoC */
	_Atomic uint32_t icache_version; /* what the PoU held at the last I-cache invalidation */
	/* A guest write with caches off since the last clean+invalidate to
	 * PoC (or newer write through the cache): a line may hide it from
	 * the host. Who wrote it, for the report. */
	_Atomic bool nc_write_unseen;
	_Atomic int nc_writer;
	_Atomic gfn_t nc_gfn;
};

struct cache_model {
	struct frame_cache *frames;
	uint64_t nr_frames;
	struct cpu_features features; /* fwb implies idc (cache_init) */
	_Atomic uint32_t clock;	      /* host writes so far */
};

/* The clock now: what a TLB fill records as its data version. */
static inline uint32_t cache_clock_now(struct cache_model *c)
{
	return shared_load_explicit(&c->clock, memory_order_acquire);
}

/* How the guest reaches a page. */
enum guest_access_kind {
	ACCESS_CACHEABLE,    /* a load or store through a cacheable stage-1 mapping */
	ACCESS_NONCACHEABLE, /* through a non-cacheable one (MMU off at boot) */
	ACCESS_FETCH,	     /* an instruction fetch */
};

int cache_init(struct cache_model *c, uint64_t nr_frames, struct cpu_features features);
void cache_destroy(struct cache_model *c);

/* The host wrote the frame through its cacheable mapping (a page faulted
 * in, swapped in, or copied by KVM): PoC and the I-cache may be older. */
void cache_host_wrote(struct cache_model *c, kvm_pfn_t pfn);
/* dcache_clean_inval_poc() over [pfn, pfn + nr). */
void cache_clean_inval_poc(struct cache_model *c, kvm_pfn_t pfn, uint64_t nr);
/* icache_inval_pou() over [pfn, pfn + nr). */
void cache_inval_icache_pou(struct cache_model *c, kvm_pfn_t pfn, uint64_t nr);

/* A guest write of that kind to the frame (by vCPU vcpu_id, at gfn): one
 * with caches off (FWB aside) is unseen by the host's cacheable view until
 * the next clean+invalidate; one through the cache supersedes it. */
void cache_guest_wrote(struct cache_model *c, kvm_pfn_t pfn, enum guest_access_kind kind,
		       int vcpu_id, gfn_t gfn);
/* The host reads the frame back through its cacheable mapping before it
 * frees it: false if a guest's non-cacheable write may be hidden from that
 * read (*writer and *gfn: whose, and where). The frame's data is then
 * read: nothing stays unseen. */
bool cache_read_back_fresh(struct cache_model *c, kvm_pfn_t pfn, int *writer, gfn_t *gfn);

/* Whether an access of that kind to the frame sees the host's latest data;
 * *seen and *latest: the versions it sees and the host wrote. */
bool cache_access_fresh(const struct cache_model *c, kvm_pfn_t pfn, enum guest_access_kind kind,
			uint32_t *seen, uint32_t *latest);

#endif
