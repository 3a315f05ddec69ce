// SPDX-License-Identifier: GPL-2.0
#include "config.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../engine/check.h"
#include "../real/kvm_vm.h"
#include "../workers/registry.h"
#include "complain.h"
#include "numbers.h"

/* Every flavour a run of the variant may use: its own or the scenario's,
 * then the scenario's others. */
static const struct mmu_arch_ops *arch_named(const struct scenario *s,
					     const struct scenario_variant *v, const char *name)
{
	const struct mmu_arch_ops *own = v->arch ? v->arch : s->arch;

	if (!strcmp(own->name, name))
		return own;
	for (int i = 0; s->other_archs && s->other_archs[i]; i++)
		if (!strcmp(s->other_archs[i]->name, name))
			return s->other_archs[i];
	return NULL;
}

/* Every MMU flavour lostflush models: --arch naming one a scenario does
 * not run on is a run that does not apply (exit 3), not a typo (exit 2). */
static bool arch_known(const char *name)
{
	static const struct mmu_arch_ops *const archs[] = { &x86_shadow_ops, &x86_tdp_ops,
							    &arm64_stage2_ops };

	for (size_t i = 0; i < sizeof(archs) / sizeof(archs[0]); i++)
		if (!strcmp(archs[i]->name, name))
			return true;
	return false;
}

static const struct mmu_arch_ops *arch_of_run(const struct options *o, const struct scenario *s,
					      const struct scenario_variant *v)
{
	const struct mmu_arch_ops *a = o->given[OPT_ARCH] ? arch_named(s, v, o->arch) : NULL;

	return a ? a : v->arch ? v->arch : s->arch;
}

/* The first mode in a descriptor's mask, if `mode` is not in it: a run of
 * the variant shows its bug unless the user chose otherwise. */
static int mode_the_bug_needs(unsigned mask, int mode)
{
	if (!mask || (mask & (1U << mode)))
		return mode;
	return __builtin_ctz(mask);
}

/* The variant's own shape: the modes its bug needs, and its workload
 * (free mode's pace, or a controlled execution's). */
static void apply_variant_shape(struct config *cfg, const struct scenario_variant *v)
{
	const char *w = cfg->run.sched == SCHED_FREE ? v->workload : v->controlled_workload;

	cfg->vm.kvm.tlb_huge = (enum tlb_huge_mode)mode_the_bug_needs(v->claims.shows_with_tlb_huge,
								      cfg->vm.kvm.tlb_huge);
	cfg->vm.kvm.log_mode = (enum dirty_log_mode)mode_the_bug_needs(v->claims.shows_with_log,
								       cfg->vm.kvm.log_mode);
	cfg->vm.kvm.ad_bits = mode_the_bug_needs(v->claims.shows_with_ad_bits, cfg->vm.kvm.ad_bits);
	if (cfg->run.sched != SCHED_FREE && v->controlled_vcpus)
		cfg->vm.kvm.nr_vcpus = v->controlled_vcpus;
	cfg->run.cover_reorderings = v->cover_follows_reorderings;
	if (w)
		HARNESS_ASSERT(!spec_apply(&workload_spec, &cfg->vm.work, w),
			       "variant %s has a bad workload '%s'", v->name, w);
	if (v->vm_settings)
		v->vm_settings(&cfg->vm, &cfg->run);
}

/* What the user gave wins over the scenario and the variant. */
static void apply_given(struct config *cfg, const struct options *o)
{
	const bool *given = o->given;

	if (given[OPT_VCPUS])
		cfg->vm.kvm.nr_vcpus = (int)o->vcpus;
	if (given[OPT_GFNS])
		cfg->vm.kvm.nr_gfns = o->gfns;
	if (given[OPT_HOT_GFNS])
		cfg->vm.work.hot_gfns = (uint32_t)o->hot_gfns;
	if (given[OPT_RANGE_FLUSH])
		cfg->vm.kvm.arch_range_flush = o->range_flush == RANGE_FLUSH_WORKS;
	if (given[OPT_TLB_HUGE])
		cfg->vm.kvm.tlb_huge = (enum tlb_huge_mode)o->tlb_huge;
	if (given[OPT_LOG])
		cfg->vm.kvm.log_mode = (enum dirty_log_mode)o->log_mode;
	if (given[OPT_AD_BITS])
		cfg->vm.kvm.ad_bits = o->ad_bits;
	if (given[OPT_CPU_FEATURES])
		cfg->vm.kvm.cpu = cpu_features_of(o->cpu_features);
	if (given[OPT_TLB_ENTRIES])
		cfg->vm.kvm.tlb_entries = (uint32_t)o->tlb_entries;
	/* Parsed once already: a spec that passed cannot fail here. */
	if (given[OPT_WORKLOAD])
		HARNESS_ASSERT(!spec_apply(&workload_spec, &cfg->vm.work, o->workload),
			       "--workload passed parsing but not application");
}

