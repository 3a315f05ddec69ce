// SPDX-License-Identifier: GPL-2.0
#include "counter_ids.h"

const char *const counter_names[COUNTER_SLOTS] = {
#define COUNTER_NAME(id, name, help) [CNT_##id] = (name),
#define COUNTER_SLOT_NAME(slot, name, help) [slot] = (name),
	COUNTERS(COUNTER_NAME, COUNTER_SLOT_NAME)
#undef COUNTER_NAME
#undef COUNTER_SLOT_NAME
};
