/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ThreadSanitizer's reports as findings of the run. TSan prints its own
 * report (both stacks, the location) and then calls __tsan_on_report();
 * lostflush's hook only counts it and notes when it came, since TSan holds
 * its report lock there and anything more could race into a second report
 * inside the first. The next schedule point of any worker then hands it to
 * the run's handler, which records a data-race finding as an oracle
 * violation is recorded: with the model's last events of every thread and
 * the rerun line, and, in a controlled mode, the execution and schedule
 * that led to it.
 *
 * In a build without ThreadSanitizer all of it compiles to nothing.
 */
#ifndef LOSTFLUSH_TSAN_REPORT_H
#define LOSTFLUSH_TSAN_REPORT_H

#include <stdbool.h>
#include <stdint.h>

#if defined(__SANITIZE_THREAD__)
#define LOSTFLUSH_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define LOSTFLUSH_TSAN 1
#endif
#endif

struct tsan_race {
	uint64_t at_ns;	  /* trace_now_ns() when TSan reported it */
	uint64_t reports; /* TSan's reports so far in the process */
	const char *what; /* TSan's description: "data-race", "thread-leak" */
};

/* Whether this binary is built with ThreadSanitizer. */
static inline bool tsan_watching(void)
{
#ifdef LOSTFLUSH_TSAN
	return true;
#else
	return false;
#endif
}

/* Who hears of a report: the run in progress (NULL: nobody, the report is
 * only counted). Called before its workers start and after they stop. */
void tsan_report_handler(void (*fn)(const struct tsan_race *race, void *arg), void *arg);

/* Reports TSan has made so far in this process. */
uint64_t tsan_reports_so_far(void);

#ifdef LOSTFLUSH_TSAN
extern int tsan_report_pending;
void tsan_report_deliver(void);
#endif

/* At a schedule point: hand a report TSan has just made to the run. */
static inline void tsan_report_poll(void)
{
#ifdef LOSTFLUSH_TSAN
	if (__atomic_load_n(&tsan_report_pending, __ATOMIC_ACQUIRE))
		tsan_report_deliver();
#endif
}

#endif
