// SPDX-License-Identifier: GPL-2.0-only
/*
 * The decision for one event. Order, documented in docs/policy.md:
 * an untrusted exit stops or restarts before anything else; a SIGBUS AO only
 * retires; otherwise the error type and place pick a base action, and the
 * storm and threshold rules may escalate over it. Injection happens only when
 * the VM keeps running: a VM about to restart or stop gains nothing from it.
 * Every trusted error with a GPA puts its page under virtual poison (or, with
 * poison=fresh, gives it a fresh frame) and has vmm/ retire the bad frame the
 * first time; later accesses to the page are re-accesses of the same error.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "arm64_esr.h"
#include "ras.h"

#define NS_PER_S 1000000000ULL

static void ras_reason(struct ras_decision *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void ras_reason(struct ras_decision *d, const char *fmt, ...)
{
	size_t n = strlen(d->reason);
	va_list ap;

	if (n >= sizeof(d->reason) - 1)
		return;
	va_start(ap, fmt);
	vsnprintf(d->reason + n, sizeof(d->reason) - n, fmt, ap);
	va_end(ap);
}

static enum ras_escalate ras_esc_of(enum ras_action a)
{
	return a == RAS_ACT_STOP      ? RAS_ESC_STOP
	       : a == RAS_ACT_RESTART ? RAS_ESC_RESTART
				      : RAS_ESC_NONE;
}

static void ras_escalate(struct ras_decision *d, enum ras_action a)
{
	enum ras_escalate e = ras_esc_of(a);

	if (e > d->escalate)
		d->escalate = e;
}

/*
 * The ESR the decision works from. SIGBUS and quarantine events have none, so
 * they get the one QEMU presents for a host SIGBUS: a data abort, FSC 0x10,
 * recoverable, FAR unknown, IL 1 as for any data abort without ISV.
 */
static void ras_effective_esr(const struct ras_event *ev, struct ras_esr *esr)
{
	if (ev->has_esr) {
		*esr = ev->esr;
		return;
	}
	ras_decode_esr(((uint64_t)ESR_EC_DABT_LOW << ESR_EC_SHIFT) | ESR_IL | ESR_FNV | ESR_FSC_SEA,
		       esr);
}

/* Updates the streak of consumptions from one vCPU at one PC. */
static uint32_t ras_streak(uint32_t streak, bool same, uint32_t cap)
{
	if (!same)
		return 1;
	return streak < cap ? streak + 1 : cap;
}

/*
 * Events in the current wall-clock second, whatever the PC: a guest that
 * alternates PCs or catches its own SIGBUS still cannot flood the host.
 */
static uint32_t ras_burst(uint32_t burst, uint32_t *burst_s, uint64_t now_ns, uint32_t cap)
{
	uint32_t sec = (uint32_t)(now_ns / NS_PER_S);

	if (*burst_s != sec) {
		*burst_s = sec;
		return 1;
	}
	return burst < cap ? burst + 1 : cap;
}

static void ras_track(struct ras_tracker *t, const struct ras_event *ev, const struct ras_esr *esr,
		      struct ras_decision *d, struct ras_page **pgp, bool *full)
{
	/* Neither found-before-use poison nor a device's own read is a guest consumption. */
	bool consumed = ev->source != RAS_SRC_SIGBUS_AO && ev->source != RAS_SRC_DEVICE, created;
	uint32_t pc_tag = (uint32_t)ev->ctx.pc;
	struct ras_page *pg;

