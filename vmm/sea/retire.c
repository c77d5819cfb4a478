// SPDX-License-Identifier: GPL-2.0-only
#include "retire.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "quarantine.h"
#include "sigbus.h"

#ifndef MADV_HWPOISON
#define MADV_HWPOISON 100
#endif

#define PM_PRESENT	  (1ULL << 63)
#define PM_SWAP		  (1ULL << 62)
#define CAP_SYS_ADMIN_BIT 21

void retire_init(struct retire *r)
{
	long page = sysconf(_SC_PAGESIZE);

	r->page = page > 0 ? (size_t)page : 4096;
	r->pagemap_fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
}

void retire_free(struct retire *r)
{
	if (r->pagemap_fd >= 0)
		close(r->pagemap_fd);
	r->pagemap_fd = -1;
}

enum retire_pte retire_pte(const struct retire *r, const void *addr)
{
	uint64_t e;
	off_t off = (off_t)((uintptr_t)addr / r->page * sizeof(e));

	if (r->pagemap_fd < 0 || pread(r->pagemap_fd, &e, sizeof(e), off) != (ssize_t)sizeof(e))
		return RETIRE_PTE_UNKNOWN;
	if (e & PM_PRESENT)
		return RETIRE_PTE_PRESENT;
	return e & PM_SWAP ? RETIRE_PTE_SWAP : RETIRE_PTE_NONE;
}

/*
 * The most an unprivileged process can do for a frame it must keep: out of
 * core dumps, away from khugepaged, never swapped. Compaction may still
 * migrate it by copying, and it goes back to the allocator at exit.
 */
static void retire_protect_in_place(uint8_t *page, size_t len)
{
	madvise(page, len, MADV_DONTDUMP);
	madvise(page, len, MADV_NOHUGEPAGE);
	mlock(page, len);
}

enum ras_retire retire_frame(const struct retire *r, void *hva, int *err)
{
	uint8_t *page = (uint8_t *)((uintptr_t)hva & ~(uintptr_t)(r->page - 1));
	enum retire_pte pte = retire_pte(r, page);
	int ret;

	*err = 0;
	/* A hwpoison entry: the kernel's memory-failure handling was first. */
	if (pte == RETIRE_PTE_SWAP)
		return RAS_RT_KERNEL;
	sigbus_expect_begin((uintptr_t)page, r->page);
	ret = madvise(page, r->page, MADV_HWPOISON);
	if (ret < 0)
		*err = -errno;
	sigbus_expect_end();
	/*
	 * Success leaves a hwpoison entry. A transparent huge page the kernel
	 * could not split stays mapped although madvise succeeded: treat that
	 * as not retired.
	 */
	if (!ret && retire_pte(r, page) != RETIRE_PTE_PRESENT)
		return RAS_RT_HWPOISON;
	if (!ret)
		*err = -EBUSY;
	retire_protect_in_place(page, r->page);
	return RAS_RT_INPLACE;
}

int retire_fresh(const struct retire *r, struct quarantine *q, void *hva, enum ras_retire how)
{
	uint8_t *page = (uint8_t *)((uintptr_t)hva & ~(uintptr_t)(r->page - 1));

	if (how == RAS_RT_INPLACE)
		return quarantine_page(q, page);
	/* Dropping a hwpoison entry frees nothing: the frame stays retired. */
	if (madvise(page, r->page, MADV_DONTNEED) < 0)
		return -errno;
	return 0;
}

bool retire_can_hwpoison(void)
{
	char line[256];
	bool ok = false;
	FILE *f = fopen("/proc/self/status", "re");

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long caps;

		if (sscanf(line, "CapEff: %llx", &caps) == 1) {
			ok = caps & (1ULL << CAP_SYS_ADMIN_BIT);
			break;
		}
	}
	fclose(f);
	return ok;
}
