// SPDX-License-Identifier: GPL-2.0
/* --list: every scenario, its variants, and what catches each where. */
#include "list.h"

#include <stdio.h>

#include "../engine/ctl.h"
#include "../model/dirty_log_mode.h"
#include "../engine/memmodel.h"
#include "../model/tlb.h"
#include "../real/kvm_vm.h"
#include "../scenarios/list.h"

/* What a variant changes in free mode and in controlled modes. */
static void list_variant_shapes(const struct scenario_variant *v)
{
	if (v->claims.caught_by & DETECT_PCT)
		printf("    %-22s         pct: stated caught from --sched pct:%d on\n", "",
		       v->claims.pct_depth ? v->claims.pct_depth : CTL_DEFAULT_DEPTH);
	if (v->actors)
		printf("    %-22s         runs with --actors %s\n", "", v->actors);
	if (v->workload || v->perturb)
		printf("    %-22s         free mode runs with%s%s%s%s\n", "",
		       v->workload ? " --workload " : "", v->workload ? v->workload : "",
		       v->perturb ? " --perturb " : "", v->perturb ? v->perturb : "");
	if (v->claims.pct_sc_only)
		printf("    %-22s         pct: stated caught under --memory sc only (under "
		       "tso and weak, commits and stale reads add decisions and dilute its "
		       "odds)\n",
		       "");
	if (v->claims.cover_sc_only)
		printf("    %-22s         cover: stated caught under --memory sc only (under "
		       "tso and weak, commits and stale reads dilute its search)\n",
		       "");
	if (v->cover_follows_reorderings)
		printf("    %-22s         cover: follows store reorderings (goes on from passed "
		       "stores)\n",
		       "");
	if (v->controlled_vcpus || v->controlled_workload) {
		char vcpus[32] = "";

		if (v->controlled_vcpus)
			snprintf(vcpus, sizeof(vcpus), " --vcpus %d", v->controlled_vcpus);
		printf("    %-22s         controlled modes run with%s%s%s\n", "", vcpus,
		       v->controlled_workload ? " --workload " : "",
		       v->controlled_workload ? v->controlled_workload : "");
	}
}

static const char *ad_bits_name_of(int m)
{
	return m ? "on" : "off";
}
static const char *tlb_huge_name_of(int m)
{
	return tlb_huge_name((enum tlb_huge_mode)m);
}
static const char *dirty_log_mode_name_of(int m)
{
	return dirty_log_mode_name((enum dirty_log_mode)m);
}

/* "log: shows only with --log bitmap or clear (runs with bitmap unless
 * told); expected clean with the other". */
static void list_mode_mask(const char *option, unsigned mask, int nr, const char *(*name)(int))
{
	int shown = 0, total = __builtin_popcount(mask);

	if (!mask)
		return;
	printf("    %-22s         %s: shows only with %s", "", option + 2, option);
	for (int m = 0; m < nr; m++)
		if (mask & (1U << m))
			printf("%s%s", shown++ ? (shown == total ? " or " : ", ") : " ", name(m));
	printf(" (runs with %s unless told); expected clean with the other%s\n",
	       name(__builtin_ctz(mask)), nr - total > 1 ? "s" : "");
}

/* --backend kvm: what the running kernel offers the real scenarios. */
static void print_kernel_offer(void)
{
	char what[512];

	if (real_kvm_describe(what, sizeof(what)))
		printf("backend: kvm, unusable here: %s\n\n", what);
	else
		printf("backend: kvm, the running kernel's: %s\n\n", what);
}

void list_scenarios(bool real_kernel)
{
	if (real_kernel)
		print_kernel_offer();
	for (int i = 0; i < nr_scenarios; i++) {
		const struct scenario *s = all_scenarios[i];

		if (s->real_kernel != real_kernel)
			continue;
		printf("%s  [%s] %s\n  from: %s\n", s->name, s->arch->name, s->summary, s->origin);
		printf("  workers: a vCPU per --vcpus%s%s%s%s%s (%s)\n",
		       s->workers && *s->workers ? ", " : "", s->workers ? s->workers : "",
		       s->controlled_workers ? "; controlled modes: " : "",
		       s->controlled_workers ? s->controlled_workers : "",
		       s->add_workers ? "; and what the scenario's add_workers() adds" : "",
		       s->real_kernel ? "fixed" : "--actors changes a role's count");
		for (int j = 0; j < s->nr_variants; j++) {
			const struct scenario_variant *v = &s->variants[j];

			printf("    %-22s %-7s %s\n", v->name, v->buggy ? "buggy" : "fixed",
			       v->summary);
			printf("    %-22s         %s\n", "", v->note);
			if (v->buggy)
				printf("    %-22s         caught by:%s%s%s%s%s%s\n", "",
				       v->claims.caught_by & DETECT_ORACLE
					       ? (v->claims.rare_in_free_mode ? " free (rarely)"
									      : " free")
					       : "",
				       v->claims.caught_by & DETECT_RANDOM ? " random" : "",
				       v->claims.caught_by & DETECT_PCT ? " pct" : "",
				       v->claims.caught_by & DETECT_COVER ? " cover" : "",
				       v->claims.caught_by & DETECT_TSAN ? " tsan" : "",
				       v->claims.caught_by & DETECT_STORE_BUFFERS ? " store-buffers"
										  : "");
			if (v->claims.depth.kind == DEPTH_EXACT)
				printf("    %-22s         depth: %d preemption%s (--sched bounded, "
				       "--seed 1)\n",
				       "", v->claims.depth.preemptions,
				       v->claims.depth.preemptions == 1 ? "" : "s");
			else if (v->claims.depth.kind == DEPTH_MORE_THAN)
				printf("    %-22s         depth: more than %d preemption%s "
				       "(--sched bounded, --seed 1)\n",
				       "", v->claims.depth.preemptions,
				       v->claims.depth.preemptions == 1 ? "" : "s");
			if (v->claims.shows_with_range_flush)
				printf("    %-22s         range flush: shows only with "
				       "--range-flush %s; "
				       "expected clean with the other\n",
				       "",
				       v->claims.shows_with_range_flush == RANGE_FLUSH_WORKS
					       ? "works"
					       : "unsupported");
			list_mode_mask("--tlb-huge", v->claims.shows_with_tlb_huge,
				       NR_TLB_HUGE_MODES, tlb_huge_name_of);
			list_mode_mask("--log", v->claims.shows_with_log, NR_LOG_MODES,
				       dirty_log_mode_name_of);
			list_mode_mask("--ad-bits", v->claims.shows_with_ad_bits, 2,
				       ad_bits_name_of);
			list_mode_mask("--cpu-features", v->claims.shows_with_cpu_features,
				       NR_CPU_FEATURE_SETS, cpu_features_name);
			if (v->claims.needs_huge_leaves)
				printf("    %-22s         huge pages: shows only where a memslot "
				       "holds a "
				       "whole huge page; expected clean below\n",
				       "");
			if (v->buggy && v->claims.shows_from != MEM_SC)
				printf("    %-22s         memory: can show from --memory %s on; "
				       "expected clean under a stronger model\n",
				       "", mem_model_name(v->claims.shows_from));
			list_variant_shapes(v);
		}
	}
}
