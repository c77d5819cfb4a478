// SPDX-License-Identifier: GPL-2.0-only
#include "virtio_console.h"

#include <endian.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

/* VIRTIO 1.x 5.3: features, configuration layout and control events. */
#define VIRTIO_CONSOLE_F_MULTIPORT 1

#define VCON_DEVICE_READY 0
#define VCON_DEVICE_ADD	  1
#define VCON_PORT_READY	  3
#define VCON_CONSOLE_PORT 4
#define VCON_PORT_OPEN	  6
#define VCON_PORT_NAME	  7

#define VCON_CTRL_RX   2
#define VCON_CTRL_TX   3
#define VCON_CTRL_SIZE 8 /* le32 id, le16 event, le16 value */

static unsigned int vcon_rxq(unsigned int port)
{
	return port ? 2 * (port + 1) : 0;
}

/* The port a data queue belongs to, or -1 for the control queues. */
static int vcon_port_of_queue(unsigned int q)
{
	if (q == VCON_CTRL_RX || q == VCON_CTRL_TX)
		return -1;
	return q < 2 ? 0 : (int)(q / 2 - 1);
}

static bool vcon_multiport(struct virtio_console *vc)
{
	return virtio_dev_has(&vc->dev, VIRTIO_CONSOLE_F_MULTIPORT);
}

/* ---- control messages to the guest ------------------------------------- */

/*
 * Queued until the guest gives control receive buffers. A newer PORT_OPEN
 * for a port replaces one still waiting, so the queue stays bounded however
 * often the host side comes and goes.
 */
static void vcon_ctrl_send(struct virtio_console *vc, uint32_t id, uint16_t event, uint16_t value)
{
	if (event == VCON_PORT_OPEN)
		for (unsigned int i = 0; i < vc->ctrl_n; i++)
			if (vc->ctrl[i].id == id && vc->ctrl[i].event == event) {
				vc->ctrl[i].value = value;
				return;
			}
	if (vc->ctrl_n == VCON_CTRL_QUEUE)
		return; /* cannot happen: at most a few messages per port are ever queued */
	vc->ctrl[vc->ctrl_n++] = (struct vcon_ctrl_msg){ .id = id, .event = event, .value = value };
}

static void vcon_ctrl_flush(struct virtio_console *vc)
{
	struct virtio_dev *d = &vc->dev;
	struct virtq *q = &d->vq[VCON_CTRL_RX];
	unsigned int sent = 0;
	int ret = 0;

	if (!virtio_dev_queue_live(d, VCON_CTRL_RX))
		return;
	while (sent < vc->ctrl_n) {
		const struct vcon_ctrl_msg *m = &vc->ctrl[sent];
		uint8_t *b = vc->buf;
		size_t len = VCON_CTRL_SIZE;
		uint32_t id = htole32(m->id);
		uint16_t ev = htole16(m->event), val = htole16(m->value);

		ret = vq_pop(q, &vc->elem);
		if (ret <= 0)
			break;
		memcpy(b, &id, 4);
		memcpy(b + 4, &ev, 2);
		memcpy(b + 6, &val, 2);
		if (m->event == VCON_PORT_NAME) {
			size_t n = strlen(vc->port[m->id].name);

			memcpy(b + len, vc->port[m->id].name, n);
			len += n;
		}
		if (len > vc->elem.in_bytes)
			len = (size_t)vc->elem.in_bytes;
		if (vq_write(q, &vc->elem, 0, b, len))
			len = 0;
		ret = vq_push(q, vc->elem.head, (uint32_t)len);
		if (ret < 0)
			break;
		sent++;
	}
	memmove(vc->ctrl, vc->ctrl + sent, (vc->ctrl_n - sent) * sizeof(vc->ctrl[0]));
	vc->ctrl_n -= sent;
	if (ret < 0)
		virtio_dev_queue_error(d, VCON_CTRL_RX, ret);
	else if (sent)
		virtio_dev_used(d, VCON_CTRL_RX);
}

/* ---- the host side of a port -------------------------------------------- */

/* Reads from the host side only while the guest listens and has buffers. */
static void vcon_host_poll(struct virtio_console *vc, struct vcon_port *p)
{
	short ev = 0;

	if (p->slot_fd < 0)
		return;
	if (p->fd >= 0 && p->guest_open && !p->rx_blocked)
		ev |= POLLIN;
	if (p->fd >= 0 && p->tx_len)
		ev |= POLLOUT;
	virtio_dev_fd_set(&vc->dev, (unsigned int)p->slot_fd, p->fd, ev);
}

