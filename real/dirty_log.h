/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Migration's userspace against the real kernel's dirty log: the first
 * full copy of the working set, then harvests that copy what the kernel
 * reports, then, with the guest stopped, a last harvest and a comparison
 * of every page with its copy. A page that differs was written and never
 * reported: lost-dirty-write, as the model names it.
 *
 *   get    KVM_GET_DIRTY_LOG fetches and clears the slot's bitmap and
 *          write-protects what it reported, then the pages are copied;
 *   clear  KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2 with KVM_DIRTY_LOG_INITIALLY_SET:
 *          KVM_GET_DIRTY_LOG only reads the bitmap, KVM_CLEAR_DIRTY_LOG
 *          clears and protects what it returned, and only then are the
 *          pages copied (a copy before the clear would miss a write
 *          between the two);
 *   ring   each vCPU's dirty ring (KVM_CAP_DIRTY_LOG_RING_ACQ_REL): the
 *          entries the kernel published are collected (acquire) and marked
 *          for reset (release), KVM_RESET_DIRTY_RINGS protects them again,
 *          and only then are the pages copied.
 */
#ifndef LOSTFLUSH_REAL_DIRTY_LOG_H
#define LOSTFLUSH_REAL_DIRTY_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <pthread.h>
#include <stdint.h>

#include "kvm_vm.h"

enum real_log_mode {
	REAL_LOG_GET,
	REAL_LOG_CLEAR,
	REAL_LOG_RING,
};

struct real_log {
	enum real_log_mode mode;
	uint8_t *dest;	       /* the migration's copy of the working set */
	unsigned long *bitmap; /* one harvest's report */
	uint64_t nr_pages;
	/* The harness's own slip, for the proof that the check can fail:
	 * every harvest leaves out the first page reported to it. */
	bool drop_first;
	uint64_t harvests, reported, dropped;
	/* The ring collected on one thread and reset on another: what the
	 * collector took and has not yet seen reset, under its lock. */
	unsigned long *handed;
	pthread_mutex_t handed_lock;
};

int real_log_create(struct real_log *log, const struct real_vm *vm, enum real_log_mode mode,
		    char *why, size_t len);
void real_log_destroy(struct real_log *log);

/* The first full copy (logging is on since the slot was made). */
void real_log_first_copy(struct real_log *log, const struct real_vm *vm);
/* One harvest and the copies it calls for; the pages reported, or -1 with
 * the failed ioctl in why. */
int64_t real_log_harvest(struct real_log *log, struct real_vm *vm, char *why, size_t len);

/* The ring apart (the dirty ring's interface allows it): the collector
 * marks what it took for reset and hands it over; the resetter calls
 * KVM_RESET_DIRTY_RINGS for what was handed over and copies it. The
 * pages handed over, or -1 with the failed ioctl in why. */
uint64_t real_log_collect(struct real_log *log, struct real_vm *vm);
int64_t real_log_reset_handed(struct real_log *log, struct real_vm *vm, char *why, size_t len);

/* Every page against its copy; calls lost(page, copy, now, arg) for each
 * that differs and returns how many did. */
uint64_t real_log_compare(const struct real_log *log, const struct real_vm *vm,
			  void (*lost)(uint64_t page, uint64_t copy, uint64_t now, void *arg),
			  void *arg);

#endif
