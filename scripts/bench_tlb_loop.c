// SPDX-License-Identifier: GPL-2.0
/*
 * bench_tlb_loop: the model's own tlb_lookup() in a tight loop, the ceiling a
 * vCPU thread's guest accesses per second are measured against.
 *
 * A guest access in free mode is a TLB lookup plus everything around it: the
 * guest program's draws, the oracle's check of the use, the frame's content,
 * the exits and faults an invlpg brings. This loop keeps only the lookup,
 * over the same working set (hot gfns 0 .. HOT-1, drawn uniformly, as
 * pick_hot_gfn() draws them) in a TLB of the same size, every hot gfn filled
 * first as the vCPU's TLB holds them between invlpgs. The gfns are drawn
 * before the clock starts, so the loop times lookups, not the generator.
 *
 *   usage: bench_tlb_loop HOT_GFNS TLB_ENTRIES [SECONDS]   (default 2)
 *   output: tlb_lookup lookups_per_s=<float> lookups=<count> hit_ratio=<float>
 *
 * Build: make build/bench_tlb_loop (links the model's objects of build/).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "../engine/rng.h"
#include "../model/spte.h"
#include "../model/tlb.h"

/* Gfns drawn ahead: a power of two, large enough that the loop does not
 * replay a pattern the branch predictor learns, small enough for L1. */
#define GFN_RING 4096U
/* Lookups between clock reads, so the clock costs nothing per lookup. */
#define CHUNK (1U << 20)
#define SEED 0x746c62 /* "tlb" */

struct loop_args {
	uint64_t hot_gfns;
	uint32_t tlb_entries;
	double seconds;
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int usage(const char *prog)
{
	fprintf(stderr,
		"usage: %s HOT_GFNS TLB_ENTRIES [SECONDS]\n"
		"  HOT_GFNS from 1, TLB_ENTRIES a power of two from 16, 0 < SECONDS <= 3600\n",
		prog);
	return 2;
}

/* A decimal or 0x-hex count in [min, max], or 0 when it is none. */
static uint64_t parse_count(const char *s, uint64_t min, uint64_t max)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s || *end || v < min || v > max)
		return 0;
	return v;
}

static int parse_args(int argc, char **argv, struct loop_args *a)
{
	char *end;

	if (argc < 3 || argc > 4)
		return -1;
	a->hot_gfns = parse_count(argv[1], 1, 1ULL << 26);
	a->tlb_entries = (uint32_t)parse_count(argv[2], 16, 65536);
	a->seconds = 2.0;
	if (argc == 4) {
		errno = 0;
		a->seconds = strtod(argv[3], &end);
		if (errno || end == argv[3] || *end || !(a->seconds > 0) || a->seconds > 3600)
			return -1;
	}
	return a->hot_gfns && a->tlb_entries ? 0 : -1;
}

/* Every hot gfn cached by a 4K leaf, as the vCPU's faults leave them; a
 * slot two gfns share keeps the later, as a fill there evicts. */
static void fill_hot(struct tlb *tlb, uint64_t hot_gfns)
{
	for (gfn_t gfn = 0; gfn < hot_gfns; gfn++)
		tlb_fill(tlb, gfn, make_leaf_spte(gfn, 0, PG_LEVEL_4K, true), PG_LEVEL_4K);
}

static void draw_gfns(gfn_t *ring, uint64_t hot_gfns)
{
	struct rng rng;

	rng_seed(&rng, SEED, 0);
	for (uint32_t i = 0; i < GFN_RING; i++)
		ring[i] = rng_below(&rng, hot_gfns);
}

/* Lookups until @seconds have passed; returns how many, and the hits. */
static uint64_t lookup_loop(struct tlb *tlb, const gfn_t *ring, double seconds, uint64_t *hits,
			    double *elapsed)
{
	double start = now_s(), t;
	uint64_t n = 0, h = 0;

	do {
		for (uint32_t i = 0; i < CHUNK; i++)
			h += tlb_lookup(tlb, ring[i & (GFN_RING - 1)]) != NULL;
		n += CHUNK;
		t = now_s() - start;
	} while (t < seconds);
	*hits = h;
	*elapsed = t;
	return n;
}

int main(int argc, char **argv)
{
	static gfn_t ring[GFN_RING];
	struct loop_args a;
	struct tlb tlb;
	uint64_t n, hits;
	double elapsed;

	if (parse_args(argc, argv, &a))
		return usage(argv[0]);
	if (tlb_init(&tlb, a.tlb_entries, TLB_HUGE_ENTRY)) {
		fprintf(stderr, "%s: cannot make a TLB of %u entries\n", argv[0], a.tlb_entries);
		return 2;
	}
	fill_hot(&tlb, a.hot_gfns);
	draw_gfns(ring, a.hot_gfns);
	n = lookup_loop(&tlb, ring, a.seconds, &hits, &elapsed);
	/* The count too: a caller that knows the CPU time this process had
	 * can divide by that instead of the wall clock. */
	printf("tlb_lookup lookups_per_s=%.1f lookups=%llu hit_ratio=%.4f\n", (double)n / elapsed,
	       (unsigned long long)n, (double)hits / (double)n);
	tlb_destroy(&tlb);
	return 0;
}
