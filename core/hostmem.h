/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host memory: the frames behind guest memory and the host page table that
 * maps host virtual pages (hva) to them.
 *
 * A frame has a generation, bumped each time it is freed, and a content word
 * (what the guest last wrote to it). The generation is the oracle's epoch for
 * the right "map this frame": an SPTE or TLB entry made under generation g
 * may not be used once the frame's generation has moved past g.
 *
 * Frames are recycled through a free list, so a freed pfn soon backs another
 * page, as on a real host.
 */
#ifndef LOSTFLUSH_HOSTMEM_H
#define LOSTFLUSH_HOSTMEM_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "spte.h"

#define HVA_NO_FRAME 0 /* hva_pfn[] entry of an unbacked page; pfns start at 1 */

struct frame {
	_Atomic uint32_t gen;
	_Atomic uint64_t content;
};

struct hostmem {
	uint64_t nr_pages;   /* host virtual pages (the memslots' backing) */
	uint64_t nr_frames;  /* frames, including pfn 0 which is never used */
	struct frame *frames;
	_Atomic kvm_pfn_t *hva_pfn; /* host "page table": hva page -> pfn */
	pthread_mutex_t free_lock;
	kvm_pfn_t *free_list; /* FIFO ring of free pfns, oldest first */
	uint64_t free_head;
	uint64_t nr_free;
};

struct page_ref {
	kvm_pfn_t pfn;
	uint32_t gen;
};

int hostmem_init(struct hostmem *hm, uint64_t nr_pages);
void hostmem_destroy(struct hostmem *hm);

/* Fault the page at hva in if needed and return its frame (get_user_pages). */
struct page_ref hostmem_get_page(struct hostmem *hm, uint64_t hva);
/* Clear the host PTE for hva (the mm's unmap); returns the frame it held. */
kvm_pfn_t hostmem_unmap(struct hostmem *hm, uint64_t hva);
/* Free a frame: its generation moves on; every old translation is now stale. */
void hostmem_free_frame(struct hostmem *hm, kvm_pfn_t pfn);

static inline uint32_t hostmem_frame_gen(struct hostmem *hm, kvm_pfn_t pfn)
{
	return atomic_load_explicit(&hm->frames[pfn].gen, memory_order_acquire);
}

#endif
