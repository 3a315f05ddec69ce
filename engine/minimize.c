// SPDX-License-Identifier: GPL-2.0
/*
 * A greedy shrinker in the spirit of Jalbert and Sen's trace simplification
 * (FSE 2010): a context switch from a to b is a candidate for removal; the
 * candidate lets a run on (its next block of decisions moved up to the
 * switch) and is kept if the execution, replayed under the guided strategy,
 * still ends in the same violation with fewer switches, or as many and a
 * shorter schedule. Buffered stores made visible early and stale loads are
 * candidates too: dropping a COMMIT lets the store wait for the next
 * barrier, and a stale load can be made to read the newest value. A thread
 * can be left out altogether: the guide then never runs it before the
 * violation (where the scenario lets the others proceed without it). A kept
 * candidate is replaced by the decisions its execution really took, so the
 * list is always one an execution produced.
 */
#include "minimize.h"

#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "explore.h"
#include "interrupt.h"

struct sched_list {
	struct ctl_decision *d;
	size_t len;
};

/* A copy, or one with d NULL when memory is short: minimizing then stops
 * with the best it has, rather than lose the failure it started from. */
static struct sched_list list_copy(const struct ctl_decision *d, size_t len)
{
	struct sched_list l = { malloc((len + 1) * sizeof(*d)), len };

	if (l.d)
		memcpy(l.d, d, len * sizeof(*d));
	return l;
}

bool replay_guided(struct run *run, uint64_t index, const struct ctl_decision *guide, size_t len,
		   uint64_t failure)
{
	struct ctl_config cc = {
		.strategy = CTL_GUIDED,
		.guide = guide,
		.guide_len = len,
	};

	explore_one(run, index, &cc);
	return run_failures(run) && run->subject_ops->first_failure_id(run) == failure;
}

/* The decisions the last execution took, up to its first violation. */
static struct sched_list taken_until_violation(const struct run *run)
{
	const struct ctl *c = explore_last();
	size_t len = run->subject_ops->first_failure_decision(run);

	return list_copy(c->log, len <= c->log_len ? len : c->log_len);
}

static int threads_that_ran(const struct sched_list *l)
{
	bool ran[CTL_MAX_THREADS] = { false };
	int n = 0;

	for (size_t i = 0; i < l->len; i++)
		if (l->d[i].kind == CTL_RUN && !ran[l->d[i].thread]) {
			ran[l->d[i].thread] = true;
			n++;
		}
	return n;
}

static bool better(const struct sched_list *cand, const struct sched_list *best)
{
	uint64_t sc = ctl_count_switches(cand->d, cand->len);
	uint64_t sb = ctl_count_switches(best->d, best->len);

	if (sc != sb)
		return sc < sb;
	if (threads_that_ran(cand) != threads_that_ran(best))
		return threads_that_ran(cand) < threads_that_ran(best);
	return cand->len < best->len;
}

/* Candidate: at the switch before position p (to another fiber), the fiber
 * that ran before p runs on: its next block of RUN decisions moves to p. */
static bool move_block_up(const struct sched_list *s, size_t p, struct sched_list *out)
{
	int a = -1;
	size_t start, end, k = 0;

	for (size_t i = p; i-- > 0;)
		if (s->d[i].kind == CTL_RUN) {
			a = s->d[i].thread;
			break;
		}
	if (a < 0 || s->d[p].kind != CTL_RUN || s->d[p].thread == a)
		return false;
	for (start = p; start < s->len; start++)
		if (s->d[start].kind == CTL_RUN && s->d[start].thread == a)
			break;
	if (start == s->len)
		return false;
	for (end = start; end < s->len && s->d[end].kind == CTL_RUN && s->d[end].thread == a;)
		end++;
	/* [0, p) [start, end) [p, start) [end, len) */
	*out = list_copy(s->d, s->len);
	if (!out->d)
		return false;
	k = p;
	memcpy(out->d + k, s->d + start, (end - start) * sizeof(*s->d));
	k += end - start;
	memcpy(out->d + k, s->d + p, (start - p) * sizeof(*s->d));
	k += start - p;
	memcpy(out->d + k, s->d + end, (s->len - end) * sizeof(*s->d));
	out->len = s->len;
	return true;
}

