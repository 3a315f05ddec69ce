// SPDX-License-Identifier: GPL-2.0
#include "hostmem.h"

#include <stdlib.h>
#include <string.h>

#include "../engine/bitops.h"
#include "../engine/check.h"
#include "../engine/sched.h"
#include "../engine/shared.h"
#include "../engine/thread.h"
#include "counter_ids.h"
#include "../oracle/oracle.h"
#include "trace_events.h"

/* Twice as many frames as pages: a freed frame goes to the back of the
 * free list and is reused only after others, like a real allocator under
 * churn, and allocation never fails. */
static uint64_t small_frames(uint64_t nr_pages)
{
	return 2 * nr_pages + 1;
}

/* The huge pool starts at the first block-aligned pfn past the 4K frames,
 * and holds twice the hva blocks (plus two), for the same reason. */
static uint64_t huge_base(uint64_t nr_frames, uint64_t pages)
{
	return (nr_frames + pages - 1) / pages * pages;
}

static uint64_t huge_blocks(uint64_t nr_pages, uint64_t pages)
{
	return 2 * (nr_pages / pages) + 2;
}

uint64_t hostmem_frames_needed(uint64_t nr_pages, int huge_level)
{
	uint64_t frames = small_frames(nr_pages), pages;

	if (huge_level <= PG_LEVEL_4K)
		return frames;
	pages = pages_per_level(huge_level);
	return huge_base(frames, pages) + huge_blocks(nr_pages, pages) * pages;
}

int hostmem_init(struct hostmem *hm, uint64_t nr_pages)
{
	hm->nr_pages = nr_pages;
	hm->nr_frames = small_frames(nr_pages);
	HARNESS_ASSERT(hm->nr_frames <= SPTE_MAX_PFN, "%llu frames exceed the SPTE pfn field",
		       (unsigned long long)hm->nr_frames);
	hm->frame_gen = calloc(hm->nr_frames, sizeof(*hm->frame_gen));
	hm->hva_content = calloc(nr_pages, sizeof(*hm->hva_content));
	hm->hva_pfn = calloc(nr_pages, sizeof(*hm->hva_pfn));
	hm->free_list = calloc(hm->nr_frames, sizeof(*hm->free_list));
	if (!hm->frame_gen || !hm->hva_content || !hm->hva_pfn || !hm->free_list)
		return -1;
	/* Never-used frames come first, in pfn order, then freed ones, oldest
	 * first: the ring holds only freed frames, so a large VM's free list
	 * costs memory only as frames churn. */
	hm->next_fresh = 1;
	hm->nr_free = 0;
	pthread_mutex_init(&hm->free_lock, NULL);
	return 0;
}

void hostmem_destroy(struct hostmem *hm)
{
	if (hm->huge_pages)
		pthread_mutex_destroy(&hm->map_lock);
	free((void *)hm->thp);
	free(hm->hva_backed);
	free(hm->block_free);
	free(hm->block_fifo);
	free((void *)hm->frame_gen);
	free((void *)hm->hva_content);
	free((void *)hm->hva_pfn);
	free(hm->free_list);
	pthread_mutex_destroy(&hm->free_lock);
}

/* The host fills frames it maps for an hva (zeroes them, or swaps the
 * page's data back in) through its cacheable mapping. */
static void frames_filled(struct hostmem *hm, kvm_pfn_t pfn, uint64_t n)
{
	if (hm->cache)
		for (uint64_t i = 0; i < n; i++)
			cache_host_wrote(hm->cache, pfn + i);
}

static kvm_pfn_t alloc_frame(struct hostmem *hm)
{
	kvm_pfn_t pfn;

	pthread_mutex_lock(&hm->free_lock);
	if (hm->next_fresh < hm->nr_frames) {
		pfn = hm->next_fresh++;
	} else {
		HARNESS_ASSERT(hm->nr_free > 0, "host frame pool exhausted");
		pfn = hm->free_list[hm->free_head];
		hm->free_head = (hm->free_head + 1) % (hm->nr_frames - 1);
		hm->nr_free--;
	}
	pthread_mutex_unlock(&hm->free_lock);
	return pfn;
}

