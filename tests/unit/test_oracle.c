// SPDX-License-Identifier: GPL-2.0
/*
 * The oracle judges a TLB entry only by the generation of the frame it maps:
 * a use after that frame was freed is reported with everything a reader of
 * the report needs, and a use of a live translation is not.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../oracle/oracle.h"
#include "../../engine/thread.h"

#define NR_PAGES 64
#define VCPU 1
#define HVA 5
#define GFN 5

struct fixture {
	struct hostmem mem;
	struct oracle o;
	struct tlb tlb;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f || hostmem_init(&f->mem, NR_PAGES) || tlb_init(&f->tlb, 64, TLB_HUGE_ENTRY))
		return -1;
	oracle_init(&f->o, &f->mem, 0);
	atomic_store(&lostflush_stop, false);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	oracle_destroy(&f->o);
	tlb_destroy(&f->tlb);
	hostmem_destroy(&f->mem);
	free(f);
	/* A report stops the run; the next test starts a fresh one. */
	atomic_store(&lostflush_stop, false);
	return 0;
}

/* What the fault path does: map the page, then cache the SPTE it made. */
static struct tlb_entry *fault_in(struct fixture *f, uint64_t hva, gfn_t gfn, struct page_ref *ref)
{
	*ref = hostmem_get_page(&f->mem, hva);
	return tlb_fill(&f->tlb, gfn, make_leaf_spte(ref->pfn, ref->gen, PG_LEVEL_4K, true),
			PG_LEVEL_4K);
}

/* What the notifier and the mm do: unmap the page, then free its frame. */
static void unmap_and_free(struct fixture *f, uint64_t hva, kvm_pfn_t pfn)
{
	assert_int_equal(hostmem_unmap(&f->mem, hva), pfn);
	hostmem_free_frame(&f->mem, pfn);
}

static void live_translation_is_legal(void **state)
{
	struct fixture *f = *state;
	struct page_ref ref;
	struct tlb_entry *e = fault_in(f, HVA, GFN, &ref);

	assert_int_not_equal(ref.pfn, HVA_NO_FRAME);
	assert_true(oracle_check_use(&f->o, VCPU, e, GFN, false));
	assert_true(oracle_check_use(&f->o, VCPU, e, GFN, true));
	assert_int_equal(atomic_load(&f->o.nr_violations), 0);
	assert_int_equal(f->o.nr_kept, 0);
	assert_false(torture_must_stop());
}

/* Unmapping revokes nothing by itself: the frame is still the page's until
 * it is freed, and a TLB may still reach it until then. */
static void unmapped_but_not_freed_is_legal(void **state)
{
	struct fixture *f = *state;
	struct page_ref ref;
	struct tlb_entry *e = fault_in(f, HVA, GFN, &ref);

	assert_int_equal(hostmem_unmap(&f->mem, HVA), ref.pfn);
	assert_true(oracle_check_use(&f->o, VCPU, e, GFN, false));
	assert_int_equal(atomic_load(&f->o.nr_violations), 0);
}

static void use_after_free_is_reported(void **state)
{
	struct fixture *f = *state;
	struct page_ref ref;
	struct tlb_entry *e = fault_in(f, HVA, GFN, &ref);
	const struct violation *v = &f->o.kept[0];

	unmap_and_free(f, HVA, ref.pfn);
	assert_int_equal(hostmem_frame_gen(&f->mem, ref.pfn), ref.gen + 1);

	assert_false(oracle_check_use(&f->o, VCPU, e, GFN, true));
	assert_int_equal(atomic_load(&f->o.nr_violations), 1);
	assert_int_equal(f->o.nr_kept, 1);
	assert_int_equal(v->kind, VIOL_STALE_TLB_AFTER_FREE);
	assert_int_equal(v->vcpu_id, VCPU);
	assert_int_equal(v->gfn, GFN);
	assert_int_equal(v->pfn, ref.pfn);
	assert_int_equal(v->level, PG_LEVEL_4K);
	assert_true(v->write);
	assert_int_equal(v->entry_epoch, frame_gen_tag(ref.gen));
	assert_int_equal(v->current_epoch, ref.gen + 1);
	/* Without keep_going the first violation ends the run. */
	assert_true(torture_must_stop());
}

