// SPDX-License-Identifier: GPL-2.0
/*
 * A vCPU's TLB: a fill is found by lookup with what the SPTE said, and each
 * flush drops exactly the entries that translate a gfn in its range. Huge
 * pages are cached whole or splintered, as the mode says.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../../model/tlb.h"

#define TLB_SIZE 64
#define PAGES_2M 512ULL
#define PAGES_1G (512ULL * 512ULL)

static void init_tlb(struct tlb *tlb, enum tlb_huge_mode mode)
{
	assert_int_equal(tlb_init(tlb, TLB_SIZE, mode), 0);
	assert_int_equal(tlb->nr_entries, TLB_SIZE);
	assert_int_equal(tlb->huge_mode, mode);
}

/* Fill gfn with a writable 4K leaf whose pfn is derived from gfn, and check
 * the fill is there: a later test of a flush means nothing if two of its
 * fills evicted each other. */
static void fill_4k(struct tlb *tlb, gfn_t gfn)
{
	struct tlb_entry *e =
		tlb_fill(tlb, gfn, make_leaf_spte(gfn + 1000, 1, PG_LEVEL_4K, true), PG_LEVEL_4K);

	assert_ptr_equal(tlb_lookup(tlb, gfn), e);
}

static void fill_4k_range(struct tlb *tlb, gfn_t first, gfn_t last)
{
	for (gfn_t gfn = first; gfn <= last; gfn++)
		fill_4k(tlb, gfn);
	for (gfn_t gfn = first; gfn <= last; gfn++)
		assert_non_null(tlb_lookup(tlb, gfn));
}

static void init_rejects_non_power_of_two(void **state)
{
	struct tlb tlb;

	(void)state;
	assert_int_not_equal(tlb_init(&tlb, 100, TLB_HUGE_ENTRY), 0);
	assert_int_not_equal(tlb_init(&tlb, 48, TLB_HUGE_ENTRY), 0);
	assert_int_not_equal(tlb_init(&tlb, 0, TLB_HUGE_ENTRY), 0);
	assert_int_equal(tlb_init(&tlb, 1, TLB_HUGE_ENTRY), 0);
	tlb_destroy(&tlb);
}

static void new_tlb_is_empty(void **state)
{
	struct tlb tlb;

	(void)state;
	init_tlb(&tlb, TLB_HUGE_ENTRY);
	for (uint32_t i = 0; i < TLB_SIZE; i++)
		assert_false(tlb.entries[i].valid);
	assert_null(tlb_lookup(&tlb, 0));
	assert_null(tlb_lookup(&tlb, 12345));
	assert_int_equal(tlb_flush_all(&tlb), 0);
	tlb_destroy(&tlb);
}

static void fill_4k_then_lookup(void **state)
{
	struct tlb tlb;
	struct tlb_entry *e;

	(void)state;
	init_tlb(&tlb, TLB_HUGE_ENTRY);
	e = tlb_fill(&tlb, 42, make_leaf_spte(900, 7, PG_LEVEL_4K, true), PG_LEVEL_4K);
	assert_non_null(e);
	assert_ptr_equal(tlb_lookup(&tlb, 42), e);
	assert_true(e->valid);
	assert_int_equal(e->gfn, 42);
	assert_int_equal(e->pfn, 900);
	assert_int_equal(tlb_entry_pfn(e, 42), 900);
	assert_int_equal(e->frame_gen, 7);
	assert_int_equal(e->level, PG_LEVEL_4K);
	assert_true(e->writable);
	assert_null(tlb_lookup(&tlb, 41));
	assert_null(tlb_lookup(&tlb, 43));
	tlb_destroy(&tlb);
}

static void fill_read_only(void **state)
{
	struct tlb tlb;
	struct tlb_entry *e;

	(void)state;
	init_tlb(&tlb, TLB_HUGE_ENTRY);
	e = tlb_fill(&tlb, 7, make_leaf_spte(70, 0x1ffff, PG_LEVEL_4K, false), PG_LEVEL_4K);
	assert_false(e->writable);
	/* The entry keeps the SPTE's 16-bit tag, not the full generation. */
	assert_int_equal(e->frame_gen, 0xffff);
	tlb_destroy(&tlb);
}

static void flush_range_is_half_open(void **state)
{
	struct tlb tlb;

	(void)state;
	init_tlb(&tlb, TLB_HUGE_ENTRY);
	fill_4k_range(&tlb, 99, 104);

	assert_int_equal(tlb_flush_range(&tlb, 100, 3), 3);
	assert_null(tlb_lookup(&tlb, 100));
	assert_null(tlb_lookup(&tlb, 101));
	assert_null(tlb_lookup(&tlb, 102));
	/* start - 1 and start + nr are outside [start, start + nr). */
	assert_non_null(tlb_lookup(&tlb, 99));
	assert_non_null(tlb_lookup(&tlb, 103));
	assert_non_null(tlb_lookup(&tlb, 104));
	tlb_destroy(&tlb);
}