static void release_frame(struct hostmem *hm, kvm_pfn_t pfn)
{
	pthread_mutex_lock(&hm->free_lock);
	hm->free_list[(hm->free_head + hm->nr_free) % (hm->nr_frames - 1)] = pfn;
	hm->nr_free++;
	pthread_mutex_unlock(&hm->free_lock);
}

/* realloc an array from n to m elements, the new ones zeroed. */
static int grow_zeroed(void **array, size_t size, uint64_t n, uint64_t m)
{
	char *a = realloc(*array, m * size);

	if (!a)
		return -1;
	memset(a + n * size, 0, (m - n) * size);
	*array = a;
	return 0;
}

int hostmem_enable_huge(struct hostmem *hm, int level, const struct hostmem_notifier *n)
{
	uint64_t pages = pages_per_level(level), hva_blocks = hm->nr_pages / pages;
	uint64_t nr_all;

	hm->huge_level = level;
	hm->huge_base = huge_base(hm->nr_frames, pages);
	/* A block freed while its hva block is faulted in again is reused
	 * only later. */
	hm->nr_blocks = huge_blocks(hm->nr_pages, pages);
	nr_all = hostmem_frames_needed(hm->nr_pages, level);
	HARNESS_ASSERT(nr_all <= SPTE_MAX_PFN, "%llu frames exceed the SPTE pfn field",
		       (unsigned long long)nr_all);
	if (grow_zeroed((void **)&hm->frame_gen, sizeof(*hm->frame_gen), hm->nr_frames, nr_all))
		return -1;
	hm->thp = calloc(hva_blocks + 1, sizeof(*hm->thp));
	hm->hva_backed = calloc(hva_blocks + 1, sizeof(*hm->hva_backed));
	hm->block_free = calloc(hm->nr_blocks, sizeof(*hm->block_free));
	hm->block_fifo = calloc(hm->nr_blocks, sizeof(*hm->block_fifo));
	if (!hm->thp || !hm->hva_backed || !hm->block_free || !hm->block_fifo)
		return -1;
	for (uint64_t b = 0; b < hm->nr_blocks; b++) {
		hm->block_free[b] = (uint32_t)pages;
		hm->block_fifo[b] = b;
	}
	hm->nr_free_blocks = hm->nr_blocks;
	hm->notifier = *n;
	pthread_mutex_init(&hm->map_lock, NULL);
	hm->huge_pages = pages;
	return 0;
}

static bool is_huge_pool_frame(const struct hostmem *hm, kvm_pfn_t pfn)
{
	return hm->huge_pages && pfn >= hm->huge_base;
}

/* A wholly free pool block, or false; free_lock held. */
static bool pop_free_block(struct hostmem *hm, uint64_t *block)
{
	if (!hm->nr_free_blocks)
		return false;
	*block = hm->block_fifo[hm->block_head];
	hm->block_head = (hm->block_head + 1) % hm->nr_blocks;
	hm->nr_free_blocks--;
	return true;
}

/* One block of contiguous frames, all under one generation, or
 * HVA_NO_FRAME (the THP allocation fails and the fault takes a 4K page). */
static kvm_pfn_t alloc_huge_block(struct hostmem *hm)
{
	uint32_t gen = 0;
	uint64_t block;
	kvm_pfn_t base;
	bool got;

	pthread_mutex_lock(&hm->free_lock);
	got = pop_free_block(hm, &block);
	if (got)
		hm->block_free[block] = 0;
	pthread_mutex_unlock(&hm->free_lock);
	if (!got)
		return HVA_NO_FRAME;
	base = hm->huge_base + block * hm->huge_pages;
	/* One generation for the whole block, the highest any frame in it
	 * has reached: a huge SPTE carries one generation tag, valid for
	 * every frame it maps. Raising a free frame's generation is
	 * harmless: every translation made under an older one is stale
	 * already, since the frame was freed after it was made. */
	for (uint64_t i = 0; i < hm->huge_pages; i++) {
		uint32_t g = hostmem_frame_gen(hm, base + i);

		gen = g > gen ? g : gen;
	}
	for (uint64_t i = 0; i < hm->huge_pages; i++)
		shared_store_explicit(&hm->frame_gen[base + i], gen, memory_order_release);
	return base;
}

