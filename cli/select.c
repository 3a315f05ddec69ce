// SPDX-License-Identifier: GPL-2.0
/* --scenario and --variant as the runs they select. */
#include "select.h"

#include <string.h>

#include "../engine/check.h"
#include "../scenarios/list.h"
#include "complain.h"
#include "config.h"

void print_names(const struct scenario *s)
{
	FILE *out = complain_stream ? complain_stream : stderr;

	if (!s) {
		fputs("  scenarios: all", out);
		for (int i = 0; i < nr_scenarios; i++)
			fprintf(out, ", %s", all_scenarios[i]->name);
	} else {
		fputs("  variants: all", out);
		for (int i = 0; s->variants && i < s->nr_variants; i++)
			fprintf(out, ", %s", s->variants[i].name);
	}
	fputs("\n", out);
}

/* Expand --scenario/--variant into runs; -1 on an unknown name. */
int select_runs(const struct options *o, struct selection *sel, int max, int *n)
{
	bool all_scenarios_wanted = !strcmp(o->scenario, "all");
	const struct scenario *only = all_scenarios_wanted ? NULL : scenario_find(o->scenario);
	bool every_variant = all_scenarios_wanted || (o->variant && !strcmp(o->variant, "all"));

	*n = 0;
	if (!all_scenarios_wanted && !only) {
		complain("--scenario '%s' is unknown", o->scenario);
		print_names(NULL);
		return -1;
	}
	if (all_scenarios_wanted && o->variant && strcmp(o->variant, "all") != 0) {
		complain("--variant '%s' needs one --scenario, not all", o->variant);
		return -1;
	}
	if (only && o->given[OPT_BACKEND] && only->real_kernel != (o->backend == BACKEND_KVM)) {
		complain("--scenario %s runs on %s, not on --backend %s", only->name,
			 only->real_kernel ? "the running kernel's KVM (--backend kvm)"
					   : "the model (--backend model)",
			 o->backend == BACKEND_KVM ? "kvm" : "model");
		return -1;
	}
	for (int i = 0; i < nr_scenarios; i++) {
		const struct scenario *s = all_scenarios[i];

		if (only && s != only)
			continue;
		/* all: the backend's catalogue. */
		if (!only && s->real_kernel != (o->backend == BACKEND_KVM))
			continue;
		if (!every_variant) {
			const struct scenario_variant *v =
				o->variant ? variant_find(s, o->variant) : &s->variants[0];

			if (!v) {
				complain("--variant '%s' is unknown for %s", o->variant, s->name);
				print_names(s);
				return -1;
			}
			sel[(*n)++] = (struct selection){ s, v };
			continue;
		}
		for (int j = 0; j < s->nr_variants && *n < max; j++)
			sel[(*n)++] = (struct selection){ s, &s->variants[j] };
	}
	return 0;
}

/* Every run, before the first starts: an option one scenario cannot take
 * must not cost the runs before it, or their report. A run the host
 * cannot give what it needs (config_check()'s 2) drops out of a longer
 * selection, said so, and the others go on. */
int check_runs(const struct options *o, struct selection *sel, int *n, uint64_t seed)
{
	for (int i = 0; i < *n; i++) {
		struct config cfg;
		int rc;

		build_config(&cfg, o, sel[i].scenario, sel[i].variant, seed);
		rc = config_check(&cfg, o, sel[i].scenario, sel[i].variant);
		if (rc == 2 && *n > 1) {
			memmove(&sel[i], &sel[i + 1], (size_t)(*n - i - 1) * sizeof(*sel));
			(*n)--;
			i--;
			continue;
		}
		if (rc)
			return rc < 0 ? EXIT_USAGE : EXIT_SKIPPED;
	}
	return 0;
}
