// SPDX-License-Identifier: GPL-2.0
/*
 * --actors: a role's count set over a scenario's roster gives the run that
 * roster would have been had it named that many, names, places and random
 * streams alike, so a run with `--actors invalidator=1` replays what a
 * one-invalidator scenario ran. A role added where the scenario budgets
 * none, by --actors or by the variant, gets work in a controlled
 * execution.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../arch/arch.h"
#include "../../cli/config.h"
#include "../../scenarios/list.h"
#include "../../engine/run.h"
#include "../../workers/registry.h"
#include "../../workers/vm.h"

struct fixture {
	struct run run;
	struct vm vm;
};

static struct fixture *fixture_new(void)
{
	const struct run_config cfg = { .seed = 7 };
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->vm.cfg.kvm = (struct kvm_config){
		.nr_gfns = 64,
		.nr_memslots = 1,
		.nr_vcpus = 1,
		.tlb_entries = 16,
		.arch = &x86_shadow_ops,
	};
	assert_int_equal(run_init(&f->run, &cfg, &f->vm, &vm_subject_ops), 0);
	return f;
}

static void fixture_free(struct fixture *f)
{
	run_destroy(&f->run);
	free(f);
}

static struct actor_counts as_scenario(void)
{
	struct actor_counts a;

	memset(&a, 0xff, sizeof(a));
	return a;
}

static void assert_same_roster(const struct run *a, const struct run *b)
{
	assert_int_equal(a->nr_workers, b->nr_workers);
	for (int i = 0; i < a->nr_workers; i++) {
		assert_string_equal(a->workers[i].ctx->name, b->workers[i].ctx->name);
		assert_ptr_equal(a->workers[i].fn, b->workers[i].fn);
		assert_int_equal(a->workers[i].ctx->index, i);
		assert_memory_equal(&a->workers[i].ctx->rng, &b->workers[i].ctx->rng,
				    sizeof(a->workers[i].ctx->rng));
	}
}

static void fewer_is_the_shorter_roster(void **state)
{
	struct fixture *set = fixture_new(), *named = fixture_new();
	struct actor_counts a = as_scenario();

	(void)state;
	assert_int_equal(run_add_named_workers(&set->run, "invalidator,invalidator,flusher,zapper"),
			 0);
	a.invalidator = 1;
	run_set_actor_counts(&set->run, &a);
	assert_int_equal(run_add_named_workers(&named->run, "invalidator,flusher,zapper"), 0);
	assert_same_roster(&set->run, &named->run);
	fixture_free(set);
	fixture_free(named);
}

static void more_and_none(void **state)
{
	struct fixture *set = fixture_new(), *named = fixture_new();
	struct actor_counts a = as_scenario();

	(void)state;
	assert_int_equal(run_add_named_workers(&set->run, "invalidator,flusher"), 0);
	a.flusher = 0;
	a.tracker = 2;
	a.invalidator = 3;
	run_set_actor_counts(&set->run, &a);
	assert_int_equal(
		run_add_named_workers(&named->run,
				      "invalidator,invalidator,invalidator,tracker,tracker"),
		0);
	assert_same_roster(&set->run, &named->run);
	assert_string_equal(set->run.workers[2].ctx->name, "N3");
	fixture_free(set);
	fixture_free(named);
}

static void as_scenario_changes_nothing(void **state)
{
	struct fixture *set = fixture_new(), *named = fixture_new();
	struct actor_counts a = as_scenario();

	(void)state;
	assert_int_equal(run_add_named_workers(&set->run, "invalidator,flusher,zapper"), 0);
	run_set_actor_counts(&set->run, &a);
	assert_int_equal(run_add_named_workers(&named->run, "invalidator,flusher,zapper"), 0);
	assert_same_roster(&set->run, &named->run);
	fixture_free(set);
	fixture_free(named);
}

/* stage2-blocks budgets no aging; a variant that adds an ager gives it
 * the catalogue's budget for one, in controlled executions only. */
static uint32_t agings_budget(const char *variant_actors, int sched)
{
	struct scenario_variant v = scenario_stage2_blocks.variants[0];
	struct options o;
	struct config cfg;

	v.actors = variant_actors;
	options_init(&o, "stress");
	o.sched = sched;
	build_config(&cfg, &o, &scenario_stage2_blocks, &v, 1);
	return cfg.vm.work.exec_agings;
}

static void a_role_the_variant_adds_gets_work(void **state)
{
	(void)state;
	assert_int_equal(agings_budget(NULL, SCHED_RANDOM), 0);
	assert_true(agings_budget("ager=1", SCHED_RANDOM) > 0);
	assert_true(agings_budget("ager=1", SCHED_COVER) > 0);
	/* Free mode has no budgets: a worker runs until the run ends. */
	assert_int_equal(agings_budget("ager=1", SCHED_FREE), 0);
}

/* A variant's own VM settings: over its scenario's defaults, under what
 * the user gives. */
static void four_roots(struct vm_config *cfg, const struct run_config *rc)
{
	(void)rc;
	cfg->kvm.nr_roots = 4;
	cfg->kvm.nr_vcpus = 4;
}

static void a_variant_sets_the_vm_the_user_still_wins(void **state)
{
	struct scenario_variant v = scenario_spte_mmu_writable.variants[0];
	struct options o;
	struct config cfg;

	(void)state;
	v.vm_settings = four_roots;
	options_init(&o, "stress");
	build_config(&cfg, &o, &scenario_spte_mmu_writable, &v, 1);
	assert_int_equal(cfg.vm.kvm.nr_roots, 4);
	assert_int_equal(cfg.vm.kvm.nr_vcpus, 4);
	o.vcpus = 3;
	o.given[OPT_VCPUS] = true;
	build_config(&cfg, &o, &scenario_spte_mmu_writable, &v, 1);
	assert_int_equal(cfg.vm.kvm.nr_roots, 4);
	assert_int_equal(cfg.vm.kvm.nr_vcpus, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fewer_is_the_shorter_roster),
		cmocka_unit_test(more_and_none),
		cmocka_unit_test(as_scenario_changes_nothing),
		cmocka_unit_test(a_role_the_variant_adds_gets_work),
		cmocka_unit_test(a_variant_sets_the_vm_the_user_still_wins),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