	*pgp = NULL;
	*full = false;
	if (!ev->gpa_valid) {
		if (!consumed)
			return;
		t->nogpa_streak = ras_streak(t->nogpa_streak,
					     t->nogpa_streak && t->nogpa_vcpu == ev->ctx.vcpu &&
						     t->nogpa_pc_tag == pc_tag,
					     UINT32_MAX);
		t->nogpa_vcpu = ev->ctx.vcpu;
		t->nogpa_pc_tag = pc_tag;
		t->nogpa_burst =
			ras_burst(t->nogpa_burst, &t->nogpa_burst_s, ev->ctx.wall_ns, UINT32_MAX);
		d->streak = t->nogpa_streak;
		d->burst = t->nogpa_burst;
		return;
	}
	if (ras_tracker_touch(t, ev->gpa, ev->ctx.wall_ns, &pg, &created)) {
		*full = true;
		return;
	}
	if (consumed) {
		bool same = !created && pg->streak && pg->vcpu == (uint16_t)ev->ctx.vcpu &&
			    pg->pc_tag == pc_tag;
		uint32_t burst_s = created ? 0 : pg->burst_s;

		pg->streak = (uint8_t)ras_streak(pg->streak, same, UINT8_MAX);
		pg->pc_tag = pc_tag;
		pg->vcpu = (uint16_t)ev->ctx.vcpu;
		pg->burst = (uint8_t)ras_burst(created ? 0 : pg->burst, &burst_s, ev->ctx.wall_ns,
					       UINT8_MAX);
		pg->burst_s = burst_s;
		d->burst = pg->burst;
	}
	if (pg->count < UINT32_MAX)
		pg->count++;
	pg->esr = (uint32_t)esr->raw;
	if (ev->gva_valid) {
		pg->gva = ev->gva;
		pg->flags |= RAS_PG_GVA_VALID;
	}
	pg->flags = (uint8_t)((pg->flags & ~RAS_PG_SRC_MASK) | ev->source);
	d->tracked = true;
	d->page_count = pg->count;
	d->streak = pg->streak;
	*pgp = pg;
}

static const char *ras_set_word(enum ras_set s)
{
	switch (s) {
	case RAS_SET_UER:
		return " UER";
	case RAS_SET_UEO:
		return " UEO";
	case RAS_SET_UC:
		return " UC";
	case RAS_SET_RESERVED:
		return " reserved-SET";
	default:
		return "";
	}
}

/* The action error type and place call for, and the reason's first part. */
static enum ras_action ras_base_action(const struct ras_policy *p, const struct ras_event *ev,
				       const struct ras_esr *esr, struct ras_decision *d,
				       const char **key)
{
	bool iabt = esr->cls == RAS_CLASS_IABT_LOW || esr->cls == RAS_CLASS_IABT_CUR;

	if (ev->source != RAS_SRC_SEA_EXIT)
		ras_reason(d, "%s: ", ras_source_name(ev->source));
	ras_reason(d, "EL%d%s %s %s%s", ev->el, ev->aarch32 ? " AArch32" : "",
		   iabt ? "instruction" : "data", ras_fault_name(esr->fault),
		   ras_set_word(esr->set));
	if (esr->level != RAS_LEVEL_NONE)
		ras_reason(d, " level %d", esr->level);
	if (esr->set == RAS_SET_UC || esr->set == RAS_SET_RESERVED) {
		*key = "uc";
		return p->uc;
	}
	if (esr->fault == RAS_FAULT_SEA_WALK || esr->fault == RAS_FAULT_ECC_WALK) {
		*key = "walk";
		return p->walk;
	}
	*key = ev->el ? "kernel" : "user";
	return ev->el ? p->kernel : p->user;
}

