// SPDX-License-Identifier: GPL-2.0
/* Parsing, checking and printing options by their row in option_table. */
#include "options.h"

#include <getopt.h>
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

static void choice_list(const struct option_def *d, char *buf, size_t len, const char *sep,
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

static void allowed(const struct option_def *d, char *buf, size_t len)
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

		choice_list(d, names, sizeof(names), ", ", " or ");
		snprintf(buf, len, "use %s", names);
		return;
	}
	case OK_SCHED:
		snprintf(buf, len,
			 "use free, random, pct, pct:D (D from 1 to %d), pct:D:K (K from "
			 "1 to %d) or cover",
			 CTL_MAX_DEPTH, CTL_MAX_STEPS);
		return;
	default: snprintf(buf, len, "see --help"); return;
	}
}

static int refuse(const struct option_def *d, const char *value, const char *label)
{
	char why[160];

	allowed(d, why, sizeof(why));
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

static int set_sched(struct options *o, const char *arg)
{
	static const struct {
		const char *name;
		int mode;
	} plain[] = { { "free", SCHED_FREE },
		      { "random", SCHED_RANDOM },
		      { "cover", SCHED_COVER } };
	int depth;
	uint64_t steps;

	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++)
		if (!strcmp(arg, plain[i].name)) {
			o->sched = plain[i].mode;
			return 0;
		}
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
		[SCHED_FREE] = "free",
		[SCHED_RANDOM] = "random",
		[SCHED_COVER] = "cover",
	};

	if (o->sched != SCHED_PCT)
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

/* ---- the command line ----------------------------------------------------- */

static struct option long_options[NR_OPTIONS + 1];
static char short_options[2 * NR_OPTIONS + 2];

static void build_getopt_tables(void)
{
	size_t s = 0;

	if (long_options[0].name)
		return;
	/* ':' first: a missing value comes back as ':', not '?'. */
	short_options[s++] = ':';
	for (int i = 0; i < NR_OPTIONS; i++) {
		const struct option_def *d = &option_table[i];

		long_options[i] = (struct option){
			d->name, d->kind == OK_FLAG ? no_argument : required_argument, NULL, 256 + i
		};
		if (d->short_name) {
			short_options[s++] = d->short_name;
			if (d->kind != OK_FLAG)
				short_options[s++] = ':';
		}
	}
}

static int id_of_short(int c)
{
	for (int i = 0; i < NR_OPTIONS; i++)
		if (option_table[i].short_name && option_table[i].short_name == c)
			return i;
	return -1;
}

/* "--exec" matches --executions and --execution: say so, not "unknown". */
static void complain_unknown(const char *arg)
{
	const char *eq = strchr(arg, '=');
	size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
	char matches[256] = "";
	int n = 0;

	if (!strncmp(arg, "--", 2) && len > 2)
		for (int i = 0; i < NR_OPTIONS; i++)
			if (!strncmp(option_table[i].name, arg + 2, len - 2)) {
				size_t used = strlen(matches);

				snprintf(matches + used, sizeof(matches) - used, "%s--%s",
					 n++ ? ", " : "", option_table[i].name);
			}
	if (n > 1)
		complain("option '%.*s' is ambiguous: it could be %s", (int)len, arg, matches);
	else
		complain("unknown option '%.*s'; see --help", (int)len, arg);
}

static void complain_getopt(int c, int argc, char **argv)
{
	const char *arg = optind >= 1 && optind - 1 < argc ? argv[optind - 1] : "?";

	if (c == ':') {
		int id = optopt >= 256 ? optopt - 256 : id_of_short(optopt);

		complain("option '--%s' needs a value; see --help",
			 id >= 0 ? option_table[id].name : "?");
	} else if (optopt >= 256) {
		/* A long option that takes no value, given one. */
		complain("option '--%s' takes no value (given '%s')",
			 option_table[optopt - 256].name, arg);
	} else if (optopt) {
		complain("unknown option '-%c'; see --help", optopt);
	} else {
		complain_unknown(arg);
	}
}

