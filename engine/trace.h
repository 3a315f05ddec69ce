/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-thread event rings. Each thread records its model steps into its own
 * ring (no sharing, no locks); after the workers are joined, a violation dumps
 * the last events of every thread merged by time, which is the post-mortem a
 * reader needs: who zapped, who marked, who flushed, who freed, and when.
 */
#ifndef LOSTFLUSH_TRACE_H
#define LOSTFLUSH_TRACE_H

#include <stdint.h>
#include <stdio.h>

/*
 * Events are numbers the subject names (trace_set_vocabulary()); the
 * engine records a few of its own, at numbers every subject's list leaves
 * free for them and asserts it does (model/trace_events.h): the list was
 * one when trace hashes were first taken, and they stay comparable.
 */
enum engine_trace_event {
	TR_STORE_BUFFERED = 22, /* a store waits in a fiber's buffer */
	TR_STORE_VISIBLE = 23,	/* a buffered store became visible */
	TR_STALE_LOAD = 24,	/* a load read the value before the newest */
	TR_VIOLATION = 25,	/* the subject found a failure here */
};

/* A ring that recorded nothing has this as its last event. */
#define TRACE_NO_EVENT 0xffff

#define TRACE_RING_SIZE 256 /* power of two */

/* Events name a gfn in `a` where they concern one; otherwise TRACE_NO_GFN. */
#define TRACE_NO_GFN UINT64_MAX

struct trace_record {
	uint64_t t_ns;
	/* Controlled executions: the record's place in the one order all
	 * fibers' events happened in (0 in free mode, where t_ns orders). */
	uint64_t seq;
	uint64_t a, b; /* event-specific: usually gfn and pfn, or a value */
	uint16_t event;
};

/* Memory-model events name a variable's address in `a`. */
static inline int trace_event_names_address(int ev)
{
	return ev == TR_STORE_BUFFERED || ev == TR_STORE_VISIBLE || ev == TR_STALE_LOAD;
}

struct trace_ring {
	uint64_t head; /* records written so far */
	/* FNV-1a over every record's event and values (not its time): two
	 * executions with equal hashes did the same steps. */
	uint64_t hash;
	struct trace_record rec[TRACE_RING_SIZE];
};

uint64_t trace_now_ns(void);
void trace_ring_add(struct trace_ring *ring, int ev, uint64_t a, uint64_t b, uint64_t t_ns);

struct thread_ctx;
/* Print, merged by time, the last `per_thread` events of every thread that
 * happened up to `until_ns` (what led to a violation, not what followed it).
 * Call only when no worker runs (after join): the rings are read without
 * synchronization. */
void trace_dump(FILE *out, struct thread_ctx *const *threads, int nr_threads, int per_thread,
		uint64_t t0_ns, uint64_t until_ns);
/* The subject's names of every event, the engine's included. */
void trace_set_vocabulary(const char *const *names, int nr);
const char *trace_event_name(int ev);
/* Start a ring afresh (a new controlled execution). */
void trace_ring_reset(struct trace_ring *ring);
/* A controlled execution starts: its event order counts from zero. */
void trace_seq_reset(void);
/* One record as text: "spte-zap 0x3 =0x1234" or "store-visible v0.mode=1". */
void trace_format(char *buf, size_t size, const struct trace_record *r);
/* A controlled execution's events as a timeline, one column per thread, one
 * row per event in the order they happened: the last `rows` of them up to
 * and including the first violation. */
void trace_timeline(FILE *out, struct thread_ctx *const *threads, int nr_threads, int rows);
/* The hash of every thread's events, in thread order. */
uint64_t trace_hash(struct thread_ctx *const *threads, int nr_threads);

#endif
