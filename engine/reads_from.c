// SPDX-License-Identifier: GPL-2.0
/* Reads-from pairs (engine/reads_from.h). */
#include "reads_from.h"

#include <stddef.h>

#include "site_map.h"

bool lostflush_reads_from;

static struct site_map writers; /* word -> writer[] */
static const char *writer[SITE_MAP_SLOTS];
static struct site_map pairs_seen; /* pair hash -> (seen) */
static uint64_t new_pair;

void reads_from_run_start(void)
{
	site_map_clear(&pairs_seen);
	new_pair = 0;
}

void reads_from_execution_start(void)
{
	site_map_clear(&writers);
}

static struct site_map named; /* site -> name_hash[] */
static uint64_t name_hash[SITE_MAP_SLOTS];

/* A site by its text, not its address: a search's executions must not
 * depend on where the loader put the binary. Cached by address. */
static uint64_t site_id(const char *site)
{
	uint32_t before = named.used;
	int slot;
	uint64_t h = 0xcbf29ce484222325ULL;

	if (!site)
		return 0;
	slot = site_map_find(&named, (uint64_t)(uintptr_t)site, true);
	if (slot >= 0 && named.used == before)
		return name_hash[slot];
	for (const char *p = site; *p; p++)
		h = (h ^ (unsigned char)*p) * 0x100000001b3ULL;
	if (slot >= 0)
		name_hash[slot] = h;
	return h;
}

static uint64_t pair_hash(const char *load_site, const char *store_site)
{
	uint64_t h = site_id(load_site) * 0x9e3779b97f4a7c15ULL;

	h ^= site_id(store_site) + 0x632be59bd9b4e019ULL + (h << 6) + (h >> 2);
	return h | 1; /* never 0: 0 means none */
}

void reads_from_note(uintptr_t addr, bool write, const char *site, int fiber)
{
	int slot;
	uint64_t h;
	uint32_t before;

	(void)fiber;
	if (write) {
		slot = site_map_find(&writers, addr, true);
		if (slot >= 0)
			writer[slot] = site;
		return;
	}
	slot = site_map_find(&writers, addr, false);
	/* A word no step has stored to this execution: read from its start. */
	h = pair_hash(site, slot < 0 ? NULL : writer[slot]);
	before = pairs_seen.used;
	if (site_map_find(&pairs_seen, h, true) >= 0 && pairs_seen.used != before)
		new_pair = h;
}

uint64_t reads_from_take_new(void)
{
	uint64_t h = new_pair;

	new_pair = 0;
	return h;
}
