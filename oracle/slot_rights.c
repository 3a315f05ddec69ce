// SPDX-License-Identifier: GPL-2.0
#include "slot_rights.h"

#include <stdlib.h>

struct slot_rights *slot_rights_create(uint64_t nr_gfns)
{
	struct slot_rights *r = malloc(sizeof(*r));

	if (!r)
		return NULL;
	atomic_init(&r->clock, 0);
	r->nr_gfns = nr_gfns;
	r->gone = calloc(nr_gfns, sizeof(*r->gone));
	r->granted = calloc(nr_gfns, sizeof(*r->granted));
	if (!r->gone || !r->granted) {
		slot_rights_destroy(r);
		return NULL;
	}
	return r;
}

void slot_rights_destroy(struct slot_rights *r)
{
	if (!r)
		return;
	free(r->gone);
	free(r->granted);
	free(r);
}
