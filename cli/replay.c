// SPDX-License-Identifier: GPL-2.0
#include "replay.h"

#include <string.h>

#include "../engine/budget.h"
#include "../engine/check.h"
#include "../engine/run.h"
#include "../reports/replay_read.h"
#include "complain.h"

/* The keys a replay carries, for a message. */
static void carried_keys(char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int i = 0, n = 0; i < NR_OPTIONS && used < len; i++)
		if (option_table[i].flags & OPTF_CARRIED)
			used += (size_t)snprintf(buf + used, len - used, "%s%s", n++ ? ", " : "",
						 option_table[i].name);
}

static int apply_pair(struct options *o, const struct report_kv *kv, bool keep_variant)
{
	const struct option_def *d = option_find(kv->key);
	char label[128], keys[512];

	if (!d || !(d->flags & OPTF_CARRIED)) {
		carried_keys(keys, sizeof(keys));
		complain("--replay '%s': '%s' is not something a replay carries (it carries: %s "
			 "and schedule)",
			 o->replay_path, kv->key, keys);
		return -1;
	}
	/* --variant V beside --replay: the same decisions against V. */
	if (option_id_of(d) == OPT_VARIANT && keep_variant)
		return 0;
	snprintf(label, sizeof(label), "--replay '%s': %s", o->replay_path, kv->key);
	if (option_set(o, option_id_of(d), kv->type == KV_TRUE ? NULL : kv->value, label))
		return -1;
	o->from_replay[option_id_of(d)] = true;
	return 0;
}

/* What every replay needs, and what no replay can be. */
static int check_replay(const struct options *o, bool has_schedule)
{
	static const enum option_id needed[] = { OPT_SCENARIO, OPT_VARIANT, OPT_SCHED, OPT_SEED };

	for (size_t i = 0; i < sizeof(needed) / sizeof(needed[0]); i++)
		if (!o->given[needed[i]]) {
			complain("--replay '%s' cannot be replayed: it says no %s", o->replay_path,
				 option_table[needed[i]].name);
			return -1;
		}
	if (!has_schedule && !o->given[OPT_EXECUTION]) {
		complain("--replay '%s' cannot be replayed: it has neither an execution nor a "
			 "schedule",
			 o->replay_path);
		return -1;
	}
	if (o->sched == SCHED_FREE) {
		complain("--replay '%s' cannot be replayed: its run was free mode, which no seed "
			 "replays; only a controlled execution (random, pct, cover) does",
			 o->replay_path);
		return -1;
	}
	if (!strcmp(o->scenario, "all") || !strcmp(o->variant, "all")) {
		complain("--replay '%s' cannot be replayed: it names 'all', and a replay is one "
			 "run of one variant",
			 o->replay_path);
		return -1;
	}
	return 0;
}

/* The schedule becomes the guide, charged to --max-memory. */
static int take_schedule(struct options *o, struct replay_file *rf)
{
	if (!rf->schedule)
		return 0;
	if (!budget_charge(rf->schedule_len * sizeof(*rf->schedule))) {
		complain("--replay '%s': its schedule of %zu decisions is more than --max-memory "
			 "holds",
			 o->replay_path, rf->schedule_len);
		return EXIT_SKIPPED;
	}
	o->guide = rf->schedule;
	o->guide_len = rf->schedule_len;
	rf->schedule = NULL;
	return 0;
}

int replay_apply(struct options *o, struct replay_file *rf)
{
	bool keep_variant = o->given[OPT_VARIANT], has_schedule = rf->schedule != NULL;
	int err = 0;

	for (int i = 0; i < rf->nr_kv && !err; i++)
		err = apply_pair(o, &rf->kv[i], keep_variant);
	if (err || check_replay(o, has_schedule))
		return EXIT_USAGE;
	err = take_schedule(o, rf);
	if (err)
		return err;
	/* The report's claim is that it fails; another variant is judged as
	 * that variant, and --expect wins over both. */
	if (!o->given[OPT_EXPECT])
		o->expect = keep_variant ? EXPECT_FROM_VARIANT : EXPECT_VIOLATION;
	return 0;
}

int replay_load(struct options *o)
{
	struct replay_file rf;
	char why[512];
	int err;

	if (options_check_with_replay(o))
		return EXIT_USAGE;
	if (o->given[OPT_VARIANT] && !strcmp(o->variant, "all")) {
		complain("--variant all cannot be used with --replay: a replay runs one variant; "
			 "give one by name, or none for the report's own");
		return EXIT_USAGE;
	}
	err = replay_file_read(o->replay_path, o->max_memory, &rf, why, sizeof(why));
	if (err) {
		complain("--replay '%s' cannot be replayed: %s", o->replay_path, why);
		return err == REPLAY_READ_TOO_BIG ? EXIT_SKIPPED : EXIT_USAGE;
	}
	err = replay_apply(o, &rf);
	replay_file_free(&rf);
	return err;
}
