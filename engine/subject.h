/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the engine runs: a subject. The engine starts a subject's workers,
 * decides their interleavings and counts the failures the subject reports;
 * everything it knows of what the workers act on goes through this table.
 * The KVM model with its oracle and workload is one subject
 * (workers/vm.c); a litmus test could be another.
 */
#ifndef LOSTFLUSH_SUBJECT_H
#define LOSTFLUSH_SUBJECT_H

#include <stddef.h>
#include <stdint.h>

struct run;

struct subject_ops {
	const char *name;
	/* Build the subject for a run (run->subject points at its memory);
	 * -1 if the machine cannot hold it. */
	int (*build)(struct run *run);
	/* A fresh subject of the same shape: the next controlled execution
	 * starts from it, with no failure seen. */
	void (*reset)(struct run *run);
	void (*destroy)(struct run *run);
	/* The run starts now (run->t0_ns). */
	void (*start)(struct run *run);
	/* A free-mode worker thread starts, or ends. */
	void (*thread_start)(void);
	void (*thread_stop)(void);
	/* Every worker has stopped (joined, or every fiber returned or
	 * abandoned): give back what waited for them, such as freed page
	 * tables, before anything is counted or checked. */
	void (*settle)(struct run *run);
	/* The subject at rest, checked whole (NULL: no such check). Called
	 * only when no failure was found and every worker ran to its end;
	 * end_decision: the scheduler decisions of the execution it follows
	 * (controlled modes), which all lead to what it finds. */
	void (*check)(struct run *run, uint64_t end_decision);
	/* Failures found so far; of the first, the scheduler decisions taken
	 * before it, and what it was (minimization keeps the same one). */
	uint64_t (*failures)(const struct run *run);
	uint64_t (*first_failure_decision)(const struct run *run);
	uint64_t (*first_failure_id)(const struct run *run);
	/* The state search's view of the subject (engine/cover.h), mixed into
	 * h with cover_mix(): what a schedule can change and a failure
	 * depends on. */
	uint64_t (*signature)(const struct run *run, uint64_t h);
	/* The middle of the progress line, over the last dt seconds. */
	void (*progress)(struct run *run, double dt, char *buf, size_t len);
};

#endif
