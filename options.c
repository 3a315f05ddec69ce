// SPDX-License-Identifier: GPL-2.0
#include "options.h"

#include "core/ctl.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define MAX_VCPUS 64
#define MAX_GFNS (1ULL << 26) /* 256 GiB of modelled guest memory */
#define MAX_DURATION_NS (24ULL * 3600 * 1000000000ULL)

void options_usage(FILE *out, const char *argv0)
{
	fprintf(out,
		"usage: %s --scenario NAME [options]\n"
		"       %s --list\n"
		"\n"
		"Hunt lost TLB flushes in a model of KVM's MMU: vCPU threads with their own\n"
		"TLBs, MMU-notifier invalidators and flushers race on one shared model; an\n"
		"oracle reports any use of a translation whose frame was already freed.\n"
		"\n"
		"  --list                  scenarios, their variants and where they come from\n"
		"  --scenario NAME|all     what to run (all: every scenario and variant)\n"
		"  --variant V|all         a variant of the scenario (default: fixed)\n"
		"  --duration D            how long each run lasts: 500ms, 10s, 2m, 1h (default 10s)\n"
		"  --seed S                run seed, decimal or 0x-hex (default: from the clock)\n"
		"  --sched free|random|pct[:D]|cover  free: real threads on real cores,\n"
		"                          perturbed at schedule points (default); random,\n"
		"                          pct and cover: one thread at a time, a seeded\n"
		"                          choice at every point, over many short executions\n"
		"                          (pct: Burckhardt et al.'s priorities, depth D, 1..%d,\n"
		"                          default 3; pct:D:K fixes PCT's estimate K of an\n"
		"                          execution's decisions, default: learned); cover:\n"
		"                          a search that keeps the schedules reaching new\n"
		"                          states and goes on from them, for races deeper\n"
		"                          than pct reaches\n"
		"  --executions N          controlled modes: stop after N executions\n"
		"  --execution N           controlled modes: run only execution N (a replay)\n"
		"  --replay FILE.json      run again the failing execution a report describes\n"
		"                          (its minimized schedule, if it carries one); with\n"
		"                          --variant V, the same interleaving against V (a\n"
		"                          fixed V is expected clean: does the fix survive it?)\n"
		"  --memory sc|tso|weak    controlled modes: sc, every store visible at once\n"
		"                          (default); tso, FIFO store buffers (x86-like); weak,\n"
		"                          buffers drain in any order barriers allow and loads\n"
		"                          may read the previous value (Arm-like)\n"
		"  --minimize              controlled modes: shrink the failing schedule to fewer\n"
		"                          context switches and print it, one column per thread\n"
		"  --timeline              controlled modes: print every event of the last\n"
		"                          execution, one column per thread, even when it ran\n"
		"                          clean (with --execution or --replay: that execution)\n"
		"  --range-flush works|unsupported  whether the arch's range flush succeeds or\n"
		"                          says -EOPNOTSUPP, so callers fall back to a full\n"
		"                          flush (default: the scenario's, usually works)\n"
		"  --tlb-huge entry|splinter  how TLBs cache a huge translation: one entry that\n"
		"                          a flush of any address inside drops (default), or\n"
		"                          4K pieces, each dropped only by a flush covering it\n"
		"  --log bitmap|clear|ring  how the dirty-log reaper harvests: get-dirty-log,\n"
		"                          clear-dirty-log with manual protect, or the dirty\n"
		"                          ring and its reset (default: the scenario's)\n"
		"  --ad-bits on|off        EPT Accessed/Dirty bits: on, the hardware sets A and\n"
		"                          D, aging clears A and dirty logging is PML's (clear\n"
		"                          D); off (default), access tracking and\n"
		"                          write-protection\n"
		"  --vcpus N               vCPU threads, 1..%d (default: the scenario's)\n"
		"  --gfns N                guest pages modelled, 64..%llu\n"
		"  --hot-gfns N            pages the guests and the notifier fight over\n"
		"  --tlb-entries N         entries per vCPU TLB, a power of two 16..65536\n"
		"  --expect clean|violation  what counts as success (default: fixed variants\n"
		"                          clean, buggy ones a violation)\n"
		"  --perturb K=V,...       schedule-point perturbation: spin=P, yield=P, sleep=P\n"
		"                          (probabilities per point), spin-max=N iterations,\n"
		"                          sleep-max-us=N, window-boost=N (default\n"
		"                          spin=0.02,yield=0.002,sleep=0.0002,spin-max=2000,\n"
		"                          sleep-max-us=200,window-boost=50); spin=0,yield=0,sleep=0\n"
		"                          turns perturbation off\n"
		"  --workload K=V,...      the workers' pace, over the scenario's defaults:\n"
		"                          invlpg=P and write=P (per guest access), slice=N\n"
		"                          (accesses per guest entry), unmap-pages=N,\n"
		"                          hot=N (as --hot-gfns), invalidate-us=N, flusher-us=N,\n"
		"                          zapper-us=N, reaper-us=N, tracker-us=N, ager-us=N\n"
		"                          (pauses between a worker's steps, at\n"
		"                          most); controlled modes: entries=N, invalidations=N,\n"
		"                          flushes=N, zaps=N, harvests=N, tracks=N, agings=N\n"
		"                          (each worker's steps per execution)\n"
		"  --keep-going            count every violation instead of stopping at the first\n"
		"  --report FILE.json      write a JSON report (written whole, or not at all)\n"
		"  -q, --quiet             only violations and the final line\n"
		"  -h, --help              this text\n"
		"  -V, --version           the version\n"
		"\n"
		"Exit: 0 the outcome was as expected, 1 it was not, 2 bad usage, 3 skipped,\n"
		"4 the harness itself failed.\n",
		argv0, argv0, CTL_MAX_DEPTH, MAX_VCPUS, (unsigned long long)MAX_GFNS);
}

