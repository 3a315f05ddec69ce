/* SPDX-License-Identifier: GPL-2.0 */
/*
 * From options to a run's configuration: the scenario's defaults, what the
 * variant's race needs, then what the user gave, which wins. Checked
 * whole, for every run an invocation selects, before the first starts.
 */
#ifndef LOSTFLUSH_CONFIG_H
#define LOSTFLUSH_CONFIG_H

#include "../engine/run.h"
#include "../scenarios/scenario.h"
#include "../workers/vm.h"
#include "options.h"

/* A run's configuration: the engine's, and the VM subject's. */
struct config {
	struct run_config run;
	struct vm_config vm;
};

/* The scheduler, the memory model and the executions, as given: the part
 * of a run's configuration a litmus run (cli/litmus_run.c) shares. */
void config_schedule(struct run_config *run, const struct options *o);
void build_config(struct config *cfg, const struct options *o, const struct scenario *s,
		  const struct scenario_variant *v, uint64_t seed);
/* 0 if the run can be built; -1 after a message naming the option; 1
 * after one saying the scenario does not apply to the --arch asked for;
 * 2 after one saying the running kernel lacks what the variant needs
 * (skipped alone where others run beside it). */
int config_check(const struct config *cfg, const struct options *o, const struct scenario *s,
		 const struct scenario_variant *v);

#endif
