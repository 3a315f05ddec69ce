/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every scenario, once. X(name) expands to the descriptor scenario_<name>,
 * defined at the end of scenarios/<name>.c. Adding a scenario is one file
 * and one line here.
 */
#ifndef LOSTFLUSH_SCENARIO_LIST_H
#define LOSTFLUSH_SCENARIO_LIST_H

#include "scenario.h"

#define SCENARIOS(X)         \
	X(invlpg_defer)      \
	X(vcpu_request)      \
	X(hva_range_flush)   \
	X(zap_leafs)         \
	X(dirty_log)         \
	X(spte_mmu_writable) \
	X(stage2_cmo)        \
	X(stage2_blocks)     \
	X(tdp_lockless)      \
	X(gmem_punch_hole)   \
	X(memslot_delete)    \
	X(memslot_move)      \
	X(real_dirty_log)    \
	X(real_notifier)     \
	X(real_memslot)

#define SCENARIO_EXTERN(n) extern const struct scenario scenario_##n;
SCENARIOS(SCENARIO_EXTERN)
#undef SCENARIO_EXTERN

extern const struct scenario *const all_scenarios[];
extern const int nr_scenarios;

const struct scenario *scenario_find(const char *name);
const struct scenario_variant *variant_find(const struct scenario *s, const char *name);

#endif
