/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * virtio-net (VIRTIO 1.x 5.1) on a tap device: one receive and one transmit
 * queue, no offloads and no control queue. Frames move between guest RAM
 * and the tap through a bounce buffer with the guarded copies, never by
 * handing guest memory to the host kernel (no vhost-net): arm64 has no
 * machine-check-safe kernel copy, so a poisoned guest buffer read by the
 * host kernel would bring the host down, while a poisoned frame here is
 * only dropped (and the poison reported). Frames the guest's buffers cannot
 * hold, or that the tap will not take at once, are dropped, as a NIC does.
 */
#ifndef SEAVMM_VIRTIO_NET_H
#define SEAVMM_VIRTIO_NET_H

#include "virtio_mmio.h"

#define VIRTIO_NET_HDR	 12 /* struct virtio_net_hdr_v1 */
#define VIRTIO_NET_FRAME 65536

struct virtio_net {
	struct virtio_dev dev; /* first: the ops get it */
	int tap_fd;
	int slot;	 /* the tap's fd slot on the I/O thread */
	bool rx_blocked; /* frames wait for receive buffers */
	bool tap_gone;	 /* the tap reported an error or hang-up: no longer polled */
	uint8_t config[10];
	uint64_t rx_dropped, tx_dropped;
	struct vq_elem elem;
	uint8_t buf[VIRTIO_NET_HDR + VIRTIO_NET_FRAME];
};

/* n is zeroed by the caller; tap_fd is non-blocking and the device's from here. 0 or -errno. */
int virtio_net_init(struct virtio_net *n, const char *name, const struct guest_ram *ram,
		    bool threaded, int tap_fd, const uint8_t mac[6]);
/* After virtio_dev_stop(): closes the tap. */
void virtio_net_destroy(struct virtio_net *n);

#endif
