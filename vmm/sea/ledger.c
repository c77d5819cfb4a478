// SPDX-License-Identifier: GPL-2.0-only
/*
 * The poison ledger file (docs/events.md). ras/ turns pages into lines and
 * lines back into pages; this is the I/O around it: reload at start, cut a
 * torn tail, append and sync each change, write a compacted copy.
 */
#include "ledger.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outfile.h"

/* Who holds the lock, as its holder wrote it; 0 when it cannot be told. */
static int ledger_lock_holder(int fd)
{
	char buf[24];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
	long pid;
	char *end;

	if (n <= 0)
		return 0;
	buf[n] = '\0';
	pid = strtol(buf, &end, 10);
	return pid > 0 && pid < (1L << 30) && *end == '\n' ? (int)pid : 0;
}

int ledger_lock(const char *path, char *err, size_t errlen)
{
	char lpath[4096], pid[24];
	int fd, e, holder, n;

	if (snprintf(lpath, sizeof(lpath), "%s.lock", path) >= (int)sizeof(lpath)) {
		snprintf(err, errlen, "--ras-ledger %s: path too long", path);
		return -ENAMETOOLONG;
	}
	fd = outfile_open("--ras-ledger lock", lpath, O_RDWR | O_CREAT, 0600, true, err, errlen);
	if (fd < 0)
		return fd;
	/* flock, not fcntl: it conflicts between two opens in one process too. */
	if (flock(fd, LOCK_EX | LOCK_NB)) {
		e = errno;
		if (e == EWOULDBLOCK) {
			holder = ledger_lock_holder(fd);
			if (holder)
				snprintf(pid, sizeof(pid), "pid %d", holder);
			else
				snprintf(pid, sizeof(pid), "another process");
			snprintf(err, errlen,
				 "--ras-ledger %s is in use by another seavmm (%s holds %s); "
				 "give each seavmm its own ledger",
				 path, pid, lpath);
			e = EBUSY;
		} else {
			snprintf(err, errlen, "--ras-ledger %s: cannot lock %s: %s", path, lpath,
				 strerror(e));
		}
		close(fd);
		return -e;
	}
	/* Only for the message above: the lock itself is the flock. */
	n = snprintf(pid, sizeof(pid), "%d\n", (int)getpid());
	if (ftruncate(fd, 0) == 0 && pwrite(fd, pid, (size_t)n, 0) != n) {
		/* Not fatal: a second seavmm is still refused, without the pid. */
	}
	return fd;
}

int ledger_open(const char *path, char *err, size_t errlen)
{
	return outfile_open("--ras-ledger", path, O_RDWR | O_CREAT | O_APPEND, 0600, true, err,
			    errlen);
}
int ledger_load(struct ras_tracker *t, int fd, char *warn, size_t warnlen)
{
	struct stat st;
	size_t len = 0;
	char *buf;
	long good;

	if (fstat(fd, &st))
		return -errno;
	buf = malloc((size_t)st.st_size + 1);
	if (!buf)
		return -ENOMEM;
	while (len < (size_t)st.st_size) {
		ssize_t n = pread(fd, buf + len, (size_t)st.st_size - len, (off_t)len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	good = ras_ledger_load_buf(t, buf, len, warn, warnlen);
	free(buf);
	if (good < 0)
		return (int)good;
	/* Appending after a torn line would glue the next record onto it. */
	if ((size_t)good < len && ftruncate(fd, (off_t)good))
		return -errno;
	return 0;
}

static int ledger_write_buf(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

static int ledger_write_page(int fd, const struct ras_page *pg)
{
	char line[RAS_LEDGER_LINE_MAX];
	int n = ras_ledger_format(pg, line, sizeof(line));

	if (n < 0)
		return n;
	return ledger_write_buf(fd, line, (size_t)n);
}

int ledger_append(int fd, const struct ras_page *pg)
{
	char line[RAS_LEDGER_LINE_MAX];
	int n = ras_ledger_format(pg, line, sizeof(line)), ret;
	off_t before = lseek(fd, 0, SEEK_END);

	if (n < 0)
		return n;
	ret = outfile_append(fd, line, (size_t)n);
	if (ret)
		return ret;
	if (fdatasync(fd)) {
		ret = -errno;
		/* Not durable, so not in the ledger: the caller reports it lost. */
		if (before >= 0 && ftruncate(fd, before)) {
			/* The reload checks every line's sum. */
		}
		return ret;
	}
	return 0;
}

static int ledger_write_cb(const struct ras_page *pg, void *arg)
{
	return ledger_write_page(*(int *)arg, pg);
}

int ledger_write_all(int fd, const struct ras_tracker *t)
{
	int ret = ras_tracker_foreach(t, ledger_write_cb, &fd);

	if (ret)
		return ret;
	return fdatasync(fd) ? -errno : 0;
}

/* dir gets path's directory, base its last component. */
static int ledger_split(const char *path, char *dir, size_t dirlen, const char **base)
{
	const char *slash = strrchr(path, '/');

	*base = slash ? slash + 1 : path;
	if (!slash)
		return snprintf(dir, dirlen, ".") >= (int)dirlen ? -ENAMETOOLONG : 0;
	if (slash == path)
		return snprintf(dir, dirlen, "/") >= (int)dirlen ? -ENAMETOOLONG : 0;
	return snprintf(dir, dirlen, "%.*s", (int)(slash - path), path) >= (int)dirlen
		       ? -ENAMETOOLONG
		       : 0;
}

/*
 * A compaction killed before its rename leaves its copy behind under a name
 * nobody can guess; the lock says no other seavmm is compacting this ledger,
 * so every BASE.tmp.XXXXXX there is a leftover.
 */
static void ledger_remove_stale(int dfd, const char *base)
{
	size_t blen = strlen(base);
	struct dirent *de;
	DIR *d;

	dfd = dup(dfd);
	d = dfd >= 0 ? fdopendir(dfd) : NULL;
	if (!d) {
		if (dfd >= 0)
			close(dfd);
		return;
	}
	while ((de = readdir(d))) {
		if (strlen(de->d_name) == blen + 11 && !strncmp(de->d_name, base, blen) &&
		    !strncmp(de->d_name + blen, ".tmp.", 5))
			unlinkat(dirfd(d), de->d_name, 0);
	}
	closedir(d);
}

int ledger_compact(const char *path, const struct ras_tracker *t, int *fd)
{
	char tmp[4096], dir[4096];
	const char *base;
	int tfd, dfd, ret;

	ret = ledger_split(path, dir, sizeof(dir), &base);
	if (ret)
		return ret;
	if (snprintf(tmp, sizeof(tmp), "%s.tmp.XXXXXX", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -errno;
	ledger_remove_stale(dfd, base);
	/* O_EXCL under a random name: nothing planted there can be written through. */
	tfd = mkostemp(tmp, O_APPEND | O_CLOEXEC);
	if (tfd < 0) {
		ret = -errno;
		close(dfd);
		return ret;
	}
	ret = ledger_write_all(tfd, t);
	/* Only a complete, synced copy may replace the ledger. */
	if (!ret && rename(tmp, path))
		ret = -errno;
	if (ret) {
		unlink(tmp);
		close(tfd);
		close(dfd);
		return ret;
	}
	/* The rename itself is durable only once its directory is synced. */
	fsync(dfd);
	close(dfd);
	/* The copy's own descriptor: reopening the name could find another file. */
	close(*fd);
	*fd = tfd;
	return 0;
}