int parse_duration(const char *s, uint64_t *ns)
{
	char *end;
	double v;
	double scale;

	errno = 0;
	v = strtod(s, &end);
	/* !(v > 0) also rejects NaN, which compares false with everything. */
	if (errno || end == s || !(v > 0) || !isfinite(v))
		return -1;
	if (!strcmp(end, "ms"))
		scale = 1e6;
	else if (!strcmp(end, "s") || !*end)
		scale = 1e9;
	else if (!strcmp(end, "m"))
		scale = 60e9;
	else if (!strcmp(end, "h"))
		scale = 3600e9;
	else
		return -1;
	if (v * scale > (double)MAX_DURATION_NS || v * scale < 1e6)
		return -1;
	*ns = (uint64_t)(v * scale);
	return 0;
}

static int parse_u64(const char *opt, const char *s, uint64_t lo, uint64_t hi, uint64_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s || *end || s[0] == '-' || v < lo || v > hi) {
		fprintf(stderr, "stress: %s '%s' is not allowed: give a whole number from %llu to %llu\n",
			opt, s, (unsigned long long)lo, (unsigned long long)hi);
		return -1;
	}
	*out = v;
	return 0;
}

static int parse_probability(const char *opt, const char *key, const char *s, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || v < 0 || v > 1) {
		fprintf(stderr, "stress: %s %s=%s is not allowed: give a probability from 0 to 1\n",
			opt, key, s);
		return -1;
	}
	*out = v;
	return 0;
}

static int parse_perturb_item(struct perturb_rates *r, char *item)
{
	char *eq = strchr(item, '=');
	uint64_t n;

	if (!eq) {
		fprintf(stderr, "stress: --perturb item '%s' has no '=': use KEY=VALUE\n", item);
		return -1;
	}
	*eq = '\0';
	if (!strcmp(item, "spin"))
		return parse_probability("--perturb", item, eq + 1, &r->spin);
	if (!strcmp(item, "yield"))
		return parse_probability("--perturb", item, eq + 1, &r->yield);
	if (!strcmp(item, "sleep"))
		return parse_probability("--perturb", item, eq + 1, &r->sleep);
	if (!strcmp(item, "spin-max")) {
		if (parse_u64("--perturb spin-max", eq + 1, 0, 1000000, &n))
			return -1;
		r->spin_max = (uint32_t)n;
		return 0;
	}
	if (!strcmp(item, "sleep-max-us")) {
		if (parse_u64("--perturb sleep-max-us", eq + 1, 1, 100000, &n))
			return -1;
		r->sleep_max_us = (uint32_t)n;
		return 0;
	}
	if (!strcmp(item, "window-boost")) {
		if (parse_u64("--perturb window-boost", eq + 1, 1, 1000, &n))
			return -1;
		r->window_boost = (uint32_t)n;
		return 0;
	}
	fprintf(stderr, "stress: --perturb key '%s' is unknown: use spin, yield, sleep, "
		"spin-max, sleep-max-us or window-boost\n", item);
	return -1;
}

