// SPDX-License-Identifier: GPL-2.0
/*
 * The litmus interpreter (litmus/exec.c, litmus/sync.c) run as ./stress
 * runs it: the subject under the engine's controlled run. One construct
 * per test, with the final states it must reach (and, where ordering is
 * the point, must not), then the command's exit codes (cli/litmus_run.c):
 * 2 for a bad file or option before any work, 1 for an observation the
 * file's Result line does not state.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../cli/complain.h"
#include "../../cli/litmus_run.h"
#include "../../engine/budget.h"
#include "../../litmus/print.h"

static struct litmus_test *t;
static struct litmus_subject *s;
static struct run run;

/* text, run for n random executions under model m. */
static void run_text(const char *text, enum mem_model m, uint64_t n)
{
	struct litmus_error err;
	struct run_config cfg = { .sched = SCHED_RANDOM,
				  .executions = n,
				  .memory = m,
				  .seed = 1,
				  .duration_ns = UINT64_MAX / 2 };

	if (litmus_parse(text, strlen(text), t, &err))
		fail_msg("%d:%d: %s", err.line, err.col, err.msg);
	litmus_subject_free(s);
	s = litmus_subject_new(t, "test");
	assert_non_null(s);
	assert_int_equal(run_init(&run, &cfg, s, &litmus_subject_ops), 0);
	litmus_add_workers(&run);
	run_execute(&run);
	assert_int_equal(run.executions_run, n);
	run_destroy(&run);
}

/* Executions that ended in the state printed as `want`. */
static uint64_t count_of(const char *want)
{
	for (size_t k = 0; k < s->outcomes.n; k++) {
		char text[512];

		litmus_state_text(s, k, text, sizeof(text));
		if (!strcmp(text, want))
			return s->outcomes.count[k];
	}
	return 0;
}

/* The only state reached is `want`. */
static void only(const char *want)
{
	if (s->outcomes.n != 1 || !count_of(want)) {
		char text[512] = "";

		if (s->outcomes.n)
			litmus_state_text(s, 0, text, sizeof(text));
		fail_msg("wanted only '%s'; %zu states, the first '%s'", want, s->outcomes.n, text);
	}
}

#define ONE_THREAD(init, decls, body, cond) \
	"C one\n{" init "}\nP0(int *x, int *y, int **p, spinlock_t *l)\n{\n" decls body "}\n" cond

static void once_accesses_and_registers(void **state)
{
	(void)state;
	run_text(ONE_THREAD("int x = 5;", "int r0; int r1;",
			    "r0 = READ_ONCE(*x); WRITE_ONCE(*y, r0 + 2); r1 = READ_ONCE(*y) - 10;",
			    "exists (y=7)"),
		 MEM_WEAK, 50);
	only("0:r0=5; 0:r1=-3; y=7;");
	assert_int_equal(s->outcomes.nr_positive, 50);
}

static void expressions(void **state)
{
	(void)state;
	run_text(ONE_THREAD("", "int r0; int r1; int r2; int r3;",
			    "r0 = 6 & 3 | 8 ^ 1; r1 = !0 + (2 < 3) + (3 <= 3) + (4 >= 5) + "
			    "(1 != 1); r2 = -(-4) - ~0; r3 = 0 && READ_ONCE(*x) || 7 > 6;",
			    "exists (0:r0=11)"),
		 MEM_SC, 5);
	only("0:r0=11; 0:r1=3; 0:r2=5; 0:r3=1;");
}

static void if_else(void **state)
{
	(void)state;
	run_text(ONE_THREAD("int x = 1;", "int r0;",
			    "r0 = READ_ONCE(*x); if (r0 == 1) { WRITE_ONCE(*y, 10); } else "
			    "WRITE_ONCE(*y, 20); if (r0 - 1) WRITE_ONCE(*x, 30); else { if (r0) "
			    "WRITE_ONCE(*x, 40); }",
			    "exists (x=40 /\\ y=10)"),
		 MEM_TSO, 20);
	only("0:r0=1; x=40; y=10;");
}

static void release_acquire(void **state)
{
	(void)state;
	run_text(ONE_THREAD("", "int r0;", "smp_store_release(x, 3); r0 = smp_load_acquire(x);",
			    "exists (x=3)"),
		 MEM_WEAK, 20);
	only("0:r0=3; x=3;");
}

static void xchg_and_cmpxchg(void **state)
{
	(void)state;
	run_text(ONE_THREAD("int x = 1;", "int r0; int r1; int r2;",
			    "r0 = xchg(x, 2); r1 = cmpxchg(x, 5, 9); r2 = cmpxchg_release(x, 2, "
			    "7);",
			    "exists (x=7)"),
		 MEM_WEAK, 20);
	only("0:r0=1; 0:r1=2; 0:r2=2; x=7;");
}

