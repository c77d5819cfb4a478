// SPDX-License-Identifier: GPL-2.0-only
/*
 * ras_decide: an explicit table of the cases that matter, then the whole
 * cross product EC x FSC x SET x FnV x EL x source against a small oracle
 * written independently of ras_decide.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "arm64_esr.h"
#include "ras.h"

#define EC(x)	 ((uint64_t)(x) << ESR_EC_SHIFT)
#define SET(x)	 ((uint64_t)(x) << ESR_SET_SHIFT)
#define GVA	 0xffff800012345000ULL
#define GPA	 0x80042000ULL
#define PS_EL0	 0x0ULL
#define PS_EL1H	 0x5ULL
#define PS_EL1T	 0x4ULL
#define PS_USR32 0x10ULL
#define PS_SVC32 0x13ULL
#define HOUR_NS	 (3600ULL * 1000000000ULL)

static struct ras_event mk_event(enum ras_source src, uint64_t esr, uint64_t pstate, bool gpa_valid,
				 uint64_t gpa, uint64_t pc, uint64_t wall_ns)
{
	struct ras_vcpu_ctx ctx = {
		.vcpu = 1, .pstate = pstate, .pc = pc, .mono_ns = wall_ns, .wall_ns = wall_ns
	};
	struct ras_event ev;

	if (src == RAS_SRC_SEA_EXIT) {
		struct seavmm_arm_sea sea = { gpa_valid ? KVM_EXIT_ARM_SEA_FLAG_GPA_VALID : 0, esr,
					      GVA, gpa };

		ras_event_from_exit(&ev, &sea, &ctx);
	} else {
		ras_event_from_host(&ev, src, gpa_valid, gpa, &ctx);
	}
	return ev;
}

struct decide_case {
	const char *policy; /* key=value applied over the defaults, or NULL */
	enum ras_source src;
	uint64_t esr, pstate;
	bool gpa_valid;
	/* expected */
	bool inject, instruction;
	uint64_t inject_esr, far;
	uint16_t vector;
	bool exact, quarantine;
	enum ras_escalate esc;
};

