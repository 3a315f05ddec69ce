// SPDX-License-Identifier: GPL-2.0
/*
 * Write-tracking's books: the add that protects a gfn revokes the right to
 * write it and completes the revocation when it returns; a nested add (the
 * gfn already tracked) protects nothing itself but completes the first
 * add's revocation too, since its caller relies on the protection from its
 * return. While a gfn stays tracked with its revocation complete, a write
 * walk that finds its SPTE writable is a violation. On a one-vCPU TDP VM
 * driven by hand.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../model/counter_ids.h"
#include "../../model/flush.h"
#include "../../model/write_track.h"
#include "../../oracle/oracle.h"
#include "../../oracle/write_rights.h"
#include "logged_vm.h"

#define G 5

static int setup(void **state)
{
	return logged_vm_setup(state, LOG_BITMAP, false);
}

static int teardown(void **state)
{
	return logged_vm_teardown(state);
}

static struct write_right *right_of(struct fixture *f)
{
	return &f->vm.kvm.rights->gfn[G];
}

static uint32_t done_of(struct fixture *f)
{
	return atomic_load(&right_of(f)->track_done);
}

static void first_add_revokes_and_completes(void **state)
{
	struct fixture *f = *state;
	struct kvm *kvm = &f->vm.kvm;
	uint32_t before = atomic_load(&right_of(f)->wp_epoch);

	assert_true(kvm->arch->page_fault(kvm->vcpus[0], G, true));
	kvm_write_track_add_gfn(kvm, G);
	assert_true(kvm_gfn_is_write_tracked(kvm, G));
	assert_int_equal(atomic_load(&right_of(f)->wp_epoch), before + 1);
	assert_int_equal(done_of(f), before + 1);
}

/* The first add's return not yet seen (its flush still running, as it
 * would be were the flush after mmu_unlock): a nested add's return
 * completes that revocation, and takes no new epoch of its own. */
static void nested_add_completes_the_first_revocation(void **state)
{
	struct fixture *f = *state;
	struct kvm *kvm = &f->vm.kvm;
	uint32_t epoch;

	kvm_write_track_add_gfn(kvm, G);
	epoch = atomic_load(&right_of(f)->wp_epoch);
	atomic_store(&right_of(f)->track_done, epoch - 1);
	kvm_write_track_add_gfn(kvm, G);
	assert_int_equal(atomic_load(&right_of(f)->wp_epoch), epoch);
	assert_int_equal(done_of(f), epoch);
}

/* Both released, the gfn is untracked; the next add is a first add again
 * and revokes anew. */
static void release_then_add_revokes_again(void **state)
{
	struct fixture *f = *state;
	struct kvm *kvm = &f->vm.kvm;
	uint32_t epoch;

	kvm_write_track_add_gfn(kvm, G);
	kvm_write_track_add_gfn(kvm, G);
	epoch = atomic_load(&right_of(f)->wp_epoch);
	kvm_write_track_remove_gfn(kvm, G);
	assert_true(kvm_gfn_is_write_tracked(kvm, G));
	kvm_write_track_remove_gfn(kvm, G);
	assert_false(kvm_gfn_is_write_tracked(kvm, G));
	kvm_write_track_add_gfn(kvm, G);
	assert_int_equal(atomic_load(&right_of(f)->wp_epoch), epoch + 1);
	assert_int_equal(done_of(f), epoch + 1);
}

/* The oracle's fill check: a writable SPTE found by a write walk while the
 * gfn stays tracked with its revocation complete is reported; untracked, a
 * revocation still in flight, or a new tracking period begun during the
 * walk, is not judged. */
static void writable_fill_of_settled_tracked_gfn_is_reported(void **state)
{
	struct fixture *f = *state;
	struct kvm *kvm = &f->vm.kvm;
	struct oracle *o = &f->vm.oracle;
	struct tracked_right untracked = oracle_tracked_right(kvm->rights, kvm->track->count, G);
	struct tracked_right settled;

	assert_false(untracked.settled);
	assert_true(oracle_check_tracked_write_fill(o, 0, G, 1, untracked, untracked));
	kvm_write_track_add_gfn(kvm, G);
	settled = oracle_tracked_right(kvm->rights, kvm->track->count, G);
	assert_true(settled.settled);
	/* Tracked through the walk: W must not have come back. */
	assert_false(oracle_check_tracked_write_fill(o, 0, G, 1, settled, settled));
	assert_int_equal(o->nr_kept, 1);
	assert_int_equal(o->kept[0].kind, VIOL_WRITE_ESCAPED_TRACKING);
	/* Untracked before the walk, tracked after: not judged. */
	assert_true(oracle_check_tracked_write_fill(o, 0, G, 1, untracked, settled));
	assert_int_equal(o->nr_kept, 1);
}

