// SPDX-License-Identifier: GPL-2.0
/* Parsing, checking and printing options by their row in option_table. */
#include "options.h"

#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "../engine/memmodel.h"
#include "../engine/run.h"
#include "complain.h"
#include "numbers.h"

#define DEFAULT_DURATION_NS (10 * NS_PER_S)

/* A quarter of the machine's memory, or of the address space the process
 * may have if that is less: room for the model besides. */
static uint64_t default_max_memory(void)
{
	long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
	uint64_t ram = pages > 0 && page > 0 ? (uint64_t)pages * (uint64_t)page : 4ULL << 30;
	uint64_t share = ram / 4;
	struct rlimit as;

	if (!getrlimit(RLIMIT_AS, &as) && as.rlim_cur != RLIM_INFINITY && as.rlim_cur / 4 < share)
		share = as.rlim_cur / 4;
	if (share < MIN_MAX_MEMORY)
		share = MIN_MAX_MEMORY;
	return share > MAX_MAX_MEMORY ? MAX_MAX_MEMORY : share;
}

void options_init(struct options *o, const char *argv0)
{
	memset(o, 0, sizeof(*o));
	o->argv0 = argv0;
	o->duration_ns = DEFAULT_DURATION_NS;
	o->sched = SCHED_FREE;
	o->pct_depth = CTL_DEFAULT_DEPTH;
	o->memory = MEM_SC;
	o->max_memory = default_max_memory();
}

void options_free(struct options *o)
{
	for (size_t i = 0; i < o->nr_owned; i++)
		free(o->owned[i]);
	free(o->owned);
	free(o->guide);
	o->owned = NULL;
	o->nr_owned = 0;
	o->guide = NULL;
}

const struct option_def *option_find(const char *name)
{
	for (int i = 0; i < NR_OPTIONS; i++) {
		const char *a = option_table[i].name, *b = name;

		while (*a && (*a == *b || (*a == '-' && *b == '_')))
			a++, b++;
		if (!*a && !*b)
			return &option_table[i];
	}
	return NULL;
}

static void *field_of(struct options *o, const struct option_def *d)
{
	return (char *)o + d->field;
}

static const void *field_in(const struct options *o, const struct option_def *d)
{
	return (const char *)o + d->field;
}

/* ---- what each kind allows, for messages --------------------------------- */

void option_choice_list(const struct option_def *d, char *buf, size_t len, const char *sep,
			const char *last_sep)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int i = 0; i < d->nr_choices && used < len; i++) {
		const char *before = i == d->nr_choices - 1 ? last_sep : sep;

		used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? before : "",
					 d->choice_name(d->choice_base + i));
	}
}

void option_allowed(const struct option_def *d, char *buf, size_t len)
{
	char lo[24], hi[24];

	switch (d->kind) {
	case OK_WHOLE:
		if (d->hi == UINT64_MAX)
			snprintf(buf, len, "give a whole number, decimal or 0x-hex, below 2^64");
		else
			snprintf(buf, len, "give a whole number from %llu to %llu%s",
				 (unsigned long long)d->lo, (unsigned long long)d->hi,
				 d->flags & OPTF_POW2 ? ", a power of two" : "");
		return;
	case OK_DURATION:
		snprintf(buf, len,
			 "give a number with ms, s, m or h, from 1ms to 24h (e.g. 10s, 2m)");
		return;
	case OK_BYTES:
		format_bytes(lo, sizeof(lo), d->lo);
		format_bytes(hi, sizeof(hi), d->hi);
		snprintf(buf, len, "give a size from %s to %s, in bytes or with K, M, G or T", lo,
			 hi);
		return;
	case OK_CHOICE: {
		char names[128];

		option_choice_list(d, names, sizeof(names), ", ", " or ");
		snprintf(buf, len, "use %s", names);
		return;
	}
	case OK_SCHED:
		snprintf(buf, len,
			 "use free, random, pct, pct:D (D from 1 to %d), pct:D:K (K from "
			 "1 to %d), cover, pos, surw, bounded or bounded:K (K from 0 to %d)",
			 CTL_MAX_DEPTH, CTL_MAX_STEPS, BOUNDED_MAX);
		return;
	default: snprintf(buf, len, "see --help"); return;
	}
}

static int refuse(const struct option_def *d, const char *value, const char *label)
{
	char why[160];

	option_allowed(d, why, sizeof(why));
	complain("%s '%s' is not allowed: %s", label, value, why);
	return -1;
}

/* ---- parsing one value ---------------------------------------------------- */

