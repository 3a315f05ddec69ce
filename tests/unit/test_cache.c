// SPDX-License-Identifier: GPL-2.0
/*
 * arm64's caches as the model keeps them: what a host write leaves stale
 * for each kind of guest access, which maintenance makes it fresh, and
 * what FWB, IDC and DIC spare.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../../model/cache.h"

#define FRAMES 8
#define PFN 3

static bool fresh(const struct cache_model *c, kvm_pfn_t pfn, enum guest_access_kind kind)
{
	uint32_t seen, latest;
	bool ok = cache_access_fresh(c, pfn, kind, &seen, &latest);

	assert_int_equal(ok, seen == latest);
	return ok;
}

static struct cache_model model(struct cpu_features f)
{
	struct cache_model c;

	assert_int_equal(cache_init(&c, FRAMES, f), 0);
	return c;
}

static void untouched_frame_is_fresh(void **state)
{
	struct cache_model c = model((struct cpu_features){ 0 });

	(void)state;
	assert_true(fresh(&c, PFN, ACCESS_CACHEABLE));
	assert_true(fresh(&c, PFN, ACCESS_NONCACHEABLE));
	assert_true(fresh(&c, PFN, ACCESS_FETCH));
	cache_destroy(&c);
}

/* The seed's race: the host wrote the page, and before the clean a
 * non-cacheable read sees PoC's older data; a cacheable one never does. */
static void host_write_leaves_poc_stale_until_cleaned(void **state)
{
	struct cache_model c = model((struct cpu_features){ 0 });
	uint32_t seen, latest;

	(void)state;
	cache_host_wrote(&c, PFN);
	assert_true(fresh(&c, PFN, ACCESS_CACHEABLE));
	assert_false(cache_access_fresh(&c, PFN, ACCESS_NONCACHEABLE, &seen, &latest));
	assert_int_equal(seen, 0);
	assert_int_equal(latest, 1);
	assert_true(fresh(&c, PFN - 1, ACCESS_NONCACHEABLE)); /* only that frame */
	cache_clean_inval_poc(&c, PFN, 1);
	assert_true(fresh(&c, PFN, ACCESS_NONCACHEABLE));
	cache_host_wrote(&c, PFN);
	assert_false(fresh(&c, PFN, ACCESS_NONCACHEABLE));
	cache_destroy(&c);
}

/* A fetch needs the I-cache invalidated after the data reached PoU: an
 * invalidation before the clean refills the old data (without IDC). */
static void fetch_needs_clean_then_icache_invalidation(void **state)
{
	struct cache_model c = model((struct cpu_features){ 0 });

	(void)state;
	cache_host_wrote(&c, PFN);
	assert_false(fresh(&c, PFN, ACCESS_FETCH));
	cache_inval_icache_pou(&c, PFN, 1);
	assert_false(fresh(&c, PFN, ACCESS_FETCH)); /* refilled from an unclean PoU */
	cache_clean_inval_poc(&c, PFN, 1);
	assert_false(fresh(&c, PFN, ACCESS_FETCH)); /* the I-cache still holds old lines */
	cache_inval_icache_pou(&c, PFN, 1);
	assert_true(fresh(&c, PFN, ACCESS_FETCH));
	cache_destroy(&c);
}

static void ranges_cover_every_frame(void **state)
{
	struct cache_model c = model((struct cpu_features){ 0 });

	(void)state;
	for (kvm_pfn_t p = 2; p < 6; p++)
		cache_host_wrote(&c, p);
	cache_clean_inval_poc(&c, 2, 4);
	cache_inval_icache_pou(&c, 2, 4);
	for (kvm_pfn_t p = 2; p < 6; p++) {
		assert_true(fresh(&c, p, ACCESS_NONCACHEABLE));
		assert_true(fresh(&c, p, ACCESS_FETCH));
	}
	cache_host_wrote(&c, 6);
	assert_false(fresh(&c, 6, ACCESS_NONCACHEABLE));
	cache_destroy(&c);
}

/* FWB: the guest's non-cacheable accesses see the host's data with no
 * clean, and it implies IDC, so a fetch needs only the invalidation. */
static void fwb_spares_the_clean(void **state)
{
	struct cache_model c = model((struct cpu_features){ .fwb = true });

	(void)state;
	assert_true(c.features.idc);
	cache_host_wrote(&c, PFN);
	assert_true(fresh(&c, PFN, ACCESS_NONCACHEABLE));
	assert_false(fresh(&c, PFN, ACCESS_FETCH));
	cache_inval_icache_pou(&c, PFN, 1);
	assert_true(fresh(&c, PFN, ACCESS_FETCH));
	cache_destroy(&c);
}

/* IDC alone: a fetch needs the invalidation but no clean; a non-cacheable
 * read still needs the clean. */
static void idc_spares_the_clean_for_fetches_only(void **state)
{
	struct cache_model c = model((struct cpu_features){ .idc = true });

	(void)state;
	cache_host_wrote(&c, PFN);
	cache_inval_icache_pou(&c, PFN, 1);
	assert_true(fresh(&c, PFN, ACCESS_FETCH));
	assert_false(fresh(&c, PFN, ACCESS_NONCACHEABLE));
	cache_destroy(&c);
}

/* DIC: no invalidation; without IDC a fetch still needs the clean. */
static void dic_spares_the_invalidation(void **state)
{
	struct cache_model c = model((struct cpu_features){ .dic = true });
	struct cache_model both = model((struct cpu_features){ .dic = true, .idc = true });

	(void)state;
	cache_host_wrote(&c, PFN);
	assert_false(fresh(&c, PFN, ACCESS_FETCH));
	cache_clean_inval_poc(&c, PFN, 1);
	assert_true(fresh(&c, PFN, ACCESS_FETCH));
	cache_host_wrote(&both, PFN);
	assert_true(fresh(&both, PFN, ACCESS_FETCH));
	cache_destroy(&c);
	cache_destroy(&both);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(untouched_frame_is_fresh),
		cmocka_unit_test(host_write_leaves_poc_stale_until_cleaned),
		cmocka_unit_test(fetch_needs_clean_then_icache_invalidation),
		cmocka_unit_test(ranges_cover_every_frame),
		cmocka_unit_test(fwb_spares_the_clean),
		cmocka_unit_test(idc_spares_the_clean_for_fetches_only),
		cmocka_unit_test(dic_spares_the_invalidation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
