// SPDX-License-Identifier: GPL-2.0
/*
 * Moving a memslot (KVM_MR_MOVE) with dirty logging on: the move leaves no
 * SPTE at the old gfns and the slot's memory answers at the new ones; a
 * TLB entry filled before the move and used after it is reported
 * (stale-tlb-after-slot-change), one filled after is not; a zap given the
 * new range leaves an SPTE the move's check reports; the dirty bitmap goes
 * with the slot, and a harvest after the move copies by host page; a move
 * onto another slot changes nothing. On a one-vCPU TDP VM of two slots,
 * [0, 4) and [4, 8), with [8, 12) spare for slot 1, driven by hand.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../arch/arch.h"
#include "../../model/flush.h"
#include "../../model/memslots.h"
#include "../../oracle/oracle.h"
#include "logged_vm.h"

#define G 5	/* in slot 1 at home */
#define MOVED 9 /* G once slot 1 sits at 8 */
#define SPARE 8 /* where slot 1 moves */

static const struct memslot_policy zap_new_range = { .zap_slot_only = true,
						     .move_zaps_new_range = true };
static const struct memslot_policy drop_bitmap = { .move_drops_dirty_bitmap = true };

/* The judge of uses, walkers and memslot changes: the oracle made last. */
static struct oracle judge;

static int setup_with(void **state, const struct memslot_policy *p)
{
	const struct kvm_config kvm = {
		.nr_gfns = 12,
		.nr_memslots = 2,
		.nr_vcpus = 1,
		.tlb_entries = 16,
		.arch = &x86_tdp_ops,
		.policy = &flush_policy_tdp,
		.log_policy = &logged_vm_upstream,
		.log_mode = LOG_BITMAP,
		.memslot_changes = true,
		.memslot_moves = true,
		.memslot_policy = p,
	};
	struct fixture *f;

	if (hand_vm_setup(state, &kvm))
		return -1;
	f = *state;
	oracle_init(&judge, &f->vm.kvm.mem, 0);
	judge.keep_going = true;
	judge.slot_rights = &f->vm.kvm.slot_rights;
	return 0;
}

static int setup(void **state)
{
	return setup_with(state, NULL);
}

static int setup_zap_new_range(void **state)
{
	return setup_with(state, &zap_new_range);
}

static int setup_drop_bitmap(void **state)
{
	return setup_with(state, &drop_bitmap);
}

static int teardown(void **state)
{
	oracle_destroy(&judge);
	return logged_vm_teardown(state);
}

static bool bit_set(struct kvm *kvm, gfn_t gfn)
{
	return kvm->dirty_log->bitmap[gfn / BITS_PER_LONG] & (1UL << (gfn % BITS_PER_LONG));
}

static void a_move_leaves_no_spte_at_the_old_gfns(void **state)
{
	struct fixture *f = *state;
	struct kvm *kvm = &f->vm.kvm;

	assert_true(kvm->arch->page_fault(kvm->vcpus[0], G, true));
	kvm_move_memslot(kvm, 1, SPARE);
	assert_false(is_shadow_present_pte(hand_vm_spte(f, G)));
	assert_null(gfn_to_memslot(kvm, G));
	assert_int_equal(gfn_to_memslot(kvm, MOVED)->base_gfn, SPARE);
	/* The same memory at the new gfn: the slot's and the layout's. */
	assert_int_equal(gfn_to_hva(kvm, MOVED), G);
	assert_int_equal(gfn_layout_hva(kvm, MOVED), G);
	assert_true(kvm->arch->page_fault(kvm->vcpus[0], MOVED, true));
	assert_true(is_shadow_present_pte(hand_vm_spte(f, MOVED)));
	assert_int_equal(atomic_load(&judge.nr_violations), 0);
}

static void a_tlb_entry_from_before_a_move_is_reported(void **state)
{
	struct fixture *f = *state;
	struct kvm *kvm = &f->vm.kvm;
	struct tlb_entry before, after;

	assert_true(kvm->arch->page_fault(kvm->vcpus[0], G, true));
	before = hand_vm_tlb_entry(f, G);
	assert_true(oracle_check_use(&judge, 0, &before, G, true));
	kvm_move_memslot(kvm, 1, SPARE);
	assert_false(oracle_check_use(&judge, 0, &before, G, true));
	assert_int_equal(atomic_load(&judge.nr_violations), 1);
	assert_string_equal(violation_name(judge.kept[0].kind), "stale-tlb-after-slot-change");
	assert_int_equal(judge.kept[0].gfn, G);
	/* Filled after the move from the slot's new gfn: legal. */
	assert_true(kvm->arch->page_fault(kvm->vcpus[0], MOVED, true));
	after = hand_vm_tlb_entry(f, MOVED);
	assert_true(oracle_check_use(&judge, 0, &after, MOVED, true));
	assert_int_equal(atomic_load(&judge.nr_violations), 1);
}

