/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Retiring a bad host frame: after a guest consumed poison in it, nothing may
 * touch the frame again - not the guest, not seavmm, not the host kernel
 * (khugepaged, compaction, KSM, core dumps, the allocator after exit: arm64
 * has no machine-check-safe kernel copy, so any of them would crash the
 * host). The host kernel's own memory-failure handling does that for good:
 * madvise(MADV_HWPOISON) marks the frame hwpoisoned, never frees it, and
 * leaves a hwpoison entry at the address, so that every later guest access
 * makes KVM send SIGBUS BUS_MCEERR_AR (vmm/sea/sigbus.c): the page reads as
 * poisoned, never as other data. That needs CAP_SYS_ADMIN; without it the
 * frame is left in place, protected as far as an unprivileged process can
 * (docs/usage.md names what remains).
 * Portable (no KVM headers), so unit tests cover it natively.
 */
#ifndef SEAVMM_RETIRE_H
#define SEAVMM_RETIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ras.h"

struct retire {
	int pagemap_fd; /* /proc/self/pagemap, or -1 */
	size_t page;	/* host page size */
};

/* What /proc/self/pagemap says is at an address. */
enum retire_pte {
	RETIRE_PTE_UNKNOWN, /* pagemap unreadable */
	RETIRE_PTE_NONE,    /* nothing mapped: a fresh page at the next touch */
	RETIRE_PTE_PRESENT, /* a frame is mapped */
	RETIRE_PTE_SWAP,    /* a swap or hwpoison entry: no frame to touch */
};

/* Never fails: without pagemap, retire_frame() trusts madvise alone. */
void retire_init(struct retire *r);
void retire_free(struct retire *r);
enum retire_pte retire_pte(const struct retire *r, const void *addr);
/*
 * Takes the frame behind hva out of use. Returns how (RAS_RT_HWPOISON,
 * RAS_RT_KERNEL when the host kernel had already done it, RAS_RT_INPLACE)
 * and, for RAS_RT_INPLACE, why the kernel would not in *err (-errno).
 */
enum ras_retire retire_frame(const struct retire *r, void *hva, int *err);
/*
 * poison=fresh, after retire_frame(): a fresh zeroed page at hva. A
 * hwpoison entry is simply dropped; a frame left in place is moved into q
 * first (see quarantine.h). 0 or -errno.
 */
struct quarantine;
int retire_fresh(const struct retire *r, struct quarantine *q, void *hva, enum ras_retire how);
/* Whether this process may retire frames through the host kernel. */
bool retire_can_hwpoison(void);

#endif
