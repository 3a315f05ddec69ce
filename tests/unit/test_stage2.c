// SPDX-License-Identifier: GPL-2.0
/*
 * The arm64 stage-2 walker's order, recorded step by step: break, TLBI
 * (only for a valid old PTE), D-cache clean, I-cache invalidation (only
 * for an executable PTE), make; -EAGAIN for a mapping that is already
 * there or locked; relax_perms invalidating the I-cache before it adds X;
 * the unmap walker's clear, TLBI and clean; what FWB and DIC leave out;
 * and each variant's departure from that order.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../arch/arch.h"
#include "../../engine/run.h"
#include "../../arch/arm64_pgtable.h"
#include "../../model/stage2_policy.h"
#include "../../model/tlbi.h"
#include "../../workers/vm.h"

#define MAX_STEPS 32

struct fixture {
	struct run run;
	struct vm vm;
	struct thread_ctx *ctx;
	enum stage2_step steps[MAX_STEPS];
	int nr_steps;
};

static void record(enum stage2_step s, gfn_t gfn, int level, void *arg)
{
	struct fixture *f = arg;

	(void)gfn;
	(void)level;
	assert_true(f->nr_steps < MAX_STEPS);
	f->steps[f->nr_steps++] = s;
}

static int setup(void **state)
{
	const struct run_config cfg = { .keep_going = true };
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	f->ctx = aligned_alloc(64, sizeof(*f->ctx));
	f->vm.cfg.kvm = (struct kvm_config){
		.nr_gfns = 1024, /* two 2M blocks */
		.nr_memslots = 1,
		.nr_vcpus = 1,
		.tlb_entries = 16,
		.arch = &arm64_stage2_ops,
	};
	if (!f->ctx || run_init(&f->run, &cfg, &f->vm, &vm_subject_ops))
		return -1;
	memset(f->ctx, 0, sizeof(*f->ctx));
	current_thread = f->ctx;
	stage2_set_step_hook(record, f);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	stage2_set_step_hook(NULL, NULL);
	current_thread = NULL;
	run_destroy(&f->run);
	free(f->ctx);
	free(f);
	return 0;
}

#define expect_steps(f, ...)                                         \
	do {                                                         \
		const enum stage2_step want[] = { __VA_ARGS__ };     \
		int n = (int)(sizeof(want) / sizeof(want[0]));       \
		assert_int_equal((f)->nr_steps, n);                  \
		assert_memory_equal((f)->steps, want, sizeof(want)); \
		(f)->nr_steps = 0;                                   \
	} while (0)

#define expect_no_steps(f) assert_int_equal((f)->nr_steps, 0)

static struct kvm *kvm_of(struct fixture *f)
{
	return &f->vm.kvm;
}

static bool fault(struct fixture *f, gfn_t gfn, bool exec)
{
	struct kvm_vcpu *v = kvm_of(f)->vcpus[0];

	v->fault_exec = exec;
	return kvm_of(f)->arch->page_fault(v, gfn, false);
}

static uint64_t pte_of(struct fixture *f, gfn_t gfn)
{
	int level;

	return spt_walk_root(kvm_of(f)->root, gfn, &level);
}

static bool poc_fresh(struct fixture *f, gfn_t gfn, enum guest_access_kind kind)
{
	uint32_t seen, latest;

	return cache_access_fresh(kvm_of(f)->cache, spte_to_pfn(pte_of(f, gfn)), kind, &seen,
				  &latest);
}

static void read_fault_breaks_cleans_makes(void **state)
{
	struct fixture *f = *state;

	assert_true(fault(f, 5, false));
	expect_steps(f, STAGE2_BREAK, STAGE2_CMO_DCACHE, STAGE2_MAKE);
	assert_true(is_shadow_present_pte(pte_of(f, 5)));
	assert_true(pte_of(f, 5) & S2_PTE_XN);
	assert_true(poc_fresh(f, 5, ACCESS_NONCACHEABLE));
}

static void exec_fault_also_invalidates_the_icache(void **state)
{
	struct fixture *f = *state;

	assert_true(fault(f, 6, true));
	expect_steps(f, STAGE2_BREAK, STAGE2_CMO_DCACHE, STAGE2_CMO_ICACHE, STAGE2_MAKE);
	assert_false(pte_of(f, 6) & S2_PTE_XN);
	assert_true(poc_fresh(f, 6, ACCESS_FETCH));
}

