// SPDX-License-Identifier: GPL-2.0
/*
 * arm64's two rights: an access through a translation that sees data older
 * than the host wrote before the fill is stale-cache-seen, and a fill that
 * overlaps another valid entry of the TLB is conflicting-translations;
 * the legal neighbours of each (a cacheable access, a host write after the
 * fill, a fault in flight on another frame, FWB, a stale entry no fill
 * overlaps, a block invalidated before its pages are filled) are not. A
 * guest write with caches off that no clean+invalidate followed is
 * lost-uncached-write at the host's read-back; one cleaned, superseded by
 * a write through the cache, or made under FWB is not.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../engine/thread.h"
#include "../../oracle/oracle.h"

#define NR_PAGES 1024
#define VCPU 1
#define FRAMES 2048

struct fixture {
	struct hostmem mem;
	struct oracle o;
	struct tlb tlb;
	struct cache_model cache;
};

static int setup_with(void **state, struct cpu_features features)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f || hostmem_init(&f->mem, NR_PAGES) || tlb_init(&f->tlb, 64, TLB_HUGE_ENTRY) ||
	    cache_init(&f->cache, FRAMES, features))
		return -1;
	oracle_init(&f->o, &f->mem, 0);
	atomic_store(&lostflush_stop, false);
	*state = f;
	return 0;
}

static int setup(void **state)
{
	return setup_with(state, (struct cpu_features){ 0 });
}

static int setup_fwb(void **state)
{
	return setup_with(state, (struct cpu_features){ .fwb = true });
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	oracle_destroy(&f->o);
	cache_destroy(&f->cache);
	tlb_destroy(&f->tlb);
	hostmem_destroy(&f->mem);
	free(f);
	atomic_store(&lostflush_stop, false);
	return 0;
}

/* The host faults the page in (writing it through its cacheable mapping),
 * and a TLB caches the stage-2 PTE: the fill records the data version the
 * fault's maintenance owed. */
static struct tlb_entry *fill(struct fixture *f, gfn_t gfn, kvm_pfn_t pfn, int level)
{
	struct tlb_entry *e = tlb_fill(&f->tlb, gfn, make_leaf_spte(pfn, 0, level, true), level);

	e->data_version = cache_clock_now(&f->cache);
	return e;
}

static uint64_t reported(const struct fixture *f)
{
	return atomic_load(&f->o.nr_violations);
}

static void read_before_clean_is_stale_cache_seen(void **state)
{
	struct fixture *f = *state;
	struct tlb_entry *e;

	cache_host_wrote(&f->cache, 40);
	e = fill(f, 7, 40, PG_LEVEL_4K); /* made valid, clean not yet done */
	assert_false(oracle_check_cache_use(&f->o, &f->cache, VCPU, e, 7, ACCESS_NONCACHEABLE));
	assert_int_equal(reported(f), 1);
	assert_int_equal(f->o.kept[0].kind, VIOL_STALE_CACHE_SEEN);
	assert_int_equal(f->o.kept[0].vcpu_id, VCPU);
	assert_int_equal(f->o.kept[0].gfn, 7);
	assert_int_equal(f->o.kept[0].pfn, 40);
	assert_int_equal(f->o.kept[0].entry_epoch, 0);
	assert_int_equal(f->o.kept[0].current_epoch, 1);
}

static void fetch_before_icache_invalidation_is_stale_cache_seen(void **state)
{
	struct fixture *f = *state;
	struct tlb_entry *e;

	cache_host_wrote(&f->cache, 41);
	cache_clean_inval_poc(&f->cache, 41, 1);
	e = fill(f, 8, 41, PG_LEVEL_4K);
	assert_true(oracle_check_cache_use(&f->o, &f->cache, VCPU, e, 8, ACCESS_NONCACHEABLE));
	assert_false(oracle_check_cache_use(&f->o, &f->cache, VCPU, e, 8, ACCESS_FETCH));
	assert_int_equal(f->o.kept[0].kind, VIOL_STALE_CACHE_SEEN);
}

