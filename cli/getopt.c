// SPDX-License-Identifier: GPL-2.0
/* The command line through getopt_long(), its table made from option_table. */
#include "options.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "../engine/run.h"
#include "complain.h"
#include "numbers.h"

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
