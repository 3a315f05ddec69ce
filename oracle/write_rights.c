// SPDX-License-Identifier: GPL-2.0
#include "write_rights.h"

#include <stdlib.h>

struct write_rights *write_rights_create(uint64_t nr_gfns)
{
	struct write_rights *r = malloc(sizeof(*r));

	if (!r)
		return NULL;
	atomic_init(&r->clock, 0);
	r->nr_gfns = nr_gfns;
	r->gfn = calloc(nr_gfns, sizeof(*r->gfn));
	if (!r->gfn) {
		free(r);
		return NULL;
	}
	return r;
}

void write_rights_destroy(struct write_rights *r)
{
	if (!r)
		return;
	free(r->gfn);
	free(r);
}
