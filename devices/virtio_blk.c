// SPDX-License-Identifier: GPL-2.0-only
#include "virtio_blk.h"

#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* VIRTIO 1.x 5.2: feature bits, request types and status values. */
#define VIRTIO_BLK_F_SEG_MAX  2
#define VIRTIO_BLK_F_BLK_SIZE 6
#define VIRTIO_BLK_F_FLUSH    9
#define VIRTIO_BLK_F_DISCARD  13

#define VIRTIO_BLK_T_IN	     0
#define VIRTIO_BLK_T_OUT     1
#define VIRTIO_BLK_T_FLUSH   4
#define VIRTIO_BLK_T_GET_ID  8
#define VIRTIO_BLK_T_DISCARD 11

#define VIRTIO_BLK_S_OK	    0
#define VIRTIO_BLK_S_IOERR  1
#define VIRTIO_BLK_S_UNSUPP 2

#define VBLK_HDR_SIZE	  16
#define VBLK_DISCARD_SIZE 16

struct vblk_hdr {
	uint32_t type;
	uint32_t reserved;
	uint64_t sector;
};

/* [sector, +bytes) inside the disk: no overflow, whole sectors. */
static bool vblk_in_range(const struct virtio_blk *b, uint64_t sector, uint64_t bytes)
{
	return bytes % VIRTIO_BLK_SECTOR == 0 && sector <= b->capacity &&
	       bytes / VIRTIO_BLK_SECTOR <= b->capacity - sector;
}

static int vblk_pread_all(int fd, uint8_t *buf, size_t len, uint64_t off)
{
	while (len) {
		ssize_t n = pread(fd, buf, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0) {
			/* The file shrank under us: the rest reads as zeroes. */
			memset(buf, 0, len);
			return 0;
		}
		buf += n;
		off += (uint64_t)n;
		len -= (size_t)n;
	}
	return 0;
}