/* pct, pct:D or pct:D:K, whole and strict. */
static int parse_pct(const char *arg, int *depth, uint64_t *steps)
{
	char d[24];
	const char *colon = strchr(arg, ':');
	size_t dlen = colon ? (size_t)(colon - arg) : strlen(arg);
	uint64_t dv = CTL_DEFAULT_DEPTH, kv = 0;

	/* "pct:" says a depth is coming and gives none. */
	if (dlen >= sizeof(d) || (!dlen && colon))
		return -1;
	memcpy(d, arg, dlen);
	d[dlen] = '\0';
	if (dlen && (parse_whole(d, &dv) || dv < 1 || dv > CTL_MAX_DEPTH))
		return -1;
	if (colon && (parse_whole(colon + 1, &kv) || kv < 1 || kv > CTL_MAX_STEPS))
		return -1;
	*depth = (int)dv;
	*steps = kv;
	return 0;
}

/* "bounded" (no bound) or "bounded:K"; rest is what follows "bounded". */
static int set_bounded(struct options *o, const char *rest)
{
	uint64_t k = BOUNDED_NONE;

	if (*rest && (*rest != ':' || parse_whole(rest + 1, &k) || k > BOUNDED_MAX))
		return -1;
	o->sched = SCHED_BOUNDED;
	o->bound = (int)k;
	o->pct_depth = CTL_DEFAULT_DEPTH;
	o->pct_steps = 0;
	return 0;
}

static int set_sched(struct options *o, const char *arg)
{
	static const struct {
		const char *name;
		int mode;
	} plain[] = { { "free", SCHED_FREE },
		      { "random", SCHED_RANDOM },
		      { "cover", SCHED_COVER },
		      { "pos", SCHED_POS },
		      { "surw", SCHED_SURW } };
	int depth;
	uint64_t steps;

	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++)
		if (!strcmp(arg, plain[i].name)) {
			/* The last --sched wins whole: a pct:D:K before it
			 * leaves no depth or steps behind. */
			o->sched = plain[i].mode;
			o->pct_depth = CTL_DEFAULT_DEPTH;
			o->pct_steps = 0;
			return 0;
		}
	if (!strncmp(arg, "bounded", 7))
		return set_bounded(o, arg + 7);
	if (strncmp(arg, "pct", 3) != 0 || (arg[3] && arg[3] != ':'))
		return -1;
	if (arg[3] && !arg[4])
		return -1;
	if (parse_pct(arg[3] ? arg + 4 : arg + 3, &depth, &steps))
		return -1;
	o->sched = SCHED_PCT;
	o->pct_depth = depth;
	o->pct_steps = steps;
	return 0;
}

static int set_choice(const struct option_def *d, int *field, const char *value)
{
	for (int i = 0; i < d->nr_choices; i++)
		if (!strcmp(value, d->choice_name(d->choice_base + i))) {
			*field = d->choice_base + i;
			return 0;
		}
	return -1;
}

static int set_whole(const struct option_def *d, uint64_t *field, const char *value)
{
	uint64_t v;

	if (parse_whole(value, &v) || v < d->lo || v > d->hi)
		return -1;
	if ((d->flags & OPTF_POW2) && (v & (v - 1)))
		return -1;
	*field = v;
	return 0;
}

static int set_text(struct options *o, const char **field, const char *value)
{
	char **owned = realloc(o->owned, (o->nr_owned + 1) * sizeof(*owned));
	char *copy = strdup(value);

	if (owned)
		o->owned = owned;
	if (!owned || !copy) {
		free(copy);
		complain("out of memory reading the options");
		return -1;
	}
	o->owned[o->nr_owned++] = copy;
	*field = copy;
	return 0;
}

int option_set(struct options *o, enum option_id id, const char *value, const char *label)
{
	const struct option_def *d = &option_table[id];
	void *field = field_of(o, d);
	int err;

	if (d->kind == OK_FLAG) {
		if (value) {
			complain("%s takes no value (given '%s')", label, value);
			return -1;
		}
		*(bool *)field = true;
		o->given[id] = true;
		return 0;
	}
	if (!value) {
		complain("%s needs a value; see --help", label);
		return -1;
	}
	switch (d->kind) {
	case OK_WHOLE: err = set_whole(d, field, value); break;
	case OK_DURATION: err = parse_duration(value, field); break;
	case OK_BYTES: {
		uint64_t v;

		err = parse_bytes(value, &v) || v < d->lo || v > d->hi;
		if (!err)
			*(uint64_t *)field = v;
		break;
	}
	case OK_CHOICE: err = set_choice(d, field, value); break;
	case OK_SCHED: err = set_sched(o, value); break;
	case OK_TEXT: return set_text(o, field, value) ? -1 : (o->given[id] = true, 0);
	case OK_SPEC:
		if (spec_canonical(d->spec, label, value, field, SPEC_MAX_LEN + 1))
			return -1;
		o->given[id] = true;
		return 0;
	default: err = -1; break;
	}
	if (err)
		return refuse(d, value, label);
	o->given[id] = true;
	return 0;
}

/* ---- printing one value ---------------------------------------------------- */

