/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A scenario: one family of races, its variants (the fixed form, which must
 * run clean, and the buggy forms, each of which must be caught), the MMU it
 * runs on and the workers it starts. One file per scenario, everything in it
 * static but one `const struct scenario scenario_<name>` at the end, and one
 * line in scenarios/list.h.
 */
#ifndef LOSTFLUSH_SCENARIO_H
#define LOSTFLUSH_SCENARIO_H

#include <stdbool.h>

#include "../arch/arch.h"
#include "../model/dirty_log.h"
#include "../model/flush.h"
#include "../model/guest_memfd.h"
#include "../model/memslots.h"
#include "../model/request.h"
#include "../model/stage2_policy.h"
#include "../model/write_track.h"
#include "../engine/run.h"
#include "../workers/vm.h"

/* What can catch a buggy variant. */
enum detector {
	DETECT_ORACLE = 1 << 0,	       /* the lost-flush oracle, --sched free */
	DETECT_TSAN = 1 << 1,	       /* ThreadSanitizer's data-race report */
	DETECT_STORE_BUFFERS = 1 << 2, /* needs modelled store buffers (weak memory) */
	DETECT_RANDOM = 1 << 3,	       /* the oracle under --sched random */
	DETECT_PCT = 1 << 4,	       /* the oracle under --sched pct */
	DETECT_COVER = 1 << 5,	       /* the oracle under --sched cover */
};

/*
 * What a variant claims: which detectors catch it, and where its bug can
 * show at all (elsewhere a run must be clean). Claims are measured before
 * they are written (scripts/claims.sh prints the table they must match),
 * and make check holds every variant to them (tests/e2e/25-claims.sh).
 */
/* A bug's depth: the fewest preemptions of a schedule that shows it. */
enum depth_kind {
	DEPTH_UNMEASURED,
	DEPTH_EXACT,	 /* bounded:N shows it, after every schedule with fewer */
	DEPTH_MORE_THAN, /* every schedule with at most N ran clean */
};

struct bug_depth {
	uint8_t preemptions; /* N */
	uint8_t kind;	     /* enum depth_kind */
};

struct variant_claims {
	unsigned caught_by; /* enum detector bits; 0 for fixed variants */
	/* The smallest --sched pct:D stated to catch it (with DETECT_PCT);
	 * 0 means the default, 3. A shallower depth is not judged. */
	int pct_depth;
	/* Caught by the oracle, but so rarely in free mode that a run missing
	 * it says nothing: free mode reports such a variant, never judges it. */
	bool rare_in_free_mode;
	/* DETECT_COVER holds under --memory sc only: under tso and weak the
	 * buffers' commits and stale reads are decisions too and dilute a
	 * search whose race needs none of them, so there it is not judged. */
	bool cover_sc_only;
	/* DETECT_PCT holds under --memory sc only, for the same reason: the
	 * commits and stale reads of tso and weak make an execution's
	 * decisions more, and PCT's odds fall with their count. */
	bool pct_sc_only;
	/* Controlled modes: the strongest memory model under which the bug
	 * can show (MEM_SC: all of them). Under a model stronger than this it
	 * cannot happen, so a run must be clean: a report there would be a
	 * bug in the harness's memory model. */
	enum mem_model shows_from;
	/* The bug needs the arch's range flush to work (RANGE_FLUSH_WORKS) or
	 * to fail (RANGE_FLUSH_UNSUPPORTED); with the other, a run must be
	 * clean. 0: either. */
	int shows_with_range_flush;
	/* The --tlb-huge and --log settings the bug can show under, as masks
	 * of 1 << mode; with any other a run must be clean. 0: any. */
	unsigned shows_with_tlb_huge;
	unsigned shows_with_log;
	unsigned shows_with_ad_bits; /* 1 << 0: off, 1 << 1: on */
	/* arm64: the cache feature sets (1 << cpu_features_bits()) the bug
	 * can show under; FWB or DIC hide what they make unnecessary. */
	unsigned shows_with_cpu_features;
	/* The bug is in how a huge leaf is zapped: with no memslot holding a
	 * whole huge page (--gfns below one) a run must be clean. */
	bool needs_huge_leaves;
	/* Its depth in the execution of --seed 1 under --sched bounded, at
	 * the memory model it shows from (shows_from): measured with
	 * bounded:3 and 90 s; make check holds the exact ones up to 1, the
	 * nightly every exact one. */
	struct bug_depth depth;
};

/* A variant: its mechanism (what it changes, and the shape of run its race
 * needs) and its claims. */
