// SPDX-License-Identifier: GPL-2.0
#include "interrupt.h"

#include <stdint.h>
#include <string.h>
#include <time.h>

#include "thread.h"

/* A second signal this soon after the first is the same request sent
 * twice: timeout(1) signals the process and then its process group, and
 * a terminal's Ctrl-C reaches every process of the group; only a signal
 * after this is the user asking again. */
#define SAME_REQUEST_NS (100ULL * 1000 * 1000)

volatile sig_atomic_t interrupt_signo;
/* When the first signal came (CLOCK_MONOTONIC, ns). Written before
 * interrupt_signo, and only by the handler, which every handled signal
 * blocks while it runs. */
static volatile uint64_t first_signal_ns;

/* clock_gettime() is async-signal-safe. */
static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void on_signal(int sig)
{
	uint64_t now = now_ns();

	if (interrupt_signo) {
		if (now - first_signal_ns < SAME_REQUEST_NS)
			return;
		/* A second request: the user wants out now. */
		signal(sig, SIG_DFL);
		raise(sig);
		return;
	}
	first_signal_ns = now;
	interrupt_signo = sig;
	torture_stop();
}

void interrupt_install(void)
{
	static const int signals[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	/* One handler at a time: a SIGTERM landing inside SIGINT's handler
	 * would see the first signal half recorded. */
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(signals) / sizeof(signals[0]); i++)
		sigaddset(&sa.sa_mask, signals[i]);
	for (size_t i = 0; i < sizeof(signals) / sizeof(signals[0]); i++)
		sigaction(signals[i], &sa, NULL);
}
