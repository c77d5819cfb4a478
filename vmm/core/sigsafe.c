// SPDX-License-Identifier: GPL-2.0-only
#include "sigsafe.h"

size_t sigsafe_put(char *buf, size_t n, size_t cap, const char *s)
{
	while (*s && n + 1 < cap)
		buf[n++] = *s++;
	return n;
}

size_t sigsafe_put_num(char *buf, size_t n, size_t cap, uint64_t v, unsigned int base)
{
	char tmp[24];
	size_t i = 0;

	do {
		tmp[i++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v && i < sizeof(tmp));
	if (base == 16)
		n = sigsafe_put(buf, n, cap, "0x");
	while (i && n + 1 < cap)
		buf[n++] = tmp[--i];
	return n;
}
