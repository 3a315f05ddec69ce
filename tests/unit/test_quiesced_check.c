// SPDX-License-Identifier: GPL-2.0
/*
 * The quiesced check (dirty_log_test's end): a write that no harvest after
 * it reports is a lost dirty write; a write whose mark is still pending is
 * reported by the check's own final harvest and is legal. Both, in every
 * --log mode, with write-protection and with A/D bits (PML), on a one-vCPU
 * VM driven by hand: the vCPU stays outside guest mode, so flushes never
 * wait.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "logged_vm.h"

#define G 5

static int setup(void **state, enum dirty_log_mode mode, bool ad_bits)
{
	return logged_vm_setup(state, mode, ad_bits);
}

static int setup_bitmap(void **state)
{
	return setup(state, LOG_BITMAP, false);
}
static int setup_clear(void **state)
{
	return setup(state, LOG_CLEAR, false);
}
static int setup_ring(void **state)
{
	return setup(state, LOG_RING, false);
}
static int setup_bitmap_pml(void **state)
{
	return setup(state, LOG_BITMAP, true);
}
static int setup_clear_pml(void **state)
{
	return setup(state, LOG_CLEAR, true);
}
static int setup_ring_pml(void **state)
{
	return setup(state, LOG_RING, true);
}

static int teardown(void **state)
{
	return logged_vm_teardown(state);
}

/* The guest's store into G's page, as a write through a TLB entry does:
 * no fault, no mark. */
static void store(struct kvm *kvm, gfn_t gfn, uint64_t value)
{
	uint64_t hva = gfn_to_hva(kvm, gfn);

	assert_int_not_equal(atomic_load(&kvm->mem.hva_pfn[hva]), HVA_NO_FRAME);
	atomic_store(hostmem_content(&kvm->mem, hva), value);
}

/* A write as the vCPU makes it: walk (faulting first if the SPTE does not
 * allow it), fill the TLB, set D through the entry if the hardware has A/D
 * bits (PML logs the gfn), store. */
static void write_as_vcpu(struct kvm *kvm, gfn_t gfn, uint64_t value)
{
	struct kvm_vcpu *vcpu = kvm->vcpus[0];
	struct tlb_entry *e;
	int level;
	uint64_t leaf = spt_walk_root(vcpu->root, gfn, &level);

	if (!is_hw_present_pte(leaf) || !is_writable_pte(leaf)) {
		assert_true(kvm->arch->page_fault(vcpu, gfn, true));
		leaf = spt_walk_root(vcpu->root, gfn, &level);
	}
	assert_true(is_writable_pte(leaf));
	e = tlb_fill(&vcpu->tlb, gfn, leaf, level);
	if (kvm->cfg.ad_bits && !e->dirty)
		assert_true(ept_write_sets_dirty(vcpu, gfn, e));
	store(kvm, gfn, value);
}

static void lost_write_is_caught(void **state)
{
	struct fixture *f = *state;
	struct kvm *kvm = &f->vm.kvm;
	const struct violation *v = &f->vm.oracle.kept[0];

	dirty_log_enable(kvm);
	write_as_vcpu(kvm, G, 0x1111);
	assert_true(dirty_log_harvest(kvm) >= 1);
	/* Through a writable TLB entry the harvest should have flushed. */
	store(kvm, G, 0x2222);
	assert_int_equal(dirty_log_quiesced_check(kvm, &f->vm.oracle), 1);
	assert_int_equal(f->vm.oracle.nr_kept, 1);
	assert_int_equal(v->kind, VIOL_LOST_DIRTY_WRITE);
	assert_true(v->quiesced);
	assert_int_equal(v->gfn, G);
	assert_int_equal(v->entry_epoch, 0x1111); /* the destination's copy */
	assert_int_equal(v->current_epoch, 0x2222);
}

static void in_flight_write_is_legal(void **state)
{
	struct fixture *f = *state;
	struct kvm *kvm = &f->vm.kvm;

	dirty_log_enable(kvm);
	write_as_vcpu(kvm, G, 0x1111);
	assert_true(dirty_log_harvest(kvm) >= 1);
	/* G is write-protected again (or its D is clear): this write faults
	 * and the fast path marks it (or the hardware sets D and logs it),
	 * and no harvest has run since. */
	write_as_vcpu(kvm, G, 0x3333);
	assert_int_equal(dirty_log_quiesced_check(kvm, &f->vm.oracle), 0);
	assert_int_equal(f->vm.oracle.nr_kept, 0);
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
		cmocka_unit_test_setup_teardown(lost_write_is_caught, setup_bitmap_pml, teardown),
		cmocka_unit_test_setup_teardown(in_flight_write_is_legal, setup_bitmap_pml,
						teardown),
		cmocka_unit_test_setup_teardown(lost_write_is_caught, setup_clear_pml, teardown),
		cmocka_unit_test_setup_teardown(in_flight_write_is_legal, setup_clear_pml,
						teardown),
		cmocka_unit_test_setup_teardown(lost_write_is_caught, setup_ring_pml, teardown),
		cmocka_unit_test_setup_teardown(in_flight_write_is_legal, setup_ring_pml, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