static int vblk_pwrite_all(int fd, const uint8_t *buf, size_t len, uint64_t off)
{
	while (len) {
		ssize_t n = pwrite(fd, buf, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		buf += n;
		off += (uint64_t)n;
		len -= (size_t)n;
	}
	return 0;
}

/* Disk to guest, a bounce buffer at a time; *written counts the guest bytes filled. */
static uint8_t vblk_read(struct virtio_blk *b, struct virtq *q, uint64_t sector, uint32_t *written)
{
	uint64_t len = b->elem.in_bytes - 1, done = 0;

	if (!vblk_in_range(b, sector, len))
		return VIRTIO_BLK_S_IOERR;
	while (done < len) {
		size_t n =
			len - done < VIRTIO_BLK_BOUNCE ? (size_t)(len - done) : VIRTIO_BLK_BOUNCE;

		if (vblk_pread_all(b->fd, b->bounce, n, sector * VIRTIO_BLK_SECTOR + done) ||
		    vq_write(q, &b->elem, done, b->bounce, n))
			return VIRTIO_BLK_S_IOERR;
		done += n;
		*written = (uint32_t)done;
	}
	return VIRTIO_BLK_S_OK;
}

/* Guest to disk; a poisoned guest page stops the request before its bytes are written. */
static uint8_t vblk_write(struct virtio_blk *b, struct virtq *q, uint64_t sector)
{
	uint64_t len = b->elem.out_bytes - VBLK_HDR_SIZE, done = 0;

	if (b->ro || !vblk_in_range(b, sector, len))
		return VIRTIO_BLK_S_IOERR;
	while (done < len) {
		size_t n =
			len - done < VIRTIO_BLK_BOUNCE ? (size_t)(len - done) : VIRTIO_BLK_BOUNCE;

		if (vq_read(q, &b->elem, VBLK_HDR_SIZE + done, b->bounce, n) ||
		    vblk_pwrite_all(b->fd, b->bounce, n, sector * VIRTIO_BLK_SECTOR + done))
			return VIRTIO_BLK_S_IOERR;
		done += n;
	}
	return VIRTIO_BLK_S_OK;
}

static uint8_t vblk_discard(struct virtio_blk *b, struct virtq *q)
{
	uint64_t len = b->elem.out_bytes - VBLK_HDR_SIZE;
	uint8_t seg[VBLK_DISCARD_SIZE];

	if (b->ro)
		return VIRTIO_BLK_S_IOERR;
	if (!b->discard)
		return VIRTIO_BLK_S_UNSUPP;
	if (!len || len % VBLK_DISCARD_SIZE || len / VBLK_DISCARD_SIZE > VIRTIO_BLK_DISCARD_SEG_MAX)
		return VIRTIO_BLK_S_IOERR;
	for (uint64_t off = 0; off < len; off += VBLK_DISCARD_SIZE) {
		uint64_t sector;
		uint32_t n;

		if (vq_read(q, &b->elem, VBLK_HDR_SIZE + off, seg, sizeof(seg)))
			return VIRTIO_BLK_S_IOERR;
		memcpy(&sector, seg, 8);
		memcpy(&n, seg + 8, 4);
		sector = le64toh(sector);
		n = le32toh(n);
		if (!vblk_in_range(b, sector, (uint64_t)n * VIRTIO_BLK_SECTOR))
			return VIRTIO_BLK_S_IOERR;
		if (n && fallocate(b->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
				   (off_t)(sector * VIRTIO_BLK_SECTOR),
				   (off_t)n * VIRTIO_BLK_SECTOR) < 0)
			return VIRTIO_BLK_S_IOERR;
	}
	return VIRTIO_BLK_S_OK;
}

/* One request; returns its status and sets *written (the data bytes for the guest). */
static uint8_t vblk_request(struct virtio_blk *b, struct virtq *q, uint32_t *written)
{
	struct vblk_hdr h;
	size_t n;

	if (vq_read(q, &b->elem, 0, &h, sizeof(h)))
		return VIRTIO_BLK_S_IOERR; /* a poisoned header */
	switch (le32toh(h.type)) {
	case VIRTIO_BLK_T_IN:
		return vblk_read(b, q, le64toh(h.sector), written);
	case VIRTIO_BLK_T_OUT:
		return vblk_write(b, q, le64toh(h.sector));
	case VIRTIO_BLK_T_FLUSH:
		return b->ro || fdatasync(b->fd) == 0 ? VIRTIO_BLK_S_OK : VIRTIO_BLK_S_IOERR;
	case VIRTIO_BLK_T_GET_ID:
		n = b->elem.in_bytes - 1 < VIRTIO_BLK_ID_BYTES ? (size_t)(b->elem.in_bytes - 1)
							       : VIRTIO_BLK_ID_BYTES;
		if (vq_write(q, &b->elem, 0, b->id, n))
			return VIRTIO_BLK_S_IOERR;
		*written = (uint32_t)n;
		return VIRTIO_BLK_S_OK;
	case VIRTIO_BLK_T_DISCARD:
		return vblk_discard(b, q);
	default:
		return VIRTIO_BLK_S_UNSUPP;
	}
}

static void vblk_notify(struct virtio_dev *d, unsigned int qi)
{
	struct virtio_blk *b = (struct virtio_blk *)d;
	struct virtq *q = &d->vq[qi];
	bool pushed = false;
	int ret;

	for (;;) {
		ret = vq_disable_notify(q);
		while (ret >= 0 && (ret = vq_pop(q, &b->elem)) == 1) {
			uint32_t written = 0;
			uint8_t status;

			/* The driver's side of the protocol: a header to read, a status to write.
			 */
			if (b->elem.out_bytes < VBLK_HDR_SIZE || b->elem.in_bytes < 1) {
				virtio_dev_fail(d,
						"a request without its %s (%llu bytes to read, "
						"%llu to write)",
						b->elem.out_bytes < VBLK_HDR_SIZE ? "16-byte header"
										  : "status byte",
						(unsigned long long)b->elem.out_bytes,
						(unsigned long long)b->elem.in_bytes);
				return;
			}
			status = vblk_request(b, q, &written);
			/* A status in a poisoned page cannot reach the guest; the request still
			 * ends. */
			vq_write(q, &b->elem, b->elem.in_bytes - 1, &status, 1);
			ret = vq_push(q, b->elem.head, written + 1);
			pushed = true;
		}
		if (ret == 0)
			ret = vq_enable_notify(q);
		if (ret <= 0)
			break;
	}
	if (ret < 0)
		virtio_dev_queue_error(d, qi, ret);
	else if (pushed)
		virtio_dev_used(d, qi);
}

static void vblk_config_read(struct virtio_dev *d, uint32_t off, uint8_t *data, uint32_t len)
{
	struct virtio_blk *b = (struct virtio_blk *)d;

	if (off < sizeof(b->config) && len <= sizeof(b->config) - off)
		memcpy(data, b->config + off, len);
}

static const struct virtio_dev_ops vblk_ops = {
	.device_id = VIRTIO_ID_BLOCK,
	.queue_notify = vblk_notify,
	.config_read = vblk_config_read,
};

static void vblk_put32(uint8_t *cfg, unsigned int off, uint32_t v)
{
	v = htole32(v);
	memcpy(cfg + off, &v, 4);
}

int virtio_blk_init(struct virtio_blk *b, const char *name, const struct guest_ram *ram,
		    bool threaded, int fd, uint64_t size, bool ro, const char *id)
{
	uint64_t features = (1ULL << VIRTIO_BLK_F_SEG_MAX) | (1ULL << VIRTIO_BLK_F_BLK_SIZE) |
			    (1ULL << VIRTIO_BLK_F_FLUSH);
	uint64_t cap;

	b->fd = fd;
	b->ro = ro;
	b->capacity = size / VIRTIO_BLK_SECTOR;
	memcpy(b->id, id, strnlen(id, sizeof(b->id))); /* NUL-padded, not terminated */
	/* Discard where the file system punches holes (probed past the end: no change). */
	b->discard = !ro && fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, (off_t)size,
				      VIRTIO_BLK_SECTOR) == 0;
	if (b->discard)
		features |= 1ULL << VIRTIO_BLK_F_DISCARD;
	cap = htole64(b->capacity);
	memcpy(b->config, &cap, 8);
	vblk_put32(b->config, 12, VIRTIO_BLK_SEG_MAX);
	vblk_put32(b->config, 20, VIRTIO_BLK_SECTOR);
	if (b->discard) {
		vblk_put32(b->config, 36, UINT32_MAX);
		vblk_put32(b->config, 40, VIRTIO_BLK_DISCARD_SEG_MAX);
		vblk_put32(b->config, 44, 1);
	}
	return virtio_dev_init(&b->dev, &vblk_ops, name, 1, features, ram, threaded);
}

void virtio_blk_destroy(struct virtio_blk *b)
{
	if (b->fd >= 0)
		close(b->fd);
	b->fd = -1;
}
