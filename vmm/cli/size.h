/* SPDX-License-Identifier: GPL-2.0-only */
/* Human-readable sizes on the command line ("512M", "2G"). Portable. */
#ifndef SEAVMM_SIZE_H
#define SEAVMM_SIZE_H

#include <stdint.h>

/*
 * Parses a decimal number with an optional K/M/G/T suffix (powers of 1024,
 * either case, an optional trailing "B" or "iB"). A bare number is multiplied
 * by 2^default_shift, so "-m 512" means 512 MiB as it does in kvmtool.
 * Returns 0, -EINVAL for text that is not a size, -ERANGE on overflow.
 */
int size_parse(const char *s, unsigned int default_shift, uint64_t *out);

#endif
