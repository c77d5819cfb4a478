// SPDX-License-Identifier: GPL-2.0-only
#include "quarantine.h"

#include <errno.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4
#endif
#ifndef PR_SET_VMA
#define PR_SET_VMA	     0x53564d41
#define PR_SET_VMA_ANON_NAME 0
#endif

int quarantine_init(struct quarantine *q, uint32_t cap)
{
	long page = sysconf(_SC_PAGESIZE);
	void *p;

	q->base = NULL;
	q->used = 0;
	q->cap = cap;
	q->page = page > 0 ? (size_t)page : 4096;
	/*
	 * Address space only: PROT_NONE and NORESERVE commit nothing, and
	 * reserving it now means a quarantine never has to find room later.
	 */
	p = mmap(NULL, q->page * cap, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1,
		 0);
	if (p == MAP_FAILED)
		return -errno;
	q->base = p;
	/* PROT_NONE alone does not keep a mapping out of core dumps. */
	madvise(p, q->page * cap, MADV_DONTDUMP);
	prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, (unsigned long)p, q->page * cap,
	      (unsigned long)"seavmm quarantine");
	return 0;
}

int quarantine_page(struct quarantine *q, void *hva)
{
	uint8_t *page = (uint8_t *)((uintptr_t)hva & ~(uintptr_t)(q->page - 1));
	uint8_t *slot;
	void *p;

	if (!q->base || q->used >= q->cap)
		return -ENOSPC;
	slot = q->base + (size_t)q->used * q->page;
	/*
	 * One step, so no vCPU ever finds a hole at hva: MREMAP_DONTUNMAP
	 * moves the page table entry (the bad page itself, never its
	 * contents) to the slot and leaves hva mapped with no page, so the
	 * next access faults in a zeroed one. The move notifies KVM's MMU
	 * notifier, which drops the old stage-2 mapping.
	 */
	p = mremap(page, q->page, q->page, MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP, slot);
	if (p == MAP_FAILED) {
		/*
		 * Kernels before 5.7 lack MREMAP_DONTUNMAP: move the page,
		 * then map a fresh one over the hole. A vCPU touching the
		 * page in between gets EFAULT from KVM_RUN; acceptable on
		 * such old kernels, which have no SEA exit anyway.
		 */
		if (errno != EINVAL)
			return -errno;
		p = mremap(page, q->page, q->page, MREMAP_MAYMOVE | MREMAP_FIXED, slot);
		if (p == MAP_FAILED)
			return -errno;
		p = mmap(page, q->page, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0);
		if (p == MAP_FAILED)
			return -errno;
	}
	q->used++;
	/*
	 * Belt and braces: seavmm itself can never read the page by mistake,
	 * and khugepaged never copies it into a huge page (which would
	 * consume the poison in the host kernel). Neither call touches it.
	 */
	mprotect(slot, q->page, PROT_NONE);
	madvise(slot, q->page, MADV_NOHUGEPAGE);
	madvise(slot, q->page, MADV_DONTDUMP);
	prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, (unsigned long)slot, q->page,
	      (unsigned long)"seavmm quarantine");
	return 0;
}

void quarantine_free(struct quarantine *q)
{
	if (q->base)
		munmap(q->base, q->page * q->cap);
	q->base = NULL;
	q->used = 0;
}
