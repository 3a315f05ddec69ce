/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --replay FILE: the report's run replaces the command line but for what
 * applies to a replay (--variant, --expect, --timeline, --minimize,
 * --report, --max-memory, -q). The file is held to the rules the command
 * line is: each key of its replay object is an option a replay carries,
 * parsed by that option's kind and bounds.
 */
#ifndef LOSTFLUSH_CLI_REPLAY_H
#define LOSTFLUSH_CLI_REPLAY_H

#include "../reports/replay_read.h"
#include "options.h"

/* 0, or the exit code: EXIT_USAGE for a file or a command line that does
 * not make a replay, EXIT_SKIPPED for a schedule larger than --max-memory. */
int replay_load(struct options *o);
/* The same from a file already read (rf's schedule may move into o). */
int replay_apply(struct options *o, struct replay_file *rf);

#endif
