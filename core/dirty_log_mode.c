// SPDX-License-Identifier: GPL-2.0
#include "dirty_log_mode.h"

#include <string.h>

static const char *const log_mode_names[NR_LOG_MODES] = {
	[LOG_BITMAP] = "bitmap",
	[LOG_CLEAR] = "clear",
	[LOG_RING] = "ring",
};

const char *dirty_log_mode_name(enum dirty_log_mode mode)
{
	return mode < NR_LOG_MODES ? log_mode_names[mode] : "?";
}

bool dirty_log_mode_parse(const char *s, enum dirty_log_mode *mode)
{
	for (int m = 0; m < NR_LOG_MODES; m++)
		if (!strcmp(s, log_mode_names[m])) {
			*mode = (enum dirty_log_mode)m;
			return true;
		}
	return false;
}
