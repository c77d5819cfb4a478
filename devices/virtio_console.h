/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * virtio-console (VIRTIO 1.x 5.3) with VIRTIO_CONSOLE_F_MULTIPORT: port 0
 * is the guest's console hvc0 (when seavmm's console is on virtio), and
 * named ports are byte channels a guest finds under
 * /sys/class/virtio-ports/vportNpM/name and opens as /dev/vportNpM.
 *
 * Host side of a named port. Either a unix socket seavmm listens on
 * (--virtio-port NAME,socket=PATH: one client at a time, the guest sees the
 * port open while one is connected), or a stream descriptor that other code
 * in seavmm holds: virtio_console_add_port() gives it seavmm's end of a
 * socketpair. That end is how the rest of seavmm (the guest agent) talks to
 * the guest:
 *   - read() it: the bytes the guest wrote to the port, in order;
 *   - write() it: bytes for the guest to read from the port;
 *   - close() it: the port is closed for good (the guest sees the host side
 *     go away); after that the device never touches the descriptor again.
 * The descriptor is non-blocking and close-on-exec; poll() it like any
 * socket. Nothing is lost either way: bytes for the guest wait in the
 * socket until the guest has the port open and gives receive buffers, and
 * the guest's writes wait (its write() blocks) while the socket is full.
 * Bytes written while the guest has the port closed wait for its next open
 * (the device reads the socket only while the guest has the port open).
 * The optional guest_open callback tells when the guest opens or closes the
 * port (a guest process opened /dev/vportNpM, or closed it, or the guest's
 * driver went away). Memory errors: bytes for the guest that meet a poisoned
 * guest buffer wait for the next buffer (none is lost); the bytes of a guest
 * write whose buffer is poisoned are lost (the event is reported as a memory
 * error), and the host side is told: the optional data_lost callback, or
 * without one the end of its stream (the socket client is disconnected, the
 * socketpair end reads EOF), so it never reads on as if nothing were
 * missing. Callbacks run on the console's I/O thread, with the device's
 * io_lock held, so they must be short and must not call back into the device.
 */
#ifndef SEAVMM_VIRTIO_CONSOLE_H
#define SEAVMM_VIRTIO_CONSOLE_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "virtio_mmio.h"

/* The port of seavmm's guest agent. */
#define VIRTIO_CONSOLE_AGENT_PORT "org.seavmm.agent.0"

/* Port 0 and up to 7 named ports: 2 queues each, plus the control pair. */
#define VCON_PORTS_MAX	8
#define VCON_NAME_MAX	64
#define VCON_BUF	65536 /* one guest buffer, at most; the host side's backlog */
#define VCON_IN_BUF	4096  /* console input waiting for the guest */
#define VCON_CTRL_QUEUE (4 * VCON_PORTS_MAX + 8)

struct virtio_console_port_cb {
	void (*guest_open)(void *ctx, bool open);
	/* The bytes of one guest write were lost to a memory error in its buffer. */
	void (*data_lost)(void *ctx);
	void *ctx;
};

struct vcon_port {
	bool used;
	bool console; /* port 0: hvc0 */
	char name[VCON_NAME_MAX];
	/* What the guest's driver said. */
	bool guest_ready, guest_open;
	/* The host side. */
	int listen_fd, fd;	  /* -1 when none */
	int slot_listen, slot_fd; /* virtio_dev fd slots, -1 when none */
	bool host_open;
	bool rx_blocked; /* host bytes wait for the guest's receive buffers */
	uint8_t *tx;	 /* guest bytes the host side has not taken yet */
	size_t tx_len, tx_off;
	uint8_t *carry; /* host bytes a poisoned guest buffer could not take */
	size_t carry_len;
	struct virtio_console_port_cb cb;
};

struct vcon_ctrl_msg {
	uint32_t id;
	uint16_t event, value;
};

struct virtio_console {
	struct virtio_dev dev; /* first: the ops get it */
	struct vcon_port port[VCON_PORTS_MAX];
	unsigned int nr_named;
	bool driver_ready; /* DEVICE_READY came */
	int out_fd;	   /* port 0's output: seavmm's stdout */
	bool out_broken;
	struct vcon_ctrl_msg ctrl[VCON_CTRL_QUEUE]; /* for the guest, in order */
	unsigned int ctrl_n;
	/* Console input from vmm/core/console.c's thread, for port 0. */
	pthread_mutex_t in_lock;
	uint8_t in[VCON_IN_BUF];
	size_t in_len;
	bool in_waiter;
	int in_notify_fd; /* eventfd: room for more input */
	struct vq_elem elem;
	uint8_t buf[VCON_BUF];
};

/*
 * vc is zeroed by the caller. With console_out_fd >= 0 port 0 is the
 * guest's console, its output written to console_out_fd; with -1 there is
 * no port 0. 0 or -errno.
 */
int virtio_console_init(struct virtio_console *vc, const char *name, const struct guest_ram *ram,
			bool threaded, int console_out_fd);
/*
 * Adds named port name whose host side is listen_fd, a listening unix
 * stream socket (the device takes it). Before virtio_dev_start(). 0,
 * -ENOSPC (no port left), -EEXIST.
 */
int virtio_console_add_socket_port(struct virtio_console *vc, const char *name, int listen_fd);
/*
 * Adds named port name whose host side is seavmm itself: *fd receives
 * seavmm's end of a socketpair (see the header comment); cb may be NULL.
 * Any time, from any thread but the console's own I/O thread: a guest
 * already running sees the port appear. 0, -ENOSPC, -EEXIST, -errno.
 */
int virtio_console_add_port(struct virtio_console *vc, const char *name,
			    const struct virtio_console_port_cb *cb, int *fd);
/*
 * Console input for port 0 (vmm/core/console.c): takes what fits and returns
 * how many bytes it took: none until the guest has its console open; when
 * it took fewer than len it writes in_notify_fd once there is room.
 */
size_t virtio_console_receive(struct virtio_console *vc, const uint8_t *buf, size_t len);
/* After virtio_dev_stop(): closes the host sides and frees the buffers. */
void virtio_console_destroy(struct virtio_console *vc);

#endif