#define DABT_LOW(iss) (EC(0x24) | ESR_IL | (iss))
#define SEA_EXIT      RAS_SRC_SEA_EXIT
static const struct decide_case decide_cases[] = {
	/* EL0 recoverable: inject, and ext_dabt_pending would do exactly this */
	{ NULL, SEA_EXIT, DABT_LOW(0x10), PS_EL0, true, true, false, DABT_LOW(0x10), GVA, 0x400,
	  true, true, RAS_ESC_NONE },
	/* EL1h restartable: data abort from the current EL, SET kept */
	{ "kernel=inject", SEA_EXIT, DABT_LOW(SET(3) | 0x10), PS_EL1H, true, true, false,
	  EC(0x25) | ESR_IL | SET(3) | 0x10, GVA, 0x200, false, true, RAS_ESC_NONE },
	/* EL1t vector */
	{ "kernel=inject", SEA_EXIT, DABT_LOW(0x10), PS_EL1T, true, true, false,
	  EC(0x25) | ESR_IL | 0x10, GVA, 0x000, true, true, RAS_ESC_NONE },
	/* AArch32 EL0 vector; AArch32 EL1 cannot take an AArch64 abort */
	{ NULL, SEA_EXIT, DABT_LOW(0x10), PS_USR32, true, true, false, DABT_LOW(0x10), GVA, 0x600,
	  true, true, RAS_ESC_NONE },
	{ NULL, SEA_EXIT, DABT_LOW(0x10), PS_SVC32, true, false, false, 0, 0, 0, false, true,
	  RAS_ESC_STOP },
	/* WnR, CM, EA and FnV kept; FnV means FAR 0 and no exact ext_dabt */
	{ NULL, SEA_EXIT, DABT_LOW(ESR_WNR | ESR_CM | ESR_EA | ESR_FNV | 0x10), PS_EL0, true, true,
	  false, DABT_LOW(ESR_WNR | ESR_CM | ESR_EA | ESR_FNV | 0x10), 0, 0x400, false, true,
	  RAS_ESC_NONE },
	/* IL 0 is malformed: the abort presented always has IL 1 */
	{ NULL, SEA_EXIT, EC(0x24) | 0x10, PS_EL0, true, true, false, DABT_LOW(0x10), GVA, 0x400,
	  true, true, RAS_ESC_NONE },
	/* the default for the guest kernel consuming poison is a restart */
	{ NULL, SEA_EXIT, DABT_LOW(0x10), PS_EL1H, true, false, false, 0, 0, 0, false, true,
	  RAS_ESC_RESTART },
	/* instruction abort from EL1 and EL0 */
	{ "kernel=inject", SEA_EXIT, EC(0x20) | ESR_IL | 0x10, PS_EL1H, true, true, true,
	  EC(0x21) | ESR_IL | 0x10, GVA, 0x200, false, true, RAS_ESC_NONE },
	{ NULL, SEA_EXIT, EC(0x20) | ESR_IL | 0x10, PS_EL0, false, true, true,
	  EC(0x20) | ESR_IL | 0x10, GVA, 0x400, false, false, RAS_ESC_NONE },
	/* UC: never resumes; reserved SET counts as UC */
	{ NULL, SEA_EXIT, DABT_LOW(SET(2) | 0x10), PS_EL0, true, false, false, 0, 0, 0, false, true,
	  RAS_ESC_STOP },
	{ "uc=restart", SEA_EXIT, DABT_LOW(SET(2) | 0x10), PS_EL1H, true, false, false, 0, 0, 0,
	  false, true, RAS_ESC_RESTART },
	{ NULL, SEA_EXIT, DABT_LOW(SET(1) | 0x10), PS_EL0, true, false, false, 0, 0, 0, false, true,
	  RAS_ESC_STOP },
	/* walks restart by default; walk=inject keeps the walk FSC */
	{ NULL, SEA_EXIT, DABT_LOW(0x15), PS_EL0, true, false, false, 0, 0, 0, false, true,
	  RAS_ESC_RESTART },
	{ "walk=stop", SEA_EXIT, DABT_LOW(0x1c), PS_EL0, true, false, false, 0, 0, 0, false, true,
	  RAS_ESC_STOP },
	{ "walk=inject", SEA_EXIT, DABT_LOW(0x13), PS_EL1H, true, true, false,
	  EC(0x25) | ESR_IL | 0x13, GVA, 0x200, false, true, RAS_ESC_NONE },
	/* parity/ECC not on a walk: no error type, treated as recoverable */
	{ NULL, SEA_EXIT, DABT_LOW(0x18), PS_EL0, true, true, false, DABT_LOW(0x18), GVA, 0x400,
	  false, true, RAS_ESC_NONE },
	/* kernel= and user= */
	{ "kernel=stop", SEA_EXIT, DABT_LOW(0x10), PS_EL1H, true, false, false, 0, 0, 0, false,
	  true, RAS_ESC_STOP },
	{ "kernel=restart", SEA_EXIT, DABT_LOW(0x10), PS_EL0, true, true, false, DABT_LOW(0x10),
	  GVA, 0x400, true, true, RAS_ESC_NONE },
	{ "user=restart", SEA_EXIT, DABT_LOW(0x10), PS_EL0, true, false, false, 0, 0, 0, false,
	  true, RAS_ESC_RESTART },
	/* untrusted: nothing injected, nothing quarantined */
	{ NULL, SEA_EXIT, EC(0x15) | 0x10, PS_EL0, true, false, false, 0, 0, 0, false, false,
	  RAS_ESC_STOP },
	{ "invalid=restart", SEA_EXIT, DABT_LOW(ESR_ISV | 0x10), PS_EL0, true, false, false, 0, 0,
	  0, false, false, RAS_ESC_RESTART },
	/* the guest at EL2 is not something seavmm runs */
	{ NULL, SEA_EXIT, DABT_LOW(0x10), 0x9, true, false, false, 0, 0, 0, false, true,
	  RAS_ESC_STOP },
	/* host SIGBUS: AR injects with FnV, AO only quarantines */
	{ NULL, RAS_SRC_SIGBUS_AR, 0, PS_EL0, true, true, false, DABT_LOW(ESR_FNV | 0x10), 0, 0x400,
	  false, true, RAS_ESC_NONE },
	{ NULL, RAS_SRC_SIGBUS_AO, 0, PS_EL1H, true, false, false, 0, 0, 0, false, true,
	  RAS_ESC_NONE },
	{ "quarantine=no", RAS_SRC_SIGBUS_AO, 0, PS_EL1H, true, false, false, 0, 0, 0, false, false,
	  RAS_ESC_NONE },
	{ "kernel=inject", RAS_SRC_POISONED, 0, PS_EL1H, true, true, false,
	  EC(0x25) | ESR_IL | ESR_FNV | 0x10, 0, 0x200, false, true, RAS_ESC_NONE },
	/* no GPA: injected, nothing to quarantine */
	{ NULL, RAS_SRC_SIGBUS_AR, 0, PS_EL0, false, true, false, DABT_LOW(ESR_FNV | 0x10), 0,
	  0x400, false, false, RAS_ESC_NONE },
};