/* Concurrent faults on one IPA: the one that installs pays. */
static void second_fault_finds_it_done(void **state)
{
	struct fixture *f = *state;
	uint64_t eagain = f->ctx->counters.v[CNT_S2_EAGAIN];

	fault(f, 7, false);
	f->nr_steps = 0;
	assert_true(fault(f, 7, false));
	expect_no_steps(f);
	assert_int_equal(f->ctx->counters.v[CNT_S2_EAGAIN], eagain + 1);
}

static void locked_pte_is_left_to_its_breaker(void **state)
{
	struct fixture *f = *state;

	WRITE_ONCE(*spt_slot_root(kvm_of(f)->root, 8, PG_LEVEL_4K), S2_PTE_LOCKED);
	assert_int_equal(kvm_pgtable_stage2_map(kvm_of(f), 8, PG_LEVEL_4K, 40, 0, STAGE2_PROT_W),
			 -EAGAIN);
	expect_no_steps(f);
	assert_true(stage2_pte_locked(READ_ONCE(*spt_slot_root(kvm_of(f)->root, 8, PG_LEVEL_4K))));
}

static void replacing_a_valid_leaf_invalidates_it_first(void **state)
{
	struct fixture *f = *state;

	fault(f, 9, false);
	f->nr_steps = 0;
	assert_int_equal(kvm_pgtable_stage2_map(kvm_of(f), 9, PG_LEVEL_4K, 41, 0, STAGE2_PROT_W),
			 0);
	expect_steps(f, STAGE2_BREAK, STAGE2_TLBI_IPA, STAGE2_CMO_DCACHE, STAGE2_MAKE);
	assert_int_equal(spte_to_pfn(pte_of(f, 9)), 41);
}

/* A fetch from a page mapped without X: relax_perms, no break; the
 * I-cache is invalidated before X is added. */
static void relax_perms_invalidates_before_adding_x(void **state)
{
	struct fixture *f = *state;

	fault(f, 10, false);
	f->nr_steps = 0;
	assert_true(fault(f, 10, true));
	expect_steps(f, STAGE2_CMO_ICACHE, STAGE2_RELAX);
	assert_false(pte_of(f, 10) & S2_PTE_XN);
}

static void unmap_clears_invalidates_then_cleans(void **state)
{
	struct fixture *f = *state;
	struct kvm *kvm = kvm_of(f);

	fault(f, 11, false);
	f->nr_steps = 0;
	assert_false(kvm->arch->unmap_gfn_range(kvm, 11, 12));
	expect_steps(f, STAGE2_TLBI_IPA, STAGE2_CMO_DCACHE);
	assert_int_equal(pte_of(f, 11), 0);
}

static void fwb_and_dic_spare_their_cmos(void **state)
{
	struct fixture *f = *state;

	kvm_of(f)->cache->features = (struct cpu_features){ .fwb = true, .idc = true };
	fault(f, 12, true);
	expect_steps(f, STAGE2_BREAK, STAGE2_CMO_ICACHE, STAGE2_MAKE);
	kvm_of(f)->cache->features = (struct cpu_features){ .dic = true };
	fault(f, 13, false);
	expect_steps(f, STAGE2_BREAK, STAGE2_CMO_DCACHE, STAGE2_MAKE);
	assert_false(pte_of(f, 13) & S2_PTE_XN); /* DIC: executable from the start */
}

static void make_before_cmo_publishes_first(void **state)
{
	static const struct stage2_policy p = { .make_before_cmo = true };
	struct fixture *f = *state;

	kvm_of(f)->cfg.stage2 = &p;
	fault(f, 14, true);
	expect_steps(f, STAGE2_BREAK, STAGE2_MAKE, STAGE2_CMO_DCACHE, STAGE2_CMO_ICACHE);
}

static void cmo_in_abort_pays_on_every_fault(void **state)
{
	static const struct stage2_policy p = { .cmo_in_abort = true };
	struct fixture *f = *state;

	kvm_of(f)->cfg.stage2 = &p;
	fault(f, 15, false);
	expect_steps(f, STAGE2_CMO_DCACHE, STAGE2_BREAK, STAGE2_MAKE);
	fault(f, 15, false);
	expect_steps(f, STAGE2_CMO_DCACHE);
	/* A fetch from the non-executable page is a permission fault: no
	 * D-cache clean, the I-cache invalidated here and not again by
	 * relax_perms. */
	fault(f, 15, true);
	expect_steps(f, STAGE2_CMO_ICACHE, STAGE2_RELAX);
}