struct scenario_variant {
	const char *name;
	const char *summary;
	/* Why it is buggy or what it costs; shown by --list. */
	const char *note;
	bool buggy;
	struct variant_claims claims;
	const struct flush_policy *policy;
	/* How its MMU's walks settle the flushes they owe
	 * (model/walk_policy.h); NULL: the arch's upstream walk. */
	const struct walk_policy *walk;
	/* The MMU flavour this variant runs; NULL: the scenario's. */
	const struct mmu_arch_ops *arch;
	/* Dirty logging's harvest choices; NULL where the scenario has no
	 * dirty logging (and so no write-tracking). */
	const struct dirty_log_policy *log_policy;
	/* Write-tracking's flush choices (model/write_track.h) and the
	 * request/entry pair's halves (model/request.h); NULL: upstream's. */
	const struct write_track_policy *track_policy;
	const struct request_policy *request_policy;
	/* arm64: the stage-2 fault path's order (model/stage2_policy.h);
	 * NULL: upstream's. */
	const struct stage2_policy *stage2_policy;
	/* guest_memfd: the hole punch's order (model/guest_memfd.h); NULL:
	 * 6.18's. */
	const struct gmem_policy *gmem_policy;
	/* Memslot changes: the delete's steps and the fault path's check
	 * (model/memslots.h); NULL: 6.18's. */
	const struct memslot_policy *memslot_policy;
	/* Free mode: the pace this variant needs over the scenario's
	 * defaults, in --workload syntax (user options still win); NULL for
	 * none. */
	const char *workload;
	/* Controlled modes: the execution this variant's race needs, over
	 * the scenario's controlled defaults: vCPUs (0: the scenario's) and
	 * --workload items. PCT finds a race of depth d with odds about
	 * 1/(n k^(d-1)) for n threads and k decisions, so the fewest workers
	 * and steps that still hold the race are what makes it findable. */
	int controlled_vcpus;
	const char *controlled_workload;
	/* --sched cover: the search follows store reorderings (engine/cover.h):
	 * it goes on from states where a fiber's store has been passed by a
	 * later one of its own, holds that fiber back and forks the workers'
	 * choices there. For a race made of a missing write barrier; for
	 * others it is effort taken from the states their races need. */
	bool cover_follows_reorderings;
	/* Perturbation this variant needs over the defaults, in --perturb
	 * syntax (user options still win); NULL for none. */
	const char *perturb;
	/* Workers this variant adds to its scenario's, by kind
	 * (workers/registry.h), comma-separated: "invalidator,zapper". */
	const char *extra_workers;
	/* The VM this variant's race needs over its scenario's defaults()
	 * (roots, memslots, a knob of its own), run after them and after
	 * the shape above; options the user gives still win. NULL: none. */
	void (*vm_settings)(struct vm_config *cfg, const struct run_config *rc);
	/* Role counts over its scenario's rosters, in --actors syntax, for a
	 * race that an actor it does not need slows (user options still
	 * win); NULL for none. */
	const char *actors;
};

struct scenario {
	const char *name;
	const char *summary;
	const char *origin; /* the seed thread or upstream commit */
	const struct mmu_arch_ops *arch;
	/* Other MMU flavours it can run on (--arch NAME), NULL-terminated;
	 * NULL: only `arch` (or a variant's own). */
	const struct mmu_arch_ops *const *other_archs;
	/* Why the scenario makes no sense on the MMUs it does not run on:
	 * --arch naming one of them says this and exits 3. */
	const char *arch_note;
	/* It runs on the running kernel's KVM (/dev/kvm, --backend kvm),
	 * not on the model: free mode only, its roster fixed. */
	bool real_kernel;
	const struct scenario_variant *variants;
	int nr_variants;
	/* Scenario defaults for the run; options given by the user win. */
	void (*defaults)(struct vm_config *cfg, const struct run_config *rc,
			 const struct scenario_variant *v);
	/* Its workers after the vCPUs (one per vCPU, always first), by kind
	 * (workers/registry.h), comma-separated: "invalidator,zapper". Several
	 * of a role where upstream allows it. */
	const char *workers;
	/* Controlled modes' workers; NULL: `workers`. PCT finds a race of
	 * depth d with odds about 1/(n k^(d-1)), so a second actor of a role
	 * costs every race that does not need it: controlled executions keep
	 * one of each by default, and --actors (or the mutation suite's
	 * several-actor rows) asks for more. */
	const char *controlled_workers;
	/* NULL, or what names cannot say, run after `workers`: a worker with
	 * an argument, one only some schedulers want, the VM's end check. */
	void (*add_workers)(struct run *run, const struct scenario_variant *v);
};

/* The workers a run of s under sched starts after its vCPUs. */
static inline const char *scenario_workers(const struct scenario *s, enum sched_mode sched)
{
	return sched != SCHED_FREE && s->controlled_workers ? s->controlled_workers : s->workers;
}

/* memslot-delete's VM and pace, which memslot-move builds on: two vCPUs,
 * two slots of four gfns whose second changes, the host's reclaim beside
 * them (scenarios/memslot_delete.c). */
void memslot_churn_defaults(struct vm_config *cfg, const struct run_config *rc);

#define AD_BITS_OFF (1U << 0)
#define AD_BITS_ON (1U << 1)

#define ARRAY_SIZE(a) ((int)(sizeof(a) / sizeof((a)[0])))

#endif
