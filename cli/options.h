/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The command line: one typed table (cli/option_table.c) of every option,
 * from which the parser, --help, --list-options, the rerun line, a report's
 * options and what a replay file may say are all made. A value is parsed
 * one way, by its kind, wherever it comes from, and printed back the way
 * it parses.
 */
#ifndef LOSTFLUSH_OPTIONS_H
#define LOSTFLUSH_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../engine/ctl.h"
#include "../reports/report.h"
#include "limits.h"
#include "specs.h"

enum expectation {
	EXPECT_FROM_VARIANT, /* fixed: clean; buggy: violation if this build can catch it */
	EXPECT_CLEAN,
	EXPECT_VIOLATION,
};

/* Every option, in the order --help shows them. */
enum option_id {
	OPT_LIST,
	OPT_LIST_OPTIONS,
	OPT_JSON,
	OPT_SCENARIO,
	OPT_VARIANT,
	OPT_LITMUS,
	OPT_BACKEND,
	OPT_SCHED,
	OPT_SEED,
	OPT_EXECUTIONS,
	OPT_EXECUTION,
	OPT_DURATION,
	OPT_REPLAY,
	OPT_MEMORY,
	OPT_MINIMIZE,
	OPT_TIMELINE,
	OPT_ARCH,
	OPT_RANGE_FLUSH,
	OPT_TLB_HUGE,
	OPT_LOG,
	OPT_AD_BITS,
	OPT_CPU_FEATURES,
	OPT_VCPUS,
	OPT_GFNS,
	OPT_HOT_GFNS,
	OPT_TLB_ENTRIES,
	OPT_EXPECT,
	OPT_PERTURB,
	OPT_WORKLOAD,
	OPT_ACTORS,
	OPT_KEEP_GOING,
	OPT_MAX_MEMORY,
	OPT_REPORT,
	OPT_JUNIT,
	OPT_KTAP,
	OPT_QUIET,
	OPT_HELP,
	OPT_VERSION,
	NR_OPTIONS,
};

enum option_kind {
	OK_FLAG,     /* no value */
	OK_WHOLE,    /* a whole number from lo to hi */
	OK_DURATION, /* 500ms, 10s, 2m, 1h */
	OK_BYTES,    /* 512M, 4G */
	OK_CHOICE,   /* one name of a list */
	OK_TEXT,     /* a name or a path, checked where it is used */
	OK_SPEC,     /* KEY=VALUE,... (cli/specs.h) */
	OK_SCHED,    /* free, random, pct[:D[:K]], cover */
};

enum option_flags {
	/* Shapes what a run does: in its rerun line when given, and in the
	 * report's options always. */
	OPTF_SHAPES_RUN = 1 << 0,
	/* A replay file carries it: the report writes it, --replay reads it
	 * back. */
	OPTF_CARRIED = 1 << 1,
	/* May be given beside --replay, where it applies to the replay (the
	 * others are refused: the replay would not use them). */
	OPTF_WITH_REPLAY = 1 << 2,
	/* Only for controlled modes (random, pct, cover). */
	OPTF_CONTROLLED = 1 << 3,
	OPTF_POW2 = 1 << 4, /* OK_WHOLE: a power of two */
	OPTF_HEX = 1 << 5,  /* OK_WHOLE: printed in hex */
};

struct option_def {
	const char *name; /* without the dashes */
	char short_name;  /* 0: none */
	enum option_kind kind;
	const char *metavar; /* OK_CHOICE: made from the choices */
	uint64_t lo, hi;     /* OK_WHOLE, OK_BYTES */
	/* OK_CHOICE: values choice_base .. choice_base + nr_choices - 1,
	 * named by choice_name (the model's own names where it has them). */
	const char *(*choice_name)(int value);
	int choice_base, nr_choices;
	const struct spec_def *spec; /* OK_SPEC */
	size_t field;		     /* offset in struct options */
	unsigned flags;
	const char *help; /* a range or the choices follow it in --help */
};

extern const struct option_def option_table[NR_OPTIONS];

/* What --scenario all and --list mean: the model's catalogue, or the
 * scenarios that run on the running kernel's KVM. */
enum { BACKEND_MODEL, BACKEND_KVM, NR_BACKENDS };

