// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: a command line (arguments separated by NUL bytes)
 * through the option parser, the combination checks, the selection of runs
 * and the check of every run's configuration, as ./stress does before any
 * run starts. Whatever it accepts must print back to what it parsed: each
 * given option, formatted and parsed again, holds the same value.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../cli/options.h"
#include "../../cli/select.h"
#include "quiet.h"

#define MAX_ARGS 64

/* The value an option holds, as bytes to compare. */
static size_t value_of(const struct options *o, const struct option_def *d, const void **p)
{
	const char *field = (const char *)o + d->field;

	switch (d->kind) {
	case OK_WHOLE:
	case OK_DURATION:
	case OK_BYTES: *p = field; return sizeof(uint64_t);
	case OK_CHOICE: *p = field; return sizeof(int);
	case OK_TEXT: *p = *(const char *const *)field; return strlen(*p) + 1;
	case OK_SPEC: *p = field; return strlen(field) + 1;
	default: *p = NULL; return 0;
	}
}

static bool same_sched(const struct options *a, const struct options *b)
{
	return a->sched == b->sched && a->pct_depth == b->pct_depth && a->pct_steps == b->pct_steps;
}

/* Each given option prints what parses back to its value (abort() is the
 * finding). */
static void check_round_trip(const struct options *o)
{
	for (int i = 0; i < NR_OPTIONS; i++) {
		const struct option_def *d = &option_table[i];
		char once[1024];
		struct options again;
		const void *a, *b;
		size_t na, nb;

		if (!o->given[i] || d->kind == OK_FLAG)
			continue;
		option_format(o, (enum option_id)i, once, sizeof(once));
		options_init(&again, "stress");
		if (option_set(&again, (enum option_id)i, once, "again"))
			abort();
		na = value_of(o, d, &a);
		nb = value_of(&again, d, &b);
		if (d->kind == OK_SCHED ? !same_sched(o, &again) : na != nb || memcmp(a, b, na))
			abort();
		options_free(&again);
	}
}

/* What ./stress checks before a run, short of the file system (--replay
 * and --report are left to the replay target and the e2e table). */
static void check_like_main(struct options *o)
{
	struct selection sel[MAX_RUNS];
	int n;

	if (options_check(o) || !o->scenario)
		return;
	if (!select_runs(o, sel, MAX_RUNS, &n))
		check_runs(o, sel, &n, o->seed);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1), *argv[MAX_ARGS + 2];
	int argc = 0;
	struct options o;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	argv[argc++] = "stress";
	for (size_t i = 0; i < size && argc <= MAX_ARGS; i += strlen(buf + i) + 1)
		argv[argc++] = buf + i;
	argv[argc] = NULL;
	options_init(&o, "stress");
	if (!options_parse(&o, argc, argv)) {
		char *line = options_command_line(&o, OPTF_SHAPES_RUN | OPTF_WITH_REPLAY);
		int nr;
		struct report_kv *kv = options_report_kv(&o, OPTF_SHAPES_RUN, &nr);

		check_round_trip(&o);
		if (!o.replay_path)
			check_like_main(&o);
		free(line);
		report_kv_free(kv, nr);
	}
	options_free(&o);
	free(buf);
	return 0;
}
