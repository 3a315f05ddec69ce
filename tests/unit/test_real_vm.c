// SPDX-License-Identifier: GPL-2.0
/*
 * A real VM on /dev/kvm: the guest program runs in 64-bit mode, exits at
 * each iteration, and leaves in each page it wrote its vCPU's word with
 * the iteration the host set; a bad configuration is refused with its
 * reason. Skipped, saying why, where /dev/kvm cannot run a guest.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "../../real/kvm_vm.h"

#define PAGES 64
#define VCPUS 2

static int setup(void **state)
{
	const struct real_vm_config cfg = {
		.nr_vcpus = VCPUS, .nr_pages = PAGES, .writes = 16, .seed = 1
	};
	static struct real_vm vm;
	char why[256];

	if (real_kvm_usable(why, sizeof(why))) {
		fprintf(stderr, "skipped: %s\n", why);
		*state = NULL;
		return 0;
	}
	if (real_vm_create(&vm, &cfg, why, sizeof(why))) {
		fprintf(stderr, "real_vm_create: %s\n", why);
		real_vm_destroy(&vm);
		return -1;
	}
	*state = &vm;
	return 0;
}

static int teardown(void **state)
{
	if (*state)
		real_vm_destroy(*state);
	return 0;
}

/* The words of vCPU v that hold iteration i's value. */
static int words_of(const struct real_vm *vm, int v, uint64_t i)
{
	int n = 0;

	for (uint64_t p = 0; p < PAGES; p++)
		n += ((const uint64_t *)(vm->ws + p * REAL_PAGE_SIZE))[v] == real_guest_value(i, v);
	return n;
}

static void the_guest_runs_iterations(void **state)
{
	struct real_vm *vm = *state;
	char why[256];

	if (!vm)
		skip();
	for (uint64_t i = 1; i <= 3; i++) {
		real_vm_set_iteration(vm, i);
		for (int v = 0; v < VCPUS; v++)
			assert_int_equal(real_vcpu_run(&vm->vcpus[v], why, sizeof(why)),
					 REAL_EXIT_SYNC);
	}
	/* Iteration 3's 16 writes per vCPU: at least one page each (two
	 * writes may pick one page), and none of another vCPU's word. */
	for (int v = 0; v < VCPUS; v++) {
		assert_in_range(words_of(vm, v, 3), 1, 16);
		assert_int_equal(words_of(vm, v, 4), 0);
	}
}

static void a_bad_configuration_says_why(void **state)
{
	const struct real_vm_config cfg = { .nr_vcpus = 1, .nr_pages = 48, .writes = 1 };
	struct real_vm vm;
	char why[256] = "";

	(void)state;
	assert_int_equal(real_vm_create(&vm, &cfg, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "48 working-set pages: a power of two"));
	real_vm_destroy(&vm);
}

/* A hole punched in the memfd behind the working set frees its pages:
 * what the guest wrote there reads as zero, and the pages beside it keep
 * theirs. */
static void a_punched_hole_reads_as_zero(void **state)
{
	const struct real_vm_config cfg = {
		.nr_vcpus = 1, .nr_pages = PAGES, .writes = 64, .seed = 1, .memfd = true
	};
	struct real_vm vm;
	char why[256];
	uint64_t written = 0;

	(void)state;
	if (real_kvm_usable(why, sizeof(why)))
		skip();
	assert_int_equal(real_vm_create(&vm, &cfg, why, sizeof(why)), 0);
	real_vm_set_iteration(&vm, 1);
	assert_int_equal(real_vcpu_run(&vm.vcpus[0], why, sizeof(why)), REAL_EXIT_SYNC);
	for (uint64_t p = 0; p < PAGES; p++)
		written += ((const uint64_t *)(vm.ws + p * REAL_PAGE_SIZE))[0] != 0;
	assert_int_equal(real_vm_punch_hole(&vm, 0, PAGES / 2, why, sizeof(why)), 0);
	for (uint64_t p = 0; p < PAGES; p++) {
		uint64_t w = ((const uint64_t *)(vm.ws + p * REAL_PAGE_SIZE))[0];

		if (p < PAGES / 2)
			assert_int_equal(w, 0);
		else
			written -= w != 0;
	}
	/* 64 writes over 64 pages: some land in the half kept. */
	assert_true(written < PAGES);
	real_vm_destroy(&vm);
}

/* A guest_memfd working set where the kernel offers one; where it does
 * not, the reason names what is missing and no VM is half made. */
static void a_guest_memfd_is_made_or_refused_with_its_reason(void **state)
{
	const struct real_vm_config cfg = {
		.nr_vcpus = 1, .nr_pages = PAGES, .writes = 16, .seed = 1, .guest_memfd = true
	};
	struct real_vm vm;
	char why[256] = "";

	(void)state;
	if (real_kvm_usable(why, sizeof(why)))
		skip();
	if (real_kvm_guest_memfd(why, sizeof(why))) {
		assert_non_null(strstr(why, "guest_memfd"));
		assert_int_equal(real_vm_create(&vm, &cfg, why, sizeof(why)), -1);
		assert_non_null(strstr(why, "KVM_CREATE_GUEST_MEMFD"));
		real_vm_destroy(&vm);
		return;
	}
	assert_int_equal(real_vm_create(&vm, &cfg, why, sizeof(why)), 0);
	real_vm_set_iteration(&vm, 1);
	assert_int_equal(real_vcpu_run(&vm.vcpus[0], why, sizeof(why)), REAL_EXIT_SYNC);
	assert_in_range(words_of(&vm, 0, 1), 1, 16);
	real_vm_destroy(&vm);
}

static void a_logged_guest_memfd_is_refused(void **state)
{
	const struct real_vm_config cfg = { .nr_vcpus = 1,
					    .nr_pages = PAGES,
					    .writes = 1,
					    .guest_memfd = true,
					    .log_dirty = true };
	struct real_vm vm;
	char why[256] = "";

	(void)state;
	assert_int_equal(real_vm_create(&vm, &cfg, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "refuses dirty logging"));
	real_vm_destroy(&vm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(the_guest_runs_iterations, setup, teardown),
		cmocka_unit_test(a_bad_configuration_says_why),
		cmocka_unit_test(a_punched_hole_reads_as_zero),
		cmocka_unit_test(a_guest_memfd_is_made_or_refused_with_its_reason),
		cmocka_unit_test(a_logged_guest_memfd_is_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