/* Candidate: decision p removed (a COMMIT) or made plain (a STALE load). */
static bool drop_memory_decision(const struct sched_list *s, size_t p, struct sched_list *out)
{
	if (s->d[p].kind == CTL_COMMIT) {
		*out = list_copy(s->d, s->len);
		if (!out->d)
			return false;
		memmove(out->d + p, out->d + p + 1, (s->len - p - 1) * sizeof(*s->d));
		out->len--;
		return true;
	}
	if (s->d[p].kind == CTL_STALE && s->d[p].arg) {
		*out = list_copy(s->d, s->len);
		if (!out->d)
			return false;
		out->d[p].arg = 0;
		return true;
	}
	return false;
}

/* Candidate: every decision of thread p left out (p is a thread index). */
static bool drop_thread(const struct sched_list *s, size_t p, struct sched_list *out)
{
	size_t k = 0;
	bool ran = false;

	for (size_t i = 0; i < s->len; i++)
		ran |= s->d[i].kind == CTL_RUN && s->d[i].thread == p;
	if (!ran)
		return false;
	*out = list_copy(s->d, s->len);
	if (!out->d)
		return false;
	for (size_t i = 0; i < s->len; i++)
		if (s->d[i].kind == CTL_RESEED || s->d[i].thread != p)
			out->d[k++] = s->d[i];
	out->len = k;
	return true;
}

typedef bool (*candidate_fn)(const struct sched_list *s, size_t p, struct sched_list *out);

/* One pass of one kind of candidate; true if anything was kept. A signal
 * ends it at the next candidate, keeping what is best so far. */
static bool pass(struct run *run, struct sched_list *best, candidate_fn make, uint64_t failure,
		 uint64_t max_tries, uint64_t *tries)
{
	bool kept = false;

	for (size_t p = 0; p < best->len && *tries < max_tries && !interrupt_requested(); p++) {
		struct sched_list cand;

		if (!make(best, p, &cand))
			continue;
		++*tries;
		/* An execution a signal abandoned proves nothing: not kept. */
		if (replay_guided(run, run->failing_execution, cand.d, cand.len, failure) &&
		    !interrupt_requested()) {
			struct sched_list taken = taken_until_violation(run);

			if (taken.d && better(&taken, best)) {
				free(best->d);
				*best = taken;
				kept = true;
				p = 0;
			} else {
				free(taken.d);
			}
		}
		free(cand.d);
	}
	return kept;
}

void minimize_schedule(struct run *run, uint64_t max_tries, struct minimize_result *out)
{
	uint64_t failure = run->subject_ops->first_failure_id(run);
	uint64_t tries = 0;
	struct sched_list best;

	memset(out, 0, sizeof(*out));
	/* The original, replayed under the guide: the baseline must itself
	 * reproduce, or there is nothing to shrink. */
	if (!replay_guided(run, run->failing_execution, run->schedule, run->schedule_len,
			   failure)) {
		HARNESS_ASSERT(interrupt_requested(),
			       "the failing schedule does not replay under the guided strategy");
		out->interrupted = true;
		return;
	}
	best = taken_until_violation(run);
	if (!best.d) {
		out->interrupted = true;
		return;
	}
	out->switches_before = ctl_count_switches(best.d, best.len);
	out->len_before = best.len;
	out->threads_before = threads_that_ran(&best);
	while (tries < max_tries && !interrupt_requested()) {
		bool kept = pass(run, &best, drop_thread, failure, max_tries, &tries);

		kept |= pass(run, &best, move_block_up, failure, max_tries, &tries);
		kept |= pass(run, &best, drop_memory_decision, failure, max_tries, &tries);
		if (!kept)
			break;
	}
	/* Leave the minimized execution's trace in the rings; after a signal
	 * there is no time for it, and the schedule is the best so far. */
	out->interrupted = interrupt_requested();
	if (!out->interrupted)
		HARNESS_ASSERT(
			replay_guided(run, run->failing_execution, best.d, best.len, failure) ||
				interrupt_requested(),
			"the minimized schedule stopped failing");
	out->interrupted = interrupt_requested();
	out->schedule = best.d;
	out->len = best.len;
	out->switches_after = ctl_count_switches(best.d, best.len);
	out->threads_after = threads_that_ran(&best);
	out->tries = tries;
}