int perturb_apply(struct perturb_rates *r, const char *arg)
{
	char buf[256];

	if (strlen(arg) >= sizeof(buf)) {
		fprintf(stderr, "stress: --perturb value is too long\n");
		return -1;
	}
	strcpy(buf, arg);
	for (char *save = NULL, *item = strtok_r(buf, ",", &save); item;
	     item = strtok_r(NULL, ",", &save))
		if (parse_perturb_item(r, item))
			return -1;
	return 0;
}

/* The per-execution budget a key names (controlled modes), or NULL. */
static uint32_t *exec_budget(struct workload *w, const char *key)
{
	if (!strcmp(key, "entries"))
		return &w->exec_guest_entries;
	if (!strcmp(key, "invalidations"))
		return &w->exec_invalidations;
	if (!strcmp(key, "flushes"))
		return &w->exec_flushes;
	if (!strcmp(key, "zaps"))
		return &w->exec_zaps;
	if (!strcmp(key, "harvests"))
		return &w->exec_harvests;
	if (!strcmp(key, "tracks"))
		return &w->exec_tracks;
	if (!strcmp(key, "agings"))
		return &w->exec_agings;
	return NULL;
}

/* The pause between a background worker's steps a key names, or NULL. */
static uint32_t *pause_of(struct workload *w, const char *key)
{
	static const struct {
		const char *key;
		size_t offset;
	} pauses[] = {
		{ "invalidate-us", offsetof(struct workload, invalidate_pause_us) },
		{ "flusher-us", offsetof(struct workload, flusher_pause_us) },
		{ "zapper-us", offsetof(struct workload, zapper_pause_us) },
		{ "reaper-us", offsetof(struct workload, reaper_pause_us) },
		{ "tracker-us", offsetof(struct workload, tracker_pause_us) },
		{ "ager-us", offsetof(struct workload, ager_pause_us) },
	};

	for (size_t i = 0; i < sizeof(pauses) / sizeof(pauses[0]); i++)
		if (!strcmp(key, pauses[i].key))
			return (uint32_t *)((char *)w + pauses[i].offset);
	return NULL;
}

static int workload_item(struct workload *w, const char *key, const char *val)
{
	uint64_t n;

	if (!strcmp(key, "invlpg"))
		return parse_probability("--workload", key, val, &w->invlpg_ratio);
	if (!strcmp(key, "write"))
		return parse_probability("--workload", key, val, &w->write_ratio);
	if (!strcmp(key, "slice")) {
		if (parse_u64("--workload slice", val, 1, 1000000, &n))
			return -1;
		w->slice = (uint32_t)n;
	} else if (!strcmp(key, "unmap-pages")) {
		if (parse_u64("--workload unmap-pages", val, 1, 64, &n))
			return -1;
		w->unmap_pages_max = (uint32_t)n;
	} else if (pause_of(w, key)) {
		char what[64];

		snprintf(what, sizeof(what), "--workload %s", key);
		if (parse_u64(what, val, 0, 10000000, &n))
			return -1;
		*pause_of(w, key) = (uint32_t)n;
	} else if (!strcmp(key, "hot")) {
		if (parse_u64("--workload hot", val, 1, 4096, &n))
			return -1;
		w->hot_gfns = (uint32_t)n;
	} else if (exec_budget(w, key)) {
		char what[64];

		snprintf(what, sizeof(what), "--workload %s", key);
		if (parse_u64(what, val, 0, 1000, &n))
			return -1;
		*exec_budget(w, key) = (uint32_t)n;
	} else {
		fprintf(stderr, "stress: --workload key '%s' is unknown: use invlpg, write, slice, "
			"hot, unmap-pages, invalidate-us, flusher-us, zapper-us, reaper-us, "
			"tracker-us, ager-us, entries, invalidations, flushes, zaps, harvests, "
			"tracks or agings\n", key);
		return -1;
	}
	return 0;
}

