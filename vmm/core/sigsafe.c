// SPDX-License-Identifier: GPL-2.0-only
#include "sigsafe.h"

#include <errno.h>
#include <sys/syscall.h>
#include <unistd.h>

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

long sigsafe_syscall(long nr, long a, long b, long c)
{
#if defined(__aarch64__)
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;
	register long x8 __asm__("x8") = nr;

	__asm__ volatile("svc #0" : "+r"(x0) : "r"(x1), "r"(x2), "r"(x8) : "memory");
	return x0;
#else
	long ret = syscall(nr, a, b, c);

	return ret < 0 ? -errno : ret;
#endif
}
