/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Reporting memory-error events: the one human-readable line seavmm prints on
 * stderr for every event, and the --ras-events file that receives each
 * event's JSON record (docs/events.md). Portable, so unit tests cover it
 * natively. Functions return 0 (a length, a descriptor) or a negative errno.
 */
#ifndef SEAVMM_SEA_REPORT_H
#define SEAVMM_SEA_REPORT_H

#include <stddef.h>

#include "ras.h"

/* Room for one JSON record: the longest reason and every field fit twice. */
#define SEA_RECORD_MAX 2048

/*
 * "vcpu0: memory error: gpa 0x.. gva 0x.. dabt_low sea set=uer el=0 ->
 * inject data abort + retire=hwpoison poison=poisoned; REASON", without
 * "seavmm: " and newline.
 * Returns its length, or -ENOSPC (buf then holds a truncated line).
 */
int sea_report_line(const struct ras_event *ev, const struct ras_decision *d, char *buf,
		    size_t len);
/*
 * Opens (creating, mode 0600) the --ras-events file for appending, never
 * through a symbolic link (vmm/core/outfile.h). On failure err holds
 * "--ras-events PATH: why; fix" and -errno is returned.
 */
int sea_events_open(const char *path, char *err, size_t errlen);
/*
 * Appends the event's record in one write(), so lines never interleave; one
 * that fails part way is cut back off the file (outfile_append).
 */
int sea_events_append(int fd, const struct ras_event *ev, const struct ras_decision *d,
		      const char *vm_name);
/* Appends one ready record (a line) in one write(). */
int sea_events_write(int fd, const char *buf, size_t len);

#endif
