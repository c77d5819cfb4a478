/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Split virtqueues (VIRTIO 1.x, section 2.7), the device side, shared by
 * every virtio device. The rings live in guest RAM and the guest is
 * untrusted: every index, address and length read from them is checked,
 * every byte moves through the guarded copies of vmm/core/guest_copy.c, and the
 * work per request is bounded (a chain has at most VQ_ELEM_SEGS segments and
 * is walked at most once). A malformed ring makes a call return -EPROTO with
 * a one-line description in q->err; the transport then marks the device
 * DEVICE_NEEDS_RESET. Functions return 0 (or a count) or a negative errno.
 */
#ifndef SEAVMM_VIRTQUEUE_H
#define SEAVMM_VIRTQUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../vmm/core/guest_copy.h"

/* The largest queue the transport offers (QueueNumMax); a power of two. */
#define VQ_NUM_MAX 256
/* Segments in one request; a longer chain is malformed (devices advertise less). */
#define VQ_ELEM_SEGS 256

/* Descriptor flags and ring flags (VIRTIO 1.x 2.7.5, 2.7.6, 2.7.8). */
#define VQ_DESC_F_NEXT		1
#define VQ_DESC_F_WRITE		2
#define VQ_DESC_F_INDIRECT	4
#define VQ_AVAIL_F_NO_INTERRUPT 1
#define VQ_USED_F_NO_NOTIFY	1

/* Feature bits the transport negotiates for every queue. */
#define VIRTIO_RING_F_INDIRECT_DESC 28
#define VIRTIO_RING_F_EVENT_IDX	    29

struct vq_seg {
	uint64_t gpa;
	uint32_t len;
};

/*
 * One request: a descriptor chain, checked and flattened. Device-readable
 * segments (out) come first, device-writable ones (in) after them.
 */
struct vq_elem {
	uint16_t head;
	unsigned int nr_out, nr_in;
	uint64_t out_bytes, in_bytes;
	struct vq_seg seg[VQ_ELEM_SEGS];
};

struct virtq {
	/* Set by the driver through the transport while the queue is not ready. */
	uint16_t num;
	uint64_t desc, avail, used;
	bool ready;
	/* From the negotiated features, at vq_start(). */
	bool event_idx, indirect;
	/* The device's side of the rings. */
	uint16_t last_avail; /* next available entry to take */
	uint16_t used_idx;   /* next used entry to fill */
	uint16_t signalled_used;
	bool signalled_valid;
	const struct guest_ram *ram;
	char err[160]; /* why the last call failed with -EPROTO or -EHWPOISON */
};

/*
 * When the driver sets QueueReady: checks the size (a power of two up to
 * max) and that the three areas lie in guest RAM, aligned; then starts the
 * queue from index 0. -EPROTO (q->err says why) when they do not.
 */
int vq_start(struct virtq *q, const struct guest_ram *ram, uint16_t max, bool event_idx,
	     bool indirect);
/* Forgets the queue (device reset): not ready, registers zero. */
void vq_reset(struct virtq *q);
/*
 * Takes the next available request into e. Returns 1, 0 when there is none,
 * -EPROTO for a malformed ring or chain, -EHWPOISON when the ring itself is
 * in a poisoned page.
 */
int vq_pop(struct virtq *q, struct vq_elem *e);
/* Gives the last vq_pop() back untouched (the device could not use it yet). */
void vq_unpop(struct virtq *q);
/* Returns request head to the driver with len bytes written into its in segments. */
int vq_push(struct virtq *q, uint16_t head, uint32_t len);
/* After pushing: 1 if the driver wants an interrupt now, 0 if not, or -errno. */
int vq_need_interrupt(struct virtq *q);
/*
 * Asks the driver to notify again when it adds a request (avail_event or
 * the NO_NOTIFY flag), then looks once more: returns 1 when requests came
 * in meanwhile (process them; no notification will come for them), 0, or
 * -errno.
 */
int vq_enable_notify(struct virtq *q);
/* While draining the queue: the driver need not notify. */
int vq_disable_notify(struct virtq *q);
/*
 * Copies len bytes at offset off of the request's out (device-readable)
 * bytes into dst, or src into its in (device-writable) bytes at off.
 * -EMSGSIZE beyond them; -EHWPOISON (reported) when a page is poisoned.
 */
int vq_read(struct virtq *q, const struct vq_elem *e, uint64_t off, void *dst, size_t len);
int vq_write(struct virtq *q, const struct vq_elem *e, uint64_t off, const void *src, size_t len);

#endif
