/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The KEY=VALUE,... options (--workload, --perturb), each a typed table of
 * its keys: one place says what a key is, its bounds, where it lands and
 * what --help says of it.
 */
#ifndef LOSTFLUSH_SPECS_H
#define LOSTFLUSH_SPECS_H

#include <stddef.h>
#include <stdint.h>

enum spec_kind {
	SPEC_PROBABILITY, /* a double from 0 to 1 */
	SPEC_COUNT,	  /* a uint32_t from lo to hi */
};

struct spec_key {
	const char *key;
	enum spec_kind kind;
	uint32_t lo, hi;
	size_t offset; /* in the struct the spec applies to */
};

struct spec_def {
	const char *option; /* "--workload" */
	const struct spec_key *keys;
	int nr_keys;
};

/* struct workload (engine/run.h), struct perturb_rates (engine/sched.h)
 * and struct actor_counts (workers/vm.h). */
extern const struct spec_def workload_spec, perturb_spec, actors_spec;

/* Apply "k=v,..." over *target; -1 after a message naming the bad item
 * (target may then be partly changed: apply to a scratch copy to check). */
int spec_apply(const struct spec_def *d, void *target, const char *spec);
/* The spec with every value as parsing reads it (0.50 -> 0.5, 0x10 -> 16),
 * in the order given; -1 after a message (naming `label`, "--workload" or
 * a replay's key) if it is bad or does not fit, *out untouched. */
int spec_canonical(const struct spec_def *d, const char *label, const char *spec, char *out,
		   size_t len);
/* "invlpg, write, slice, ...": the keys, for messages and --help. */
void spec_key_names(const struct spec_def *d, char *out, size_t len);

#endif
