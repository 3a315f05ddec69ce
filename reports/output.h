/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where a report goes. The path is checked before a run starts, so a run
 * never ends with nowhere to put what it found; the report is written to a
 * new file beside its target and renamed over it, and only over a regular
 * file or nothing: a device, a FIFO or a directory at the path is refused,
 * never replaced. A symlink to a regular file is followed, and the file it
 * names is replaced.
 */
#ifndef LOSTFLUSH_REPORT_OUTPUT_H
#define LOSTFLUSH_REPORT_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* 0 if a report can be written at path; else -1 and *why says why (an
 * empty path, a directory, a missing or unwritable directory, a target that
 * is not a regular file). */
int report_output_check(const char *path, char *why, size_t why_len);

/* Write through write(out, arg) to a temporary file beside path, then
 * rename it over path. -1 with *why on failure; if the data was written
 * but cannot be put in place, the temporary file stays and *why names it,
 * so what was found is not lost. */
/* A JSON document to path as report_output_write() puts it, indented and
 * with sorted keys, then root dropped; on failure stderr says why. A NULL
 * root (it could not be built) is a failure too. 0 or -1. */
struct json_t;
int report_output_json(const char *path, struct json_t *root);

int report_output_write(const char *path, int (*write)(FILE *out, void *arg), void *arg, char *why,
			size_t why_len);

/* Whether paths a and b name the same file: by device and inode when both
 * exist, else by their paths with the directory resolved. */
bool report_output_same_file(const char *a, const char *b);

#endif
