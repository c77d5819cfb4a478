// SPDX-License-Identifier: GPL-2.0-only
#include "virtio_rng.h"

#include <errno.h>
#include <sys/random.h>

static size_t virtio_rng_fill(uint8_t *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = getrandom(buf + got, len - got, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	return got;
}

/* A poisoned buffer gets nothing; the poison is reported. */
static int virtio_rng_req(struct virtio_dev *d, struct virtq *q, struct vq_elem *e,
			  uint32_t *written)
{
	struct virtio_rng *rng = (struct virtio_rng *)d;
	size_t len = e->in_bytes < sizeof(rng->buf) ? (size_t)e->in_bytes : sizeof(rng->buf);

	len = virtio_rng_fill(rng->buf, len);
	*written = vq_write(q, e, 0, rng->buf, len) ? 0 : (uint32_t)len;
	return 0;
}

static void virtio_rng_notify(struct virtio_dev *d, unsigned int qi)
{
	virtio_dev_serve(d, qi, &((struct virtio_rng *)d)->elem, virtio_rng_req);
}

static const struct virtio_dev_ops virtio_rng_ops = {
	.device_id = VIRTIO_ID_RNG,
	.queue_notify = virtio_rng_notify,
};

int virtio_rng_init(struct virtio_rng *rng, const char *name, const struct guest_ram *ram,
		    bool threaded)
{
	return virtio_dev_init(&rng->dev, &virtio_rng_ops, name, 1, 0, ram, threaded);
}
