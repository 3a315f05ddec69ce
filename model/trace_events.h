/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The model's trace events: what a thread's ring records of the model's
 * steps, and the names timelines print. The engine's own events (buffered
 * stores, stale reads, a violation) keep their slots in this list.
 */
#ifndef LOSTFLUSH_TRACE_EVENTS_H
#define LOSTFLUSH_TRACE_EVENTS_H

#include "../engine/trace.h"

/* X(enum suffix, printed name); E: the engine's own events, in their slots. */
#define TRACE_EVENTS(X, E)                      \
	X(ENTER, "enter-guest")                 \
	X(EXIT, "exit-guest")                   \
	X(TLB_FILL, "tlb-fill")                 \
	X(TLB_FLUSH_ALL, "tlb-flush-all")       \
	X(TLB_FLUSH_ONE, "tlb-flush-local")     \
	X(FAULT, "fault")                       \
	X(FAULT_RETRY, "fault-retry")           \
	X(SPTE_SET, "spte-set")                 \
	X(SPTE_ZAP, "spte-zap")                 \
	X(INVLPG, "invlpg")                     \
	X(MARK_DIRTY, "mark-remote-dirty")      \
	X(CLEAR_DIRTY, "clear-remote-dirty")    \
	X(SNAPSHOT, "snapshot-dirty")           \
	X(REQUEST, "request-flush")             \
	X(REQUEST_DONE, "request-flush-done")   \
	X(KICK, "kick")                         \
	X(SKIP_FLUSH, "skip-flush")             \
	X(INVALIDATE_START, "invalidate-start") \
	X(INVALIDATE_END, "invalidate-end")     \
	X(FRAME_FREE, "frame-free")             \
	X(LOCK, "mmu-lock")                     \
	X(UNLOCK, "mmu-unlock")                 \
	E(STORE_BUFFERED, "buffered")           \
	E(STORE_VISIBLE, "visible")             \
	E(STALE_LOAD, "stale-read")             \
	E(VIOLATION, "VIOLATION")               \
	X(PAGE_DIRTY, "mark-page-dirty")        \
	X(HARVEST, "harvest")                   \
	X(HARVEST_DONE, "harvest-returns")      \
	X(WRPROT, "write-protect")              \
	X(TRACK, "track-gfn")                   \
	X(UNTRACK, "untrack-gfn")               \
	X(AGE, "clear-young")                   \
	X(EMULATE, "emulate-write")             \
	X(TLBI, "tlbi")                         \
	X(S2_BREAK, "s2-break")                 \
	X(S2_MAKE, "s2-make")                   \
	X(CMO_DCACHE, "dcache-clean-poc")       \
	X(CMO_ICACHE, "icache-inval-pou")       \
	X(WRITE_UNCACHED, "write-caches-off")   \
	X(MEMSLOTS_SWAP, "memslots-swap")       \
	X(MEMSLOT_DELETE, "delete-memslot")     \
	X(MEMSLOT_CREATE, "create-memslot")     \
	X(MEMSLOT_MOVE, "move-memslot")         \
	X(GUEST_ITERATION, "guest-iteration")   \
	X(HOST_TAKE_AWAY, "host-take-away")     \
	X(HOST_GIVE_BACK, "host-give-back")

enum trace_event {
#define TRACE_ENUM(id, name) TR_##id,
#define TRACE_SLOT(id, name) TR_SLOT_##id,
	TRACE_EVENTS(TRACE_ENUM, TRACE_SLOT)
#undef TRACE_ENUM
#undef TRACE_SLOT
		NR_TRACE_EVENTS
};

_Static_assert((int)TR_SLOT_STORE_BUFFERED == (int)TR_STORE_BUFFERED &&
		       (int)TR_SLOT_STORE_VISIBLE == (int)TR_STORE_VISIBLE &&
		       (int)TR_SLOT_STALE_LOAD == (int)TR_STALE_LOAD &&
		       (int)TR_SLOT_VIOLATION == (int)TR_VIOLATION,
	       "the engine's events keep their numbers");

extern const char *const trace_event_names[NR_TRACE_EVENTS];

#endif
