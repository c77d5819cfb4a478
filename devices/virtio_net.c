// SPDX-License-Identifier: GPL-2.0-only
#include "virtio_net.h"

#include <endian.h>
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

#define VIRTIO_NET_F_MAC     5
#define VIRTIO_NET_F_STATUS  16
#define VIRTIO_NET_S_LINK_UP 1

#define VNET_RXQ 0
#define VNET_TXQ 1

/* The tap is read only while the guest has receive buffers. */
static void vnet_poll(struct virtio_net *n)
{
	bool live = virtio_dev_queue_live(&n->dev, VNET_RXQ);

	virtio_dev_fd_set(&n->dev, (unsigned int)n->slot, n->tap_gone ? -1 : n->tap_fd,
			  live && !n->rx_blocked ? POLLIN : 0);
}

static void vnet_rx(struct virtio_net *n)
{
	struct virtq *q = &n->dev.vq[VNET_RXQ];
	bool pushed = false;
	int ret = 0;

	if (!virtio_dev_queue_live(&n->dev, VNET_RXQ))
		return;
	for (;;) {
		ssize_t len;
		uint16_t one = htole16(1);

		ret = vq_pop(q, &n->elem);
		if (ret == 0) {
			/* No buffer: stop reading the tap until the driver adds some. */
			ret = vq_enable_notify(q);
			if (ret > 0)
				continue;
			n->rx_blocked = ret == 0;
		}
		if (ret <= 0)
			break;
		do {
			len = read(n->tap_fd, n->buf + VIRTIO_NET_HDR, VIRTIO_NET_FRAME);
		} while (len < 0 && errno == EINTR);
		if (len <= 0) {
			vq_unpop(q);
			break;
		}
		if (VIRTIO_NET_HDR + (uint64_t)len > n->elem.in_bytes) {
			n->rx_dropped++; /* too big for the guest's buffer */
			vq_unpop(q);
			continue;
		}
		/* No offloads: a plain header saying one buffer. */
		memset(n->buf, 0, VIRTIO_NET_HDR);
		memcpy(n->buf + 10, &one, 2);
		len += VIRTIO_NET_HDR;
		if (vq_write(q, &n->elem, 0, n->buf, (size_t)len)) {
			n->rx_dropped++; /* a poisoned buffer: the frame is lost, the poison
					    reported */
			len = 0;
		}
		ret = vq_push(q, n->elem.head, (uint32_t)len);
		if (ret < 0)
			break;
		pushed = true;
	}
	if (ret < 0)
		virtio_dev_queue_error(&n->dev, VNET_RXQ, ret);
	else if (pushed)
		virtio_dev_used(&n->dev, VNET_RXQ);
	vnet_poll(n);
}

static void vnet_tx(struct virtio_net *n)
{
	struct virtq *q = &n->dev.vq[VNET_TXQ];
	bool pushed = false;
	int ret;

	for (;;) {
		ret = vq_disable_notify(q);
		while (ret >= 0 && (ret = vq_pop(q, &n->elem)) == 1) {
			uint64_t len = n->elem.out_bytes;

			if (len < VIRTIO_NET_HDR) {
				virtio_dev_fail(&n->dev,
						"a frame of %llu bytes, shorter than its "
						"12-byte header",
						(unsigned long long)len);
				return;
			}
			len -= VIRTIO_NET_HDR;
			if (len > VIRTIO_NET_FRAME ||
			    vq_read(q, &n->elem, VIRTIO_NET_HDR, n->buf, (size_t)len)) {
				n->tx_dropped++; /* oversized, or poisoned (reported) */
			} else {
				ssize_t w;

				do {
					w = write(n->tap_fd, n->buf, (size_t)len);
				} while (w < 0 && errno == EINTR);
				if (w < 0)
					n->tx_dropped++; /* the tap's queue is full */
			}
			ret = vq_push(q, n->elem.head, 0);
			pushed = true;
		}
		if (ret == 0)
			ret = vq_enable_notify(q);
		if (ret <= 0)
			break;
	}
	if (ret < 0)
		virtio_dev_queue_error(&n->dev, VNET_TXQ, ret);
	else if (pushed)
		virtio_dev_used(&n->dev, VNET_TXQ);
}

static void vnet_notify(struct virtio_dev *d, unsigned int q)
{
	struct virtio_net *n = (struct virtio_net *)d;

	if (q == VNET_TXQ) {
		vnet_tx(n);
		return;
	}
	n->rx_blocked = false;
	vnet_rx(n);
}

static void vnet_fd_event(struct virtio_dev *d, unsigned int slot, short revents)
{
	struct virtio_net *n = (struct virtio_net *)d;

	(void)slot;
	if (revents & POLLIN) {
		vnet_rx(n);
		return;
	}
	/* The tap's interface was deleted: it only ever reports that again. */
	n->tap_gone = true;
	pr_err("%s: the tap device reports %s; the guest's network is down from here", d->name,
	       revents & POLLHUP ? "a hang-up" : "an error");
	vnet_poll(n);
}

static void vnet_reset(struct virtio_dev *d)
{
	struct virtio_net *n = (struct virtio_net *)d;

	n->rx_blocked = false;
	vnet_poll(n);
}

static void vnet_config_read(struct virtio_dev *d, uint32_t off, uint8_t *data, uint32_t len)
{
	struct virtio_net *n = (struct virtio_net *)d;

	if (off < sizeof(n->config) && len <= sizeof(n->config) - off)
		memcpy(data, n->config + off, len);
}

static const struct virtio_dev_ops vnet_ops = {
	.device_id = VIRTIO_ID_NET,
	.queue_notify = vnet_notify,
	.fd_event = vnet_fd_event,
	.reset = vnet_reset,
	.config_read = vnet_config_read,
};

int virtio_net_init(struct virtio_net *n, const char *name, const struct guest_ram *ram,
		    bool threaded, int tap_fd, const uint8_t mac[6])
{
	uint16_t status = htole16(VIRTIO_NET_S_LINK_UP);
	int ret;

	n->tap_fd = tap_fd;
	memcpy(n->config, mac, 6);
	memcpy(n->config + 6, &status, 2);
	ret = virtio_dev_init(&n->dev, &vnet_ops, name, 2,
			      (1ULL << VIRTIO_NET_F_MAC) | (1ULL << VIRTIO_NET_F_STATUS), ram,
			      threaded);
	if (ret < 0)
		return ret;
	n->slot = virtio_dev_add_fd(&n->dev, tap_fd, 0);
	return n->slot < 0 ? n->slot : 0;
}

void virtio_net_destroy(struct virtio_net *n)
{
	if (n->tap_fd >= 0)
		close(n->tap_fd);
	n->tap_fd = -1;
}
