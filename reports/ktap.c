// SPDX-License-Identifier: GPL-2.0
/*
 * KTAP, the kernel's own test output (Documentation/dev-tools/ktap.rst),
 * so that kselftest-style runners and the kernel's CI systems parse a
 * lostflush run as they parse a kselftest: a version line, a plan, one
 * "ok N name" or "not ok N name" per run, "# SKIP reason" for a run not
 * judged, and diagnostics (the violation, the rerun line) as "# " lines
 * before the result line they explain.
 */
#include <stdlib.h>
#include <string.h>

#include "ci_case.h"
#include "report.h"

/* Each line of text as a diagnostic. */
static void put_diagnostic(FILE *out, const char *text)
{
	while (text && *text) {
		const char *nl = strchr(text, '\n');
		int len = nl ? (int)(nl - text) : (int)strlen(text);

		fprintf(out, "# %.*s\n", len, text);
		text += len + (nl != NULL);
	}
}

/* A name holds no '#' (it would start a directive) and no newline. */
static void clean_name(char *name)
{
	for (char *c = name; *c; c++)
		if (*c == '#' || *c == '\n')
			*c = '_';
}

static void put_result(FILE *out, const struct run_result *r, int number)
{
	char name[512], summary[512];
	char *finding = ci_case_finding(r);

	ci_case_name(r, name, sizeof(name));
	clean_name(name);
	ci_case_summary(r, summary, sizeof(summary));
	put_diagnostic(out, summary);
	put_diagnostic(out, finding);
	if (finding || r->verdict == VERDICT_NOT_AS_EXPECTED)
		fprintf(out, "# rerun: %s\n", r->rerun ? r->rerun : "");
	if (r->verdict == VERDICT_UNJUDGED) {
		const char *why = r->not_judged_reason ? r->not_judged_reason : "not judged";
		char *reason = strdup(why);

		if (reason)
			clean_name(reason);
		fprintf(out, "ok %d %s # SKIP %s\n", number, name, reason ? reason : "not judged");
		free(reason);
	} else {
		fprintf(out, "%s %d %s\n", r->verdict == VERDICT_AS_EXPECTED ? "ok" : "not ok",
			number, name);
	}
	free(finding);
}

static int write_doc(FILE *out, void *arg)
{
	const struct ci_doc *d = arg;

	fprintf(out, "KTAP version 1\n1..%d\n# lostflush %s\n", d->n, LOSTFLUSH_VERSION);
	for (int i = 0; i < d->n; i++)
		put_result(out, &d->results[i], i + 1);
	return ferror(out) ? -1 : 0;
}

int report_ktap_write(const char *path, const struct run_result *results, int n)
{
	return ci_doc_write(path, "KTAP", write_doc, results, n);
}
