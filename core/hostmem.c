// SPDX-License-Identifier: GPL-2.0
#include "hostmem.h"

#include <stdlib.h>

#include "check.h"
#include "sched.h"
#include "thread.h"

int hostmem_init(struct hostmem *hm, uint64_t nr_pages)
{
	/* Twice as many frames as pages: a freed frame goes to the back of the
	 * free list and is reused only after others, like a real allocator
	 * under churn, and allocation never fails. */
	hm->nr_pages = nr_pages;
	hm->nr_frames = 2 * nr_pages + 1;
	HARNESS_ASSERT(hm->nr_frames <= SPTE_MAX_PFN, "%llu frames exceed the SPTE pfn field",
		       (unsigned long long)hm->nr_frames);
	hm->frames = calloc(hm->nr_frames, sizeof(*hm->frames));
	hm->hva_pfn = calloc(nr_pages, sizeof(*hm->hva_pfn));
	hm->free_list = calloc(hm->nr_frames, sizeof(*hm->free_list));
	if (!hm->frames || !hm->hva_pfn || !hm->free_list)
		return -1;
	/* FIFO ring of free pfns, oldest first. */
	for (kvm_pfn_t pfn = 1; pfn < hm->nr_frames; pfn++)
		hm->free_list[pfn - 1] = pfn;
	hm->nr_free = hm->nr_frames - 1;
	pthread_mutex_init(&hm->free_lock, NULL);
	return 0;
}

void hostmem_destroy(struct hostmem *hm)
{
	free(hm->frames);
	free((void *)hm->hva_pfn);
	free(hm->free_list);
	pthread_mutex_destroy(&hm->free_lock);
}

static kvm_pfn_t alloc_frame(struct hostmem *hm)
{
	kvm_pfn_t pfn;

	pthread_mutex_lock(&hm->free_lock);
	HARNESS_ASSERT(hm->nr_free > 0, "host frame pool exhausted");
	pfn = hm->free_list[hm->free_head];
	hm->free_head = (hm->free_head + 1) % (hm->nr_frames - 1);
	hm->nr_free--;
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

struct page_ref hostmem_get_page(struct hostmem *hm, uint64_t hva)
{
	kvm_pfn_t pfn = atomic_load_explicit(&hm->hva_pfn[hva], memory_order_acquire);

	if (pfn == HVA_NO_FRAME) {
		kvm_pfn_t want = alloc_frame(hm), expected = HVA_NO_FRAME;

		/* A racing fault may install a frame first: use theirs. */
		if (atomic_compare_exchange_strong(&hm->hva_pfn[hva], &expected, want))
			pfn = want;
		else {
			release_frame(hm, want);
			pfn = expected;
		}
	}
	return (struct page_ref){ pfn, hostmem_frame_gen(hm, pfn) };
}

kvm_pfn_t hostmem_unmap(struct hostmem *hm, uint64_t hva)
{
	return atomic_exchange(&hm->hva_pfn[hva], HVA_NO_FRAME);
}

void hostmem_free_frame(struct hostmem *hm, kvm_pfn_t pfn)
{
	/* Release: a vCPU that sees the new generation also sees everything
	 * the freeing thread did before (the notifier's flush). */
	atomic_fetch_add_explicit(&hm->frames[pfn].gen, 1, memory_order_release);
	trace(TR_FRAME_FREE, TRACE_NO_GFN, pfn);
	count(CNT_FRAMES_FREED, 1);
	release_frame(hm, pfn);
}