static void apply_actors(struct config *cfg, const struct options *o,
			 const struct scenario_variant *v)
{
	memset(&cfg->vm.actors, 0xff, sizeof(cfg->vm.actors)); /* ACTORS_AS_SCENARIO */
	if (v->actors)
		HARNESS_ASSERT(!spec_apply(&actors_spec, &cfg->vm.actors, v->actors),
			       "variant %s has bad actors '%s'", v->name, v->actors);
	/* A variant's second reaper resets the ring: with another --log it
	 * keeps one. */
	if (cfg->vm.actors.reaper == 2 && cfg->vm.kvm.log_mode != LOG_RING)
		cfg->vm.actors.reaper = 1;
	if (o->given[OPT_ACTORS])
		HARNESS_ASSERT(!spec_apply(&actors_spec, &cfg->vm.actors, o->actors),
			       "--actors passed parsing but not application");
	cfg->vm.kvm.ring_reset_apart = cfg->vm.actors.reaper == 2;
}

/*
 * In a controlled execution a worker does its role's budget of work
 * (--workload invalidations=N, ...), then exits; a scenario without a role
 * of its own gives it none. A role added with --actors would then run and
 * do nothing, and the run would look as if it had raced against it; so
 * would one a variant adds (its .actors). It gets what the catalogue gives
 * that role where a scenario has it (the smallest such budget); a budget
 * given with --workload, 0 included, wins.
 */
static void give_added_actors_work(struct config *cfg, const struct options *o,
				   const struct scenario_variant *v)
{
	if (cfg->run.sched == SCHED_FREE || (!o->given[OPT_ACTORS] && !v->actors))
		return;
	for (size_t i = 0; i < NR_ACTOR_ROLES; i++) {
		uint32_t n = actor_count(&cfg->vm.actors, i);
		uint32_t *budget = (uint32_t *)((char *)&cfg->vm.work + actor_roles[i].budget);

		if (n != ACTORS_AS_SCENARIO && n > 0 && !*budget)
			*budget = actor_roles[i].added_work;
	}
	if (o->given[OPT_WORKLOAD])
		HARNESS_ASSERT(!spec_apply(&workload_spec, &cfg->vm.work, o->workload),
			       "--workload passed parsing but not application");
}

static void apply_perturbation(struct config *cfg, const struct options *o,
			       const struct scenario_variant *v)
{
	cfg->run.perturb = perturb_defaults;
	if (v->perturb)
		HARNESS_ASSERT(!spec_apply(&perturb_spec, &cfg->run.perturb, v->perturb),
			       "variant %s has a bad perturbation '%s'", v->name, v->perturb);
	if (o->given[OPT_PERTURB])
		HARNESS_ASSERT(!spec_apply(&perturb_spec, &cfg->run.perturb, o->perturb),
			       "--perturb passed parsing but not application");
}

void config_schedule(struct run_config *run, const struct options *o)
{
	run->sched = (enum sched_mode)o->sched;
	run->pct_depth = o->pct_depth;
	run->pct_steps = o->pct_steps;
	run->bound = o->bound;
	run->executions = o->given[OPT_EXECUTION] ? 1 : o->executions;
	run->first_execution = o->first_execution;
	run->memory = (enum mem_model)o->memory;
	run->guide = o->guide;
	run->guide_len = o->guide_len;
}