static void no_break_replaces_valid_by_valid(void **state)
{
	static const struct stage2_policy p = { .no_break = true };
	struct fixture *f = *state;

	fault(f, 16, false);
	f->nr_steps = 0;
	kvm_of(f)->cfg.stage2 = &p;
	assert_int_equal(kvm_pgtable_stage2_map(kvm_of(f), 16, PG_LEVEL_4K, 42, 0, STAGE2_PROT_W),
			 0);
	expect_steps(f, STAGE2_CMO_DCACHE, STAGE2_MAKE);
}

/* A 2M block at gfn 512 (the fixture's second block), over frames
 * 256-767. */
#define BLOCK_GFN 512
#define BLOCK_PFN 256

static void map_block(struct fixture *f)
{
	assert_int_equal(kvm_pgtable_stage2_map(kvm_of(f), BLOCK_GFN, PG_LEVEL_2M, BLOCK_PFN, 0,
						STAGE2_PROT_W),
			 0);
	f->nr_steps = 0;
}

static int level_of(struct fixture *f, gfn_t gfn)
{
	int level = 0;

	spt_walk_root(kvm_of(f)->root, gfn, &level);
	return level;
}

/* A fault at 4K into a valid block (logging on): break the block, TLBI it
 * by IPA at its level, clean it to PoC (its other pages leave stage 2
 * until they fault, as an unmap's do), make an empty table, then map the
 * page. */
static void a_page_fault_into_a_block_splits_it(void **state)
{
	struct fixture *f = *state;
	uint64_t cleaned;

	map_block(f);
	cleaned = f->ctx->counters.v[CNT_DCACHE_PAGES];
	assert_int_equal(kvm_pgtable_stage2_map(kvm_of(f), BLOCK_GFN + 5, PG_LEVEL_4K,
						BLOCK_PFN + 5, 0, STAGE2_PROT_W),
			 0);
	expect_steps(f, STAGE2_BREAK, STAGE2_TLBI_IPA, STAGE2_CMO_DCACHE, STAGE2_MAKE, STAGE2_BREAK,
		     STAGE2_CMO_DCACHE, STAGE2_MAKE);
	/* The block's 512 pages, then the new leaf's one. */
	assert_int_equal(f->ctx->counters.v[CNT_DCACHE_PAGES] - cleaned, 513);
	assert_int_equal(level_of(f, BLOCK_GFN + 5), PG_LEVEL_4K);
	assert_int_equal(pte_of(f, BLOCK_GFN + 6), 0);
}

/* Upstream's lazy split cleans nothing: a write with caches off through
 * the block, to a page no fault maps again, stays hidden from the host's
 * read-back when the host frees its frame. */
static void lazy_split_leaves_the_block_uncleaned(void **state)
{
	static const struct stage2_policy p = { .split_skips_clean = true };
	struct fixture *f = *state;

	kvm_of(f)->cfg.stage2 = &p;
	map_block(f);
	cache_guest_wrote(kvm_of(f)->cache, BLOCK_PFN + 6, ACCESS_NONCACHEABLE, 0, BLOCK_GFN + 6);
	assert_int_equal(kvm_pgtable_stage2_map(kvm_of(f), BLOCK_GFN + 5, PG_LEVEL_4K,
						BLOCK_PFN + 5, 0, STAGE2_PROT_W),
			 0);
	expect_steps(f, STAGE2_BREAK, STAGE2_TLBI_IPA, STAGE2_MAKE, STAGE2_BREAK, STAGE2_CMO_DCACHE,
		     STAGE2_MAKE);
	assert_false(oracle_check_read_back(&f->vm.oracle, kvm_of(f)->cache, BLOCK_PFN + 6));
	kvm_of(f)->cfg.stage2 = NULL;
}

/* The fixed split cleans the block after its TLBI: the same write reaches
 * the read-back. */
