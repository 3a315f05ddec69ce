// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: a report as --replay reads it. The bytes go through
 * the reader (JSON, the replay object, the schedule and its budget), then
 * through the option table by the replay's rules, then the checks ./stress
 * makes before it runs the replay.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../cli/options.h"
#include "../../cli/replay.h"
#include "../../cli/select.h"
#include "../../engine/budget.h"
#include "quiet.h"

#define FUZZ_BUDGET (4u << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct replay_file rf;
	struct options o;
	char why[512];

	budget_init(FUZZ_BUDGET);
	if (replay_file_parse((const char *)data, size, FUZZ_BUDGET, &rf, why, sizeof(why)))
		return 0;
	options_init(&o, "stress");
	o.replay_path = "fuzz.json";
	o.max_memory = FUZZ_BUDGET;
	if (!replay_apply(&o, &rf) && !options_check(&o)) {
		struct selection sel[MAX_RUNS];
		int n;

		if (!select_runs(&o, sel, MAX_RUNS, &n))
			check_runs(&o, sel, &n, o.seed);
	}
	replay_file_free(&rf);
	options_free(&o);
	return 0;
}
