// SPDX-License-Identifier: GPL-2.0
/* Migration's userspace against the real dirty log (real/dirty_log.h). */
#include "dirty_log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include <linux/kvm.h>

#define LONG_BITS (8 * sizeof(unsigned long))

static size_t bitmap_bytes(uint64_t nr_pages)
{
	/* KVM_GET_DIRTY_LOG writes whole 64-bit words. */
	return (size_t)((nr_pages + 63) / 64 * 8);
}

int real_log_create(struct real_log *log, const struct real_vm *vm, enum real_log_mode mode,
		    char *why, size_t len)
{
	memset(log, 0, sizeof(*log));
	log->mode = mode;
	log->nr_pages = vm->cfg.nr_pages;
	log->dest = malloc(vm->cfg.nr_pages * REAL_PAGE_SIZE);
	log->bitmap = calloc(1, bitmap_bytes(vm->cfg.nr_pages));
	log->handed = calloc(1, bitmap_bytes(vm->cfg.nr_pages));
	pthread_mutex_init(&log->handed_lock, NULL);
	if (!log->dest || !log->bitmap || !log->handed) {
		snprintf(why, len, "no memory for the migration's copy of %llu pages",
			 (unsigned long long)vm->cfg.nr_pages);
		return -1;
	}
	return 0;
}

void real_log_destroy(struct real_log *log)
{
	free(log->dest);
	free(log->bitmap);
	free(log->handed);
	pthread_mutex_destroy(&log->handed_lock);
	memset(log, 0, sizeof(*log));
}

static void copy_page(struct real_log *log, const struct real_vm *vm, uint64_t page)
{
	memcpy(log->dest + page * REAL_PAGE_SIZE, vm->ws + page * REAL_PAGE_SIZE, REAL_PAGE_SIZE);
}

void real_log_first_copy(struct real_log *log, const struct real_vm *vm)
{
	for (uint64_t p = 0; p < log->nr_pages; p++)
		copy_page(log, vm, p);
}

static int get_log(struct real_log *log, struct real_vm *vm, char *why, size_t len)
{
	struct kvm_dirty_log get = { .slot = REAL_SLOT_WS, .dirty_bitmap = log->bitmap };

	memset(log->bitmap, 0, bitmap_bytes(log->nr_pages));
	if (!ioctl(vm->vm_fd, KVM_GET_DIRTY_LOG, &get))
		return 0;
	snprintf(why, len, "KVM_GET_DIRTY_LOG: %s", strerror(errno));
	return -1;
}

/* KVM_CLEAR_DIRTY_LOG of what the get returned: its first page and a
 * count that is a multiple of 64. */
static int clear_log(struct real_log *log, struct real_vm *vm, char *why, size_t len)
{
	struct kvm_clear_dirty_log clear = {
		.slot = REAL_SLOT_WS,
		.num_pages = (uint32_t)((log->nr_pages + 63) / 64 * 64),
		.first_page = 0,
		.dirty_bitmap = log->bitmap,
	};

	if (clear.num_pages > log->nr_pages)
		clear.num_pages = (uint32_t)log->nr_pages;
	if (!ioctl(vm->vm_fd, KVM_CLEAR_DIRTY_LOG, &clear))
		return 0;
	snprintf(why, len, "KVM_CLEAR_DIRTY_LOG: %s", strerror(errno));
	return -1;
}

static bool reported(const struct real_log *log, uint64_t page)
{
	return log->bitmap[page / LONG_BITS] & (1UL << (page % LONG_BITS));
}

/* Collect vCPU v's published entries of the working set's slot into
 * bits, marking each for reset (kvm_dirty_gfn_harvested()'s pair). */
static void collect_ring(struct real_log *log, unsigned long *bits, struct real_vcpu *v)
{
	for (;;) {
		struct kvm_dirty_gfn *e = &v->ring[v->ring_fetch % v->ring_entries];
		uint32_t flags = __atomic_load_n(&e->flags, __ATOMIC_ACQUIRE);

		if (!(flags & KVM_DIRTY_GFN_F_DIRTY))
			return;
		if (e->slot == REAL_SLOT_WS && e->offset < log->nr_pages)
			bits[e->offset / LONG_BITS] |= 1UL << (e->offset % LONG_BITS);
		__atomic_store_n(&e->flags, KVM_DIRTY_GFN_F_RESET, __ATOMIC_RELEASE);
		v->ring_fetch++;
	}
}

