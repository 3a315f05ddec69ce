// SPDX-License-Identifier: GPL-2.0
#include "check.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void harness_fail(const char *file, int line, const char *expr, const char *fmt, ...)
{
	int saved_errno = errno;
	va_list ap;

	fprintf(stderr, "==== lostflush harness failure ====\n  %s:%d: %s\n  ", file, line, expr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr,
		"\n  errno=%d (%s)\n"
		"This is a bug in lostflush itself, not a race in the model.\n",
		saved_errno, strerror(saved_errno));
	fflush(stderr);
	_Exit(EXIT_HARNESS);
}

static void (*lack_hook)(void);

void harness_on_lack(void (*last_words)(void))
{
	lack_hook = last_words;
}

void harness_lacks(const char *resource, const char *fmt, ...)
{
	void (*hook)(void) = lack_hook;
	va_list ap;

	fprintf(stderr, "stress: not enough %s: ", resource);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n  The machine lacks what this run asks for: not a race, not a bug "
			"in lostflush.\n");
	fflush(stderr);
	/* Once: the hook may itself run short. */
	lack_hook = NULL;
	if (hook)
		hook();
	_Exit(EXIT_SKIPPED);
}
