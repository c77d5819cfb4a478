/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Presenting a synchronous external abort (data or instruction) to the guest
 * as ras_decide() describes it, by one of two paths (ras_inject.path):
 *
 *  events  KVM_SET_VCPU_EVENTS with ext_dabt_pending or ext_iabt_pending,
 *          ext_abt_has_esr and the ISS: KVM enters the exception itself.
 *          Only kernels with KVM_CAP_ARM_INJECT_EXT_IABT (not upstream: the
 *          project's patched test kernel, tests/kernel/) have it.
 *  entry   seavmm emulates the exception entry with KVM_GET/SET_ONE_REG, as
 *          QEMU does for its own SEA injection: a stock kernel's
 *          ext_dabt_pending can carry no ISS (SET, FnV, WnR, ...) and
 *          injects no instruction abort (sea-abi.md sections 2 and 3).
 *
 * The policy key inject_path (docs/policy.md) asks for one or lets
 * inject_setup() choose; the event record says which one injected.
 */
#ifndef SEAVMM_INJECT_H
#define SEAVMM_INJECT_H

#include <stdbool.h>
#include <stdint.h>

#include "kvm_compat.h"
#include "ras.h"

struct vcpu;
struct vm;

/* The EL1 registers an exception entry reads and writes. */
struct inject_regs {
	uint64_t pc, pstate, sctlr, vbar; /* in: the vCPU at the fault */
	bool mte;			  /* in: the VM has FEAT_MTE (the entry sets TCO) */
	uint64_t elr, spsr, esr, far;	  /* out: the EL1 exception registers */
	uint64_t new_pc, new_pstate;	  /* out: where and how the handler runs */
};

/*
 * The architectural exception entry to EL1 (AArch64, SP_EL1) for in:
 * fills the out fields of r from its in fields. Pure, portable.
 */
void inject_entry_regs(const struct ras_inject *in, struct inject_regs *r);
/* The KVM_SET_VCPU_EVENTS request for in (events path). Pure, portable. */
void inject_events_fill(const struct ras_inject *in, struct seavmm_vcpu_events_abt *ev);

/* What this kernel and VM offer, for inject_setup() and seavmm probe. */
struct inject_caps {
	bool ext_iabt; /* KVM_CAP_ARM_INJECT_EXT_IABT */
	bool ras;      /* the VM's ID_AA64PFR0_EL1.RAS: KVM takes a supplied ESR only then */
	bool mte;      /* the VM's ID_AA64PFR1_EL1.MTE */
};

/*
 * Reads the capability on vm_fd and the feature registers of an initialised
 * vCPU (vcpu_fd). 0 or -errno (reported).
 */
int inject_read_caps(int vm_fd, int vcpu_fd, struct inject_caps *caps);
/*
 * The path for a request (auto, events or entry) on a VM with caps; why
 * receives a short reason. -EOPNOTSUPP when events was asked for and the
 * kernel or VM cannot do it. Pure.
 */
int inject_resolve(enum ras_inject_path want, const struct inject_caps *caps,
		   enum ras_inject_path *path, const char **why);
/*
 * Once the vCPUs exist: resolves vm->ras_policy.inject_path to events or
 * entry (one info line when it is events). -EINVAL (reported: bad input)
 * when inject_path=events cannot be had here.
 */
int inject_setup(struct vm *vm);
/*
 * Presents the abort to v by in->path; pc and pstate are the values already
 * read at the exit. 0 or -errno (reported).
 */
int inject_abort(struct vcpu *v, const struct ras_inject *in, uint64_t pc, uint64_t pstate);

#endif