void build_config(struct config *cfg, const struct options *o, const struct scenario *s,
		  const struct scenario_variant *v, uint64_t seed)
{
	bool counted = o->given[OPT_EXECUTIONS] || o->given[OPT_EXECUTION];

	memset(cfg, 0, sizeof(*cfg));
	cfg->vm.kvm.nr_memslots = 1;
	cfg->vm.kvm.tlb_entries = 64;
	cfg->vm.kvm.tlb_huge = TLB_HUGE_ENTRY;
	cfg->vm.kvm.arch_range_flush = true;
	/* The scheduler first: scenarios size their work by it. */
	config_schedule(&cfg->run, o);
	cfg->vm.kvm.arch = arch_of_run(o, s, v);
	cfg->vm.kvm.policy = v->policy;
	cfg->vm.kvm.walk = v->walk;
	cfg->vm.kvm.track_policy = v->track_policy;
	cfg->vm.kvm.request_policy = v->request_policy;
	cfg->vm.kvm.stage2 = v->stage2_policy;
	cfg->vm.kvm.gmem_policy = v->gmem_policy;
	cfg->vm.kvm.memslot_policy = v->memslot_policy;
	s->defaults(&cfg->vm, &cfg->run, v);
	cfg->vm.real_kernel = s->real_kernel;
	apply_variant_shape(cfg, v);
	apply_given(cfg, o);
	apply_perturbation(cfg, o, v);
	apply_actors(cfg, o, v);
	give_added_actors_work(cfg, o, v);
	/* A memslots worker added to a VM that had none. */
	if (cfg->vm.actors.memslots != ACTORS_AS_SCENARIO && cfg->vm.actors.memslots)
		cfg->vm.kvm.memslot_changes = true;
	cfg->run.seed = seed;
	/* A count of executions, given without a duration, is run whole: its
	 * replay line must not stop short on a slower machine. */
	cfg->run.duration_ns =
		counted && !o->given[OPT_DURATION] ? MAX_DURATION_NS : o->duration_ns;
	cfg->run.keep_going = o->keep_going;
	cfg->run.progress = !o->quiet && isatty(STDERR_FILENO);
}

static int workers_besides_vcpus(const struct config *cfg, const struct scenario *s,
				 const struct scenario_variant *v, char *roles, size_t len);

/* The run of cfg would start a worker of role (a role named in *roles). */
static bool roster_has(const struct config *cfg, const struct scenario *s,
		       const struct scenario_variant *v, const char *role)
{
	char roles[256], want[32];

	workers_besides_vcpus(cfg, s, v, roles, sizeof(roles));
	snprintf(want, sizeof(want), "%s=", role);
	return strstr(roles, want) != NULL;
}

/* A role whose worker would call what the VM does not have. */
static bool actors_refused(const struct config *cfg, const struct options *o,
			   const struct scenario *s, const struct scenario_variant *v)
{
	const char *role, *lacks = actors_unsupported(&cfg->vm.actors, &cfg->vm.kvm, &role);
	char from[ORIGIN_MAX];

	option_origin(o, OPT_ACTORS, from, sizeof(from));
	if (cfg->vm.actors.reaper == 2 && cfg->vm.kvm.log_mode != LOG_RING) {
		complain("%s is not allowed for %s/%s with --log %s: two reapers split "
			 "the dirty ring's collection from its reset, so they need --log ring",
			 from, s->name, v->name, dirty_log_mode_name(cfg->vm.kvm.log_mode));
		return true;
	}
	/* Not modelled: the model's ring entries name a gfn, upstream's a
	 * slot and an offset that a move carries along. */
	if (cfg->vm.kvm.memslot_changes && cfg->vm.kvm.log_policy &&
	    cfg->vm.kvm.log_mode == LOG_RING) {
		complain("--log ring is not allowed for %s/%s with memslot changes: the "
			 "model's dirty ring names gfns, not slots and offsets; use --log bitmap "
			 "or --log clear",
			 s->name, v->name);
		return true;
	}
	/* A memslots worker beside the scenario's own write-tracker: the
	 * model keeps no tracking per slot (upstream does). */
	if (!lacks && cfg->vm.kvm.memslot_changes && roster_has(cfg, s, v, "tracker")) {
		lacks = "write-tracking across memslot changes (upstream keeps its counts per "
			"slot; the model does not)";
		role = "memslots";
	}
	if (!lacks)
		return false;
	complain("%s is not allowed for %s/%s: its VM (%s) has no %s for a%s %s to use", from,
		 s->name, v->name, cfg->vm.kvm.arch->name, lacks,
		 strchr("aeiou", role[0]) ? "n" : "", role);
	return true;
}

/* The workers the run of cfg would start besides its vCPUs: the
 * scenario's, its add_workers()', the variant's, then the actor counts.
 * Counted on a run of its own with an empty VM, as run_one() adds them;
 * *roles says each role's count. */
