// SPDX-License-Identifier: GPL-2.0
#include "counters.h"

const char *const counter_names[NR_COUNTERS] = {
#define COUNTER_NAME(id, name, help) [CNT_##id] = name,
	COUNTERS(COUNTER_NAME)
#undef COUNTER_NAME
};
