// SPDX-License-Identifier: GPL-2.0
/*
 * --list --json: the catalogue for machines. Every scenario and variant,
 * each variant's mechanism settings and its claims, so scripts (the claims
 * measurement, make check's driver, the docs) read what the descriptors
 * say instead of scraping --list.
 */
#include <jansson.h>
#include <stdio.h>

#include "../engine/ctl.h"
#include "../engine/memmodel.h"
#include "../model/dirty_log_mode.h"
#include "../model/tlb.h"
#include "../scenarios/list.h"
#include "list.h"

static const struct {
	unsigned bit;
	const char *name;
} detectors[] = {
	{ DETECT_ORACLE, "free" }, { DETECT_RANDOM, "random" },
	{ DETECT_PCT, "pct" },	   { DETECT_COVER, "cover" },
	{ DETECT_TSAN, "tsan" },   { DETECT_STORE_BUFFERS, "store-buffers" },
};

static json_t *detector_list(unsigned bits)
{
	json_t *a = json_array();

	for (size_t i = 0; i < sizeof(detectors) / sizeof(detectors[0]); i++)
		if (bits & detectors[i].bit)
			json_array_append_new(a, json_string(detectors[i].name));
	return a;
}

/* The modes of a mask, by name; an empty mask is every mode. */
static json_t *mode_list(unsigned mask, int nr, const char *(*name)(int))
{
	json_t *a = json_array();

	for (int m = 0; m < nr; m++)
		if (!mask || (mask & (1U << m)))
			json_array_append_new(a, json_string(name(m)));
	return a;
}

static const char *tlb_huge_of(int m)
{
	return tlb_huge_name((enum tlb_huge_mode)m);
}
static const char *log_of(int m)
{
	return dirty_log_mode_name((enum dirty_log_mode)m);
}
static const char *ad_bits_of(int m)
{
	return m ? "on" : "off";
}

static json_t *range_flush_list(int shows_with)
{
	json_t *a = json_array();

	if (shows_with != RANGE_FLUSH_UNSUPPORTED)
		json_array_append_new(a, json_string("works"));
	if (shows_with != RANGE_FLUSH_WORKS)
		json_array_append_new(a, json_string("unsupported"));
	return a;
}

/* {"preemptions": N, "exact": true}, {"more_than": N}, or null. */
static json_t *depth_json(const struct bug_depth *d)
{
	if (d->kind == DEPTH_EXACT)
		return json_pack("{s:i, s:b, s:i}", "preemptions", d->preemptions, "exact", 1,
				 "seed", 1);
	if (d->kind == DEPTH_MORE_THAN)
		return json_pack("{s:i, s:i}", "more_than", d->preemptions, "seed", 1);
	return json_null();
}

static json_t *claims_json(const struct variant_claims *c)
{
	json_t *claims = json_pack(
		"{s:o, s:i, s:b, s:b, s:b, s:s, s:{s:o, s:o, s:o, s:o}, s:b}", "caught_by",
		detector_list(c->caught_by), "pct_depth",
		c->pct_depth ? c->pct_depth : CTL_DEFAULT_DEPTH, "rare_in_free_mode",
		c->rare_in_free_mode, "cover_sc_only", c->cover_sc_only, "pct_sc_only",
		c->pct_sc_only, "shows_from", mem_model_name(c->shows_from), "shows_with",
		"tlb_huge", mode_list(c->shows_with_tlb_huge, NR_TLB_HUGE_MODES, tlb_huge_of),
		"log", mode_list(c->shows_with_log, NR_LOG_MODES, log_of), "ad_bits",
		mode_list(c->shows_with_ad_bits, 2, ad_bits_of), "range_flush",
		range_flush_list(c->shows_with_range_flush), "needs_huge_leaves",
		c->needs_huge_leaves);

	json_object_set_new(claims, "bug_depth", depth_json(&c->depth));
	/* Only where it says something: every other variant runs with any. */
	if (c->shows_with_cpu_features)
		json_object_set_new(json_object_get(claims, "shows_with"), "cpu_features",
				    mode_list(c->shows_with_cpu_features, NR_CPU_FEATURE_SETS,
					      cpu_features_name));
	return claims;
}

static json_t *variant_json(const struct scenario_variant *v)
{
	return json_pack("{s:s, s:s, s:s, s:b, s:o, s:{s:s?, s:s?, s:s?, s:i, s:s?, s:b}}", "name",
			 v->name, "summary", v->summary, "note", v->note, "buggy", v->buggy,
			 "claims", claims_json(&v->claims), "settings", "workload", v->workload,
			 "perturb", v->perturb, "actors", v->actors, "controlled_vcpus",
			 v->controlled_vcpus, "controlled_workload", v->controlled_workload,
			 "cover_follows_reorderings", v->cover_follows_reorderings);
}

void list_scenarios_json(bool real_kernel)
{
	json_t *scenarios = json_array();

	for (int i = 0; i < nr_scenarios; i++) {
		const struct scenario *s = all_scenarios[i];
		json_t *variants;

		if (s->real_kernel != real_kernel)
			continue;
		variants = json_array();
		for (int j = 0; j < s->nr_variants; j++)
			json_array_append_new(variants, variant_json(&s->variants[j]));
		json_array_append_new(
			scenarios,
			json_pack("{s:s, s:s, s:s, s:s, s:s, s:s?, s:s?, s:b, s:o}", "name",
				  s->name, "summary", s->summary, "origin", s->origin, "backend",
				  s->real_kernel ? "kvm" : "model", "arch", s->arch->name,
				  "workers", s->workers, "controlled_workers",
				  scenario_workers(s, SCHED_RANDOM), "workers_from_code",
				  s->add_workers != NULL, "variants", variants));
	}
	json_dumpf(scenarios, stdout, JSON_INDENT(1));
	fputc('\n', stdout);
	json_decref(scenarios);
}