static void atomic_ops(void **state)
{
	(void)state;
	run_text(ONE_THREAD("", "int r0; int r1; int r2; int r3; int r4; int r5;",
			    "atomic_set(x, 10); atomic_inc(x); atomic_dec(x); atomic_add(5, x); "
			    "atomic_sub(2, x); r0 = atomic_read(x); r1 = atomic_inc_return(x); "
			    "r2 = atomic_fetch_add(3, x); r3 = atomic_sub_return(4, x); "
			    "r4 = atomic_xchg(x, 100); r5 = atomic_cmpxchg(x, 100, 1);",
			    "exists (x=1)"),
		 MEM_WEAK, 20);
	only("0:r0=13; 0:r1=14; 0:r2=14; 0:r3=13; 0:r4=13; 0:r5=100; x=1;");
}

static void fences_are_accepted(void **state)
{
	(void)state;
	run_text(ONE_THREAD("", "",
			    "WRITE_ONCE(*x, 1); smp_wmb(); smp_rmb(); smp_mb(); "
			    "smp_mb__before_atomic(); atomic_inc(y); smp_mb__after_atomic();",
			    "exists (x=1 /\\ y=1)"),
		 MEM_WEAK, 20);
	only("x=1; y=1;");
}

static void pointers(void **state)
{
	(void)state;
	run_text(ONE_THREAD("int *p = &x; int x = 4;", "int *r0; int r1;",
			    "r0 = READ_ONCE(*p); r1 = READ_ONCE(*r0); WRITE_ONCE(*r0, 8); "
			    "rcu_assign_pointer(*p, y);",
			    "exists (p=y /\\ x=8 /\\ 0:r0=x)"),
		 MEM_WEAK, 20);
	only("0:r0=x; 0:r1=4; p=y; x=8;");
	assert_int_equal(s->outcomes.nr_positive, 20);
}

static void spin_lock_excludes(void **state)
{
	static const char text[] =
		"C lock\n{}\n"
		"P0(int *x, spinlock_t *l)\n{\n int r0;\n spin_lock(l); r0 = READ_ONCE(*x); "
		"WRITE_ONCE(*x, r0 + 1); spin_unlock(l);\n}\n"
		"P1(int *x, spinlock_t *l)\n{\n int r0;\n spin_lock(l); r0 = READ_ONCE(*x); "
		"WRITE_ONCE(*x, r0 + 1); spin_unlock(l);\n}\n"
		"P2(int *x, spinlock_t *l)\n{\n int r0;\n r0 = spin_trylock(l); if (r0) "
		"spin_unlock(l);\n}\n"
		"exists (x=2 /\\ l=0)";

	(void)state;
	for (enum mem_model m = MEM_SC; m <= MEM_WEAK; m++) {
		run_text(text, m, 400);
		assert_int_equal(s->outcomes.nr_negative, 0);
		/* The trylock both failed and succeeded over the executions. */
		assert_true(count_of("0:r0=0; 1:r0=1; 2:r0=0; x=2; l=0;") +
				    count_of("0:r0=1; 1:r0=0; 2:r0=0; x=2; l=0;") >
			    0);
		assert_true(count_of("0:r0=0; 1:r0=1; 2:r0=1; x=2; l=0;") +
				    count_of("0:r0=1; 1:r0=0; 2:r0=1; x=2; l=0;") >
			    0);
	}
}

/* Without the lock the same increments lose one: the test can fail. */
static void unlocked_increments_race(void **state)
{
	(void)state;
	run_text(
		"C race\n{}\nP0(int *x)\n{\n int r0;\n r0 = READ_ONCE(*x); WRITE_ONCE(*x, r0 + "
		"1);\n}\nP1(int *x)\n{\n int r0;\n r0 = READ_ONCE(*x); WRITE_ONCE(*x, r0 + 1);\n}\n"
		"exists (x=1)",
		MEM_SC, 400);
	assert_true(s->outcomes.nr_positive > 0);
	assert_true(s->outcomes.nr_negative > 0);
}

static const char grace_period[] =
	"C gp\n{ int x = 0; int y = 0; }\n"
	"P0(int *x, int *y)\n{\n int r0;\n int r1;\n rcu_read_lock(); rcu_read_lock(); r0 = "
	"READ_ONCE(*x); rcu_read_unlock(); r1 = READ_ONCE(*y); rcu_read_unlock();\n}\n"
	"P1(int *x, int *y)\n{\n WRITE_ONCE(*y, 1); %s WRITE_ONCE(*x, 1);\n}\n"
	"exists (0:r0=1 /\\ 0:r1=0)";

static void synchronize_rcu_waits_for_readers(void **state)
{
	char text[1024];

	(void)state;
	snprintf(text, sizeof(text), grace_period, "synchronize_rcu();");
	for (enum mem_model m = MEM_SC; m <= MEM_WEAK; m++) {
		run_text(text, m, 2000);
		assert_int_equal(s->outcomes.nr_positive, 0);
		/* Both sides of the grace period were seen. */
		assert_true(count_of("0:r0=0; 0:r1=0;") > 0);
		assert_true(count_of("0:r0=1; 0:r1=1;") > 0);
	}
	/* Without it, the updater's stores may become visible out of order
	 * and the reader sees the second without the first. */
	snprintf(text, sizeof(text), grace_period, "");
	run_text(text, MEM_WEAK, 2000);
	assert_true(s->outcomes.nr_positive > 0);
}

