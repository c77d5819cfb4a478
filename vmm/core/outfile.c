// SPDX-License-Identifier: GPL-2.0-only
/*
 * As root in a directory others can write, a planted symlink would have
 * seavmm truncate or append to a file of the planter's choosing: nothing seavmm
 * writes follows one. And a disk that fills up must not leave half a record
 * for the next one to be glued onto (docs/events.md).
 */
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

int outfile_open(const char *flag, const char *path, int flags, mode_t mode, bool regular,
		 char *err, size_t errlen)
{
	int fd = open(path, flags | O_NOFOLLOW | O_CLOEXEC, mode);
	struct stat st;
	int e;

	if (fd < 0) {
		e = errno;
		/* ELOOP also means too many links on the way: say which it is. */
		if (e == ELOOP && !lstat(path, &st) && S_ISLNK(st.st_mode))
			snprintf(err, errlen,
				 "%s %s is a symbolic link, which seavmm does not follow for a "
				 "file it writes; give the path of the file itself",
				 flag, path);
		else
			snprintf(err, errlen, "%s %s: %s; give a writable file path", flag, path,
				 strerror(e));
		return -e;
	}
	if (regular && (fstat(fd, &st) || !S_ISREG(st.st_mode))) {
		snprintf(err, errlen, "%s %s is not a regular file; give a file path", flag, path);
		close(fd);
		return -EINVAL;
	}
	return fd;
}

/* Why a write stopped short: it says nothing itself. */
static int outfile_short_reason(off_t end)
{
	struct rlimit rl;

	if (!getrlimit(RLIMIT_FSIZE, &rl) && rl.rlim_cur != RLIM_INFINITY &&
	    (rlim_t)end >= rl.rlim_cur)
		return -EFBIG;
	return -ENOSPC;
}

int outfile_append(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	struct stat st;
	ssize_t n;
	off_t end;
	int ret;

	if (fstat(fd, &st))
		return -errno;
	/* A pipe or terminal cannot be cut back: write it all, in order. */
	while (!S_ISREG(st.st_mode) && len) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= (size_t)n;
	}
	if (!S_ISREG(st.st_mode))
		return 0;
	/* One write, so that writers sharing an O_APPEND file never interleave. */
	do {
		n = write(fd, buf, len);
	} while (n < 0 && errno == EINTR);
	if (n == (ssize_t)len)
		return 0;
	if (n <= 0)
		return n < 0 ? -errno : -ENOSPC;
	/*
	 * A partial record at the end: O_APPEND left the offset just after it.
	 * Cut it only while it is still the last thing in the file.
	 */
	end = lseek(fd, 0, SEEK_CUR);
	ret = outfile_short_reason(end);
	if (end >= n && !fstat(fd, &st) && st.st_size == end && ftruncate(fd, end - n)) {
		/* Nothing more to do: the reload skips the torn line. */
	}
	return ret;
}

int outfile_replace(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	struct stat st;
	size_t off = 0;

	if (fstat(fd, &st))
		return -errno;
	if (!S_ISREG(st.st_mode))
		return outfile_append(fd, buf, len);
	while (off < len) {
		ssize_t n = pwrite(fd, p + off, len - off, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -ENOSPC;
		off += (size_t)n;
	}
	return ftruncate(fd, (off_t)len) ? -errno : 0;
}