static void ras_build_inject(const struct ras_policy *p, const struct ras_event *ev,
			     const struct ras_esr *esr, struct ras_inject *in)
{
	bool iabt = esr->cls == RAS_CLASS_IABT_LOW || esr->cls == RAS_CLASS_IABT_CUR;
	uint64_t keep = ESR_SET_MASK | ESR_FNV | ESR_EA | ESR_FSC_MASK;
	unsigned int ec;

	if (!iabt)
		keep |= ESR_CM | ESR_WNR;
	in->pending = true;
	in->instruction = iabt;
	if (iabt)
		ec = ev->el ? ESR_EC_IABT_CUR : ESR_EC_IABT_LOW;
	else
		ec = ev->el ? ESR_EC_DABT_CUR : ESR_EC_DABT_LOW;
	in->ec = (uint8_t)ec;
	in->iss = (uint32_t)(esr->raw & keep);
	if (!ev->gva_valid)
		in->iss |= (uint32_t)ESR_FNV;
	/*
	 * IL is 1 for every abort taken from AArch64: an exit claiming IL = 0
	 * is malformed, and presenting it would mislead the guest's handler.
	 */
	in->esr = ((uint64_t)ec << ESR_EC_SHIFT) | ESR_IL | in->iss;
	in->far = ev->gva_valid ? ev->gva : 0;
	if (ev->el)
		in->vector = ev->sp_elx ? VECTOR_CUR_SPX : VECTOR_CUR_SP0;
	else
		in->vector = ev->aarch32 ? VECTOR_LOW_AARCH32 : VECTOR_LOW_AARCH64;
	in->kvm_ext_dabt_exact =
		!iabt && ev->source == RAS_SRC_SEA_EXIT && (in->iss & ESR_ISS_MASK) == ESR_FSC_SEA;
	in->path = p->inject_path;
}

/* Storm and threshold: either may escalate over the base action. */
static void ras_escalations(const struct ras_policy *p, const struct ras_tracker *t,
			    const struct ras_event *ev, bool full, struct ras_decision *d)
{
	if (ev->source != RAS_SRC_SIGBUS_AO && ev->source != RAS_SRC_DEVICE &&
	    d->streak > p->storm) {
		ras_reason(d, "; %u in a row from vCPU %u at PC 0x%llx > storm=%u: %s", d->streak,
			   ev->ctx.vcpu, (unsigned long long)ev->ctx.pc, p->storm,
			   ras_action_name(p->on_storm));
		ras_escalate(d, p->on_storm);
	} else if (d->burst > p->storm_rate) {
		ras_reason(d, "; %u on %s within a second > storm_rate=%u: %s", d->burst,
			   ev->gpa_valid ? "this page" : "pages without a GPA", p->storm_rate,
			   ras_action_name(p->on_storm));
		ras_escalate(d, p->on_storm);
	}
	if (full) {
		ras_reason(d, "; tracker full: %s", ras_action_name(p->on_threshold));
		ras_escalate(d, p->on_threshold);
	}
	if (!p->threshold)
		return;
	d->window_pages =
		ras_tracker_count_window(t, ev->ctx.wall_ns, p->window_ns, p->threshold + 1);
	if (d->window_pages > p->threshold) {
		ras_reason(d, "; >%u distinct pages in %llus: %s", p->threshold,
			   (unsigned long long)(p->window_ns / NS_PER_S),
			   ras_action_name(p->on_threshold));
		ras_escalate(d, p->on_threshold);
	}
}

static void ras_note_action(struct ras_page *pg, const struct ras_decision *d)
{
	if (!pg)
		return;
	pg->flags &= (uint8_t)(~(RAS_PG_INJECTED | RAS_PG_ESC_MASK));
	pg->flags |= (uint8_t)(d->escalate << RAS_PG_ESC_SHIFT);
	if (d->inject.pending)
		pg->flags |= RAS_PG_INJECTED;
	if (d->quarantine)
		pg->flags |= RAS_PG_RETIRED;
	ras_page_set_poison(pg, d->poison);
}

/*
 * What the page becomes. The first error on a page retires its frame (vmm/
 * does it: the host kernel's hwpoison where it can) and puts the page under
 * virtual poison: every later access gets an abort until the guest takes
 * the page out of use or the VM restarts. poison=fresh trades that for
 * availability: a fresh zeroed frame at once, the guest told only through
 * this one abort. An error on a page already under virtual poison (or
 * offlined, whose frame stays retired) is a re-access of the same error.
 */
