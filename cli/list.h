/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LOSTFLUSH_CLI_LIST_H
#define LOSTFLUSH_CLI_LIST_H

/* --list, on stdout; with --json, for machines (cli/list_json.c). */
void list_scenarios(void);
void list_scenarios_json(void);

#endif
