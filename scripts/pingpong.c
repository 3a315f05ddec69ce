// SPDX-License-Identifier: GPL-2.0
/*
 * pingpong: the raw cost of handing the CPU from one thread to another.
 *
 * The controlled schedulers (--sched random and --sched pct) run one worker
 * at a time and take a decision at every schedule point; each decision may
 * hand the CPU to another worker. Their decision rate only means something
 * next to what a hand-off costs without any scheduler logic, so this program
 * measures two baselines:
 *
 *  - pthread: two threads pass a token with POSIX semaphores, each waiting
 *    on its own and posting the other's. That is what a naive one-thread-at-
 *    a-time scheduler over real threads would do: every hand-off is a
 *    sem_post plus a futex wakeup of the other thread.
 *  - fibers: two ucontext fibers on one thread pass the token with
 *    swapcontext, which is how the controlled scheduler switches workers
 *    (engine/ctl.c), so this is the ceiling its decision rate can approach.
 *
 * A hand-off is one transfer of the token; a round trip is two.
 *
 *   usage: pingpong [SECONDS]   (default 2; decimals such as 0.5 accepted)
 *   output: pingpong handoffs_per_s=<float>
 *           fibers handoffs_per_s=<float>
 *
 * Build: gcc -std=gnu11 -O2 -pthread -o build/pingpong scripts/pingpong.c
 */
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <ucontext.h>

#define FIBER_STACK_SIZE (64 * 1024)
/* Fibers read the clock only this often (a power of two), so that the
 * clock does not dominate a hand-off that costs a few hundred ns. */
#define CLOCK_CHECK_MASK 4095UL

static void die(const char *what)
{
	fprintf(stderr, "pingpong: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* Monotonic time in seconds. */
static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Sleep for a fractional number of seconds, resuming after signals. */
static void sleep_s(double seconds)
{
	struct timespec ts = {
		.tv_sec = (time_t)seconds,
		.tv_nsec = (long)((seconds - (double)(time_t)seconds) * 1e9),
	};

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* ---- pthread ping-pong ---- */

struct pt_bench {
	sem_t sem[2];		   /* sem[i]: thread i may run */
	atomic_bool stop;	   /* set by main when the time is up */
	unsigned long handoffs[2]; /* per thread, so no sharing */
};

struct pt_player {
	struct pt_bench *b;
	int me;
};

/* Wait for the token, pass it on; on stop, wake the other so it exits too. */
static void *pt_player_main(void *arg)
{
	struct pt_player *p = arg;
	struct pt_bench *b = p->b;
	sem_t *mine = &b->sem[p->me], *other = &b->sem[!p->me];
	unsigned long n = 0;

	for (;;) {
		while (sem_wait(mine) && errno == EINTR)
			;
		if (atomic_load_explicit(&b->stop, memory_order_relaxed)) {
			sem_post(other);
			break;
		}
		n++;
		sem_post(other);
	}
	b->handoffs[p->me] = n;
	return NULL;
}

/* Run the two threads for @seconds; returns hand-offs per second. */
static double pthread_pingpong(double seconds)
{
	struct pt_bench b = { .handoffs = { 0, 0 } };
	struct pt_player players[2] = { { &b, 0 }, { &b, 1 } };
	pthread_t tid[2];
	double start, elapsed;

	atomic_init(&b.stop, false);
	for (int i = 0; i < 2; i++)
		if (sem_init(&b.sem[i], 0, 0))
			die("sem_init");
	for (int i = 0; i < 2; i++)
		if ((errno = pthread_create(&tid[i], NULL, pt_player_main, &players[i])))
			die("pthread_create");

	start = now_s();
	sem_post(&b.sem[0]); /* hand thread 0 the token */
	sleep_s(seconds);
	atomic_store(&b.stop, true);
	for (int i = 0; i < 2; i++)
		pthread_join(tid[i], NULL);
	elapsed = now_s() - start;

	for (int i = 0; i < 2; i++)
		sem_destroy(&b.sem[i]);
	return (double)(b.handoffs[0] + b.handoffs[1]) / elapsed;
}

/* ---- swapcontext fiber ping-pong ---- */

struct fiber_bench {
	ucontext_t main_ctx;
	ucontext_t fiber[2];
	unsigned long handoffs;
	double deadline;
};

static struct fiber_bench fb;

/* Pass the token to the other fiber until the deadline; returning resumes
 * main_ctx through uc_link. */
static void fiber_main(int me)
{
	for (;;) {
		if ((fb.handoffs & CLOCK_CHECK_MASK) == 0 && now_s() >= fb.deadline)
			break;
		fb.handoffs++;
		if (swapcontext(&fb.fiber[me], &fb.fiber[!me]))
			die("swapcontext");
	}
}

/* Give fiber @i a malloc'd stack that returns to main_ctx when it ends. */
static void fiber_make(int i)
{
	ucontext_t *uc = &fb.fiber[i];

	if (getcontext(uc))
		die("getcontext");
	uc->uc_stack.ss_sp = malloc(FIBER_STACK_SIZE);
	if (!uc->uc_stack.ss_sp)
		die("malloc");
	uc->uc_stack.ss_size = FIBER_STACK_SIZE;
	uc->uc_link = &fb.main_ctx;
	makecontext(uc, (void (*)(void))fiber_main, 1, i);
}

/* Run the two fibers for @seconds; returns hand-offs per second. */
static double fiber_pingpong(double seconds)
{
	double start, elapsed;

	for (int i = 0; i < 2; i++)
		fiber_make(i);

	start = now_s();
	fb.deadline = start + seconds;
	if (swapcontext(&fb.main_ctx, &fb.fiber[0]))
		die("swapcontext");
	elapsed = now_s() - start;

	/* The fiber that did not see the deadline is left suspended: just
	 * drop its stack. */
	for (int i = 0; i < 2; i++)
		free(fb.fiber[i].uc_stack.ss_sp);
	return (double)fb.handoffs / elapsed;
}

/* The optional argument: seconds per measurement, > 0. */
static double parse_seconds(int argc, char **argv)
{
	char *end;
	double s;

	if (argc < 2)
		return 2.0;
	errno = 0;
	s = strtod(argv[1], &end);
	if (argc > 2 || errno || end == argv[1] || *end || !(s > 0) || s > 3600) {
		fprintf(stderr, "usage: %s [SECONDS]   (0 < SECONDS <= 3600, default 2)\n",
			argv[0]);
		exit(2);
	}
	return s;
}

int main(int argc, char **argv)
{
	double seconds = parse_seconds(argc, argv);

	printf("pingpong handoffs_per_s=%.1f\n", pthread_pingpong(seconds));
	fflush(stdout);
	printf("fibers handoffs_per_s=%.1f\n", fiber_pingpong(seconds));
	return 0;
}
