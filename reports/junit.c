// SPDX-License-Identifier: GPL-2.0
/*
 * JUnit XML, as CI systems ingest it (Jenkins' and GitLab's schema): one
 * <testsuite> per invocation, one <testcase> per run. A run not as
 * expected is a <failure> whose message is its verdict and whose text
 * holds the violation and the rerun line; a run not judged is <skipped>
 * with its reason.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ci_case.h"
#include "report.h"

/* The length of the well-formed UTF-8 sequence at s, or 0. */
static int utf8_length(const unsigned char *s)
{
	int n = s[0] < 0x80		? 1
		: (s[0] & 0xe0) == 0xc0 ? 2
		: (s[0] & 0xf0) == 0xe0 ? 3
		: (s[0] & 0xf8) == 0xf0 ? 4
					: 0;

	if (n == 2 && s[0] < 0xc2)
		return 0; /* overlong */
	for (int i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

/* Text (attr false) and attribute values, escaped. What XML 1.0 cannot
 * hold (control characters but tab and newline, bytes that are not UTF-8)
 * becomes '?'; in an attribute a newline or tab is a character reference,
 * which a parser keeps (a raw one it turns into a space). */
static void put_xml(FILE *out, const char *text, bool attr)
{
	const unsigned char *s = (const unsigned char *)text;

	while (s && *s) {
		int n = utf8_length(s);

		if (*s == '&')
			fputs("&amp;", out);
		else if (*s == '<')
			fputs("&lt;", out);
		else if (*s == '>')
			fputs("&gt;", out);
		else if (*s == '"')
			fputs("&quot;", out);
		else if (attr && (*s == '\n' || *s == '\t'))
			fprintf(out, "&#%d;", *s);
		else if (!n || (*s < 0x20 && *s != '\n' && *s != '\t'))
			fputc('?', out);
		else
			fwrite(s, 1, (size_t)n, out);
		s += n ? n : 1;
	}
}

static void put_escaped(FILE *out, const char *s)
{
	put_xml(out, s, false);
}

static void put_attr(FILE *out, const char *s)
{
	put_xml(out, s, true);
}

static void put_testcase(FILE *out, const struct run_result *r)
{
	char name[512], summary[512];
	char *finding = ci_case_finding(r);

	ci_case_name(r, name, sizeof(name));
	ci_case_summary(r, summary, sizeof(summary));
	fputs("  <testcase classname=\"lostflush.", out);
	put_attr(out, r->scenario);
	fputs("\" name=\"", out);
	put_attr(out, name);
	fprintf(out, "\" time=\"%.3f\">\n", (double)r->elapsed_ns / 1e9);
	if (r->verdict == VERDICT_UNJUDGED) {
		fputs("    <skipped message=\"", out);
		put_attr(out, summary);
		fputs("\"/>\n", out);
	} else if (r->verdict == VERDICT_NOT_AS_EXPECTED) {
		fputs("    <failure message=\"", out);
		put_attr(out, summary);
		fputs("\" type=\"", out);
		put_attr(out, r->nr_kept ? violation_name(r->kept[0].kind) : "missed");
		fputs("\">", out);
		put_escaped(out, finding);
		fputs("rerun: ", out);
		put_escaped(out, r->rerun);
		fputs("</failure>\n", out);
	}
	if (finding && r->verdict != VERDICT_NOT_AS_EXPECTED) {
		fputs("    <system-out>", out);
		put_escaped(out, finding);
		fputs("rerun: ", out);
		put_escaped(out, r->rerun);
		fputs("</system-out>\n", out);
	}
	fputs("  </testcase>\n", out);
	free(finding);
}

static int count(const struct ci_doc *d, enum verdict v)
{
	int n = 0;

	for (int i = 0; i < d->n; i++)
		n += d->results[i].verdict == v;
	return n;
}

static int write_doc(FILE *out, void *arg)
{
	const struct ci_doc *d = arg;
	char host[256] = "localhost", stamp[32];
	double secs = 0;
	time_t now = time(NULL);

	gethostname(host, sizeof(host) - 1);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", gmtime(&now));
	for (int i = 0; i < d->n; i++)
		secs += (double)d->results[i].elapsed_ns / 1e9;
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n", out);
	fprintf(out,
		" <testsuite name=\"lostflush\" tests=\"%d\" failures=\"%d\" errors=\"0\" "
		"skipped=\"%d\" time=\"%.3f\" timestamp=\"%s\" hostname=\"",
		d->n, count(d, VERDICT_NOT_AS_EXPECTED), count(d, VERDICT_UNJUDGED), secs, stamp);
	put_attr(out, host);
	fputs("\">\n", out);
	for (int i = 0; i < d->n; i++)
		put_testcase(out, &d->results[i]);
	fputs(" </testsuite>\n</testsuites>\n", out);
	return ferror(out) ? -1 : 0;
}

int report_junit_write(const char *path, const struct run_result *results, int n)
{
	return ci_doc_write(path, "JUnit", write_doc, results, n);
}
