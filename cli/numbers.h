/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Numbers as a user or a file writes them, read one strict way: a whole
 * number is decimal digits or 0x and hex digits, nothing else (no sign, no
 * blanks, no octal, no overflow); a real is a plain decimal, finite. What
 * is refused leaves the destination alone. Formatting prints what parsing
 * reads back to the same value.
 */
#ifndef LOSTFLUSH_NUMBERS_H
#define LOSTFLUSH_NUMBERS_H

#include <stddef.h>
#include <stdint.h>

#define NS_PER_MS 1000000ULL
#define NS_PER_S 1000000000ULL
#define MAX_DURATION_NS (24ULL * 3600 * NS_PER_S)

/* "42", "0x2a" -> 42; -1 if anything else. */
int parse_whole(const char *s, uint64_t *out);
/* "0.5", ".5", "1e-3" -> a finite double; -1 if anything else. */
int parse_real(const char *s, double *out);
/* A real and a unit: "500ms", "10s", "2m", "1h" (a bare number is
 * seconds), from 1ms to 24h; -1 otherwise. */
int parse_duration(const char *s, uint64_t *ns);
/* A whole number of bytes with an optional binary suffix: "4096", "64K",
 * "512M", "4G", "1T"; -1 if malformed or past 2^64. */
int parse_bytes(const char *s, uint64_t *out);

/* The shortest decimal that parse_real() reads back to v. */
void format_real(char *buf, size_t len, double v);
/* "10s" or "1500ms": what parse_duration() reads back to ns. */
void format_duration(char *buf, size_t len, uint64_t ns);
/* "512M", "4G" where exact, else the byte count. */
void format_bytes(char *buf, size_t len, uint64_t bytes);

#endif
