// SPDX-License-Identifier: GPL-2.0
#include "output.h"

#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The file a report at path replaces: path itself, or where its symlink
 * leads. -1 with *why if that is not a regular file or nothing. */
static int resolve_target(const char *path, char *target, size_t len, char *why, size_t why_len)
{
	struct stat st;

	if (lstat(path, &st)) {
		if (errno != ENOENT) {
			snprintf(why, why_len, "%s", strerror(errno));
			return -1;
		}
		snprintf(target, len, "%s", path);
		return 0;
	}
	if (S_ISLNK(st.st_mode)) {
		if (stat(path, &st)) {
			snprintf(why, why_len, "it is a symlink to nothing (%s)", strerror(errno));
			return -1;
		}
		if (!realpath(path, target)) {
			snprintf(why, why_len, "its symlink cannot be followed (%s)",
				 strerror(errno));
			return -1;
		}
	} else {
		snprintf(target, len, "%s", path);
	}
	if (S_ISDIR(st.st_mode)) {
		snprintf(why, why_len, "it is a directory: give a file name");
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(why, why_len,
			 "it is not a regular file (a device, FIFO or socket), and "
			 "a report replaces only a regular file");
		return -1;
	}
	return 0;
}

/* The directory a file at target would be created in. */
static void directory_of(const char *target, char *dir, size_t len)
{
	const char *slash = strrchr(target, '/');

	if (!slash)
		snprintf(dir, len, ".");
	else if (slash == target)
		snprintf(dir, len, "/");
	else
		snprintf(dir, len, "%.*s", (int)(slash - target), target);
}

/* A new file beside target, open for writing; its name in tmp. */
static FILE *open_beside(const char *target, char *tmp, size_t len, char *why, size_t why_len)
{
	const char *slash = strrchr(target, '/');
	char dir[PATH_MAX];
	int fd;
	FILE *f;

	directory_of(target, dir, sizeof(dir));
	snprintf(tmp, len, "%s/.%s.XXXXXX", dir, slash ? slash + 1 : target);
	fd = mkstemp(tmp);
	if (fd < 0) {
		snprintf(why, why_len, "cannot create files in '%s': %s", dir, strerror(errno));
		return NULL;
	}
	/* mkstemp() makes it 0600; a report is as readable as any file. */
	{
		mode_t mask = umask(0);

		umask(mask);
		fchmod(fd, 0666 & ~mask);
	}
	f = fdopen(fd, "w");
	if (!f) {
		snprintf(why, why_len, "%s", strerror(errno));
		close(fd);
		unlink(tmp);
	}
	return f;
}

int report_output_check(const char *path, char *why, size_t why_len)
{
	char target[PATH_MAX], tmp[PATH_MAX + 16], dir[PATH_MAX];
	struct stat st;
	FILE *probe;

	if (!*path) {
		snprintf(why, why_len, "it is empty: give a file name");
		return -1;
	}
	if (strlen(path) >= PATH_MAX - 16) {
		snprintf(why, why_len, "it is too long");
		return -1;
	}
	if (path[strlen(path) - 1] == '/') {
		snprintf(why, why_len, "it names a directory: give a file name");
		return -1;
	}
	if (resolve_target(path, target, sizeof(target), why, why_len))
		return -1;
	directory_of(target, dir, sizeof(dir));
	if (stat(dir, &st)) {
		snprintf(why, why_len, "its directory '%s' %s", dir,
			 errno == ENOENT ? "does not exist" : strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(why, why_len, "'%s' is not a directory", dir);
		return -1;
	}
	/* What access() cannot tell (a read-only mount, root's rights):
	 * create the very file the report would be written to first. */
	probe = open_beside(target, tmp, sizeof(tmp), why, why_len);
	if (!probe)
		return -1;
	fclose(probe);
	unlink(tmp);
	return 0;
}

int report_output_write(const char *path, int (*write)(FILE *out, void *arg), void *arg, char *why,
			size_t why_len)
{
	char target[PATH_MAX], tmp[PATH_MAX + 16], reason[256] = "";
	FILE *f;
	bool written;

	/* Checked again: the path may have changed during the run. If it now
	 * names what may not be replaced, the report is still written beside
	 * it, and kept there. */
	if (resolve_target(path, target, sizeof(target), reason, sizeof(reason)))
		snprintf(target, sizeof(target), "%s", path);
	f = open_beside(target, tmp, sizeof(tmp), why, why_len);
	if (!f)
		return -1;
	written = !write(f, arg) && !fflush(f) && !fsync(fileno(f));
	written &= !fclose(f);
	if (!written) {
		snprintf(why, why_len, "writing '%s' failed: %s (it is removed)", tmp,
			 strerror(errno));
		unlink(tmp);
		return -1;
	}
	/* Between the check and the rename something else may appear at the
	 * target; rename() replaces it whatever it is, so look once more,
	 * and keep the report where it is rather than replace a device. */
	if (!*reason && !resolve_target(path, target, sizeof(target), reason, sizeof(reason)) &&
	    rename(tmp, target))
		snprintf(reason, sizeof(reason), "%s", strerror(errno));
	if (*reason) {
		snprintf(why, why_len, "it cannot be put at '%s' (%s); the report is kept at '%s'",
			 path, reason, tmp);
		return -1;
	}
	return 0;
}

/* path with its directory made absolute and its symlinks resolved; false
 * if the directory cannot be. */
static bool canonical(const char *path, char *out, size_t len)
{
	char dir[PATH_MAX], real[PATH_MAX];
	const char *slash = strrchr(path, '/');

	directory_of(path, dir, sizeof(dir));
	if (!realpath(dir, real))
		return false;
	snprintf(out, len, "%s/%s", real, slash ? slash + 1 : path);
	return true;
}

bool report_output_same_file(const char *a, const char *b)
{
	char ca[PATH_MAX * 2], cb[PATH_MAX * 2];
	struct stat sa, sb;

	if (!stat(a, &sa) && !stat(b, &sb))
		return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
	return canonical(a, ca, sizeof(ca)) && canonical(b, cb, sizeof(cb)) && !strcmp(ca, cb);
}

static int dump_json(FILE *out, void *root)
{
	return json_dumpf(root, out, JSON_INDENT(2) | JSON_SORT_KEYS);
}

int report_output_json(const char *path, struct json_t *root)
{
	char why[512];
	int err = !root || report_output_write(path, dump_json, root, why, sizeof(why));

	if (err)
		fprintf(stderr, "stress: the report '%s' was not written: %s\n", path,
			root ? why : "out of memory");
	json_decref(root);
	return err ? -1 : 0;
}
