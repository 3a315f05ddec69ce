// SPDX-License-Identifier: GPL-2.0
#include "registry.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "real.h"
#include "workers.h"

#define OPS(field) offsetof(struct mmu_arch_ops, field)
#define END ((size_t)-1)

static const struct worker_kind kinds[] = {
	{ "vcpu", "v", vcpu_worker, { OPS(page_fault), OPS(invlpg), END }, false },
	{ "invalidator", "N", invalidator_worker, { OPS(unmap_gfn_range), END }, false },
	{ "flusher", "F", dirty_log_flusher_worker, { END }, false },
	{ "zapper", "Z", zapper_worker, { OPS(zap_gfn), END }, false },
	{ "reaper", "R", reaper_worker, { OPS(write_protect_gfn), END }, true },
	{ "tracker", "T", tracker_worker, { OPS(write_protect_gfn), END }, true },
	{ "ager", "A", ager_worker, { OPS(age_gfn), END }, false },
	{ "puncher", "P", puncher_worker, { OPS(unmap_gfn_range), END }, false },
	{ "memslots", "M", memslot_worker, { OPS(unmap_gfn_range), END }, false },
	/* The running kernel's (vm_config.real_kernel): no model hook. */
	{ "real-vcpu", "v", real_vcpu_worker, { END }, false },
	{ "real-reaper", "R", real_reaper_worker, { END }, false },
	{ "real-collector", "C", real_collector_worker, { END }, false },
	{ "real-invalidator", "N", real_invalidator_worker, { END }, false },
	{ "real-memslots", "M", real_memslot_worker, { END }, false },
};

#define NR_KINDS ((int)(sizeof(kinds) / sizeof(kinds[0])))

/* A hook by its offset, for a message. */
static const char *hook_name(size_t offset)
{
	static const struct {
		size_t offset;
		const char *name;
	} hooks[] = {
		{ OPS(page_fault), "page_fault" },
		{ OPS(invlpg), "invlpg" },
		{ OPS(unmap_gfn_range), "unmap_gfn_range" },
		{ OPS(zap_gfn), "zap_gfn" },
		{ OPS(write_protect_gfn), "write_protect_gfn" },
		{ OPS(age_gfn), "age_gfn" },
	};

	for (size_t i = 0; i < sizeof(hooks) / sizeof(hooks[0]); i++)
		if (hooks[i].offset == offset)
			return hooks[i].name;
	return "?";
}

const struct worker_kind *worker_kind_of(worker_fn fn)
{
	for (int i = 0; i < NR_KINDS; i++)
		if (kinds[i].fn == fn)
			return &kinds[i];
	return NULL;
}

static const struct worker_kind *kind_n(const char *name, size_t len)
{
	for (int i = 0; i < NR_KINDS; i++)
		if (strlen(kinds[i].name) == len && !strncmp(kinds[i].name, name, len))
			return &kinds[i];
	return NULL;
}

const struct worker_kind *worker_kind_named(const char *name)
{
	return kind_n(name, strlen(name));
}

void worker_kind_names(char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int i = 0; i < NR_KINDS && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? ", " : "",
					 kinds[i].name);
}

bool worker_names_valid(const char *names, const char **bad, size_t *bad_len)
{
	for (const char *p = names; *p;) {
		size_t n = strcspn(p, ",");

		if (!kind_n(p, n)) {
			*bad = p;
			*bad_len = n;
			return false;
		}
		p += n + (p[n] == ',');
	}
	return true;
}

/* How many workers of the run already carry this kind's label. */
static int labelled(const struct run *run, const char *label)
{
	size_t n = strlen(label);
	int count = 0;

	for (int i = 0; i < run->nr_workers; i++) {
		const char *name = run->workers[i].ctx->name;

		count += !strncmp(name, label, n) &&
			 (!name[n] || (name[n] >= '0' && name[n] <= '9'));
	}
	return count;
}

int run_add_named_workers(struct run *run, const char *names)
{
	const char *bad;
	size_t bad_len;

	if (!worker_names_valid(names, &bad, &bad_len))
		return -1;
	for (const char *p = names; *p;) {
		size_t n = strcspn(p, ",");
		const struct worker_kind *k = kind_n(p, n);
		int already = labelled(run, k->label);
		char name[16];

		if (already)
			snprintf(name, sizeof(name), "%s%d", k->label, already + 1);
		else
			snprintf(name, sizeof(name), "%s", k->label);
		run_add_worker(run, name, k->fn, NULL);
		p += n + (p[n] == ',');
	}
	return 0;
}

static int count_of(const struct run *run, const struct worker_kind *k, int *last)
{
	int n = 0;

	for (int i = 0; i < run->nr_workers; i++)
		if (run->workers[i].fn == k->fn) {
			n++;
			*last = i;
		}
	return n;
}

