// SPDX-License-Identifier: GPL-2.0
/* Schedules (decision lists) in and out of JSON reports. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#include "report.h"

json_t *schedule_json(const struct ctl_decision *d, size_t len)
{
	json_t *a = json_array();

	for (size_t i = 0; i < len;) {
		size_t n = 1;

		switch (d[i].kind) {
		case CTL_RUN:
			while (i + n < len && d[i + n].kind == CTL_RUN &&
			       d[i + n].thread == d[i].thread)
				n++;
			json_array_append_new(
				a, json_pack("{s:i, s:I}", "run", d[i].thread, "n", (json_int_t)n));
			break;
		case CTL_COMMIT:
			json_array_append_new(a, json_pack("{s:i, s:i}", "commit", d[i].thread,
							   "entry", d[i].arg));
			break;
		case CTL_STALE:
			json_array_append_new(a, json_pack("{s:i, s:b}", "stale", d[i].thread,
							   "older", d[i].arg));
			break;
		default: json_array_append_new(a, json_pack("{s:i}", "reseed", d[i].arg)); break;
		}
		i += n;
	}
	return a;
}

/* One element, read strictly (no other keys); *d is the decision and *n
 * how many times it repeats. -1 if it is none of the four shapes or out of
 * bounds. */
static int decision_from_json(json_t *e, struct ctl_decision *d, json_int_t *n)
{
	json_int_t t, arg;
	int older;

	*n = 1;
	if (!json_unpack(e, "{s:I, s:I!}", "run", &t, "n", n)) {
		if (t < 0 || t >= CTL_MAX_THREADS || *n < 1)
			return -1;
		*d = (struct ctl_decision){ CTL_RUN, (uint8_t)t, 0 };
		return 0;
	}
	if (!json_unpack(e, "{s:I, s:I!}", "commit", &t, "entry", &arg)) {
		if (t < 0 || t >= CTL_MAX_THREADS || arg < 0 || arg > 255)
			return -1;
		*d = (struct ctl_decision){ CTL_COMMIT, (uint8_t)t, (uint8_t)arg };
		return 0;
	}
	if (!json_unpack(e, "{s:I, s:b!}", "stale", &t, "older", &older)) {
		if (t < 0 || t >= CTL_MAX_THREADS)
			return -1;
		*d = (struct ctl_decision){ CTL_STALE, (uint8_t)t, (uint8_t) !!older };
		return 0;
	}
	if (!json_unpack(e, "{s:I!}", "reseed", &arg)) {
		if (arg < 0 || arg > 255)
			return -1;
		*d = (struct ctl_decision){ CTL_RESEED, 0, (uint8_t)arg };
		return 0;
	}
	return -1;
}

int schedule_from_json(const json_t *j, size_t max_decisions, struct ctl_decision **out,
		       size_t *len, char *why, size_t why_len)
{
	uint64_t total = 0;
	size_t i, k = 0;
	json_t *e;

	*out = NULL;
	*len = 0;
	if (!json_is_array(j)) {
		snprintf(why, why_len, "its schedule is not a list");
		return -1;
	}
	/* First count what it asks for, then build it: a short file can ask
	 * for a great many decisions. */
	json_array_foreach(j, i, e)
	{
		struct ctl_decision d;
		json_int_t n;

		if (decision_from_json(e, &d, &n)) {
			snprintf(why, why_len,
				 "its schedule's decision %zu is malformed (a thread "
				 "from 0 to %d; see the README for the four shapes)",
				 i, CTL_MAX_THREADS - 1);
			return -1;
		}
		total += (uint64_t)n;
		if (total > max_decisions) {
			snprintf(why, why_len,
				 "its schedule asks for more than %zu decisions "
				 "(%zu bytes, what --max-memory holds) by decision %zu",
				 max_decisions, max_decisions * sizeof(struct ctl_decision), i);
			return -2;
		}
	}
	*out = malloc(((size_t)total + 1) * sizeof(**out));
	if (!*out) {
		snprintf(why, why_len, "out of memory for its %llu decisions",
			 (unsigned long long)total);
		return -2;
	}
	json_array_foreach(j, i, e)
	{
		struct ctl_decision d;
		json_int_t n;

		decision_from_json(e, &d, &n);
		while (n--)
			(*out)[k++] = d;
	}
	*len = k;
	return 0;
}
