// SPDX-License-Identifier: GPL-2.0
/*
 * Where the dirty-log path flushes is the VM's flush policy's to say: a
 * bitmap harvest and logging's enable make the policy's flush, before
 * dropping mmu_lock when dirty_log_flushes_under_lock says so, after it
 * (today's kvm_get_dirty_log_protect()) otherwise. On a one-vCPU TDP VM
 * driven by hand.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../model/flush.h"
#include "logged_vm.h"

#define G 5

static struct kvm *flushed_kvm;
static int flushes, flushes_under_lock;

/* The policy's flush: counts, and notes whether mmu_lock was held. */
static void counting_flush(struct kvm *kvm)
{
	flushes++;
	if (pthread_rwlock_trywrlock(&kvm->mmu_lock) == EBUSY)
		flushes_under_lock++;
	else
		pthread_rwlock_unlock(&kvm->mmu_lock);
	flushed_kvm = kvm;
}

static const struct flush_policy after_unlock = { FLUSH_POLICY_TDP, .flush = counting_flush };
static const struct flush_policy under_lock = { FLUSH_POLICY_TDP, .flush = counting_flush,
						.dirty_log_flushes_under_lock = true };

static int setup(void **state)
{
	flushes = flushes_under_lock = 0;
	flushed_kvm = NULL;
	return logged_vm_setup(state, LOG_BITMAP, false);
}

static int teardown(void **state)
{
	return logged_vm_teardown(state);
}

/* Enable logging, dirty G by a write fault, harvest it. */
static void enable_write_harvest(struct fixture *f, const struct flush_policy *p)
{
	struct kvm *kvm = &f->vm.kvm;

	kvm->policy = p;
	dirty_log_enable(kvm);
	assert_true(kvm->arch->page_fault(kvm->vcpus[0], G, true));
	assert_true(dirty_log_harvest(kvm) >= 1);
}

static void the_policys_flush_after_dropping_the_lock(void **state)
{
	struct fixture *f = *state;

	enable_write_harvest(f, &after_unlock);
	assert_ptr_equal(flushed_kvm, &f->vm.kvm);
	assert_int_equal(flushes, 2); /* the enable's and the harvest's */
	assert_int_equal(flushes_under_lock, 0);
}

static void the_policys_flush_under_the_lock(void **state)
{
	struct fixture *f = *state;

	enable_write_harvest(f, &under_lock);
	assert_int_equal(flushes, 2);
	assert_int_equal(flushes_under_lock, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(the_policys_flush_after_dropping_the_lock, setup,
						teardown),
		cmocka_unit_test_setup_teardown(the_policys_flush_under_the_lock, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
