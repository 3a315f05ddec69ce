/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How userspace harvests dirty pages (--log), the three upstream interfaces:
 * KVM_GET_DIRTY_LOG (fetch and re-protect in one ioctl), KVM_CLEAR_DIRTY_LOG
 * (fetch, then clear and re-protect chosen bits: manual protect, with the
 * bitmap initially all set) and the per-vCPU dirty ring (collect entries,
 * then KVM_RESET_DIRTY_RINGS re-protects them).
 */
#ifndef LOSTFLUSH_DIRTY_LOG_MODE_H
#define LOSTFLUSH_DIRTY_LOG_MODE_H

#include <stdbool.h>

enum dirty_log_mode { LOG_BITMAP, LOG_CLEAR, LOG_RING, NR_LOG_MODES };

const char *dirty_log_mode_name(enum dirty_log_mode mode);

#endif
