// SPDX-License-Identifier: GPL-2.0-only
/*
 * Decoding of the sanitized ESR of KVM_EXIT_ARM_SEA and of the vCPU context.
 * Only what KVM can actually report is accepted: anything else may be a
 * kernel bug or a corrupted run structure, and nothing may be built from it.
 */
#include <string.h>

#include "arm64_esr.h"
#include "ras.h"

static enum ras_class ras_decode_class(unsigned int ec)
{
	switch (ec) {
	case ESR_EC_IABT_LOW:
		return RAS_CLASS_IABT_LOW;
	case ESR_EC_IABT_CUR:
		return RAS_CLASS_IABT_CUR;
	case ESR_EC_DABT_LOW:
		return RAS_CLASS_DABT_LOW;
	case ESR_EC_DABT_CUR:
		return RAS_CLASS_DABT_CUR;
	}
	return RAS_CLASS_INVALID;
}

static enum ras_fault ras_decode_fault(unsigned int fsc, int *level)
{
	*level = RAS_LEVEL_NONE;
	if (fsc == ESR_FSC_SEA)
		return RAS_FAULT_SEA;
	if (fsc == ESR_FSC_ECC)
		return RAS_FAULT_ECC;
	if (fsc >= ESR_FSC_SEA_WALK_LM1 && fsc <= ESR_FSC_SEA_WALK_L3) {
		*level = (int)fsc - ESR_FSC_SEA_WALK_LM1 - 1;
		return RAS_FAULT_SEA_WALK;
	}
	if (fsc >= ESR_FSC_ECC_WALK_LM1 && fsc <= ESR_FSC_ECC_WALK_L3) {
		*level = (int)fsc - ESR_FSC_ECC_WALK_LM1 - 1;
		return RAS_FAULT_ECC_WALK;
	}
	return RAS_FAULT_INVALID;
}

static enum ras_set ras_decode_set(unsigned int bits)
{
	switch (bits) {
	case ESR_SET_UER:
		return RAS_SET_UER;
	case ESR_SET_UEO:
		return RAS_SET_UEO;
	case ESR_SET_UC:
		return RAS_SET_UC;
	}
	return RAS_SET_RESERVED;
}

static bool ras_is_iabt(enum ras_class c)
{
	return c == RAS_CLASS_IABT_LOW || c == RAS_CLASS_IABT_CUR;
}

/* Why KVM could not have produced esr, or NULL. Checks run broadest first. */
static const char *ras_esr_untrusted(uint64_t esr, const struct ras_esr *d)
{
	if (d->cls == RAS_CLASS_INVALID)
		return "EC is not an instruction or data abort";
	if (d->fault == RAS_FAULT_INVALID)
		return "FSC is not an external abort or parity/ECC error";
	if (esr >> 32)
		return "bits 63:32 set (KVM clears ISS2)";
	if (esr & ESR_ISV)
		return "ISV set (KVM clears it)";
	if (esr & ~ESR_KVM_SEA_KEEP)
		return "ISS bits set that KVM clears (ISS[23:14], VNCR or S1PTW)";
	if (ras_is_iabt(d->cls) && (esr & (ESR_CM | ESR_WNR)))
		return "CM or WnR set in an instruction abort";
	if (d->fault != RAS_FAULT_SEA && d->set_bits)
		return "SET set for a fault kind that carries no error type";
	return NULL;
}

void ras_decode_esr(uint64_t esr, struct ras_esr *d)
{
	memset(d, 0, sizeof(*d));
	d->raw = esr;
	d->ec = (uint8_t)ESR_EC(esr);
	d->fsc = (uint8_t)ESR_FSC(esr);
	d->set_bits = (uint8_t)ESR_SET(esr);
	d->il = esr & ESR_IL;
	d->isv = esr & ESR_ISV;
	d->fnv = esr & ESR_FNV;
	d->ea = esr & ESR_EA;
	d->cm = esr & ESR_CM;
	d->s1ptw = esr & ESR_S1PTW;
	d->wnr = esr & ESR_WNR;
	d->cls = ras_decode_class(d->ec);
	d->fault = ras_decode_fault(d->fsc, &d->level);
	/* Only FSC 0x10 carries SET: a walk or ECC error has no error type. */
	d->set = d->fault == RAS_FAULT_SEA ? ras_decode_set(d->set_bits) : RAS_SET_NONE;
	d->invalid = ras_esr_untrusted(esr, d);
	d->valid = !d->invalid;
	if (!d->valid) {
		d->cls = RAS_CLASS_INVALID;
		d->fault = RAS_FAULT_INVALID;
		d->set = RAS_SET_NONE;
		d->level = RAS_LEVEL_NONE;
	}
}

