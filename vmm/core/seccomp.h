/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * seccomp filters per thread role (docs/usage.md, "seccomp"): after set-up
 * each seavmm thread may make only the system calls (and ioctl requests) its
 * role needs. Anything else raises SIGSYS, whose handler names the call in
 * one line and ends seavmm. Portable: the native unit tests install filters
 * in child processes.
 */
#ifndef SEAVMM_SECCOMP_H
#define SEAVMM_SECCOMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A new role: a value here, its name in seccomp.c, and its lines in the table. */
enum seccomp_role {
	SECCOMP_MAIN,	 /* start-up is over: restarts, the end of the run */
	SECCOMP_VCPU,	 /* KVM_RUN and every exit it handles, SEA included */
	SECCOMP_CONSOLE, /* stdin to the UART, queued UART output to stdout */
	SECCOMP_VIRTIO,	 /* a virtio device's I/O thread: its queues and backend */
	SECCOMP_API,	 /* the control socket (--api-socket), inject-poison */
	SECCOMP_AGENT,	 /* the guest agent's port (--agent) and liveness */
	SECCOMP_NR_ROLES,
};

/* Installs the SIGSYS handler that names a refused call; once, at start. */
int seccomp_handler_install(void);
/*
 * Narrows the calling thread to role's calls, for the rest of its life and
 * for the threads it creates (which inherit the filter: so the main role
 * also allows what the threads it starts need). A thread started before
 * main entered its filter has none until it calls this. 0 or -errno.
 */
int seccomp_enter(enum seccomp_role role);
/* Whether this kernel has seccomp filters with SECCOMP_RET_TRAP. */
bool seccomp_supported(void);
const char *seccomp_role_name(enum seccomp_role role);
/*
 * For tests: the number of BPF instructions role's filter has, or -E2BIG
 * past what the kernel takes.
 */
int seccomp_filter_len(enum seccomp_role role);

#endif
