/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SPTE layout. Bits follow x86 EPT where they exist (arch/x86/kvm/mmu/spte.h):
 * bit 0 present (EPT's R), bit 1 Writable, bit 7 large page (PS), bits 8/9
 * Accessed/Dirty, bit 57 host-writable, bit 58 MMU-writable.
 *
 * Access tracking (EPT without A/D bits, arch/x86/kvm/mmu/spte.c
 * mark_spte_for_access_track()): aging clears the hardware permission bits
 * so the next access faults, and KVM still counts the SPTE as present. The
 * model clears bit 0 and W and sets bit 62 (upstream keeps a separate
 * shadow-present bit and saves R/X; W is not saved: a write fault gets it
 * back from MMU-writable, as for dirty logging).
 *
 * One departure: a leaf keeps the pfn in bits 12..39 (the model's frames number
 * far fewer than 2^28) and bits 40..55 hold the generation of the host frame
 * that the fault path mapped. Real SPTEs have no such field; the model needs
 * it so a TLB entry filled from a stale SPTE still carries the generation of
 * the frame it really points at, and the oracle can tell that frame was freed.
 *
 * A non-leaf SPTE holds the address of its child table (4 KiB aligned) | present.
 */
#ifndef LOSTFLUSH_SPTE_H
#define LOSTFLUSH_SPTE_H

#include <stdbool.h>
#include <stdint.h>

typedef uint64_t gfn_t;
typedef uint64_t kvm_pfn_t;

enum pg_level {
	PG_LEVEL_4K = 1,
	PG_LEVEL_2M = 2,
	PG_LEVEL_1G = 3,
	PG_LEVEL_512G = 4,
};
#define SPTE_ROOT_LEVEL PG_LEVEL_512G
#define SPTE_ENT_PER_PAGE 512
#define SPTE_LEVEL_BITS 9

#define SPTE_PRESENT (1ULL << 0)
#define SPTE_WRITABLE (1ULL << 1)
#define SPTE_LARGE (1ULL << 7)
#define SPTE_ACCESSED (1ULL << 8)
#define SPTE_DIRTY (1ULL << 9)
#define SPTE_HOST_WRITABLE (1ULL << 57)
#define SPTE_MMU_WRITABLE (1ULL << 58)
#define SPTE_ACC_TRACKED (1ULL << 62)

#define SPTE_PFN_SHIFT 12
#define SPTE_PFN_BITS 28
#define SPTE_PFN_MASK (((1ULL << SPTE_PFN_BITS) - 1) << SPTE_PFN_SHIFT)
#define SPTE_GEN_SHIFT 40
#define SPTE_GEN_BITS 16
#define SPTE_GEN_MASK (((1ULL << SPTE_GEN_BITS) - 1) << SPTE_GEN_SHIFT)
#define SPTE_MAX_PFN ((1ULL << SPTE_PFN_BITS) - 1)
#define SPTE_TABLE_MASK 0x000ffffffffff000ULL

/* Pages a leaf at this level maps: 1, 512, 512^2, ... */
static inline uint64_t pages_per_level(int level)
{
	return 1ULL << (SPTE_LEVEL_BITS * (level - 1));
}

static inline gfn_t gfn_round_for_level(gfn_t gfn, int level)
{
	return gfn & ~(pages_per_level(level) - 1);
}

static inline unsigned spte_index(gfn_t gfn, int level)
{
	return (gfn >> (SPTE_LEVEL_BITS * (level - 1))) & (SPTE_ENT_PER_PAGE - 1);
}

/* KVM's view: the SPTE maps something (access-tracked ones too). */
static inline bool is_shadow_present_pte(uint64_t spte)
{
	return spte & (SPTE_PRESENT | SPTE_ACC_TRACKED);
}

/* The hardware's view: a walk may fill a TLB entry from it. */
static inline bool is_hw_present_pte(uint64_t spte)
{
	return spte & SPTE_PRESENT;
}

static inline bool is_access_track_spte(uint64_t spte)
{
	return spte & SPTE_ACC_TRACKED;
}

/* mark_spte_for_access_track(): no flush follows (6.13's aging elides it),
 * so TLB entries filled from the SPTE live on. */
static inline uint64_t mark_spte_for_access_track(uint64_t spte)
{
	return (spte & ~(SPTE_PRESENT | SPTE_WRITABLE)) | SPTE_ACC_TRACKED;
}

/* restore_acc_track_spte(): readable again; W comes back only through a
 * write fault's MMU-writable check. */
static inline uint64_t restore_acc_track_spte(uint64_t spte)
{
	return (spte & ~SPTE_ACC_TRACKED) | SPTE_PRESENT;
}

static inline bool is_last_spte(uint64_t spte, int level)
{
	return level == PG_LEVEL_4K || (spte & SPTE_LARGE);
}

static inline bool is_writable_pte(uint64_t spte)
{
	return spte & SPTE_WRITABLE;
}

static inline bool is_mmu_writable_spte(uint64_t spte)
{
	return spte & SPTE_MMU_WRITABLE;
}

static inline kvm_pfn_t spte_to_pfn(uint64_t spte)
{
	return (spte & SPTE_PFN_MASK) >> SPTE_PFN_SHIFT;
}

static inline uint32_t spte_frame_gen(uint64_t spte)
{
	return (uint32_t)((spte & SPTE_GEN_MASK) >> SPTE_GEN_SHIFT);
}

/* Truncate a frame generation to what an SPTE can carry. */
static inline uint32_t frame_gen_tag(uint32_t gen)
{
	return gen & ((1U << SPTE_GEN_BITS) - 1);
}

/* A leaf for pfn mapped at level; writable sets W, MMU-writable and
 * host-writable together, as make_spte() does for a writable fault. */
static inline uint64_t make_leaf_spte(kvm_pfn_t pfn, uint32_t gen, int level, bool writable)
{
	uint64_t spte = SPTE_PRESENT | (pfn << SPTE_PFN_SHIFT) |
			((uint64_t)frame_gen_tag(gen) << SPTE_GEN_SHIFT);

	if (level > PG_LEVEL_4K)
		spte |= SPTE_LARGE;
	if (writable)
		spte |= SPTE_WRITABLE | SPTE_MMU_WRITABLE | SPTE_HOST_WRITABLE;
	return spte;
}

#endif
