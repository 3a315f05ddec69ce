// SPDX-License-Identifier: GPL-2.0
/*
 * Memslots under SRCU: a delete zaps and flushes what mapped the slot and
 * leaves no SPTE of it; a fault on a slot being deleted retries and on no
 * slot is an MMIO access; the delete's check reports a planted SPTE that
 * survived it; a reader that kept a freed memslot set reports
 * walker-used-freed-table; a TLB entry from before a delete, used after it,
 * is reported (stale-tlb-after-slot-change); a swap waits for the
 * MMU-notifier invalidations in flight. On a one-vCPU TDP VM of two
 * slots, [0, 4) and [4, 8), driven by hand.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../arch/arch.h"
#include "../../model/counter_ids.h"
#include "../../model/flush.h"
#include "../../model/memslots.h"
#include "../../oracle/oracle.h"
#include "logged_vm.h"

#define G 5 /* in slot 1 */

/* The judge of walkers and deletes: the oracle made last. */
static struct oracle judge;

static int setup(void **state)
{
	const struct kvm_config kvm = {
		.nr_gfns = 8,
		.nr_memslots = 2,
		.nr_vcpus = 1,
		.tlb_entries = 16,
		.arch = &x86_tdp_ops,
		.policy = &flush_policy_tdp,
		.memslot_changes = true,
	};
	int r = hand_vm_setup(state, &kvm);

	if (r)
		return r;
	oracle_init(&judge, &((struct fixture *)*state)->vm.kvm.mem, 0);
	judge.keep_going = true;
	judge.slot_rights = &((struct fixture *)*state)->vm.kvm.slot_rights;
	return 0;
}

static int teardown(void **state)
{
	oracle_destroy(&judge);
	return logged_vm_teardown(state);
}

static void a_delete_leaves_no_spte_of_the_slot(void **state)
{
	struct fixture *f = *state;
	struct kvm *kvm = &f->vm.kvm;
	uint64_t flushes = counter_read(&f->ctx->counters, CNT_FLUSHES);

	assert_true(kvm->arch->page_fault(kvm->vcpus[0], G, true));
	assert_true(is_shadow_present_pte(hand_vm_spte(f, G)));
	kvm_delete_memslot(kvm, 1);
	assert_false(is_shadow_present_pte(hand_vm_spte(f, G)));
	assert_int_equal(counter_read(&f->ctx->counters, CNT_FLUSHES), flushes + 1);
	assert_int_equal(atomic_load(&judge.nr_violations), 0);
	assert_null(gfn_to_memslot(kvm, G));
}

/* No slot: the access is MMIO, emulated, and nothing is mapped. */
static void a_fault_on_no_slot_is_mmio(void **state)
{
	struct fixture *f = *state;
	struct kvm *kvm = &f->vm.kvm;

	kvm_delete_memslot(kvm, 1);
	assert_true(kvm->arch->page_fault(kvm->vcpus[0], G, true));
	assert_true(kvm->vcpus[0]->mmio_emulated);
	assert_false(is_shadow_present_pte(hand_vm_spte(f, G)));
	kvm_create_memslot(kvm, 1, 4, 4);
	assert_non_null(gfn_to_memslot(kvm, G));
}

/* A slot marked invalid (the delete's first swap): the fault retries and
 * maps nothing (kvm_mmu_faultin_pfn()'s RET_PF_RETRY). */
static void a_fault_on_an_invalid_slot_retries(void **state)
{
	struct fixture *f = *state;
	struct kvm *kvm = &f->vm.kvm;

	kvm_memslots(kvm)->slots[1].flags |= KVM_MEMSLOT_INVALID;
	assert_false(kvm->arch->page_fault(kvm->vcpus[0], G, true));
	assert_false(kvm->vcpus[0]->mmio_emulated);
	assert_false(is_shadow_present_pte(hand_vm_spte(f, G)));
	kvm_memslots(kvm)->slots[1].flags = 0;
}

/* A planted SPTE of a deleted slot: the delete's check reports it. */
static void a_planted_spte_after_a_delete_is_reported(void **state)
{
	struct fixture *f = *state;
	struct kvm *kvm = &f->vm.kvm;
	struct kvm_memory_slot old = *gfn_to_memslot(kvm, G);

	kvm_delete_memslot(kvm, 1);
	assert_int_equal(atomic_load(&judge.nr_violations), 0);
	spt_set_leaf(kvm, G, PG_LEVEL_4K, make_leaf_spte(3, 0, PG_LEVEL_4K, true));
	kvm_memslot_check_deleted(kvm, &old);
	assert_int_equal(atomic_load(&judge.nr_violations), 1);
	assert_string_equal(violation_name(judge.kept[0].kind), "spte-survived-slot-delete");
	assert_int_equal(judge.kept[0].gfn, G);
	assert_int_equal(judge.kept[0].pfn, 3);
}

/* The memory is still there (userspace has not freed it yet): only the
 * memslot right says the entry outlived the delete. */
static void a_tlb_entry_from_before_a_delete_is_reported(void **state)
{
	struct fixture *f = *state;
	struct kvm *kvm = &f->vm.kvm;
	struct tlb_entry e;

	assert_true(kvm->arch->page_fault(kvm->vcpus[0], G, false));
	e = hand_vm_tlb_entry(f, G);
	assert_true(oracle_check_use(&judge, 0, &e, G, false));
	kvm_delete_memslot(kvm, 1);
	assert_false(oracle_check_use(&judge, 0, &e, G, false));
	assert_int_equal(judge.kept[0].kind, VIOL_STALE_TLB_AFTER_SLOT_CHANGE);
	/* A gfn of the slot that stays is not touched. */
	e.gfn = 1;
	e.slot_epoch = 0;
	assert_true(oracle_check_use(&judge, 0, &e, 1, false));
}

/* A reader that kept the set from before a delete (it held no SRCU read
 * side, or the swap did not wait for it) reads its poison. */
static void a_reader_of_a_freed_set_is_reported(void **state)
{
	struct fixture *f = *state;
	struct kvm *kvm = &f->vm.kvm;
	struct kvm_memslots *old = kvm_memslots(kvm);

	kvm_delete_memslot(kvm, 1);
	assert_null(memslots_lookup(old, 1));
	assert_int_equal(atomic_load(&judge.nr_violations), 1);
	assert_int_equal(judge.kept[0].kind, VIOL_WALKER_USED_FREED_TABLE);
	assert_int_equal(judge.kept[0].level, 0);
	assert_int_equal(judge.kept[0].gfn, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(a_delete_leaves_no_spte_of_the_slot, setup,
						teardown),
		cmocka_unit_test_setup_teardown(a_fault_on_no_slot_is_mmio, setup, teardown),
		cmocka_unit_test_setup_teardown(a_fault_on_an_invalid_slot_retries, setup,
						teardown),
		cmocka_unit_test_setup_teardown(a_planted_spte_after_a_delete_is_reported, setup,
						teardown),
		cmocka_unit_test_setup_teardown(a_tlb_entry_from_before_a_delete_is_reported, setup,
						teardown),
		cmocka_unit_test_setup_teardown(a_reader_of_a_freed_set_is_reported, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
