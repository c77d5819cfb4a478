/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Guest memory errors: a KVM_EXIT_ARM_SEA or a host SIGBUS, from the event to
 * what the policy decided. vcpu.c hands the exit to sea_handle_exit() and
 * the SIGBUS sigbus.c recorded to sea_handle_sigbus(); both build the
 * ras_event and call sea_handle_event(), which asks ras_decide() and carries
 * the decision out: retire.c takes the bad host frame out of use for good
 * (the page then reads as poisoned: virtual poison), inject.c presents the
 * abort, sea_report.c reports the event, and a restart or stop goes through
 * vm_request_stop().
 */
#ifndef SEAVMM_SEA_H
#define SEAVMM_SEA_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "quarantine.h"
#include "ras.h"
#include "retire.h"
#include "sigbus.h"

struct vm;
struct vcpu;

/* Per VM, in struct vm. */
struct sea_state {
	pthread_mutex_t lock; /* vCPUs are threads: the tracker and quarantine are shared */
	bool lock_init;
	struct ras_tracker tracker;
	struct quarantine quarantine; /* frames left in place, moved aside for a fresh page */
	struct retire retire;
	bool inplace_said;	    /* the one line about frames that cannot be retired */
	atomic_bool walk_fail_said; /* the one line about a PC seavmm cannot translate */
	int events_fd;		    /* --ras-events, or -1; opened by cmd_run before the VM */
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
/*
 * Device emulation met poison in a guest buffer (a guarded copy, or a page
 * it refused): the page goes through the same decision as a vCPU's error,
 * without an abort (the request fails instead). 0 or -errno.
 */
int sea_handle_device_poison(struct vm *vm, uint64_t gpa, const char *device);
/* Whether the guest page of gpa is under virtual poison: never copy it. */
bool sea_gpa_poisoned(struct vm *vm, uint64_t gpa);
/*
 * The guest agent's answer for a page seavmm told it about: guest_errno 0
 * means the guest kernel took the page out of use, which ends its virtual
 * poison (the frame stays retired). -ENOENT for a page that is not under
 * virtual poison (an untrusted agent cannot end anything else).
 */
int sea_guest_offlined(struct vm *vm, uint64_t gpa, int guest_errno);
/* The guest agent was sent the page (RAS_PZ_TOLD, kept in the ledger). */
void sea_agent_told(struct vm *vm, uint64_t gpa);
/* Up to max pages under virtual poison (to tell a newly connected agent). */
int sea_poisoned_pages(struct vm *vm, uint64_t *gpas, size_t max);
/*
 * Before the guest's memory is renewed for a restart: every virtual
 * poison ends (fresh memory behind every GPA), and frames left in place
 * are moved aside first so the allocator never gets them.
 */
void sea_vm_reset(struct vm *vm);
void sea_destroy(struct vm *vm);

#endif