static void maintained_before_the_fill_is_legal(void **state)
{
	struct fixture *f = *state;
	struct tlb_entry *e;

	cache_host_wrote(&f->cache, 42);
	cache_clean_inval_poc(&f->cache, 42, 1);
	cache_inval_icache_pou(&f->cache, 42, 1);
	e = fill(f, 9, 42, PG_LEVEL_4K);
	assert_true(oracle_check_cache_use(&f->o, &f->cache, VCPU, e, 9, ACCESS_NONCACHEABLE));
	assert_true(oracle_check_cache_use(&f->o, &f->cache, VCPU, e, 9, ACCESS_FETCH));
	assert_true(oracle_check_cache_use(&f->o, &f->cache, VCPU, e, 9, ACCESS_CACHEABLE));
	assert_int_equal(reported(f), 0);
}

static void cacheable_access_is_never_stale(void **state)
{
	struct fixture *f = *state;
	struct tlb_entry *e;

	cache_host_wrote(&f->cache, 43);
	e = fill(f, 10, 43, PG_LEVEL_4K);
	assert_true(oracle_check_cache_use(&f->o, &f->cache, VCPU, e, 10, ACCESS_CACHEABLE));
	assert_int_equal(reported(f), 0);
}

/* KVM or the VMM writing a mapped page is not the fault's to maintain. */
static void host_write_after_the_fill_is_not_judged(void **state)
{
	struct fixture *f = *state;
	struct tlb_entry *e;

	cache_host_wrote(&f->cache, 44);
	cache_clean_inval_poc(&f->cache, 44, 1);
	e = fill(f, 11, 44, PG_LEVEL_4K);
	cache_host_wrote(&f->cache, 44);
	assert_true(oracle_check_cache_use(&f->o, &f->cache, VCPU, e, 11, ACCESS_NONCACHEABLE));
	assert_int_equal(reported(f), 0);
}

/* Another vCPU's fault is in flight on frame 46 (written, not cleaned, not
 * yet made valid); this vCPU uses its own entry for a maintained frame. */
static void fault_in_flight_on_another_frame_is_legal(void **state)
{
	struct fixture *f = *state;
	struct tlb_entry *e;

	cache_host_wrote(&f->cache, 45);
	cache_clean_inval_poc(&f->cache, 45, 1);
	e = fill(f, 12, 45, PG_LEVEL_4K);
	cache_host_wrote(&f->cache, 46);
	assert_true(oracle_check_cache_use(&f->o, &f->cache, VCPU, e, 12, ACCESS_NONCACHEABLE));
	assert_int_equal(reported(f), 0);
}

/* Each page of a block is judged by its own frame. */
static void block_entry_judges_the_frame_it_reaches(void **state)
{
	struct fixture *f = *state;
	struct tlb_entry *e;

	cache_host_wrote(&f->cache, 512 + 3);
	e = fill(f, 512, 512, PG_LEVEL_2M);
	assert_true(
		oracle_check_cache_use(&f->o, &f->cache, VCPU, e, 512 + 2, ACCESS_NONCACHEABLE));
	e->data_version = 1; /* as if filled for the page the host wrote */
	assert_false(
		oracle_check_cache_use(&f->o, &f->cache, VCPU, e, 512 + 3, ACCESS_NONCACHEABLE));
	assert_int_equal(f->o.kept[0].pfn, 512 + 3);
}

static void fwb_read_before_clean_is_legal(void **state)
{
	struct fixture *f = *state;
	struct tlb_entry *e;

	cache_host_wrote(&f->cache, 47);
	e = fill(f, 13, 47, PG_LEVEL_4K);
	assert_true(oracle_check_cache_use(&f->o, &f->cache, VCPU, e, 13, ACCESS_NONCACHEABLE));
	assert_false(oracle_check_cache_use(&f->o, &f->cache, VCPU, e, 13, ACCESS_FETCH));
	assert_int_equal(reported(f), 1);
}

/* A block and then a page inside it, the block never invalidated (a
 * collapse or a split without its TLBI). */
static void page_under_a_valid_block_conflicts(void **state)
{
	struct fixture *f = *state;
	struct tlb_entry *e;

	assert_true(oracle_check_single_translation(&f->o, VCPU, &f->tlb,
						    fill(f, 0, 512, PG_LEVEL_2M)));
	e = fill(f, 5, 900, PG_LEVEL_4K);
	assert_false(oracle_check_single_translation(&f->o, VCPU, &f->tlb, e));
	assert_int_equal(reported(f), 1);
	assert_int_equal(f->o.kept[0].kind, VIOL_CONFLICTING_TRANSLATIONS);
	assert_int_equal(f->o.kept[0].gfn, 5);
	assert_int_equal(f->o.kept[0].entry_epoch, PG_LEVEL_2M);
	assert_int_equal(f->o.kept[0].current_epoch, PG_LEVEL_4K);
}