uint64_t real_log_collect(struct real_log *log, struct real_vm *vm)
{
	uint64_t n = 0;

	pthread_mutex_lock(&log->handed_lock);
	for (int i = 0; i < vm->nr_vcpus; i++)
		collect_ring(log, log->handed, &vm->vcpus[i]);
	for (uint64_t w = 0; w < bitmap_bytes(log->nr_pages) / sizeof(long); w++)
		n += (uint64_t)__builtin_popcountl(log->handed[w]);
	pthread_mutex_unlock(&log->handed_lock);
	return n;
}

/* What the collector handed over joins this harvest's bits. */
static void take_handed(struct real_log *log)
{
	pthread_mutex_lock(&log->handed_lock);
	for (uint64_t w = 0; w < bitmap_bytes(log->nr_pages) / sizeof(long); w++) {
		log->bitmap[w] |= log->handed[w];
		log->handed[w] = 0;
	}
	pthread_mutex_unlock(&log->handed_lock);
}

/* Collect (unless the collector does), take what was handed over, and
 * KVM_RESET_DIRTY_RINGS. */
static int harvest_ring(struct real_log *log, struct real_vm *vm, bool collect, char *why,
			size_t len)
{
	memset(log->bitmap, 0, bitmap_bytes(log->nr_pages));
	for (int i = 0; collect && i < vm->nr_vcpus; i++)
		collect_ring(log, log->bitmap, &vm->vcpus[i]);
	take_handed(log);
	if (ioctl(vm->vm_fd, KVM_RESET_DIRTY_RINGS, 0) >= 0)
		return 0;
	snprintf(why, len, "KVM_RESET_DIRTY_RINGS: %s", strerror(errno));
	return -1;
}

static int64_t harvest(struct real_log *log, struct real_vm *vm, bool collect, char *why,
		       size_t len)
{
	int64_t n = 0;
	bool dropped = false;

	if (log->mode == REAL_LOG_RING ? harvest_ring(log, vm, collect, why, len)
				       : get_log(log, vm, why, len))
		return -1;
	if (log->mode == REAL_LOG_CLEAR && clear_log(log, vm, why, len))
		return -1;
	for (uint64_t p = 0; p < log->nr_pages; p++) {
		if (!reported(log, p))
			continue;
		n++;
		if (log->drop_first && !dropped) {
			dropped = true;
			log->dropped++;
			continue;
		}
		copy_page(log, vm, p);
	}
	log->harvests++;
	log->reported += (uint64_t)n;
	return n;
}

int64_t real_log_harvest(struct real_log *log, struct real_vm *vm, char *why, size_t len)
{
	return harvest(log, vm, true, why, len);
}

int64_t real_log_reset_handed(struct real_log *log, struct real_vm *vm, char *why, size_t len)
{
	return harvest(log, vm, false, why, len);
}

uint64_t real_log_compare(const struct real_log *log, const struct real_vm *vm,
			  void (*lost)(uint64_t page, uint64_t copy, uint64_t now, void *arg),
			  void *arg)
{
	uint64_t differ = 0;

	for (uint64_t p = 0; p < log->nr_pages; p++) {
		const uint64_t *now = (const uint64_t *)(vm->ws + p * REAL_PAGE_SIZE);
		const uint64_t *copy = (const uint64_t *)(log->dest + p * REAL_PAGE_SIZE);

		if (!memcmp(now, copy, REAL_PAGE_SIZE))
			continue;
		differ++;
		/* The first word that differs says which write was lost. */
		for (size_t w = 0; w < REAL_PAGE_SIZE / 8; w++)
			if (now[w] != copy[w]) {
				lost(p, copy[w], now[w], arg);
				break;
			}
	}
	return differ;
}