static void ras_poison_page(const struct ras_policy *p, const struct ras_event *ev,
			    const struct ras_page *pg, struct ras_decision *d)
{
	enum ras_poison prior = pg ? ras_page_poison(pg) : RAS_PZ_NONE;

	if (!ev->gpa_valid)
		return;
	d->quarantine_gpa = ev->gpa;
	d->reaccess = pg && (pg->flags & RAS_PG_RETIRED) &&
		      (prior == RAS_PZ_ACTIVE || prior == RAS_PZ_OFFLINED);
	if (d->reaccess) {
		d->quarantine = true;
		d->poison = prior;
		ras_reason(d, "; page under virtual poison since %s, accessed again",
			   prior == RAS_PZ_OFFLINED ? "offlined by the guest" : "its first error");
		return;
	}
	if (!p->quarantine) {
		/* The frame stays where it is: on hardware it keeps failing. */
		d->poison = RAS_PZ_ACTIVE;
		return;
	}
	d->quarantine = true;
	d->retire = ev->source != RAS_SRC_SIGBUS_AO;
	d->fresh = !p->poison_keep;
	d->poison = d->fresh ? RAS_PZ_FRESH : RAS_PZ_ACTIVE;
	ras_reason(d, "; %s", d->fresh ? "fresh page (poison=fresh)" : "page stays poisoned");
}

void ras_decide(const struct ras_policy *p, struct ras_tracker *t, const struct ras_event *ev,
		struct ras_decision *d)
{
	enum ras_action act = RAS_ACT_INJECT;
	struct ras_page *pg;
	struct ras_esr esr;
	const char *key = NULL;
	bool full;

	memset(d, 0, sizeof(*d));
	if ((ev->source == RAS_SRC_SEA_EXIT && !ev->has_esr) || (ev->has_esr && !ev->esr.valid)) {
		/* Nothing from this exit may be trusted, not even its GPA. */
		ras_reason(d, "untrusted ESR 0x%llx: %s: %s (invalid=%s)",
			   (unsigned long long)ev->esr.raw,
			   ev->has_esr ? ev->esr.invalid : "no ESR", ras_action_name(p->invalid),
			   ras_action_name(p->invalid));
		ras_escalate(d, p->invalid);
		return;
	}
	ras_effective_esr(ev, &esr);
	ras_track(t, ev, &esr, d, &pg, &full);

	if (ev->source == RAS_SRC_SIGBUS_AO) {
		ras_reason(d, "host found poison before any access (BUS_MCEERR_AO): %s",
			   p->quarantine && ev->gpa_valid ? "retired by the host kernel"
							  : "nothing to do");
	} else if (ev->source == RAS_SRC_DEVICE) {
		ras_reason(d, "seavmm's device emulation met poison in a guest buffer: "
			      "the request fails with an I/O error");
	} else if (ev->el < 0 || (ev->aarch32 && ev->el == 1)) {
		ras_reason(d, "%s at PSTATE 0x%llx: %s (invalid=%s)",
			   ev->el < 0 ? "not guest EL0 or EL1" : "AArch32 EL1 guest cannot take it",
			   (unsigned long long)ev->ctx.pstate, ras_action_name(p->invalid),
			   ras_action_name(p->invalid));
		act = p->invalid;
	} else {
		act = ras_base_action(p, ev, &esr, d, &key);
		ras_reason(d, ": %s (%s=%s)",
			   act == RAS_ACT_INJECT ? "inject" : ras_action_name(act), key,
			   ras_action_name(act));
	}
	ras_escalate(d, act);
	ras_poison_page(p, ev, pg, d);
	ras_escalations(p, t, ev, full, d);
	if (ev->source != RAS_SRC_SIGBUS_AO && ev->source != RAS_SRC_DEVICE &&
	    act == RAS_ACT_INJECT && !d->escalate)
		ras_build_inject(p, ev, &esr, &d->inject);
	d->guest_informed = d->inject.pending;
	ras_note_action(pg, d);
}