int workload_apply(struct workload *w, const char *spec)
{
	char buf[256];

	snprintf(buf, sizeof(buf), "%s", spec);
	for (char *save = NULL, *item = strtok_r(buf, ",", &save); item;
	     item = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(item, '=');

		if (!eq) {
			fprintf(stderr, "stress: --workload item '%s' has no '=': use KEY=VALUE\n", item);
			return -1;
		}
		*eq = '\0';
		if (workload_item(w, item, eq + 1))
			return -1;
	}
	return 0;
}

enum {
	OPT_LIST = 256, OPT_SCENARIO, OPT_VARIANT, OPT_DURATION, OPT_SEED, OPT_VCPUS,
	OPT_GFNS, OPT_HOT_GFNS, OPT_TLB_ENTRIES, OPT_EXPECT, OPT_PERTURB,
	OPT_KEEP_GOING, OPT_REPORT, OPT_WORKLOAD, OPT_SCHED, OPT_EXECUTIONS, OPT_EXECUTION,
	OPT_REPLAY, OPT_MEMORY, OPT_MINIMIZE, OPT_RANGE_FLUSH, OPT_TLB_HUGE, OPT_LOG, OPT_AD_BITS,
	OPT_TIMELINE,
};

static const struct option long_options[] = {
	{ "list", no_argument, NULL, OPT_LIST },
	{ "scenario", required_argument, NULL, OPT_SCENARIO },
	{ "variant", required_argument, NULL, OPT_VARIANT },
	{ "duration", required_argument, NULL, OPT_DURATION },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "vcpus", required_argument, NULL, OPT_VCPUS },
	{ "gfns", required_argument, NULL, OPT_GFNS },
	{ "hot-gfns", required_argument, NULL, OPT_HOT_GFNS },
	{ "tlb-entries", required_argument, NULL, OPT_TLB_ENTRIES },
	{ "expect", required_argument, NULL, OPT_EXPECT },
	{ "perturb", required_argument, NULL, OPT_PERTURB },
	{ "keep-going", no_argument, NULL, OPT_KEEP_GOING },
	{ "workload", required_argument, NULL, OPT_WORKLOAD },
	{ "sched", required_argument, NULL, OPT_SCHED },
	{ "executions", required_argument, NULL, OPT_EXECUTIONS },
	{ "execution", required_argument, NULL, OPT_EXECUTION },
	{ "replay", required_argument, NULL, OPT_REPLAY },
	{ "memory", required_argument, NULL, OPT_MEMORY },
	{ "range-flush", required_argument, NULL, OPT_RANGE_FLUSH },
	{ "tlb-huge", required_argument, NULL, OPT_TLB_HUGE },
	{ "log", required_argument, NULL, OPT_LOG },
	{ "ad-bits", required_argument, NULL, OPT_AD_BITS },
	{ "minimize", no_argument, NULL, OPT_MINIMIZE },
	{ "timeline", no_argument, NULL, OPT_TIMELINE },
	{ "report", required_argument, NULL, OPT_REPORT },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ 0 },
};

/* Options that shape the run go into the replay line as given. */
static void remember(struct options *o, const char *name, const char *value)
{
	size_t len = strlen(o->replay_extra);

	snprintf(o->replay_extra + len, sizeof(o->replay_extra) - len, " --%s %s", name, value);
}

/* pct:D or pct:D:K, after the "pct". */
static int parse_pct(struct options *o, const char *arg)
{
	char depth[24];
	const char *steps = strchr(arg, ':');
	uint64_t d = CTL_DEFAULT_DEPTH, k = 0;

	snprintf(depth, sizeof(depth), "%.*s", steps ? (int)(steps - arg) : (int)strlen(arg), arg);
	if (*depth && parse_u64("--sched pct: depth", depth, 1, CTL_MAX_DEPTH, &d))
		return -1;
	if (steps && parse_u64("--sched pct:D: steps", steps + 1, 1, CTL_MAX_STEPS, &k))
		return -1;
	o->sched = SCHED_PCT;
	o->pct_depth = (int)d;
	o->pct_steps = k;
	return 0;
}

/* free, random, pct, pct:D or pct:D:K (D from 1 to CTL_MAX_DEPTH, default
 * 3; K, PCT's estimate of an execution's decisions, learned if not given). */