static void the_split_cleans_what_leaves_stage2(void **state)
{
	struct fixture *f = *state;

	map_block(f);
	cache_guest_wrote(kvm_of(f)->cache, BLOCK_PFN + 6, ACCESS_NONCACHEABLE, 0, BLOCK_GFN + 6);
	assert_int_equal(kvm_pgtable_stage2_map(kvm_of(f), BLOCK_GFN + 5, PG_LEVEL_4K,
						BLOCK_PFN + 5, 0, STAGE2_PROT_W),
			 0);
	assert_true(oracle_check_read_back(&f->vm.oracle, kvm_of(f)->cache, BLOCK_PFN + 6));
}

/* user_mem_abort() asks mmu_invalidate_retry(): an invalidation in
 * progress over other gfns retries the fault too. */
static void a_fault_retries_on_any_invalidation_in_progress(void **state)
{
	struct fixture *f = *state;
	struct kvm *kvm = kvm_of(f);

	mmu_lock(kvm, MMU_LOCK_WRITE);
	kvm_mmu_invalidate_begin(kvm);
	kvm_mmu_invalidate_range_add(kvm, 100, 101);
	mmu_unlock(kvm, MMU_LOCK_WRITE);
	assert_false(fault(f, 5, false));
	assert_false(is_shadow_present_pte(pte_of(f, 5)));
	mmu_lock(kvm, MMU_LOCK_WRITE);
	kvm_mmu_invalidate_end(kvm);
	mmu_unlock(kvm, MMU_LOCK_WRITE);
	assert_true(fault(f, 5, false));
	assert_true(is_shadow_present_pte(pte_of(f, 5)));
}

/* The TLBI a split logged last. */
static struct tlbi_op last_tlbi(struct fixture *f)
{
	const struct tlbi_log *l = kvm_of(f)->tlbi;

	return l->ops[atomic_load(&l->seq) % TLBI_LOG_SIZE];
}

/* The split's TLBI names the block, at the block's level (TTL 2, as
 * stage2_try_break_pte() passes ctx->level): one hinted at the page's
 * level would leave the block in TLBs that use the hint. */
static void a_split_invalidates_the_block_at_its_level(void **state)
{
	struct fixture *f = *state;
	struct tlbi_op op;

	map_block(f);
	assert_int_equal(kvm_pgtable_stage2_map(kvm_of(f), BLOCK_GFN + 5, PG_LEVEL_4K,
						BLOCK_PFN + 5, 0, STAGE2_PROT_W),
			 0);
	op = last_tlbi(f);
	assert_int_equal(op.start, BLOCK_GFN);
	assert_int_equal(op.nr, 512);
	assert_int_equal(op.ttl, 2);
}

/* Pages of the fixture's block, mapped at 4K under one table. */
static void map_pages(struct fixture *f, gfn_t first, gfn_t last)
{
	for (gfn_t g = first; g <= last; g++)
		assert_int_equal(kvm_pgtable_stage2_map(kvm_of(f), g, PG_LEVEL_4K,
							BLOCK_PFN + (g - BLOCK_GFN), 0,
							STAGE2_PROT_W),
				 0);
	f->nr_steps = 0;
}

/* A block fault over a table of pages (logging off again): break the
 * table with a VMID-wide TLBI, clean the whole block, make it. */
static void a_block_fault_over_a_table_collapses_it(void **state)
{
	struct fixture *f = *state;

	map_pages(f, BLOCK_GFN + 3, BLOCK_GFN + 4);
	assert_int_equal(kvm_pgtable_stage2_map(kvm_of(f), BLOCK_GFN, PG_LEVEL_2M, BLOCK_PFN, 0,
						STAGE2_PROT_W),
			 0);
	expect_steps(f, STAGE2_BREAK, STAGE2_TLBI_VMID, STAGE2_CMO_DCACHE, STAGE2_MAKE);
	assert_int_equal(level_of(f, BLOCK_GFN + 4), PG_LEVEL_2M);
	assert_int_equal(level_of(f, BLOCK_GFN + 100), PG_LEVEL_2M);
}

static void collapse_no_tlbi_skips_the_vmid_tlbi(void **state)
{
	static const struct stage2_policy p = { .collapse_skips_tlbi = true };
	struct fixture *f = *state;

	map_pages(f, BLOCK_GFN + 3, BLOCK_GFN + 3);
	kvm_of(f)->cfg.stage2 = &p;
	assert_int_equal(kvm_pgtable_stage2_map(kvm_of(f), BLOCK_GFN, PG_LEVEL_2M, BLOCK_PFN, 0,
						STAGE2_PROT_W),
			 0);
	expect_steps(f, STAGE2_BREAK, STAGE2_CMO_DCACHE, STAGE2_MAKE);
}

