/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The harness's own assertions (KVM selftests' TEST_ASSERT): a broken
 * invariant of the harness prints file, line, the expression and errno, and
 * exits 4 at once. A bug in lostflush must never look like a found race
 * (exit 1) or a clean run (exit 0).
 */
#ifndef LOSTFLUSH_CHECK_H
#define LOSTFLUSH_CHECK_H

enum exit_code {
	EXIT_AS_EXPECTED = 0,
	EXIT_NOT_AS_EXPECTED = 1,
	EXIT_USAGE = 2,
	EXIT_SKIPPED = 3,
	EXIT_HARNESS = 4,
};

__attribute__((noreturn, format(printf, 4, 5))) void
harness_fail(const char *file, int line, const char *expr, const char *fmt, ...);

/*
 * What the machine lacks (memory, threads, address space) is not a bug:
 * the run cannot go on here. It says which resource and which option asks
 * for it, calls the hook the command line left (which writes the report of
 * what was found so far), and exits 3.
 */
__attribute__((noreturn, format(printf, 2, 3))) void harness_lacks(const char *resource,
								   const char *fmt, ...);
void harness_on_lack(void (*last_words)(void));

#define HARNESS_NEED(cond, resource, ...)                     \
	do {                                                  \
		if (__builtin_expect(!(cond), 0))             \
			harness_lacks(resource, __VA_ARGS__); \
	} while (0)

#define HARNESS_ASSERT(cond, ...)                                             \
	do {                                                                  \
		if (__builtin_expect(!(cond), 0))                             \
			harness_fail(__FILE__, __LINE__, #cond, __VA_ARGS__); \
	} while (0)

#endif
