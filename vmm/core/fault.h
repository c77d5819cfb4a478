/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * seavmm's own faults (SIGSEGV, SIGILL, SIGFPE): one line saying where
 * (signal, si_code, address, pc, lr, sp, thread), then the terminal back
 * and death by the same signal. A fault with no such line was not
 * delivered to seavmm's handler at all (the kernel could not set up the
 * signal frame, for instance), which is worth knowing too.
 */
#ifndef SEAVMM_FAULT_H
#define SEAVMM_FAULT_H

/* Installs the handler for the whole process. 0 or -errno. */
int fault_handler_install(void);

#endif
