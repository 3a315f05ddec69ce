// SPDX-License-Identifier: GPL-2.0
/* A fixed map of keys to slots (engine/site_map.h). */
#include "site_map.h"

void site_map_clear(struct site_map *m)
{
	m->cur_gen++;
	m->used = 0;
}

static uint32_t key_hash(uint64_t key)
{
	return (uint32_t)((key * 0x9e3779b97f4a7c15ULL) >> 40) & (SITE_MAP_CAP - 1);
}

int site_map_find(struct site_map *m, uint64_t key, bool create)
{
	/* gen 0 is never current: a zeroed map starts empty. */
	if (!m->cur_gen)
		m->cur_gen = 1;
	for (uint32_t i = key_hash(key);; i = (i + 1) & (SITE_MAP_CAP - 1)) {
		if (m->gen[i] != m->cur_gen) {
			if (!create || m->used == SITE_MAP_SLOTS)
				return -1;
			m->gen[i] = m->cur_gen;
			m->key[i] = key;
			m->slot[i] = m->used++;
			return (int)m->slot[i];
		}
		if (m->key[i] == key)
			return (int)m->slot[i];
	}
}
