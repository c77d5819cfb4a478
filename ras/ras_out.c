// SPDX-License-Identifier: GPL-2.0-only
/* Bounded text output into a caller's buffer, shared by records and ledger. */
#include <errno.h>
#include <stdarg.h>
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
