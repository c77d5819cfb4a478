/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The poison ledger file: vmm/ carries out the file side of ras/'s ledger.
 * ras/ formats and parses the lines (ras_ledger_format, ras_ledger_load_buf);
 * these open, read, truncate, write and sync the file. Portable. Functions
 * return 0 (ledger_open: a descriptor) or a negative errno.
 */
#ifndef SEAVMM_LEDGER_H
#define SEAVMM_LEDGER_H

#include <stddef.h>

#include "ras.h"

/*
 * Takes the ledger's lock for as long as the returned descriptor stays open
 * (the process's life): an flock on path.lock, a file of its own that is
 * never renamed, since compaction renames a new file over path and a lock on
 * the old one would be lost with it. A second seavmm on the same ledger gets
 * -EBUSY and err naming the holder's pid. Returns the descriptor or -errno.
 */
int ledger_lock(const char *path, char *err, size_t errlen);
/*
 * Opens (creating, mode 0600) a ledger for reading and appending; a symbolic
 * link or anything but a regular file is refused (vmm/core/outfile.h).
 */
int ledger_open(const char *path, char *err, size_t errlen);
/* Reads the whole fd into t and cuts a torn last line off the file. */
int ledger_load(struct ras_tracker *t, int fd, char *warn, size_t warnlen);
/*
 * Appends one page record and makes it durable (fdatasync). On failure the
 * file is cut back to its last complete record, so the next append starts a
 * line of its own.
 */
int ledger_append(int fd, const struct ras_page *pg);
/* Writes every page in GPA order (compaction into a fresh file). */
int ledger_write_all(int fd, const struct ras_tracker *t);
/*
 * Replaces the ledger at path with one line per page of t (written to a new
 * path.tmp.XXXXXX, created O_EXCL under a random name, synced, renamed over
 * it) and swaps *fd for the new file. Copies a killed compaction left behind
 * are removed first, so the caller must hold ledger_lock. On failure the old
 * ledger and *fd are left as they were.
 */
int ledger_compact(const char *path, const struct ras_tracker *t, int *fd);

#endif
