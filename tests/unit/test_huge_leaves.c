// SPDX-License-Identifier: GPL-2.0
/*
 * Huge leaves in the TDP model: a fault in a THP-backed memslot maps one
 * 2M leaf over contiguous frames; zapping any 4K gfn inside it zaps the
 * whole leaf; and when the host unmaps part of the THP, only the unmapped
 * frames move on, so the oracle flags a splintered TLB entry for those gfns
 * and not for the rest of the huge page.
 *
 * One vCPU that never enters guest mode: a requester never waits on it.
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
#include "../../model/notifier.h"
#include "../../oracle/oracle.h"
#include "../../engine/thread.h"
#include "huge_vm.h"

struct fixture {
	struct kvm kvm;
	struct oracle o;
	struct thread_ctx *ctx;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f || huge_vm_create(&f->kvm, &f->ctx)) {
		free(f);
		return -1;
	}
	oracle_init(&f->o, &f->kvm.mem, 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	oracle_destroy(&f->o);
	huge_vm_destroy(&f->kvm, f->ctx);
	free(f);
	return 0;
}

static struct kvm_vcpu *vcpu0(struct fixture *f)
{
	return f->kvm.vcpus[0];
}

static uint64_t fault_huge(struct fixture *f, int *level)
{
	uint64_t spte;

	assert_true(x86_tdp_ops.page_fault(vcpu0(f), GFN, false));
	spte = spt_walk_root(vcpu0(f)->root, GFN, level);
	assert_true(is_shadow_present_pte(spte));
	return spte;
}

static void fault_maps_one_leaf_over_contiguous_frames(void **state)
{
	struct fixture *f = *state;
	int level = 0;
	uint64_t spte = fault_huge(f, &level);
	kvm_pfn_t base = spte_to_pfn(spte);

	assert_int_equal(level, PG_LEVEL_2M);
	assert_int_equal(base % PAGES_2M, 0);
	for (uint64_t i = 0; i < PAGES_2M; i++) {
		int l = 0;

		assert_int_equal(atomic_load(&f->kvm.mem.hva_pfn[PAGES_2M + i]), base + i);
		assert_int_equal(spt_walk_root(vcpu0(f)->root, PAGES_2M + i, &l), spte);
		/* One generation for the block: the leaf's tag holds for all. */
		assert_int_equal(frame_gen_tag(hostmem_frame_gen(&f->kvm.mem, base + i)),
				 spte_frame_gen(spte));
	}
	assert_int_equal(current_thread->counters.v[CNT_HUGE_MAPS], 1);
	/* The first block's pages are untouched and unbacked. */
	assert_int_equal(atomic_load(&f->kvm.mem.hva_pfn[0]), HVA_NO_FRAME);
}

static void zapping_one_gfn_zaps_the_whole_leaf(void **state)
{
	struct fixture *f = *state;
	int level;

	fault_huge(f, &level);
	mmu_lock(&f->kvm, MMU_LOCK_WRITE);
	assert_true(x86_tdp_ops.unmap_gfn_range(&f->kvm, GFN + 100, GFN + 101));
	mmu_unlock(&f->kvm, MMU_LOCK_WRITE);
	for (uint64_t i = 0; i < PAGES_2M; i += 37)
		assert_int_equal(spt_walk_root(vcpu0(f)->root, PAGES_2M + i, &level), 0);
	assert_int_equal(current_thread->counters.v[CNT_ZAPS], 1);
}

static void partial_unmap_frees_only_its_frames(void **state)
{
	struct fixture *f = *state;
	struct tlb *tlb = &vcpu0(f)->tlb;
	int level;
	uint64_t spte = fault_huge(f, &level);
	kvm_pfn_t base = spte_to_pfn(spte);
	uint32_t gen = hostmem_frame_gen(&f->kvm.mem, base);
	const gfn_t gone = GFN, kept = GFN + 1;
	struct tlb_entry gone_e, kept_e;

	/* A splintering TLB caches each 4K piece of the leaf on its own. */
	gone_e = *tlb_fill(tlb, gone, spte, level);
	kept_e = *tlb_fill(tlb, kept, spte, level);
	assert_int_equal(gone_e.level, PG_LEVEL_4K);

	host_unmap_range(&f->kvm, gone, gone + 1);
	assert_int_equal(hostmem_frame_gen(&f->kvm.mem, base + (gone - PAGES_2M)), gen + 1);
	for (uint64_t i = 0; i < PAGES_2M; i++)
		if (PAGES_2M + i != gone)
			assert_int_equal(hostmem_frame_gen(&f->kvm.mem, base + i), gen);
	/* The split left the rest mapped page by page, and maps 4K now. */
	assert_int_equal(atomic_load(&f->kvm.mem.hva_pfn[kept]), base + (kept - PAGES_2M));
	assert_int_equal(hostmem_mapping_level(&f->kvm.mem, kept, base + (kept - PAGES_2M)),
			 PG_LEVEL_4K);

	assert_true(oracle_check_use(&f->o, 0, &kept_e, kept, false));
	assert_int_equal(atomic_load(&f->o.nr_violations), 0);
	assert_false(oracle_check_use(&f->o, 0, &gone_e, gone, false));
	assert_int_equal(atomic_load(&f->o.nr_violations), 1);
	assert_int_equal(f->o.kept[0].gfn, gone);
	assert_int_equal(f->o.kept[0].pfn, base + (gone - PAGES_2M));
}

#define TEST(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(fault_maps_one_leaf_over_contiguous_frames),
		TEST(zapping_one_gfn_zaps_the_whole_leaf),
		TEST(partial_unmap_frees_only_its_frames),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
