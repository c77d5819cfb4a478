// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest memory errors, end to end: a KVM_EXIT_ARM_SEA or a host SIGBUS
 * (vmm/sea/sigbus.c) becomes a ras_event, ras_decide() decides under the VM's
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

#include "agent.h"
#include "api.h"
#include "arm64_esr.h"
#include "guest_walk.h"
#include "inject.h"
#include "kvm.h"
#include "ledger.h"
#include "sea_report.h"
#include "sigbus.h"
#include "util.h"
#include "vcpu.h"
#include "vm.h"

#define ARM64_PAGE_SIZE (1ULL << ARM64_PAGE_SHIFT)
#define REG_SCTLR_EL1	ARM64_SYS_REG(3, 0, 1, 0, 0)
#define REG_TTBR0_EL1	ARM64_SYS_REG(3, 0, 2, 0, 0)
#define REG_TTBR1_EL1	ARM64_SYS_REG(3, 0, 2, 0, 1)
#define REG_TCR_EL1	ARM64_SYS_REG(3, 0, 2, 0, 2)

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
	retire_init(&s->retire);
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
	retire_free(&s->retire);
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
		pg->flags &= (uint8_t) ~(RAS_PG_INJECTED | RAS_PG_ESC_MASK);
		pg->flags |= (uint8_t)(esc << RAS_PG_ESC_SHIFT);
	}
	d->inject.pending = false;
	d->guest_informed = false;
	if (esc > d->escalate)
		d->escalate = esc;
}

/*
 * A host page larger than a guest page (16K, 64K kernels) retires every
 * guest page in it: each is poisoned and tracked too, never silently lost.
 */
static unsigned int sea_poison_siblings(struct sea_state *s, const struct ras_page *pg,
					size_t host_page)
{
	uint64_t base = pg->gpa & ~((uint64_t)host_page - 1);
	unsigned int n = 0;

	for (uint64_t gpa = base; gpa < base + host_page; gpa += ARM64_PAGE_SIZE) {
		struct ras_page *sib;
		bool created;

		if (gpa == pg->gpa ||
		    ras_tracker_touch(&s->tracker, gpa, pg->last_ns, &sib, &created))
			continue;
		sib->flags |= RAS_PG_RETIRED;
		sib->poison = pg->poison;
		n++;
	}
	return n;
}

/*
 * Under s->lock, first thing after the decision: until the frame is
 * retired, khugepaged, compaction or KSM may copy it with plain loads and
 * consume the poison in the host kernel.
 */
static void sea_retire(struct vm *vm, const struct ras_event *ev, struct ras_decision *d)
{
	struct sea_state *s = &vm->sea;
	void *hva = mem_gpa_to_hva(&vm->mem, d->quarantine_gpa, ARM64_PAGE_SIZE);
	struct ras_page *pg = ras_tracker_lookup(&s->tracker, d->quarantine_gpa);
	char why[96];
	size_t n;
	int err = 0, ret;

	if (!hva) {
		/* KVM only exits for RAM it mapped: this GPA is not trustworthy. */
		d->quarantine = false;
		sea_override(s, d,
			     vm->ras_policy.invalid == RAS_ACT_STOP ? RAS_ESC_STOP
								    : RAS_ESC_RESTART,
			     "gpa outside guest RAM (invalid)");
		return;
	}
	if (ev->source == RAS_SRC_SIGBUS_AO)
		d->retired = RAS_RT_KERNEL; /* memory_failure() unmapped it before telling us */
	else
		d->retired = retire_frame(&s->retire, hva, &err);
	if (pg) {
		pg->poison |= d->retired == RAS_RT_INPLACE ? RAS_PZ_INPLACE : RAS_PZ_HWPOISON;
		if (s->retire.page > ARM64_PAGE_SIZE &&
		    sea_poison_siblings(s, pg, s->retire.page)) {
			n = strlen(d->reason);
			snprintf(d->reason + n, sizeof(d->reason) - n,
				 "; every guest page of the %zuK host page poisoned",
				 s->retire.page >> 10);
		}
	}
	if (d->retired == RAS_RT_INPLACE && !s->inplace_said) {
		s->inplace_said = true;
		pr_info("cannot retire poisoned host frames through the host kernel (%s); they "
			"stay in place, out of core dumps and swap, until seavmm exits "
			"(docs/usage.md, \"Guest memory errors\")",
			strerror(-err));
	}
	if (!d->fresh)
		return;
	ret = retire_fresh(&s->retire, &s->quarantine, hva, d->retired);
	if (ret == -ENOSPC) {
		snprintf(why, sizeof(why), "quarantine full (%u pages)", s->quarantine.cap);
		sea_override(s, d, RAS_ESC_STOP, why);
	} else if (ret < 0) {
		snprintf(why, sizeof(why), "no fresh page (%s)", strerror(-ret));
		sea_override(s, d, RAS_ESC_STOP, why);
	}
}