static int workers_besides_vcpus(const struct config *cfg, const struct scenario *s,
				 const struct scenario_variant *v, char *roles, size_t len)
{
	struct run *run = calloc(1, sizeof(*run));
	struct vm *vm = calloc(1, sizeof(*vm));
	const char *named = scenario_workers(s, cfg->run.sched);
	int total;

	HARNESS_NEED(run && vm, "memory", "counting a run's workers (%zu bytes)",
		     sizeof(*run) + sizeof(*vm));
	run->cfg = cfg->run;
	run->subject = vm;
	vm->cfg = cfg->vm;
	if (named)
		run_add_named_workers(run, named);
	if (s->add_workers)
		s->add_workers(run, v);
	if (v->extra_workers)
		run_add_named_workers(run, v->extra_workers);
	total = workers_after_actor_counts(run, &cfg->vm.actors, roles, len);
	for (int i = 0; i < run->nr_workers; i++)
		free(run->workers[i].ctx);
	free(run);
	free(vm);
	return total;
}

/* Each value may be within its range and their sum not: a vCPU per
 * --vcpus, and every actor, are a thread each, and a run holds
 * RUN_MAX_WORKERS. */
static bool too_many_workers(const struct config *cfg, const struct options *o,
			     const struct scenario *s, const struct scenario_variant *v)
{
	char roles[256], vcpus[ORIGIN_MAX], actors[ORIGIN_MAX];
	int others = workers_besides_vcpus(cfg, s, v, roles, sizeof(roles));
	int total = cfg->vm.kvm.nr_vcpus + others;

	if (total <= RUN_MAX_WORKERS)
		return false;
	if (o->given[OPT_VCPUS])
		option_origin(o, OPT_VCPUS, vcpus, sizeof(vcpus));
	else
		snprintf(vcpus, sizeof(vcpus), "the scenario's");
	if (o->given[OPT_ACTORS])
		option_origin(o, OPT_ACTORS, actors, sizeof(actors));
	else
		snprintf(actors, sizeof(actors), "the scenario's and the variant's");
	complain("%s/%s would run %d workers, more than the %d a run holds: %d vCPUs (%s) and "
		 "%d other workers (%s: %s); lower --vcpus or --actors",
		 s->name, v->name, total, RUN_MAX_WORKERS, cfg->vm.kvm.nr_vcpus, vcpus, others,
		 actors, roles);
	return true;
}

/* The running kernel's scenarios take what the real backend can do. */
static bool real_refused(const struct config *cfg, const struct options *o,
			 const struct scenario *s)
{
	uint64_t pages = cfg->vm.kvm.nr_gfns;
	char from[ORIGIN_MAX];

	if (cfg->run.sched != SCHED_FREE) {
		complain("%s is not allowed for %s: the running kernel cannot be scheduled, so "
			 "it runs in free mode only",
			 option_origin(o, OPT_SCHED, from, sizeof(from)), s->name);
		return true;
	}
	if (cfg->vm.real_ring_apart && cfg->vm.kvm.log_mode != LOG_RING) {
		complain("%s is not allowed for %s: its collector and resetter split the dirty "
			 "ring's harvest, so it needs --log ring",
			 option_origin(o, OPT_LOG, from, sizeof(from)), s->name);
		return true;
	}
	if (cfg->vm.kvm.log_mode == LOG_RING && !cfg->vm.real_ring_ok) {
		complain("--log ring is not allowed for %s: %s", s->name,
			 cfg->vm.real_logs_dirty ? "the harness does not follow a deleted "
						   "slot's ring entries; use --log bitmap or clear"
						 : "it logs no dirty pages");
		return true;
	}
	if (o->given[OPT_ACTORS] || o->given[OPT_ARCH]) {
		complain("%s is not allowed for %s: its roster is a thread per --vcpus and one "
			 "reaper, and its MMU is the host kernel's",
			 option_origin(o, o->given[OPT_ACTORS] ? OPT_ACTORS : OPT_ARCH, from,
				       sizeof(from)),
			 s->name);
		return true;
	}
	if ((pages & (pages - 1)) || pages > REAL_MAX_WS_PAGES ||
	    cfg->vm.kvm.nr_vcpus > REAL_MAX_VCPUS) {
		complain("--gfns %llu --vcpus %d is not allowed for %s: the working set is a "
			 "power of two of pages, at most %llu, and at most %d vCPUs run it",
			 (unsigned long long)pages, cfg->vm.kvm.nr_vcpus, s->name,
			 (unsigned long long)REAL_MAX_WS_PAGES, REAL_MAX_VCPUS);
		return true;
	}
	return false;
}