static void release_huge_frame(struct hostmem *hm, kvm_pfn_t pfn)
{
	uint64_t block = (pfn - hm->huge_base) / hm->huge_pages;

	pthread_mutex_lock(&hm->free_lock);
	if (++hm->block_free[block] == hm->huge_pages) {
		hm->block_fifo[(hm->block_head + hm->nr_free_blocks) % hm->nr_blocks] = block;
		hm->nr_free_blocks++;
	}
	pthread_mutex_unlock(&hm->free_lock);
}

/* do_huge_pmd_anonymous_page(): a THP for hva's whole block if no page of
 * it is backed yet and the block lies inside the mapping; map_lock held. */
static kvm_pfn_t try_fault_thp(struct hostmem *hm, uint64_t hva)
{
	uint64_t blk = hva / hm->huge_pages, first = blk * hm->huge_pages;
	kvm_pfn_t base;

	if (hm->hva_backed[blk] || first + hm->huge_pages > hm->nr_pages)
		return HVA_NO_FRAME;
	base = alloc_huge_block(hm);
	if (base == HVA_NO_FRAME)
		return HVA_NO_FRAME;
	frames_filled(hm, base, hm->huge_pages);
	/* Release: whoever reads a pfn from hva_pfn[] sees its generation. */
	for (uint64_t i = 0; i < hm->huge_pages; i++)
		shared_store_explicit(&hm->hva_pfn[first + i], base + i, memory_order_release);
	hm->hva_backed[blk] = (uint32_t)hm->huge_pages;
	shared_store_explicit(&hm->thp[blk], base, memory_order_release);
	return base + (hva - first);
}

/* get_user_pages() where THPs are on: the page table changes under
 * map_lock, so a THP fault and a 4K fault in one block never mix. */
static kvm_pfn_t get_page_thp(struct hostmem *hm, uint64_t hva)
{
	uint64_t blk = hva / hm->huge_pages;
	kvm_pfn_t pfn;

	pthread_mutex_lock(&hm->map_lock);
	pfn = shared_load_explicit(&hm->hva_pfn[hva], memory_order_relaxed);
	if (pfn == HVA_NO_FRAME)
		pfn = try_fault_thp(hm, hva);
	if (pfn == HVA_NO_FRAME) {
		pfn = alloc_frame(hm);
		frames_filled(hm, pfn, 1);
		shared_store_explicit(&hm->hva_pfn[hva], pfn, memory_order_release);
		hm->hva_backed[blk]++;
	}
	pthread_mutex_unlock(&hm->map_lock);
	return pfn;
}

int hostmem_mapping_level(struct hostmem *hm, uint64_t hva, kvm_pfn_t pfn)
{
	uint64_t blk, first;
	kvm_pfn_t base;

	if (!hm->huge_pages)
		return PG_LEVEL_4K;
	blk = hva / hm->huge_pages;
	first = blk * hm->huge_pages;
	base = shared_load_explicit(&hm->thp[blk], memory_order_acquire);
	return base != HVA_NO_FRAME && base + (hva - first) == pfn ? hm->huge_level : PG_LEVEL_4K;
}

/*
 * hva_to_pfn(): the fault path's read of the host page table. It goes
 * through the memory model, as the unmap's clear does (hostmem_unmap()), so
 * under --memory weak it may read the pfn the hva held just before an
 * unmap: what the smp_rmb() after the fault's mmu_invalidate_seq snapshot
 * forbids (kvm_mmu_invalidate_seq_read()). Acquire, so that the frame's
 * generation read next is no older than the pfn.
 */