static void keep_going_counts_without_stopping(void **state)
{
	struct fixture *f = *state;
	struct page_ref ref;
	struct tlb_entry *e = fault_in(f, HVA, GFN, &ref);

	f->o.keep_going = true;
	unmap_and_free(f, HVA, ref.pfn);
	for (int i = 0; i < ORACLE_MAX_KEPT + 8; i++)
		assert_false(oracle_check_use(&f->o, VCPU, e, GFN, false));
	assert_int_equal(atomic_load(&f->o.nr_violations), ORACLE_MAX_KEPT + 8);
	/* Every one is counted; only the first ORACLE_MAX_KEPT are kept. */
	assert_int_equal(f->o.nr_kept, ORACLE_MAX_KEPT);
	assert_false(torture_must_stop());
}

/*
 * The freed frame soon backs another page. The stale entry names the same
 * pfn as the new, legal mapping, and must still be caught: only the
 * generation tells them apart. A fill from the new SPTE is legal.
 */
static void reused_frame_keeps_stale_entry_stale(void **state)
{
	struct fixture *f = *state;
	struct page_ref old, now;
	struct tlb_entry *stale = fault_in(f, HVA, GFN, &old), *fresh;
	struct tlb_entry stale_copy;
	int spins = 0;

	f->o.keep_going = true;
	unmap_and_free(f, HVA, old.pfn);
	stale_copy = *stale;

	/* Churn another page through the free list until the old frame is
	 * handed out again. */
	for (;;) {
		now = hostmem_get_page(&f->mem, HVA + 1);
		if (now.pfn == old.pfn)
			break;
		unmap_and_free(f, HVA + 1, now.pfn);
		assert_true(++spins < 4 * NR_PAGES);
	}
	assert_int_equal(now.gen, old.gen + 1);

	fresh = tlb_fill(&f->tlb, GFN + 1, make_leaf_spte(now.pfn, now.gen, PG_LEVEL_4K, true),
			 PG_LEVEL_4K);
	assert_true(oracle_check_use(&f->o, VCPU, fresh, GFN + 1, true));
	assert_int_equal(atomic_load(&f->o.nr_violations), 0);

	assert_false(oracle_check_use(&f->o, VCPU, &stale_copy, GFN, false));
	assert_int_equal(atomic_load(&f->o.nr_violations), 1);
	assert_int_equal(f->o.kept[0].pfn, old.pfn);
}

/* Faulting the page in again after the free gives a fresh frame and a
 * fresh, legal translation. */
static void refault_after_free_is_legal(void **state)
{
	struct fixture *f = *state;
	struct page_ref old, now;
	struct tlb_entry *e = fault_in(f, HVA, GFN, &old);

	f->o.keep_going = true;
	unmap_and_free(f, HVA, old.pfn);
	assert_false(oracle_check_use(&f->o, VCPU, e, GFN, false));

	e = fault_in(f, HVA, GFN, &now);
	assert_true(oracle_check_use(&f->o, VCPU, e, GFN, false));
	assert_int_equal(atomic_load(&f->o.nr_violations), 1);
}

/* A huge entry is judged by the frame of the gfn used (a split THP frees
 * its frames one by one) and reported at that frame. */
static void huge_entry_reports_used_frame(void **state)
{
	struct fixture *f = *state;
	struct page_ref ref = hostmem_get_page(&f->mem, HVA);
	const gfn_t base = 512;
	struct tlb_entry *e;

	f->o.keep_going = true;
	e = tlb_fill(&f->tlb, base + 9, make_leaf_spte(ref.pfn, ref.gen, PG_LEVEL_2M, false),
		     PG_LEVEL_2M);
	assert_true(oracle_check_use(&f->o, VCPU, e, base + 9, false));

	/* The head frame freed: only a use of the head's gfn is stale. */
	unmap_and_free(f, HVA, ref.pfn);
	assert_true(oracle_check_use(&f->o, VCPU, e, base + 9, false));
	assert_false(oracle_check_use(&f->o, VCPU, e, base, false));
	assert_int_equal(f->o.kept[0].gfn, base);
	assert_int_equal(f->o.kept[0].pfn, ref.pfn);

	hostmem_free_frame(&f->mem, ref.pfn + 9);
	assert_false(oracle_check_use(&f->o, VCPU, e, base + 9, false));
	assert_int_equal(f->o.kept[1].gfn, base + 9);
	assert_int_equal(f->o.kept[1].pfn, ref.pfn + 9);
	assert_int_equal(f->o.kept[1].level, PG_LEVEL_2M);
	assert_false(f->o.kept[1].write);
}

