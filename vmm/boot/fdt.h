/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The guest's device tree, built with libfdt from a plain description of the
 * machine. Portable (no KVM headers) so that a native unit test can build the
 * same blob and check it with dtc.
 */
#ifndef SEAVMM_FDT_H
#define SEAVMM_FDT_H

#include <stddef.h>
#include <stdint.h>

#define VM_FDT_RNG_SEED_SIZE 64

/* A virtio-mmio device: its registers and its edge-triggered SPI. */
struct vm_fdt_virtio {
	uint64_t base, size;
	uint32_t spi;
};

struct vm_fdt_desc {
	uint64_t mem_base, mem_size;
	unsigned int ncpus;
	const uint64_t *mpidrs; /* ncpus entries: MPIDR_EL1 affinity of each vCPU */
	int gic_version;	/* 2 or 3 */
	uint64_t gic_dist_base, gic_dist_size;
	/* GICv3: redistributor region; GICv2: CPU interface. */
	uint64_t gic_cpu_base, gic_cpu_size;
	uint64_t uart_base, uart_size;
	uint32_t uart_spi; /* SPI number, INTID - 32 */
	uint32_t uart_clock;
	const char *bootargs;
	uint64_t initrd_start, initrd_end; /* equal: no initrd */
	uint64_t kaslr_seed;
	uint8_t rng_seed[VM_FDT_RNG_SEED_SIZE];
	const struct vm_fdt_virtio *virtio; /* nr_virtio entries, in probe order */
	unsigned int nr_virtio;
};

/*
 * Writes the blob into buf (bufsize bytes). Returns 0, -ENOSPC when it does
 * not fit, -EINVAL for a description libfdt rejects.
 */
int vm_fdt_build(const struct vm_fdt_desc *d, void *buf, size_t bufsize);

#endif
