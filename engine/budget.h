/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The memory the harness may grow into beside the model (--max-memory):
 * the state search's archive, an execution's decision log, a replayed
 * schedule. What would pass the limit is refused, and the caller decides:
 * the archive stops keeping states, a decision log that cannot grow ends
 * the run as a lack of memory (exit 3).
 */
#ifndef LOSTFLUSH_BUDGET_H
#define LOSTFLUSH_BUDGET_H

#include <stdbool.h>
#include <stdint.h>

/* The limit (until set: none). */
void budget_init(uint64_t limit_bytes);
/* Take bytes from the budget; false (and nothing taken) past the limit. */
bool budget_charge(uint64_t bytes);
/* The same, but only if `keep` bytes are still free afterwards. */
bool budget_charge_leaving(uint64_t bytes, uint64_t keep);
void budget_release(uint64_t bytes);
uint64_t budget_limit(void);
uint64_t budget_used(void);

#endif
