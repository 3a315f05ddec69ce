// SPDX-License-Identifier: GPL-2.0
#include "numbers.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Digits in base 10 or 16 up to the end of s, or -1: hand-written rather
 * than strtoull(), which skips blanks, takes a sign and reads a leading 0
 * as octal. */
static int digits(const char *s, unsigned base, uint64_t *out)
{
	uint64_t v = 0;

	if (!*s)
		return -1;
	for (; *s; s++) {
		int d = hex_digit(*s);

		if (d < 0 || (unsigned)d >= base || v > (UINT64_MAX - (unsigned)d) / base)
			return -1;
		v = v * base + (unsigned)d;
	}
	*out = v;
	return 0;
}

int parse_whole(const char *s, uint64_t *out)
{
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		return digits(s + 2, 16, out);
	return digits(s, 10, out);
}

/* [digits][.digits][e[+-]digits], with a digit somewhere before any e. */
static size_t real_syntax(const char *s)
{
	size_t i = 0, mantissa = 0;

	while (s[i] >= '0' && s[i] <= '9')
		i++, mantissa++;
	if (s[i] == '.')
		for (i++; s[i] >= '0' && s[i] <= '9'; i++)
			mantissa++;
	if (!mantissa)
		return 0;
	if (s[i] == 'e' || s[i] == 'E') {
		size_t exp = 0;

		i++;
		if (s[i] == '+' || s[i] == '-')
			i++;
		for (; s[i] >= '0' && s[i] <= '9'; i++)
			exp++;
		if (!exp)
			return 0;
	}
	return i;
}

/* A real at the start of s; *end: where it stops. */
static int parse_real_prefix(const char *s, double *out, const char **end)
{
	size_t n = real_syntax(s);
	char buf[64];
	double v;

	if (!n || n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	errno = 0;
	v = strtod(buf, NULL);
	/* ERANGE on underflow still gives a usable tiny value; on overflow
	 * HUGE_VAL, which isfinite() refuses. */
	if (!isfinite(v))
		return -1;
	*out = v;
	*end = s + n;
	return 0;
}

int parse_real(const char *s, double *out)
{
	const char *end;
	double v;

	if (parse_real_prefix(s, &v, &end) || *end)
		return -1;
	*out = v;
	return 0;
}

int parse_duration(const char *s, uint64_t *ns)
{
	static const struct {
		const char *unit;
		double scale;
	} units[] = { { "ms", 1e6 }, { "s", 1e9 }, { "", 1e9 }, { "m", 60e9 }, { "h", 3600e9 } };
	const char *end;
	double v;

	if (parse_real_prefix(s, &v, &end))
		return -1;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		double t = v * units[i].scale;

		if (strcmp(end, units[i].unit) != 0)
			continue;
		if (t < (double)NS_PER_MS || t > (double)MAX_DURATION_NS)
			return -1;
		/* Nearest, so format_duration()'s output reads back exactly. */
		*ns = (uint64_t)(t + 0.5);
		return 0;
	}
	return -1;
}

static const struct {
	char suffix;
	unsigned shift;
} byte_units[] = { { 'T', 40 }, { 'G', 30 }, { 'M', 20 }, { 'K', 10 } };

int parse_bytes(const char *s, uint64_t *out)
{
	size_t n = strlen(s);
	char num[32];
	uint64_t v;

	if (!n || n >= sizeof(num))
		return -1;
	memcpy(num, s, n + 1);
	for (size_t i = 0; i < sizeof(byte_units) / sizeof(byte_units[0]); i++) {
		if (num[n - 1] != byte_units[i].suffix)
			continue;
		num[n - 1] = '\0';
		if (parse_whole(num, &v) || v > (UINT64_MAX >> byte_units[i].shift))
			return -1;
		*out = v << byte_units[i].shift;
		return 0;
	}
	if (parse_whole(num, &v))
		return -1;
	*out = v;
	return 0;
}

void format_real(char *buf, size_t len, double v)
{
	for (int digits = 1; digits <= 17; digits++) {
		double back;

		snprintf(buf, len, "%.*g", digits, v);
		if (!parse_real(buf, &back) && back == v)
			return;
	}
	snprintf(buf, len, "%.17g", v);
}

void format_duration(char *buf, size_t len, uint64_t ns)
{
	if (ns % NS_PER_S == 0)
		snprintf(buf, len, "%llus", (unsigned long long)(ns / NS_PER_S));
	else if (ns % NS_PER_MS == 0)
		snprintf(buf, len, "%llums", (unsigned long long)(ns / NS_PER_MS));
	else
		/* Exact in seconds: a duration parsed from "1.0000005s". */
		snprintf(buf, len, "%llu.%09llus", (unsigned long long)(ns / NS_PER_S),
			 (unsigned long long)(ns % NS_PER_S));
}

void format_bytes(char *buf, size_t len, uint64_t bytes)
{
	for (size_t i = 0; i < sizeof(byte_units) / sizeof(byte_units[0]); i++) {
		uint64_t unit = 1ULL << byte_units[i].shift;

		if (bytes && bytes % unit == 0) {
			snprintf(buf, len, "%llu%c", (unsigned long long)(bytes / unit),
				 byte_units[i].suffix);
			return;
		}
	}
	snprintf(buf, len, "%llu", (unsigned long long)bytes);
}
