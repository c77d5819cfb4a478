/* SPDX-License-Identifier: GPL-2.0-only */
/* Internal to ras/: appending formatted text to a bounded buffer. */
#ifndef SEAVMM_RAS_OUT_H
#define SEAVMM_RAS_OUT_H

#include <stddef.h>

struct ras_out {
	char *buf;
	size_t len, off; /* off keeps counting past len so overflow is seen */
};

void ras_out_printf(struct ras_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The length written, or -ENOSPC when it did not fit with its NUL. */
int ras_out_end(const struct ras_out *o);

#endif
