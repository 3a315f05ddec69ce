// SPDX-License-Identifier: GPL-2.0
#include "complain.h"

#include <stdarg.h>

FILE *complain_stream;

void complain(const char *fmt, ...)
{
	FILE *out = complain_stream ? complain_stream : stderr;
	va_list ap;

	fputs("stress: ", out);
	va_start(ap, fmt);
	vfprintf(out, fmt, ap);
	va_end(ap);
	fputc('\n', out);
}
