// SPDX-License-Identifier: GPL-2.0-only
/* ras_decode_esr and the event constructors, table-driven. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "arm64_esr.h"
#include "ras.h"

#define EC(x)  ((uint64_t)(x) << ESR_EC_SHIFT)
#define SET(x) ((uint64_t)(x) << ESR_SET_SHIFT)

struct decode_case {
	uint64_t esr;
	bool valid;
	enum ras_class cls;
	enum ras_fault fault;
	int level;
	enum ras_set set;
};

static const struct decode_case decode_cases[] = {
	{ EC(0x24) | ESR_IL | 0x10, true, RAS_CLASS_DABT_LOW, RAS_FAULT_SEA, RAS_LEVEL_NONE,
	  RAS_SET_UER },
	{ EC(0x25) | 0x10 | SET(3), true, RAS_CLASS_DABT_CUR, RAS_FAULT_SEA, RAS_LEVEL_NONE,
	  RAS_SET_UEO },
	{ EC(0x20) | 0x10 | SET(2), true, RAS_CLASS_IABT_LOW, RAS_FAULT_SEA, RAS_LEVEL_NONE,
	  RAS_SET_UC },
	{ EC(0x21) | 0x10 | SET(1), true, RAS_CLASS_IABT_CUR, RAS_FAULT_SEA, RAS_LEVEL_NONE,
	  RAS_SET_RESERVED },
	{ EC(0x24) | 0x13, true, RAS_CLASS_DABT_LOW, RAS_FAULT_SEA_WALK, -1, RAS_SET_NONE },
	{ EC(0x24) | 0x14, true, RAS_CLASS_DABT_LOW, RAS_FAULT_SEA_WALK, 0, RAS_SET_NONE },
	{ EC(0x24) | 0x17, true, RAS_CLASS_DABT_LOW, RAS_FAULT_SEA_WALK, 3, RAS_SET_NONE },
	{ EC(0x20) | 0x18, true, RAS_CLASS_IABT_LOW, RAS_FAULT_ECC, RAS_LEVEL_NONE, RAS_SET_NONE },
	{ EC(0x24) | 0x1b, true, RAS_CLASS_DABT_LOW, RAS_FAULT_ECC_WALK, -1, RAS_SET_NONE },
	{ EC(0x24) | 0x1d, true, RAS_CLASS_DABT_LOW, RAS_FAULT_ECC_WALK, 1, RAS_SET_NONE },
	{ EC(0x24) | 0x1f, true, RAS_CLASS_DABT_LOW, RAS_FAULT_ECC_WALK, 3, RAS_SET_NONE },
	{ EC(0x24) | ESR_WNR | ESR_CM | ESR_EA | ESR_FNV | 0x10, true, RAS_CLASS_DABT_LOW,
	  RAS_FAULT_SEA, RAS_LEVEL_NONE, RAS_SET_UER },
	/* What KVM cannot report. */
	{ EC(0x15) | 0x10, false, 0, 0, 0, 0 }, /* SVC */
	{ EC(0x00), false, 0, 0, 0, 0 },
	{ EC(0x24) | 0x04, false, 0, 0, 0, 0 }, /* translation fault */
	{ EC(0x24) | 0x11, false, 0, 0, 0, 0 }, /* SError-ish FSC */
	{ EC(0x24) | 0x12, false, 0, 0, 0, 0 },
	{ EC(0x24) | 0x19, false, 0, 0, 0, 0 },
	{ EC(0x24) | 0x1a, false, 0, 0, 0, 0 },
	{ EC(0x24) | 0x3f, false, 0, 0, 0, 0 },
	{ EC(0x24) | ESR_ISV | 0x10, false, 0, 0, 0, 0 },
	{ EC(0x24) | ESR_S1PTW | 0x10, false, 0, 0, 0, 0 },
	{ EC(0x24) | ESR_VNCR | 0x10, false, 0, 0, 0, 0 },
	{ EC(0x24) | (1ULL << 20) | 0x10, false, 0, 0, 0, 0 },
	{ EC(0x24) | (1ULL << 32) | 0x10, false, 0, 0, 0, 0 },
	{ EC(0x20) | ESR_WNR | 0x10, false, 0, 0, 0, 0 },
	{ EC(0x20) | ESR_CM | 0x10, false, 0, 0, 0, 0 },
	{ EC(0x24) | SET(2) | 0x14, false, 0, 0, 0, 0 }, /* SET on a walk */
	{ EC(0x24) | SET(3) | 0x18, false, 0, 0, 0, 0 },
	{ ~0ULL, false, 0, 0, 0, 0 },
};

static void test_decode_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(decode_cases) / sizeof(decode_cases[0]); i++) {
		const struct decode_case *c = &decode_cases[i];
		struct ras_esr d;

		ras_decode_esr(c->esr, &d);
		print_message("case %zu esr 0x%llx\n", i, (unsigned long long)c->esr);
		assert_int_equal(d.raw, c->esr);
		assert_int_equal(d.valid, c->valid);
		if (!c->valid) {
			assert_non_null(d.invalid);
			assert_int_equal(d.cls, RAS_CLASS_INVALID);
			assert_int_equal(d.fault, RAS_FAULT_INVALID);
			continue;
		}
		assert_null(d.invalid);
		assert_int_equal(d.cls, c->cls);
		assert_int_equal(d.fault, c->fault);
		assert_int_equal(d.level, c->level);
		assert_int_equal(d.set, c->set);
	}
}

