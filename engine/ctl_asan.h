/* SPDX-License-Identifier: GPL-2.0 */
/*
 * AddressSanitizer's fiber interface, for the controlled scheduler's
 * swapcontext() (engine/ctl.c). ASan keeps the bounds of the stack it runs
 * on; a switch it is not told of leaves it on the wrong one, and it warns
 * that it may then report false positives. Each switch is announced before
 * (the stack it goes to) and completed after (on the stack it came to),
 * as TSan's fiber calls do for TSan. Without ASan these are nothing.
 */
#ifndef LOSTFLUSH_CTL_ASAN_H
#define LOSTFLUSH_CTL_ASAN_H

#include <stddef.h>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CTL_ASAN 1
#endif
#endif
#ifdef __SANITIZE_ADDRESS__
#define CTL_ASAN 1
#endif

#ifdef CTL_ASAN
#include <sanitizer/common_interface_defs.h>

/* Going to the stack [bottom, bottom + size); *fake keeps the leaving
 * fiber's fake stack (NULL: it will never run again, free it). */
static inline void ctl_asan_leave(void **fake, const void *bottom, size_t size)
{
	__sanitizer_start_switch_fiber(fake, bottom, size);
}

/* Arrived: the stack left is reported in *bottom, *size. */
static inline void ctl_asan_arrive(void *fake, const void **bottom, size_t *size)
{
	__sanitizer_finish_switch_fiber(fake, bottom, size);
}
#else
static inline void ctl_asan_leave(void **fake, const void *bottom, size_t size)
{
	(void)fake;
	(void)bottom;
	(void)size;
}

static inline void ctl_asan_arrive(void *fake, const void **bottom, size_t *size)
{
	(void)fake;
	(void)bottom;
	(void)size;
}
#endif

#endif