static void check_decision(const struct ras_decision *d, const struct decide_case *c)
{
	assert_int_equal(d->escalate, c->esc);
	assert_int_equal(d->quarantine, c->quarantine);
	if (c->quarantine)
		assert_int_equal(d->quarantine_gpa, GPA);
	assert_int_equal(d->inject.pending, c->inject);
	assert_true(d->reason[0] != '\0');
	if (!c->inject)
		return;
	assert_int_equal(d->inject.instruction, c->instruction);
	assert_int_equal(d->inject.esr, c->inject_esr);
	assert_int_equal(d->inject.iss, c->inject_esr & ESR_ISS_MASK);
	assert_int_equal(d->inject.ec, ESR_EC(c->inject_esr));
	assert_int_equal(d->inject.far, c->far);
	assert_int_equal(d->inject.vector, c->vector);
	assert_int_equal(d->inject.kvm_ext_dabt_exact, c->exact);
}

static void test_decide_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(decide_cases) / sizeof(decide_cases[0]); i++) {
		const struct decide_case *c = &decide_cases[i];
		struct ras_event ev =
			mk_event(c->src, c->esr, c->pstate, c->gpa_valid, GPA, 0x4000, 1);
		struct ras_policy p;
		struct ras_tracker t;
		struct ras_decision d;
		char err[256];

		ras_policy_default(&p);
		if (c->policy)
			assert_int_equal(ras_policy_set_kv(&p, c->policy, err, sizeof(err)), 0);
		assert_int_equal(ras_tracker_init(&t, 16), 0);
		ras_decide(&p, &t, &ev, &d);
		print_message("case %zu: %s\n", i, d.reason);
		check_decision(&d, c);
		/* Tracked unless untrusted or without a GPA. */
		assert_int_equal(t.n, c->gpa_valid && (ev.esr.valid || !ev.has_esr));
		ras_tracker_free(&t);
	}
}

/* The oracle for the default policy with kernel=inject, spelled out from docs/policy.md. */
static struct decide_case oracle(enum ras_source src, unsigned int ec, unsigned int fsc,
				 unsigned int set, bool fnv, bool el1)
{
	struct decide_case c = { .src = src, .gpa_valid = true, .quarantine = true };
	bool walk = (fsc >= 0x13 && fsc <= 0x17) || fsc >= 0x1b;
	bool iabt = ec == 0x20 || ec == 0x21;
	uint64_t in_ec;

	c.esr = EC(ec) | ESR_IL | SET(set) | (fnv ? ESR_FNV : 0) | fsc;
	c.pstate = el1 ? PS_EL1H : PS_EL0;
	if (src == RAS_SRC_SIGBUS_AO)
		return c;
	if (src != RAS_SRC_SEA_EXIT) {
		iabt = false;
		fnv = true;
		fsc = 0x10;
		set = 0;
		walk = false;
	} else if (set && fsc != 0x10) {
		c.quarantine = false;
		c.esc = RAS_ESC_STOP;
		return c;
	}
	if (set == 1 || set == 2) {
		c.esc = RAS_ESC_STOP;
		return c;
	}
	if (walk) {
		c.esc = RAS_ESC_RESTART;
		return c;
	}
	in_ec = (iabt ? 0x20 : 0x24) + el1;
	c.inject = true;
	c.instruction = iabt;
	c.inject_esr = EC(in_ec) | ESR_IL | SET(set) | (fnv ? ESR_FNV : 0) | fsc;
	c.far = fnv ? 0 : GVA;
	c.vector = el1 ? 0x200 : 0x400;
	c.exact = src == RAS_SRC_SEA_EXIT && !iabt && fsc == 0x10 && !set && !fnv;
	return c;
}

