/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * virtio-blk (VIRTIO 1.x 5.2) on a raw image: read, write, flush, get-id,
 * and discard where the file system can punch holes. Requests run on the
 * device's I/O thread; their data moves between guest RAM and the file
 * through a bounce buffer with the guarded copies (vmm/core/guest_copy.c), so
 * no system call is ever handed guest memory, and a poisoned guest buffer
 * fails its request with VIRTIO_BLK_S_IOERR (EIO in the guest) instead of
 * reaching the host kernel. A read-only disk answers every write and
 * discard with VIRTIO_BLK_S_IOERR.
 */
#ifndef SEAVMM_VIRTIO_BLK_H
#define SEAVMM_VIRTIO_BLK_H

#include "virtio_mmio.h"

#define VIRTIO_BLK_SECTOR	   512
#define VIRTIO_BLK_BOUNCE	   (128 * 1024)
#define VIRTIO_BLK_ID_BYTES	   20
#define VIRTIO_BLK_SEG_MAX	   (VQ_ELEM_SEGS - 2) /* header and status take two */
#define VIRTIO_BLK_DISCARD_SEG_MAX 16

struct virtio_blk {
	struct virtio_dev dev; /* first: the ops get it */
	int fd;
	bool ro, discard;
	uint64_t capacity; /* sectors */
	char id[VIRTIO_BLK_ID_BYTES];
	uint8_t config[60];
	struct vq_elem elem;
	uint8_t bounce[VIRTIO_BLK_BOUNCE];
};

/*
 * b is zeroed by the caller; fd is the open image of size bytes (the device
 * owns it from here), id its serial (up to 20 bytes). 0 or -errno.
 */
int virtio_blk_init(struct virtio_blk *b, const char *name, const struct guest_ram *ram,
		    bool threaded, int fd, uint64_t size, bool ro, const char *id);
/* After virtio_dev_stop(): closes the image. */
void virtio_blk_destroy(struct virtio_blk *b);

#endif
