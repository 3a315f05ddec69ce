// SPDX-License-Identifier: GPL-2.0
/*
 * Page tables freed through RCU: a huge fault over a 2M slot that holds a
 * 4K table replaces the table with the leaf, zaps what the table held,
 * flushes the huge range, and only then hands the table to call_rcu(); the
 * table is freed once no read-side section that could see it is left.
 * Under a controlled scheduler the table waits for the end of the
 * execution instead.
 *
 * One vCPU that never enters guest mode: a flush never waits on it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "huge_vm.h"

#include "../../arch/arch.h"
#include "../../engine/ctl.h"
#include "../../model/flush.h"
#include "../../engine/thread.h"
#include "../../model/spt.h"
#include "../../oracle/oracle.h"

struct fixture {
	struct kvm kvm;
	struct thread_ctx *ctx;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f || huge_vm_create(&f->kvm, &f->ctx)) {
		free(f);
		return -1;
	}
	spt_rcu_register_thread();
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	huge_vm_destroy(&f->kvm, f->ctx);
	free(f);
	return 0;
}

static uint64_t counter(struct fixture *f, enum counter_id id)
{
	return counter_read(&f->ctx->counters, id);
}

/* A 4K leaf in GFN's 2M block, as a refault after a THP split leaves it;
 * returns the 4K table under the 2M slot. */
static struct spt_table *map_4k_table(struct fixture *f)
{
	struct spt_table *root = f->kvm.vcpus[0]->root;
	uint64_t leaf = make_leaf_spte(1, 0, PG_LEVEL_4K, true);
	uint64_t table_spte;

	spt_set_leaf_root(root, GFN, PG_LEVEL_4K, leaf);
	table_spte = atomic_load(spt_slot_root(root, GFN, PG_LEVEL_2M));
	assert_true(is_shadow_present_pte(table_spte));
	assert_false(is_last_spte(table_spte, PG_LEVEL_2M));
	return spt_child_table(table_spte);
}

static void huge_fault_replaces_table_and_frees_it_after_grace_period(void **state)
{
	struct fixture *f = *state;
	struct spt_table *t = map_4k_table(f);
	struct timespec wait = { 0, 20 * 1000 * 1000 };
	int level = 0;
	uint64_t spte;

	/* A reader that may have seen the table before it was replaced. */
	spt_rcu_read_lock();
	assert_true(x86_tdp_ops.page_fault(f->kvm.vcpus[0], GFN, false));

	spte = spt_walk_root(f->kvm.vcpus[0]->root, GFN, &level);
	assert_int_equal(level, PG_LEVEL_2M);
	assert_int_equal(spte_to_pfn(spte) % PAGES_2M, 0);
	assert_int_equal(counter(f, CNT_HUGE_MAPS), 1);
	/* handle_removed_pt() zapped the 4K leaf the table held... */
	assert_int_equal(counter(f, CNT_ZAPS), 1);
	/* ...and kvm_flush_remote_tlbs_gfn() flushed the whole 2M range. */
	assert_int_equal(counter(f, CNT_RANGE_FLUSHES), 1);
	assert_int_equal(counter(f, CNT_RANGE_PAGES), PAGES_2M);

	/* The reader is still inside: the table stays, frozen. */
	nanosleep(&wait, NULL);
	assert_int_equal(counter(f, CNT_TABLES_FREED), 0);
	assert_int_equal(atomic_load(&t->spte[spte_index(GFN, PG_LEVEL_4K)]), SPTE_FROZEN);
	assert_int_equal(atomic_load(&t->spte[0]), SPTE_FROZEN);
	spt_rcu_read_unlock();

	spt_rcu_barrier();
	assert_int_equal(counter(f, CNT_TABLES_FREED), 1);
}

static void second_huge_fault_finds_the_leaf(void **state)
{
	struct fixture *f = *state;

	map_4k_table(f);
	assert_true(x86_tdp_ops.page_fault(f->kvm.vcpus[0], GFN, false));
	assert_true(x86_tdp_ops.page_fault(f->kvm.vcpus[0], GFN + 1, true));
	assert_int_equal(counter(f, CNT_HUGE_MAPS), 1);
	assert_int_equal(counter(f, CNT_RANGE_FLUSHES), 1);
	spt_rcu_barrier();
	assert_int_equal(counter(f, CNT_TABLES_FREED), 1);
}

/* Under a controlled scheduler nothing goes to call_rcu(): the table waits
 * on kvm->retired for the end of the execution. */
static void controlled_mode_defers_to_the_end_of_the_execution(void **state)
{
	struct fixture *f = *state;
	struct ctl *saved = lostflush_ctl;
	static struct ctl not_running;
	struct spt_table *t = map_4k_table(f);
	_Atomic uint64_t *slot = spt_slot_root(f->kvm.vcpus[0]->root, GFN, PG_LEVEL_2M);

	/* Unlinked by hand, as a replacement would. */
	atomic_store(slot, 0);
	lostflush_ctl = &not_running;
	spt_retire_table(&f->kvm, t);
	lostflush_ctl = saved;
	assert_non_null(f->kvm.retired);
	spt_rcu_barrier();
	assert_int_equal(counter(f, CNT_TABLES_FREED), 0);

	kvm_free_retired_tables(&f->kvm);
	assert_null(f->kvm.retired);
	assert_int_equal(counter(f, CNT_TABLES_FREED), 1);
}

