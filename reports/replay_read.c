// SPDX-License-Identifier: GPL-2.0
#include "replay_read.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void replay_file_free(struct replay_file *rf)
{
	for (int i = 0; i < rf->nr_kv; i++)
		free(rf->kv[i].value);
	free(rf->schedule);
	memset(rf, 0, sizeof(*rf));
}

/* The first run's replay object, or NULL. */
static json_t *replay_object(json_t *root)
{
	json_t *runs = json_object_get(root, "runs"), *run;
	size_t i;

	json_array_foreach(runs, i, run)
	{
		json_t *rp = json_object_get(run, "replay");

		if (json_is_object(rp))
			return rp;
	}
	return NULL;
}

/* One key's value as text: strings as they are, whole numbers in decimal,
 * true as a flag; nothing else is an option's value. */
static int kv_from(const char *key, json_t *v, struct report_kv *kv, char *why, size_t why_len)
{
	char num[32];
	const char *text;

	if (strlen(key) >= sizeof(kv->key)) {
		snprintf(why, why_len, "its replay has a key too long to be an option ('%.40s...')",
			 key);
		return -1;
	}
	if (json_is_string(v)) {
		text = json_string_value(v);
		kv->type = KV_STRING;
	} else if (json_is_integer(v)) {
		snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v));
		text = num;
		kv->type = KV_NUMBER;
	} else if (json_is_true(v)) {
		text = "";
		kv->type = KV_TRUE;
	} else {
		snprintf(why, why_len, "its replay's '%s' is not a string or a whole number", key);
		return -1;
	}
	snprintf(kv->key, sizeof(kv->key), "%s", key);
	kv->value = strdup(text);
	if (!kv->value) {
		snprintf(why, why_len, "out of memory");
		return -1;
	}
	return 0;
}

static int from_root(json_t *root, size_t max_bytes, struct replay_file *rf, char *why,
		     size_t why_len)
{
	json_t *rp = replay_object(root), *v;
	const char *key;

	if (!rp) {
		snprintf(why, why_len, "no run in it has a failing controlled execution");
		return REPLAY_READ_BAD;
	}
	json_object_foreach(rp, key, v)
	{
		if (!strcmp(key, "schedule")) {
			int err =
				schedule_from_json(v, max_bytes / sizeof(struct ctl_decision),
						   &rf->schedule, &rf->schedule_len, why, why_len);

			if (err)
				return err;
			continue;
		}
		if (rf->nr_kv == REPLAY_MAX_KEYS) {
			snprintf(why, why_len, "its replay has more than %d keys", REPLAY_MAX_KEYS);
			return REPLAY_READ_BAD;
		}
		if (kv_from(key, v, &rf->kv[rf->nr_kv], why, why_len))
			return REPLAY_READ_BAD;
		rf->nr_kv++;
	}
	return REPLAY_READ_OK;
}

static int parsed(json_t *root, const json_error_t *err, size_t max_bytes, struct replay_file *rf,
		  char *why, size_t why_len)
{
	int ret;

	memset(rf, 0, sizeof(*rf));
	if (!root) {
		snprintf(why, why_len, "it is not JSON: %s (line %d)", err->text, err->line);
		return REPLAY_READ_BAD;
	}
	ret = from_root(root, max_bytes, rf, why, why_len);
	json_decref(root);
	if (ret)
		replay_file_free(rf);
	return ret;
}

int replay_file_parse(const char *buf, size_t len, size_t max_bytes, struct replay_file *rf,
		      char *why, size_t why_len)
{
	json_error_t err;

	if (len > max_bytes) {
		snprintf(why, why_len, "it is %zu bytes, more than --max-memory (%zu) holds", len,
			 max_bytes);
		return REPLAY_READ_TOO_BIG;
	}
	return parsed(json_loadb(buf, len, JSON_REJECT_DUPLICATES, &err), &err, max_bytes, rf, why,
		      why_len);
}

/* The whole file, at most max_bytes + 1 of it: a FIFO has no size to
 * look at first. */
static char *slurp(FILE *f, size_t max_bytes, size_t *len)
{
	size_t cap = (size_t)64 * 1024;
	char *buf = malloc(cap);

	*len = 0;
	while (buf) {
		size_t n = fread(buf + *len, 1, cap - *len, f);

		*len += n;
		if (n == 0 || *len > max_bytes)
			break;
		if (*len == cap) {
			char *g = realloc(buf, cap * 2);

			if (!g)
				free(buf);
			buf = g;
			cap *= 2;
		}
	}
	return buf;
}

int replay_file_read(const char *path, size_t max_bytes, struct replay_file *rf, char *why,
		     size_t why_len)
{
	FILE *f = fopen(path, "r");
	size_t len;
	char *buf;
	int ret;

	memset(rf, 0, sizeof(*rf));
	if (!f) {
		snprintf(why, why_len, "%s", strerror(errno));
		return REPLAY_READ_BAD;
	}
	buf = slurp(f, max_bytes, &len);
	if (!buf || ferror(f)) {
		snprintf(why, why_len, "%s", buf ? strerror(errno) : "out of memory reading it");
		fclose(f);
		free(buf);
		return buf ? REPLAY_READ_BAD : REPLAY_READ_TOO_BIG;
	}
	fclose(f);
	ret = replay_file_parse(buf, len, max_bytes, rf, why, why_len);
	free(buf);
	return ret;
}
