// SPDX-License-Identifier: GPL-2.0-only
#include "inject.h"

#include <linux/kvm.h>

#include "util.h"
#include "vcpu.h"

#define REG_ELR_EL1   ARM64_CORE_REG(elr_el1)
#define REG_SPSR_EL1  ARM64_CORE_REG(spsr[KVM_SPSR_EL1])
#define REG_PC	      ARM64_CORE_REG(regs.pc)
#define REG_PSTATE    ARM64_CORE_REG(regs.pstate)
#define REG_SCTLR_EL1 ARM64_SYS_REG(3, 0, 1, 0, 0)
#define REG_ESR_EL1   ARM64_SYS_REG(3, 0, 5, 2, 0)
#define REG_FAR_EL1   ARM64_SYS_REG(3, 0, 6, 0, 0)
#define REG_VBAR_EL1  ARM64_SYS_REG(3, 0, 12, 0, 0)

int inject_abort(struct vcpu *v, const struct ras_inject *in, uint64_t pc, uint64_t pstate)
{
	struct inject_regs r = { .pc = pc, .pstate = pstate };
	int ret;

	ret = vcpu_get_reg(v, REG_SCTLR_EL1, &r.sctlr);
	if (!ret)
		ret = vcpu_get_reg(v, REG_VBAR_EL1, &r.vbar);
	if (ret)
		return ret;
	inject_entry_regs(in, &r);
	/*
	 * No ordering concern between the writes: this is the vCPU's own
	 * thread, so the vCPU does not run until its next KVM_RUN.
	 */
	ret = vcpu_set_reg(v, REG_ELR_EL1, r.elr);
	if (!ret)
		ret = vcpu_set_reg(v, REG_SPSR_EL1, r.spsr);
	if (!ret)
		ret = vcpu_set_reg(v, REG_ESR_EL1, r.esr);
	if (!ret)
		ret = vcpu_set_reg(v, REG_FAR_EL1, r.far);
	if (!ret)
		ret = vcpu_set_reg(v, REG_PSTATE, r.new_pstate);
	if (!ret)
		ret = vcpu_set_reg(v, REG_PC, r.new_pc);
	if (ret)
		pr_err("vcpu%u: cannot present the abort to the guest (exception entry "
		       "through KVM_SET_ONE_REG failed)",
		       v->id);
	return ret;
}
