// SPDX-License-Identifier: GPL-2.0
/*
 * The SPTE table: four levels of 512-entry tables, allocated, walked (by
 * the model's software walkers through the memory model, by the vCPUs'
 * hardware walk directly), changed and zapped.
 */
#include "spt.h"

#include <stdlib.h>
#include <string.h>

#include "../engine/check.h"
#include "../engine/sched.h"
#include "../engine/shared.h"
#include "../engine/thread.h"

struct spt_table *spt_alloc_table(void)
{
	/* 512 eight-byte entries fill exactly one 4 KiB page; the alignment
	 * lets a non-leaf SPTE hold the table's address like a real one. */
	struct spt_table *t = aligned_alloc(4096, sizeof(*t));

	HARNESS_NEED(t, "memory", "an SPTE table: the model grows with --gfns and --vcpus");
	memset(t, 0, sizeof(*t));
	return t;
}

struct spt_table *spte_to_table(uint64_t spte)
{
	return (struct spt_table *)(uintptr_t)(spte & SPTE_TABLE_MASK);
}

struct spt_table *spt_child_table(uint64_t spte)
{
	return spte_to_table(spte);
}

uint64_t spt_new_table_spte(void)
{
	return (uint64_t)(uintptr_t)spt_alloc_table() | SPTE_PRESENT;
}

void spt_free_tree(struct spt_table *t, int level)
{
	for (int i = 0; level > PG_LEVEL_4K && i < SPTE_ENT_PER_PAGE; i++) {
		uint64_t spte = shared_load_explicit(&t->spte[i], memory_order_relaxed);

		if (is_shadow_present_pte(spte) && !is_last_spte(spte, level))
			spt_free_tree(spte_to_table(spte), level - 1);
	}
	free(t);
}

uint64_t spt_walk(struct kvm *kvm, gfn_t gfn, int *level)
{
	return spt_walk_root(kvm->root, gfn, level);
}

/* One page walk; through_model says whether its loads go through the
 * memory model (the vCPU's hardware walk) or past it (accounting). */
static uint64_t walk_root(struct spt_table *root, gfn_t gfn, int *level, bool through_model)
{
	struct spt_table *t = root;

	for (int l = SPTE_ROOT_LEVEL; l >= PG_LEVEL_4K; l--) {
		_Atomic uint64_t *slot = &t->spte[spte_index(gfn, l)];
		/* Acquire pairs with the installer's release: without it a
		 * walker could follow a new table pointer and read the
		 * table's memory from before it was zeroed. */
		uint64_t spte = through_model ? smp_load_acquire(slot)
					      : shared_load_explicit(slot, memory_order_acquire);

		if (spt_walked_freed_table(spte, gfn, l))
			return 0;
		if (!is_shadow_present_pte(spte))
			return 0;
		if (is_last_spte(spte, l)) {
			*level = l;
			return spte;
		}
		t = spte_to_table(spte);
	}
	return 0;
}

uint64_t spt_walk_root(struct spt_table *root, gfn_t gfn, int *level)
{
	return walk_root(root, gfn, level, true);
}

/* An accounting walk is a software walker like any other: a table it
 * is in may be retired meanwhile (model/mmu.c, "Retired page tables"). */
uint64_t spt_peek_root(struct spt_table *root, gfn_t gfn, int *level)
{
	uint64_t spte;

	spt_rcu_read_lock();
	spte = walk_root(root, gfn, level, false);
	spt_rcu_read_unlock();
	return spte;
}

_Atomic uint64_t *spt_slot(struct kvm *kvm, gfn_t gfn, int level)
{
	return spt_slot_root(kvm->root, gfn, level);
}

_Atomic uint64_t *spt_slot_root(struct spt_table *root, gfn_t gfn, int level)
{
	struct spt_table *t = root;

	for (int l = SPTE_ROOT_LEVEL; l > level; l--) {
		_Atomic uint64_t *slot = &t->spte[spte_index(gfn, l)];
		uint64_t spte = smp_load_acquire(slot);

		/* Poison, not 0: installing a child here would write into a
		 * freed table. */
		if (spt_walked_freed_table(spte, gfn, l))
			return NULL;
		/* A frozen SPTE: this walk is inside a table that was taken
		 * out of the tree; give up, the access retries from the root. */
		if (spte == SPTE_FROZEN)
			return NULL;
		if (is_shadow_present_pte(spte) && is_last_spte(spte, l))
			return NULL;
		if (!is_shadow_present_pte(spte)) {
			struct spt_table *child = spt_alloc_table();
			uint64_t new_spte = (uint64_t)(uintptr_t)child | SPTE_PRESENT;
			uint64_t old = cmpxchg(slot, spte, new_spte);

			/* Lost the race to another walker: use its table. */
			if (old != spte) {
				free(child);
				if (is_last_spte(old, l))
					return NULL;
				new_spte = old;
			}
			spte = new_spte;
		}
		t = spte_to_table(spte);
	}
	return &t->spte[spte_index(gfn, level)];
}

uint64_t spt_set_leaf(struct kvm *kvm, gfn_t gfn, int level, uint64_t spte)
{
	return spt_set_leaf_root(kvm->root, gfn, level, spte);
}

uint64_t spt_set_leaf_root(struct spt_table *root, gfn_t gfn, int level, uint64_t spte)
{
	_Atomic uint64_t *slot = spt_slot_root(root, gfn, level);

	HARNESS_ASSERT(slot, "a huge leaf covers gfn %#llx above level %d", (unsigned long long)gfn,
		       level);
	trace(TR_SPTE_SET, gfn, spte);
	/* xchg, fully ordered: a walker that sees the SPTE sees the frame it
	 * maps, and the old value tells the caller what it replaced. */
	return xchg(slot, spte);
}

uint64_t spt_zap_gfn(struct kvm *kvm, gfn_t gfn, int *level)
{
	return spt_zap_gfn_root(kvm->root, gfn, level);
}

/* On a miss *level is the level of the non-present SPTE the walk stopped
 * at, so a range walk (tdp_mmu_zap_leafs()) can step over everything it
 * would have mapped, as the TDP iterator does. */
uint64_t spt_zap_gfn_root(struct spt_table *root, gfn_t gfn, int *level)
{
	struct spt_table *t = root;

	for (int l = SPTE_ROOT_LEVEL; l >= PG_LEVEL_4K; l--) {
		_Atomic uint64_t *slot = &t->spte[spte_index(gfn, l)];
		uint64_t spte = smp_load_acquire(slot);

		if (spt_walked_freed_table(spte, gfn, l) || !is_shadow_present_pte(spte)) {
			*level = l;
			return 0;
		}
		if (is_last_spte(spte, l)) {
			/* A plain store, as mmu_spte_clear_track_bits() clears
			 * an SPTE without volatile bits (__update_clear_spte_fast,
			 * WRITE_ONCE): nothing orders it with what follows, so a
			 * missing smp_wmb() after the zap stays missing. Two
			 * zappers under a read-held mmu_lock may both clear one
			 * SPTE: both then mark and flush, which costs a flush and
			 * hides nothing. */
			if (mm_enabled())
				mm_name(slot, "spte[%#llx]", (unsigned long long)gfn);
			WRITE_ONCE(*slot, 0);
			*level = l;
			trace(TR_SPTE_ZAP, gfn, spte);
			count(CNT_ZAPS, 1);
			return spte;
		}
		t = spte_to_table(spte);
	}
	return 0;
}