static void test_decide_cross_product(void **state)
{
	static const unsigned int ecs[] = { 0x20, 0x21, 0x24, 0x25 };
	static const unsigned int fscs[] = { 0x10, 0x13, 0x14, 0x15, 0x16, 0x17,
					     0x18, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f };
	static const enum ras_source srcs[] = { RAS_SRC_SEA_EXIT, RAS_SRC_SIGBUS_AR,
						RAS_SRC_SIGBUS_AO, RAS_SRC_POISONED };
	struct ras_policy p;
	unsigned int n = 0;

	(void)state;
	ras_policy_default(&p);
	p.kernel = RAS_ACT_INJECT;
	/* The cross product: six loops around one body, written flat. */
	/* clang-format off */
	for (size_t e = 0; e < 4; e++)
	for (size_t f = 0; f < 12; f++)
	for (unsigned int set = 0; set < 4; set++)
	for (int fnv = 0; fnv < 2; fnv++)
	for (int el1 = 0; el1 < 2; el1++)
	for (size_t s = 0; s < 4; s++) {
		struct decide_case c = oracle(srcs[s], ecs[e], fscs[f], set, fnv, el1);
		struct ras_event ev = mk_event(c.src, c.esr, c.pstate, true, GPA, 0x4000, 1);
		struct ras_tracker t;
		struct ras_decision d;

		assert_int_equal(ras_tracker_init(&t, 4), 0);
		ras_decide(&p, &t, &ev, &d);
		check_decision(&d, &c);
		ras_tracker_free(&t);
		n++;
	}
	/* clang-format on */
	assert_int_equal(n, 4 * 12 * 4 * 2 * 2 * 4);
}

static void test_storm(void **state)
{
	struct ras_policy p;
	struct ras_tracker t;
	struct ras_decision d;
	struct ras_event ev = mk_event(SEA_EXIT, DABT_LOW(0x10), PS_EL0, true, GPA, 0x4000, 1);
	struct ras_event other_pc =
		mk_event(SEA_EXIT, DABT_LOW(0x10), PS_EL0, true, GPA, 0x4004, 1);
	struct ras_event ao = mk_event(RAS_SRC_SIGBUS_AO, 0, PS_EL0, true, GPA, 0x9999, 1);

	(void)state;
	ras_policy_default(&p);
	assert_int_equal(ras_tracker_init(&t, 16), 0);
	for (unsigned int i = 1; i <= 3; i++) {
		ras_decide(&p, &t, &ev, &d);
		assert_int_equal(d.streak, i);
		assert_int_equal(d.escalate, RAS_ESC_NONE);
	}
	/* An AO event is not a consumption and does not break the streak. */
	ras_decide(&p, &t, &ao, &d);
	ras_decide(&p, &t, &ev, &d);
	assert_int_equal(d.streak, 4);
	assert_int_equal(d.escalate, RAS_ESC_RESTART);
	assert_false(d.inject.pending);
	assert_non_null(strstr(d.reason, "storm=3"));
	assert_int_equal(d.page_count, 5);
	/* Progress (another PC) resets it. */
	ras_decide(&p, &t, &other_pc, &d);
	assert_int_equal(d.streak, 1);
	assert_int_equal(d.escalate, RAS_ESC_NONE);
	/* A poisoned page accessed again counts towards the storm. */
	struct ras_event q = mk_event(RAS_SRC_POISONED, 0, PS_EL0, true, GPA, 0x4004, 2);

	ras_decide(&p, &t, &q, &d);
	ras_decide(&p, &t, &q, &d);
	assert_int_equal(d.streak, 3);
	ras_decide(&p, &t, &q, &d);
	assert_int_equal(d.escalate, RAS_ESC_RESTART);
	ras_tracker_free(&t);

	/* Without a GPA the storm is still caught; on_storm=stop. */
	assert_int_equal(ras_tracker_init(&t, 16), 0);
	assert_int_equal(ras_policy_set(&p, "on_storm", "stop", NULL, 0), 0);
	p.kernel = RAS_ACT_INJECT;
	ev = mk_event(SEA_EXIT, DABT_LOW(0x10), PS_EL1H, false, 0, 0x4000, 1);
	for (unsigned int i = 1; i <= 4; i++)
		ras_decide(&p, &t, &ev, &d);
	assert_int_equal(d.streak, 4);
	assert_int_equal(d.escalate, RAS_ESC_STOP);
	assert_int_equal(t.n, 0);
	ras_tracker_free(&t);
}