/* Under s->lock: a ledger line for pg, or an error line. */
static void sea_ledger_note(struct sea_state *s, const struct ras_page *pg, const char *who)
{
	int ret = s->ledger_fd >= 0 ? ledger_append(s->ledger_fd, pg) : 0;

	if (ret < 0)
		pr_err("%s: cannot append the page to --ras-ledger: %s", who, strerror(-ret));
}

/* Under s->lock, so lines and records keep the order of the decisions. */
static void sea_report(struct sea_state *s, const struct ras_event *ev,
		       const struct ras_decision *d)
{
	char line[512], who[32];
	int ret;

	sea_report_line(ev, d, line, sizeof(line)); /* too long: truncated, still said */
	pr_info("%s", line);
	snprintf(who, sizeof(who), "vcpu%u", ev->ctx.vcpu);
	if (d->tracked) {
		const struct ras_page *pg = ras_tracker_lookup(&s->tracker, ev->gpa);

		if (pg)
			sea_ledger_note(s, pg, who);
	}
	api_publish_event(s, ev, d);
	if (s->events_fd < 0)
		return;
	ret = sea_events_append(s->events_fd, ev, d, s->name);
	if (ret < 0)
		pr_err("%s: cannot append the event record to --ras-events: %s", who,
		       strerror(-ret));
}

/* Under s->lock: a page's poison changed without an error; say so everywhere. */
static void sea_report_poison_state(struct sea_state *s, const struct ras_page *pg, const char *by)
{
	char rec[512];
	int len;

	pr_info("poison: gpa 0x%llx now %s (by %s%s%s)", (unsigned long long)pg->gpa,
		ras_poison_name(ras_page_poison(pg)), by, pg->guest_errno ? ", guest errno " : "",
		pg->guest_errno ? strerror(pg->guest_errno) : "");
	sea_ledger_note(s, pg, by);
	if (s->events_fd < 0)
		return;
	len = ras_poison_record_format(pg, sea_now_ns(CLOCK_REALTIME), s->name, by, rec,
				       sizeof(rec));
	if (len > 0 && sea_events_write(s->events_fd, rec, (size_t)len) < 0)
		pr_err("cannot append a poison record to --ras-events");
}

/*
 * Under s->lock: tells the agent (vmm/agent/agent.c, which only queues) about the
 * page, and about the other guest pages of a host page larger than 4K,
 * which sea_poison_siblings() poisoned with it.
 */
static void sea_agent_tell(struct vm *vm, uint64_t gpa)
{
	uint64_t host =
		vm->sea.retire.page > ARM64_PAGE_SIZE ? vm->sea.retire.page : ARM64_PAGE_SIZE;
	uint64_t base = gpa & ~(host - 1);

	for (uint64_t g = base; g < base + host; g += ARM64_PAGE_SIZE) {
		const struct ras_page *pg = ras_tracker_lookup(&vm->sea.tracker, g);

		if (pg && ras_page_poison(pg) == RAS_PZ_ACTIVE)
			agent_notify_poison(vm, g);
	}
}

/*
 * Every source ends here: decide, retire, report; then restart, stop or
 * inject into v (NULL for a device's error: its request fails instead).
 */
static int sea_carry_out(struct vm *vm, struct vcpu *v, const struct ras_event *ev)
{
	struct sea_state *s = &vm->sea;
	struct ras_decision d;

	pthread_mutex_lock(&s->lock);
	ras_decide(&vm->ras_policy, &s->tracker, ev, &d);
	if (d.quarantine && !d.reaccess)
		sea_retire(vm, ev, &d);
	sea_report(s, ev, &d);
	/* A new virtual poison: the guest agent takes the page out of use. */
	if (d.tracked && !d.reaccess && d.poison == RAS_PZ_ACTIVE)
		sea_agent_tell(vm, ev->gpa);
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
	if (d.inject.pending && v)
		return inject_abort(v, &d.inject, ev->ctx.pc, ev->ctx.pstate);
	return 0;
}

