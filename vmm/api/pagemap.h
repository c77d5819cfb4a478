/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host physical addresses of seavmm's own pages, from /proc/self/pagemap
 * (the kernel shows page frame numbers to CAP_SYS_ADMIN only). Portable.
 */
#ifndef SEAVMM_PAGEMAP_H
#define SEAVMM_PAGEMAP_H

#include <stddef.h>
#include <stdint.h>

/*
 * The host physical address of hva: 0, or -ENOENT (no page there now),
 * -EPERM (frame numbers hidden: not root) or -errno, with detail saying why.
 */
int pagemap_hva_to_pa(uintptr_t hva, uint64_t *pa, char *detail, size_t len);

#endif
