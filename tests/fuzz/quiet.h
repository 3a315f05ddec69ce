/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Included once by each fuzz target: the entry points libFuzzer calls, and
 * an initializer that sends the command line's messages to /dev/null (a
 * refused input is the common case, and printing each costs more than
 * reading it).
 */
#ifndef LOSTFLUSH_FUZZ_QUIET_H
#define LOSTFLUSH_FUZZ_QUIET_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../../cli/complain.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	complain_stream = fopen("/dev/null", "w");
	return 0;
}

#endif
