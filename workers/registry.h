/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kinds of worker, by name: what a variant asks for when it adds a
 * worker to its scenario's ("invalidator,zapper"), and what each kind calls
 * in the arch's table, so a run checks at start-up that its arch has every
 * hook its workers will call.
 */
#ifndef LOSTFLUSH_WORKER_REGISTRY_H
#define LOSTFLUSH_WORKER_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>

#include "../model/arch_ops.h"
#include "vm.h"

struct worker_kind {
	const char *name;  /* "invalidator" */
	const char *label; /* "N": the first is N, the second N2, ... */
	worker_fn fn;
	/* The arch hooks it calls: offsets in struct mmu_arch_ops, ending
	 * with (size_t)-1. */
	size_t needs[4];
	/* It harvests or tracks: the VM must have dirty logging and
	 * write-tracking (kvm_config.log_policy). */
	bool needs_dirty_tracking;
};

const struct worker_kind *worker_kind_named(const char *name);
const struct worker_kind *worker_kind_of(worker_fn fn);
/* "invalidator, flusher, ...": the names, for a message. */
void worker_kind_names(char *buf, size_t len);

/* Add one worker of each kind named in `names` (comma-separated), labelled
 * by kind and count. -1 (nothing added) if a name is no kind's. */
int run_add_named_workers(struct run *run, const char *names);
/* The roles --actors counts: the worker kind, the field of struct
 * actor_counts that holds its count, and, for controlled executions, the
 * field of struct workload that holds its budget and the budget it gets
 * when --actors adds it to a scenario that gives it none. */
struct actor_role {
	const char *kind;
	size_t count, budget;
	uint32_t added_work;
};
#define NR_ACTOR_ROLES 8
extern const struct actor_role actor_roles[NR_ACTOR_ROLES];
uint32_t actor_count(const struct actor_counts *a, size_t role);

/* Make the run's count of each role what `a` says (ACTORS_AS_SCENARIO:
 * leave it): add workers of the kind by name, or take out its last ones. */
void run_set_actor_counts(struct run *run, const struct actor_counts *a);
/* How many workers the run would have after run_set_actor_counts(run, a),
 * counted without adding any (a total past RUN_MAX_WORKERS is refused
 * before a run, not found by an assertion in it); *roles: each role's
 * count then, "invalidator=8, flusher=8, zapper=1". */
int workers_after_actor_counts(const struct run *run, const struct actor_counts *a, char *roles,
			       size_t len);
/* The first hook a worker of the run calls that the VM's arch leaves NULL,
 * by its name and the worker's; false if there is none. */
bool vm_missing_hook(const struct run *run, const char **hook, const char **worker);
/* What the VM of `cfg` lacks that a role `a` asks for needs: NULL if
 * nothing, else a phrase naming it ("age_gfn", "dirty logging"), with
 * *role the first such role's name. */
const char *actors_unsupported(const struct actor_counts *a, const struct kvm_config *cfg,
			       const char **role);
/* Whether every name in `names` is a kind's; *bad: the first that is not. */
bool worker_names_valid(const char *names, const char **bad, size_t *bad_len);

#endif
