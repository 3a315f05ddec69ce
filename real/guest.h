/* SPDX-License-Identifier: GPL-2.0 */
/* The guest program's bytes (real/guest.c says what it does). */
#ifndef LOSTFLUSH_REAL_GUEST_H
#define LOSTFLUSH_REAL_GUEST_H

#include <stdint.h>

extern const unsigned char real_guest_code_start[];
extern const unsigned char real_guest_code_end[];

/* The program's random stream, step for step (xorshift64 in r8): the host
 * replays it to know which pages an iteration wrote. */
static inline uint64_t real_guest_next(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*state = x;
	return x;
}

#endif
