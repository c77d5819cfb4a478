/* SPDX-License-Identifier: GPL-2.0-only */
/* What the libFuzzer targets share: CHECK aborts with the failed condition. */
#ifndef SEAVMM_FUZZ_UTIL_H
#define SEAVMM_FUZZ_UTIL_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(c)                                                                              \
	do {                                                                                  \
		if (!(c)) {                                                                   \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #c); \
			abort();                                                              \
		}                                                                             \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Takes n bytes (little-endian) off the front of the input; 0 once it runs out. */
static inline uint64_t fuzz_take(const uint8_t **data, size_t *size, unsigned int n)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < n && *size; i++, (*data)++, (*size)--)
		v |= (uint64_t) * *data << (8 * i);
	return v;
}

/* One line of error text: NUL-terminated within its buffer, no newline. */
static inline void fuzz_check_line(const char *s, size_t len)
{
	CHECK(memchr(s, '\0', len));
	CHECK(!strchr(s, '\n'));
}

#endif
