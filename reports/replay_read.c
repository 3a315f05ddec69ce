// SPDX-License-Identifier: GPL-2.0
#include "replay_read.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* What a file that is not a regular one is, for a message. */
static const char *kind_of(mode_t mode)
{
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISCHR(mode))
		return "a character device";
	if (S_ISBLK(mode))
		return "a block device";
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISSOCK(mode))
		return "a socket";
	return "not a regular file";
}

/* At most size + 1 bytes of fd, whose size was `size` (within the budget)
 * when looked at: a file that grew since is read one byte past that, and
 * refused, never read to its end. NULL with errno on failure. */
static char *read_at_most(int fd, off_t size, size_t *len)
{
	size_t cap = (size_t)size + 1;
	char *buf = malloc(cap);

	*len = 0;
	while (buf && *len < cap) {
		ssize_t n = read(fd, buf + *len, cap - *len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			free(buf);
			return NULL;
		}
		if (n == 0)
			break;
		*len += (size_t)n;
	}
	return buf;
}

int replay_file_read(const char *path, size_t max_bytes, struct replay_file *rf, char *why,
		     size_t why_len)
{
	/* O_NONBLOCK: a FIFO would block open() until a writer came; it is
	 * refused by its type instead. */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	size_t len;
	char *buf;
	int ret;

	memset(rf, 0, sizeof(*rf));
	if (fd < 0 || fstat(fd, &st)) {
		snprintf(why, why_len, "%s", strerror(errno));
		if (fd >= 0)
			close(fd);
		return REPLAY_READ_BAD;
	}
	/* A device or a FIFO has no size to hold to the budget first, and
	 * /dev/zero never ends: only a report file is read. */
	if (!S_ISREG(st.st_mode)) {
		snprintf(why, why_len, "it is %s, and a replay is read from a report file",
			 kind_of(st.st_mode));
		close(fd);
		return REPLAY_READ_BAD;
	}
	if ((uint64_t)st.st_size > max_bytes) {
		snprintf(why, why_len, "it is %lld bytes, more than --max-memory (%zu) holds",
			 (long long)st.st_size, max_bytes);
		close(fd);
		return REPLAY_READ_TOO_BIG;
	}
	buf = read_at_most(fd, st.st_size, &len);
	ret = errno;
	close(fd);
	if (!buf) {
		snprintf(why, why_len, "%s",
			 ret == ENOMEM ? "out of memory reading it" : strerror(ret));
		return ret == ENOMEM ? REPLAY_READ_TOO_BIG : REPLAY_READ_BAD;
	}
	if (len > (size_t)st.st_size) {
		snprintf(why, why_len,
			 "it grew while it was read (from %lld bytes): replay a "
			 "report that is finished",
			 (long long)st.st_size);
		free(buf);
		return REPLAY_READ_BAD;
	}
	ret = replay_file_parse(buf, len, max_bytes, rf, why, why_len);
	free(buf);
	return ret;
}
