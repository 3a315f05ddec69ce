// SPDX-License-Identifier: GPL-2.0
#include "interrupt.h"

#include <string.h>

#include "thread.h"

volatile sig_atomic_t interrupt_signo;

static void on_signal(int sig)
{
	if (interrupt_signo) {
		/* A second signal: the user wants out now. */
		signal(sig, SIG_DFL);
		raise(sig);
		return;
	}
	interrupt_signo = sig;
	torture_stop();
}

void interrupt_install(void)
{
	static const int signals[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(signals) / sizeof(signals[0]); i++)
		sigaction(signals[i], &sa, NULL);
}
