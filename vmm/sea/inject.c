// SPDX-License-Identifier: GPL-2.0-only
#include "inject.h"

#include <errno.h>
#include <linux/kvm.h>
#include <string.h>

#include "kvm.h"
#include "util.h"
#include "vcpu.h"
#include "vm.h"

#define REG_ELR_EL1	    ARM64_CORE_REG(elr_el1)
#define REG_SPSR_EL1	    ARM64_CORE_REG(spsr[KVM_SPSR_EL1])
#define REG_PC		    ARM64_CORE_REG(regs.pc)
#define REG_PSTATE	    ARM64_CORE_REG(regs.pstate)
#define REG_SCTLR_EL1	    ARM64_SYS_REG(3, 0, 1, 0, 0)
#define REG_ESR_EL1	    ARM64_SYS_REG(3, 0, 5, 2, 0)
#define REG_FAR_EL1	    ARM64_SYS_REG(3, 0, 6, 0, 0)
#define REG_VBAR_EL1	    ARM64_SYS_REG(3, 0, 12, 0, 0)
#define REG_ID_AA64PFR0_EL1 ARM64_SYS_REG(3, 0, 0, 4, 0)
#define REG_ID_AA64PFR1_EL1 ARM64_SYS_REG(3, 0, 0, 4, 1)
#define ID_PFR0_RAS(v)	    (((v) >> 28) & 0xf)
#define ID_PFR1_MTE(v)	    (((v) >> 8) & 0xf)

static int inject_get_reg(int vcpu_fd, uint64_t id, uint64_t *val)
{
	struct kvm_one_reg r = { .id = id, .addr = (uint64_t)(uintptr_t)val };

	return kvm_ioctl(vcpu_fd, KVM_GET_ONE_REG, &r);
}

int inject_read_caps(int vm_fd, int vcpu_fd, struct inject_caps *caps)
{
	uint64_t pfr0, pfr1;
	int ret;

	memset(caps, 0, sizeof(*caps));
	caps->ext_iabt = kvm_check_extension(vm_fd, KVM_CAP_ARM_INJECT_EXT_IABT) > 0;
	/* The VM's view, which KVM judges a supplied ESR by (kvm_has_ras). */
	ret = inject_get_reg(vcpu_fd, REG_ID_AA64PFR0_EL1, &pfr0);
	if (!ret)
		ret = inject_get_reg(vcpu_fd, REG_ID_AA64PFR1_EL1, &pfr1);
	if (ret)
		return ret;
	caps->ras = ID_PFR0_RAS(pfr0) != 0;
	caps->mte = ID_PFR1_MTE(pfr1) != 0;
	return 0;
}

int inject_setup(struct vm *vm)
{
	enum ras_inject_path want = vm->ras_policy.inject_path, path;
	const char *why;
	int ret;

	ret = inject_read_caps(vm->vm_fd, vm->vcpus[0].fd, &vm->inject);
	if (ret) {
		pr_err("cannot read the VM's feature registers to choose how to inject aborts");
		return ret;
	}
	ret = inject_resolve(want, &vm->inject, &path, &why);
	if (ret) {
		pr_err("inject_path=events: %s; use inject_path=auto or entry", why);
		return -EINVAL;
	}
	vm->ras_policy.inject_path = path;
	if (path == RAS_INJECT_EVENTS)
		pr_info("aborts are injected with KVM_SET_VCPU_EVENTS and the decided ESR (%s)",
			why);
	return 0;
}

static int inject_entry(struct vcpu *v, const struct ras_inject *in, uint64_t pc, uint64_t pstate)
{
	struct inject_regs r = { .pc = pc, .pstate = pstate, .mte = v->vm->inject.mte };
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

/*
 * KVM enters the exception at once and drops a pending MMIO completion;
 * FAR_EL1 is the FAR of this vCPU's last exit, which is the GVA of the SEA
 * when FnV = 0 and UNKNOWN (as the guest must treat it) when FnV = 1.
 */
static int inject_events(struct vcpu *v, const struct ras_inject *in)
{
	struct seavmm_vcpu_events_abt ev;
	int ret;

	inject_events_fill(in, &ev);
	ret = kvm_ioctl(v->fd, KVM_SET_VCPU_EVENTS, &ev);
	if (ret)
		pr_err("vcpu%u: cannot present the %s abort to the guest (KVM_SET_VCPU_EVENTS "
		       "with ESR 0x%llx refused)",
		       v->id, in->instruction ? "instruction" : "data",
		       (unsigned long long)in->esr);
	return ret;
}

int inject_abort(struct vcpu *v, const struct ras_inject *in, uint64_t pc, uint64_t pstate)
{
	if (in->path == RAS_INJECT_EVENTS)
		return inject_events(v, in);
	return inject_entry(v, in, pc, pstate);
}