static void block_over_valid_pages_conflicts(void **state)
{
	struct fixture *f = *state;

	assert_true(oracle_check_single_translation(&f->o, VCPU, &f->tlb,
						    fill(f, 520, 1000, PG_LEVEL_4K)));
	assert_false(oracle_check_single_translation(&f->o, VCPU, &f->tlb,
						     fill(f, 512, 1536, PG_LEVEL_2M)));
	assert_int_equal(f->o.kept[0].kind, VIOL_CONFLICTING_TRANSLATIONS);
}

/* Break, TLBI, make: the block is gone from the TLB before the page is
 * filled; and a stale block no fill overlaps is not a conflict. */
static void invalidated_or_unrelated_entries_do_not_conflict(void **state)
{
	struct fixture *f = *state;

	fill(f, 0, 512, PG_LEVEL_2M);
	assert_true(oracle_check_single_translation(&f->o, VCPU, &f->tlb,
						    fill(f, 600, 700, PG_LEVEL_4K)));
	assert_int_equal(tlb_flush_range(&f->tlb, 0, 1), 1);
	assert_true(oracle_check_single_translation(&f->o, VCPU, &f->tlb,
						    fill(f, 5, 900, PG_LEVEL_4K)));
	assert_true(oracle_check_single_translation(&f->o, VCPU, &f->tlb,
						    fill(f, 6, 901, PG_LEVEL_4K)));
	/* The same page filled again replaces its own entry. */
	assert_true(oracle_check_single_translation(&f->o, VCPU, &f->tlb,
						    fill(f, 6, 902, PG_LEVEL_4K)));
	assert_int_equal(reported(f), 0);
}

static void uncached_write_not_cleaned_is_lost_at_read_back(void **state)
{
	struct fixture *f = *state;

	cache_host_wrote(&f->cache, 50); /* the fault's fill */
	cache_clean_inval_poc(&f->cache, 50, 1);
	cache_guest_wrote(&f->cache, 50, ACCESS_NONCACHEABLE, VCPU, 11);
	assert_false(oracle_check_read_back(&f->o, &f->cache, 50));
	assert_int_equal(reported(f), 1);
	assert_int_equal(f->o.kept[0].kind, VIOL_LOST_UNCACHED_WRITE);
	assert_int_equal(f->o.kept[0].vcpu_id, VCPU);
	assert_int_equal(f->o.kept[0].gfn, 11);
	assert_int_equal(f->o.kept[0].pfn, 50);
	/* Read back once: the data is the host's now, nothing is left to
	 * lose on the next read. */
	assert_true(oracle_check_read_back(&f->o, &f->cache, 50));
	assert_int_equal(reported(f), 1);
}

static void uncached_write_cleaned_after_is_read_back(void **state)
{
	struct fixture *f = *state;

	cache_guest_wrote(&f->cache, 51, ACCESS_NONCACHEABLE, VCPU, 12);
	cache_clean_inval_poc(&f->cache, 50, 4); /* the unmap's clean, over a block */
	assert_true(oracle_check_read_back(&f->o, &f->cache, 51));
	/* A write through the cache after it: the line holds newer data. */
	cache_guest_wrote(&f->cache, 52, ACCESS_NONCACHEABLE, VCPU, 13);
	cache_guest_wrote(&f->cache, 52, ACCESS_CACHEABLE, VCPU, 13);
	assert_true(oracle_check_read_back(&f->o, &f->cache, 52));
	/* The host filled it again (a new owner): what it wrote is current. */
	cache_guest_wrote(&f->cache, 53, ACCESS_NONCACHEABLE, VCPU, 14);
	cache_host_wrote(&f->cache, 53);
	assert_true(oracle_check_read_back(&f->o, &f->cache, 53));
	assert_int_equal(reported(f), 0);
}