static void vcon_host_closed(struct virtio_console *vc, struct vcon_port *p)
{
	unsigned int id = (unsigned int)(p - vc->port);

	close(p->fd);
	p->fd = -1;
	p->host_open = false;
	p->tx_len = p->tx_off = 0;
	p->carry_len = 0;
	p->rx_blocked = false;
	vcon_host_poll(vc, p);
	if (p->guest_ready) {
		vcon_ctrl_send(vc, id, VCON_PORT_OPEN, 0);
		vcon_ctrl_flush(vc);
	}
}

/* Writes out what the guest wrote; true when all of it is gone. */
static bool vcon_tx_flush(struct virtio_console *vc, struct vcon_port *p)
{
	while (p->tx_off < p->tx_len) {
		int fd = p->console ? vc->out_fd : p->fd;
		ssize_t n;

		if (fd < 0 || (p->console && vc->out_broken)) {
			p->tx_off = p->tx_len; /* nobody on the host side: dropped */
			break;
		}
		n = write(fd, p->tx + p->tx_off, p->tx_len - p->tx_off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN && !p->console)
			return false;
		if (n <= 0) {
			/* A closed pipe or a gone client: keep the guest running. */
			if (p->console)
				vc->out_broken = true;
			else
				vcon_host_closed(vc, p);
			p->tx_off = p->tx_len;
			break;
		}
		p->tx_off += (size_t)n;
	}
	p->tx_off = p->tx_len = 0;
	return true;
}

/* The guest wrote to port p: take its buffers while the host side keeps up. */
static void vcon_tx(struct virtio_console *vc, unsigned int id)
{
	struct vcon_port *p = &vc->port[id];
	unsigned int qi = vcon_rxq(id) + 1;
	struct virtq *q = &vc->dev.vq[qi];
	bool pushed = false;
	int ret = 0;

	if (!virtio_dev_queue_live(&vc->dev, qi))
		return;
	for (;;) {
		if (!vcon_tx_flush(vc, p))
			break; /* the host side is full: POLLOUT resumes */
		ret = vq_pop(q, &vc->elem);
		if (ret == 0 && (ret = vq_enable_notify(q)) > 0)
			continue; /* more came in meanwhile: pop it */
		if (ret <= 0)
			break;
		if (vc->elem.out_bytes > VCON_BUF) {
			virtio_dev_fail(
				&vc->dev,
				"port %u: a buffer of %llu bytes (the device takes %d at most)", id,
				(unsigned long long)vc->elem.out_bytes, VCON_BUF);
			return;
		}
		p->tx_len = (size_t)vc->elem.out_bytes;
		p->tx_off = 0;
		if (vq_read(q, &vc->elem, 0, p->tx, p->tx_len)) {
			/*
			 * A poisoned buffer (reported as a memory error): its
			 * bytes are lost, and the host side must not read on
			 * as if the stream were whole. It is told: its
			 * data_lost callback, or else the end of its stream.
			 */
			p->tx_len = 0;
			if (!p->console && p->cb.data_lost)
				p->cb.data_lost(p->cb.ctx);
			else if (!p->console && p->fd >= 0)
				vcon_host_closed(vc, p);
		}
		ret = vq_push(q, vc->elem.head, 0);
		if (ret < 0)
			break;
		pushed = true;
	}
	if (ret < 0)
		virtio_dev_queue_error(&vc->dev, qi, ret);
	else if (pushed)
		virtio_dev_used(&vc->dev, qi);
	vcon_host_poll(vc, p);
}

/* Console input may come in again: wake the console thread if it waits. */
static void vcon_in_room(struct virtio_console *vc)
{
	uint64_t one = 1;

	pthread_mutex_lock(&vc->in_lock);
	if (vc->in_waiter && vc->in_len < VCON_IN_BUF && vc->in_notify_fd >= 0) {
		vc->in_waiter = false;
		if (write(vc->in_notify_fd, &one, sizeof(one)) < 0) {
			/* Saturated: the console thread is awake anyway. */
		}
	}
	pthread_mutex_unlock(&vc->in_lock);
}

