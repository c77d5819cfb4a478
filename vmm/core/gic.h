/* SPDX-License-Identifier: GPL-2.0-only */
/* The in-kernel interrupt controller: GICv3, or GICv2 where v3 is missing. */
#ifndef SEAVMM_GIC_H
#define SEAVMM_GIC_H

#include <stdbool.h>
#include <stdint.h>

struct vm;

/* Before the vCPUs exist: creates the device and places its regions. */
int gic_create(struct vm *vm);
/* After every vCPU is created and initialised, before the first KVM_RUN. */
int gic_finalize(struct vm *vm);
/* Drives a level-triggered SPI (spi = INTID - 32). */
int gic_set_spi(struct vm *vm, uint32_t spi, bool level);
/* The guest-physical extent of the region after the distributor. */
uint64_t gic_cpu_region_base(const struct vm *vm);
uint64_t gic_cpu_region_size(const struct vm *vm);

#endif