static void fwb_uncached_write_is_read_back(void **state)
{
	struct fixture *f = *state;

	cache_guest_wrote(&f->cache, 54, ACCESS_NONCACHEABLE, VCPU, 15);
	assert_true(oracle_check_read_back(&f->o, &f->cache, 54));
	assert_int_equal(reported(f), 0);
}

/* The host's free is where the read-back is judged: a hostmem that knows
 * its judge reports the lost write when the frame is freed. */
static void frame_free_judges_the_read_back(void **state)
{
	struct fixture *f = *state;
	struct page_ref ref = hostmem_get_page(&f->mem, 3);

	f->mem.cache = &f->cache;
	f->mem.read_back_judge = &f->o;
	cache_guest_wrote(&f->cache, ref.pfn, ACCESS_NONCACHEABLE, VCPU, 3);
	hostmem_free_frame(&f->mem, hostmem_unmap(&f->mem, 3));
	assert_int_equal(reported(f), 1);
	assert_int_equal(f->o.kept[0].kind, VIOL_LOST_UNCACHED_WRITE);
	f->mem.cache = NULL;
}

static void reports_print_what_they_found(void **state)
{
	struct fixture *f = *state;
	char buf[1024];
	FILE *out = fmemopen(buf, sizeof(buf), "w");

	(void)state;
	assert_non_null(out);
	violation_print(out, &(struct violation){ .kind = VIOL_STALE_CACHE_SEEN,
						  .vcpu_id = 2,
						  .gfn = 7,
						  .pfn = 40,
						  .level = 1,
						  .entry_epoch = 0,
						  .current_epoch = 1 });
	violation_print(
		out, &(struct violation){
			     .kind = VIOL_LOST_UNCACHED_WRITE, .vcpu_id = 3, .gfn = 9, .pfn = 44 });
	violation_print(out, &(struct violation){ .kind = VIOL_CONFLICTING_TRANSLATIONS,
						  .vcpu_id = 1,
						  .gfn = 5,
						  .entry_epoch = 2,
						  .current_epoch = 1 });
	fclose(out);
	assert_non_null(strstr(buf, "stale-cache-seen: vCPU 2 read gfn 0x7 -> pfn 0x28"));
	assert_non_null(strstr(buf, "saw data version 0, older than the 1"));
	assert_non_null(strstr(buf, "lost-uncached-write: the host read pfn 0x2c back"));
	assert_non_null(strstr(buf, "vCPU 3's write\n!!!   to gfn 0x9 with caches off"));
	assert_non_null(strstr(buf, "conflicting-translations: vCPU 1 filled a level-1 entry "
				    "for gfn 0x5 while a level-2 entry"));
	(void)f;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(read_before_clean_is_stale_cache_seen, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			fetch_before_icache_invalidation_is_stale_cache_seen, setup, teardown),
		cmocka_unit_test_setup_teardown(maintained_before_the_fill_is_legal, setup,
						teardown),
		cmocka_unit_test_setup_teardown(cacheable_access_is_never_stale, setup, teardown),
		cmocka_unit_test_setup_teardown(host_write_after_the_fill_is_not_judged, setup,
						teardown),
		cmocka_unit_test_setup_teardown(fault_in_flight_on_another_frame_is_legal, setup,
						teardown),
		cmocka_unit_test_setup_teardown(block_entry_judges_the_frame_it_reaches, setup,
						teardown),
		cmocka_unit_test_setup_teardown(fwb_read_before_clean_is_legal, setup_fwb,
						teardown),
		cmocka_unit_test_setup_teardown(page_under_a_valid_block_conflicts, setup,
						teardown),
		cmocka_unit_test_setup_teardown(block_over_valid_pages_conflicts, setup, teardown),
		cmocka_unit_test_setup_teardown(invalidated_or_unrelated_entries_do_not_conflict,
						setup, teardown),
		cmocka_unit_test_setup_teardown(uncached_write_not_cleaned_is_lost_at_read_back,
						setup, teardown),
		cmocka_unit_test_setup_teardown(uncached_write_cleaned_after_is_read_back, setup,
						teardown),
		cmocka_unit_test_setup_teardown(fwb_uncached_write_is_read_back, setup_fwb,
						teardown),
		cmocka_unit_test_setup_teardown(frame_free_judges_the_read_back, setup, teardown),
		cmocka_unit_test_setup_teardown(reports_print_what_they_found, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
