// SPDX-License-Identifier: GPL-2.0
/* Partial order sampling (engine/pos.h). */
#include "pos.h"

#include "memmodel.h"
#include "site_map.h"

struct pos {
	/* 0: no priority yet (drawn when next enabled). */
	uint64_t priority[CTL_MAX_ENTITIES];
	/* What each fiber's step from each point touched, this execution. */
	struct site_map seen;
	struct footprint step[SITE_MAP_SLOTS];
	uint64_t learnt_at; /* c->steps when the last step was learnt */
};

static struct pos the_pos;

void *pos_begin(void)
{
	struct pos *p = &the_pos;

	for (int i = 0; i < CTL_MAX_ENTITIES; i++)
		p->priority[i] = 0;
	site_map_clear(&p->seen);
	p->learnt_at = 0;
	return p;
}

/* The step that just ended is what its fiber does from its start point. */
static void learn_last_step(struct pos *p, const struct ctl *c)
{
	int slot;

	if (c->last_step_thread < 0 || p->learnt_at == c->steps)
		return;
	p->learnt_at = c->steps;
	slot = site_map_find(&p->seen, site_key(c->last_step_site, c->last_step_thread), true);
	if (slot >= 0)
		p->step[slot] = c->last_step;
}

/* What entity e's next step is expected to touch; NULL: not known. */
static const struct footprint *next_step(struct pos *p, const struct ctl *c, int e,
					 struct footprint *buf)
{
	int slot;

	if (e >= c->nr_threads) {
		footprint_clear(buf);
		footprint_add(buf, mm_entry_addr(e - c->nr_threads, 0), true);
		return buf;
	}
	slot = site_map_find(&p->seen, site_key(c->threads[e].site, e), false);
	return slot < 0 ? NULL : &p->step[slot];
}

static bool racing(struct pos *p, const struct ctl *c, int a, int b)
{
	struct footprint fa, fb;
	const struct footprint *x = next_step(p, c, a, &fa), *y = next_step(p, c, b, &fb);

	return !x || !y || footprints_conflict(x, y);
}

static int pos_pick(void *arg, struct ctl *c, const int *en, int n, int *commit_entry)
{
	struct pos *p = arg;
	int next = en[0];

	learn_last_step(p, c);
	*commit_entry = -1;
	/* Alone, it acts, and keeps its priority (as Fray's does). */
	if (n == 1)
		return en[0];
	for (int i = 0; i < n; i++) {
		while (!p->priority[en[i]])
			p->priority[en[i]] = rng_next(&c->rng);
		if (p->priority[en[i]] > p->priority[next])
			next = en[i];
	}
	for (int i = 0; i < n; i++)
		if (en[i] != next && racing(p, c, en[i], next))
			p->priority[en[i]] = 0;
	p->priority[next] = 0;
	return next;
}

const struct ctl_picker pos_picker = { .pick = pos_pick, .stale = NULL };