/*
 * Bytes from the host side into the guest's receive buffers of port id:
 * from the console input (port 0) or the host descriptor.
 */
static void vcon_rx(struct virtio_console *vc, unsigned int id)
{
	struct vcon_port *p = &vc->port[id];
	unsigned int qi = vcon_rxq(id);
	struct virtq *q = &vc->dev.vq[qi];
	bool pushed = false, room = false;
	int ret = 0;

	if (!virtio_dev_queue_live(&vc->dev, qi) || !p->guest_open)
		return;
	for (;;) {
		size_t len;
		ssize_t n;

		if (p->console) {
			pthread_mutex_lock(&vc->in_lock);
			len = vc->in_len;
			pthread_mutex_unlock(&vc->in_lock);
		} else {
			len = p->fd >= 0 || p->carry_len ? 1 : 0; /* unknown until read */
		}
		if (!len)
			break;
		ret = vq_pop(q, &vc->elem);
		if (ret == 0) {
			/* No buffer: wait for the driver's next one, unless it just came. */
			ret = vq_enable_notify(q);
			if (ret > 0)
				continue;
			p->rx_blocked = ret == 0;
		}
		if (ret <= 0)
			break;
		len = vc->elem.in_bytes < VCON_BUF ? (size_t)vc->elem.in_bytes : VCON_BUF;
		if (p->console) {
			/* Only this thread takes input out: look now, take once delivered. */
			pthread_mutex_lock(&vc->in_lock);
			n = (ssize_t)(len < vc->in_len ? len : vc->in_len);
			memcpy(vc->buf, vc->in, (size_t)n);
			pthread_mutex_unlock(&vc->in_lock);
		} else if (!len) {
			n = 0; /* an empty buffer (no driver posts one): given back as it is */
		} else if (p->carry_len) {
			n = (ssize_t)(len < p->carry_len ? len : p->carry_len);
			memcpy(vc->buf, p->carry, (size_t)n);
		} else {
			do {
				n = read(p->fd, vc->buf, len);
			} while (n < 0 && errno == EINTR);
			if (n <= 0) {
				vq_unpop(q);
				if (n == 0 || errno != EAGAIN)
					vcon_host_closed(vc, p);
				break;
			}
		}
		if (vq_write(q, &vc->elem, 0, vc->buf, (size_t)n)) {
			/*
			 * A poisoned buffer (reported): it goes back empty and
			 * the bytes wait for the next one, so nothing is lost.
			 */
			if (!p->console && !p->carry_len) {
				memcpy(p->carry, vc->buf, (size_t)n);
				p->carry_len = (size_t)n;
			}
			n = 0;
		} else if (p->console) {
			pthread_mutex_lock(&vc->in_lock);
			memmove(vc->in, vc->in + n, vc->in_len - (size_t)n);
			vc->in_len -= (size_t)n;
			room = true;
			pthread_mutex_unlock(&vc->in_lock);
		} else if (p->carry_len) {
			memmove(p->carry, p->carry + n, p->carry_len - (size_t)n);
			p->carry_len -= (size_t)n;
		}
		ret = vq_push(q, vc->elem.head, (uint32_t)n);
		if (ret < 0)
			break;
		pushed = true;
		p->rx_blocked = false;
	}
	if (ret < 0)
		virtio_dev_queue_error(&vc->dev, qi, ret);
	else if (pushed)
		virtio_dev_used(&vc->dev, qi);
	if (room)
		vcon_in_room(vc);
	vcon_host_poll(vc, p);
}

/* ---- control messages from the guest ------------------------------------ */

static void vcon_port_ready(struct virtio_console *vc, unsigned int id)
{
	struct vcon_port *p = &vc->port[id];

	p->guest_ready = true;
	if (p->console) {
		vcon_ctrl_send(vc, id, VCON_CONSOLE_PORT, 1);
		vcon_ctrl_send(vc, id, VCON_PORT_OPEN, 1);
		return;
	}
	vcon_ctrl_send(vc, id, VCON_PORT_NAME, 1);
	if (p->host_open)
		vcon_ctrl_send(vc, id, VCON_PORT_OPEN, 1);
}