static void fill_during_revocation_or_new_period_is_legal(void **state)
{
	struct fixture *f = *state;
	struct kvm *kvm = &f->vm.kvm;
	struct oracle *o = &f->vm.oracle;
	struct tracked_right first, in_flight, second;
	uint32_t epoch;

	kvm_write_track_add_gfn(kvm, G);
	first = oracle_tracked_right(kvm->rights, kvm->track->count, G);
	kvm_write_track_remove_gfn(kvm, G);
	kvm_write_track_add_gfn(kvm, G);
	second = oracle_tracked_right(kvm->rights, kvm->track->count, G);
	/* Another tracking period began while the walk ran. */
	assert_true(oracle_check_tracked_write_fill(o, 0, G, 1, first, second));
	/* The add that revoked has not returned: its flush may still run. */
	epoch = atomic_load(&right_of(f)->track_done);
	atomic_store(&right_of(f)->track_done, epoch - 1);
	in_flight = oracle_tracked_right(kvm->rights, kvm->track->count, G);
	assert_false(in_flight.settled);
	assert_true(oracle_check_tracked_write_fill(o, 0, G, 1, in_flight, in_flight));
	assert_int_equal(o->nr_kept, 0);
}

/* A policy's own reason to flush: the write-protect of a gfn no SPTE maps
 * needs none by the rule, and flushes because the policy says so. */
static bool always(struct kvm *kvm, bool needed)
{
	(void)kvm;
	(void)needed;
	return true;
}

static const struct write_track_policy flush_always = { .must_flush = always };

static void a_policy_may_flush_when_no_spte_change_needs_it(void **state)
{
	struct fixture *f = *state;
	struct kvm *kvm = &f->vm.kvm;
	uint64_t before = counter_read(&f->ctx->counters, CNT_FLUSHES);

	kvm_write_track_add_gfn(kvm, G);
	assert_int_equal(counter_read(&f->ctx->counters, CNT_FLUSHES), before);
	kvm_write_track_remove_gfn(kvm, G);
	kvm->cfg.track_policy = &flush_always;
	kvm_write_track_add_gfn(kvm, G);
	assert_int_equal(counter_read(&f->ctx->counters, CNT_FLUSHES), before + 1);
}

static int setup_shadow(void **state)
{
	return logged_vm_setup_on(state, LOG_BITMAP, false, &x86_shadow_ops);
}

/* The shadow MMU write-protects a tracked gfn through its rmap: the leaf
 * loses W and MMU-writable, the change is flushed, and a write fault
 * while the gfn is tracked maps it read-only and is emulated. */
static void shadow_mmu_write_protects_a_tracked_gfn(void **state)
{
	struct fixture *f = *state;
	struct kvm *kvm = &f->vm.kvm;
	struct kvm_vcpu *vcpu = kvm->vcpus[0];
	uint64_t flushes = counter_read(&f->ctx->counters, CNT_FLUSHES);
	int level;

	kvm->policy = &flush_policy_tdp; /* faults under a read-held mmu_lock */
	assert_true(kvm->arch->page_fault(vcpu, G, true));
	assert_true(is_mmu_writable_spte(spt_peek_root(vcpu->root, G, &level)));
	kvm_write_track_add_gfn(kvm, G);
	assert_false(is_mmu_writable_spte(spt_peek_root(vcpu->root, G, &level)));
	assert_int_equal(counter_read(&f->ctx->counters, CNT_FLUSHES), flushes + 1);
	assert_true(kvm->arch->page_fault(vcpu, G, true));
	assert_true(vcpu->write_emulated);
	assert_false(is_writable_pte(spt_peek_root(vcpu->root, G, &level)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(first_add_revokes_and_completes, setup, teardown),
		cmocka_unit_test_setup_teardown(shadow_mmu_write_protects_a_tracked_gfn,
						setup_shadow, teardown),
		cmocka_unit_test_setup_teardown(a_policy_may_flush_when_no_spte_change_needs_it,
						setup, teardown),
		cmocka_unit_test_setup_teardown(nested_add_completes_the_first_revocation, setup,
						teardown),
		cmocka_unit_test_setup_teardown(release_then_add_revokes_again, setup, teardown),
		cmocka_unit_test_setup_teardown(writable_fill_of_settled_tracked_gfn_is_reported,
						setup, teardown),
		cmocka_unit_test_setup_teardown(fill_during_revocation_or_new_period_is_legal,
						setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