static int parse_sched(struct options *o, const char *arg)
{

	if (!strcmp(arg, "free")) {
		o->sched = SCHED_FREE;
		return 0;
	}
	if (!strcmp(arg, "random")) {
		o->sched = SCHED_RANDOM;
		return 0;
	}
	if (!strcmp(arg, "cover")) {
		o->sched = SCHED_COVER;
		return 0;
	}
	if (!strncmp(arg, "pct", 3) && (!arg[3] || arg[3] == ':'))
		return parse_pct(o, arg[3] ? arg + 4 : arg + 3);
	fprintf(stderr, "stress: --sched '%s' is not allowed: use free, random, pct, pct:D, "
		"pct:D:K or cover\n", arg);
	return -1;
}

/* Keep a KEY=VALUE,... option as given: it is applied later, over the
 * variant's own settings, and repeated in the rerun line. */
static int keep_spec(struct options *o, const char *name, char *dst, size_t len, const char *arg)
{
	if (strlen(arg) >= len) {
		fprintf(stderr, "stress: --%s value is too long (at most %zu characters)\n",
			name, len - 1);
		return -1;
	}
	strcpy(dst, arg);
	remember(o, name, arg);
	return 0;
}

static int parse_one(struct options *o, int c, const char *arg)
{
	switch (c) {
	case OPT_LIST: o->list = true; return 0;
	case OPT_SCENARIO: o->scenario = arg; return 0;
	case OPT_VARIANT: o->variant = arg; return 0;
	case OPT_KEEP_GOING: o->keep_going = true; return 0;
	case OPT_REPORT: o->report_path = arg; return 0;
	case OPT_REPLAY: o->replay_path = arg; return 0;
	case OPT_MINIMIZE: o->minimize = true; return 0;
	case OPT_TIMELINE: o->timeline = true; return 0;
	case OPT_MEMORY:
		if (!mem_model_parse(arg, &o->memory)) {
			fprintf(stderr, "stress: --memory '%s' is not allowed: use sc, tso or weak\n",
				arg);
			return -1;
		}
		o->memory_given = true;
		remember(o, "memory", arg);
		return 0;
	case OPT_RANGE_FLUSH:
		if (strcmp(arg, "works") && strcmp(arg, "unsupported")) {
			fprintf(stderr, "stress: --range-flush '%s' is not allowed: use works or "
				"unsupported\n", arg);
			return -1;
		}
		o->range_flush = arg[0] == 'w' ? RANGE_FLUSH_WORKS : RANGE_FLUSH_UNSUPPORTED;
		remember(o, "range-flush", arg);
		return 0;
	case OPT_TLB_HUGE:
		if (!tlb_huge_parse(arg, &o->tlb_huge)) {
			fprintf(stderr, "stress: --tlb-huge '%s' is not allowed: use entry or "
				"splinter\n", arg);
			return -1;
		}
		o->tlb_huge_given = true;
		remember(o, "tlb-huge", arg);
		return 0;
	case OPT_LOG:
		if (!dirty_log_mode_parse(arg, &o->log_mode)) {
			fprintf(stderr, "stress: --log '%s' is not allowed: use bitmap, clear or "
				"ring\n", arg);
			return -1;
		}
		o->log_given = true;
		remember(o, "log", arg);
		return 0;
	case OPT_AD_BITS:
		if (strcmp(arg, "on") && strcmp(arg, "off")) {
			fprintf(stderr, "stress: --ad-bits '%s' is not allowed: use on or off\n", arg);
			return -1;
		}
		o->ad_bits = !strcmp(arg, "on");
		o->ad_bits_given = true;
		remember(o, "ad-bits", arg);
		return 0;
	case 'q': o->quiet = true; return 0;
	case 'h': o->help = true; return 0;
	case 'V': o->version = true; return 0;
	case OPT_DURATION:
		if (parse_duration(arg, &o->duration_ns)) {
			fprintf(stderr, "stress: --duration '%s' is not allowed: give a number with "
				"ms, s, m or h, from 1ms to 24h (e.g. 10s, 2m)\n", arg);
			return -1;
		}
		return 0;
	case OPT_SEED:
		o->seed_given = true;
		return parse_u64("--seed", arg, 0, UINT64_MAX, &o->seed);
	case OPT_VCPUS:
		remember(o, "vcpus", arg);
		return parse_u64("--vcpus", arg, 1, MAX_VCPUS, &o->vcpus);
	case OPT_GFNS:
		remember(o, "gfns", arg);
		return parse_u64("--gfns", arg, 64, MAX_GFNS, &o->gfns);
	case OPT_HOT_GFNS:
		remember(o, "hot-gfns", arg);
		return parse_u64("--hot-gfns", arg, 1, MAX_GFNS, &o->hot_gfns);
	case OPT_TLB_ENTRIES:
		remember(o, "tlb-entries", arg);
		if (parse_u64("--tlb-entries", arg, 16, 65536, &o->tlb_entries))
			return -1;
		if (o->tlb_entries & (o->tlb_entries - 1)) {
			fprintf(stderr, "stress: --tlb-entries '%s' is not allowed: give a power of two from 16 to 65536\n", arg);
			return -1;
		}
		return 0;
	case OPT_EXPECT:
		if (!strcmp(arg, "clean"))
			o->expect = EXPECT_CLEAN;
		else if (!strcmp(arg, "violation"))
			o->expect = EXPECT_VIOLATION;
		else {
			fprintf(stderr, "stress: --expect '%s' is not allowed: use clean or violation\n", arg);
			return -1;
		}
		return 0;
	case OPT_PERTURB:
		if (keep_spec(o, "perturb", o->perturb_spec, sizeof(o->perturb_spec), arg))
			return -1;
		return perturb_apply(&o->perturb, arg);
	case OPT_SCHED:
		return parse_sched(o, arg);
	case OPT_EXECUTIONS:
		return parse_u64("--executions", arg, 1, UINT64_MAX / 2, &o->executions);
	case OPT_EXECUTION:
		o->one_execution = true;
		o->executions = 1;
		return parse_u64("--execution", arg, 0, UINT64_MAX / 2, &o->first_execution);
	case OPT_WORKLOAD:
		if (keep_spec(o, "workload", o->workload, sizeof(o->workload), arg))
			return -1;
		/* Checked now against a scratch workload, applied later over
		 * the scenario's defaults. */
		return workload_apply(&(struct workload){ 0 }, arg);
	default:
		return -1;
	}
}