/* The EL and execution state the guest was in; el = -1 when not EL0/EL1. */
static void ras_decode_pstate(struct ras_event *ev)
{
	uint64_t ps = ev->ctx.pstate;

	ev->aarch32 = ps & PSTATE_MODE_RW;
	ev->sp_elx = false;
	if (ev->aarch32) {
		unsigned int mode = (unsigned int)(ps & PSTATE_MODE_MASK);

		/* usr is EL0; the other valid modes of an EL1 guest are EL1. */
		switch (mode) {
		case PSTATE_AARCH32_USR:
			ev->el = 0;
			break;
		case 0x11: /* fiq */
		case 0x12: /* irq */
		case 0x13: /* svc */
		case 0x17: /* abt */
		case 0x1b: /* und */
		case 0x1f: /* sys */
			ev->el = 1;
			break;
		default:
			ev->el = -1;
		}
		return;
	}
	if (ps & (PSTATE_MODE_MASK & ~(PSTATE_EL_MASK | PSTATE_SP))) {
		ev->el = -1; /* bit 1 is reserved in AArch64 M[3:0] */
		return;
	}
	ev->el = (int)((ps & PSTATE_EL_MASK) >> PSTATE_EL_SHIFT);
	ev->sp_elx = ps & PSTATE_SP;
	if (ev->el > 1 || (ev->el == 0 && ev->sp_elx))
		ev->el = -1;
}

static void ras_event_init(struct ras_event *ev, enum ras_source source,
			   const struct ras_vcpu_ctx *ctx)
{
	memset(ev, 0, sizeof(*ev));
	ev->source = source;
	ev->ctx = *ctx;
	ras_decode_pstate(ev);
	ev->esr.cls = RAS_CLASS_INVALID;
	ev->esr.level = RAS_LEVEL_NONE;
}

void ras_event_from_exit(struct ras_event *ev, const struct seavmm_arm_sea *sea,
			 const struct ras_vcpu_ctx *ctx)
{
	ras_event_init(ev, RAS_SRC_SEA_EXIT, ctx);
	ev->has_esr = true;
	ras_decode_esr(sea->esr, &ev->esr);
	ev->gva_valid = ev->esr.valid && !ev->esr.fnv;
	ev->gva = ev->gva_valid ? sea->gva : 0;
	/* KVM reports a page: a GPA with low bits set is not from KVM. */
	ev->gpa_valid =
		(sea->flags & KVM_EXIT_ARM_SEA_FLAG_GPA_VALID) && !(sea->gpa & ~ARM64_PAGE_MASK);
	ev->gpa = ev->gpa_valid ? sea->gpa : 0;
}

void ras_event_from_host(struct ras_event *ev, enum ras_source source, bool gpa_valid, uint64_t gpa,
			 const struct ras_vcpu_ctx *ctx)
{
	ras_event_init(ev, source, ctx);
	ev->gpa_valid = gpa_valid;
	ev->gpa = gpa_valid ? gpa & ARM64_PAGE_MASK : 0;
}

void ras_event_from_reaccess(struct ras_event *ev, uint64_t gpa, bool fetch,
			     const struct ras_vcpu_ctx *ctx)
{
	/*
	 * The host kernel's SIGBUS for a retired frame carries only the
	 * address, so the ESR is what vmm/ could tell: a fetch (the PC lies on
	 * the page, so FAR is the PC) or else a data access of unknown address
	 * and direction, as on real hardware with FnV = 1.
	 */
	uint64_t esr = ESR_IL | ESR_FSC_SEA;

	esr |= fetch ? (uint64_t)ESR_EC_IABT_LOW << ESR_EC_SHIFT
		     : ((uint64_t)ESR_EC_DABT_LOW << ESR_EC_SHIFT) | ESR_FNV;
	ras_event_init(ev, RAS_SRC_POISONED, ctx);
	ev->has_esr = true;
	ras_decode_esr(esr, &ev->esr);
	ev->gva_valid = fetch;
	ev->gva = fetch ? ctx->pc : 0;
	ev->gpa_valid = true;
	ev->gpa = gpa & ARM64_PAGE_MASK;
}