/*
 * The rate bound: a guest alternating PCs on one page, or catching its own
 * SIGBUS, resets the streak every time; more than storm_rate events on one
 * page (or without a GPA) within one second still escalate.
 */
static void test_storm_rate(void **state)
{
	struct ras_policy p;
	struct ras_tracker t;
	struct ras_decision d;
	uint64_t sec = 1000000000ULL;

	(void)state;
	ras_policy_default(&p);
	assert_int_equal(ras_tracker_init(&t, 16), 0);
	for (unsigned int i = 1; i <= 21; i++) {
		struct ras_event ev = mk_event(SEA_EXIT, DABT_LOW(0x10), PS_EL0, true, GPA,
					       0x4000 + 4 * (i & 1), 5 * sec + i);

		ras_decide(&p, &t, &ev, &d);
		assert_int_equal(d.burst, i);
		assert_int_equal(d.streak, 1);
		assert_int_equal(d.escalate, i <= 20 ? RAS_ESC_NONE : RAS_ESC_RESTART);
	}
	assert_non_null(strstr(d.reason, "storm_rate=20"));
	/* The next second starts a new count. */
	struct ras_event later =
		mk_event(SEA_EXIT, DABT_LOW(0x10), PS_EL0, true, GPA, 0x4008, 6 * sec);

	ras_decide(&p, &t, &later, &d);
	assert_int_equal(d.burst, 1);
	assert_int_equal(d.escalate, RAS_ESC_NONE);
	ras_tracker_free(&t);

	/* Without a GPA (no page to count on) the same bound holds. */
	assert_int_equal(ras_tracker_init(&t, 16), 0);
	assert_int_equal(ras_policy_set(&p, "storm_rate", "3", NULL, 0), 0);
	for (unsigned int i = 1; i <= 4; i++) {
		struct ras_event ev = mk_event(RAS_SRC_SIGBUS_AR, 0, PS_EL0, false, 0,
					       0x4000 + 4 * i, 7 * sec + i);

		ras_decide(&p, &t, &ev, &d);
		assert_int_equal(d.escalate, i <= 3 ? RAS_ESC_NONE : RAS_ESC_RESTART);
	}
	assert_int_equal(t.n, 0);
	ras_tracker_free(&t);
}

/*
 * Virtual poison: the first error retires the frame and keeps the page
 * poisoned; later errors on it (another vCPU at the same moment, another
 * process later) are re-accesses that never retire again; poison=fresh
 * gives a fresh frame, so a later error there is a new one.
 */