struct page_ref hostmem_get_page(struct hostmem *hm, uint64_t hva)
{
	kvm_pfn_t pfn = smp_load_acquire(&hm->hva_pfn[hva]);

	if (pfn == HVA_NO_FRAME && hm->huge_pages)
		pfn = get_page_thp(hm, hva);

	if (pfn == HVA_NO_FRAME) {
		kvm_pfn_t want = alloc_frame(hm), expected = HVA_NO_FRAME;

		frames_filled(hm, want, 1);
		/* A racing fault may install a frame first: use theirs. */
		expected = cmpxchg(&hm->hva_pfn[hva], HVA_NO_FRAME, want);
		if (expected == HVA_NO_FRAME)
			pfn = want;
		else {
			release_frame(hm, want);
			pfn = expected;
		}
	}
	return (struct page_ref){ pfn, hostmem_frame_gen(hm, pfn) };
}

/*
 * __split_huge_pmd(): the notifier hears of the whole huge range, since
 * every translation of the THP as one page goes; the frames stay mapped,
 * now page by page. Only after that may part of the block be unmapped.
 */
static void split_thp(struct hostmem *hm, uint64_t blk)
{
	uint64_t first = blk * hm->huge_pages, last = first + hm->huge_pages;

	hm->notifier.invalidate_start(hm->notifier.arg, first, last);
	pthread_mutex_lock(&hm->map_lock);
	shared_store_explicit(&hm->thp[blk], HVA_NO_FRAME, memory_order_release);
	pthread_mutex_unlock(&hm->map_lock);
	hm->notifier.invalidate_end(hm->notifier.arg, first, last);
}

/* zap_pte_range() where THPs are on: a THP is split before any page of it
 * is unmapped. The split runs the notifier, which takes mmu_lock, so it
 * runs with map_lock dropped; a THP faulted in meanwhile is split again. */
static kvm_pfn_t unmap_thp_aware(struct hostmem *hm, uint64_t hva)
{
	uint64_t blk = hva / hm->huge_pages;
	kvm_pfn_t pfn;

	for (;;) {
		pthread_mutex_lock(&hm->map_lock);
		if (shared_load_explicit(&hm->thp[blk], memory_order_relaxed) == HVA_NO_FRAME)
			break;
		pthread_mutex_unlock(&hm->map_lock);
		split_thp(hm, blk);
	}
	pfn = shared_exchange(&hm->hva_pfn[hva], HVA_NO_FRAME);
	if (pfn != HVA_NO_FRAME)
		hm->hva_backed[blk]--;
	pthread_mutex_unlock(&hm->map_lock);
	return pfn;
}

kvm_pfn_t hostmem_unmap(struct hostmem *hm, uint64_t hva)
{
	/* An hva past the mapping is a caller's bug: unchecked, it wrote
	 * past hva_pfn[] and hva_backed[]. */
	HARNESS_ASSERT(hva < hm->nr_pages, "unmap of hva page %llu, past the %llu mapped",
		       (unsigned long long)hva, (unsigned long long)hm->nr_pages);
	if (hm->huge_pages)
		return unmap_thp_aware(hm, hva);
	/* ptep_get_and_clear(): through the memory model, as the fault's
	 * read of it is. */
	return xchg(&hm->hva_pfn[hva], HVA_NO_FRAME);
}

void hostmem_free_frame(struct hostmem *hm, kvm_pfn_t pfn)
{
	if (hm->cache && hm->read_back_judge)
		oracle_check_read_back(hm->read_back_judge, hm->cache, pfn);
	/* Release: a vCPU that sees the new generation also sees everything
	 * the freeing thread did before (the notifier's flush). */
	shared_fetch_add_explicit(&hm->frame_gen[pfn], 1, memory_order_release);
	trace(TR_FRAME_FREE, TRACE_NO_GFN, pfn);
	count(CNT_FRAMES_FREED, 1);
	if (is_huge_pool_frame(hm, pfn))
		release_huge_frame(hm, pfn);
	else
		release_frame(hm, pfn);
}

