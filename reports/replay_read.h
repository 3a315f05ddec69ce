/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading a report back for --replay: the first run that has a failing
 * controlled execution, its `replay` object as option pairs (the command
 * line applies them by the same rules as its own), and its schedule if it
 * carries one. A file is held to bounds before anything is built from it:
 * its size, and the decisions its schedule asks for once unfolded.
 */
#ifndef LOSTFLUSH_REPLAY_READ_H
#define LOSTFLUSH_REPLAY_READ_H

#include <stddef.h>

#include "report.h"

#define REPLAY_MAX_KEYS 48

struct replay_file {
	struct report_kv kv[REPLAY_MAX_KEYS]; /* every key but "schedule" */
	int nr_kv;
	struct ctl_decision *schedule; /* malloc'd; NULL if none */
	size_t schedule_len;
};

enum replay_read_error {
	REPLAY_READ_OK = 0,
	REPLAY_READ_BAD = -1,	  /* unreadable or malformed: bad input */
	REPLAY_READ_TOO_BIG = -2, /* past max_bytes: more than the budget holds */
};

/* From a file, or from a buffer (what the fuzz target feeds). The file's
 * size and the decisions unfolded (3 bytes each) count against max_bytes.
 * On failure *why says what is wrong. */
int replay_file_read(const char *path, size_t max_bytes, struct replay_file *rf, char *why,
		     size_t why_len);
int replay_file_parse(const char *buf, size_t len, size_t max_bytes, struct replay_file *rf,
		      char *why, size_t why_len);
void replay_file_free(struct replay_file *rf);

#endif
