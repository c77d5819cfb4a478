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

static void virtio_rng_notify(struct virtio_dev *d, unsigned int qi)
{
	struct virtio_rng *rng = (struct virtio_rng *)d;
	struct virtq *q = &d->vq[qi];
	bool pushed = false;
	int ret;

	for (;;) {
		size_t len;

		ret = vq_disable_notify(q);
		while (ret >= 0 && (ret = vq_pop(q, &rng->elem)) == 1) {
			len = rng->elem.in_bytes < sizeof(rng->buf) ? (size_t)rng->elem.in_bytes
								    : sizeof(rng->buf);
			len = virtio_rng_fill(rng->buf, len);
			/* A poisoned buffer gets nothing; the poison is reported. */
			if (vq_write(q, &rng->elem, 0, rng->buf, len))
				len = 0;
			ret = vq_push(q, rng->elem.head, (uint32_t)len);
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

static const struct virtio_dev_ops virtio_rng_ops = {
	.device_id = VIRTIO_ID_RNG,
	.queue_notify = virtio_rng_notify,
};

int virtio_rng_init(struct virtio_rng *rng, const char *name, const struct guest_ram *ram,
		    bool threaded)
{
	return virtio_dev_init(&rng->dev, &virtio_rng_ops, name, 1, 0, ram, threaded);
}