uint64_t hostmem_huge_blocks(const struct hostmem *hm)
{
	return hm->huge_pages ? hm->nr_pages / hm->huge_pages : 0;
}

/* hpage_collapse_scan_pmd()'s verdict, roughly: small pages to collapse,
 * and no THP there already. map_lock held. */
static bool block_collapsible(struct hostmem *hm, uint64_t blk)
{
	return (blk + 1) * hm->huge_pages <= hm->nr_pages &&
	       shared_load_explicit(&hm->thp[blk], memory_order_relaxed) == HVA_NO_FRAME &&
	       hm->hva_backed[blk];
}

/* A pool block allocated for a collapse that lost its race: wholly free
 * again, never mapped. */
static void release_huge_block(struct hostmem *hm, kvm_pfn_t base)
{
	for (uint64_t i = 0; i < hm->huge_pages; i++)
		release_huge_frame(hm, base + i);
}

/*
 * The switch of the host page table, map_lock held: every page of the
 * block gets its frame in the new THP (the data is the hva's and goes with
 * it: __collapse_huge_page_copy(); a page that had none is filled, as a
 * none PTE within max_ptes_none is), and the frames it replaces are
 * returned in old[] to be freed later. Returns how many.
 */
static uint64_t switch_to_thp(struct hostmem *hm, uint64_t blk, kvm_pfn_t base, kvm_pfn_t *old)
{
	uint64_t first = blk * hm->huge_pages, n = 0;

	frames_filled(hm, base, hm->huge_pages);
	/* Release: whoever reads a pfn from hva_pfn[] sees its generation. */
	for (uint64_t i = 0; i < hm->huge_pages; i++) {
		kvm_pfn_t was = shared_exchange_explicit(&hm->hva_pfn[first + i], base + i,
							 memory_order_acq_rel);

		if (was != HVA_NO_FRAME)
			old[n++] = was;
	}
	hm->hva_backed[blk] = (uint32_t)hm->huge_pages;
	shared_store_explicit(&hm->thp[blk], base, memory_order_release);
	return n;
}

/*
 * collapse_huge_page(): allocate the THP, then
 * mmu_notifier_invalidate_range_start() over the block's range, switch the
 * page table (pmdp_collapse_flush() and set_pmd_at(), here under
 * map_lock), mmu_notifier_invalidate_range_end(); the small pages are
 * freed after that, as __collapse_huge_page_copy() frees them once the
 * secondary MMUs have dropped every translation of them. The notifier
 * takes mmu_lock, so it runs with map_lock dropped, and the block is
 * checked again under it: an unmap or a fault may have changed it.
 */
bool hostmem_collapse_thp(struct hostmem *hm, uint64_t blk)
{
	uint64_t first = blk * hm->huge_pages, last = first + hm->huge_pages, n = 0;
	kvm_pfn_t base, *old;
	bool collapsible;

	pthread_mutex_lock(&hm->map_lock);
	collapsible = hm->huge_pages && block_collapsible(hm, blk);
	pthread_mutex_unlock(&hm->map_lock);
	if (!collapsible)
		return false;
	base = alloc_huge_block(hm);
	if (base == HVA_NO_FRAME)
		return false;
	old = malloc(hm->huge_pages * sizeof(*old));
	HARNESS_NEED(old, "memory", "the small frames of a THP collapse");
	hm->notifier.invalidate_start(hm->notifier.arg, first, last);
	pthread_mutex_lock(&hm->map_lock);
	collapsible = block_collapsible(hm, blk);
	if (collapsible)
		n = switch_to_thp(hm, blk, base, old);
	pthread_mutex_unlock(&hm->map_lock);
	hm->notifier.invalidate_end(hm->notifier.arg, first, last);
	if (!collapsible)
		release_huge_block(hm, base);
	for (uint64_t i = 0; i < n; i++)
		hostmem_free_frame(hm, old[i]);
	free(old);
	if (collapsible)
		count(CNT_THP_COLLAPSES, 1);
	return collapsible;
}
