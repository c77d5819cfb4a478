/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Files seavmm writes on the user's behalf (--ras-ledger and its lock,
 * --ras-events, --dump-dtb), under one rule (docs/usage.md, "Files seavmm
 * writes"): never through a symbolic link as the last path component, and
 * records appended whole or not at all. Portable. Functions return 0 (or a
 * descriptor) or a negative errno.
 */
#ifndef SEAVMM_OUTFILE_H
#define SEAVMM_OUTFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/*
 * open(path, flags | O_NOFOLLOW | O_CLOEXEC, mode). With regular, anything
 * but a regular file is refused (-EINVAL). On failure err gets one line,
 * "FLAG PATH: what; how to fix", flag naming the option (e.g. "--ras-events").
 */
int outfile_open(const char *flag, const char *path, int flags, mode_t mode, bool regular,
		 char *err, size_t errlen);
/*
 * Appends buf as one write. If it fails part way (disk full, a file size
 * limit) the file is cut back to where it ended before, provided nothing
 * else was appended since, so it only ever holds whole records and the next
 * append does not glue onto a fragment. Returns 0, or -ENOSPC / -EFBIG for a
 * short write, or write's -errno.
 */
int outfile_append(int fd, const void *buf, size_t len);
/*
 * Makes a regular file hold exactly buf (pwrite at 0, then truncate to len);
 * anything else (a FIFO, a terminal) just gets buf written.
 */
int outfile_replace(int fd, const void *buf, size_t len);

#endif
