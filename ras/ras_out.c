// SPDX-License-Identifier: GPL-2.0-only
/*
 * Bounded text output into a caller's buffer, shared by records and ledger
 * (and seavmm's agent records, which follow the same JSON conventions).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>

#include "ras_out.h"

void ras_out_printf(struct ras_out *o, const char *fmt, ...)
{
	size_t room = o->off < o->len ? o->len - o->off : 0;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(room ? o->buf + o->off : NULL, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->off += (size_t)n;
}

int ras_out_end(const struct ras_out *o)
{
	if (o->off >= o->len || o->off > 0x7fffffff)
		return -ENOSPC;
	return (int)o->off;
}

/* Control bytes and non-ASCII are escaped so any name stays valid JSON. */
void ras_out_json_str(struct ras_out *o, const char *s)
{
	ras_out_printf(o, "\"");
	for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
		if (*c == '"' || *c == '\\')
			ras_out_printf(o, "\\%c", *c);
		else if (*c < 0x20 || *c >= 0x7f)
			ras_out_printf(o, "\\u%04x", *c);
		else
			ras_out_printf(o, "%c", *c);
	}
	ras_out_printf(o, "\"");
}

/*
 * UTC from the Unix epoch by arithmetic alone: libc's gmtime_r reads the
 * time zone files on its first call, which is I/O (and a system call the
 * vCPU thread's seccomp filter refuses) in a library that has none.
 * Days are counted in 400-year eras of 146097 days, each year starting in
 * March so that the leap day comes last.
 */
void ras_out_json_time(struct ras_out *o, uint64_t wall_ns)
{
	uint64_t s = wall_ns / 1000000000ULL, z = s / 86400 + 719468;
	uint64_t era = z / 146097, doe = z % 146097;
	uint64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	uint64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
	uint64_t day = doy - (153 * mp + 2) / 5 + 1, month = mp < 10 ? mp + 3 : mp - 9;
	uint64_t year = era * 400 + yoe + (month <= 2), sod = s % 86400;

	ras_out_printf(o, "\"%04llu-%02llu-%02lluT%02llu:%02llu:%02llu.%09lluZ\"",
		       (unsigned long long)year, (unsigned long long)month, (unsigned long long)day,
		       (unsigned long long)(sod / 3600), (unsigned long long)(sod / 60 % 60),
		       (unsigned long long)(sod % 60),
		       (unsigned long long)(wall_ns % 1000000000ULL));
}
