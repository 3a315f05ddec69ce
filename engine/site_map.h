/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A fixed map from a 64-bit key (a schedule point's site, with the fiber
 * stopped there, or a shared word's address) to a slot number, cleared in
 * constant time: the conflict-aware strategies (engine/pos.c,
 * engine/surw.c) clear theirs at every execution.
 */
#ifndef LOSTFLUSH_SITE_MAP_H
#define LOSTFLUSH_SITE_MAP_H

#include <stdbool.h>
#include <stdint.h>

#define SITE_MAP_CAP 8192 /* power of two */
/* Slots handed out at most: a probe always finds an empty one. */
#define SITE_MAP_SLOTS (SITE_MAP_CAP / 2)

struct site_map {
	uint64_t key[SITE_MAP_CAP];
	uint32_t gen[SITE_MAP_CAP]; /* a key is there when gen == cur_gen */
	uint32_t slot[SITE_MAP_CAP];
	uint32_t cur_gen;
	uint32_t used; /* slots handed out since the last clear */
};

void site_map_clear(struct site_map *m);
/* key's slot, or -1: not there (create: false) or the map is full. A new
 * key gets the next slot, 0 first. */
int site_map_find(struct site_map *m, uint64_t key, bool create);

/* The key of fiber `fiber` stopped at `site`. */
static inline uint64_t site_key(const char *site, int fiber)
{
	return (uint64_t)(uintptr_t)site << 8 | (uint64_t)fiber;
}

#endif
