// SPDX-License-Identifier: GPL-2.0
#include "counter_ids.h"

const char *const counter_names[NR_COUNTERS] = {
#define COUNTER_NAME(id, name, help) [CNT_##id] = (name),
#define COUNTER_SLOT_NAME(id, name, help) [CNT_SLOT_##id] = (name),
	COUNTERS(COUNTER_NAME, COUNTER_SLOT_NAME)
#undef COUNTER_NAME
#undef COUNTER_SLOT_NAME
};