static void test_virtual_poison(void **state)
{
	struct ras_policy p;
	struct ras_tracker t;
	struct ras_decision d;
	struct ras_event a = mk_event(SEA_EXIT, DABT_LOW(0x10), PS_EL0, true, GPA, 0x4000, 1);
	struct ras_event b = mk_event(SEA_EXIT, DABT_LOW(0x10), PS_EL0, true, GPA, 0x8000, 2);
	struct ras_vcpu_ctx ctx = { .vcpu = 2, .pc = 0x12340, .wall_ns = 3 };
	struct ras_event fetch;

	(void)state;
	ras_policy_default(&p);
	assert_int_equal(ras_tracker_init(&t, 16), 0);
	ras_decide(&p, &t, &a, &d);
	assert_true(d.retire && d.quarantine && !d.reaccess && !d.fresh);
	assert_int_equal(d.poison, RAS_PZ_ACTIVE);
	b.ctx.vcpu = 0;
	ras_decide(&p, &t, &b, &d);
	assert_true(!d.retire && d.quarantine && d.reaccess && d.inject.pending);
	assert_int_equal(d.poison, RAS_PZ_ACTIVE);
	/* A fetch found by vmm/ on the poisoned page: an instruction abort, FAR = PC. */
	ras_event_from_reaccess(&fetch, GPA + 0x10, true, &ctx);
	ras_decide(&p, &t, &fetch, &d);
	assert_true(d.reaccess && d.inject.pending && d.inject.instruction);
	assert_int_equal(d.inject.esr, EC(0x20) | ESR_IL | 0x10);
	assert_int_equal(d.inject.far, 0x12340);
	ras_event_from_reaccess(&fetch, GPA, false, &ctx);
	ras_decide(&p, &t, &fetch, &d);
	assert_true(d.reaccess && !d.inject.instruction);
	assert_int_equal(d.inject.esr, DABT_LOW(ESR_FNV | 0x10));
	assert_int_equal(fetch.source, RAS_SRC_POISONED);
	ras_tracker_free(&t);

	assert_int_equal(ras_policy_set(&p, "poison", "fresh", NULL, 0), 0);
	assert_int_equal(ras_tracker_init(&t, 16), 0);
	ras_decide(&p, &t, &a, &d);
	assert_true(d.retire && d.fresh);
	assert_int_equal(d.poison, RAS_PZ_FRESH);
	ras_decide(&p, &t, &b, &d);
	assert_true(d.retire && d.fresh && !d.reaccess);
	ras_tracker_free(&t);
}

static void test_threshold_window(void **state)
{
	struct ras_policy p;
	struct ras_tracker t;
	struct ras_decision d;

	(void)state;
	ras_policy_default(&p);
	assert_int_equal(ras_tracker_init(&t, 64), 0);
	/* 8 pages an hour apart: within 24 h but not more than 8. */
	for (unsigned int i = 0; i < 8; i++) {
		struct ras_event ev = mk_event(SEA_EXIT, DABT_LOW(0x10), PS_EL0, true,
					       GPA + i * 0x1000ULL, 0x4000, (i + 1) * HOUR_NS);

		ras_decide(&p, &t, &ev, &d);
		assert_int_equal(d.escalate, RAS_ESC_NONE);
		assert_int_equal(d.window_pages, i + 1);
	}
	/* The 9th distinct page within 24 h of the first restarts. */
	struct ras_event ninth = mk_event(SEA_EXIT, DABT_LOW(0x10), PS_EL0, true, GPA + 0x100000,
					  0x4000, 20 * HOUR_NS);

	ras_decide(&p, &t, &ninth, &d);
	assert_int_equal(d.window_pages, 9);
	assert_int_equal(d.escalate, RAS_ESC_RESTART);
	assert_non_null(strstr(d.reason, ">8 distinct pages"));
	/* A day later the first two have left the window. */
	ninth.ctx.wall_ns = 26 * HOUR_NS + 1;
	ninth.gpa += 0x1000;
	ras_decide(&p, &t, &ninth, &d);
	assert_int_equal(d.window_pages, 8);
	assert_int_equal(d.escalate, RAS_ESC_NONE);
	/* The same page seen again is not a new distinct page. */
	ras_decide(&p, &t, &ninth, &d);
	assert_int_equal(d.window_pages, 8);
	/* threshold=0 turns the rule off; on_threshold=stop */
	assert_int_equal(ras_policy_set(&p, "threshold", "2", NULL, 0), 0);
	assert_int_equal(ras_policy_set(&p, "on_threshold", "stop", NULL, 0), 0);
	ras_decide(&p, &t, &ninth, &d);
	assert_int_equal(d.escalate, RAS_ESC_STOP);
	assert_int_equal(d.window_pages, 3);
	assert_int_equal(ras_policy_set(&p, "threshold", "0", NULL, 0), 0);
	ninth.ctx.pc += 4; /* progress, or the storm rule would fire */
	ras_decide(&p, &t, &ninth, &d);
	assert_int_equal(d.escalate, RAS_ESC_NONE);
	ras_tracker_free(&t);
}

