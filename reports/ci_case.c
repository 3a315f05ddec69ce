// SPDX-License-Identifier: GPL-2.0
#include "ci_case.h"

#include "output.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The rerun line's words that name the run in every night's job: not
 * the scenario and variant (named first), the seed and execution, or the
 * budget (--duration, --executions), which a longer night changes. */
static bool names_the_case(const char *flag)
{
	static const char *const not_names[] = { "--scenario",	"--variant",  "--seed",
						 "--execution", "--duration", "--executions" };

	for (size_t i = 0; i < sizeof(not_names) / sizeof(not_names[0]); i++)
		if (!strcmp(flag, not_names[i]))
			return false;
	return true;
}

void ci_case_name(const struct run_result *r, char *buf, size_t len)
{
	char *copy = strdup(r->rerun ? r->rerun : ""), *save = NULL, *word;
	size_t at = (size_t)snprintf(buf, len, "%s/%s", r->scenario, r->variant);

	/* "./stress", then flags, each with at most one value. */
	word = copy ? strtok_r(copy, " ", &save) : NULL;
	while (word && (word = strtok_r(NULL, " ", &save))) {
		bool keep = names_the_case(word);
		char *value = NULL;

		if (!strncmp(word, "--", 2) && save && *save && strncmp(save, "--", 2))
			value = strtok_r(NULL, " ", &save);
		if (keep && at < len)
			at += (size_t)snprintf(buf + at, len - at, " %s%s%s", word,
					       value ? " " : "", value ? value : "");
	}
	free(copy);
}

char *ci_case_finding(const struct run_result *r)
{
	char *text = NULL;
	size_t size = 0;
	FILE *out;

	if (!r->nr_kept && r->expected != VERDICT_EXPECT_VIOLATION)
		return NULL;
	out = open_memstream(&text, &size);
	if (!out)
		return NULL;
	if (r->nr_kept)
		violation_print(out, &r->kept[0]);
	else
		fprintf(out, "no violation in %.3f s%s: the bug was expected to be caught\n",
			(double)r->elapsed_ns / 1e9, r->interrupted ? " (interrupted)" : "");
	fclose(out);
	return text;
}

void ci_case_summary(const struct run_result *r, char *buf, size_t len)
{
	const char *found = r->nr_kept ? violation_name(r->kept[0].kind) : outcome_name(r->outcome);

	if (r->verdict == VERDICT_UNJUDGED)
		snprintf(buf, len, "not judged: %s",
			 r->not_judged_reason
				 ? r->not_judged_reason
				 : (r->interrupted ? "interrupted" : "no expectation"));
	else
		snprintf(buf, len, "%s: %s (expected %s)",
			 r->verdict == VERDICT_AS_EXPECTED ? "as expected" : "not as expected",
			 found, expect_name(r->expected));
}

int ci_doc_write(const char *path, const char *what, int (*write)(FILE *out, void *doc),
		 const struct run_result *results, int n)
{
	struct ci_doc d = { results, n };
	char why[512];

	if (!report_output_write(path, write, &d, why, sizeof(why)))
		return 0;
	fprintf(stderr, "stress: the %s report '%s' was not written: %s\n", what, path, why);
	return -1;
}