static void vcon_guest_open(struct virtio_console *vc, unsigned int id, bool open)
{
	struct vcon_port *p = &vc->port[id];

	if (p->guest_open == open)
		return;
	p->guest_open = open;
	if (p->cb.guest_open)
		p->cb.guest_open(p->cb.ctx, open);
	if (open && p->console)
		vcon_in_room(vc); /* input held back until now may come */
	if (open)
		vcon_rx(vc, id);
	vcon_host_poll(vc, p);
}

static void vcon_ctrl_handle(struct virtio_console *vc, uint32_t id, uint16_t event, uint16_t value)
{
	if (event == VCON_DEVICE_READY) {
		if (!value || vc->driver_ready)
			return;
		vc->driver_ready = true;
		for (unsigned int i = 0; i < VCON_PORTS_MAX; i++)
			if (vc->port[i].used)
				vcon_ctrl_send(vc, i, VCON_DEVICE_ADD, 1);
		return;
	}
	if (event != VCON_PORT_READY && event != VCON_PORT_OPEN)
		return; /* nothing else from a driver concerns the device */
	if (id >= VCON_PORTS_MAX || !vc->port[id].used) {
		virtio_dev_fail(&vc->dev,
				"control message %u for port %u, which it was never given", event,
				id);
		return;
	}
	if (event == VCON_PORT_READY && value)
		vcon_port_ready(vc, id);
	else if (event == VCON_PORT_OPEN)
		vcon_guest_open(vc, id, value != 0);
}

static void vcon_ctrl_tx(struct virtio_console *vc)
{
	struct virtio_dev *d = &vc->dev;
	struct virtq *q = &d->vq[VCON_CTRL_TX];
	bool pushed = false;
	int ret;

	for (;;) {
		uint8_t m[VCON_CTRL_SIZE];
		uint32_t id;
		uint16_t ev, val;

		ret = vq_pop(q, &vc->elem);
		if (ret == 0 && (ret = vq_enable_notify(q)) > 0)
			continue; /* more came in meanwhile: pop it */
		if (ret <= 0)
			break;
		if (vc->elem.out_bytes < VCON_CTRL_SIZE) {
			virtio_dev_fail(d, "a control message of %llu bytes (it takes 8)",
					(unsigned long long)vc->elem.out_bytes);
			return;
		}
		if (vq_read(q, &vc->elem, 0, m, sizeof(m)) == 0) {
			memcpy(&id, m, 4);
			memcpy(&ev, m + 4, 2);
			memcpy(&val, m + 6, 2);
			vcon_ctrl_handle(vc, le32toh(id), le16toh(ev), le16toh(val));
		}
		ret = vq_push(q, vc->elem.head, 0);
		if (ret < 0)
			break;
		pushed = true;
		if (atomic_load(&d->status) & VIRTIO_STATUS_NEEDS_RESET)
			return;
	}
	if (ret < 0)
		virtio_dev_queue_error(d, VCON_CTRL_TX, ret);
	else if (pushed)
		virtio_dev_used(d, VCON_CTRL_TX);
	vcon_ctrl_flush(vc);
}

/* ---- the device ops ------------------------------------------------------ */

static void vcon_queue_notify(struct virtio_dev *d, unsigned int q)
{
	struct virtio_console *vc = (struct virtio_console *)d;
	int port = vcon_port_of_queue(q);

	if (q == VCON_CTRL_TX) {
		vcon_ctrl_tx(vc);
	} else if (q == VCON_CTRL_RX) {
		vcon_ctrl_flush(vc);
	} else if (port < VCON_PORTS_MAX && vc->port[port].used) {
		if (q % 2) {
			vcon_tx(vc, (unsigned int)port);
		} else {
			vc->port[port].rx_blocked = false;
			vcon_rx(vc, (unsigned int)port);
		}
	}
}

