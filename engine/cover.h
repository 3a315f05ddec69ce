/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --sched cover: a search over schedules guided by the states they reach.
 *
 * PCT finds a bug of depth d with probability 1/(n k^(d-1)) per execution;
 * the deep lost-flush races need six or seven preemptions, each at one
 * particular step of a hundred, and neither random nor PCT reached them in
 * 10 s. Two things do. Few switches: past a kept prefix the running fiber
 * mostly runs on, which alone reaches an ABA of two overlapping flushers.
 * And kept states, which a stalled increment needs: each preemption of a
 * deep race leaves the subject in a state no shallow schedule leaves it
 * in: a flusher stalled in its window while another settles, a vCPU
 * holding a translation while a mark is pending, a count that came back to
 * a snapshot. So the search keeps, for each
 * abstract state it has seen, the first decision prefix that reached it,
 * and spends most executions replaying a kept prefix and going on at
 * random from there, with few switches (Go-Explore: Ecoffet, Huizinga,
 * Lehman, Stanley and Clune, "First return, then explore", Nature 2021).
 * A deep race becomes a chain of shallow steps, each kept once made.
 *
 * An abstract state is what a schedule can change and a failure depends
 * on: which fibers are stopped inside a marked window and how many stores
 * each holds back (engine/cover.c); what the subject shows of itself (the
 * KVM model, workers/vm.c: the deferred-flush bookkeeping and which vCPUs
 * hold a hot page in their TLB); and, kept once per fiber, that fiber's
 * last event. It is scenario-blind: nothing in it names a bug.
 *
 * A variant whose race is a missing write barrier asks the search to
 * follow store reorderings (cover_follows_reorderings): under store
 * buffers, the executions that go on from a kept state go on from one
 * where a fiber's store has been passed by a later one of its own; the
 * passed fiber is mostly held back while the others act, switching often,
 * and the workers choose anew there (a RESEED decision), so the
 * reordering meets different uses of it. Which vCPUs have a flush request
 * visible joins the state.
 *
 * The search is deterministic in the run's seed: execution i of a search is
 * the same whenever the i executions before it were, so a failure replays
 * by running the same seed for i+1 executions, or at once from the report,
 * which carries the decisions.
 */
#ifndef LOSTFLUSH_COVER_H
#define LOSTFLUSH_COVER_H

#include "run.h"

/* The whole state-guided run (run_execute() calls it for --sched cover). */
void run_cover(struct run *run);

/* A subject's signature (subject_ops.signature) mixes what it sees into
 * the search's hash with these: one value, or a count capped at max (a
 * count of 7 is no different from 3 for most races). */
uint64_t cover_mix(uint64_t h, uint64_t v);
uint64_t cover_clamp(long v, long max);

#endif