static void flush_empty_range_drops_nothing(void **state)
{
	struct tlb tlb;

	(void)state;
	init_tlb(&tlb, TLB_HUGE_ENTRY);
	fill_4k_range(&tlb, 10, 12);
	assert_int_equal(tlb_flush_range(&tlb, 11, 0), 0);
	assert_non_null(tlb_lookup(&tlb, 11));
	/* A range with nothing cached in it drops nothing either. */
	assert_int_equal(tlb_flush_range(&tlb, 500, 100), 0);
	tlb_destroy(&tlb);
}

static void flush_all_counts_valid(void **state)
{
	struct tlb tlb;

	(void)state;
	init_tlb(&tlb, TLB_HUGE_ENTRY);
	fill_4k_range(&tlb, 10, 14);
	/* Flushed entries are no longer counted. */
	assert_int_equal(tlb_flush_range(&tlb, 10, 1), 1);
	assert_int_equal(tlb_flush_all(&tlb), 4);
	for (gfn_t gfn = 10; gfn <= 14; gfn++)
		assert_null(tlb_lookup(&tlb, gfn));
	assert_int_equal(tlb_flush_all(&tlb), 0);
	tlb_destroy(&tlb);
}

/* A 2M block at 2 * PAGES_2M, filled by an access in its middle. */
static struct tlb_entry *fill_2m_block(struct tlb *tlb)
{
	return tlb_fill(tlb, 2 * PAGES_2M + 300, make_leaf_spte(5120, 2, PG_LEVEL_2M, true),
			PG_LEVEL_2M);
}

static void huge_entry_covers_2m(void **state)
{
	const gfn_t base = 2 * PAGES_2M;
	struct tlb tlb;
	struct tlb_entry *e;

	(void)state;
	init_tlb(&tlb, TLB_HUGE_ENTRY);
	/* Filled by an access in the middle: cached for the whole page. */
	e = fill_2m_block(&tlb);
	assert_int_equal(e->gfn, base);
	assert_int_equal(e->pfn, 5120);
	assert_int_equal(e->level, PG_LEVEL_2M);

	for (gfn_t off = 0; off < PAGES_2M; off++) {
		struct tlb_entry *hit = tlb_lookup(&tlb, base + off);

		assert_ptr_equal(hit, e);
		assert_int_equal(tlb_entry_pfn(hit, base + off), 5120 + off);
	}
	assert_null(tlb_lookup(&tlb, base - 1));
	assert_null(tlb_lookup(&tlb, base + PAGES_2M));
	tlb_destroy(&tlb);
}

static void huge_entry_dropped_by_any_page(void **state)
{
	const gfn_t base = 2 * PAGES_2M;
	const gfn_t inside[] = { base, base + 1, base + 400, base + PAGES_2M - 1 };
	struct tlb tlb;

	(void)state;
	init_tlb(&tlb, TLB_HUGE_ENTRY);
	for (size_t i = 0; i < sizeof(inside) / sizeof(inside[0]); i++) {
		tlb_fill(&tlb, base, make_leaf_spte(5120, 2, PG_LEVEL_2M, true), PG_LEVEL_2M);
		/* The pages on either side are not part of it. */
		assert_int_equal(tlb_flush_range(&tlb, base - 1, 1), 0);
		assert_int_equal(tlb_flush_range(&tlb, base + PAGES_2M, 1), 0);
		assert_non_null(tlb_lookup(&tlb, base));

		assert_int_equal(tlb_flush_range(&tlb, inside[i], 1), 1);
		assert_null(tlb_lookup(&tlb, base));
		assert_null(tlb_lookup(&tlb, base + 200));
	}
	tlb_destroy(&tlb);
}

static void huge_entry_dropped_by_overlap_from_below(void **state)
{
	const gfn_t base = 4 * PAGES_2M;
	struct tlb tlb;

	(void)state;
	init_tlb(&tlb, TLB_HUGE_ENTRY);
	tlb_fill(&tlb, base, make_leaf_spte(8192, 0, PG_LEVEL_2M, false), PG_LEVEL_2M);
	/* A range that starts before the huge page and reaches into it. */
	assert_int_equal(tlb_flush_range(&tlb, base - 10, 11), 1);
	assert_null(tlb_lookup(&tlb, base + 5));
	tlb_destroy(&tlb);
}

static void huge_entry_covers_1g(void **state)
{
	const gfn_t base = PAGES_1G;
	struct tlb tlb;
	struct tlb_entry *e;

	(void)state;
	init_tlb(&tlb, TLB_HUGE_ENTRY);
	e = tlb_fill(&tlb, base + 12345, make_leaf_spte(1ULL << 20, 1, PG_LEVEL_1G, true),
		     PG_LEVEL_1G);
	assert_int_equal(e->gfn, base);
	assert_int_equal(e->level, PG_LEVEL_1G);
	assert_ptr_equal(tlb_lookup(&tlb, base), e);
	assert_ptr_equal(tlb_lookup(&tlb, base + PAGES_1G - 1), e);
	assert_int_equal(tlb_entry_pfn(e, base + PAGES_1G - 1), (1ULL << 20) + PAGES_1G - 1);
	assert_null(tlb_lookup(&tlb, base - 1));
	assert_null(tlb_lookup(&tlb, base + PAGES_1G));
	assert_int_equal(tlb_flush_range(&tlb, base + PAGES_1G - 1, 1), 1);
	assert_null(tlb_lookup(&tlb, base));
	tlb_destroy(&tlb);
}