/* The memory model applies: message passing shows only under weak. */
static void memory_models_apply(void **state)
{
	static const char text[] =
		"C mp\n{}\nP0(int *x, int *y)\n{\n WRITE_ONCE(*x, 1); WRITE_ONCE(*y, 1);\n}\n"
		"P1(int *x, int *y)\n{\n int r0; int r1;\n r0 = READ_ONCE(*y); r1 = "
		"READ_ONCE(*x);\n}\nexists (1:r0=1 /\\ 1:r1=0)";

	(void)state;
	run_text(text, MEM_SC, 2000);
	assert_int_equal(litmus_observation(&s->outcomes), LR_NEVER);
	run_text(text, MEM_TSO, 2000);
	assert_int_equal(litmus_observation(&s->outcomes), LR_NEVER);
	run_text(text, MEM_WEAK, 2000);
	assert_int_equal(litmus_observation(&s->outcomes), LR_SOMETIMES);
}

static void quantifiers(void **state)
{
	(void)state;
	run_text(ONE_THREAD("", "", "WRITE_ONCE(*x, 1);", "forall (x=1)"), MEM_SC, 10);
	assert_int_equal(litmus_observation(&s->outcomes), LR_ALWAYS);
	assert_true(litmus_validated(t, &s->outcomes));
	run_text(ONE_THREAD("", "", "WRITE_ONCE(*x, 1);", "~exists (x=1)"), MEM_SC, 10);
	assert_false(litmus_validated(t, &s->outcomes));
	run_text(ONE_THREAD("", "", "WRITE_ONCE(*x, 1);", "~exists (~x=1)"), MEM_SC, 10);
	assert_true(litmus_validated(t, &s->outcomes));
	assert_int_equal(litmus_observation(&s->outcomes), LR_NEVER);
}

/* ---- the command's exit codes ------------------------------------------------- */

static int run_command(const char *text, const char *extra, char *msg, size_t len)
{
	char path[] = "/tmp/test_litmus_XXXXXX";
	int fd = mkstemp(path), rc;
	FILE *f = fdopen(fd, "w"), *errs = tmpfile();
	char *argv[8] = { "stress", "--litmus", path, "--executions", "300", "-q" };
	int argc = 6;
	struct options o;
	size_t n;

	assert_non_null(f);
	assert_non_null(errs);
	fputs(text, f);
	fclose(f);
	if (extra) {
		argv[argc++] = (char *)extra;
		argv[argc++] = "1";
	}
	complain_stream = errs;
	options_init(&o, "stress");
	assert_int_equal(options_parse(&o, argc, argv), 0);
	rc = litmus_run(&o, 7);
	options_free(&o);
	complain_stream = NULL;
	rewind(errs);
	n = fread(msg, 1, len - 1, errs);
	msg[n] = '\0';
	fclose(errs);
	unlink(path);
	return rc;
}

static void exit_codes(void **state)
{
	char msg[1024];

	(void)state;
	assert_int_equal(run_command("C ok\n(* Result: Never *)\n{}\nP0(int *x)\n{\n "
				     "WRITE_ONCE(*x, 1);\n}\nexists (x=2)",
				     NULL, msg, sizeof(msg)),
			 0);
	assert_int_equal(run_command("C differs\n(* Result: Sometimes *)\n{}\nP0(int *x)\n{\n "
				     "WRITE_ONCE(*x, 1);\n}\nexists (x=2)",
				     NULL, msg, sizeof(msg)),
			 1);
	assert_int_equal(run_command("C bad\n{}\nP0(int *x)\n{\n WRITE_ONCE(*x, 1)\n}\n", NULL, msg,
				     sizeof(msg)),
			 2);
	assert_non_null(strstr(msg, ":6:1: unexpected '}': expected ';'"));
	assert_int_equal(
		run_command("C ok\n{}\nP0(int *x){}\nexists (x=0)", "--vcpus", msg, sizeof(msg)),
		2);
	assert_non_null(strstr(msg, "--vcpus cannot be given with --litmus"));
}

static int setup(void **state)
{
	(void)state;
	budget_init(1ULL << 30);
	t = malloc(sizeof(*t));
	return t ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	litmus_subject_free(s);
	free(t);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(once_accesses_and_registers),
		cmocka_unit_test(expressions),
		cmocka_unit_test(if_else),
		cmocka_unit_test(release_acquire),
		cmocka_unit_test(xchg_and_cmpxchg),
		cmocka_unit_test(atomic_ops),
		cmocka_unit_test(fences_are_accepted),
		cmocka_unit_test(pointers),
		cmocka_unit_test(spin_lock_excludes),
		cmocka_unit_test(unlocked_increments_race),
		cmocka_unit_test(synchronize_rcu_waits_for_readers),
		cmocka_unit_test(memory_models_apply),
		cmocka_unit_test(quantifiers),
		cmocka_unit_test(exit_codes),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
