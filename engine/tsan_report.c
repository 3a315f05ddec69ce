// SPDX-License-Identifier: GPL-2.0
/* ThreadSanitizer's reports as findings (engine/tsan_report.h). */
#include "tsan_report.h"

#include "trace.h"

static void (*handler)(const struct tsan_race *race, void *arg);
static void *handler_arg;
static uint64_t reports;

void tsan_report_handler(void (*fn)(const struct tsan_race *race, void *arg), void *arg)
{
#ifdef LOSTFLUSH_TSAN
	/* A report no schedule point took belongs to the run that ended, not
	 * to the next one. */
	__atomic_store_n(&tsan_report_pending, 0, __ATOMIC_RELEASE);
#endif
	handler = fn;
	handler_arg = arg;
}

uint64_t tsan_reports_so_far(void)
{
	return __atomic_load_n(&reports, __ATOMIC_ACQUIRE);
}

#ifdef LOSTFLUSH_TSAN
int tsan_report_pending;
/* Only atomics here: the hook runs inside TSan's report, and a plain
 * access that raced there would start a report inside the report, which
 * waits for the first forever. */
static uint64_t latest_at_ns;
static const char *latest_what;

/* compiler-rt's report API (sanitizer/tsan_interface.h in newer releases). */
int __tsan_get_report_data(void *report, const char **description, int *count, int *stack_count,
			   int *mop_count, int *loc_count, int *mutex_count, int *thread_count,
			   int *unique_tid_count, void **sleep_trace, unsigned long trace_size);
void __tsan_on_report(void *report);

/* Called by TSan after it printed a report, under its report lock: count
 * it and note when it came and what it was, nothing more. A report that
 * comes before the last one was delivered is counted, and rides with it. */
void __tsan_on_report(void *report)
{
	const char *what = NULL;
	int count, stacks, mops, locs, mutexes, threads, tids;
	void *sleep[1];

	__atomic_add_fetch(&reports, 1, __ATOMIC_ACQ_REL);
	if (__atomic_load_n(&tsan_report_pending, __ATOMIC_ACQUIRE))
		return;
	/* The description is one of TSan's string constants. */
	__tsan_get_report_data(report, &what, &count, &stacks, &mops, &locs, &mutexes, &threads,
			       &tids, sleep, 1);
	__atomic_store_n(&latest_at_ns, trace_now_ns(), __ATOMIC_RELAXED);
	__atomic_store_n(&latest_what, what, __ATOMIC_RELAXED);
	__atomic_store_n(&tsan_report_pending, 1, __ATOMIC_RELEASE);
}

void tsan_report_deliver(void)
{
	int expected = 1;
	struct tsan_race race;

	/* Read while the flag is still set: the hook writes only when it is
	 * clear, so these are one report's, not a mix of two. */
	race.at_ns = __atomic_load_n(&latest_at_ns, __ATOMIC_RELAXED);
	race.what = __atomic_load_n(&latest_what, __ATOMIC_RELAXED);
	/* Another worker may be here too: one of them takes it. */
	if (!__atomic_compare_exchange_n(&tsan_report_pending, &expected, 0, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
		return;
	race.reports = __atomic_load_n(&reports, __ATOMIC_ACQUIRE);
	if (!race.what)
		race.what = "report";
	if (handler)
		handler(&race, handler_arg);
}
#endif
