// SPDX-License-Identifier: GPL-2.0
#include "stdout_check.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../engine/check.h"
#include "complain.h"

/* The first failed write's or the close's errno; 0: none yet. */
static int stdout_errno;

static ssize_t write_stdout(void *cookie, const char *buf, size_t len)
{
	size_t done = 0;

	(void)cookie;
	while (done < len) {
		ssize_t n = write(STDOUT_FILENO, buf + done, len - done);

		/* A signal's handler ran (they are installed without
		 * SA_RESTART): the write is still owed. */
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			if (!stdout_errno)
				stdout_errno = errno;
			return done ? (ssize_t)done : -1;
		}
		done += (size_t)n;
	}
	return (ssize_t)done;
}

static int close_stdout_fd(void *cookie)
{
	(void)cookie;
	if (close(STDOUT_FILENO) && !stdout_errno && errno != EBADF) {
		stdout_errno = errno;
		return -1;
	}
	return 0;
}

void stdout_check_start(void)
{
	static const cookie_io_functions_t io = { .write = write_stdout, .close = close_stdout_fd };
	FILE *f = fopencookie(NULL, "w", io);

	if (f)
		stdout = f;
	setvbuf(stdout, NULL, _IOLBF, 0);
}

int stdout_check_end(int exit_code)
{
	bool failed = ferror(stdout);
	int close_errno;

	errno = 0;
	failed |= fclose(stdout) != 0;
	close_errno = errno;
	if (!failed && !stdout_errno)
		return exit_code;
	if (!stdout_errno)
		stdout_errno = close_errno;
	if (stdout_errno)
		complain("write error on standard output: %s", strerror(stdout_errno));
	else
		complain("write error on standard output");
	return exit_code == EXIT_AS_EXPECTED ? EXIT_SKIPPED : exit_code;
}