static bool every_entry_poisoned(const struct spt_table *t)
{
	for (int i = 0; i < SPTE_ENT_PER_PAGE; i++)
		if (atomic_load(&t->spte[i]) != SPTE_POISON)
			return false;
	return true;
}

/* After its grace period a retired table is not handed back to malloc:
 * every entry is poison, and the page waits in the quarantine. */
static void freed_table_is_poisoned_in_quarantine(void **state)
{
	struct fixture *f = *state;
	struct spt_table *t = map_4k_table(f);

	assert_true(x86_tdp_ops.page_fault(f->kvm.vcpus[0], GFN, false));
	spt_rcu_barrier();
	assert_int_equal(counter(f, CNT_TABLES_FREED), 1);
	assert_true(every_entry_poisoned(t));
	spt_quarantine_drain();
}

/* Likewise at the end of a controlled execution. */
static void controlled_execution_end_poisons_too(void **state)
{
	struct fixture *f = *state;
	struct ctl *saved = lostflush_ctl;
	static struct ctl not_running;
	struct spt_table *t = map_4k_table(f);

	atomic_store(spt_slot_root(f->kvm.vcpus[0]->root, GFN, PG_LEVEL_2M), 0);
	lostflush_ctl = &not_running;
	spt_retire_table(&f->kvm, t);
	lostflush_ctl = saved;
	assert_false(every_entry_poisoned(t));
	kvm_free_retired_tables(&f->kvm);
	assert_true(every_entry_poisoned(t));
	spt_quarantine_drain();
}

/*
 * A walker that stepped into the table before it was replaced, and reads
 * it only after it was freed (what a retirement without a grace period
 * allows): a second root whose 2M slot still points at the freed table
 * stands for the pointer the walker holds. The walk reports
 * walker-used-freed-table at the table's level and finds no leaf.
 */
static void walker_in_freed_table_is_reported(void **state)
{
	struct fixture *f = *state;
	struct spt_table *t = map_4k_table(f);
	struct spt_table *late = spt_alloc_table();
	_Atomic uint64_t *slot;
	struct oracle o;
	int level = 0;

	assert_true(x86_tdp_ops.page_fault(f->kvm.vcpus[0], GFN, false));
	spt_rcu_barrier();
	slot = spt_slot_root(late, GFN, PG_LEVEL_2M);
	atomic_store(slot, (uint64_t)(uintptr_t)t | SPTE_PRESENT);

	oracle_init(&o, &f->kvm.mem, 0);
	o.keep_going = true;
	assert_int_equal(spt_walk_root(late, GFN, &level), 0);
	assert_int_equal(atomic_load(&o.nr_violations), 1);
	assert_int_equal(o.kept[0].kind, VIOL_WALKER_USED_FREED_TABLE);
	assert_int_equal(o.kept[0].gfn, GFN);
	assert_int_equal(o.kept[0].level, PG_LEVEL_4K);
	assert_string_equal(violation_name(o.kept[0].kind), "walker-used-freed-table");
	/* A zap walk stops there too, and writes nothing into the table. */
	level = 0;
	assert_int_equal(spt_zap_gfn_root(late, GFN, &level), 0);
	assert_int_equal(level, PG_LEVEL_4K);
	assert_int_equal(atomic_load(&o.nr_violations), 2);
	assert_true(every_entry_poisoned(t));
	oracle_destroy(&o);

	atomic_store(slot, 0);
	spt_free_tree(late, SPTE_ROOT_LEVEL);
	spt_quarantine_drain();
}

/* No real entry reads as poison, and with no oracle a poisoned read is
 * still refused. */
static void only_poison_is_a_freed_table(void **state)
{
	struct fixture *f = *state;
	const uint64_t real[] = {
		0,
		SPTE_FROZEN,
		S2_PTE_LOCKED,
		make_leaf_spte(SPTE_MAX_PFN, (1u << SPTE_GEN_BITS) - 1, PG_LEVEL_2M, true) |
			SPTE_ACC_TRACKED | SPTE_ACCESSED | SPTE_DIRTY | S2_PTE_XN | S2_PTE_OLD,
		spt_new_table_spte(),
	};
	struct oracle o;

	(void)f;
	assert_false(is_shadow_present_pte(SPTE_POISON));
	oracle_init(&o, &f->kvm.mem, 0);
	o.keep_going = true;
	for (size_t i = 0; i < sizeof(real) / sizeof(real[0]); i++)
		assert_false(spt_walked_freed_table(real[i], GFN, PG_LEVEL_4K));
	assert_int_equal(atomic_load(&o.nr_violations), 0);
	oracle_destroy(&o);
	assert_true(spt_walked_freed_table(SPTE_POISON, GFN, PG_LEVEL_4K));
	free(spt_child_table(real[4]));
}

#define TEST(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(huge_fault_replaces_table_and_frees_it_after_grace_period),
		TEST(second_huge_fault_finds_the_leaf),
		TEST(controlled_mode_defers_to_the_end_of_the_execution),
		TEST(freed_table_is_poisoned_in_quarantine),
		TEST(controlled_execution_end_poisons_too),
		TEST(walker_in_freed_table_is_reported),
		TEST(only_poison_is_a_freed_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
