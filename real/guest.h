/* SPDX-License-Identifier: GPL-2.0 */
/* The guest program's bytes (real/guest.c says what it does). */
#ifndef LOSTFLUSH_REAL_GUEST_H
#define LOSTFLUSH_REAL_GUEST_H

extern const unsigned char real_guest_code_start[];
extern const unsigned char real_guest_code_end[];

#endif
