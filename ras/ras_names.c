// SPDX-License-Identifier: GPL-2.0-only
/* Names of the ras/ enums: the words of the JSON records, ledger and policy files. */
#include <errno.h>
#include <string.h>

#include "ras.h"

static const char *ras_name(const char *const *names, size_t n, unsigned int v)
{
	return v < n && names[v] ? names[v] : "?";
}

#define RAS_NAME(tbl, v) ras_name(tbl, sizeof(tbl) / sizeof(tbl[0]), (unsigned int)(v))

/* clang-format off */
static const char *const ras_class_names[] = {
	[RAS_CLASS_INVALID] = "invalid",
	[RAS_CLASS_IABT_LOW] = "iabt_low",
	[RAS_CLASS_IABT_CUR] = "iabt_cur",
	[RAS_CLASS_DABT_LOW] = "dabt_low",
	[RAS_CLASS_DABT_CUR] = "dabt_cur",
};

static const char *const ras_fault_names[] = {
	[RAS_FAULT_INVALID] = "invalid",
	[RAS_FAULT_SEA] = "sea",
	[RAS_FAULT_SEA_WALK] = "sea_walk",
	[RAS_FAULT_ECC] = "ecc",
	[RAS_FAULT_ECC_WALK] = "ecc_walk",
};

static const char *const ras_set_names[] = {
	[RAS_SET_NONE] = "none",
	[RAS_SET_UER] = "uer",
	[RAS_SET_UEO] = "ueo",
	[RAS_SET_UC] = "uc",
	[RAS_SET_RESERVED] = "reserved",
};
/* clang-format on */

static const char *const ras_source_names[] = {
	[RAS_SRC_SEA_EXIT] = "sea_exit",   [RAS_SRC_SIGBUS_AR] = "sigbus_ar",
	[RAS_SRC_SIGBUS_AO] = "sigbus_ao", [RAS_SRC_POISONED] = "poisoned",
	[RAS_SRC_DEVICE] = "device",
};

static const char *const ras_poison_names[] = {
	[RAS_PZ_NONE] = "none",
	[RAS_PZ_ACTIVE] = "poisoned",
	[RAS_PZ_OFFLINED] = "guest_offlined",
	[RAS_PZ_RESTART] = "restart",
	[RAS_PZ_FRESH] = "fresh",
};

static const char *const ras_retire_names[] = {
	[RAS_RT_NONE] = "none",
	[RAS_RT_HWPOISON] = "hwpoison",
	[RAS_RT_KERNEL] = "host_kernel",
	[RAS_RT_INPLACE] = "in_place",
};

static const char *const ras_action_names[] = {
	[RAS_ACT_INJECT] = "inject",
	[RAS_ACT_RESTART] = "restart",
	[RAS_ACT_STOP] = "stop",
	[RAS_ACT_OFF] = "off",
};

static const char *const ras_inject_path_names[] = {
	[RAS_INJECT_AUTO] = "auto",
	[RAS_INJECT_EVENTS] = "events",
	[RAS_INJECT_ENTRY] = "entry",
};

static const char *const ras_escalate_names[] = {
	[RAS_ESC_NONE] = "none",
	[RAS_ESC_RESTART] = "restart",
	[RAS_ESC_STOP] = "stop",
};

const char *ras_class_name(enum ras_class c)
{
	return RAS_NAME(ras_class_names, c);
}

const char *ras_fault_name(enum ras_fault f)
{
	return RAS_NAME(ras_fault_names, f);
}

const char *ras_set_name(enum ras_set s)
{
	return RAS_NAME(ras_set_names, s);
}

const char *ras_source_name(enum ras_source s)
{
	return RAS_NAME(ras_source_names, s);
}

const char *ras_action_name(enum ras_action a)
{
	return RAS_NAME(ras_action_names, a);
}

const char *ras_escalate_name(enum ras_escalate e)
{
	return RAS_NAME(ras_escalate_names, e);
}

const char *ras_poison_name(enum ras_poison p)
{
	return RAS_NAME(ras_poison_names, p);
}

int ras_source_parse(const char *name, enum ras_source *out)
{
	for (unsigned int i = 0; i < RAS_SRC_COUNT; i++) {
		if (!strcmp(name, ras_source_names[i])) {
			*out = (enum ras_source)i;
			return 0;
		}
	}
	return -EINVAL;
}

const char *ras_retire_name(enum ras_retire r)
{
	return RAS_NAME(ras_retire_names, r);
}

const char *ras_inject_path_name(enum ras_inject_path p)
{
	return RAS_NAME(ras_inject_path_names, p);
}
