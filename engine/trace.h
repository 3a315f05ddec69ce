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

/* X(enum suffix, printed name) */
#define TRACE_EVENTS(X)                                \
	X(ENTER, "enter-guest")                        \
	X(EXIT, "exit-guest")                          \
	X(TLB_FILL, "tlb-fill")                        \
	X(TLB_FLUSH_ALL, "tlb-flush-all")              \
	X(TLB_FLUSH_ONE, "tlb-flush-local")            \
	X(FAULT, "fault")                              \
	X(FAULT_RETRY, "fault-retry")                  \
	X(SPTE_SET, "spte-set")                        \
	X(SPTE_ZAP, "spte-zap")                        \
	X(INVLPG, "invlpg")                            \
	X(MARK_DIRTY, "mark-remote-dirty")             \
	X(CLEAR_DIRTY, "clear-remote-dirty")           \
	X(SNAPSHOT, "snapshot-dirty")                  \
	X(REQUEST, "request-flush")                    \
	X(REQUEST_DONE, "request-flush-done")          \
	X(KICK, "kick")                                \
	X(SKIP_FLUSH, "skip-flush")                    \
	X(INVALIDATE_START, "invalidate-start")        \
	X(INVALIDATE_END, "invalidate-end")            \
	X(FRAME_FREE, "frame-free")                    \
	X(LOCK, "mmu-lock")                            \
	X(UNLOCK, "mmu-unlock")                        \
	X(STORE_BUFFERED, "buffered")            \
	X(STORE_VISIBLE, "visible")              \
	X(STALE_LOAD, "stale-read")                    \
	X(VIOLATION, "VIOLATION")                      \
	X(PAGE_DIRTY, "mark-page-dirty")               \
	X(HARVEST, "harvest")                          \
	X(HARVEST_DONE, "harvest-returns")             \
	X(WRPROT, "write-protect")                     \
	X(TRACK, "track-gfn")                          \
	X(UNTRACK, "untrack-gfn")                      \
	X(AGE, "clear-young")                          \
	X(EMULATE, "emulate-write")

enum trace_event {
#define TRACE_ENUM(id, name) TR_##id,
	TRACE_EVENTS(TRACE_ENUM)
#undef TRACE_ENUM
	NR_TRACE_EVENTS
};

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
void trace_ring_add(struct trace_ring *ring, enum trace_event ev, uint64_t a,
		    uint64_t b, uint64_t t_ns);

struct thread_ctx;
/* Print, merged by time, the last `per_thread` events of every thread that
 * happened up to `until_ns` (what led to a violation, not what followed it).
 * Call only when no worker runs (after join): the rings are read without
 * synchronization. */
void trace_dump(FILE *out, struct thread_ctx *const *threads, int nr_threads,
		int per_thread, uint64_t t0_ns, uint64_t until_ns);
const char *trace_event_name(enum trace_event ev);
/* Start a ring afresh (a new controlled execution). */
void trace_ring_reset(struct trace_ring *ring);
/* A controlled execution starts: its event order counts from zero. */
void trace_seq_reset(void);
/* One record as text: "spte-zap 0x3 =0x1234" or "store-visible v0.mode=1". */
void trace_format(char *buf, size_t size, const struct trace_record *r);
/* A controlled execution's events as a timeline, one column per thread, one
 * row per event in the order they happened: the last `rows` of them up to
 * and including the first violation. */
void trace_timeline(FILE *out, struct thread_ctx *const *threads, int nr_threads,
		    int rows);
/* The hash of every thread's events, in thread order. */
uint64_t trace_hash(struct thread_ctx *const *threads, int nr_threads);

#endif
