/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Kernel interface facts seavmm needs that older <linux/kvm.h> lacks
 * (Debian 12 ships Linux 6.1 headers; the SEA exit arrived in 6.19).
 * Each definition applies only where the system headers do not define it,
 * and tests/unit/test_kvm_compat checks the layouts against headers that do.
 * Source of the numbers: ../shared/docs/sea-abi.md.
 */
#ifndef SEAVMM_KVM_COMPAT_H
#define SEAVMM_KVM_COMPAT_H

#include <stdint.h>

#ifndef KVM_CAP_ARM_INJECT_SERROR_ESR
#define KVM_CAP_ARM_INJECT_SERROR_ESR 158
#endif
#ifndef KVM_CAP_ARM_NISV_TO_USER
#define KVM_CAP_ARM_NISV_TO_USER 177
#endif
#ifndef KVM_CAP_ARM_INJECT_EXT_DABT
#define KVM_CAP_ARM_INJECT_EXT_DABT 178
#endif
#ifndef KVM_CAP_ARM_SEA_TO_USER
#define KVM_CAP_ARM_SEA_TO_USER 245
#endif
#ifndef KVM_EXIT_ARM_SEA
#define KVM_EXIT_ARM_SEA 41
#endif
/*
 * NOT UPSTREAM. The proposed "inject external aborts" interface
 * (ext_iabt_pending, ext_abt_has_esr, ext_abt_esr: struct
 * seavmm_vcpu_events_abt below) never got an upstream capability number;
 * this is the one the project's patched test kernel (tests/kernel/) uses,
 * far above upstream's range so it cannot collide with a real capability.
 * A stock kernel answers 0 to KVM_CHECK_EXTENSION for it.
 */
#define KVM_CAP_ARM_INJECT_EXT_IABT 0x5ea0
#ifndef KVM_EXIT_ARM_SEA_FLAG_GPA_VALID
#define KVM_EXIT_ARM_SEA_FLAG_GPA_VALID (1ULL << 0)
#endif

/*
 * kvm_run.arm_sea: a member of kvm_run's exit union. Older headers lack the
 * member, so seavmm reads it through this struct at the union's address
 * (kvm_run_arm_sea() in vmm/core/kvm.h).
 */
struct seavmm_arm_sea {
	uint64_t flags;
	uint64_t esr;
	uint64_t gva;
	uint64_t gpa;
};

/*
 * The merged arm64 struct kvm_vcpu_events (64 bytes). Declared here because
 * <asm/kvm.h> is only available when building for arm64, while ras/ and its
 * tests build natively as well.
 */
struct seavmm_vcpu_events {
	struct {
		uint8_t serror_pending;
		uint8_t serror_has_esr;
		uint8_t ext_dabt_pending;
		uint8_t pad[5];
		uint64_t serror_esr;
	} exception;
	uint32_t reserved[12];
};

/*
 * The same 64 bytes as the patched kernel reads them (sea-abi.md section 3,
 * tests/kernel/README.md): ext_iabt_pending, ext_abt_has_esr and ext_abt_esr
 * take what a stock kernel checks as pad and reserved, so a stock kernel
 * refuses any of them with EINVAL.
 */
struct seavmm_vcpu_events_abt {
	struct {
		uint8_t serror_pending;
		uint8_t serror_has_esr;
		uint8_t ext_dabt_pending;
		uint8_t ext_iabt_pending;
		uint8_t ext_abt_has_esr;
		uint8_t pad[3];
		uint64_t serror_esr;
		uint64_t ext_abt_esr; /* ISS, bits 24:0 */
	} exception;
	uint32_t reserved[10];
};

#endif
