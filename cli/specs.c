// SPDX-License-Identifier: GPL-2.0
#include "specs.h"

#include <stdbool.h>
#include <string.h>

#include "../workers/vm.h"
#include "../engine/sched.h"
#include "complain.h"
#include "limits.h"
#include "numbers.h"

#define W(field) offsetof(struct workload, field)
#define P(field) offsetof(struct perturb_rates, field)
#define PAUSE_US_MAX 10000000 /* 10 s between a worker's steps */
#define EXEC_STEPS_MAX 1000   /* a worker's loop iterations per execution */

static const struct spec_key workload_keys[] = {
	{ "invlpg", SPEC_PROBABILITY, 0, 0, W(invlpg_ratio) },
	{ "write", SPEC_PROBABILITY, 0, 0, W(write_ratio) },
	{ "fetch", SPEC_PROBABILITY, 0, 0, W(fetch_ratio) },
	{ "uncached", SPEC_PROBABILITY, 0, 0, W(uncached_ratio) },
	{ "ro-pfn", SPEC_PROBABILITY, 0, 0, W(ro_pfn_ratio) },
	{ "slice", SPEC_COUNT, 1, 1000000, W(slice) },
	{ "hot", SPEC_COUNT, 1, MAX_GFNS, W(hot_gfns) },
	{ "unmap-pages", SPEC_COUNT, 1, 64, W(unmap_pages_max) },
	{ "invalidate-us", SPEC_COUNT, 0, PAUSE_US_MAX, W(invalidate_pause_us) },
	{ "flusher-us", SPEC_COUNT, 0, PAUSE_US_MAX, W(flusher_pause_us) },
	{ "zapper-us", SPEC_COUNT, 0, PAUSE_US_MAX, W(zapper_pause_us) },
	{ "reaper-us", SPEC_COUNT, 0, PAUSE_US_MAX, W(reaper_pause_us) },
	{ "tracker-us", SPEC_COUNT, 0, PAUSE_US_MAX, W(tracker_pause_us) },
	{ "ager-us", SPEC_COUNT, 0, PAUSE_US_MAX, W(ager_pause_us) },
	{ "punch-us", SPEC_COUNT, 0, PAUSE_US_MAX, W(punch_pause_us) },
	{ "slot-us", SPEC_COUNT, 0, PAUSE_US_MAX, W(slot_pause_us) },
	{ "entries", SPEC_COUNT, 0, EXEC_STEPS_MAX, W(exec_guest_entries) },
	{ "invalidations", SPEC_COUNT, 0, EXEC_STEPS_MAX, W(exec_invalidations) },
	{ "flushes", SPEC_COUNT, 0, EXEC_STEPS_MAX, W(exec_flushes) },
	{ "zaps", SPEC_COUNT, 0, EXEC_STEPS_MAX, W(exec_zaps) },
	{ "harvests", SPEC_COUNT, 0, EXEC_STEPS_MAX, W(exec_harvests) },
	{ "tracks", SPEC_COUNT, 0, EXEC_STEPS_MAX, W(exec_tracks) },
	{ "agings", SPEC_COUNT, 0, EXEC_STEPS_MAX, W(exec_agings) },
	{ "punches", SPEC_COUNT, 0, EXEC_STEPS_MAX, W(exec_punches) },
	{ "slot-changes", SPEC_COUNT, 0, EXEC_STEPS_MAX, W(exec_slot_changes) },
};

static const struct spec_key perturb_keys[] = {
	{ "spin", SPEC_PROBABILITY, 0, 0, P(spin) },
	{ "yield", SPEC_PROBABILITY, 0, 0, P(yield) },
	{ "sleep", SPEC_PROBABILITY, 0, 0, P(sleep) },
	{ "spin-max", SPEC_COUNT, 0, 1000000, P(spin_max) },
	{ "sleep-max-us", SPEC_COUNT, 1, 100000, P(sleep_max_us) },
	{ "window-boost", SPEC_COUNT, 1, 1000, P(window_boost) },
};

#define A(field) offsetof(struct actor_counts, field)
/* Beyond 8 of a role, executions grow and nothing new opens. Two reapers at
 * most, and two only with the ring: one collects, the other resets (every
 * other harvest is one ioctl, and upstream serializes those on
 * kvm->slots_lock). */
static const struct spec_key actor_keys[] = {
	{ "invalidator", SPEC_COUNT, 0, 8, A(invalidator) },
	{ "flusher", SPEC_COUNT, 0, 8, A(flusher) },
	{ "zapper", SPEC_COUNT, 0, 8, A(zapper) },
	{ "reaper", SPEC_COUNT, 0, 2, A(reaper) },
	{ "tracker", SPEC_COUNT, 0, 8, A(tracker) },
	{ "ager", SPEC_COUNT, 0, 8, A(ager) },
	{ "puncher", SPEC_COUNT, 0, 8, A(puncher) },
	{ "memslots", SPEC_COUNT, 0, 8, A(memslots) },
};

const struct spec_def workload_spec = { "--workload", workload_keys,
					(int)(sizeof(workload_keys) / sizeof(workload_keys[0])) };
const struct spec_def perturb_spec = { "--perturb", perturb_keys,
				       (int)(sizeof(perturb_keys) / sizeof(perturb_keys[0])) };
