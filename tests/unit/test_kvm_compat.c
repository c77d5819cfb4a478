// SPDX-License-Identifier: GPL-2.0-only
/*
 * Checks include/kvm_compat.h against real kernel UAPI headers. The Makefile
 * builds this file twice, each time with only one set of arm64 kernel headers
 * on the include path: Debian 12's (Linux 6.1, no SEA interface: the SEA checks
 * are skipped and say so) and Debian sid's (which have it all), so a wrong
 * number or layout in our copy fails here rather than in a guest.
 */
#include <linux/kvm.h>

/* Record what the real headers define before kvm_compat.h fills the gaps. */
#ifdef KVM_CAP_ARM_SEA_TO_USER
#define REAL_HAS_SEA 1
#else
#define REAL_HAS_SEA 0
#endif

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "kvm_compat.h"

/* The documented ABI (sea-abi.md sections 1 and 2), independent of headers. */
static void test_compat_matches_documented_abi(void **state)
{
	(void)state;
	assert_int_equal(KVM_CAP_ARM_SEA_TO_USER, 245);
	assert_int_equal(KVM_EXIT_ARM_SEA, 41);
	assert_int_equal(KVM_EXIT_ARM_SEA_FLAG_GPA_VALID, 1);
	assert_int_equal(KVM_CAP_ARM_INJECT_EXT_DABT, 178);
	assert_int_equal(KVM_CAP_ARM_INJECT_SERROR_ESR, 158);
	assert_int_equal(KVM_CAP_ARM_NISV_TO_USER, 177);
	assert_int_equal(sizeof(struct seavmm_arm_sea), 32);
	assert_int_equal(offsetof(struct seavmm_arm_sea, flags), 0);
	assert_int_equal(offsetof(struct seavmm_arm_sea, esr), 8);
	assert_int_equal(offsetof(struct seavmm_arm_sea, gva), 16);
	assert_int_equal(offsetof(struct seavmm_arm_sea, gpa), 24);
	assert_int_equal(sizeof(struct seavmm_vcpu_events), 64);
	assert_int_equal(offsetof(struct seavmm_vcpu_events, exception.ext_dabt_pending), 2);
	assert_int_equal(offsetof(struct seavmm_vcpu_events, exception.serror_esr), 8);
	assert_int_equal(offsetof(struct seavmm_vcpu_events, reserved), 16);
}

/* struct kvm_vcpu_events is arm64's, present since long before 6.1. */
static void test_vcpu_events_matches_headers(void **state)
{
	(void)state;
	assert_int_equal(sizeof(struct seavmm_vcpu_events), sizeof(struct kvm_vcpu_events));
	assert_int_equal(offsetof(struct seavmm_vcpu_events, exception.serror_pending),
			 offsetof(struct kvm_vcpu_events, exception.serror_pending));
	assert_int_equal(offsetof(struct seavmm_vcpu_events, exception.serror_has_esr),
			 offsetof(struct kvm_vcpu_events, exception.serror_has_esr));
	assert_int_equal(offsetof(struct seavmm_vcpu_events, exception.ext_dabt_pending),
			 offsetof(struct kvm_vcpu_events, exception.ext_dabt_pending));
	assert_int_equal(offsetof(struct seavmm_vcpu_events, exception.serror_esr),
			 offsetof(struct kvm_vcpu_events, exception.serror_esr));
}

/*
 * The patched kernel's layout (sea-abi.md section 3): the new fields sit in
 * what the merged struct calls pad and reserved, the rest stays put, and the
 * capability number is ours, above every number upstream has used.
 */
static void test_vcpu_events_abt_layout(void **state)
{
	(void)state;
	assert_int_equal(sizeof(struct seavmm_vcpu_events_abt), sizeof(struct kvm_vcpu_events));
	assert_int_equal(offsetof(struct seavmm_vcpu_events_abt, exception.ext_dabt_pending),
			 offsetof(struct kvm_vcpu_events, exception.ext_dabt_pending));
	assert_int_equal(offsetof(struct seavmm_vcpu_events_abt, exception.serror_esr),
			 offsetof(struct kvm_vcpu_events, exception.serror_esr));
	assert_int_equal(offsetof(struct seavmm_vcpu_events_abt, exception.ext_iabt_pending), 3);
	assert_int_equal(offsetof(struct kvm_vcpu_events, exception.pad), 3);
	assert_int_equal(offsetof(struct seavmm_vcpu_events_abt, exception.ext_abt_has_esr), 4);
	assert_int_equal(offsetof(struct seavmm_vcpu_events_abt, exception.ext_abt_esr), 16);
	assert_int_equal(offsetof(struct kvm_vcpu_events, reserved), 16);
	assert_int_equal(offsetof(struct seavmm_vcpu_events_abt, reserved), 24);
	assert_int_equal(KVM_CAP_ARM_INJECT_EXT_IABT, 0x5ea0);
#ifdef KVM_CAP_S390_HPAGE_2G
	/* 249 in Linux 7.2, the highest number its headers define. */
	assert_true(KVM_CAP_ARM_INJECT_EXT_IABT > 16 * KVM_CAP_S390_HPAGE_2G);
#endif
}

static void test_arm_sea_matches_headers(void **state)
{
	(void)state;
#if REAL_HAS_SEA
	/* kvm_run_arm_sea() reads the union at the mmio member's address. */
	assert_int_equal(offsetof(struct kvm_run, arm_sea), offsetof(struct kvm_run, mmio));
	assert_int_equal(sizeof(((struct kvm_run *)0)->arm_sea), sizeof(struct seavmm_arm_sea));
	assert_int_equal(offsetof(struct kvm_run, arm_sea.flags) -
				 offsetof(struct kvm_run, arm_sea),
			 offsetof(struct seavmm_arm_sea, flags));
	assert_int_equal(offsetof(struct kvm_run, arm_sea.esr) - offsetof(struct kvm_run, arm_sea),
			 offsetof(struct seavmm_arm_sea, esr));
	assert_int_equal(offsetof(struct kvm_run, arm_sea.gva) - offsetof(struct kvm_run, arm_sea),
			 offsetof(struct seavmm_arm_sea, gva));
	assert_int_equal(offsetof(struct kvm_run, arm_sea.gpa) - offsetof(struct kvm_run, arm_sea),
			 offsetof(struct seavmm_arm_sea, gpa));
#else
	print_message("these headers predate KVM_EXIT_ARM_SEA (Linux 6.19): nothing to compare\n");
	skip();
#endif
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compat_matches_documented_abi),
		cmocka_unit_test(test_vcpu_events_matches_headers),
		cmocka_unit_test(test_vcpu_events_abt_layout),
		cmocka_unit_test(test_arm_sea_matches_headers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
