// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest memory errors, end to end: a KVM_EXIT_ARM_SEA or a host SIGBUS
 * (vmm/sigbus.c) becomes a ras_event, ras_decide() decides under the VM's
 * policy (docs/policy.md), and sea_handle_event() carries the decision out
 * and reports it, the same way for every source. The policy itself lives in
 * ras/; nothing here second-guesses it except where carrying it out fails.
 */
#include "sea.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "api.h"
#include "arm64_esr.h"
#include "inject.h"
#include "kvm.h"
#include "ledger.h"
#include "sea_report.h"
#include "sigbus.h"
#include "util.h"
#include "vcpu.h"
#include "vm.h"

#define ARM64_PAGE_SIZE (1ULL << ARM64_PAGE_SHIFT)

/*
 * The history of a previous run: its pages count towards the threshold
 * window again. The file is compacted to one line per page, so it grows
 * with the pages and the events of one run, not with every run before.
 */
static int sea_ledger_load(struct vm *vm)
{
	struct sea_state *s = &vm->sea;
	const char *path = vm->opts->ras_ledger;
	char warn[256] = "";
	int ret;

	ret = ledger_load(&s->tracker, s->ledger_fd, warn, sizeof(warn));
	if (warn[0])
		pr_info("--ras-ledger %s: %s", path, warn);
	if (ret) {
		pr_err("--ras-ledger %s: cannot load it: %s; move it aside to start afresh", path,
		       strerror(-ret));
		return ret;
	}
	if (s->tracker.n)
		pr_info("--ras-ledger %s: %u poisoned page(s) from earlier runs", path,
			s->tracker.n);
	ret = ledger_compact(path, &s->tracker, &s->ledger_fd);
	if (ret)
		pr_info("--ras-ledger %s: not compacted (%s); appending to it as it is", path,
			strerror(-ret));
	return 0;
}

int sea_setup(struct vm *vm)
{
	struct sea_state *s = &vm->sea;
	int ret;

	snprintf(s->name, sizeof(s->name), "seavmm-%d", (int)getpid());
	pthread_mutex_init(&s->lock, NULL);
	s->lock_init = true;
	/*
	 * The quarantine holds as many pages as the tracker: every page it
	 * takes is a tracked one, and a full tracker already escalates.
	 */
	ret = ras_tracker_init(&s->tracker, QUARANTINE_PAGES);
	if (!ret)
		ret = quarantine_init(&s->quarantine, QUARANTINE_PAGES);
	/* From here on a host SIGBUS on guest RAM is this VM's event. */
	if (!ret)
		ret = sigbus_vm_init(&s->sigbus, &vm->mem, vm->nr_vcpus, VCPU_KICK_SIGNAL);
	if (ret) {
		pr_err("cannot set up the memory-error tracker and quarantine: %s", strerror(-ret));
		return ret;
	}
	if (s->ledger_fd >= 0) {
		ret = sea_ledger_load(vm);
		if (ret)
			return ret;
	}
	if (kvm_check_extension(vm->vm_fd, KVM_CAP_ARM_SEA_TO_USER) != 1) {
		/* Not an error: guests run as before, only without this help. */
		pr_info("this kernel lacks KVM_CAP_ARM_SEA_TO_USER (Linux 6.19+): guest memory "
			"errors reach the guest as an SError");
		return 0;
	}
	ret = kvm_enable_cap(vm->vm_fd, KVM_CAP_ARM_SEA_TO_USER, 0);
	if (ret < 0) {
		pr_info("KVM_ENABLE_CAP(KVM_CAP_ARM_SEA_TO_USER): %s: guest memory errors reach "
			"the guest as an SError",
			strerror(-ret));
		return 0;
	}
	return 0;
}

void sea_destroy(struct vm *vm)
{
	struct sea_state *s = &vm->sea;

	if (s->events_fd >= 0)
		close(s->events_fd);
	s->events_fd = -1;
	if (s->ledger_fd >= 0)
		close(s->ledger_fd);
	s->ledger_fd = -1;
	sigbus_vm_destroy(&s->sigbus);
	ras_tracker_free(&s->tracker);
	quarantine_free(&s->quarantine);
	if (s->lock_init)
		pthread_mutex_destroy(&s->lock);
	s->lock_init = false;
}