struct options {
	bool given[NR_OPTIONS];
	/* The value came from the --replay file, not the command line: a
	 * message about it names the file and its key. */
	bool from_replay[NR_OPTIONS];
	bool list, list_options, json, help, version, quiet, keep_going, minimize, timeline;
	const char *scenario, *variant; /* variant NULL: the scenario's fixed one */
	const char *report_path, *replay_path;
	const char *junit_path, *ktap_path; /* what CI systems read */
	const char *arch;		    /* --arch: an MMU flavour by name, when given */
	const char *litmus_path;	    /* --litmus: a test to run instead */
	int expect;			    /* enum expectation */
	uint64_t seed;
	uint64_t duration_ns;
	int sched; /* enum sched_mode */
	int pct_depth;
	uint64_t pct_steps;  /* PCT's k; 0: learned from the executions */
	int bound;	     /* --sched bounded:K; BOUNDED_NONE: bounded alone */
	uint64_t executions; /* 0: until the duration is up */
	uint64_t first_execution;
	int memory;	  /* enum mem_model */
	int range_flush;  /* RANGE_FLUSH_WORKS or _UNSUPPORTED, when given */
	int tlb_huge;	  /* enum tlb_huge_mode, when given */
	int log_mode;	  /* enum dirty_log_mode, when given */
	int backend;	  /* BACKEND_MODEL or BACKEND_KVM */
	int ad_bits;	  /* 0 off, 1 on, when given */
	int cpu_features; /* CPU_FEATURE_* bits, when given */
	uint64_t vcpus, gfns, hot_gfns, tlb_entries; /* when given */
	uint64_t max_memory;
	/* Applied over a variant's own, in their canonical form. */
	char workload[SPEC_MAX_LEN + 1];
	char perturb[SPEC_MAX_LEN + 1];
	char actors[SPEC_MAX_LEN + 1];
	/* --replay of a schedule: follow it (malloc'd). */
	struct ctl_decision *guide;
	size_t guide_len;
	const char *argv0;
	/* Strings given by a replay file, owned here. */
	char **owned;
	size_t nr_owned;
};

/* Defaults: 10 s, free mode, --max-memory a quarter of the machine's. */
void options_init(struct options *o, const char *argv0);
void options_free(struct options *o);
/* Parse argv into *o (after options_init). On bad input print a message
 * naming the value and what is allowed, and return -1 (the caller exits
 * 2). */
int options_parse(struct options *o, int argc, char **argv);
/* One option from text, by its kind; `label` names where it came from in a
 * message ("--vcpus", "replay 'r.json': vcpus"). -1 after a message. */
int option_set(struct options *o, enum option_id id, const char *value, const char *label);
/* Where a given option's value came from, with the value, for a message:
 * "--cpu-features fwb", or "r.json: key \"cpu_features\" (fwb)" when the
 * --replay file set it. Returns buf. */
#define ORIGIN_MAX (SPEC_MAX_LEN + 4096 + 64) /* a value, a path and a key */
const char *option_origin(const struct options *o, enum option_id id, char *buf, size_t len);
/* By long name, with '_' for '-' as a report writes it; NULL if none. */
const struct option_def *option_find(const char *name);
static inline enum option_id option_id_of(const struct option_def *d)
{
	return (enum option_id)(d - option_table);
}
/* The value as parsing reads it back; false for an action (--help). */
bool option_format(const struct options *o, enum option_id id, char *buf, size_t len);

/* Combinations: options that mean nothing in free mode, --execution with
 * --executions, and so on. -1 after a message. */
int options_check(const struct options *o);
/* Options given with --replay that a replay would not use. */
int options_check_with_replay(const struct options *o);

/* argv0 and every given option whose flags meet `mask`, in table order,
 * each value quoted for a shell where it needs it. malloc'd. */
char *options_command_line(const struct options *o, unsigned mask);
/* The same options as report pairs (keys with '_'); *nr of them, the
 * values malloc'd (report_kv_free()). */
struct report_kv *options_report_kv(const struct options *o, unsigned mask, int *nr);

void options_usage(FILE *out, const char *argv0);
/* What an option's kind allows ("give a whole number from 1 to 64"), and
 * its choices joined by sep and, before the last, last_sep. */
void option_allowed(const struct option_def *d, char *buf, size_t len);
void option_choice_list(const struct option_def *d, char *buf, size_t len, const char *sep,
			const char *last_sep);
/* One line per option: name, kind, what is allowed, flags. */
void options_list(FILE *out);

#endif
