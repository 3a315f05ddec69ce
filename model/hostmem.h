/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host memory: the frames behind guest memory and the host page table that
 * maps host virtual pages (hva) to them.
 *
 * A frame has a generation, bumped each time it is freed: the oracle's epoch
 * for the right "map this frame": an SPTE or TLB entry made under generation
 * g may not be used once the frame's generation has moved past g.
 *
 * A page's data (a content word: what was last written to it) belongs to
 * the hva, not to the frame: when the host reclaims or migrates the frame
 * behind an hva (swap-out and back, NUMA balancing, compaction), the page
 * keeps its data in its next frame. Kept per frame, a page unmapped by the
 * notifier came back holding whatever the recycled frame last held, and a
 * dirty-log run with an invalidator saw pages change with no write.
 *
 * Frames are recycled through a free list, so a freed pfn soon backs another
 * page, as on a real host.
 *
 * Transparent huge pages (hostmem_enable_huge): the first touch of an hva
 * block that is wholly unbacked gets one block of contiguous, aligned frames
 * from a separate pool, as do_huge_pmd_anonymous_page() installs a THP, so a
 * huge SPTE's pfn + offset is the frame of every page in it. Unmapping part
 * of such a block splits it first (__split_huge_pmd(), which runs the MMU
 * notifier over the whole huge range) and then frees only the frames of the
 * unmapped pages, as munmap() or MADV_DONTNEED of part of a THP does.
 */
#ifndef LOSTFLUSH_HOSTMEM_H
#define LOSTFLUSH_HOSTMEM_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "cache.h"
#include "spte.h"
#include "../engine/shared.h"

#define HVA_NO_FRAME 0 /* hva_pfn[] entry of an unbacked page; pfns start at 1 */

struct oracle;

/* What the host mm tells its MMU notifier around a THP split. */
struct hostmem_notifier {
	void (*invalidate_start)(void *arg, uint64_t hva_start, uint64_t hva_end);
	void (*invalidate_end)(void *arg, uint64_t hva_start, uint64_t hva_end);
	void *arg;
};

struct hostmem {
	uint64_t nr_pages;	       /* host virtual pages (the memslots' backing) */
	uint64_t nr_frames;	       /* 4K-pool frames, including pfn 0 which is never used */
	_Atomic uint32_t *frame_gen;   /* per frame */
	_Atomic uint64_t *hva_content; /* per hva page: its data */
	_Atomic kvm_pfn_t *hva_pfn;    /* host "page table": hva page -> pfn */
	/* arm64: the caches the host's writes go through (model/cache.h):
	 * filling a frame for an hva is a write. NULL on x86. */
	struct cache_model *cache;
	/* arm64: judges the host's read-back of each frame it frees, through
	 * the cache (oracle_check_read_back()). NULL: not judged. */
	struct oracle *read_back_judge;
	pthread_mutex_t free_lock;
	kvm_pfn_t next_fresh; /* frames from here up were never allocated */
	kvm_pfn_t *free_list; /* FIFO ring of freed pfns, oldest first */
	uint64_t free_head;
	uint64_t nr_free;

	/* THP backing; huge_pages == 0 when it is off. Everything below but
	 * thp[] (read by the fault path to learn the mapping level) changes
	 * under map_lock, the model's page-table lock. */
	uint64_t huge_pages;	/* pages per huge block: 512 (2M) or 512^2 (1G) */
	int huge_level;		/* PG_LEVEL_2M or PG_LEVEL_1G */
	kvm_pfn_t huge_base;	/* first pfn of the block pool, block aligned */
	uint64_t nr_blocks;	/* blocks in the pool */
	_Atomic kvm_pfn_t *thp; /* per hva block: first pfn if mapped huge, else 0 */
	uint32_t *hva_backed;	/* per hva block: pages with a frame */
	uint32_t *block_free;	/* per pool block: frames free */
	uint64_t *block_fifo;	/* pool blocks wholly free, oldest first */
	uint64_t block_head, nr_free_blocks;
	pthread_mutex_t map_lock;
	struct hostmem_notifier notifier;
};

struct page_ref {
	kvm_pfn_t pfn;
	uint32_t gen;
};

int hostmem_init(struct hostmem *hm, uint64_t nr_pages);
/* The frames (pfns) a host of nr_pages needs, with huge pages of
 * huge_level or none (PG_LEVEL_4K): every pfn must fit an SPTE. */
uint64_t hostmem_frames_needed(uint64_t nr_pages, int huge_level);
void hostmem_destroy(struct hostmem *hm);

/* Back whole aligned hva blocks of pages_per_level(level) pages with huge
 * frames where possible; n tells the MMU notifier about splits. Call before
 * any page is touched. Returns -1 if out of memory. */
int hostmem_enable_huge(struct hostmem *hm, int level, const struct hostmem_notifier *n);
/* The level the host maps hva at if it maps it with frame pfn: the huge
 * level when hva's block is one THP holding pfn, else PG_LEVEL_4K
 * (host_pfn_mapping_level()). */
int hostmem_mapping_level(struct hostmem *hm, uint64_t hva, kvm_pfn_t pfn);

/* Fault the page at hva in if needed and return its frame (get_user_pages). */
struct page_ref hostmem_get_page(struct hostmem *hm, uint64_t hva);
/* Clear the host PTE for hva (the mm's unmap); returns the frame it held. */
kvm_pfn_t hostmem_unmap(struct hostmem *hm, uint64_t hva);
/* Free a frame: its generation moves on; every old translation is now stale.
 * The host reads its data back first (the page keeps it in its next frame:
 * pageout's write to swap, migration's copy), through the cache. */
void hostmem_free_frame(struct hostmem *hm, kvm_pfn_t pfn);
/*
 * khugepaged's collapse_huge_page() of hva block blk (THPs on): a new THP
 * backs the whole block, the MMU notifier hearing of the block's range
 * around the switch, and the small frames are freed once the invalidation
 * has ended. False if it did nothing: the block is a THP already, holds no
 * page, lies past the mapping, or the pool has no free block.
 */
bool hostmem_collapse_thp(struct hostmem *hm, uint64_t blk);
/* Whole hva blocks the mapping holds (0 with THPs off). */
uint64_t hostmem_huge_blocks(const struct hostmem *hm);

static inline uint32_t hostmem_frame_gen(struct hostmem *hm, kvm_pfn_t pfn)
{
	return shared_load_explicit(&hm->frame_gen[pfn], memory_order_acquire);
}

/* What was last written to the page at an hva, whichever frame backs it. */
static inline _Atomic uint64_t *hostmem_content(struct hostmem *hm, uint64_t hva)
{
	return &hm->hva_content[hva];
}

#endif
