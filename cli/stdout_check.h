/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Standard output, checked at the end: what a run prints to a full disk
 * must not end with exit 0 as if it had been read. Writes go through a
 * stream that keeps the first failed write's errno (stdio's error flag does
 * not say which error it was, and the line-buffered stream has flushed by
 * the time it is closed), and at the end the stream is closed and a
 * failure is told on stderr.
 */
#ifndef LOSTFLUSH_CLI_STDOUT_CHECK_H
#define LOSTFLUSH_CLI_STDOUT_CHECK_H

/* Put stdout behind the checking stream, line-buffered. Before anything is
 * printed. If that cannot be done, stdout stays as it was, still checked
 * at the end, by its error flag. */
void stdout_check_start(void);

/* Close stdout and return the exit code: exit_code itself, or, if a write
 * or the close failed, EXIT_SKIPPED (3) in place of a success (0). A found
 * race (1), a signal (128+N), bad usage (2) and an internal error (4) say
 * more and keep their code; the message is printed either way. */
int stdout_check_end(int exit_code);

#endif