static uint64_t fixed_accesses(void *arg)
{
	return *(uint64_t *)arg;
}

static void report_carries_access_count(void **state)
{
	struct fixture *f = *state;
	struct page_ref ref;
	struct tlb_entry *e = fault_in(f, HVA, GFN, &ref);
	uint64_t accesses = 1234;

	f->o.accesses_so_far = fixed_accesses;
	f->o.accesses_arg = &accesses;
	unmap_and_free(f, HVA, ref.pfn);
	assert_false(oracle_check_use(&f->o, VCPU, e, GFN, false));
	assert_int_equal(f->o.kept[0].accesses, 1234);
}

static void violation_names(void **state)
{
	(void)state;
	assert_string_equal(violation_name(VIOL_STALE_TLB_AFTER_FREE), "stale-tlb-after-free");
	assert_string_equal(violation_name(VIOL_WRITE_ESCAPED_TRACKING), "write-escaped-tracking");
	assert_string_equal(violation_name(VIOL_CONFLICTING_TRANSLATIONS),
			    "conflicting-translations");
	assert_string_equal(violation_name(NR_VIOLATION_KINDS), "?");
}

/* What violation_print() prints for v (malloc'd). */
static char *printed(const struct violation *v)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	assert_non_null(out);
	violation_print(out, v);
	fclose(out);
	return buf;
}

static void violation_print_names_the_use(void **state)
{
	const struct violation v = {
		.kind = VIOL_STALE_TLB_AFTER_FREE,
		.vcpu_id = 3,
		.gfn = 0x2a,
		.pfn = 0x99,
		.level = PG_LEVEL_4K,
		.write = true,
		.entry_epoch = 4,
		.current_epoch = 5,
	};
	char *buf;

	(void)state;
	buf = printed(&v);
	assert_non_null(strstr(buf, "stale-tlb-after-free"));
	assert_non_null(strstr(buf, "vCPU 3 wrote gfn 0x2a -> pfn 0x99"));
	assert_non_null(strstr(buf, "epoch 4"));
	assert_non_null(strstr(buf, "now 5"));
	free(buf);
}

/* The running kernel's finding speaks of the words the guest and the
 * host saw, not of TLB epochs the harness cannot see there. */
static void a_host_view_names_the_words(void **state)
{
	const struct violation v = {
		.kind = VIOL_STALE_TLB_AFTER_FREE,
		.vcpu_id = 1,
		.gfn = 0x20f,
		.write = true,
		.entry_epoch = 70ULL << 16 | 1,
		.current_epoch = 0xbad,
		.host_view = true,
	};
	char *buf;

	(void)state;
	buf = printed(&v);
	assert_non_null(strstr(buf, "vCPU 1 wrote 0x460001 (iteration 70 of vCPU 1) to gfn 0x20f"));
	assert_non_null(strstr(buf, "holds 0xbad (no guest's write)"));
	assert_null(strstr(buf, "epoch"));
	free(buf);
}

/* A ThreadSanitizer report, as a finding: what TSan called it, who met
 * it, how many there were. */
static void a_data_race_names_tsan_and_its_thread(void **state)
{
	struct violation v = {
		.kind = VIOL_DATA_RACE,
		.vcpu_id = -1,
		.entry_epoch = 2,
		.tsan_what = "data-race",
	};
	char *buf;

	(void)state;
	snprintf(v.walker, sizeof(v.walker), "N2");
	buf = printed(&v);
	assert_non_null(strstr(buf, "!!! data-race: ThreadSanitizer reported a data-race"));
	assert_non_null(strstr(buf, "seen by N2"));
	assert_non_null(strstr(buf, "2 TSan reports so far"));
	free(buf);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(live_translation_is_legal),
		T(unmapped_but_not_freed_is_legal),
		T(use_after_free_is_reported),
		T(keep_going_counts_without_stopping),
		T(reused_frame_keeps_stale_entry_stale),
		T(refault_after_free_is_legal),
		T(huge_entry_reports_used_frame),
		T(report_carries_access_count),
		cmocka_unit_test(violation_names),
		cmocka_unit_test(violation_print_names_the_use),
		cmocka_unit_test(a_host_view_names_the_words),
		cmocka_unit_test(a_data_race_names_tsan_and_its_thread),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