static void test_decode_fields(void **state)
{
	struct ras_esr d;

	(void)state;
	ras_decode_esr(EC(0x25) | ESR_IL | SET(3) | ESR_FNV | ESR_EA | ESR_CM | ESR_WNR | 0x10, &d);
	assert_true(d.valid);
	assert_int_equal(d.ec, 0x25);
	assert_int_equal(d.fsc, 0x10);
	assert_int_equal(d.set_bits, 3);
	assert_true(d.il && d.fnv && d.ea && d.cm && d.wnr);
	assert_false(d.isv || d.s1ptw);
	ras_decode_esr(EC(0x24) | 0x10, &d);
	assert_false(d.il || d.fnv || d.ea || d.cm || d.wnr);
}

/* Every EC and FSC: valid exactly for the four abort ECs and KVM's FSCs. */
static void test_decode_exhaustive_ec_fsc(void **state)
{
	(void)state;
	for (unsigned int ec = 0; ec < 64; ec++) {
		for (unsigned int fsc = 0; fsc < 64; fsc++) {
			struct ras_esr d;
			bool ec_ok = ec == 0x20 || ec == 0x21 || ec == 0x24 || ec == 0x25;
			bool fsc_ok = fsc == 0x10 || (fsc >= 0x13 && fsc <= 0x18) ||
				      (fsc >= 0x1b && fsc <= 0x1f);

			ras_decode_esr(EC(ec) | fsc, &d);
			assert_int_equal(d.valid, ec_ok && fsc_ok);
		}
	}
}

static struct ras_vcpu_ctx ctx_with(uint64_t pstate)
{
	return (struct ras_vcpu_ctx){
		.vcpu = 2, .pstate = pstate, .pc = 0x1000, .mono_ns = 5, .wall_ns = 7
	};
}

static void test_event_from_exit(void **state)
{
	struct seavmm_arm_sea sea = { KVM_EXIT_ARM_SEA_FLAG_GPA_VALID, EC(0x24) | 0x10,
				      0xffff000012345678ULL, 0x40001000 };
	struct ras_vcpu_ctx ctx = ctx_with(0x3c5); /* EL1h, DAIF masked */
	struct ras_event ev;

	(void)state;
	ras_event_from_exit(&ev, &sea, &ctx);
	assert_int_equal(ev.source, RAS_SRC_SEA_EXIT);
	assert_true(ev.has_esr && ev.esr.valid);
	assert_int_equal(ev.el, 1);
	assert_true(ev.sp_elx);
	assert_false(ev.aarch32);
	assert_true(ev.gva_valid && ev.gpa_valid);
	assert_int_equal(ev.gva, 0xffff000012345678ULL);
	assert_int_equal(ev.gpa, 0x40001000);
	assert_int_equal(ev.ctx.vcpu, 2);

	sea.esr |= ESR_FNV;
	sea.flags = 0;
	ras_event_from_exit(&ev, &sea, &ctx);
	assert_false(ev.gva_valid || ev.gpa_valid);
	assert_int_equal(ev.gva, 0);

	/* A GPA that is not page granular did not come from KVM. */
	sea.flags = KVM_EXIT_ARM_SEA_FLAG_GPA_VALID;
	sea.gpa = 0x40001008;
	ras_event_from_exit(&ev, &sea, &ctx);
	assert_false(ev.gpa_valid);

	/* An invalid ESR makes the GVA untrusted whatever FnV says. */
	sea.esr = EC(0x15);
	ras_event_from_exit(&ev, &sea, &ctx);
	assert_false(ev.esr.valid);
	assert_false(ev.gva_valid);
}

static void test_event_pstate(void **state)
{
	static const struct {
		uint64_t pstate;
		int el;
		bool a32, spx;
	} cases[] = {
		{ 0x000, 0, false, false },  { 0x004, 1, false, false },
		{ 0x005, 1, false, true },   { 0x3c5, 1, false, true },
		{ 0x008, -1, false, false }, { 0x009, -1, false, true },
		{ 0x00c, -1, false, false }, { 0x001, -1, false, true },
		{ 0x002, -1, false, false }, { 0x010, 0, true, false },
		{ 0x013, 1, true, false },   { 0x01f, 1, true, false },
		{ 0x01a, -1, true, false },  { 0x016, -1, true, false },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ras_vcpu_ctx ctx = ctx_with(cases[i].pstate);
		struct ras_event ev;

		ras_event_from_host(&ev, RAS_SRC_SIGBUS_AR, true, 0x5123, &ctx);
		print_message("pstate 0x%llx\n", (unsigned long long)cases[i].pstate);
		assert_int_equal(ev.el, cases[i].el);
		assert_int_equal(ev.aarch32, cases[i].a32);
		if (cases[i].el >= 0)
			assert_int_equal(ev.sp_elx, cases[i].spx);
		assert_false(ev.has_esr);
		assert_int_equal(ev.gpa, 0x5000);
	}
}

static void test_names(void **state)
{
	enum ras_source s;

	(void)state;
	assert_string_equal(ras_class_name(RAS_CLASS_DABT_CUR), "dabt_cur");
	assert_string_equal(ras_fault_name(RAS_FAULT_ECC_WALK), "ecc_walk");
	assert_string_equal(ras_set_name(RAS_SET_UEO), "ueo");
	assert_string_equal(ras_escalate_name(RAS_ESC_STOP), "stop");
	assert_string_equal(ras_class_name((enum ras_class)99), "?");
	for (unsigned int i = 0; i < RAS_SRC_COUNT; i++) {
		assert_int_equal(ras_source_parse(ras_source_name((enum ras_source)i), &s), 0);
		assert_int_equal(s, i);
	}
	assert_int_equal(ras_source_parse("nope", &s), -22);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_table),
		cmocka_unit_test(test_decode_fields),
		cmocka_unit_test(test_decode_exhaustive_ec_fsc),
		cmocka_unit_test(test_event_from_exit),
		cmocka_unit_test(test_event_pstate),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
