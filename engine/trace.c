// SPDX-License-Identifier: GPL-2.0
#include "trace.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "memmodel.h"

#define RUN_MAX_THREADS_FOR_TRACE 80
#include "thread.h"

static const char *const *vocabulary;
static int vocabulary_size;

void trace_set_vocabulary(const char *const *names, int nr)
{
	vocabulary = names;
	vocabulary_size = nr;
}

const char *trace_event_name(int ev)
{
	return ev >= 0 && ev < vocabulary_size && vocabulary[ev] ? vocabulary[ev] : "?";
}

uint64_t trace_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* FNV-1a, one 64-bit word at a time, byte by byte. */
static uint64_t fnv1a(uint64_t h, uint64_t word)
{
	for (int i = 0; i < 8; i++, word >>= 8) {
		h ^= word & 0xff;
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* Only the running fiber traces in a controlled execution: no atomics. */
static uint64_t trace_seq;

void trace_seq_reset(void)
{
	trace_seq = 0;
}

static uint64_t name_hash(const char *name)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; name && *name; name++)
		h = (h ^ (uint8_t)*name) * 0x100000001b3ULL;
	return h;
}

void trace_ring_add(struct trace_ring *ring, int ev, uint64_t a, uint64_t b, uint64_t t_ns)
{
	struct trace_record *r = &ring->rec[ring->head & (TRACE_RING_SIZE - 1)];

	r->t_ns = t_ns;
	r->seq = lostflush_ctl ? ++trace_seq : 0;
	r->event = (uint16_t)ev;
	r->a = a;
	r->b = b;
	ring->head++;
	/* The hash names a controlled execution (a replay must give it
	 * again); free mode has none to give, and hashing there cost a vCPU
	 * about a tenth of its accesses. */
	if (lostflush_ctl) {
		/* Addresses change from process to process; the variable's
		 * name does not, and the hash must replay across processes. */
		uint64_t stable_a = trace_event_names_address(ev) ? name_hash(mm_name_of(a)) : a;

		ring->hash = fnv1a(fnv1a(fnv1a(ring->hash, ev), stable_a), b);
	}
}

void trace_format(char *buf, size_t size, const struct trace_record *r)
{
	const char *ev = trace_event_name(r->event);

	if (trace_event_names_address(r->event)) {
		const char *name = mm_name_of(r->a);

		snprintf(buf, size, "%s %s=%#llx", ev, name ? name : "?", (unsigned long long)r->b);
	} else if (r->a != TRACE_NO_GFN) {
		snprintf(buf, size, "%s %#llx", ev, (unsigned long long)r->a);
	} else if (r->b) {
		snprintf(buf, size, "%s %#llx", ev, (unsigned long long)r->b);
	} else {
		snprintf(buf, size, "%s", ev);
	}
}

#define FNV_OFFSET 0xcbf29ce484222325ULL

void trace_ring_reset(struct trace_ring *ring)
{
	ring->head = 0;
	ring->hash = FNV_OFFSET;
}

uint64_t trace_hash(struct thread_ctx *const *threads, int nr_threads)
{
	uint64_t h = FNV_OFFSET;

	for (int t = 0; t < nr_threads; t++)
		h = fnv1a(h, threads[t]->ring.hash);
	return h;
}

struct merged {
	const struct trace_record *rec;
	const struct thread_ctx *thread;
};

static int by_time(const void *x, const void *y)
{
	const struct merged *a = x, *b = y;

	return (a->rec->t_ns > b->rec->t_ns) - (a->rec->t_ns < b->rec->t_ns);
}

void trace_dump(FILE *out, struct thread_ctx *const *threads, int nr_threads, int per_thread,
		uint64_t t0_ns, uint64_t until_ns)
{
	struct merged *all = calloc((size_t)nr_threads * TRACE_RING_SIZE, sizeof(*all));
	size_t n = 0;

	if (!all)
		return;
	for (int t = 0; t < nr_threads; t++) {
		const struct trace_ring *ring = &threads[t]->ring;
		uint64_t first = ring->head > TRACE_RING_SIZE ? ring->head - TRACE_RING_SIZE : 0;
		uint64_t last = ring->head;
		int taken = 0;

		/* Walk back from the newest record to the last one at or
		 * before until_ns, then take up to per_thread before it. */
		while (last > first &&
		       ring->rec[(last - 1) & (TRACE_RING_SIZE - 1)].t_ns > until_ns)
			last--;
		for (uint64_t i = last; i > first && taken < per_thread; i--, taken++)
			all[n++] = (struct merged){ &ring->rec[(i - 1) & (TRACE_RING_SIZE - 1)],
						    threads[t] };
	}
	qsort(all, n, sizeof(*all), by_time);
	for (size_t i = 0; i < n; i++) {
		const struct trace_record *r = all[i].rec;

		char gfn[24] = "-";

		if (r->a != TRACE_NO_GFN)
			snprintf(gfn, sizeof(gfn), "%#llx", (unsigned long long)r->a);
		fprintf(out, "  %12.6f ms  %-4s %-20s gfn=%-8s val=%#llx\n",
			(double)(r->t_ns - t0_ns) / 1e6, all[i].thread->name,
			trace_event_name(r->event), gfn, (unsigned long long)r->b);
	}
	free(all);
}

static int by_seq(const void *x, const void *y)
{
	const struct merged *a = x, *b = y;

	return (a->rec->seq > b->rec->seq) - (a->rec->seq < b->rec->seq);
}

#define TIMELINE_COL 26

void trace_timeline(FILE *out, struct thread_ctx *const *threads, int nr_threads, int rows)
{
	struct merged *all = calloc((size_t)nr_threads * TRACE_RING_SIZE, sizeof(*all));
	size_t n = 0, first;

	if (!all)
		return;
	for (int t = 0; t < nr_threads && t < RUN_MAX_THREADS_FOR_TRACE; t++) {
		const struct trace_ring *ring = &threads[t]->ring;
		uint64_t lo = ring->head > TRACE_RING_SIZE ? ring->head - TRACE_RING_SIZE : 0;

		for (uint64_t i = lo; i < ring->head; i++)
			all[n++] = (struct merged){ &ring->rec[i & (TRACE_RING_SIZE - 1)],
						    threads[t] };
	}
	qsort(all, n, sizeof(*all), by_seq);
	for (size_t i = 0; i < n; i++)
		if (all[i].rec->event == TR_VIOLATION) {
			n = i + 1;
			break;
		}
	first = n > (size_t)rows ? n - (size_t)rows : 0;
	if (first)
		fprintf(out, "  (%zu earlier events not shown)\n", first);
	fprintf(out, "  %5s", "#");
	for (int t = 0; t < nr_threads; t++)
		fprintf(out, "  %-*s", TIMELINE_COL - 2, threads[t]->name);
	fputc('\n', out);
	for (size_t i = first; i < n; i++) {
		char text[64];
		int t;

		for (t = 0; t < nr_threads && threads[t] != all[i].thread; t++)
			;
		trace_format(text, sizeof(text), all[i].rec);
		text[TIMELINE_COL - 2] = '\0';
		fprintf(out, "  %5zu  %*s%s\n", i + 1, t * TIMELINE_COL, "", text);
	}
	free(all);
}
