// SPDX-License-Identifier: GPL-2.0
#include "list.h"

#include <string.h>

const struct scenario *const all_scenarios[] = {
#define SCENARIO_PTR(n) &scenario_##n,
	SCENARIOS(SCENARIO_PTR)
#undef SCENARIO_PTR
};
const int nr_scenarios = ARRAY_SIZE(all_scenarios);

const struct scenario *scenario_find(const char *name)
{
	for (int i = 0; i < nr_scenarios; i++)
		if (!strcmp(all_scenarios[i]->name, name))
			return all_scenarios[i];
	return NULL;
}

const struct scenario_variant *variant_find(const struct scenario *s, const char *name)
{
	for (int i = 0; i < s->nr_variants; i++)
		if (!strcmp(s->variants[i].name, name))
			return &s->variants[i];
	return NULL;
}
