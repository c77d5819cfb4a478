// SPDX-License-Identifier: GPL-2.0-only
/*
 * Exception entry to AArch64 EL1, as the Arm ARM (D1.3, "Exception entry")
 * describes it for a synchronous abort, and as KVM's own entry
 * (arch/arm64/kvm/hyp/exception.c, enter_exception64) carries it out for the
 * aborts KVM_SET_VCPU_EVENTS injects: the patched-differential scenario
 * checks that a guest sees the same state through either path.
 */
#include "arm64_esr.h"
#include "inject.h"

#define PSTATE_NZCV	 (0xfULL << 28)
#define PSTATE_TCO	 (1ULL << 25)
#define PSTATE_DIT	 (1ULL << 24)
#define PSTATE_PAN	 (1ULL << 22)
#define PSTATE_SSBS	 (1ULL << 12)
#define PSTATE_D	 (1ULL << 9)
#define PSTATE_A	 (1ULL << 8)
#define PSTATE_I	 (1ULL << 7)
#define PSTATE_F	 (1ULL << 6)
#define PSTATE_MODE_EL1H 0x5ULL
#define SCTLR_EL1_SPAN	 (1ULL << 23)
#define SCTLR_EL1_DSSBS	 (1ULL << 44)

void inject_entry_regs(const struct ras_inject *in, struct inject_regs *r)
{
	uint64_t ps = PSTATE_D | PSTATE_A | PSTATE_I | PSTATE_F | PSTATE_MODE_EL1H;

	r->elr = r->pc;	     /* the faulting instruction: the abort is precise */
	r->spsr = r->pstate; /* where to return, in the guest's own format */
	r->esr = in->esr;    /* EC already for the guest's EL (ras_decide) */
	r->far = in->far;    /* 0 with FnV set when the address is unknown */
	r->new_pc = r->vbar + in->vector;
	/*
	 * The condition flags and DIT are not changed by taking an exception
	 * (only ERET restores them from SPSR), so the handler starts with the
	 * interrupted code's. With FEAT_MTE the entry sets TCO, so the handler
	 * makes no tag checks until it chooses to.
	 */
	ps |= r->pstate & (PSTATE_NZCV | PSTATE_DIT);
	if (r->mte)
		ps |= PSTATE_TCO;
	/*
	 * Linux guests clear SCTLR_EL1.SPAN and rely on the CPU setting PAN on
	 * entry, so the handler must not run with user memory accessible;
	 * with SPAN set PAN keeps its value. SSBS takes SCTLR_EL1.DSSBS. UAO,
	 * BTYPE, SS and IL start clear, as on a real entry.
	 */
	if (!(r->sctlr & SCTLR_EL1_SPAN))
		ps |= PSTATE_PAN;
	else
		ps |= r->pstate & PSTATE_PAN;
	if (r->sctlr & SCTLR_EL1_DSSBS)
		ps |= PSTATE_SSBS;
	r->new_pstate = ps;
}
