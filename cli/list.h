/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LOSTFLUSH_CLI_LIST_H
#define LOSTFLUSH_CLI_LIST_H

#include <stdbool.h>

/* --list, on stdout; with --json, for machines (cli/list_json.c). */
void list_scenarios(bool real_kernel);
void list_scenarios_json(bool real_kernel);

#endif