/* A zap of the wrong range leaves the old gfn mapped: the move's own
 * check reports it as it returns, and a TLB entry filled from it after the
 * move is as stale as one from before. */
static void a_zap_of_the_new_range_is_reported(void **state)
{
	struct fixture *f = *state;
	struct kvm *kvm = &f->vm.kvm;
	struct tlb_entry refilled;

	assert_true(kvm->arch->page_fault(kvm->vcpus[0], G, true));
	kvm_move_memslot(kvm, 1, SPARE);
	assert_true(is_shadow_present_pte(hand_vm_spte(f, G)));
	assert_int_equal(atomic_load(&judge.nr_violations), 1);
	assert_string_equal(violation_name(judge.kept[0].kind), "spte-survived-slot-delete");
	assert_int_equal(judge.kept[0].gfn, G);
	refilled = hand_vm_tlb_entry(f, G);
	assert_false(oracle_check_use(&judge, 0, &refilled, G, false));
	assert_string_equal(violation_name(judge.kept[1].kind), "stale-tlb-after-slot-change");
	/* Moved back, the slot holds G again: a fill from now on is legal. */
	kvm_move_memslot(kvm, 1, 4);
	assert_true(kvm->arch->page_fault(kvm->vcpus[0], G, false));
	refilled = hand_vm_tlb_entry(f, G);
	assert_true(oracle_check_use(&judge, 0, &refilled, G, false));
}

static void the_dirty_bitmap_moves_with_the_slot(void **state)
{
	struct fixture *f = *state;
	struct kvm *kvm = &f->vm.kvm;

	dirty_log_enable(kvm);
	mark_page_dirty(kvm->vcpus[0], G);
	kvm_move_memslot(kvm, 1, SPARE);
	assert_false(bit_set(kvm, G));
	assert_true(bit_set(kvm, MOVED));
}

static void a_dropped_bitmap_loses_the_dirty_page(void **state)
{
	struct fixture *f = *state;
	struct kvm *kvm = &f->vm.kvm;

	dirty_log_enable(kvm);
	kvm_vcpu_write_guest(kvm->vcpus[0], G, 0x77);
	kvm_move_memslot(kvm, 1, SPARE);
	assert_false(bit_set(kvm, G));
	assert_false(bit_set(kvm, MOVED));
	assert_int_equal(dirty_log_quiesced_check(kvm, &judge), 1);
	assert_string_equal(violation_name(judge.kept[0].kind), "lost-dirty-write");
	assert_int_equal(judge.kept[0].gfn, MOVED);
}

/* Userspace copies by host page: a write at the new gfn reaches the copy
 * the old gfn had, and the quiesced check agrees. */
static void a_harvest_after_a_move_copies_the_slots_page(void **state)
{
	struct fixture *f = *state;
	struct kvm *kvm = &f->vm.kvm;

	dirty_log_enable(kvm);
	kvm_vcpu_write_guest(kvm->vcpus[0], G, 0x55);
	kvm_move_memslot(kvm, 1, SPARE);
	kvm_vcpu_write_guest(kvm->vcpus[0], MOVED, 0x66);
	assert_int_equal(dirty_log_harvest(kvm), 1);
	assert_int_equal(kvm->dirty_log->dest[G], 0x66);
	assert_int_equal(dirty_log_quiesced_check(kvm, &judge), 0);
	assert_int_equal(atomic_load(&judge.nr_violations), 0);
}

/* -EEXIST: the new range holds slot 0's gfns. */
static void a_move_onto_another_slot_changes_nothing(void **state)
{
	struct fixture *f = *state;
	struct kvm *kvm = &f->vm.kvm;

	assert_true(kvm->arch->page_fault(kvm->vcpus[0], G, true));
	kvm_move_memslot(kvm, 1, 2);
	assert_int_equal(gfn_to_memslot(kvm, G)->base_gfn, 4);
	assert_true(is_shadow_present_pte(hand_vm_spte(f, G)));
	assert_int_equal(atomic_load(&judge.nr_violations), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(a_move_leaves_no_spte_at_the_old_gfns, setup,
						teardown),
		cmocka_unit_test_setup_teardown(a_tlb_entry_from_before_a_move_is_reported, setup,
						teardown),
		cmocka_unit_test_setup_teardown(a_zap_of_the_new_range_is_reported,
						setup_zap_new_range, teardown),
		cmocka_unit_test_setup_teardown(the_dirty_bitmap_moves_with_the_slot, setup,
						teardown),
		cmocka_unit_test_setup_teardown(a_dropped_bitmap_loses_the_dirty_page,
						setup_drop_bitmap, teardown),
		cmocka_unit_test_setup_teardown(a_harvest_after_a_move_copies_the_slots_page, setup,
						teardown),
		cmocka_unit_test_setup_teardown(a_move_onto_another_slot_changes_nothing, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