const struct spec_def actors_spec = { "--actors", actor_keys,
				      (int)(sizeof(actor_keys) / sizeof(actor_keys[0])) };

void spec_key_names(const struct spec_def *d, char *out, size_t len)
{
	size_t used = 0;

	out[0] = '\0';
	for (int i = 0; i < d->nr_keys && used < len; i++)
		used += (size_t)snprintf(out + used, len - used, "%s%s", i ? ", " : "",
					 d->keys[i].key);
}

static const struct spec_key *find_key(const struct spec_def *d, const char *key)
{
	for (int i = 0; i < d->nr_keys; i++)
		if (!strcmp(d->keys[i].key, key))
			return &d->keys[i];
	return NULL;
}

/* One KEY=VALUE: its key and its parsed value, or -1 after a message. */
static int parse_item(const struct spec_def *d, const char *label, const char *item,
		      const struct spec_key **k, double *real, uint64_t *whole)
{
	const char *eq = strchr(item, '=');
	char key[32], names[512];

	if (!eq) {
		complain("%s item '%s' has no '=': use KEY=VALUE", label, item);
		return -1;
	}
	snprintf(key, sizeof(key), "%.*s", (int)(eq - item), item);
	*k = (size_t)(eq - item) < sizeof(key) ? find_key(d, key) : NULL;
	if (!*k) {
		spec_key_names(d, names, sizeof(names));
		complain("%s key '%.*s' is unknown: use %s", label, (int)(eq - item), item, names);
		return -1;
	}
	if ((*k)->kind == SPEC_PROBABILITY) {
		if (parse_real(eq + 1, real) || *real < 0 || *real > 1) {
			complain("%s %s is not allowed: give a probability from 0 to 1", label,
				 item);
			return -1;
		}
		return 0;
	}
	if (parse_whole(eq + 1, whole) || *whole < (*k)->lo || *whole > (*k)->hi) {
		complain("%s %s is not allowed: give a whole number from %u to %u", label, item,
			 (*k)->lo, (*k)->hi);
		return -1;
	}
	return 0;
}

/* Calls each(item) for every comma-separated item; the first failure
 * stops it. An empty spec has no items. */
struct item_ctx {
	const struct spec_def *d;
	const char *label;
	void *arg;
};

static int for_each_item(const struct item_ctx *c, const char *spec,
			 int (*each)(const struct item_ctx *c, const char *item))
{
	char buf[SPEC_MAX_LEN + 1];
	char *save = NULL;

	if (strlen(spec) > SPEC_MAX_LEN) {
		complain("%s value is too long (at most %d characters)", c->label, SPEC_MAX_LEN);
		return -1;
	}
	memcpy(buf, spec, strlen(spec) + 1);
	for (char *item = strtok_r(buf, ",", &save); item; item = strtok_r(NULL, ",", &save))
		if (each(c, item))
			return -1;
	return 0;
}

static int apply_item(const struct item_ctx *c, const char *item)
{
	const struct spec_key *k;
	double real = 0;
	uint64_t whole = 0;
	uint32_t count;

	if (parse_item(c->d, c->label, item, &k, &real, &whole))
		return -1;
	count = (uint32_t)whole;
	/* By offset, into a double or a uint32_t field of the target. */
	if (k->kind == SPEC_PROBABILITY)
		memcpy((char *)c->arg + k->offset, &real, sizeof(real));
	else
		memcpy((char *)c->arg + k->offset, &count, sizeof(count));
	return 0;
}

int spec_apply(const struct spec_def *d, void *target, const char *spec)
{
	struct item_ctx c = { d, d->option, target };

	return for_each_item(&c, spec, apply_item);
}

struct canon {
	char *out;
	size_t len, used;
};

static int canon_item(const struct item_ctx *ctx, const char *item)
{
	struct canon *c = ctx->arg;
	const struct spec_key *k;
	double real = 0;
	uint64_t whole = 0;
	char value[32];
	int n;

	if (parse_item(ctx->d, ctx->label, item, &k, &real, &whole))
		return -1;
	if (k->kind == SPEC_PROBABILITY)
		format_real(value, sizeof(value), real);
	else
		snprintf(value, sizeof(value), "%llu", (unsigned long long)whole);
	n = snprintf(c->out + c->used, c->len - c->used, "%s%s=%s", c->used ? "," : "", k->key,
		     value);
	if (n < 0 || (size_t)n >= c->len - c->used) {
		complain("%s value is too long (at most %zu characters)", ctx->label, c->len - 1);
		return -1;
	}
	c->used += (size_t)n;
	return 0;
}

int spec_canonical(const struct spec_def *d, const char *label, const char *spec, char *out,
		   size_t len)
{
	struct canon c = { out, len, 0 };
	struct item_ctx ctx = { d, label, &c };
	char canon[SPEC_MAX_LEN + 1];

	/* Into a scratch buffer: a refused spec leaves *out alone. */
	c.out = canon;
	c.len = len < sizeof(canon) ? len : sizeof(canon);
	canon[0] = '\0';
	if (for_each_item(&ctx, spec, canon_item))
		return -1;
	memcpy(out, canon, c.used + 1);
	return 0;
}
