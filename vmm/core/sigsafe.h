/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Formatting for the one line a fatal signal's handler writes before dying
 * (SIGBUS, SIGSYS): no stdio, no locks, nothing that is not
 * async-signal-safe. Each appends to buf, which holds n bytes of cap, and
 * returns the new length; what does not fit (with room for one more byte)
 * is cut off.
 */
#ifndef SEAVMM_SIGSAFE_H
#define SEAVMM_SIGSAFE_H

#include <stddef.h>
#include <stdint.h>

size_t sigsafe_put(char *buf, size_t n, size_t cap, const char *s);
/* v in base 10 or 16 (with "0x"). */
size_t sigsafe_put_num(char *buf, size_t n, size_t cap, uint64_t v, unsigned int base);

/*
 * A system call with up to three arguments that returns -errno on failure
 * and, on arm64, touches no thread-local storage (glibc's wrappers store
 * errno, and write() checks its cancellation state, through the thread
 * pointer): for handlers that may run with a wrong one
 * (vmm/core/thread_pointer.h).
 */
long sigsafe_syscall(long nr, long a, long b, long c);

#endif
