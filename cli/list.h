/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LOSTFLUSH_CLI_LIST_H
#define LOSTFLUSH_CLI_LIST_H

/* --list, on stdout. */
void list_scenarios(void);

#endif