int options_parse(struct options *o, int argc, char **argv)
{
	int c;

	build_getopt_tables();
	opterr = 0;
	/* 0, not 1: glibc only forgets its place inside a cluster of short
	 * options (-zq) when optind is 0. */
	optind = 0;
	while ((c = getopt_long(argc, argv, short_options, long_options, NULL)) != -1) {
		int id = c >= 256 ? c - 256 : id_of_short(c);
		char label[40];

		if (c == '?' || c == ':' || id < 0) {
			complain_getopt(c, argc, argv);
			return -1;
		}
		snprintf(label, sizeof(label), "--%s", option_table[id].name);
		if (option_set(o, (enum option_id)id,
			       option_table[id].kind == OK_FLAG ? NULL : optarg, label))
			return -1;
	}
	if (optind < argc) {
		complain("unexpected argument '%s'; see --help", argv[optind]);
		return -1;
	}
	return 0;
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

/* ---- printing the options -------------------------------------------------- */

struct text {
	char *s;
	size_t len, cap;
};

static int text_add(struct text *t, const char *s, size_t n)
{
	if (t->len + n + 1 > t->cap) {
		size_t cap = (t->len + n + 1) * 2;
		char *g = realloc(t->s, cap);

		if (!g)
			return -1;
		t->s = g;
		t->cap = cap;
	}
	memcpy(t->s + t->len, s, n);
	t->len += n;
	t->s[t->len] = '\0';
	return 0;
}

/* Single-quoted for a POSIX shell unless every character is plain. */
static int text_add_word(struct text *t, const char *w)
{
	int err = text_add(t, " ", 1);

	if (*w && strspn(w, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "0123456789_-+=.,:/@%") == strlen(w))
		return err | text_add(t, w, strlen(w));
	err |= text_add(t, "'", 1);
	for (const char *p = w; *p; p++)
		err |= *p == '\'' ? text_add(t, "'\\''", 4) : text_add(t, p, 1);
	return err | text_add(t, "'", 1);
}

char *options_command_line(const struct options *o, unsigned mask)
{
	struct text t = { 0 };
	char value[SPEC_MAX_LEN + 64];
	int err = text_add(&t, "", 0);

	if (!err)
		t.len = 0;
	err |= text_add(&t, o->argv0, strlen(o->argv0));
	for (int i = 0; i < NR_OPTIONS && !err; i++) {
		char name[40];

		if (!o->given[i] || !(option_table[i].flags & mask))
			continue;
		snprintf(name, sizeof(name), "--%s", option_table[i].name);
		err |= text_add_word(&t, name);
		if (option_table[i].kind != OK_FLAG &&
		    option_format(o, (enum option_id)i, value, sizeof(value)))
			err |= text_add_word(&t, value);
	}
	if (err) {
		free(t.s);
		return NULL;
	}
	return t.s;
}

struct report_kv *options_report_kv(const struct options *o, unsigned mask, int *nr)
{
	struct report_kv *kv = calloc(NR_OPTIONS, sizeof(*kv));
	char value[SPEC_MAX_LEN + 64];

	*nr = 0;
	if (!kv)
		return NULL;
	for (int i = 0; i < NR_OPTIONS; i++) {
		const struct option_def *d = &option_table[i];
		struct report_kv *k = &kv[*nr];

		if (!o->given[i] || !(d->flags & mask))
			continue;
		option_format(o, (enum option_id)i, value, sizeof(value));
		snprintf(k->key, sizeof(k->key), "%s", d->name);
		for (char *p = k->key; *p; p++)
			if (*p == '-')
				*p = '_';
		k->type = d->kind == OK_FLAG				  ? KV_TRUE
			  : d->kind == OK_WHOLE && !(d->flags & OPTF_HEX) ? KV_NUMBER
									  : KV_STRING;
		k->value = strdup(value);
		if (!k->value) {
			report_kv_free(kv, *nr);
			return NULL;
		}
		++*nr;
	}
	return kv;
}

/* ---- help ------------------------------------------------------------------- */

#define HELP_COLUMN 26
#define HELP_WIDTH 79

static void metavar_of(const struct option_def *d, char *buf, size_t len)
{
	if (d->kind == OK_CHOICE)
		choice_list(d, buf, len, "|", "|");
	else
		snprintf(buf, len, "%s", d->metavar ? d->metavar : "");
}

/* Words of text from column `col`, wrapped at HELP_WIDTH to HELP_COLUMN. */
static void print_wrapped(FILE *out, int col, const char *text)
{
	while (*text) {
		size_t word = strcspn(text, " ");

		if (col > HELP_COLUMN && col + 1 + (int)word > HELP_WIDTH) {
			fprintf(out, "\n%*s", HELP_COLUMN, "");
			col = HELP_COLUMN;
		} else if (col > HELP_COLUMN) {
			fputc(' ', out);
			col++;
		} else {
			col += fprintf(out, "%*s", HELP_COLUMN - col, "");
		}
		col += fprintf(out, "%.*s", (int)word, text);
		text += word;
		text += strspn(text, " ");
	}
	fputc('\n', out);
}

/* "; from 1 to 64" after a number's help; nothing where the help says it. */
static void help_range(const struct option_def *d, char *buf, size_t len)
{
	char lo[24], hi[24];

	buf[0] = '\0';
	if (d->kind == OK_BYTES) {
		format_bytes(lo, sizeof(lo), d->lo);
		format_bytes(hi, sizeof(hi), d->hi);
		snprintf(buf, len, "; from %s to %s", lo, hi);
	} else if (d->kind == OK_WHOLE && d->hi < UINT64_MAX / 4) {
		snprintf(buf, len, "; from %llu to %llu%s", (unsigned long long)d->lo,
			 (unsigned long long)d->hi, d->flags & OPTF_POW2 ? ", a power of two" : "");
	}
}

static void usage_row(FILE *out, const struct option_def *d)
{
	char meta[80], range[80], help[1200];
	int col;

	metavar_of(d, meta, sizeof(meta));
	col = d->short_name ? fprintf(out, "  -%c, --%s", d->short_name, d->name)
			    : fprintf(out, "  --%s", d->name);
	if (*meta)
		col += fprintf(out, " %s", meta);
	/* A long name and its values get a line of their own. */
	if (col >= HELP_COLUMN - 1) {
		fputc('\n', out);
		col = 0;
	}
	help_range(d, range, sizeof(range));
	snprintf(help, sizeof(help), "%s%s", d->help, range);
	print_wrapped(out, col, help);
}

void options_usage(FILE *out, const char *argv0)
{
	fprintf(out,
		"usage: %s --scenario NAME [options]\n"
		"       %s --replay REPORT.json [--variant V] [options]\n"
		"       %s --list\n"
		"\n"
		"Hunt lost TLB flushes in a model of KVM's MMU: vCPU threads with their own\n"
		"TLBs, MMU-notifier invalidators and flushers race on one shared model; an\n"
		"oracle reports any use of a translation it should no longer have.\n"
		"\n",
		argv0, argv0, argv0);
	for (int i = 0; i < NR_OPTIONS; i++)
		usage_row(out, &option_table[i]);
	fprintf(out,
		"\n"
		"Numbers are decimal or 0x-hex. Ctrl-C, SIGTERM or SIGHUP stops any run at its\n"
		"next schedule point and writes the report; a second signal exits at once.\n"
		"Exit: 0 the outcome was as expected, 1 it was not, 2 bad usage, 3 skipped or\n"
		"the machine lacks what the run asks for, 4 the harness itself failed,\n"
		"128+N stopped by signal N before an outcome was decided.\n");
}

static const char *kind_name(enum option_kind k)
{
	static const char *const names[] = {
		[OK_FLAG] = "flag",   [OK_WHOLE] = "whole",   [OK_DURATION] = "duration",
		[OK_BYTES] = "bytes", [OK_CHOICE] = "choice", [OK_TEXT] = "text",
		[OK_SPEC] = "spec",   [OK_SCHED] = "sched",
	};

	return names[k];
}

/* A spec's keys with what each takes: "spin=0..1,spin-max=0..1000000". */
static void spec_list(const struct spec_def *s, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int i = 0; i < s->nr_keys && used < len; i++) {
		const struct spec_key *k = &s->keys[i];

		if (k->kind == SPEC_PROBABILITY)
			used += (size_t)snprintf(buf + used, len - used, "%s%s=0..1", i ? "," : "",
						 k->key);
		else
			used += (size_t)snprintf(buf + used, len - used, "%s%s=%u..%u",
						 i ? "," : "", k->key, k->lo, k->hi);
	}
}