static void vcon_fd_event(struct virtio_dev *d, unsigned int slot, short revents)
{
	struct virtio_console *vc = (struct virtio_console *)d;

	for (unsigned int i = 0; i < VCON_PORTS_MAX; i++) {
		struct vcon_port *p = &vc->port[i];

		if (!p->used)
			continue;
		if ((int)slot == p->slot_listen && (revents & POLLIN)) {
			int c = accept4(p->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

			if (c < 0)
				return;
			if (p->fd >= 0) {
				close(c); /* one client at a time */
				return;
			}
			p->fd = c;
			p->host_open = true;
			if (p->guest_ready) {
				vcon_ctrl_send(vc, i, VCON_PORT_OPEN, 1);
				vcon_ctrl_flush(vc);
			}
			vcon_host_poll(vc, p);
			return;
		}
		if ((int)slot != p->slot_fd || p->fd < 0)
			continue;
		if (revents & POLLOUT)
			vcon_tx(vc, i);
		if (p->fd >= 0 && (revents & (POLLIN | POLLHUP | POLLERR))) {
			if (p->guest_open)
				vcon_rx(vc, i);
			else if (revents & (POLLHUP | POLLERR))
				vcon_host_closed(vc, p);
		}
		return;
	}
}

/* Console input arrived (virtio_console_receive) or a port was added. */
static void vcon_wake(struct virtio_dev *d)
{
	struct virtio_console *vc = (struct virtio_console *)d;

	if (vc->driver_ready)
		for (unsigned int i = 0; i < VCON_PORTS_MAX; i++)
			if (vc->port[i].used)
				vcon_rx(vc, i);
	vcon_ctrl_flush(vc);
}

static void vcon_driver_ok(struct virtio_dev *d)
{
	struct virtio_console *vc = (struct virtio_console *)d;

	/* Without multiport the driver has port 0 only, a console from the start. */
	if (!vcon_multiport(vc) && vc->port[0].used) {
		vc->port[0].guest_ready = true;
		vc->port[0].guest_open = true;
	}
}

static void vcon_reset(struct virtio_dev *d)
{
	struct virtio_console *vc = (struct virtio_console *)d;

	vc->driver_ready = false;
	vc->ctrl_n = 0;
	for (unsigned int i = 0; i < VCON_PORTS_MAX; i++) {
		struct vcon_port *p = &vc->port[i];

		p->guest_ready = false;
		p->rx_blocked = false;
		p->tx_len = p->tx_off = 0;
		p->carry_len = 0;
		if (p->guest_open && p->cb.guest_open)
			p->cb.guest_open(p->cb.ctx, false);
		p->guest_open = false;
		if (p->used)
			vcon_host_poll(vc, p);
	}
	pthread_mutex_lock(&vc->in_lock);
	vc->in_len = 0;
	pthread_mutex_unlock(&vc->in_lock);
}

static void vcon_config_read(struct virtio_dev *d, uint32_t off, uint8_t *data, uint32_t len)
{
	/* cols, rows (no VIRTIO_CONSOLE_F_SIZE: 0), max_nr_ports, emerg_wr. */
	uint8_t cfg[12] = { 0 };
	uint32_t max = htole32(VCON_PORTS_MAX);

	(void)d;
	memcpy(cfg + 4, &max, 4);
	if (off < sizeof(cfg) && len <= sizeof(cfg) - off)
		memcpy(data, cfg + off, len);
}

static const struct virtio_dev_ops vcon_ops = {
	.device_id = VIRTIO_ID_CONSOLE,
	.queue_notify = vcon_queue_notify,
	.fd_event = vcon_fd_event,
	.wake = vcon_wake,
	.driver_ok = vcon_driver_ok,
	.reset = vcon_reset,
	.config_read = vcon_config_read,
};

/* ---- set-up and the API -------------------------------------------------- */

static int vcon_port_new(struct virtio_console *vc, unsigned int id, const char *name)
{
	struct vcon_port *p = &vc->port[id];

	p->tx = malloc(2 * VCON_BUF);
	if (!p->tx)
		return -ENOMEM;
	p->carry = p->tx + VCON_BUF;
	p->used = true;
	p->console = id == 0;
	snprintf(p->name, sizeof(p->name), "%s", name ? name : "");
	p->listen_fd = p->fd = -1;
	p->slot_listen = p->slot_fd = -1;
	return 0;
}

int virtio_console_init(struct virtio_console *vc, const char *name, const struct guest_ram *ram,
			bool threaded, int console_out_fd)
{
	int ret = virtio_dev_init(&vc->dev, &vcon_ops, name, 2 * (VCON_PORTS_MAX + 1),
				  1ULL << VIRTIO_CONSOLE_F_MULTIPORT, ram, threaded);

	if (ret < 0)
		return ret;
	pthread_mutex_init(&vc->in_lock, NULL);
	vc->out_fd = console_out_fd;
	vc->in_notify_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (vc->in_notify_fd < 0)
		return -errno;
	if (console_out_fd >= 0) {
		ret = vcon_port_new(vc, 0, NULL);
		if (ret < 0)
			return ret;
		vc->port[0].host_open = true;
	}
	return 0;
}

/* io_lock held (or not started). */
static int vcon_named_port(struct virtio_console *vc, const char *name, unsigned int *id)
{
	for (unsigned int i = 1; i < VCON_PORTS_MAX; i++)
		if (vc->port[i].used && !strcmp(vc->port[i].name, name))
			return -EEXIST;
	if (strlen(name) >= VCON_NAME_MAX)
		return -ENAMETOOLONG;
	for (unsigned int i = 1; i < VCON_PORTS_MAX; i++)
		if (!vc->port[i].used) {
			*id = i;
			return vcon_port_new(vc, i, name);
		}
	return -ENOSPC;
}

/* io_lock held: the port exists; a running guest learns of it now. */
static int vcon_port_attach(struct virtio_console *vc, unsigned int id, int listen_fd, int fd)
{
	struct vcon_port *p = &vc->port[id];
	int s;

	if (listen_fd >= 0) {
		s = virtio_dev_add_fd(&vc->dev, listen_fd, POLLIN);
		if (s < 0)
			return s;
		p->listen_fd = listen_fd;
		p->slot_listen = s;
	}
	s = virtio_dev_add_fd(&vc->dev, fd, 0);
	if (s < 0)
		return s;
	p->slot_fd = s;
	p->fd = fd;
	p->host_open = fd >= 0;
	vc->nr_named++;
	if (vc->driver_ready) {
		vcon_ctrl_send(vc, id, VCON_DEVICE_ADD, 1);
		vcon_ctrl_flush(vc);
	}
	vcon_host_poll(vc, p);
	return 0;
}

int virtio_console_add_socket_port(struct virtio_console *vc, const char *name, int listen_fd)
{
	unsigned int id;
	int ret;

	pthread_mutex_lock(&vc->dev.io_lock);
	ret = vcon_named_port(vc, name, &id);
	if (ret == 0)
		ret = vcon_port_attach(vc, id, listen_fd, -1);
	pthread_mutex_unlock(&vc->dev.io_lock);
	return ret;
}

int virtio_console_add_port(struct virtio_console *vc, const char *name,
			    const struct virtio_console_port_cb *cb, int *fd)
{
	int sv[2], ret;
	unsigned int id;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv) < 0)
		return -errno;
	pthread_mutex_lock(&vc->dev.io_lock);
	ret = vcon_named_port(vc, name, &id);
	if (ret == 0) {
		if (cb)
			vc->port[id].cb = *cb;
		ret = vcon_port_attach(vc, id, -1, sv[1]);
	}
	pthread_mutex_unlock(&vc->dev.io_lock);
	if (ret < 0) {
		close(sv[0]);
		close(sv[1]);
		return ret;
	}
	*fd = sv[0];
	return 0;
}

