// SPDX-License-Identifier: GPL-2.0
#include "trace_events.h"

const char *const trace_event_names[NR_TRACE_EVENTS] = {
#define TRACE_NAME(id, name) [TR_##id] = (name),
#define TRACE_SLOT_NAME(id, name) [TR_SLOT_##id] = (name),
	TRACE_EVENTS(TRACE_NAME, TRACE_SLOT_NAME)
#undef TRACE_NAME
#undef TRACE_SLOT_NAME
};
