/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * virtio-rng (VIRTIO 1.x 5.4): one queue of device-writable buffers, filled
 * from the host's getrandom(). A request gets at most VIRTIO_RNG_REQ_MAX
 * bytes, so a guest cannot make one request cost more than that.
 */
#ifndef SEAVMM_VIRTIO_RNG_H
#define SEAVMM_VIRTIO_RNG_H

#include "virtio_mmio.h"

#define VIRTIO_RNG_REQ_MAX 4096

struct virtio_rng {
	struct virtio_dev dev; /* first: the ops get it */
	struct vq_elem elem;
	uint8_t buf[VIRTIO_RNG_REQ_MAX];
};

/* rng is zeroed by the caller. 0 or -errno. */
int virtio_rng_init(struct virtio_rng *rng, const char *name, const struct guest_ram *ram,
		    bool threaded);

#endif