static void format_sched(const struct options *o, char *buf, size_t len)
{
	static const char *const names[] = {
		[SCHED_FREE] = "free", [SCHED_RANDOM] = "random", [SCHED_COVER] = "cover",
		[SCHED_POS] = "pos",   [SCHED_SURW] = "surw",
	};

	if (o->sched == SCHED_BOUNDED && o->bound == BOUNDED_NONE)
		snprintf(buf, len, "bounded");
	else if (o->sched == SCHED_BOUNDED)
		snprintf(buf, len, "bounded:%d", o->bound);
	else if (o->sched != SCHED_PCT)
		snprintf(buf, len, "%s", names[o->sched]);
	else if (o->pct_steps)
		snprintf(buf, len, "pct:%d:%llu", o->pct_depth, (unsigned long long)o->pct_steps);
	else
		snprintf(buf, len, "pct:%d", o->pct_depth);
}

bool option_format(const struct options *o, enum option_id id, char *buf, size_t len)
{
	const struct option_def *d = &option_table[id];
	const void *field = field_in(o, d);

	buf[0] = '\0';
	switch (d->kind) {
	case OK_FLAG: return true;
	case OK_WHOLE:
		snprintf(buf, len, d->flags & OPTF_HEX ? "%#llx" : "%llu",
			 *(const unsigned long long *)field);
		return true;
	case OK_DURATION: format_duration(buf, len, *(const uint64_t *)field); return true;
	case OK_BYTES: format_bytes(buf, len, *(const uint64_t *)field); return true;
	case OK_CHOICE: snprintf(buf, len, "%s", d->choice_name(*(const int *)field)); return true;
	case OK_SCHED: format_sched(o, buf, len); return true;
	case OK_TEXT: snprintf(buf, len, "%s", *(const char *const *)field ?: ""); return true;
	case OK_SPEC: snprintf(buf, len, "%s", (const char *)field); return true;
	}
	return false;
}

const char *option_origin(const struct options *o, enum option_id id, char *buf, size_t len)
{
	char value[SPEC_MAX_LEN + 1], key[32];
	size_t i;

	option_format(o, id, value, sizeof(value));
	if (!o->from_replay[id]) {
		snprintf(buf, len, "--%s%s%s", option_table[id].name, *value ? " " : "", value);
		return buf;
	}
	/* The key as a report writes it. */
	for (i = 0; option_table[id].name[i] && i < sizeof(key) - 1; i++)
		key[i] = option_table[id].name[i] == '-' ? '_' : option_table[id].name[i];
	key[i] = '\0';
	snprintf(buf, len, "%s: key \"%s\" (%s)", o->replay_path, key, value);
	return buf;
}

/* ---- combinations ---------------------------------------------------------- */

/* Why a controlled-only option means nothing in free mode. */
static const char *free_mode_reason(enum option_id id)
{
	switch (id) {
	case OPT_MEMORY: return "free mode runs on this CPU's own memory model";
	case OPT_MINIMIZE: return "free-mode runs have no schedule to shrink";
	case OPT_TIMELINE:
		return "free-mode runs keep only each thread's last events (shown on a violation)";
	default: return "free mode runs for --duration, not a count of executions";
	}
}

int options_check(const struct options *o)
{
	if (o->json && !o->list) {
		complain("--json goes with --list: the catalogue is what it prints");
		return -1;
	}
	if (o->sched == SCHED_FREE)
		for (int i = 0; i < NR_OPTIONS; i++)
			if (o->given[i] && (option_table[i].flags & OPTF_CONTROLLED)) {
				char value[64];

				option_format(o, (enum option_id)i, value, sizeof(value));
				complain("--%s%s%s needs --sched random, pct or cover: %s",
					 option_table[i].name, *value ? " " : "", value,
					 free_mode_reason((enum option_id)i));
				return -1;
			}
	if (o->given[OPT_EXECUTION] && o->given[OPT_EXECUTIONS]) {
		complain("--execution N runs that one execution: give --executions without it, "
			 "or neither");
		return -1;
	}
	if (o->sched == SCHED_COVER && o->given[OPT_EXECUTION] && !o->guide) {
		complain("--execution cannot pick one execution of --sched cover out: each "
			 "depends on every one before it; run the same --seed with "
			 "--executions N+1, or --replay its report");
		return -1;
	}
	return 0;
}

int options_check_with_replay(const struct options *o)
{
	char ok[256] = "";

	for (int i = 0, n = 0; i < NR_OPTIONS; i++)
		if ((option_table[i].flags & OPTF_WITH_REPLAY) && i != OPT_REPLAY) {
			size_t used = strlen(ok);

			snprintf(ok + used, sizeof(ok) - used, "%s--%s", n++ ? ", " : "",
				 option_table[i].name);
		}
	for (int i = 0; i < NR_OPTIONS; i++)
		if (o->given[i] && !(option_table[i].flags & OPTF_WITH_REPLAY)) {
			complain("--%s cannot be given with --replay: %s (with it: %s)",
				 option_table[i].name,
				 option_table[i].flags & OPTF_CARRIED
					 ? "the replay takes it from the report"
					 : "a replay runs the one execution the report describes",
				 ok);
			return -1;
		}
	return 0;
}
