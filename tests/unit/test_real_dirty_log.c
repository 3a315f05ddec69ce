// SPDX-License-Identifier: GPL-2.0
/*
 * Migration against the real kernel's dirty log, in each bitmap form: the
 * copy equals the working set after the last harvest; with initially-set
 * the first harvest reports every page; a harvest that leaves out a page
 * the guest wrote makes the comparison report it (the check can fail).
 * Skipped, saying why, where /dev/kvm cannot run a guest.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "../../real/dirty_log.h"

#define PAGES 128
#define VCPUS 2

struct fixture {
	struct real_vm vm;
	struct real_log log;
	uint64_t iteration;
};

static int setup_mode(void **state, enum real_log_mode mode)
{
	const struct real_vm_config cfg = {
		.nr_vcpus = VCPUS,
		.nr_pages = PAGES,
		.writes = 8,
		.seed = 7,
		.log_dirty = true,
		.manual_protect = mode == REAL_LOG_CLEAR,
	};
	static struct fixture f;
	char why[256];

	*state = NULL;
	if (real_kvm_usable(why, sizeof(why))) {
		fprintf(stderr, "skipped: %s\n", why);
		return 0;
	}
	memset(&f, 0, sizeof(f));
	if (real_vm_create(&f.vm, &cfg, why, sizeof(why)) ||
	    real_log_create(&f.log, &f.vm, mode, why, sizeof(why))) {
		fprintf(stderr, "%s\n", why);
		return -1;
	}
	real_log_first_copy(&f.log, &f.vm);
	*state = &f;
	return 0;
}

static int setup_get(void **state)
{
	return setup_mode(state, REAL_LOG_GET);
}

static int setup_clear(void **state)
{
	return setup_mode(state, REAL_LOG_CLEAR);
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	if (f) {
		real_log_destroy(&f->log);
		real_vm_destroy(&f->vm);
	}
	return 0;
}

/* One iteration of every vCPU, run here in turn. */
static void guest_iteration(struct fixture *f)
{
	char why[256];

	real_vm_set_iteration(&f->vm, ++f->iteration);
	for (int v = 0; v < VCPUS; v++)
		assert_int_equal(real_vcpu_run(&f->vm.vcpus[v], why, sizeof(why)), REAL_EXIT_SYNC);
}

static void count_lost(uint64_t page, uint64_t copy, uint64_t now, void *arg)
{
	(void)page;
	assert_true(now != copy);
	(*(uint64_t *)arg)++;
}

static int64_t harvest(struct fixture *f)
{
	char why[256];
	int64_t n = real_log_harvest(&f->log, &f->vm, why, sizeof(why));

	if (n < 0)
		fail_msg("%s", why);
	return n;
}

static void the_copy_matches_after_the_last_harvest(void **state)
{
	struct fixture *f = *state;
	uint64_t lost = 0;

	if (!f)
		skip();
	for (int round = 0; round < 4; round++) {
		guest_iteration(f);
		guest_iteration(f);
		assert_true(harvest(f) > 0);
	}
	assert_int_equal(harvest(f), 0); /* nothing written since */
	assert_int_equal(real_log_compare(&f->log, &f->vm, count_lost, &lost), 0);
	assert_int_equal(lost, 0);
}

static void initially_set_reports_every_page_first(void **state)
{
	struct fixture *f = *state;
	uint64_t lost = 0;

	if (!f)
		skip();
	assert_int_equal(harvest(f), PAGES);
	guest_iteration(f);
	assert_in_range(harvest(f), 1, 2 * 8);
	assert_int_equal(real_log_compare(&f->log, &f->vm, count_lost, &lost), 0);
}

static void a_dropped_report_is_found(void **state)
{
	struct fixture *f = *state;
	uint64_t lost = 0;

	if (!f)
		skip();
	if (f->log.mode == REAL_LOG_CLEAR)
		harvest(f); /* initially set: the first is every page */
	f->log.drop_first = true;
	guest_iteration(f);
	assert_true(harvest(f) > 0);
	assert_int_equal(f->log.dropped, 1);
	assert_int_equal(real_log_compare(&f->log, &f->vm, count_lost, &lost), 1);
	assert_int_equal(lost, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(the_copy_matches_after_the_last_harvest, setup_get,
						teardown),
		cmocka_unit_test_setup_teardown(the_copy_matches_after_the_last_harvest,
						setup_clear, teardown),
		cmocka_unit_test_setup_teardown(initially_set_reports_every_page_first, setup_clear,
						teardown),
		cmocka_unit_test_setup_teardown(a_dropped_report_is_found, setup_get, teardown),
		cmocka_unit_test_setup_teardown(a_dropped_report_is_found, setup_clear, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