static void set_count(struct run *run, const char *kind, uint32_t want)
{
	const struct worker_kind *k = worker_kind_named(kind);
	int last = -1, have = count_of(run, k, &last);

	if (want == ACTORS_AS_SCENARIO)
		return;
	for (; (uint32_t)have > want; have = count_of(run, k, &last))
		run_remove_worker(run, last);
	for (; (uint32_t)have < want; have++)
		run_add_named_workers(run, kind);
}

#define ACTOR_ROLE(role, budget, work)                                                         \
	{                                                                                      \
#role, offsetof(struct actor_counts, role), offsetof(struct workload, budget), \
			work                                                                   \
	}
/* The smallest budget the catalogue gives each role where a scenario has
 * it: what the role gets when --actors adds it to one that has none. */
const struct actor_role actor_roles[NR_ACTOR_ROLES] = {
	ACTOR_ROLE(invalidator, exec_invalidations, 2),
	ACTOR_ROLE(flusher, exec_flushes, 2),
	ACTOR_ROLE(zapper, exec_zaps, 1),
	ACTOR_ROLE(reaper, exec_harvests, 3),
	ACTOR_ROLE(tracker, exec_tracks, 2),
	ACTOR_ROLE(ager, exec_agings, 2),
	ACTOR_ROLE(puncher, exec_punches, 1),
	ACTOR_ROLE(memslots, exec_slot_changes, 1),
};
#undef ACTOR_ROLE

uint32_t actor_count(const struct actor_counts *a, size_t role)
{
	return *(const uint32_t *)((const char *)a + actor_roles[role].count);
}

void run_set_actor_counts(struct run *run, const struct actor_counts *a)
{
	for (size_t i = 0; i < NR_ACTOR_ROLES; i++)
		set_count(run, actor_roles[i].kind, actor_count(a, i));
}

int workers_after_actor_counts(const struct run *run, const struct actor_counts *a, char *roles,
			       size_t len)
{
	int total = run->nr_workers, last;
	size_t used = 0;

	roles[0] = '\0';
	for (size_t i = 0; i < NR_ACTOR_ROLES; i++) {
		int have = count_of(run, worker_kind_named(actor_roles[i].kind), &last);
		uint32_t want = actor_count(a, i);
		int n = want == ACTORS_AS_SCENARIO ? have : (int)want;

		total += n - have;
		if (n && used < len)
			used += (size_t)snprintf(roles + used, len - used, "%s%s=%d",
						 used ? ", " : "", actor_roles[i].kind, n);
	}
	return total;
}

/* The first hook kind k calls that arch leaves NULL, or NULL. */
static const char *kind_missing_hook(const struct worker_kind *k, const struct mmu_arch_ops *arch)
{
	for (int j = 0; k->needs[j] != END; j++)
		if (!*(void *const *)((const char *)arch + k->needs[j]))
			return hook_name(k->needs[j]);
	return NULL;
}

const char *actors_unsupported(const struct actor_counts *a, const struct kvm_config *cfg,
			       const char **role)
{
	for (size_t i = 0; i < NR_ACTOR_ROLES; i++) {
		const struct worker_kind *k = worker_kind_named(actor_roles[i].kind);
		uint32_t count = actor_count(a, i);
		const char *hook;

		if (!count || count == ACTORS_AS_SCENARIO)
			continue;
		*role = k->name;
		if (k->needs_dirty_tracking && !cfg->log_policy)
			return "dirty logging and write-tracking";
		if (k->fn == tracker_worker && cfg->arch->no_write_tracking)
			return "write-tracking";
		if (k->fn == puncher_worker && !cfg->gmem)
			return "guest_memfd memslots";
		if (k->fn == memslot_worker && !cfg->arch->memslot_changes)
			return "memslot changes in its fault path";
		/* Not modelled: a guest_memfd slot's unbinding from its file
		 * (and the dirty ring across memslot changes: cli/config.c). */
		if (k->fn == memslot_worker && cfg->gmem)
			return "memslot changes beside guest_memfd";
		/* Nor write-tracking's counts, which upstream keeps per slot. */
		if (k->fn == tracker_worker && cfg->memslot_changes)
			return "write-tracking across memslot changes";
		/* A guest_memfd has no host mapping for the host to reclaim. */
		if (k->fn == invalidator_worker && cfg->gmem)
			return "host mapping of its guest_memfd memory";
		hook = kind_missing_hook(k, cfg->arch);
		if (hook)
			return hook;
	}
	return NULL;
}

bool vm_missing_hook(const struct run *run, const char **hook, const char **worker)
{
	const struct mmu_arch_ops *arch = run_vm(run)->kvm.arch;

	for (int i = 0; i < run->nr_workers; i++) {
		const struct worker_kind *k = worker_kind_of(run->workers[i].fn);

		if (k && k->fn == tracker_worker && arch->no_write_tracking) {
			*hook = "write-tracking";
			*worker = run->workers[i].ctx->name;
			return true;
		}
		for (int j = 0; k && k->needs[j] != END; j++)
			if (!*(void *const *)((const char *)arch + k->needs[j])) {
				*hook = hook_name(k->needs[j]);
				*worker = run->workers[i].ctx->name;
				return true;
			}
	}
	return false;
}
