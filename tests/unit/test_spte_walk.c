// SPDX-License-Identifier: GPL-2.0
/*
 * SPTE tables: a leaf at any level translates exactly the gfns it covers,
 * a huge leaf blocks tables below it, and a zap removes the leaf once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "../../model/mmu.h"

#define PAGES_2M 512ULL
#define PAGES_1G (512ULL * 512ULL)

static int kvm_setup(void **state)
{
	const struct kvm_config cfg = {
		.nr_gfns = 1ULL << 20,
		.nr_memslots = 1,
		.nr_vcpus = 1,
		.tlb_entries = 64,
		.tlb_huge = TLB_HUGE_ENTRY,
		.arch_range_flush = true,
	};
	struct kvm *kvm = malloc(sizeof(*kvm));

	if (!kvm || kvm_create(kvm, &cfg)) {
		free(kvm);
		return -1;
	}
	*state = kvm;
	return 0;
}

static int kvm_teardown(void **state)
{
	struct kvm *kvm = *state;

	kvm_destroy(kvm);
	free(kvm);
	return 0;
}

/* The leaf translating gfn must be `want` at `want_level`. */
static void assert_walks_to(struct kvm *kvm, gfn_t gfn, uint64_t want, int want_level)
{
	int level = -1;

	assert_true(spt_walk(kvm, gfn, &level) == want);
	assert_int_equal(level, want_level);
}

static void assert_unmapped(struct kvm *kvm, gfn_t gfn)
{
	int level = -1;

	assert_true(spt_walk(kvm, gfn, &level) == 0);
}

static void empty_tables_translate_nothing(void **state)
{
	struct kvm *kvm = *state;

	assert_unmapped(kvm, 0);
	assert_unmapped(kvm, 0x1234);
	assert_unmapped(kvm, (1ULL << 20) - 1);
}

static void leaf_4k(void **state)
{
	struct kvm *kvm = *state;
	const gfn_t gfn = 0x1234;
	uint64_t spte = make_leaf_spte(77, 5, PG_LEVEL_4K, true);
	uint64_t got;
	int level = -1;

	assert_true(spt_set_leaf(kvm, gfn, PG_LEVEL_4K, spte) == 0);
	got = spt_walk(kvm, gfn, &level);
	assert_int_equal(level, PG_LEVEL_4K);
	assert_true(got == spte);
	assert_int_equal(spte_to_pfn(got), 77);
	assert_int_equal(spte_frame_gen(got), 5);
	assert_true(is_writable_pte(got));
	assert_false(got & SPTE_LARGE);

	/* Its neighbours share the table but not the entry. */
	assert_unmapped(kvm, gfn - 1);
	assert_unmapped(kvm, gfn + 1);
}

static void leaf_replace_returns_old(void **state)
{
	struct kvm *kvm = *state;
	const gfn_t gfn = 0x2000;
	uint64_t first = make_leaf_spte(10, 1, PG_LEVEL_4K, false);
	uint64_t second = make_leaf_spte(11, 2, PG_LEVEL_4K, true);

	assert_true(spt_set_leaf(kvm, gfn, PG_LEVEL_4K, first) == 0);
	assert_true(spt_set_leaf(kvm, gfn, PG_LEVEL_4K, second) == first);
	assert_walks_to(kvm, gfn, second, PG_LEVEL_4K);
}

/* The generation field is 16 bits: a larger generation is truncated, not
 * spilled into the bits above it. */
static void leaf_gen_is_tagged(void **state)
{
	uint64_t spte = make_leaf_spte(SPTE_MAX_PFN, 0x12345, PG_LEVEL_4K, true);

	(void)state;
	assert_int_equal(spte_to_pfn(spte), SPTE_MAX_PFN);
	assert_int_equal(spte_frame_gen(spte), 0x2345);
	assert_true(spte & SPTE_HOST_WRITABLE);
	assert_true(spte & SPTE_MMU_WRITABLE);
}

static void leaf_2m_covers_its_range(void **state)
{
	struct kvm *kvm = *state;
	const gfn_t base = 3 * PAGES_2M;
	uint64_t spte = make_leaf_spte(4096, 3, PG_LEVEL_2M, false);

	assert_true(spt_set_leaf(kvm, base, PG_LEVEL_2M, spte) == 0);
	assert_true(spte & SPTE_LARGE);
	assert_walks_to(kvm, base, spte, PG_LEVEL_2M);
	assert_walks_to(kvm, base + PAGES_2M / 2, spte, PG_LEVEL_2M);
	assert_walks_to(kvm, base + PAGES_2M - 1, spte, PG_LEVEL_2M);
	assert_unmapped(kvm, base - 1);
	assert_unmapped(kvm, base + PAGES_2M);
}

