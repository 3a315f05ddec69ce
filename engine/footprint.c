// SPDX-License-Identifier: GPL-2.0
/* Footprints of controlled steps (engine/footprint.h). */
#include "footprint.h"

#include "ctl.h"
#include "reads_from.h"
#include "thread.h"

bool lostflush_footprints;

void footprint_add(struct footprint *f, uintptr_t addr, bool write)
{
	for (int i = 0; i < f->n; i++)
		if (f->a[i].addr == addr) {
			f->a[i].write |= write;
			return;
		}
	if (f->n == FP_MAX) {
		f->overflow = true;
		return;
	}
	f->a[f->n++] = (struct fp_access){ addr, write };
}

void footprint_note_slow(const volatile void *p, bool write)
{
	struct ctl *c = lostflush_ctl;

	/* Outside a fiber (the controller building or checking the
	 * subject, or evaluating every fiber's wait) nothing is a step. */
	if (!c || c->current < 0 || c->picking)
		return;
	footprint_add(&c->threads[c->current].step, (uintptr_t)p, write);
	if (lostflush_reads_from)
		reads_from_note((uintptr_t)p, write, c->threads[c->current].site, c->current);
}

bool footprints_conflict(const struct footprint *a, const struct footprint *b)
{
	if (a->overflow || b->overflow)
		return true;
	for (int i = 0; i < a->n; i++)
		for (int j = 0; j < b->n; j++)
			if (a->a[i].addr == b->a[j].addr && (a->a[i].write || b->a[j].write))
				return true;
	return false;
}
