// SPDX-License-Identifier: GPL-2.0
#include "cache.h"

#include <stdlib.h>

#include "../engine/check.h"
#include "../engine/shared.h"

struct cpu_features cpu_features_of(int bits)
{
	return (struct cpu_features){
		.fwb = bits & CPU_FEATURE_FWB,
		.dic = bits & CPU_FEATURE_DIC,
		.idc = bits & (CPU_FEATURE_IDC | CPU_FEATURE_FWB),
	};
}

int cpu_features_bits(struct cpu_features f)
{
	return (f.fwb ? CPU_FEATURE_FWB : 0) | (f.dic ? CPU_FEATURE_DIC : 0) |
	       (f.idc ? CPU_FEATURE_IDC : 0);
}

const char *cpu_features_name(int bits)
{
	static const char *const names[NR_CPU_FEATURE_SETS] = {
		"none", "idc", "dic", "dic,idc", "fwb", "fwb,idc", "fwb,dic", "fwb,dic,idc",
	};

	return bits >= 0 && bits < NR_CPU_FEATURE_SETS ? names[bits] : "?";
}

int cache_init(struct cache_model *c, uint64_t nr_frames, struct cpu_features features)
{
	c->frames = calloc(nr_frames, sizeof(*c->frames));
	c->nr_frames = nr_frames;
	c->features = features;
	atomic_init(&c->clock, 0);
	/* FWB makes the D-cache coherent for the guest's every access, so
	 * instruction coherency needs no clean either. */
	c->features.idc |= features.fwb;
	return c->frames ? 0 : -1;
}

void cache_destroy(struct cache_model *c)
{
	free(c->frames);
	c->frames = NULL;
}

static struct frame_cache *frame(const struct cache_model *c, kvm_pfn_t pfn)
{
	HARNESS_ASSERT(pfn < c->nr_frames, "cache of pfn %llu, past the %llu frames",
		       (unsigned long long)pfn, (unsigned long long)c->nr_frames);
	return &c->frames[pfn];
}

void cache_host_wrote(struct cache_model *c, kvm_pfn_t pfn)
{
	struct frame_cache *f = frame(c, pfn);

	uint32_t now = shared_fetch_add_explicit(&c->clock, 1, memory_order_acq_rel) + 1;

	shared_store_explicit(&f->host_version, now, memory_order_release);
	/* The host's new data is in the cache: what the guest wrote before
	 * is overwritten, not hidden. */
	shared_store_explicit(&f->nc_write_unseen, false, memory_order_release);
}

void cache_clean_inval_poc(struct cache_model *c, kvm_pfn_t pfn, uint64_t nr)
{
	for (uint64_t i = 0; i < nr; i++) {
		struct frame_cache *f = frame(c, pfn + i);

		shared_store_explicit(&f->poc_version,
				      shared_load_explicit(&f->host_version, memory_order_acquire),
				      memory_order_release);
		/* The invalidate drops every line: the next fill, however
		 * early, reads PoC, which holds the guest's writes. */
		shared_store_explicit(&f->nc_write_unseen, false, memory_order_release);
	}
}

void cache_guest_wrote(struct cache_model *c, kvm_pfn_t pfn, enum guest_access_kind kind,
		       int vcpu_id, gfn_t gfn)
{
	struct frame_cache *f = frame(c, pfn);
	/* FWB makes the guest's non-cacheable accesses cacheable. */
	bool unseen = kind == ACCESS_NONCACHEABLE && !c->features.fwb;

	if (unseen) {
		shared_store_explicit(&f->nc_writer, vcpu_id, memory_order_relaxed);
		shared_store_explicit(&f->nc_gfn, gfn, memory_order_relaxed);
	}
	shared_store_explicit(&f->nc_write_unseen, unseen, memory_order_release);
}

bool cache_read_back_fresh(struct cache_model *c, kvm_pfn_t pfn, int *writer, gfn_t *gfn)
{
	struct frame_cache *f = frame(c, pfn);

	if (!shared_exchange_explicit(&f->nc_write_unseen, false, memory_order_acq_rel))
		return true;
	*writer = shared_load_explicit(&f->nc_writer, memory_order_relaxed);
	*gfn = shared_load_explicit(&f->nc_gfn, memory_order_relaxed);
	return false;
}

/* What the Point of Unification holds: the D-cache's data with IDC (or
 * FWB), else only what was cleaned (a clean to PoC passes PoU). */
static uint32_t pou_version(const struct cache_model *c, const struct frame_cache *f)
{
	return shared_load_explicit(c->features.idc ? &f->host_version : &f->poc_version,
				    memory_order_acquire);
}

void cache_inval_icache_pou(struct cache_model *c, kvm_pfn_t pfn, uint64_t nr)
{
	for (uint64_t i = 0; i < nr; i++) {
		struct frame_cache *f = frame(c, pfn + i);

		shared_store_explicit(&f->icache_version, pou_version(c, f), memory_order_release);
	}
}

bool cache_access_fresh(const struct cache_model *c, kvm_pfn_t pfn, enum guest_access_kind kind,
			uint32_t *seen, uint32_t *latest)
{
	const struct frame_cache *f = frame(c, pfn);

	*latest = shared_load_explicit(&f->host_version, memory_order_acquire);
	switch (kind) {
	case ACCESS_CACHEABLE: *seen = *latest; break;
	case ACCESS_NONCACHEABLE:
		*seen = c->features.fwb
				? *latest
				: shared_load_explicit(&f->poc_version, memory_order_acquire);
		break;
	case ACCESS_FETCH:
		/* With DIC the I-cache snoops: it holds what PoU holds. */
		*seen = c->features.dic
				? pou_version(c, f)
				: shared_load_explicit(&f->icache_version, memory_order_acquire);
		break;
	}
	return *seen == *latest;
}
