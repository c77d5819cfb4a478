// SPDX-License-Identifier: GPL-2.0-only
#include "mmio_bus.h"

#include <errno.h>
#include <string.h>

static bool mmio_range_overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

int mmio_bus_register(struct mmio_bus *bus, const struct mmio_device *dev)
{
	if (!dev->size || dev->base + dev->size < dev->base || !dev->access)
		return -EINVAL;
	if (bus->nr >= MMIO_BUS_MAX_DEVICES)
		return -ENOSPC;
	for (unsigned int i = 0; i < bus->nr; i++)
		if (mmio_range_overlaps(dev->base, dev->size, bus->devices[i].base,
					bus->devices[i].size))
			return -EBUSY;
	bus->devices[bus->nr++] = *dev;
	return 0;
}

int mmio_bus_access(const struct mmio_bus *bus, uint64_t addr, uint8_t *data, uint32_t len,
		    bool is_write)
{
	bool len_ok = len == 1 || len == 2 || len == 4 || len == 8;

	for (unsigned int i = 0; len_ok && i < bus->nr; i++) {
		const struct mmio_device *d = &bus->devices[i];

		/* The whole access must fall inside the device. */
		if (addr >= d->base && addr - d->base < d->size &&
		    len <= d->size - (addr - d->base)) {
			d->access(d->opaque, addr - d->base, data, len, is_write);
			return 0;
		}
	}
	if (!is_write && len <= MMIO_ACCESS_MAX)
		memset(data, 0, len);
	return -ENODEV;
}
