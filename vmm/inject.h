/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Presenting a synchronous external abort (data or instruction) to the guest
 * as ras_decide() describes it. KVM's KVM_SET_VCPU_EVENTS.ext_dabt_pending
 * cannot carry an ISS (SET, FnV, WnR, ...) nor inject an instruction abort
 * (sea-abi.md sections 2 and 3), so seavmm emulates the exception entry with
 * KVM_GET/SET_ONE_REG, as QEMU does for its own SEA injection.
 */
#ifndef SEAVMM_INJECT_H
#define SEAVMM_INJECT_H

#include <stdint.h>

#include "ras.h"

struct vcpu;

/* The EL1 registers an exception entry reads and writes. */
struct inject_regs {
	uint64_t pc, pstate, sctlr, vbar; /* in: the vCPU at the fault */
	uint64_t elr, spsr, esr, far;	  /* out: the EL1 exception registers */
	uint64_t new_pc, new_pstate;	  /* out: where and how the handler runs */
};

/*
 * The architectural exception entry to EL1 (AArch64, SP_EL1) for in:
 * fills the out fields of r from its in fields. Pure, portable.
 */
void inject_entry_regs(const struct ras_inject *in, struct inject_regs *r);
/*
 * Reads PC, PSTATE, SCTLR_EL1, VBAR_EL1 of v and writes the entry state
 * (pc, pstate: the values already read at the exit). 0 or -errno (reported).
 */
int inject_abort(struct vcpu *v, const struct ras_inject *in, uint64_t pc, uint64_t pstate);

#endif
