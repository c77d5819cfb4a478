/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The MMIO bus: guest-physical ranges owned by emulated devices. KVM exits to
 * seavmm for accesses outside guest RAM; the vCPU thread hands them here.
 */
#ifndef SEAVMM_MMIO_BUS_H
#define SEAVMM_MMIO_BUS_H

#include <stdbool.h>
#include <stdint.h>

#define MMIO_BUS_MAX_DEVICES 32
#define MMIO_ACCESS_MAX	     8

/*
 * A device access: offset within the device's range, len of 1, 2, 4 or 8
 * bytes (guaranteed by the bus), data in guest byte order (little-endian).
 * Reads fill data; nothing a guest does may fail an access.
 */
typedef void (*mmio_access_fn)(void *opaque, uint64_t offset, uint8_t *data, uint32_t len,
			       bool is_write);

struct mmio_device {
	uint64_t base, size;
	mmio_access_fn access;
	void *opaque;
	const char *name;
};

/*
 * Registered at start-up only, before any vCPU runs: lookups take no lock.
 * (Hot-plugging devices later would need an RCU-style swap of the table.)
 */
struct mmio_bus {
	struct mmio_device devices[MMIO_BUS_MAX_DEVICES];
	unsigned int nr;
};

/* Returns 0, -EBUSY when the range overlaps another device, -ENOSPC, -EINVAL. */
int mmio_bus_register(struct mmio_bus *bus, const struct mmio_device *dev);
/*
 * Dispatches one guest access. Returns 0, or -ENODEV when no device backs
 * addr (reads then return zeroes, writes are dropped, as on real buses
 * without an abort).
 */
int mmio_bus_access(const struct mmio_bus *bus, uint64_t addr, uint8_t *data, uint32_t len,
		    bool is_write);

#endif