/* 1G: a block fault at level 3 over a table collapses the tables below
 * it too (one VMID-wide TLBI covers them); a 4K fault into the 1G block
 * splits it, and the walk below makes its tables as it goes. FWB spares a
 * 1G clean the fixture's 1,024 frames could not hold. */
static void a_1g_block_collapses_and_splits_through_the_levels(void **state)
{
	struct fixture *f = *state;

	kvm_of(f)->cache->features.fwb = true;
	map_pages(f, BLOCK_GFN + 3, BLOCK_GFN + 3);
	assert_int_equal(
		kvm_pgtable_stage2_map(kvm_of(f), 0, PG_LEVEL_1G, BLOCK_PFN, 0, STAGE2_PROT_W), 0);
	expect_steps(f, STAGE2_BREAK, STAGE2_TLBI_VMID, STAGE2_MAKE);
	assert_int_equal(level_of(f, BLOCK_GFN + 3), PG_LEVEL_1G);
	assert_int_equal(kvm_pgtable_stage2_map(kvm_of(f), BLOCK_GFN + 5, PG_LEVEL_4K,
						BLOCK_PFN + BLOCK_GFN + 5, 0, STAGE2_PROT_W),
			 0);
	expect_steps(f, STAGE2_BREAK, STAGE2_TLBI_IPA, STAGE2_MAKE, STAGE2_BREAK, STAGE2_MAKE);
	assert_int_equal(level_of(f, BLOCK_GFN + 5), PG_LEVEL_4K);
	assert_int_equal(pte_of(f, BLOCK_GFN + 6), 0);
}

/* no-break splits a block by making the table over it at once. */
static void no_break_splits_without_a_tlbi(void **state)
{
	static const struct stage2_policy p = { .no_break = true };
	struct fixture *f = *state;

	map_block(f);
	kvm_of(f)->cfg.stage2 = &p;
	assert_int_equal(kvm_pgtable_stage2_map(kvm_of(f), BLOCK_GFN + 5, PG_LEVEL_4K,
						BLOCK_PFN + 5, 0, STAGE2_PROT_W),
			 0);
	expect_steps(f, STAGE2_MAKE, STAGE2_BREAK, STAGE2_CMO_DCACHE, STAGE2_MAKE);
}

static void rebreak_perms_breaks_a_permission_change(void **state)
{
	static const struct stage2_policy p = { .rebreak_perms = true };
	struct fixture *f = *state;
	kvm_pfn_t pfn;

	fault(f, 17, false);
	f->nr_steps = 0;
	pfn = spte_to_pfn(pte_of(f, 17));
	kvm_of(f)->cfg.stage2 = &p;
	assert_int_equal(kvm_pgtable_stage2_map(kvm_of(f), 17, PG_LEVEL_4K, pfn, 0,
						STAGE2_PROT_W | STAGE2_PROT_X),
			 0);
	expect_steps(f, STAGE2_BREAK, STAGE2_TLBI_IPA, STAGE2_CMO_DCACHE, STAGE2_CMO_ICACHE,
		     STAGE2_MAKE);
}

/* clear_flush_young: the arch walker makes the leaf old and invalidates it
 * by IPA; an old leaf is not young again until a walk sets its flag; with
 * vmid_flush_on_ret the walker leaves the invalidation to core code. */
static void aging_invalidates_the_leaf_it_makes_old(void **state)
{
	static const struct stage2_policy p = { .vmid_flush_on_ret = true };
	struct fixture *f = *state;
	const struct mmu_arch_ops *arch = kvm_of(f)->arch;
	uint64_t leaf;
	int level;

	fault(f, 20, false);
	f->nr_steps = 0;
	assert_true(arch->age_gfn(kvm_of(f), 20, false));
	expect_no_steps(f);
	assert_true(arch->age_gfn(kvm_of(f), 20, true));
	expect_steps(f, STAGE2_TLBI_IPA);
	assert_true(pte_of(f, 20) & S2_PTE_OLD);
	assert_false(arch->age_gfn(kvm_of(f), 20, true));
	expect_no_steps(f);
	leaf = spt_walk_root(kvm_of(f)->root, 20, &level);
	stage2_walk_sets_af(kvm_of(f), 20, leaf, level);
	assert_false(pte_of(f, 20) & S2_PTE_OLD);
	kvm_of(f)->cfg.stage2 = &p;
	assert_true(arch->age_gfn(kvm_of(f), 20, true));
	expect_no_steps(f);
}

