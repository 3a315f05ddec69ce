// SPDX-License-Identifier: GPL-2.0
/*
 * Remote range flushes through the real request path: the requester queues
 * [gfn, gfn + nr) and requests KVM_REQ_TLB_FLUSH_RANGE, each vCPU drops
 * exactly that range when it serves its requests, and an arch that cannot
 * flush a range makes the caller fall back to a full flush.
 *
 * The vCPUs are not threads here: they stay OUTSIDE_GUEST_MODE, so a
 * requester never waits, and the test serves their requests itself.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../arch/arch.h"
#include "../../model/flush.h"
#include "../../model/request.h"
#include "../../engine/thread.h"

#define NR_VCPUS 2
#define PAGES_2M 512ULL

struct fixture {
	struct kvm kvm;
	struct thread_ctx *ctx;
};

static int setup(void **state, bool arch_range_flush)
{
	const struct kvm_config cfg = {
		.nr_gfns = 4096,
		.nr_memslots = 1,
		.nr_vcpus = NR_VCPUS,
		.tlb_entries = 64,
		.tlb_huge = TLB_HUGE_ENTRY,
		.arch_range_flush = arch_range_flush,
		/* x86: the flushes are requests, the range a hypercall. */
		.arch = &x86_tdp_ops,
	};
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	/* Counters are counted into the calling thread's context; a zeroed
	 * one with no perturbation makes every schedule point a no-op. */
	f->ctx = aligned_alloc(64, sizeof(*f->ctx));
	if (!f->ctx || kvm_create(&f->kvm, &cfg)) {
		free(f->ctx);
		free(f);
		return -1;
	}
	memset(f->ctx, 0, sizeof(*f->ctx));
	current_thread = f->ctx;
	*state = f;
	return 0;
}

static int setup_range(void **state)
{
	return setup(state, true);
}

static int setup_no_range(void **state)
{
	return setup(state, false);
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	current_thread = NULL;
	kvm_destroy(&f->kvm);
	free(f->ctx);
	free(f);
	return 0;
}

static uint64_t counter(struct fixture *f, enum counter_id id)
{
	return counter_read(&f->ctx->counters, id);
}

static struct tlb *vcpu_tlb(struct fixture *f, int i)
{
	return &f->kvm.vcpus[i]->tlb;
}

/* Cache gfn in every vCPU's TLB, and check it is there, so a later miss can
 * only be the flush's doing. */
static void fill_all(struct fixture *f, gfn_t gfn)
{
	uint64_t spte = make_leaf_spte(gfn + 100, 1, PG_LEVEL_4K, true);

	for (int i = 0; i < NR_VCPUS; i++) {
		struct tlb_entry *e = tlb_fill(vcpu_tlb(f, i), gfn, spte, PG_LEVEL_4K);

		assert_ptr_equal(tlb_lookup(vcpu_tlb(f, i), gfn), e);
	}
}

static void fill_all_range(struct fixture *f, gfn_t first, gfn_t last)
{
	for (gfn_t gfn = first; gfn <= last; gfn++)
		fill_all(f, gfn);
	for (gfn_t gfn = first; gfn <= last; gfn++)
		for (int i = 0; i < NR_VCPUS; i++)
			assert_non_null(tlb_lookup(vcpu_tlb(f, i), gfn));
}

static void serve_all(struct fixture *f)
{
	for (int i = 0; i < NR_VCPUS; i++)
		kvm_vcpu_serve_requests(f->kvm.vcpus[i]);
}

static void assert_cached_everywhere(struct fixture *f, gfn_t gfn)
{
	for (int i = 0; i < NR_VCPUS; i++)
		assert_non_null(tlb_lookup(vcpu_tlb(f, i), gfn));
}

static void assert_cached_nowhere(struct fixture *f, gfn_t gfn)
{
	for (int i = 0; i < NR_VCPUS; i++)
		assert_null(tlb_lookup(vcpu_tlb(f, i), gfn));
}

static void assert_requested(struct fixture *f, int req)
{
	for (int i = 0; i < NR_VCPUS; i++)
		assert_true(test_bit(req, &f->kvm.vcpus[i]->requests));
}

static void assert_no_requests(struct fixture *f)
{
	for (int i = 0; i < NR_VCPUS; i++)
		assert_false(kvm_request_pending(f->kvm.vcpus[i]));
}

