/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Appending formatted text to a bounded buffer: ras/'s records and ledger,
 * and seavmm's agent records (vmm/agent/agent_report.c).
 */
#ifndef SEAVMM_RAS_OUT_H
#define SEAVMM_RAS_OUT_H

#include <stddef.h>
#include <stdint.h>

struct ras_out {
	char *buf;
	size_t len, off; /* off keeps counting past len so overflow is seen */
};

void ras_out_printf(struct ras_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The length written, or -ENOSPC when it did not fit with its NUL. */
int ras_out_end(const struct ras_out *o);
/* s as a JSON string, quoted; control bytes and non-ASCII escaped as \u00XX. */
void ras_out_json_str(struct ras_out *o, const char *s);
/* wall_ns (since the Unix epoch) as a quoted RFC 3339 UTC time with nanoseconds. */
void ras_out_json_time(struct ras_out *o, uint64_t wall_ns);

#endif