static uint64_t sea_now_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/*
 * Carrying out the decision failed in a way that leaves the bad page where
 * the guest can reach it: nothing may resume the guest, so override the
 * decision with esc and say why in its reason (and so in the record).
 */
static void sea_override(struct sea_state *s, struct ras_decision *d, enum ras_escalate esc,
			 const char *why)
{
	size_t n = strlen(d->reason);
	struct ras_page *pg = ras_tracker_lookup(&s->tracker, d->quarantine_gpa);

	snprintf(d->reason + n, sizeof(d->reason) - n, "; %s: %s", why, ras_escalate_name(esc));
	if (pg) {
		pg->flags &= (uint8_t) ~(RAS_PG_QUARANTINED | RAS_PG_INJECTED | RAS_PG_ESC_MASK);
		pg->flags |= (uint8_t)(esc << RAS_PG_ESC_SHIFT);
	}
	d->quarantine = false;
	d->inject.pending = false;
	if (esc > d->escalate)
		d->escalate = esc;
}

/* Under s->lock: two vCPUs never quarantine at once. */
static void sea_quarantine(struct vm *vm, const struct ras_event *ev, struct ras_decision *d)
{
	struct sea_state *s = &vm->sea;
	void *hva = mem_gpa_to_hva(&vm->mem, d->quarantine_gpa, ARM64_PAGE_SIZE);
	char why[96];
	size_t n;
	int ret;

	if (!hva) {
		/* KVM only exits for RAM it mapped: this GPA is not trustworthy. */
		sea_override(s, d,
			     vm->ras_policy.invalid == RAS_ACT_STOP ? RAS_ESC_STOP
								    : RAS_ESC_RESTART,
			     "gpa outside guest RAM (invalid)");
		return;
	}
	if (ev->source == RAS_SRC_SIGBUS_AO) {
		/*
		 * The host kernel has already isolated the page: hwpoisoned,
		 * unmapped, never reused. Moving its entry away now would give
		 * the guest a zeroed page in silence, losing what it stored
		 * there unnoticed. Left in place, the guest's next access comes
		 * back as an AR: the guest is told (an abort) and the page is
		 * replaced then.
		 */
		n = strlen(d->reason);
		snprintf(d->reason + n, sizeof(d->reason) - n,
			 "; kernel-isolated, replaced at the next access");
		return;
	}
	/*
	 * Again for a page quarantined before: either another vCPU consumed
	 * the old page just before it moved (the slot then holds a fresh
	 * page, harmless), or the new host page failed too. A hwpoisoned page
	 * (SIGBUS AR) moves like any other: its page table entry goes to the
	 * slot and a fresh page faults in at hva.
	 */
	ret = quarantine_page(&s->quarantine, hva);
	if (ret == -ENOSPC) {
		snprintf(why, sizeof(why), "quarantine full (%u pages)", s->quarantine.cap);
		sea_override(s, d, RAS_ESC_STOP, why);
	} else if (ret < 0) {
		snprintf(why, sizeof(why), "quarantine failed (%s)", strerror(-ret));
		sea_override(s, d, RAS_ESC_STOP, why);
	}
}

/* Under s->lock, so lines and records keep the order of the decisions. */
static void sea_report(struct sea_state *s, const struct ras_event *ev,
		       const struct ras_decision *d)
{
	char line[512];
	int ret;

	sea_report_line(ev, d, line, sizeof(line)); /* too long: truncated, still said */
	pr_info("%s", line);
	if (s->ledger_fd >= 0 && d->tracked) {
		const struct ras_page *pg = ras_tracker_lookup(&s->tracker, ev->gpa);

		ret = pg ? ledger_append(s->ledger_fd, pg) : 0;
		if (ret < 0)
			pr_err("vcpu%u: cannot append the page to --ras-ledger: %s", ev->ctx.vcpu,
			       strerror(-ret));
	}
	api_publish_event(s, ev, d);
	if (s->events_fd < 0)
		return;
	ret = sea_events_append(s->events_fd, ev, d, s->name);
	if (ret < 0)
		pr_err("vcpu%u: cannot append the event record to --ras-events: %s", ev->ctx.vcpu,
		       strerror(-ret));
}

