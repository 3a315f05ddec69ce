// SPDX-License-Identifier: GPL-2.0
/*
 * The TDP MMU's fault install and aging as 6.18 has them: a fault that
 * finds the leaf already allowing its access is spurious (386d69f9f29b); a
 * fault that takes MMU-writable away flushes (1a175082b190); the forms
 * before both downgrade without a flush; aging with A/D bits clears A and
 * nothing else. On a one-vCPU TDP VM driven by hand.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../model/counter_ids.h"
#include "../../model/walk_policy.h"
#include "logged_vm.h"

#define G 5

static const struct walk_policy walk_618 = { .carry_flush = true, .flush_before_yield = true };
static const struct walk_policy walk_612 = {
	.carry_flush = true,
	.flush_before_yield = true,
	.fault_overwrites_allowed_leaf = true,
	.fault_leaf_change_skips_flush = true,
};

static int setup(void **state)
{
	return logged_vm_setup(state, LOG_BITMAP, false);
}

static int setup_ad_bits(void **state)
{
	return logged_vm_setup(state, LOG_BITMAP, true);
}

static int teardown(void **state)
{
	return logged_vm_teardown(state);
}

static uint64_t spte_of(struct fixture *f)
{
	int level;

	return spt_peek_root(f->vm.kvm.vcpus[0]->root, G, &level);
}

static uint64_t counted(struct fixture *f, int id)
{
	return counter_read(&f->ctx->counters, id);
}

static uint64_t flushes(struct fixture *f)
{
	return counted(f, CNT_FLUSHES) + counted(f, CNT_RANGE_FLUSHES);
}

/* vCPU 0 faults on G (a read's pfn lookup may come back read-only). */
static void fault(struct fixture *f, bool write, bool pfn_read_only)
{
	struct kvm_vcpu *vcpu = f->vm.kvm.vcpus[0];

	vcpu->fault_pfn_read_only = pfn_read_only;
	assert_true(f->vm.kvm.arch->page_fault(vcpu, G, write));
}

/* The slow path's install alone, as a read fault with a read-only pfn
 * that found G's SPTE absent in the lockless fast path reaches it after a
 * racing fault or aging changed the SPTE: the walk reads what is there. */
static void slow_read_fault(struct fixture *f, const struct walk_policy *walk)
{
	struct kvm *kvm = &f->vm.kvm;
	struct kvm_vcpu *vcpu = kvm->vcpus[0];
	struct page_ref page = hostmem_get_page(&kvm->mem, gfn_to_hva(kvm, G));

	vcpu->fault_pfn_read_only = true;
	tdp_map_target_leaf(vcpu, spt_slot_root(vcpu->root, G, PG_LEVEL_4K), G, page, false, walk);
}

/* Bugzilla 219588's sequence, serialized: the write fault's leaf is there
 * when the read fault with a read-only pfn walks. 6.18: spurious, the leaf
 * stays MMU-writable, nothing is flushed. */
static void read_fault_over_a_writable_leaf_is_spurious(void **state)
{
	struct fixture *f = *state;
	uint64_t spurious, flushed, before;

	fault(f, true, false);
	before = spte_of(f);
	assert_true(is_mmu_writable_spte(before));
	spurious = counted(f, CNT_SPURIOUS_FAULTS);
	flushed = flushes(f);
	slow_read_fault(f, &walk_618);
	assert_int_equal(spte_of(f), before);
	assert_int_equal(counted(f, CNT_SPURIOUS_FAULTS), spurious + 1);
	assert_int_equal(flushes(f), flushed);
	assert_int_equal(counted(f, CNT_FAULT_DOWNGRADES), 0);
}

/* An aged leaf (access-tracked) allows no read: the read fault with a
 * read-only pfn replaces it with a leaf that is not MMU-writable, and
 * flushes, since a TLB filled before the aging may hold it writable. */
static void downgrading_an_aged_leaf_flushes(void **state)
{
	struct fixture *f = *state;
	struct kvm *kvm = &f->vm.kvm;
	uint64_t flushed;

	fault(f, true, false);
	assert_true(kvm->arch->age_gfn(kvm, G, true));
	assert_true(is_access_track_spte(spte_of(f)));
	flushed = flushes(f);
	slow_read_fault(f, &walk_618);
	assert_true(is_hw_present_pte(spte_of(f)));
	assert_false(is_mmu_writable_spte(spte_of(f)));
	assert_int_equal(counted(f, CNT_FAULT_DOWNGRADES), 1);
	assert_int_equal(flushes(f), flushed + 1);
}

/* Up to 6.12: the read fault installs over the writable leaf, and the
 * leaf-to-leaf change flushes nothing. */
static void the_612_form_downgrades_without_a_flush(void **state)
{
	struct fixture *f = *state;
	uint64_t flushed;

	fault(f, true, false);
	flushed = flushes(f);
	slow_read_fault(f, &walk_612);
	assert_false(is_mmu_writable_spte(spte_of(f)));
	assert_int_equal(counted(f, CNT_FAULT_DOWNGRADES), 1);
	assert_int_equal(flushes(f), flushed);
}

/* A read-only pfn over an empty SPTE maps a leaf with neither W nor
 * MMU-writable (host-writable clear), and a write fault makes it writable
 * with no flush: nothing is taken away. */
static void read_only_pfn_maps_a_leaf_that_is_not_mmu_writable(void **state)
{
	struct fixture *f = *state;
	uint64_t flushed;

	fault(f, false, true);
	assert_false(is_writable_pte(spte_of(f)));
	assert_false(is_mmu_writable_spte(spte_of(f)));
	flushed = flushes(f);
	fault(f, true, false);
	assert_true(is_writable_pte(spte_of(f)));
	assert_int_equal(flushes(f), flushed);
}

/* Lockless aging with A/D bits: an atomic AND of ~A, which leaves W, D
 * and MMU-writable as they were (tdp_mmu_clear_spte_bits_atomic()). */
static void aging_with_ad_bits_clears_accessed_only(void **state)
{
	struct fixture *f = *state;
	struct kvm *kvm = &f->vm.kvm;
	uint64_t before;

	fault(f, true, false);
	before = spte_of(f);
	assert_true(before & SPTE_ACCESSED);
	assert_true(kvm->arch->age_gfn(kvm, G, true));
	assert_int_equal(spte_of(f), before & ~SPTE_ACCESSED);
	assert_false(kvm->arch->age_gfn(kvm, G, false));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(read_fault_over_a_writable_leaf_is_spurious, setup,
						teardown),
		cmocka_unit_test_setup_teardown(downgrading_an_aged_leaf_flushes, setup, teardown),
		cmocka_unit_test_setup_teardown(the_612_form_downgrades_without_a_flush, setup,
						teardown),
		cmocka_unit_test_setup_teardown(read_only_pfn_maps_a_leaf_that_is_not_mmu_writable,
						setup, teardown),
		cmocka_unit_test_setup_teardown(aging_with_ad_bits_clears_accessed_only,
						setup_ad_bits, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
