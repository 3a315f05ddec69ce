/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the SPTE table's files share inside the model (model/spt.c: the
 * table and its walks; model/spt_rcu.c: retiring tables; model/kvm.c: a
 * VM's roots): not for code outside model/.
 */
#ifndef LOSTFLUSH_SPT_H
#define LOSTFLUSH_SPT_H

#include "mmu.h"

/* A zeroed 4 KiB table, or exit 3 (the machine is out of memory). */
struct spt_table *spt_alloc_table(void);
/* Free a table and every table below it (level: the table's). */
void spt_free_tree(struct spt_table *t, int level);
/* Poison a freed table and hold it in the quarantine, freeing the
 * oldest table there if it is full (model/spt_quarantine.c). */
void spt_quarantine_table(struct spt_table *t);
/* The table a non-leaf SPTE points at. */
struct spt_table *spte_to_table(uint64_t spte);

#endif
