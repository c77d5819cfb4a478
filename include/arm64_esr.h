/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ESR_ELx layout for data and instruction aborts, and the PSTATE and vector
 * facts needed to present an abort to an AArch64 guest.
 * Source: ../shared/docs/sea-abi.md sections 3 and 4 (Arm ARM, D19 ESR_ELx).
 */
#ifndef SEAVMM_ARM64_ESR_H
#define SEAVMM_ARM64_ESR_H

#define ESR_EC_SHIFT	26
#define ESR_EC_MASK	(0x3fULL << ESR_EC_SHIFT)
#define ESR_EC(esr)	((unsigned int)(((esr) >> ESR_EC_SHIFT) & 0x3f))
#define ESR_EC_IABT_LOW 0x20
#define ESR_EC_IABT_CUR 0x21
#define ESR_EC_DABT_LOW 0x24
#define ESR_EC_DABT_CUR 0x25

#define ESR_IL		 (1ULL << 25)
#define ESR_ISV		 (1ULL << 24)
#define ESR_ISS_MASK	 0x1ffffffULL /* ISS, bits 24:0 */
#define ESR_ISS_23_14	 (0x3ffULL << 14)
#define ESR_VNCR	 (1ULL << 13)
#define ESR_SET_SHIFT	 11
#define ESR_SET_MASK	 (3ULL << ESR_SET_SHIFT)
#define ESR_SET(esr)	 ((unsigned int)(((esr) >> ESR_SET_SHIFT) & 3))
#define ESR_SET_UER	 0 /* recoverable */
#define ESR_SET_RESERVED 1
#define ESR_SET_UC	 2 /* uncontainable */
#define ESR_SET_UEO	 3 /* restartable */
#define ESR_FNV		 (1ULL << 10)
#define ESR_EA		 (1ULL << 9)
#define ESR_CM		 (1ULL << 8)
#define ESR_S1PTW	 (1ULL << 7)
#define ESR_WNR		 (1ULL << 6)
#define ESR_FSC_MASK	 0x3fULL
#define ESR_FSC(esr)	 ((unsigned int)(ESR_FSC_MASK & (esr)))

/* Fault status codes KVM can report in KVM_EXIT_ARM_SEA. */
#define ESR_FSC_SEA	     0x10 /* not on a translation table walk */
#define ESR_FSC_SEA_WALK_LM1 0x13 /* on a walk, level -1; 0x14..0x17: levels 0..3 */
#define ESR_FSC_SEA_WALK_L3  0x17
#define ESR_FSC_ECC	     0x18 /* parity/ECC, not on a walk */
#define ESR_FSC_ECC_WALK_LM1 0x1b /* parity/ECC on a walk, level -1; 0x1c..0x1f: 0..3 */
#define ESR_FSC_ECC_WALK_L3  0x1f

/* The only bits KVM leaves in the exit's ESR (sea-abi.md section 1). */
#define ESR_KVM_SEA_KEEP \
	(ESR_EC_MASK | ESR_IL | ESR_SET_MASK | ESR_FNV | ESR_EA | ESR_CM | ESR_WNR | ESR_FSC_MASK)

/* PSTATE (SPSR) mode field. */
#define PSTATE_MODE_MASK   0x1fULL
#define PSTATE_MODE_RW	   (1ULL << 4) /* set: AArch32 */
#define PSTATE_EL_SHIFT	   2
#define PSTATE_EL_MASK	   (3ULL << PSTATE_EL_SHIFT)
#define PSTATE_SP	   1ULL /* AArch64: SP_ELx selected */
#define PSTATE_AARCH32_USR 0x10

/* Offsets from VBAR_EL1 of the synchronous exception vectors. */
#define VECTOR_CUR_SP0	   0x000
#define VECTOR_CUR_SPX	   0x200
#define VECTOR_LOW_AARCH64 0x400
#define VECTOR_LOW_AARCH32 0x600

#define ARM64_PAGE_SHIFT 12
#define ARM64_PAGE_MASK	 (~0xfffULL)

#endif