static void flag_list(unsigned flags, char *buf, size_t len)
{
	static const struct {
		unsigned flag;
		const char *name;
	} names[] = { { OPTF_SHAPES_RUN, "shapes-run" },
		      { OPTF_CARRIED, "carried" },
		      { OPTF_WITH_REPLAY, "with-replay" },
		      { OPTF_CONTROLLED, "controlled" } };
	size_t used = 0;

	snprintf(buf, len, "-");
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (flags & names[i].flag)
			used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? "," : "",
						 names[i].name);
}

void options_list(FILE *out)
{
	for (int i = 0; i < NR_OPTIONS; i++) {
		const struct option_def *d = &option_table[i];
		char what[1024] = "-", flags[80];

		if (d->kind == OK_WHOLE || d->kind == OK_BYTES)
			snprintf(what, sizeof(what), "%llu..%llu%s", (unsigned long long)d->lo,
				 (unsigned long long)d->hi, d->flags & OPTF_POW2 ? ",pow2" : "");
		else if (d->kind == OK_CHOICE)
			choice_list(d, what, sizeof(what), "|", "|");
		else if (d->kind == OK_SPEC)
			spec_list(d->spec, what, sizeof(what));
		flag_list(d->flags, flags, sizeof(flags));
		fprintf(out, "--%s\t%s\t%s\t%s\n", d->name, kind_name(d->kind), what, flags);
	}
}
