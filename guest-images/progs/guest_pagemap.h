/* SPDX-License-Identifier: GPL-2.0-only */
/* Shared by the guest test programs: a page's guest-physical address. */
#ifndef SEAVMM_GUEST_PAGEMAP_H
#define SEAVMM_GUEST_PAGEMAP_H

#include <fcntl.h>
#include <stdint.h>
#include <unistd.h>

#define GUEST_PAGE 4096

/* From /proc/self/pagemap (the guest runs as root): 0 when not present. */
static inline uint64_t gpa_of(const void *va)
{
	uint64_t ent = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY);

	if (fd < 0)
		return 0;
	if (pread(fd, &ent, 8, (off_t)((uintptr_t)va / GUEST_PAGE) * 8) != 8)
		ent = 0;
	close(fd);
	return ent & (1ULL << 63) ? (ent & ((1ULL << 55) - 1)) * GUEST_PAGE : 0;
}

#endif
