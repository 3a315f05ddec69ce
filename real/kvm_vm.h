/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A real VM on /dev/kvm: the kernel's MMU, not the model's, under the
 * guest program of real/guest.c.
 *
 * Guest physical memory, identity-mapped by the page tables this file
 * builds (2M pages over the first GiB):
 *
 *   0x000000  slot 0, the system region (2 MiB, never logged):
 *     0x1000  PML4     0x2000  PDPT     0x3000  PD
 *     0x8000  the guest program
 *    0x10000  the shared page: the iteration number the host sets
 *   0x100000  one 4K stack per vCPU
 *   0x200000  slot 1, the working set: nr_pages pages, logged when asked
 *
 * Each vCPU starts in 64-bit mode at the program with its id, the working
 * set's base and size, a seed and the shared page's address in registers
 * (the program's header says which). It exits to the host by port I/O:
 * REAL_PORT_SYNC after each iteration, REAL_PORT_MISMATCH when a value it
 * wrote did not read back.
 *
 * What the kernel lacks is said, not assumed: each call that fails
 * explains why in `why` (the ioctl and errno), and real_kvm_usable() tells
 * a host without /dev/kvm, without permission or with an API it does not
 * know from one that can run the guest.
 */
#ifndef LOSTFLUSH_REAL_KVM_VM_H
#define LOSTFLUSH_REAL_KVM_VM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* <linux/kvm.h> stays in real/'s .c files: its names would meet the
 * model's where a caller includes both. */
struct kvm_run;
struct kvm_dirty_gfn;

#define REAL_PAGE_SIZE 4096ULL
#define REAL_SYSTEM_SIZE (2ULL << 20)
#define REAL_WS_GPA REAL_SYSTEM_SIZE
#define REAL_CODE_GPA 0x8000ULL
#define REAL_SHARED_GPA 0x10000ULL
#define REAL_STACKS_GPA 0x100000ULL
#define REAL_MAX_VCPUS 64
/* The largest working set, a power of two of pages: 256 MiB, so that it
 * fits below REAL_WS_ALT_GPA, where a memslot move puts it. */
#define REAL_MAX_WS_PAGES (64ULL * 1024)
#define REAL_SLOT_SYSTEM 0
#define REAL_SLOT_WS 1
/* A one-page slot added and deleted beside the working set, at an address
 * the guest never touches (memslot_modification_stress_test's). */
#define REAL_SLOT_EXTRA 2
#define REAL_EXTRA_GPA (896ULL << 20)

#define REAL_PORT_SYNC 0xe0
#define REAL_PORT_MISMATCH 0xe1

struct real_vcpu {
	int fd;
	int id;
	uint64_t ws_pages; /* the working set's, to tell its gpas */
	uint64_t seed;	   /* its random stream's state at the start (r8) */
	/* The dirty ring, where the VM has one: the kernel's mapping of it
	 * and the next entry the harvester looks at. */
	struct kvm_dirty_gfn *ring;
	uint32_t ring_entries, ring_fetch;
	struct kvm_run *run; /* the kernel's shared run structure (mmap) */
	size_t run_size;
};

struct real_vm_config {
	int nr_vcpus;
	uint64_t nr_pages;   /* the working set: a power of two */
	uint32_t writes;     /* pages each vCPU writes per iteration */
	uint64_t seed;	     /* the guest's random stream (vCPU id mixed in) */
	bool log_dirty;	     /* slot 1 with KVM_MEM_LOG_DIRTY_PAGES */
	bool manual_protect; /* KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2, initially set */
	/* The dirty ring instead of the bitmap, this many entries per vCPU
	 * (KVM_CAP_DIRTY_LOG_RING_ACQ_REL; 0: no ring). */
	uint32_t ring_entries;
	/* The working set in transparent huge pages: 2M-aligned, as its gpa
	 * is, and MADV_HUGEPAGE, so that KVM can map it with 2M leaves. */
	bool thp;
	/* The working set in a memfd (shared, shmem-backed) instead of
	 * anonymous memory. */
	bool memfd;
	/* The working set in a guest_memfd the host maps and that starts
	 * shared (GUEST_MEMFD_FLAG_MMAP | _INIT_SHARED, 6.18 on): KVM faults
	 * it in from the file, not through the host's page tables, and a
	 * punched hole reaches KVM through guest_memfd's own invalidation
	 * (kvm_gmem_punch_hole()), not the MMU notifier. Never logged: KVM
	 * refuses dirty logging on such a slot. */
	bool guest_memfd;
};

struct real_vm {
	int kvm_fd, vm_fd;
	struct real_vm_config cfg;
	uint8_t *system; /* slot 0's memory */
	uint8_t *ws;	 /* slot 1's memory */
	uint8_t *ws_map; /* its mapping, where thp aligned ws inside it */
	size_t ws_map_size;
	int ws_fd;	/* the memfd or guest_memfd behind it, or -1 */
	uint8_t *extra; /* the extra slot's page, once it has been added */
	int nr_vcpus;
	struct real_vcpu vcpus[REAL_MAX_VCPUS];
};

/* The KVM device: /dev/kvm, or $LOSTFLUSH_KVM_DEVICE (a test points it
 * elsewhere to see a host without one). */
const char *real_kvm_device(void);
/* 0 when the device can run the guest; else -1 with the reason (missing,
 * no permission, an API version other than 12). */
int real_kvm_usable(char *why, size_t len);
/* What the kernel offers the real scenarios, in one line (API version,
 * manual dirty-log protect, the dirty ring, vCPUs, guest_memfd); -1 with
 * the reason it cannot be asked. */
int real_kvm_describe(char *what, size_t len);
/* 0 when the kernel offers a guest_memfd the host can map, shared from
 * the start, to a VM of the default type; else -1 with the reason. */
int real_kvm_guest_memfd(char *why, size_t len);

/* Create the VM, its two slots, the guest program and page tables, and
 * its vCPUs at the program's start; -1 with the reason. A VM half built
 * is torn down by real_vm_destroy(). */
int real_vm_create(struct real_vm *vm, const struct real_vm_config *cfg, char *why, size_t len);
void real_vm_destroy(struct real_vm *vm);

/* Where the working set's slot moves to and back (a memslot move): above
 * the largest working set, its whole size under the first GiB. */
#define REAL_WS_ALT_GPA (512ULL << 20)

/* KVM_SET_USER_MEMORY_REGION of the working set's slot: at gpa (a move
 * if it is elsewhere, a create if it is gone), or deleted (size 0); -1
 * with the reason. */
int real_vm_place_ws(struct real_vm *vm, uint64_t gpa, char *why, size_t len);
int real_vm_delete_ws(struct real_vm *vm, char *why, size_t len);
/* The extra slot added (present) or deleted; -1 with the reason. */
int real_vm_extra_slot(struct real_vm *vm, bool present, char *why, size_t len);
/* Map the working set's pages [first, first + n) afresh where they are
 * (after the caller unmapped them): new zero pages, or the memfd's own
 * pages again. */
void *real_vm_remap_ws(struct real_vm *vm, uint64_t first, uint64_t n);
/* Punch a hole in the file behind the working set (a memfd or a
 * guest_memfd) over its pages [first, first + n): the pages are freed and
 * read as zero next time; -1 with the reason. */
int real_vm_punch_hole(struct real_vm *vm, uint64_t first, uint64_t n, char *why, size_t len);

/* The iteration number the guest writes from its next iteration on. */
void real_vm_set_iteration(struct real_vm *vm, uint64_t iteration);

/* What KVM_RUN came back with. */
enum real_exit {
	REAL_EXIT_SYNC,	    /* an iteration done */
	REAL_EXIT_MISMATCH, /* a value the guest wrote read back otherwise */
	/* KVM_RUN said -EFAULT: the host mapping forbids the access (read-only,
	 * or gone); the guest retries the access when run again. */
	REAL_EXIT_EFAULT,
	/* An access to the working set came back as an MMIO exit: KVM found
	 * the host mapping read-only (a write), or no slot there (a moved or
	 * deleted one), and emulated it; userspace drops a store and answers
	 * a load with zero, and the guest goes on. */
	REAL_EXIT_WRITE_DROPPED,
	/* KVM_EXIT_DIRTY_RING_FULL: the vCPU waits for a harvest. */
	REAL_EXIT_RING_FULL,
	REAL_EXIT_OTHER, /* anything else: *why says what */
};

/* Run vCPU v until the guest exits to the host; the exit, or
 * REAL_EXIT_OTHER with why filled (a failed ioctl, a shutdown, an exit
 * the program never makes). */
enum real_exit real_vcpu_run(struct real_vcpu *v, char *why, size_t len);

/* The guest's registers at an exit that the host reads back: its random
 * state (r8), the iteration it is writing (r11) and the page it wrote
 * last (rax). */
struct real_guest_state {
	uint64_t r8, r11, rax;
};
int real_vcpu_state(struct real_vcpu *v, struct real_guest_state *s, char *why, size_t len);

/* The value the guest of vCPU `vcpu` wrote into its word of a page at
 * iteration i: (i << 16) | vcpu. */
static inline uint64_t real_guest_value(uint64_t iteration, int vcpu)
{
	return iteration << 16 | (uint64_t)vcpu;
}

#endif
