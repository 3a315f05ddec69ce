/* SPDX-License-Identifier: GPL-2.0 */
/* One scenario x variant: build it, run it, print it, keep its result. */
#ifndef LOSTFLUSH_RUN_ONE_H
#define LOSTFLUSH_RUN_ONE_H

#include "../reports/report.h"
#include "../scenarios/scenario.h"
#include "options.h"

/* Runs it and fills *result (which then owns what run_result_free()
 * frees). The configuration was checked before (config_check()). */
void run_one(const struct options *o, const struct scenario *s, const struct scenario_variant *v,
	     uint64_t seed, struct run_result *result);

#endif