static void test_tracker_full(void **state)
{
	struct ras_policy p;
	struct ras_tracker t;
	struct ras_decision d;

	(void)state;
	ras_policy_default(&p);
	p.threshold = 0;
	assert_int_equal(ras_tracker_init(&t, 1), 0);
	struct ras_event a = mk_event(SEA_EXIT, DABT_LOW(0x10), PS_EL0, true, GPA, 0x4000, 1);
	struct ras_event b =
		mk_event(SEA_EXIT, DABT_LOW(0x10), PS_EL0, true, GPA + 0x1000, 0x4000, 2);

	ras_decide(&p, &t, &a, &d);
	assert_int_equal(d.escalate, RAS_ESC_NONE);
	ras_decide(&p, &t, &b, &d);
	assert_int_equal(d.escalate, RAS_ESC_RESTART);
	assert_true(d.quarantine);
	assert_false(d.tracked);
	assert_non_null(strstr(d.reason, "tracker full"));
	ras_tracker_free(&t);
}

/* The page remembers the last source and the action taken. */
static void test_page_records_action(void **state)
{
	struct ras_policy p;
	struct ras_tracker t;
	struct ras_decision d;
	struct ras_page *pg;

	(void)state;
	ras_policy_default(&p);
	assert_int_equal(ras_tracker_init(&t, 4), 0);
	struct ras_event ev = mk_event(SEA_EXIT, DABT_LOW(0x10), PS_EL0, true, GPA, 0x4000, 1);

	ev.ctx.vcpu = 7;
	ras_decide(&p, &t, &ev, &d);
	pg = ras_tracker_lookup(&t, GPA);
	assert_non_null(pg);
	assert_int_equal(pg->count, 1);
	assert_int_equal(pg->vcpu, 7);
	assert_int_equal(pg->esr, (uint32_t)DABT_LOW(0x10));
	assert_int_equal(pg->gva, GVA);
	assert_int_equal(pg->flags,
			 RAS_SRC_SEA_EXIT | RAS_PG_GVA_VALID | RAS_PG_INJECTED | RAS_PG_RETIRED);
	assert_int_equal(ras_page_poison(pg), RAS_PZ_ACTIVE);
	assert_true(d.retire);
	assert_false(d.reaccess);
	ev = mk_event(SEA_EXIT, DABT_LOW(SET(2) | 0x10), PS_EL0, true, GPA, 0x4000, 2);
	ras_decide(&p, &t, &ev, &d);
	assert_int_equal(pg->flags, RAS_SRC_SEA_EXIT | RAS_PG_GVA_VALID | RAS_PG_RETIRED |
					    (RAS_ESC_STOP << RAS_PG_ESC_SHIFT));
	/* The same page again: a re-access, the frame is not retired twice. */
	assert_true(d.reaccess);
	assert_false(d.retire);
	assert_int_equal(pg->first_ns, 1);
	assert_int_equal(pg->last_ns, 2);
	ras_tracker_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decide_table),   cmocka_unit_test(test_decide_cross_product),
		cmocka_unit_test(test_storm),	       cmocka_unit_test(test_storm_rate),
		cmocka_unit_test(test_virtual_poison), cmocka_unit_test(test_threshold_window),
		cmocka_unit_test(test_tracker_full),   cmocka_unit_test(test_page_records_action),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
