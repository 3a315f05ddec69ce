// SPDX-License-Identifier: GPL-2.0
/*
 * A walk policy's zap_flush_extent decides the range a zap walk flushes
 * for each leaf it zapped, beyond the two upstream forms: here, a policy
 * that flushes the whole VM for one zapped gfn, and one that flushes
 * nothing past the leaf's first page. On a one-vCPU TDP VM driven by hand.
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

static void whole_vm(gfn_t gfn, int level, gfn_t start, gfn_t end, gfn_t *lo, gfn_t *hi)
{
	(void)gfn;
	(void)level;
	(void)start;
	(void)end;
	*lo = 0;
	*hi = 64;
}

static const struct walk_policy flush_whole_vm = { TDP_WALK_POLICY, .range_flush = true,
						   .zap_flush_extent = whole_vm };
static const struct walk_policy upstream_range = { TDP_WALK_POLICY, .range_flush = true,
						   .flush_leaf_extent = true };

static int setup(void **state)
{
	return logged_vm_setup(state, LOG_BITMAP, false);
}

static int teardown(void **state)
{
	return logged_vm_teardown(state);
}

/* Pages the range flushes of one zap of G covered, under walk. */
static uint64_t pages_flushed_zapping_g(struct fixture *f, const struct walk_policy *walk)
{
	struct kvm *kvm = &f->vm.kvm;
	uint64_t before = counter_read(&f->ctx->counters, CNT_RANGE_PAGES);

	kvm->cfg.walk = walk;
	kvm->cfg.arch_range_flush = true; /* Hyper-V's range hypercall */
	assert_true(kvm->arch->page_fault(kvm->vcpus[0], G, true));
	mmu_lock(kvm, MMU_LOCK_WRITE);
	kvm->arch->unmap_gfn_range(kvm, G, G + 1);
	mmu_unlock(kvm, MMU_LOCK_WRITE);
	return counter_read(&f->ctx->counters, CNT_RANGE_PAGES) - before;
}

static void the_hook_chooses_the_flushed_range(void **state)
{
	assert_int_equal(pages_flushed_zapping_g(*state, &flush_whole_vm), 64);
}

static void without_it_the_leafs_extent_is_flushed(void **state)
{
	assert_int_equal(pages_flushed_zapping_g(*state, &upstream_range), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(the_hook_chooses_the_flushed_range, setup,
						teardown),
		cmocka_unit_test_setup_teardown(without_it_the_leafs_extent_is_flushed, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
