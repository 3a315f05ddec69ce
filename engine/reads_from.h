/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reads-from pairs: which code wrote the value a load read. RFF
 * (Wolff, Shi, Zhou, Yuan and Roychoudhury, "Greybox Fuzzing for
 * Concurrency Testing", ASPLOS 2024) steers its search by the pairs of
 * (load site, store site) an execution covers; the state search uses a
 * pair no execution has shown before as a new state to go on from
 * (engine/cover.c).
 *
 * A site is the schedule point the step started from (engine/ctl.h), so a
 * pair names two steps of the model. The writer of a word is the step
 * that last stored to it, taken when the store is issued: under --memory
 * tso|weak a load that reads an older value while the store waits in a
 * buffer is counted as reading the newer. That can only make two pairs
 * look alike, never invent one.
 */
#ifndef LOSTFLUSH_READS_FROM_H
#define LOSTFLUSH_READS_FROM_H

#include <stdbool.h>
#include <stdint.h>

/* Pairs are tracked (footprints must be on as well). */
extern bool lostflush_reads_from;

/* The run starts: no pair seen. An execution starts: no writer known. */
void reads_from_run_start(void);
void reads_from_execution_start(void);
/* The running step of `fiber`, from `site`, stored to or loaded addr. */
void reads_from_note(uintptr_t addr, bool write, const char *site, int fiber);
/* A pair this run had not seen was covered since the last call: its
 * hash, or 0. */
uint64_t reads_from_take_new(void);

#endif
