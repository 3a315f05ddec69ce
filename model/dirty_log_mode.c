// SPDX-License-Identifier: GPL-2.0
#include "dirty_log_mode.h"

static const char *const log_mode_names[NR_LOG_MODES] = {
	[LOG_BITMAP] = "bitmap",
	[LOG_CLEAR] = "clear",
	[LOG_RING] = "ring",
};

const char *dirty_log_mode_name(enum dirty_log_mode mode)
{
	return mode < NR_LOG_MODES ? log_mode_names[mode] : "?";
}
