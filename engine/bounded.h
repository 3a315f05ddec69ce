/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --sched bounded:K: every schedule of a controlled execution with at most
 * K preemptions, fewest first (iterative context bounding: Musuvathi and
 * Qadeer, "Iterative Context Bounding for Systematic Testing of
 * Multithreaded Programs", PLDI 2007), so that what it covered can be
 * stated and a bug's depth is the bound at which it first shows.
 *
 * A schedule is a path through the decisions of one execution whose
 * workers draw from one fixed seed (the run's execution 0): with the same
 * decisions they do the same things, so the search is stateless. Each
 * execution replays a prefix and goes on by the default: the fiber that
 * ran keeps running; when it blocks or ends, the lowest-numbered one that
 * can run; a buffered store becomes visible only when no fiber can run; a
 * load reads the newest value. A preemption is a decision other than the
 * running fiber while it could have gone on: another fiber, a store made
 * visible early, and (under --memory weak) a load that reads the older
 * value. Switching when the running fiber blocks or ends is free.
 *
 * With no bound (bounded alone: every schedule there is, for the small
 * subjects such as a litmus test) the search prunes with sleep sets
 * (Godefroid, 1996): once the subtree under step t has been explored, t
 * sleeps in the subtrees of its later siblings until a step that
 * conflicts with it runs, because any schedule that runs t there first is
 * an order of independent steps already explored. Two steps conflict when
 * their footprints do (engine/footprint.h), which every shared access of
 * the model reports.
 *
 * Under a bound it does not prune. An order of independent steps that
 * was explored may have cost more preemptions than the one pruned, and so
 * lie past the bound, unexplored: the naive combination of a preemption
 * bound with partial-order reduction loses schedules (Coons, Musuvathi
 * and McKinley, "Bounded Partial-Order Reduction", OOPSLA 2013), and it
 * did here: a depth-2 bug of the catalogue came out "complete to 2
 * preemptions: clean" with sleep sets (docs/controlled.md names it).
 *
 * It ends with "complete to K preemptions: clean", the first failing
 * schedule (whose preemptions are the bug's depth), or, when the time or
 * the execution count runs out first, how far it got: the bound explored
 * whole and the schedules of the next.
 */
#ifndef LOSTFLUSH_BOUNDED_H
#define LOSTFLUSH_BOUNDED_H

#include "run.h"

/* The whole bounded search (run_execute() calls it). */
void run_bounded(struct run *run);

#endif
