/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The oracle: one rule covers every lost flush. A TLB entry may not be used
 * for a right that has been revoked and whose revocation was declared
 * complete.
 *
 * Each revocable right has an epoch; a TLB entry carries the epochs in force
 * when it was filled; using it after the epoch moved on is a violation,
 * reported at the access that proves it. The oracle reads only host memory
 * (frame generations) and the TLB entry: it never asks the mechanism it
 * judges (SPTEs, flags, requests) whether things are fine.
 *
 *   right              revoked by                    violation
 *   map a frame        notifier invalidation + free  stale-tlb-after-free
 *   write a gfn        write-protect for tracking    write-escaped-tracking
 *   write unlogged     dirty-log harvest             lost-dirty-write
 *   fresh contents     arm64 CMO before make         stale-cache-seen
 *   one translation    break-before-make             conflicting-translations
 *   walk a table       retirement + grace period     walker-used-freed-table
 *   host reads data    arm64 CMO after unmap's TLBI  lost-uncached-write
 *   reach a gfn        memslot delete or move        stale-tlb-after-slot-change
 *
 * The first three and the memslot right are checked online at every use; a dirty-log run also
 * ends with the quiesced check (model/dirty_log.h), which reports a lost
 * dirty write it finds there with `quiesced` set. The arm64 two are
 * checked by the arm64 paths: at each use, and at each TLB fill. The last
 * is checked by the page-table walkers themselves: an entry they read
 * holds a freed table's poison (model/spt_quarantine.c). It is not a TLB
 * entry's right, so it names the walking thread, not a vCPU. The host's
 * read-back is judged when the host frees a frame (the data goes with the
 * page: model/hostmem.h), as the host reads it then.
 */
#ifndef LOSTFLUSH_ORACLE_H
#define LOSTFLUSH_ORACLE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "../model/cache.h"
#include "../model/hostmem.h"
#include "../model/tlb.h"
#include "slot_rights.h"
#include "write_rights.h"

#define VIOLATION_KINDS(X)                                            \
	X(STALE_TLB_AFTER_FREE, "stale-tlb-after-free")               \
	X(WRITE_ESCAPED_TRACKING, "write-escaped-tracking")           \
	X(LOST_DIRTY_WRITE, "lost-dirty-write")                       \
	X(STALE_CACHE_SEEN, "stale-cache-seen")                       \
	X(CONFLICTING_TRANSLATIONS, "conflicting-translations")       \
	X(WALKER_USED_FREED_TABLE, "walker-used-freed-table")         \
	X(LOST_UNCACHED_WRITE, "lost-uncached-write")                 \
	X(SPTE_SURVIVED_SLOT_DELETE, "spte-survived-slot-delete")     \
	X(STALE_TLB_AFTER_SLOT_CHANGE, "stale-tlb-after-slot-change") \
	X(GUEST_LOST_OWN_WRITE, "guest-lost-own-write")               \
	X(WRITE_AFTER_MPROTECT, "write-after-mprotect")               \
	X(DATA_RACE, "data-race")

enum violation_kind {
#define VIOLATION_ENUM(id, name) VIOL_##id,
	VIOLATION_KINDS(VIOLATION_ENUM)
#undef VIOLATION_ENUM
		NR_VIOLATION_KINDS
};

struct violation {
	enum violation_kind kind;
	int vcpu_id;
	gfn_t gfn;
	kvm_pfn_t pfn;
	int level;
	bool write;
	/* For stale-tlb-after-free the epochs are frame generations modulo
	 * 2^16, the width an SPTE carries (model/spte.h). */
	uint64_t entry_epoch;	/* epoch the TLB entry was filled under */
	uint64_t current_epoch; /* epoch of the right now */
	uint64_t t_ns;		/* since the run started */
	uint64_t entry_age_ns;	/* how long the stale entry had lived */
	uint64_t accesses;	/* guest accesses by all vCPUs so far */
	/* Controlled modes: scheduler decisions taken before it (the schedule
	 * up to the violation is decision log[0 .. decision)). */
	uint64_t decision;
	/* walker-used-freed-table: the walking thread (vcpu_id is -1);
	 * data-race: the thread that met the report first (entry_epoch is
	 * the number of ThreadSanitizer's reports so far). */
	char walker[16];
	/* data-race: ThreadSanitizer's description of its report (one of its
	 * string constants: "data-race", "lock-order-inversion", ...). */
	const char *tsan_what;
	/* Found by the quiesced end check, not at an access: entry_epoch is
	 * the migration destination's copy of the page, current_epoch the
	 * source's content. */
	bool quiesced;
	/* Found on the running kernel by the host, in the guest's memory:
	 * entry_epoch is the word the guest wrote (or the page held before),
	 * current_epoch the word the host's page holds; each is
	 * (iteration << 16) | vCPU (real/kvm_vm.h's real_guest_value()). */
	bool host_view;
};

