/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The KVM model as the engine's subject: the VM, its oracle, and what the
 * workers do to it. A run's subject is a struct vm; the engine drives it
 * through vm_subject_ops, the workers reach it with run_vm().
 */
#ifndef LOSTFLUSH_VM_H
#define LOSTFLUSH_VM_H

#include <stdbool.h>
#include <stdint.h>

#include "../engine/run.h"
#include "../model/mmu.h"
#include "../oracle/oracle.h"

/* What the workers do, as rates and sizes; scenarios set defaults. */
struct workload {
	uint32_t hot_gfns;   /* gfns guests touch and the notifier unmaps */
	uint32_t slice;	     /* guest accesses per entry (a timer exit) */
	double write_ratio;  /* of guest accesses */
	double invlpg_ratio; /* guest invlpg per access */
	/* arm64: of guest reads, the fetches, and of the others those made
	 * through a non-cacheable stage-1 mapping. */
	double fetch_ratio, uncached_ratio;
	/* x86 TDP: of read faults, those whose pfn lookup returns the page
	 * read-only (fast GUP's write promotion failed), so the fault maps
	 * a leaf that is not MMU-writable. */
	double ro_pfn_ratio;
	uint32_t unmap_pages_max;     /* pages per notifier invalidation, at most */
	uint32_t invalidate_pause_us; /* pause between invalidations, at most */
	uint32_t flusher_pause_us;    /* pause between dirty-log flushes, at most */
	uint32_t zapper_pause_us;     /* pause between zapper flushes, at most */
	uint32_t reaper_pause_us;     /* pause between dirty-log harvests, at most */
	uint32_t tracker_pause_us;    /* pause between write-track steps, at most */
	uint32_t ager_pause_us;	      /* pause between agings, at most */
	uint32_t punch_pause_us;      /* pause between guest_memfd hole punches */
	uint32_t slot_pause_us;	      /* pause after a memslot delete or create */
	/* Controlled modes: each worker's loop iterations in one execution. */
	uint32_t exec_guest_entries, exec_invalidations, exec_flushes, exec_zaps;
	uint32_t exec_harvests, exec_tracks, exec_agings, exec_punches, exec_slot_changes;
};

/* How many workers of each role a run has beyond its vCPUs (--actors);
 * ACTORS_AS_SCENARIO keeps the scenario's and variant's count. */
#define ACTORS_AS_SCENARIO UINT32_MAX
struct actor_counts {
	uint32_t invalidator, flusher, zapper, reaper, tracker, ager, puncher, memslots;
};

struct vm_config {
	struct kvm_config kvm;
	struct workload work;
	struct actor_counts actors;
	/* The VM is the running kernel's, on /dev/kvm (workers/real.c): the
	 * model's stays idle. nr_vcpus, nr_gfns (the working set's pages),
	 * slice (pages each vCPU writes per iteration) and log_mode say its
	 * shape. */
	bool real_kernel;
	/* ... and its working set is dirty-logged, harvested by a reaper and
	 * compared with its copy at the end. */
	bool real_logs_dirty;
	/* ... and may log into the dirty ring (--log ring): not across the
	 * memslot changes, whose ring entries of a deleted
	 * slot the harness does not follow. */
	bool real_ring_ok;
	/* ... the ring collected on one thread (a collector) and reset on
	 * another (the reaper), as the ring's interface allows. */
	bool real_ring_apart;
	/* The working set in a memfd (shmem), not anonymous memory. */
	bool real_memfd;
	/* ... or in a guest_memfd (the kernel must offer one the host maps). */
	bool real_guest_memfd;
	/* The host's invalidator write-protects ranges (mprotect) and checks
	 * that no guest write lands in them meanwhile; real_skips_mprotect is
	 * the harness's own slip that shows the check can fail. */
	bool real_skips_mprotect;
	/* How the invalidator takes the range away (REAL_INV_*): mprotect
	 * with the window check, or madvise and munmap/mmap, which the
	 * replay of each vCPU's writes judges (workers/real_verify.c). */
	int real_invalidation;
	/* The harness's slip for the replay: the host writes into pages
	 * behind the guest's back, unannounced. */
	bool real_writes_behind;
	/* The VMM deletes and moves the working set's slot and checks that
	 * the guest no longer reaches its memory; real_skips_slot_change is
	 * the harness's slip that leaves the slot where it is. */
	bool real_skips_slot_change;
	/* The harness's own slip, for the proof that the check can fail:
	 * each harvest leaves out the first page reported to it. */
	bool real_drops_a_report;
};

/* How the real invalidator takes a range away (workers/real_invalidator.c). */
enum {
	REAL_INV_MPROTECT, /* mprotect(PROT_READ), then back */
	REAL_INV_DONTNEED, /* madvise(MADV_DONTNEED): zero pages next time */
	REAL_INV_REMAP,	   /* munmap(), then mmap(MAP_FIXED) afresh */
	REAL_INV_PAGEOUT,  /* madvise(MADV_PAGEOUT): reclaim (if swap) */
	REAL_INV_COLD,	   /* madvise(MADV_COLD): aged, clear_flush_young */
	REAL_INV_THP,	   /* a 2M huge page split, then MADV_COLLAPSE */
	REAL_INV_COMPACT,  /* the host compacts memory: pages migrate */
	/* fallocate(FALLOC_FL_PUNCH_HOLE) of the file behind the working set
	 * (a memfd's or a guest_memfd's): freed, zero pages next time. */
	REAL_INV_PUNCH_HOLE,
};

struct real_run;

struct vm {
	struct vm_config cfg;
	struct kvm kvm;
	struct oracle oracle;
	/* After the workers stop (each execution, in controlled modes): a
	 * check of the quiesced model, reporting to the oracle. NULL: none. */
	uint64_t (*quiesced_check)(struct kvm *kvm, struct oracle *oracle);
	/* An ager runs: vCPUs count accesses through entries whose SPTE it
	 * aged (stale Accessed information, allowed). */
	bool aging;
	uint64_t progress_accesses; /* the progress display's last sample */
	struct real_run *real;	    /* real_kernel: the VM on /dev/kvm */
};

extern const struct subject_ops vm_subject_ops;

static inline struct vm *run_vm(const struct run *run)
{
	return run->subject;
}

#endif
