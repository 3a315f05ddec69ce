// SPDX-License-Identifier: GPL-2.0
/* Options printed: as a command line, as report pairs, as --help and
 * --list-options, each from option_table. */
#include "options.h"

#include <stdlib.h>
#include <string.h>

#include "../engine/run.h"
#include "complain.h"
#include "numbers.h"

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
		option_choice_list(d, buf, len, "|", "|");
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
			option_choice_list(d, what, sizeof(what), "|", "|");
		else if (d->kind == OK_SPEC)
			spec_list(d->spec, what, sizeof(what));
		flag_list(d->flags, flags, sizeof(flags));
		fprintf(out, "--%s\t%s\t%s\t%s\n", d->name, kind_name(d->kind), what, flags);
	}
}
