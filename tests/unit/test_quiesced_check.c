// SPDX-License-Identifier: GPL-2.0
/*
 * The quiesced check (dirty_log_test's end): a write that no harvest after
 * it reports is a lost dirty write; a write whose mark is still pending is
 * reported by the check's own final harvest and is legal. Both, in every
 * --log mode, on a one-vCPU VM driven by hand: the vCPU stays outside
 * guest mode, so flushes never wait.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../arch/arch.h"
#include "../../core/dirty_log.h"
#include "../../core/run.h"

#define G 5

static const struct dirty_log_policy upstream = {
	.harvest_flush = HARVEST_FLUSH_IF_REAPED,
	.ring_reset_flushes = true,
	.ring_flags_ordered = true,
	.enable_always_flushes = true,
	.leaf_change_needs_flush = leaf_spte_change_needs_tlb_flush,
};

struct fixture {
	struct run run;
	struct thread_ctx *ctx;
};

static int setup(void **state, enum dirty_log_mode mode)
{
	struct run_config cfg = {
		.kvm = {
			.nr_gfns = 64,
			.nr_memslots = 1,
			.nr_vcpus = 1,
			.tlb_entries = 16,
			.log_policy = &upstream,
			.log_mode = mode,
		},
		.keep_going = true,
	};
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	f->ctx = aligned_alloc(64, sizeof(*f->ctx));
	if (!f->ctx || run_init(&f->run, &cfg))
		return -1;
	memset(f->ctx, 0, sizeof(*f->ctx));
	current_thread = f->ctx;
	f->run.kvm.arch = &x86_tdp_ops;
	*state = f;
	return 0;
}

static int setup_bitmap(void **state) { return setup(state, LOG_BITMAP); }
static int setup_clear(void **state) { return setup(state, LOG_CLEAR); }
static int setup_ring(void **state) { return setup(state, LOG_RING); }

static int teardown(void **state)
{
	struct fixture *f = *state;

	current_thread = NULL;
	run_destroy(&f->run);
	free(f->ctx);
	free(f);
	return 0;
}

/* The guest's store into G's frame, as a write through a TLB entry does:
 * no fault, no mark. */
static void store(struct kvm *kvm, gfn_t gfn, uint64_t value)
{
	kvm_pfn_t pfn = atomic_load(&kvm->mem.hva_pfn[gfn_to_hva(kvm, gfn)]);

	assert_int_not_equal(pfn, HVA_NO_FRAME);
	atomic_store(hostmem_content(&kvm->mem, pfn), value);
}

/* A write that faults first: the fault makes G writable and marks it. */
static void write_after_fault(struct kvm *kvm, gfn_t gfn, uint64_t value)
{
	struct kvm_vcpu *vcpu = kvm->vcpus[0];
	int level;

	assert_true(kvm->arch->page_fault(vcpu, gfn, true));
	assert_true(is_writable_pte(spt_walk_root(vcpu->root, gfn, &level)));
	store(kvm, gfn, value);
}

static void lost_write_is_caught(void **state)
{
	struct fixture *f = *state;
	struct kvm *kvm = &f->run.kvm;
	const struct violation *v = &f->run.oracle.kept[0];

	dirty_log_enable(kvm);
	write_after_fault(kvm, G, 0x1111);
	assert_true(dirty_log_harvest(kvm) >= 1);
	/* Through a writable TLB entry the harvest should have flushed. */
	store(kvm, G, 0x2222);
	assert_int_equal(dirty_log_quiesced_check(&f->run), 1);
	assert_int_equal(f->run.oracle.nr_kept, 1);
	assert_int_equal(v->kind, VIOL_LOST_DIRTY_WRITE);
	assert_true(v->quiesced);
	assert_int_equal(v->gfn, G);
	assert_int_equal(v->entry_epoch, 0x1111); /* the destination's copy */
	assert_int_equal(v->current_epoch, 0x2222);
}

static void in_flight_write_is_legal(void **state)
{
	struct fixture *f = *state;
	struct kvm *kvm = &f->run.kvm;

	dirty_log_enable(kvm);
	write_after_fault(kvm, G, 0x1111);
	assert_true(dirty_log_harvest(kvm) >= 1);
	/* G is write-protected again: this write faults, the fast path marks
	 * it, and no harvest has run since. */
	write_after_fault(kvm, G, 0x3333);
	assert_int_equal(dirty_log_quiesced_check(&f->run), 0);
	assert_int_equal(f->run.oracle.nr_kept, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(lost_write_is_caught, setup_bitmap, teardown),
		cmocka_unit_test_setup_teardown(in_flight_write_is_legal, setup_bitmap, teardown),
		cmocka_unit_test_setup_teardown(lost_write_is_caught, setup_clear, teardown),
		cmocka_unit_test_setup_teardown(in_flight_write_is_legal, setup_clear, teardown),
		cmocka_unit_test_setup_teardown(lost_write_is_caught, setup_ring, teardown),
		cmocka_unit_test_setup_teardown(in_flight_write_is_legal, setup_ring, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
