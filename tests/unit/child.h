/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Run a function in a forked child with its stderr captured: for tests of
 * paths that end the process (a harness failure, a reported deadlock).
 */
#ifndef LOSTFLUSH_TEST_CHILD_H
#define LOSTFLUSH_TEST_CHILD_H

#include <stddef.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* Returns the child's exit status, or -1 if it did not exit normally;
 * err holds what it wrote to stderr, NUL-terminated. */
static int run_child(void (*fn)(void), char *err, size_t len)
{
	int pipefd[2], status;
	size_t got = 0;
	ssize_t n;
	pid_t pid;

	if (pipe(pipefd))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		dup2(pipefd[1], STDERR_FILENO);
		close(pipefd[0]);
		fn();
		_exit(0);
	}
	close(pipefd[1]);
	/* stderr is unbuffered: the message arrives in several writes. */
	while (got < len - 1 && (n = read(pipefd[0], err + got, len - 1 - got)) > 0)
		got += (size_t)n;
	err[got] = '\0';
	close(pipefd[0]);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

#endif
