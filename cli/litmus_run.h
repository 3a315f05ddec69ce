/* SPDX-License-Identifier: GPL-2.0 */
/* ./stress --litmus FILE: a litmus test instead of a scenario. */
#ifndef LOSTFLUSH_LITMUS_RUN_H
#define LOSTFLUSH_LITMUS_RUN_H

#include <stdint.h>

#include "options.h"

/* Executions when --executions is not given: enough that the Sometimes
 * outcomes of the 2 to 4 thread tests in tests/litmus/ all show under
 * random scheduling (docs/running.md gives the counts each needed). */
#define LITMUS_DEFAULT_EXECUTIONS 20000

/* Check the options, parse the test, run it, print what it found and judge
 * it against the file's "Result:" line. The exit code: 0 as the file says
 * (or it says nothing), 1 not as it says, 2 bad options or a bad test
 * (before anything runs), 3 and 4 as for any run, 128+N after signal N. */
int litmus_run(struct options *o, uint64_t default_seed);

/* Whether option id may be given with --litmus. */
bool litmus_option_allowed(enum option_id id);

#endif