/* What the kernel must offer a real variant, asked before any work starts:
 * 2 (skipped) with the reason where it does not. */
static int real_lacks(const struct config *cfg, const struct scenario *s,
		      const struct scenario_variant *v)
{
	char why[256];

	if (!cfg->vm.real_guest_memfd || !real_kvm_guest_memfd(why, sizeof(why)))
		return 0;
	fprintf(complain_stream ? complain_stream : stderr,
		"stress: %s/%s runs on a guest_memfd, and this host cannot: %s\n"
		"  Skipped: the running kernel lacks it; not a race, not a bug in lostflush.\n",
		s->name, v->name, why);
	return 2;
}

int config_check(const struct config *cfg, const struct options *o, const struct scenario *s,
		 const struct scenario_variant *v)
{
	char why[256], from[ORIGIN_MAX];
	const char *bad;
	size_t bad_len;

	if (s->real_kernel)
		return real_refused(cfg, o, s) ? -1 : real_lacks(cfg, s, v);
	if (o->given[OPT_ARCH] && !arch_named(s, v, o->arch) && arch_known(o->arch)) {
		fprintf(complain_stream ? complain_stream : stderr,
			"%s/%s does not apply to %s: %s. It runs on %s.\n", s->name, v->name,
			o->arch, s->arch_note ? s->arch_note : "it models another MMU",
			(v->arch ? v->arch : s->arch)->name);
		return 1;
	}
	if (o->given[OPT_ARCH] && !arch_named(s, v, o->arch)) {
		complain("%s is not one %s/%s runs on: it runs on %s%s",
			 option_origin(o, OPT_ARCH, from, sizeof(from)), s->name, v->name,
			 (v->arch ? v->arch : s->arch)->name,
			 s->other_archs ? " or the others --list names" : " only");
		return -1;
	}
	if (o->given[OPT_CPU_FEATURES] && o->cpu_features && !cfg->vm.kvm.arch->broadcast_tlbi) {
		complain("%s is not allowed for %s/%s: %s models no caches; only "
			 "arm64's stage 2 does (none is allowed anywhere)",
			 option_origin(o, OPT_CPU_FEATURES, from, sizeof(from)), s->name, v->name,
			 cfg->vm.kvm.arch->name);
		return -1;
	}
	if (cfg->vm.kvm.ad_bits && !cfg->vm.kvm.arch->write_sets_dirty) {
		complain("%s is not allowed for %s/%s: %s has no Accessed/Dirty bits",
			 o->given[OPT_AD_BITS] ? option_origin(o, OPT_AD_BITS, from, sizeof(from))
					       : "--ad-bits on",
			 s->name, v->name, cfg->vm.kvm.arch->name);
		return -1;
	}
	/* A descriptor naming a worker kind that does not exist is the
	 * harness's own bug. */
	HARNESS_ASSERT(!v->extra_workers || worker_names_valid(v->extra_workers, &bad, &bad_len),
		       "%s/%s adds a worker of kind '%.*s', which workers/registry.c does not "
		       "have",
		       s->name, v->name, (int)bad_len, bad);
	if (actors_refused(cfg, o, s, v) || too_many_workers(cfg, o, s, v))
		return -1;
	if (cfg->vm.work.hot_gfns > cfg->vm.kvm.nr_gfns) {
		if (o->given[OPT_HOT_GFNS])
			option_origin(o, OPT_HOT_GFNS, from, sizeof(from));
		else
			snprintf(from, sizeof(from), "--hot-gfns %u", cfg->vm.work.hot_gfns);
		complain("%s is not allowed: at most --gfns (%llu)%s", from,
			 (unsigned long long)cfg->vm.kvm.nr_gfns,
			 o->given[OPT_HOT_GFNS] ? "" : ", and it is the scenario's own hot set");
		return -1;
	}
	if (kvm_config_check(&cfg->vm.kvm, why, sizeof(why))) {
		complain("%s/%s cannot run as asked: %s; lower --gfns", s->name, v->name, why);
		return -1;
	}
	return 0;
}
