/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A guest virtual address to guest-physical, by walking the guest's own
 * stage-1 tables (AArch64 EL1&0 regime, 4K, 16K and 64K granules) as the
 * MMU would. Used to tell an instruction fetch from a data access when the
 * host kernel's SIGBUS for a retired frame carries only the address: the
 * access was a fetch exactly when the PC lies on the poisoned page.
 * Portable: the registers come in, guest memory is read through a callback
 * that may refuse a page (one seavmm knows is poisoned), so a walk never
 * touches poison seavmm already knows of.
 */
#ifndef SEAVMM_GUEST_WALK_H
#define SEAVMM_GUEST_WALK_H

#include <stdint.h>

struct guest_walk_regs {
	uint64_t sctlr, tcr, ttbr0, ttbr1;
};

/* Reads the 8-byte descriptor at gpa into *val: 0, or -errno to give up. */
typedef int (*guest_walk_read_fn)(void *ctx, uint64_t gpa, uint64_t *val);

/*
 * 0 and *gpa, or -EFAULT (no valid translation, a walk disabled by EPDx,
 * a reserved granule) or the read callback's error.
 */
int guest_walk(const struct guest_walk_regs *r, uint64_t gva, guest_walk_read_fn read, void *ctx,
	       uint64_t *gpa);

#endif
