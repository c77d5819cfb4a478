/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Guest RAM: a small map of guest-physical regions, each backed by anonymous
 * memory and one KVM memslot. Every guest-physical access seavmm makes goes
 * through mem_gpa_to_hva(), which bounds-checks it, so changing the map stays
 * local to this file. Quarantining a poisoned page does not change the map:
 * vmm/sea/quarantine.c swaps the host page behind one address of a region.
 */
#ifndef SEAVMM_MEMORY_H
#define SEAVMM_MEMORY_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MEM_MAX_REGIONS 8

struct mem_region {
	uint64_t gpa, size;
	void *hva;
	uint32_t slot;
};

struct guest_memory {
	struct mem_region regions[MEM_MAX_REGIONS];
	unsigned int nr;
};

/*
 * Maps size bytes at gpa and registers them with KVM; dump: keep them in
 * core dumps. 0 or -errno.
 */
int mem_region_add(struct guest_memory *m, int vm_fd, uint64_t gpa, uint64_t size, bool dump);
/*
 * Host address of [gpa, gpa+len) if it lies inside one region, else NULL.
 * Inline so that the portable device code (vmm/core/guest_copy.c) has it too.
 */
static inline void *mem_gpa_to_hva(const struct guest_memory *m, uint64_t gpa, uint64_t len)
{
	for (unsigned int i = 0; i < m->nr; i++) {
		const struct mem_region *r = &m->regions[i];

		if (gpa >= r->gpa && gpa - r->gpa <= r->size && len <= r->size - (gpa - r->gpa))
			return (uint8_t *)r->hva + (gpa - r->gpa);
	}
	return NULL;
}
/*
 * The guest-physical address of host address hva, if it lies inside guest
 * RAM: 0, or -EFAULT. Inline and lock-free because the SIGBUS handler uses
 * it: the map is fixed before any vCPU runs and only read afterwards.
 */
static inline int mem_hva_to_gpa(const struct guest_memory *m, uintptr_t hva, uint64_t *gpa)
{
	for (unsigned int i = 0; i < m->nr; i++) {
		const struct mem_region *r = &m->regions[i];
		uintptr_t base = (uintptr_t)r->hva;

		/* hva - base wraps for hva < base: one compare covers both ends. */
		if (hva - base < r->size) {
			*gpa = r->gpa + (hva - base);
			return 0;
		}
	}
	return -EFAULT;
}
/* Fills [gpa, gpa+len) from fd at offset; -EFAULT outside RAM, -EIO/-errno. */
int mem_load_file(const struct guest_memory *m, uint64_t gpa, int fd, uint64_t len);
int mem_write(const struct guest_memory *m, uint64_t gpa, const void *src, uint64_t len);
/* Gives all RAM back to the host; it reads as zeroes again (guest reboot). */
void mem_discard_all(const struct guest_memory *m);
void mem_free(struct guest_memory *m);

#endif