static void relax_x_no_icache_skips_the_invalidation(void **state)
{
	static const struct stage2_policy p = { .relax_x_skips_icache = true };
	struct fixture *f = *state;

	fault(f, 18, false);
	f->nr_steps = 0;
	kvm_of(f)->cfg.stage2 = &p;
	fault(f, 18, true);
	expect_steps(f, STAGE2_RELAX);
}

static void vmid_flush_on_ret_leaves_the_tlbi_to_core_code(void **state)
{
	static const struct stage2_policy p = { .vmid_flush_on_ret = true };
	struct fixture *f = *state;
	struct kvm *kvm = kvm_of(f);

	fault(f, 19, false);
	f->nr_steps = 0;
	kvm->cfg.stage2 = &p;
	assert_true(kvm->arch->unmap_gfn_range(kvm, 19, 20));
	expect_steps(f, STAGE2_CMO_DCACHE);
	assert_false(kvm->arch->unmap_gfn_range(kvm, 19, 20)); /* nothing left to clear */
}

static void unmap_skips_tlbi_returns_nothing_to_flush(void **state)
{
	static const struct stage2_policy p = { .unmap_skips_tlbi = true };
	struct fixture *f = *state;
	struct kvm *kvm = kvm_of(f);

	fault(f, 20, false);
	f->nr_steps = 0;
	kvm->cfg.stage2 = &p;
	assert_false(kvm->arch->unmap_gfn_range(kvm, 20, 21));
	expect_steps(f, STAGE2_CMO_DCACHE);
	assert_int_equal(pte_of(f, 20), 0);
}

/*
 * A map walker that stepped into a table before a collapse retired it, and
 * reads the table's entry only after it was freed (a retirement that did
 * not wait for the grace period): the entry is poison, the walker reports
 * walker-used-freed-table and returns -EAGAIN without writing into it. The
 * 2M entry is set back to the table by hand: the pointer the late walker
 * still holds.
 */
static void a_walker_in_a_freed_table_reports_and_backs_off(void **state)
{
	struct fixture *f = *state;
	struct kvm *kvm = kvm_of(f);
	_Atomic uint64_t *slot;
	uint64_t table, block;

	map_pages(f, BLOCK_GFN + 3, BLOCK_GFN + 4);
	slot = stage2_slot_at(kvm, BLOCK_GFN, PG_LEVEL_2M);
	table = atomic_load(slot);
	assert_int_equal(
		kvm_pgtable_stage2_map(kvm, BLOCK_GFN, PG_LEVEL_2M, BLOCK_PFN, 0, STAGE2_PROT_W),
		0);
	spt_rcu_barrier();
	assert_int_equal(atomic_load(&spt_child_table(table)->spte[4]), SPTE_POISON);

	block = atomic_exchange(slot, table);
	f->nr_steps = 0;
	assert_int_equal(kvm_pgtable_stage2_map(kvm, BLOCK_GFN + 4, PG_LEVEL_4K, BLOCK_PFN + 4, 0,
						STAGE2_PROT_W),
			 -EAGAIN);
	expect_no_steps(f);
	assert_int_equal(atomic_load(&f->vm.oracle.nr_violations), 1);
	assert_int_equal(f->vm.oracle.kept[0].kind, VIOL_WALKER_USED_FREED_TABLE);
	assert_int_equal(f->vm.oracle.kept[0].gfn, BLOCK_GFN + 4);
	assert_int_equal(f->vm.oracle.kept[0].level, PG_LEVEL_4K);
	assert_int_equal(atomic_load(&spt_child_table(table)->spte[4]), SPTE_POISON);
	atomic_store(slot, block);
	spt_quarantine_drain();
}

/* The host's notifier calls, as the ranges it was told of. */
struct heard {
	int starts, ends;
	uint64_t start, end;
};

static void heard_start(void *arg, uint64_t start, uint64_t end)
{
	struct heard *h = arg;

	h->starts++;
	h->start = start;
	h->end = end;
}

