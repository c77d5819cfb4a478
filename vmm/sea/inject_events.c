// SPDX-License-Identifier: GPL-2.0-only
/*
 * The KVM_SET_VCPU_EVENTS request for an abort on a kernel with
 * KVM_CAP_ARM_INJECT_EXT_IABT (tests/kernel/README.md): the kernel computes
 * EC for the guest's EL and IL = 1 and takes the ISS as given, so ras_decide's
 * ISS goes in whole and nothing else of its ESR does.
 */
#include <errno.h>
#include <string.h>

#include "arm64_esr.h"
#include "inject.h"

void inject_events_fill(const struct ras_inject *in, struct seavmm_vcpu_events_abt *ev)
{
	memset(ev, 0, sizeof(*ev));
	if (in->instruction)
		ev->exception.ext_iabt_pending = 1;
	else
		ev->exception.ext_dabt_pending = 1;
	ev->exception.ext_abt_has_esr = 1;
	ev->exception.ext_abt_esr = in->iss & ESR_ISS_MASK;
}

int inject_resolve(enum ras_inject_path want, const struct inject_caps *caps,
		   enum ras_inject_path *path, const char **why)
{
	const char *missing = NULL;

	if (!caps->ext_iabt)
		missing = "this kernel lacks KVM_CAP_ARM_INJECT_EXT_IABT (only the patched "
			  "test kernel has it: tests/kernel/README.md)";
	else if (!caps->ras)
		missing = "the VM lacks FEAT_RAS, so KVM refuses a supplied ESR";
	switch (want) {
	case RAS_INJECT_ENTRY:
		*path = RAS_INJECT_ENTRY;
		*why = "inject_path=entry";
		return 0;
	case RAS_INJECT_EVENTS:
		*path = RAS_INJECT_ENTRY;
		*why = missing;
		if (missing)
			return -EOPNOTSUPP;
		*path = RAS_INJECT_EVENTS;
		*why = "inject_path=events";
		return 0;
	case RAS_INJECT_AUTO:
		break;
	}
	*path = missing ? RAS_INJECT_ENTRY : RAS_INJECT_EVENTS;
	*why = missing ? missing : "KVM_CAP_ARM_INJECT_EXT_IABT";
	return 0;
}