size_t virtio_console_receive(struct virtio_console *vc, const uint8_t *buf, size_t len)
{
	size_t n = 0;

	if (!vc->port[0].used)
		return 0;
	pthread_mutex_lock(&vc->in_lock);
	/* guest_open is the I/O thread's; a stale look only delays input. */
	if (__atomic_load_n(&vc->port[0].guest_open, __ATOMIC_RELAXED)) {
		n = VCON_IN_BUF - vc->in_len < len ? VCON_IN_BUF - vc->in_len : len;
		memcpy(vc->in + vc->in_len, buf, n);
		vc->in_len += n;
	}
	if (n < len)
		vc->in_waiter = true;
	pthread_mutex_unlock(&vc->in_lock);
	if (n)
		virtio_dev_wake(&vc->dev);
	return n;
}

void virtio_console_destroy(struct virtio_console *vc)
{
	for (unsigned int i = 0; i < VCON_PORTS_MAX; i++) {
		struct vcon_port *p = &vc->port[i];

		if (p->fd >= 0 && p->used)
			close(p->fd);
		if (p->listen_fd >= 0 && p->used)
			close(p->listen_fd);
		free(p->tx);
		p->tx = NULL;
	}
	if (vc->in_notify_fd >= 0)
		close(vc->in_notify_fd);
	vc->in_notify_fd = -1;
}
