/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Stopping a run from outside: SIGINT, SIGTERM and SIGHUP. The first asks
 * every mode to stop at its next schedule point (free-mode workers see the
 * stop flag; a controlled execution is abandoned where it stands; a search
 * or a minimization keeps what it has); the run then reports what it found.
 * A second signal ends the process at once, by that signal, unless it comes
 * within 100 ms of the first: that is the same request delivered twice
 * (timeout(1) signals the process, then its process group).
 */
#ifndef LOSTFLUSH_INTERRUPT_H
#define LOSTFLUSH_INTERRUPT_H

#include <signal.h>
#include <stdbool.h>

extern volatile sig_atomic_t interrupt_signo;

void interrupt_install(void);

/* A signal asked the run to stop. Cheap enough for every schedule point. */
static inline bool interrupt_requested(void)
{
	return interrupt_signo != 0;
}

/* The signal that did (0: none). */
static inline int interrupt_signal(void)
{
	return interrupt_signo;
}

#endif