static void range_flush_is_half_open(void **state)
{
	struct fixture *f = *state;

	fill_all_range(f, 10, 20);
	kvm_flush_remote_tlbs_range(&f->kvm, 12, 3);

	/* A remote flush is a request: nothing is dropped until each vCPU
	 * serves it. */
	assert_requested(f, KVM_REQ_TLB_FLUSH_RANGE);
	assert_false(test_bit(KVM_REQ_TLB_FLUSH, &f->kvm.vcpus[0]->requests));
	assert_cached_everywhere(f, 12);

	serve_all(f);
	assert_no_requests(f);
	assert_cached_nowhere(f, 12);
	assert_cached_nowhere(f, 13);
	assert_cached_nowhere(f, 14);
	assert_cached_everywhere(f, 11);
	assert_cached_everywhere(f, 15);
	assert_cached_everywhere(f, 10);
	assert_cached_everywhere(f, 20);

	assert_int_equal(counter(f, CNT_RANGE_FLUSHES), 1);
	assert_int_equal(counter(f, CNT_RANGE_PAGES), 3);
	assert_int_equal(counter(f, CNT_RANGE_FALLBACKS), 0);
	assert_int_equal(counter(f, CNT_FLUSHES), 0);
	assert_int_equal(counter(f, CNT_REQUESTS), NR_VCPUS);
	assert_int_equal(counter(f, CNT_KICKS), 0);
	assert_int_equal(counter(f, CNT_TLB_DROPPED), 3 * NR_VCPUS);
}

/* A served range is consumed: serving again drops nothing more. */
static void served_range_is_consumed(void **state)
{
	struct fixture *f = *state;

	fill_all_range(f, 10, 20);
	kvm_flush_remote_tlbs_range(&f->kvm, 12, 3);
	serve_all(f);
	for (int i = 0; i < NR_VCPUS; i++)
		assert_int_equal(f->kvm.vcpus[i]->nr_ranges, 0);

	fill_all(f, 13);
	serve_all(f);
	assert_cached_everywhere(f, 13);
}

static void queued_ranges_all_served(void **state)
{
	struct fixture *f = *state;

	fill_all_range(f, 10, 20);
	kvm_flush_remote_tlbs_range(&f->kvm, 11, 1);
	kvm_flush_remote_tlbs_range(&f->kvm, 18, 2);
	serve_all(f);
	assert_cached_nowhere(f, 11);
	assert_cached_nowhere(f, 18);
	assert_cached_nowhere(f, 19);
	assert_cached_everywhere(f, 10);
	assert_cached_everywhere(f, 12);
	assert_cached_everywhere(f, 17);
	assert_cached_everywhere(f, 20);
	assert_int_equal(counter(f, CNT_RANGE_FLUSHES), 2);
	assert_int_equal(counter(f, CNT_RANGE_PAGES), 3);
}

/* More ranges than a vCPU can queue: it must flush everything, never
 * forget the ranges that did not fit. */
static void range_overflow_flushes_all(void **state)
{
	struct fixture *f = *state;

	fill_all_range(f, 10, 20);
	for (gfn_t gfn = 10; gfn < 10 + VCPU_MAX_PENDING_RANGES + 1; gfn++)
		kvm_flush_remote_tlbs_range(&f->kvm, gfn, 1);
	for (int i = 0; i < NR_VCPUS; i++)
		assert_true(f->kvm.vcpus[i]->ranges_overflowed);
	serve_all(f);
	for (gfn_t gfn = 10; gfn <= 20; gfn++)
		assert_cached_nowhere(f, gfn);
	for (int i = 0; i < NR_VCPUS; i++)
		assert_false(f->kvm.vcpus[i]->ranges_overflowed);
}

static void arch_without_range_says_eopnotsupp(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(kvm_arch_flush_remote_tlbs_range(&f->kvm, 12, 3), -EOPNOTSUPP);
	/* It must not have half-done the job either. */
	assert_no_requests(f);
	for (int i = 0; i < NR_VCPUS; i++)
		assert_int_equal(f->kvm.vcpus[i]->nr_ranges, 0);
	assert_int_equal(counter(f, CNT_RANGE_FLUSHES), 0);
}