int sea_handle_event(struct vcpu *v, const struct ras_event *ev)
{
	return sea_carry_out(v->vm, v, ev);
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

/* Under no lock: whether a page's frame is retired and the page still poisoned. */
static bool sea_page_retired(struct sea_state *s, uint64_t gpa)
{
	const struct ras_page *pg;
	bool ret;

	pthread_mutex_lock(&s->lock);
	pg = ras_tracker_lookup(&s->tracker, gpa & ~(ARM64_PAGE_SIZE - 1));
	ret = pg && (pg->flags & RAS_PG_RETIRED) &&
	      (ras_page_poison(pg) == RAS_PZ_ACTIVE || ras_page_poison(pg) == RAS_PZ_OFFLINED);
	pthread_mutex_unlock(&s->lock);
	return ret;
}

struct sea_walk_ctx {
	struct vm *vm;
};

/* A descriptor read for the walk: never from a page seavmm knows is poisoned. */
static int sea_walk_read(void *arg, uint64_t gpa, uint64_t *val)
{
	struct sea_walk_ctx *c = arg;
	const uint64_t *p;

	if (gpa & 7)
		return -EFAULT;
	if (sea_page_retired(&c->vm->sea, gpa))
		return -EHWPOISON;
	p = mem_gpa_to_hva(&c->vm->mem, gpa, sizeof(*val));
	if (!p)
		return -EFAULT;
	*val = __atomic_load_n(p, __ATOMIC_RELAXED);
	return 0;
}

/*
 * Whether the vCPU's PC lies on the host page of gpa: then the access that
 * met the retired frame was the instruction fetch itself. Any doubt (a walk
 * that fails, a table on a poisoned page) says no: a data abort with FnV.
 */
static bool sea_pc_on_page(struct vcpu *v, uint64_t pc, uint64_t gpa)
{
	struct sea_walk_ctx c = { v->vm };
	struct guest_walk_regs r;
	uint64_t pc_gpa, mask = ~((uint64_t)v->vm->sea.retire.page - 1);
	int ret;

	if (vcpu_get_reg(v, REG_SCTLR_EL1, &r.sctlr) || vcpu_get_reg(v, REG_TCR_EL1, &r.tcr) ||
	    vcpu_get_reg(v, REG_TTBR0_EL1, &r.ttbr0) || vcpu_get_reg(v, REG_TTBR1_EL1, &r.ttbr1))
		return false;
	ret = guest_walk(&r, pc, sea_walk_read, &c, &pc_gpa);
	if (ret) {
		if (!atomic_exchange(&v->vm->sea.walk_fail_said, true))
			pr_info("vcpu%u: cannot translate the guest PC 0x%llx (%s; TCR_EL1 "
				"0x%llx): "
				"a re-access there is presented as a data abort (said once)",
				v->id, (unsigned long long)pc, strerror(-ret),
				(unsigned long long)r.tcr);
		return false;
	}
	return (pc_gpa & mask) == (gpa & mask);
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
	 * the vCPU is only the one that noticed.
	 */
	if (source == RAS_SRC_SIGBUS_AR) {
		ret = sea_vcpu_ctx(v, "SIGBUS BUS_MCEERR_AR", &ctx);
		if (ret)
			return ret;
	}
	ctx.mono_ns = sea_now_ns(CLOCK_MONOTONIC);
	ctx.wall_ns = sea_now_ns(CLOCK_REALTIME);
	gpa_valid = mem_hva_to_gpa(&v->vm->mem, sb->addr, &gpa) == 0;
	/*
	 * An AR on a frame seavmm retired itself is the guest touching a page
	 * under virtual poison again: tell a fetch from a data access.
	 */
	if (source == RAS_SRC_SIGBUS_AR && gpa_valid && sea_page_retired(&v->vm->sea, gpa))
		ras_event_from_reaccess(&ev, gpa, sea_pc_on_page(v, ctx.pc, gpa), &ctx);
	else
		ras_event_from_host(&ev, source, gpa_valid, gpa, &ctx);
	return sea_handle_event(v, &ev);
}

int sea_handle_device_poison(struct vm *vm, uint64_t gpa, const char *device)
{
	struct ras_vcpu_ctx ctx = { .vcpu = 0 };
	struct ras_event ev;

	(void)device; /* the caller reports which device and request failed */
	ctx.mono_ns = sea_now_ns(CLOCK_MONOTONIC);
	ctx.wall_ns = sea_now_ns(CLOCK_REALTIME);
	ras_event_from_host(&ev, RAS_SRC_DEVICE, mem_gpa_to_hva(&vm->mem, gpa, 1) != NULL, gpa,
			    &ctx);
	return sea_carry_out(vm, NULL, &ev);
}

bool sea_gpa_poisoned(struct vm *vm, uint64_t gpa)
{
	return sea_page_retired(&vm->sea, gpa);
}

int sea_guest_offlined(struct vm *vm, uint64_t gpa, int guest_errno)
{
	struct sea_state *s = &vm->sea;
	struct ras_page *pg;
	int ret = 0;

	if (guest_errno < 0 || guest_errno > 255)
		return -EINVAL;
	pthread_mutex_lock(&s->lock);
	pg = ras_tracker_lookup(&s->tracker, gpa);
	/* Only a page seavmm poisoned: an agent cannot end what it was never told of. */
	if (!pg || (gpa & (ARM64_PAGE_SIZE - 1)) || ras_page_poison(pg) != RAS_PZ_ACTIVE) {
		ret = -ENOENT;
	} else {
		/*
		 * The frame stays retired either way: a guest that touches the
		 * page after offlining it still gets an abort, never data.
		 */
		pg->guest_errno = (uint8_t)guest_errno;
		if (!guest_errno)
			ras_page_set_poison(pg, RAS_PZ_OFFLINED);
		sea_report_poison_state(s, pg, "guest_agent");
	}
	pthread_mutex_unlock(&s->lock);
	return ret;
}

void sea_agent_told(struct vm *vm, uint64_t gpa)
{
	struct sea_state *s = &vm->sea;
	struct ras_page *pg;

	pthread_mutex_lock(&s->lock);
	pg = ras_tracker_lookup(&s->tracker, gpa);
	if (pg && ras_page_poison(pg) == RAS_PZ_ACTIVE)
		pg->poison |= RAS_PZ_TOLD;
	pthread_mutex_unlock(&s->lock);
}

int sea_poisoned_pages(struct vm *vm, uint64_t *gpas, size_t max)
{
	struct sea_state *s = &vm->sea;
	size_t n = 0;

	pthread_mutex_lock(&s->lock);
	for (uint32_t i = 0; i < s->tracker.n && n < max; i++)
		if (ras_page_poison(&s->tracker.pages[i]) == RAS_PZ_ACTIVE)
			gpas[n++] = s->tracker.pages[i].gpa;
	pthread_mutex_unlock(&s->lock);
	return (int)n;
}

void sea_vm_reset(struct vm *vm)
{
	struct sea_state *s = &vm->sea;

	pthread_mutex_lock(&s->lock);
	for (uint32_t i = 0; i < s->tracker.n; i++) {
		struct ras_page *pg = &s->tracker.pages[i];
		enum ras_poison st = ras_page_poison(pg);
		void *hva;

		if (st != RAS_PZ_ACTIVE && st != RAS_PZ_OFFLINED)
			continue;
		/*
		 * A frame left in place must not go back to the allocator with
		 * the rest of guest RAM (it would zero it): move it aside.
		 */
		hva = mem_gpa_to_hva(&vm->mem, pg->gpa, ARM64_PAGE_SIZE);
		if ((pg->poison & RAS_PZ_INPLACE) && hva && quarantine_page(&s->quarantine, hva))
			pr_err("gpa 0x%llx: cannot move its poisoned frame aside before the "
			       "restart",
			       (unsigned long long)pg->gpa);
		ras_page_set_poison(pg, RAS_PZ_RESTART);
		sea_report_poison_state(s, pg, "restart");
	}
	pthread_mutex_unlock(&s->lock);
}