static void huge_leaf_blocks_tables_below(void **state)
{
	struct kvm *kvm = *state;
	const gfn_t base = 5 * PAGES_2M;
	uint64_t spte = make_leaf_spte(8192, 0, PG_LEVEL_2M, true);
	_Atomic uint64_t *slot;

	spt_set_leaf(kvm, base, PG_LEVEL_2M, spte);
	assert_null(spt_slot(kvm, base, PG_LEVEL_4K));
	assert_null(spt_slot(kvm, base + 17, PG_LEVEL_4K));
	assert_null(spt_slot(kvm, base + PAGES_2M - 1, PG_LEVEL_4K));

	/* The slot of the huge leaf itself is there and holds it. */
	slot = spt_slot(kvm, base + 17, PG_LEVEL_2M);
	assert_non_null(slot);
	assert_true(atomic_load(slot) == spte);

	/* The next 2M range is free for 4K tables. */
	assert_non_null(spt_slot(kvm, base + PAGES_2M, PG_LEVEL_4K));
}

static void zap_2m_once(void **state)
{
	struct kvm *kvm = *state;
	const gfn_t base = 7 * PAGES_2M;
	uint64_t spte = make_leaf_spte(12288, 9, PG_LEVEL_2M, true);
	int level = -1;

	spt_set_leaf(kvm, base, PG_LEVEL_2M, spte);
	/* Zapping by any gfn inside finds the huge leaf. */
	assert_true(spt_zap_gfn(kvm, base + 100, &level) == spte);
	assert_int_equal(level, PG_LEVEL_2M);
	assert_unmapped(kvm, base);
	assert_unmapped(kvm, base + 100);

	level = -1;
	assert_true(spt_zap_gfn(kvm, base + 100, &level) == 0);
	assert_true(spt_zap_gfn(kvm, base, &level) == 0);

	/* Once zapped, tables may grow below it again. */
	assert_non_null(spt_slot(kvm, base + 1, PG_LEVEL_4K));
}

static void zap_4k_leaves_neighbours(void **state)
{
	struct kvm *kvm = *state;
	uint64_t a = make_leaf_spte(20, 1, PG_LEVEL_4K, true);
	uint64_t b = make_leaf_spte(21, 1, PG_LEVEL_4K, true);
	int level = -1;

	spt_set_leaf(kvm, 0x3000, PG_LEVEL_4K, a);
	spt_set_leaf(kvm, 0x3001, PG_LEVEL_4K, b);
	assert_true(spt_zap_gfn(kvm, 0x3000, &level) == a);
	assert_int_equal(level, PG_LEVEL_4K);
	assert_unmapped(kvm, 0x3000);
	assert_walks_to(kvm, 0x3001, b, PG_LEVEL_4K);
	assert_true(spt_zap_gfn(kvm, 0x3000, &level) == 0);
}

static void zap_unmapped_is_zero(void **state)
{
	struct kvm *kvm = *state;
	int level = -1;

	assert_true(spt_zap_gfn(kvm, 0x5555, &level) == 0);
}

static void leaf_1g_covers_its_range(void **state)
{
	struct kvm *kvm = *state;
	const gfn_t base = 2 * PAGES_1G;
	uint64_t spte = make_leaf_spte(1ULL << 20, 4, PG_LEVEL_1G, true);
	int level = -1;

	assert_true(spt_set_leaf(kvm, base, PG_LEVEL_1G, spte) == 0);
	assert_walks_to(kvm, base, spte, PG_LEVEL_1G);
	assert_walks_to(kvm, base + PAGES_1G / 2 + 3, spte, PG_LEVEL_1G);
	assert_walks_to(kvm, base + PAGES_1G - 1, spte, PG_LEVEL_1G);
	assert_unmapped(kvm, base - 1);
	assert_unmapped(kvm, base + PAGES_1G);

	assert_null(spt_slot(kvm, base + PAGES_2M, PG_LEVEL_2M));
	assert_null(spt_slot(kvm, base + 5, PG_LEVEL_4K));

	assert_true(spt_zap_gfn(kvm, base + PAGES_1G - 1, &level) == spte);
	assert_int_equal(level, PG_LEVEL_1G);
	assert_unmapped(kvm, base);
	assert_true(spt_zap_gfn(kvm, base, &level) == 0);
}

/* Leaves of different levels side by side each keep their own range. */
static void mixed_levels_coexist(void **state)
{
	struct kvm *kvm = *state;
	uint64_t small = make_leaf_spte(30, 1, PG_LEVEL_4K, true);
	uint64_t big = make_leaf_spte(40960, 2, PG_LEVEL_2M, true);

	spt_set_leaf(kvm, PAGES_2M - 1, PG_LEVEL_4K, small);
	spt_set_leaf(kvm, PAGES_2M, PG_LEVEL_2M, big);
	assert_walks_to(kvm, PAGES_2M - 1, small, PG_LEVEL_4K);
	assert_walks_to(kvm, PAGES_2M, big, PG_LEVEL_2M);
	assert_unmapped(kvm, PAGES_2M - 2);
	assert_unmapped(kvm, 2 * PAGES_2M);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, kvm_setup, kvm_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(empty_tables_translate_nothing),
		T(leaf_4k),
		T(leaf_replace_returns_old),
		T(leaf_gen_is_tagged),
		T(leaf_2m_covers_its_range),
		T(huge_leaf_blocks_tables_below),
		T(zap_2m_once),
		T(zap_4k_leaves_neighbours),
		T(zap_unmapped_is_zero),
		T(leaf_1g_covers_its_range),
		T(mixed_levels_coexist),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