static void splinter_caches_one_piece(void **state)
{
	const gfn_t base = 2 * PAGES_2M;
	struct tlb tlb;
	struct tlb_entry *e;

	(void)state;
	init_tlb(&tlb, TLB_HUGE_SPLINTER);
	e = fill_2m_block(&tlb);
	assert_int_equal(e->gfn, base + 300);
	assert_int_equal(e->level, PG_LEVEL_4K);
	/* The piece's own frame, not the huge page's first. */
	assert_int_equal(e->pfn, 5120 + 300);
	assert_int_equal(e->frame_gen, 2);
	assert_ptr_equal(tlb_lookup(&tlb, base + 300), e);
	assert_null(tlb_lookup(&tlb, base));
	assert_null(tlb_lookup(&tlb, base + 299));
	assert_null(tlb_lookup(&tlb, base + 301));
	tlb_destroy(&tlb);
}

static void splinter_flush_of_other_piece_keeps_it(void **state)
{
	const gfn_t base = 2 * PAGES_2M;
	struct tlb tlb;

	(void)state;
	init_tlb(&tlb, TLB_HUGE_SPLINTER);
	fill_2m_block(&tlb);
	assert_int_equal(tlb_flush_range(&tlb, base + 10, 1), 0);
	assert_int_equal(tlb_flush_range(&tlb, base, 300), 0);
	assert_non_null(tlb_lookup(&tlb, base + 300));
	/* Its own 4K page, or the whole huge page, does drop it. */
	assert_int_equal(tlb_flush_range(&tlb, base + 300, 1), 1);
	assert_null(tlb_lookup(&tlb, base + 300));
	fill_2m_block(&tlb);
	assert_int_equal(tlb_flush_range(&tlb, base, PAGES_2M), 1);
	assert_null(tlb_lookup(&tlb, base + 300));
	tlb_destroy(&tlb);
}

/* A splintered block's pieces are a block's to a level hint: the TLBI of
 * the block (hint: its level) drops them, one hinted at 4K keeps them. */
static void splinter_piece_keeps_its_leaf_level(void **state)
{
	const gfn_t base = 2 * PAGES_2M;
	struct tlb tlb;
	struct tlb_entry *e;

	(void)state;
	init_tlb(&tlb, TLB_HUGE_SPLINTER);
	e = fill_2m_block(&tlb);
	assert_int_equal(e->level, PG_LEVEL_4K);
	assert_int_equal(e->walk_level, PG_LEVEL_2M);
	assert_int_equal(tlb_flush_range_at_level(&tlb, base + 300, 1, PG_LEVEL_4K), 0);
	assert_non_null(tlb_lookup(&tlb, base + 300));
	assert_int_equal(tlb_flush_range_at_level(&tlb, base, PAGES_2M, PG_LEVEL_2M), 1);
	assert_null(tlb_lookup(&tlb, base + 300));
	tlb_destroy(&tlb);
}

/* A flush hinted at one level drops the entries of that level in its
 * range and keeps the others; with no hint it drops them all. */
static void level_hint_keeps_other_levels(void **state)
{
	struct tlb tlb;

	(void)state;
	init_tlb(&tlb, TLB_HUGE_ENTRY);
	tlb_fill(&tlb, 0, make_leaf_spte(4096, 1, PG_LEVEL_2M, true), PG_LEVEL_2M);
	fill_4k(&tlb, PAGES_2M + 7);
	assert_int_equal(tlb_flush_range_at_level(&tlb, 0, 2 * PAGES_2M, PG_LEVEL_4K), 1);
	assert_non_null(tlb_lookup(&tlb, 3));
	assert_null(tlb_lookup(&tlb, PAGES_2M + 7));
	assert_int_equal(tlb_flush_range_at_level(&tlb, 0, 2 * PAGES_2M, TLB_ANY_LEVEL), 1);
	assert_null(tlb_lookup(&tlb, 3));
	tlb_destroy(&tlb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(init_rejects_non_power_of_two),
		cmocka_unit_test(new_tlb_is_empty),
		cmocka_unit_test(fill_4k_then_lookup),
		cmocka_unit_test(fill_read_only),
		cmocka_unit_test(flush_range_is_half_open),
		cmocka_unit_test(flush_empty_range_drops_nothing),
		cmocka_unit_test(flush_all_counts_valid),
		cmocka_unit_test(huge_entry_covers_2m),
		cmocka_unit_test(huge_entry_dropped_by_any_page),
		cmocka_unit_test(huge_entry_dropped_by_overlap_from_below),
		cmocka_unit_test(huge_entry_covers_1g),
		cmocka_unit_test(splinter_caches_one_piece),
		cmocka_unit_test(splinter_flush_of_other_piece_keeps_it),
		cmocka_unit_test(splinter_piece_keeps_its_leaf_level),
		cmocka_unit_test(level_hint_keeps_other_levels),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