/* Options that only mean something when one thread runs at a time. */
static int check_controlled_only(const struct options *o)
{
	/* A report to replay always names a controlled scheduler. */
	if (o->sched != SCHED_FREE || o->replay_path)
		return 0;
	if (o->memory_given && o->memory != MEM_SC) {
		fprintf(stderr, "stress: --memory %s needs --sched random, pct or cover: free mode runs "
			"on this CPU's own memory model\n", mem_model_name(o->memory));
		return -1;
	}
	if (o->minimize) {
		fprintf(stderr, "stress: --minimize needs --sched random, pct or cover: free-mode runs "
			"have no schedule to shrink\n");
		return -1;
	}
	if (o->timeline) {
		fprintf(stderr, "stress: --timeline needs --sched random, pct or cover: free-mode runs "
			"keep only each thread's last events (shown on a violation)\n");
		return -1;
	}
	return 0;
}

int options_parse(struct options *o, int argc, char **argv)
{
	int c;

	memset(o, 0, sizeof(*o));
	o->argv0 = argv[0];
	o->duration_ns = 10ULL * 1000000000ULL;
	o->perturb = perturb_defaults;
	opterr = 0;
	/* 0, not 1: glibc only forgets its place inside a cluster of short
	 * options (-zq) when optind is 0. */
	optind = 0;
	while ((c = getopt_long(argc, argv, ":qhV", long_options, NULL)) != -1) {
		if (c == '?') {
			/* Inside a cluster optind has not moved: name the letter. */
			if (optopt)
				fprintf(stderr, "stress: unknown option '-%c'; see --help\n", optopt);
			else
				fprintf(stderr, "stress: unknown option '%s'; see --help\n",
					argv[optind - 1]);
			return -1;
		}
		if (c == ':') {
			fprintf(stderr, "stress: option '%s' needs a value; see --help\n", argv[optind - 1]);
			return -1;
		}
		if (parse_one(o, c, optarg))
			return -1;
	}
	if (optind < argc) {
		fprintf(stderr, "stress: unexpected argument '%s'; see --help\n", argv[optind]);
		return -1;
	}
	return check_controlled_only(o);
}