static void heard_end(void *arg, uint64_t start, uint64_t end)
{
	struct heard *h = arg;

	h->ends++;
	assert_int_equal(start, h->start);
	assert_int_equal(end, h->end);
}

/*
 * khugepaged's collapse of a block the host split: one notifier
 * invalidation over the whole block, then the block is one THP again (a
 * fault may map it as a stage-2 block), its pages keep their data, and the
 * small frames are freed (their generations move on). A block that is a
 * THP already, or holds no page, is left alone.
 */
static void the_host_collapses_a_split_thp_again(void **state)
{
	struct heard h = { 0 };
	const struct hostmem_notifier n = { heard_start, heard_end, &h };
	struct thread_ctx *ctx = calloc(1, sizeof(*ctx));
	struct hostmem hm = { 0 };
	struct page_ref small, huge;

	(void)state;
	assert_non_null(ctx);
	current_thread = ctx;
	assert_int_equal(hostmem_init(&hm, 1024), 0);
	assert_int_equal(hostmem_enable_huge(&hm, PG_LEVEL_2M, &n), 0);
	assert_int_equal(hostmem_huge_blocks(&hm), 2);
	hostmem_get_page(&hm, 5);
	atomic_store(hostmem_content(&hm, 6), 42);
	hostmem_free_frame(&hm, hostmem_unmap(&hm, 5)); /* splits the THP */
	assert_int_equal(h.starts, 1);
	small = hostmem_get_page(&hm, 6);
	assert_int_equal(hostmem_mapping_level(&hm, 6, small.pfn), PG_LEVEL_4K);

	assert_true(hostmem_collapse_thp(&hm, 0));
	assert_int_equal(h.starts, 2);
	assert_int_equal(h.ends, 2);
	assert_int_equal(h.start, 0);
	assert_int_equal(h.end, 512);
	huge = hostmem_get_page(&hm, 6);
	assert_int_equal(hostmem_mapping_level(&hm, 6, huge.pfn), PG_LEVEL_2M);
	assert_int_not_equal(hostmem_get_page(&hm, 5).pfn, HVA_NO_FRAME);
	assert_int_equal(atomic_load(hostmem_content(&hm, 6)), 42);
	assert_int_equal(hostmem_frame_gen(&hm, small.pfn), small.gen + 1);
	assert_int_equal(counter_read(&ctx->counters, CNT_THP_COLLAPSES), 1);

	assert_false(hostmem_collapse_thp(&hm, 0));
	assert_false(hostmem_collapse_thp(&hm, 1));
	assert_int_equal(h.starts, 2);
	hostmem_destroy(&hm);
	current_thread = NULL;
	free(ctx);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(read_fault_breaks_cleans_makes),
		T(exec_fault_also_invalidates_the_icache),
		T(second_fault_finds_it_done),
		T(locked_pte_is_left_to_its_breaker),
		T(replacing_a_valid_leaf_invalidates_it_first),
		T(relax_perms_invalidates_before_adding_x),
		T(unmap_clears_invalidates_then_cleans),
		T(fwb_and_dic_spare_their_cmos),
		T(make_before_cmo_publishes_first),
		T(cmo_in_abort_pays_on_every_fault),
		T(no_break_replaces_valid_by_valid),
		T(a_page_fault_into_a_block_splits_it),
		T(lazy_split_leaves_the_block_uncleaned),
		T(the_split_cleans_what_leaves_stage2),
		T(a_fault_retries_on_any_invalidation_in_progress),
		T(a_split_invalidates_the_block_at_its_level),
		T(a_block_fault_over_a_table_collapses_it),
		T(collapse_no_tlbi_skips_the_vmid_tlbi),
		T(no_break_splits_without_a_tlbi),
		T(a_1g_block_collapses_and_splits_through_the_levels),
		T(rebreak_perms_breaks_a_permission_change),
		T(relax_x_no_icache_skips_the_invalidation),
		T(aging_invalidates_the_leaf_it_makes_old),
		T(vmid_flush_on_ret_leaves_the_tlbi_to_core_code),
		T(unmap_skips_tlbi_returns_nothing_to_flush),
		T(a_walker_in_a_freed_table_reports_and_backs_off),
		cmocka_unit_test(the_host_collapses_a_split_thp_again),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
