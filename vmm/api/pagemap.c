// SPDX-License-Identifier: GPL-2.0-only
#include "pagemap.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define PAGEMAP_PRESENT	 (1ULL << 63)
#define PAGEMAP_PFN_MASK ((1ULL << 55) - 1)

int pagemap_hva_to_pa(uintptr_t hva, uint64_t *pa, char *detail, size_t len)
{
	long psz = sysconf(_SC_PAGESIZE);
	uint64_t ent = 0;
	int fd, ret;

	fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		snprintf(detail, len, "cannot open /proc/self/pagemap: %s", strerror(-ret));
		return ret;
	}
	if (pread(fd, &ent, sizeof(ent), (off_t)(hva / (uintptr_t)psz) * 8) != sizeof(ent)) {
		ret = -errno;
		close(fd);
		snprintf(detail, len, "cannot read /proc/self/pagemap: %s", strerror(-ret));
		return ret ? ret : -EIO;
	}
	close(fd);
	if (!(ent & PAGEMAP_PRESENT)) {
		snprintf(detail, len, "no host page backs it now");
		return -ENOENT;
	}
	if (!(ent & PAGEMAP_PFN_MASK)) {
		snprintf(detail, len,
			 "/proc/self/pagemap hides host page frame numbers: seavmm needs root "
			 "(CAP_SYS_ADMIN) for inject-poison");
		return -EPERM;
	}
	*pa = (ent & PAGEMAP_PFN_MASK) * (uint64_t)psz + hva % (uintptr_t)psz;
	return 0;
}
