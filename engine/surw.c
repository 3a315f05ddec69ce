// SPDX-License-Identifier: GPL-2.0
/* Selectively uniform random walk (engine/surw.h). */
#include "surw.h"

#include <string.h>

#include "site_map.h"

#define SURW_SITES_PER_WORD 16

/* A shared word in the profile: the first fiber to touch it, the points
 * its steps touched it from, and whether another fiber touched it too. */
struct word_record {
	int first_fiber;
	bool interesting;
	int nr_sites;
	const char *sites[SURW_SITES_PER_WORD];
};

struct surw_profile {
	struct site_map words; /* address -> words[] */
	struct word_record word[SITE_MAP_SLOTS];
	struct site_map steps; /* (site, fiber) -> counts[] */
	uint64_t count[SITE_MAP_SLOTS];
	const char *step_site[SITE_MAP_SLOTS];
	int step_fiber[SITE_MAP_SLOTS];
	struct site_map interesting; /* site -> (slot: interesting) */
	uint64_t learnt_at;
	uint64_t weight[CTL_MAX_THREADS];
};

struct surw {
	int64_t weight[CTL_MAX_THREADS];
	bool blocked[CTL_MAX_ENTITIES];
	int intended; /* -1: none drawn */
};

static struct surw_profile profile;
static struct surw walk;

/* ---- the profile ---------------------------------------------------------- */

void *surw_profile_begin(void)
{
	site_map_clear(&profile.words);
	site_map_clear(&profile.steps);
	site_map_clear(&profile.interesting);
	profile.learnt_at = 0;
	memset(profile.weight, 0, sizeof(profile.weight));
	return &profile;
}

/* A fiber's first step starts at no point: it is never chosen at one. */
static void mark_interesting(const char *site)
{
	if (site)
		site_map_find(&profile.interesting, (uint64_t)(uintptr_t)site, true);
}

/* Fray's constructInterestingOperation(), for every word of a step. */
static void learn_word(uintptr_t addr, int fiber, const char *site)
{
	uint32_t before = profile.words.used;
	int slot = site_map_find(&profile.words, addr, true);
	struct word_record *w;

	if (slot < 0)
		return;
	w = &profile.word[slot];
	if (profile.words.used != before)
		*w = (struct word_record){ .first_fiber = fiber };
	if (w->interesting) {
		mark_interesting(site);
	} else if (w->first_fiber == fiber) {
		if (w->nr_sites < SURW_SITES_PER_WORD)
			w->sites[w->nr_sites++] = site;
	} else {
		w->interesting = true;
		mark_interesting(site);
		for (int i = 0; i < w->nr_sites; i++)
			mark_interesting(w->sites[i]);
	}
}

static void learn_step(const struct ctl *c)
{
	int slot;

	if (c->last_step_thread < 0 || profile.learnt_at == c->steps)
		return;
	profile.learnt_at = c->steps;
	slot = site_map_find(&profile.steps, site_key(c->last_step_site, c->last_step_thread),
			     true);
	if (slot >= 0) {
		profile.count[slot]++;
		profile.step_site[slot] = c->last_step_site;
		profile.step_fiber[slot] = c->last_step_thread;
	}
	for (int i = 0; i < c->last_step.n; i++)
		learn_word(c->last_step.a[i].addr, c->last_step_thread, c->last_step_site);
}

static int profile_pick(void *arg, struct ctl *c, const int *en, int n, int *commit_entry)
{
	(void)arg;
	learn_step(c);
	*commit_entry = -1;
	return en[rng_below(&c->rng, (uint64_t)n)];
}

static bool site_interesting(const char *site)
{
	return site && site_map_find(&profile.interesting, (uint64_t)(uintptr_t)site, false) >= 0;
}

void surw_profile_end(const struct ctl *c)
{
	/* The last step is followed by no decision: learn it here. */
	learn_step(c);
	for (uint32_t s = 0; s < profile.steps.used; s++)
		if (site_interesting(profile.step_site[s]))
			profile.weight[profile.step_fiber[s]] += profile.count[s];
}

int surw_interesting_sites(void)
{
	return (int)profile.interesting.used;
}

uint64_t surw_weight(int fiber)
{
	return profile.weight[fiber];
}

/* ---- the walk ------------------------------------------------------------- */

void *surw_begin(void)
{
	for (int i = 0; i < CTL_MAX_THREADS; i++)
		walk.weight[i] = (int64_t)profile.weight[i];
	memset(walk.blocked, 0, sizeof(walk.blocked));
	walk.intended = -1;
	return &walk;
}

/* Fray's updateNextIntendedThread(): a fiber drawn in proportion to the
 * interesting events it has left. */
static void draw_intended(struct surw *s, struct ctl *c, const int *f, int nf)
{
	int64_t total = 0, at = 0, pick;

	for (int i = 0; i < nf; i++)
		if (f[i] < c->nr_threads)
			total += s->weight[f[i]];
	if (total <= 0)
		return;
	pick = (int64_t)rng_below(&c->rng, (uint64_t)total) + 1;
	for (int i = 0; i < nf; i++) {
		int64_t w = f[i] < c->nr_threads ? s->weight[f[i]] : 0;

		at += w;
		if (w && at >= pick) {
			s->intended = f[i];
			return;
		}
	}
}

static int unblocked(const struct surw *s, const int *en, int n, int *out)
{
	int nf = 0;

	for (int i = 0; i < n; i++)
		if (!s->blocked[en[i]])
			out[nf++] = en[i];
	return nf;
}

static int surw_pick(void *arg, struct ctl *c, const int *en, int n, int *commit_entry)
{
	struct surw *s = arg;
	int f[CTL_MAX_ENTITIES];

	*commit_entry = -1;
	for (;;) {
		int nf = unblocked(s, en, n, f), next;

		if (!nf) {
			s->intended = -1;
			memset(s->blocked, 0, sizeof(s->blocked));
			continue;
		}
		next = f[rng_below(&c->rng, (uint64_t)nf)];
		if (next >= c->nr_threads || !site_interesting(c->threads[next].site))
			return next;
		if (s->weight[next] == 0)
			s->weight[next] = 1;
		if (s->intended < 0)
			draw_intended(s, c, f, nf);
		if (next == s->intended) {
			s->weight[next]--;
			memset(s->blocked, 0, sizeof(s->blocked));
			s->intended = -1;
			return next;
		}
		s->blocked[next] = true;
	}
}

const struct ctl_picker surw_profile_picker = { .pick = profile_pick, .stale = NULL };
const struct ctl_picker surw_picker = { .pick = surw_pick, .stale = NULL };
