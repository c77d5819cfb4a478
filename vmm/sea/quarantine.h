/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The quarantine of poisoned host pages. A page whose memory error a guest
 * consumed is moved out of guest RAM into a per-VM area that seavmm never
 * touches, and a fresh zeroed page takes its place at the same host address,
 * so the guest can go on using the guest-physical page while the bad host
 * page is neither read again nor handed back to the host's allocator (which
 * would zero it: consuming the poison in the host kernel) while seavmm lives.
 * Portable (no KVM headers), so unit tests cover it natively.
 */
#ifndef SEAVMM_QUARANTINE_H
#define SEAVMM_QUARANTINE_H

#include <stddef.h>
#include <stdint.h>

/* Bounded: one page of address space per tracked poisoned page at most. */
#define QUARANTINE_PAGES 1024

struct quarantine {
	uint8_t *base; /* reserved address space, PROT_NONE until a page moves in */
	size_t page;   /* host page size */
	uint32_t cap, used;
};

/* Reserves address space for cap pages (no memory is committed). 0 or -errno. */
int quarantine_init(struct quarantine *q, uint32_t cap);
/*
 * Moves the host page holding hva (inside a private anonymous mapping) into
 * the quarantine area and leaves a fresh zero-fill page at its address.
 * -ENOSPC when the area is full, -errno when the kernel refuses.
 */
int quarantine_page(struct quarantine *q, void *hva);
/* Unmaps the area: the quarantined pages go back to the host. */
void quarantine_free(struct quarantine *q);

#endif
