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
			json_array_append_new(a, json_pack("{s:i, s:I}", "run", d[i].thread,
							   "n", (json_int_t)n));
			break;
		case CTL_COMMIT:
			json_array_append_new(a, json_pack("{s:i, s:i}", "commit", d[i].thread,
							   "entry", d[i].arg));
			break;
		case CTL_STALE:
			json_array_append_new(a, json_pack("{s:i, s:b}", "stale", d[i].thread,
							   "older", d[i].arg));
			break;
		default:
			json_array_append_new(a, json_pack("{s:i}", "reseed", d[i].arg));
			break;
		}
		i += n;
	}
	return a;
}

static int append(struct ctl_decision **out, size_t *len, size_t *cap, struct ctl_decision d)
{
	if (*len == *cap) {
		size_t c = *cap ? 2 * *cap : 256;
		struct ctl_decision *g = realloc(*out, c * sizeof(*g));

		if (!g)
			return -1;
		*out = g;
		*cap = c;
	}
	(*out)[(*len)++] = d;
	return 0;
}

/* One element; -1 if it is none of the four shapes. */
static int decision_from_json(json_t *e, struct ctl_decision **out, size_t *len, size_t *cap)
{
	int t, arg;
	json_int_t n;

	if (!json_unpack(e, "{s:i, s:I}", "run", &t, "n", &n)) {
		if (t < 0 || t >= CTL_MAX_THREADS || n < 1 || n > 10000000)
			return -1;
		while (n--)
			if (append(out, len, cap, (struct ctl_decision){ CTL_RUN, (uint8_t)t, 0 }))
				return -1;
		return 0;
	}
	if (!json_unpack(e, "{s:i, s:i}", "commit", &t, "entry", &arg)) {
		if (t < 0 || t >= CTL_MAX_THREADS || arg < 0 || arg > 255)
			return -1;
		return append(out, len, cap,
			      (struct ctl_decision){ CTL_COMMIT, (uint8_t)t, (uint8_t)arg });
	}
	if (!json_unpack(e, "{s:i, s:b}", "stale", &t, "older", &arg)) {
		if (t < 0 || t >= CTL_MAX_THREADS)
			return -1;
		return append(out, len, cap,
			      (struct ctl_decision){ CTL_STALE, (uint8_t)t, (uint8_t)!!arg });
	}
	if (!json_unpack(e, "{s:i}", "reseed", &arg)) {
		if (arg < 0 || arg > 255)
			return -1;
		return append(out, len, cap, (struct ctl_decision){ CTL_RESEED, 0, (uint8_t)arg });
	}
	return -1;
}

int schedule_from_json(const json_t *j, struct ctl_decision **out, size_t *len)
{
	size_t cap = 0, i;
	json_t *e;

	*out = NULL;
	*len = 0;
	if (!json_is_array(j)) {
		fprintf(stderr, "stress: the report's schedule is not a list\n");
		return -1;
	}
	json_array_foreach(j, i, e) {
		if (decision_from_json(e, out, len, &cap)) {
			fprintf(stderr, "stress: the report's schedule has a malformed "
				"decision at position %zu\n", i);
			free(*out);
			*out = NULL;
			return -1;
		}
	}
	return 0;
}
