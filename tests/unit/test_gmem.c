// SPDX-License-Identifier: GPL-2.0
/*
 * guest_memfd's hole punch: the punch zaps what maps the hole, frees its
 * folios and closes its window; inside the window a fault on any gfn of
 * the hole retries, across every slot it spans, and the form that kept
 * only the last slot's range lets a fault on the first slot through; the
 * MMU notifier never touches a guest_memfd slot. On a one-vCPU TDP VM of
 * two-gfn guest_memfd slots, driven by hand.
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
#include "../../model/guest_memfd.h"
#include "../../model/notifier.h"
#include "logged_vm.h"

static const struct gmem_policy keeps_last = { .range_keeps_last_slot = true };

static int setup(void **state)
{
	const struct kvm_config kvm = {
		.nr_gfns = 64,
		.nr_memslots = 32, /* [0, 2), [2, 4), ... */
		.nr_vcpus = 1,
		.tlb_entries = 16,
		.gmem = true,
		.arch = &x86_tdp_ops,
		.policy = &flush_policy_tdp,
	};

	return hand_vm_setup(state, &kvm);
}

static int teardown(void **state)
{
	return logged_vm_teardown(state);
}

static uint64_t spte_of(struct fixture *f, gfn_t gfn)
{
	int level;

	return spt_peek_root(f->vm.kvm.vcpus[0]->root, gfn, &level);
}

static void the_punch_zaps_frees_and_closes_its_window(void **state)
{
	struct fixture *f = *state;
	struct kvm *kvm = &f->vm.kvm;
	unsigned long seq = kvm_mmu_invalidate_seq_read(kvm);
	kvm_pfn_t pfn;
	uint32_t gen;

	assert_true(kvm->arch->page_fault(kvm->vcpus[0], 1, true));
	pfn = spte_to_pfn(spte_of(f, 1));
	gen = hostmem_frame_gen(&kvm->mem, pfn);
	kvm_gmem_punch_hole(kvm, 1, 3);
	assert_false(is_shadow_present_pte(spte_of(f, 1)));
	assert_true(hostmem_frame_gen(&kvm->mem, pfn) != gen);
	assert_int_equal(atomic_load(&kvm->mmu_invalidate_in_progress), 0);
	assert_true(mmu_invalidate_retry_gfn(kvm, seq, 1));
	/* The hole reads as zero. */
	assert_int_equal(atomic_load(hostmem_content(&kvm->mem, gfn_to_hva(kvm, 1))), 0);
}

/* Inside the window, both slots' gfns retry; a gfn outside does not. */
static void inside_the_window_every_slot_of_the_hole_retries(void **state)
{
	struct fixture *f = *state;
	struct kvm *kvm = &f->vm.kvm;
	unsigned long seq = kvm_mmu_invalidate_seq_read(kvm);

	assert_true(kvm_gmem_invalidate_begin(kvm, 1, 3));
	assert_true(mmu_invalidate_retry_gfn(kvm, seq, 1));
	assert_true(mmu_invalidate_retry_gfn(kvm, seq, 2));
	assert_false(mmu_invalidate_retry_gfn(kvm, seq, 5));
	kvm_gmem_invalidate_end(kvm);
}

/* The form posted before the 6.8 merge: the first slot's gfn passes. */
static void keeping_the_last_slots_range_lets_the_first_slot_through(void **state)
{
	struct fixture *f = *state;
	struct kvm *kvm = &f->vm.kvm;
	unsigned long seq = kvm_mmu_invalidate_seq_read(kvm);

	kvm->cfg.gmem_policy = &keeps_last;
	assert_true(kvm_gmem_invalidate_begin(kvm, 1, 3));
	assert_false(mmu_invalidate_retry_gfn(kvm, seq, 1));
	assert_true(mmu_invalidate_retry_gfn(kvm, seq, 2));
	kvm_gmem_invalidate_end(kvm);
}

/* No host mapping, no notifier: an hva unmap leaves the SPTE alone. */
static void the_mmu_notifier_skips_guest_memfd_slots(void **state)
{
	struct fixture *f = *state;
	struct kvm *kvm = &f->vm.kvm;

	assert_true(kvm->arch->page_fault(kvm->vcpus[0], 1, true));
	kvm_mmu_notifier_invalidate_range_start(kvm, 0, 4);
	kvm_mmu_notifier_invalidate_range_end(kvm, 0, 4);
	assert_true(is_shadow_present_pte(spte_of(f, 1)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(the_punch_zaps_frees_and_closes_its_window, setup,
						teardown),
		cmocka_unit_test_setup_teardown(inside_the_window_every_slot_of_the_hole_retries,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			keeping_the_last_slots_range_lets_the_first_slot_through, setup, teardown),
		cmocka_unit_test_setup_teardown(the_mmu_notifier_skips_guest_memfd_slots, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
