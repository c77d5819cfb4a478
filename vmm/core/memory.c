// SPDX-License-Identifier: GPL-2.0-only
#include "memory.h"

#include <errno.h>
#include <linux/kvm.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "kvm.h"
#include "util.h"

#ifndef PR_SET_VMA
#define PR_SET_VMA	     0x53564d41
#define PR_SET_VMA_ANON_NAME 0
#endif

int mem_region_add(struct guest_memory *m, int vm_fd, uint64_t gpa, uint64_t size, bool dump)
{
	struct kvm_userspace_memory_region r;
	struct mem_region *reg;
	void *hva;
	int ret;

	if (m->nr >= MEM_MAX_REGIONS)
		return -ENOSPC;
	/* NORESERVE: guest RAM is touched lazily; the host commits what is used. */
	hva = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		   -1, 0);
	if (hva == MAP_FAILED)
		return -errno;
	/* Names the mapping in /proc/PID/smaps so tools can tell guest RAM apart. */
	prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, (unsigned long)hva, size,
	      (unsigned long)"seavmm guest ram");
	/*
	 * No transparent huge pages: retiring one poisoned page splits its huge
	 * page, and the host kernel's split reads every small page of it (to
	 * map zero-filled ones to the shared zero page), as khugepaged and the
	 * underused-THP shrinker do: a second, latent poisoned page there
	 * crashes the host (seen on Linux 7.2). Small pages are never read by
	 * the kernel behind seavmm's back.
	 */
	madvise(hva, size, MADV_NOHUGEPAGE);
	/*
	 * A core dump copies guest RAM with plain loads: a poisoned page not
	 * yet retired would be consumed by the host kernel, which on arm64
	 * cannot recover (as QEMU's dump-guest-core=off).
	 */
	if (!dump)
		madvise(hva, size, MADV_DONTDUMP);
	r = (struct kvm_userspace_memory_region){
		.slot = m->nr,
		.guest_phys_addr = gpa,
		.memory_size = size,
		.userspace_addr = (uint64_t)(uintptr_t)hva,
	};
	ret = kvm_ioctl(vm_fd, KVM_SET_USER_MEMORY_REGION, &r);
	if (ret < 0) {
		munmap(hva, size);
		return ret;
	}
	reg = &m->regions[m->nr++];
	*reg = (struct mem_region){ .gpa = gpa, .size = size, .hva = hva, .slot = r.slot };
	return 0;
}

int mem_write(const struct guest_memory *m, uint64_t gpa, const void *src, uint64_t len)
{
	void *dst = mem_gpa_to_hva(m, gpa, len);

	if (!dst)
		return -EFAULT;
	memcpy(dst, src, len);
	return 0;
}

int mem_load_file(const struct guest_memory *m, uint64_t gpa, int fd, uint64_t len)
{
	uint8_t *dst = mem_gpa_to_hva(m, gpa, len);
	uint64_t done = 0;

	if (!dst)
		return -EFAULT;
	while (done < len) {
		ssize_t n = pread(fd, dst + done, len - done, (off_t)done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO; /* the file shrank since it was checked */
		done += (uint64_t)n;
	}
	return 0;
}

void mem_discard_all(const struct guest_memory *m)
{
	for (unsigned int i = 0; i < m->nr; i++)
		madvise(m->regions[i].hva, m->regions[i].size, MADV_DONTNEED);
}

void mem_free(struct guest_memory *m)
{
	for (unsigned int i = 0; i < m->nr; i++)
		munmap(m->regions[i].hva, m->regions[i].size);
	m->nr = 0;
}
