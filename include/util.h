/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef SEAVMM_UTIL_H
#define SEAVMM_UTIL_H

#include <stddef.h>
#include <stdnoreturn.h>

/* Exit statuses, documented in README.md. */
enum {
	EXIT_OK = 0,
	EXIT_RUNTIME = 1,  /* a runtime failure: KVM, files, the guest */
	EXIT_USAGE = 2,	   /* bad command line or input */
	EXIT_RAS_STOP = 3, /* run: the memory-error policy stopped the guest */
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Start-up only: prints "seavmm: <msg>" and exits with status. */
noreturn void die(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void pr_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void pr_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