static void arch_with_range_says_zero(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(kvm_arch_flush_remote_tlbs_range(&f->kvm, 12, 3), 0);
	for (int i = 0; i < NR_VCPUS; i++) {
		struct kvm_vcpu *v = f->kvm.vcpus[i];

		assert_int_equal(v->nr_ranges, 1);
		assert_int_equal(v->ranges[0].start, 12);
		assert_int_equal(v->ranges[0].nr, 3);
	}
	assert_requested(f, KVM_REQ_TLB_FLUSH_RANGE);
}

static void fallback_flushes_everything(void **state)
{
	struct fixture *f = *state;

	fill_all_range(f, 10, 20);
	kvm_flush_remote_tlbs_range(&f->kvm, 12, 3);
	assert_requested(f, KVM_REQ_TLB_FLUSH);
	assert_false(test_bit(KVM_REQ_TLB_FLUSH_RANGE, &f->kvm.vcpus[0]->requests));

	serve_all(f);
	assert_no_requests(f);
	for (gfn_t gfn = 10; gfn <= 20; gfn++)
		assert_cached_nowhere(f, gfn);

	assert_int_equal(counter(f, CNT_RANGE_FALLBACKS), 1);
	assert_int_equal(counter(f, CNT_FLUSHES), 1);
	assert_int_equal(counter(f, CNT_RANGE_FLUSHES), 0);
	assert_int_equal(counter(f, CNT_RANGE_PAGES), 0);
	assert_int_equal(counter(f, CNT_TLB_DROPPED), 11 * NR_VCPUS);
}

static void gfn_flush_covers_huge_page(void **state)
{
	struct fixture *f = *state;
	const gfn_t base = PAGES_2M;

	fill_all(f, base - 1);
	fill_all(f, base);
	fill_all(f, base + 188);
	fill_all(f, base + PAGES_2M - 1);
	fill_all(f, base + PAGES_2M);
	assert_cached_everywhere(f, base - 1);
	assert_cached_everywhere(f, base);
	assert_cached_everywhere(f, base + 188);
	assert_cached_everywhere(f, base + PAGES_2M - 1);

	kvm_flush_remote_tlbs_gfn(&f->kvm, base + 188, PG_LEVEL_2M);
	serve_all(f);
	assert_cached_nowhere(f, base);
	assert_cached_nowhere(f, base + 188);
	assert_cached_nowhere(f, base + PAGES_2M - 1);
	assert_cached_everywhere(f, base - 1);
	assert_cached_everywhere(f, base + PAGES_2M);
	assert_int_equal(counter(f, CNT_RANGE_PAGES), PAGES_2M);
}

static void gfn_flush_4k_is_one_page(void **state)
{
	struct fixture *f = *state;

	fill_all_range(f, 10, 20);
	kvm_flush_remote_tlbs_gfn(&f->kvm, 13, PG_LEVEL_4K);
	serve_all(f);
	assert_cached_nowhere(f, 13);
	assert_cached_everywhere(f, 12);
	assert_cached_everywhere(f, 14);
	assert_int_equal(counter(f, CNT_RANGE_PAGES), 1);
}

static void gfn_flush_without_range_flushes_all(void **state)
{
	struct fixture *f = *state;

	fill_all(f, 100);
	fill_all(f, 3000);
	assert_cached_everywhere(f, 100);
	kvm_flush_remote_tlbs_gfn(&f->kvm, 100, PG_LEVEL_2M);
	serve_all(f);
	assert_cached_nowhere(f, 100);
	assert_cached_nowhere(f, 3000);
	assert_int_equal(counter(f, CNT_RANGE_FALLBACKS), 1);
}

#define WITH_RANGE(fn) cmocka_unit_test_setup_teardown(fn, setup_range, teardown)
#define WITHOUT_RANGE(fn) cmocka_unit_test_setup_teardown(fn, setup_no_range, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		WITH_RANGE(range_flush_is_half_open),
		WITH_RANGE(served_range_is_consumed),
		WITH_RANGE(queued_ranges_all_served),
		WITH_RANGE(range_overflow_flushes_all),
		WITH_RANGE(arch_with_range_says_zero),
		WITH_RANGE(gfn_flush_covers_huge_page),
		WITH_RANGE(gfn_flush_4k_is_one_page),
		WITHOUT_RANGE(arch_without_range_says_eopnotsupp),
		WITHOUT_RANGE(fallback_flushes_everything),
		WITHOUT_RANGE(gfn_flush_without_range_flushes_all),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