#define ORACLE_MAX_KEPT 32

struct oracle {
	struct hostmem *mem;
	/* The write-right books, where the model keeps them (NULL inside:
	 * no write rights are revoked in this run). */
	struct write_rights *const *rights;
	/* The memslot books (oracle/slot_rights.h), or NULL inside: no
	 * memslot changes in this run. */
	struct slot_rights *const *slot_rights;
	uint64_t t0_ns;
	bool keep_going; /* count every violation instead of stopping at one */
	/* Controlled modes: the decisions of the execution a quiesced check
	 * follows (its whole schedule leads to what the check finds). */
	uint64_t end_decision;
	/* Sum of all vCPUs' access counters, read at a violation. */
	uint64_t (*accesses_so_far)(void *arg);
	void *accesses_arg;

	pthread_mutex_t lock;
	_Atomic uint64_t nr_violations;
	struct violation kept[ORACLE_MAX_KEPT];
	int nr_kept;
};

void oracle_init(struct oracle *o, struct hostmem *mem, uint64_t t0_ns);
/* Drop every violation seen so far (a new controlled execution). */
void oracle_forget(struct oracle *o);
void oracle_destroy(struct oracle *o);

/* Judge one use of `e` for gfn by vCPU vcpu_id. Returns true if legal. */
bool oracle_check_use(struct oracle *o, int vcpu_id, const struct tlb_entry *e, gfn_t gfn,
		      bool write);
/* Write-tracking's books for one gfn at one moment: tracked, and the
 * revocation of its tracking period complete. */
struct tracked_right {
	bool settled;	  /* tracked, its revocation complete */
	uint32_t pending; /* that revocation's epoch */
};
struct tracked_right oracle_tracked_right(const struct write_rights *r,
					  const _Atomic uint16_t *count, gfn_t gfn);
/* A write walk found gfn's SPTE writable, and gfn was tracked with the same
 * completed revocation before and after the walk: nothing gives W back to a
 * tracked gfn (make_spte() and the fast path refuse it), so the SPTE
 * escaped tracking. A walk that raced an untrack or a new track is not
 * judged. */
bool oracle_check_tracked_write_fill(struct oracle *o, int vcpu_id, gfn_t gfn, kvm_pfn_t pfn,
				     struct tracked_right before, struct tracked_right after);
/* arm64 (oracle/arm64_rights.c). Right "fresh contents": an access of
 * `kind` through e sees at least the data version the frame had when e was
 * filled (stale-cache-seen: the fault made the PTE valid before its cache
 * maintenance). Right "one translation": no other valid entry of the TLB
 * overlaps the one just filled (conflicting-translations: a change of
 * level without break-before-make, or its TLBI). True if legal. */
bool oracle_check_cache_use(struct oracle *o, const struct cache_model *c, int vcpu_id,
			    const struct tlb_entry *e, gfn_t gfn, enum guest_access_kind kind);
bool oracle_check_single_translation(struct oracle *o, int vcpu_id, const struct tlb *tlb,
				     const struct tlb_entry *filled);
/* Right "the host reads what the guest wrote": the host reads frame pfn
 * back through its cacheable mapping (it is freeing it) and no D-cache
 * line may hide a guest's write made with caches off (lost-uncached-write:
 * the unmap cleaned the page to PoC before the guest's last write through
 * a stale translation, or not at all). True if legal. */
bool oracle_check_read_back(struct oracle *o, struct cache_model *c, kvm_pfn_t pfn);
/* A page-table walker on this thread read the entry for gfn at level of a
 * table already freed (its poison): reported to the oracle initialised
 * last and not yet destroyed, if any. Freed tables are the process's, as
 * the heap is, so no walker knows which run's oracle judges it. */
void oracle_report_freed_table_walk(gfn_t gfn, int level);
/* The same for a memslot set already freed (level 0 in the report): a
 * reader looking up gfn's slot after the set's grace period ended. */
void oracle_report_freed_memslots_walk(gfn_t gfn);
/* Right "a deleted slot is unmapped": kvm_set_memslot()'s delete has
 * returned and a root still maps gfn, a gfn of the deleted slot, to pfn
 * at level (spte-survived-slot-delete); a move's old gfns too. Reported to
 * the same oracle. */
void oracle_report_spte_survived_delete(gfn_t gfn, kvm_pfn_t pfn, int level);
/* Record a violation found by any check (counted; the first ones kept). */
void oracle_report(struct oracle *o, const struct violation *v);

const char *violation_name(enum violation_kind kind);
void violation_print(FILE *out, const struct violation *v);

#endif