int sea_handle_event(struct vcpu *v, const struct ras_event *ev)
{
	struct vm *vm = v->vm;
	struct sea_state *s = &vm->sea;
	struct ras_decision d;

	pthread_mutex_lock(&s->lock);
	ras_decide(&vm->ras_policy, &s->tracker, ev, &d);
	if (d.quarantine)
		sea_quarantine(vm, ev, &d);
	sea_report(s, ev, &d);
	pthread_mutex_unlock(&s->lock);

	/* A restart or stop beats injection: ras_decide never asks for both. */
	if (d.escalate == RAS_ESC_STOP) {
		vm_request_stop(vm, VM_STOP_RAS_STOP);
		return 0;
	}
	if (d.escalate == RAS_ESC_RESTART) {
		vm_request_stop(vm, VM_STOP_RAS_RESTART);
		return 0;
	}
	if (d.inject.pending)
		return inject_abort(v, &d.inject, ev->ctx.pc, ev->ctx.pstate);
	return 0;
}

/* The vCPU's PC and PSTATE at the fault, and the clocks, for the event. */
static int sea_vcpu_ctx(struct vcpu *v, const char *what, struct ras_vcpu_ctx *ctx)
{
	int ret;

	ret = vcpu_get_reg(v, ARM64_CORE_REG(regs.pc), &ctx->pc);
	if (!ret)
		ret = vcpu_get_reg(v, ARM64_CORE_REG(regs.pstate), &ctx->pstate);
	if (ret) {
		pr_err("vcpu%u: %s: cannot read the vCPU's PC and PSTATE; "
		       "seavmm cannot continue this guest",
		       v->id, what);
		return ret;
	}
	return 0;
}

int sea_handle_exit(struct vcpu *v)
{
	struct seavmm_arm_sea sea = *kvm_run_arm_sea(v->run);
	struct ras_vcpu_ctx ctx = { .vcpu = v->id };
	struct ras_event ev;
	int ret;

	ret = sea_vcpu_ctx(v, "KVM_EXIT_ARM_SEA", &ctx);
	if (ret)
		return ret;
	ctx.mono_ns = sea_now_ns(CLOCK_MONOTONIC);
	ctx.wall_ns = sea_now_ns(CLOCK_REALTIME);
	ras_event_from_exit(&ev, &sea, &ctx);
	return sea_handle_event(v, &ev);
}

int sea_handle_sigbus(struct vcpu *v, enum ras_source source, const struct sigbus_event *sb)
{
	struct ras_vcpu_ctx ctx = { .vcpu = v->id };
	struct ras_event ev;
	uint64_t gpa = 0;
	bool gpa_valid;
	int ret;

	/*
	 * An AR stopped this vCPU at the faulting instruction: its context is
	 * the consumer's. An AO consumed nothing: PC and PSTATE stay 0, and
	 * the vCPU is only the one that noticed. si_addr_lsb is the page
	 * shift for seavmm's RAM (anonymous pages; the kernel splits a huge
	 * page before it unmaps one poisoned page of it), so sb->lsb adds
	 * nothing to the page-granular GPA.
	 */
	if (source == RAS_SRC_SIGBUS_AR) {
		ret = sea_vcpu_ctx(v, "SIGBUS BUS_MCEERR_AR", &ctx);
		if (ret)
			return ret;
	}
	ctx.mono_ns = sea_now_ns(CLOCK_MONOTONIC);
	ctx.wall_ns = sea_now_ns(CLOCK_REALTIME);
	gpa_valid = mem_hva_to_gpa(&v->vm->mem, sb->addr, &gpa) == 0;
	ras_event_from_host(&ev, source, gpa_valid, gpa, &ctx);
	return sea_handle_event(v, &ev);
}
