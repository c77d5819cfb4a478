/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Guest memory errors: a KVM_EXIT_ARM_SEA or a host SIGBUS, from the event to
 * what the policy decided. vcpu.c hands the exit to sea_handle_exit() and
 * the SIGBUS sigbus.c recorded to sea_handle_sigbus(); both build the
 * ras_event and call sea_handle_event(), which asks ras_decide() and carries
 * the decision out: inject.c
 * presents the abort, quarantine.c retires the host page, sea_report.c
 * reports the event, and a restart or stop goes through vm_request_stop().
 */
#ifndef SEAVMM_SEA_H
#define SEAVMM_SEA_H

#include <pthread.h>
#include <stdbool.h>

#include "quarantine.h"
#include "ras.h"
#include "sigbus.h"

struct vm;
struct vcpu;

/* Per VM, in struct vm. */
struct sea_state {
	pthread_mutex_t lock; /* vCPUs are threads: the tracker and quarantine are shared */
	bool lock_init;
	struct ras_tracker tracker;
	struct quarantine quarantine;
	int events_fd;		 /* --ras-events, or -1; opened by cmd_run before the VM */
	int ledger_fd;		 /* --ras-ledger, or -1; opened by cmd_run, loaded by sea_setup */
	char name[32];		 /* the VM name in event records */
	struct sigbus_vm sigbus; /* host SIGBUS records waiting for a vCPU loop */
};

/*
 * At VM setup, after KVM_CREATE_VM: turns on KVM_CAP_ARM_SEA_TO_USER when
 * the kernel has it (one info line when it does not: guests still run) and
 * prepares the tracker and quarantine area. 0 or -errno (reported).
 */
int sea_setup(struct vm *vm);
/*
 * KVM_EXIT_ARM_SEA on v's thread, before its next KVM_RUN. Returns 0 (the
 * vCPU goes on, or a restart or stop was requested) or -errno (reported).
 */
int sea_handle_exit(struct vcpu *v);
/*
 * A host SIGBUS (source RAS_SRC_SIGBUS_AR or _AO) at host address sb->addr,
 * on v's thread before its next KVM_RUN: for an AR v is the vCPU that
 * consumed it, for an AO the one that noticed. Returns as sea_handle_exit().
 */
int sea_handle_sigbus(struct vcpu *v, enum ras_source source, const struct sigbus_event *sb);
/*
 * Decides ev under the VM's policy, quarantines, reports, then restarts,
 * stops or injects (into v, at ev->ctx.pc): every source ends here.
 */
int sea_handle_event(struct vcpu *v, const struct ras_event *ev);
void sea_destroy(struct vm *vm);

#endif
