// SPDX-License-Identifier: GPL-2.0-only
/*
 * The virtio device models against guest RAM built in the test, driven
 * through their registers as a guest's driver would (tests/unit/
 * virtio_driver.h), without I/O threads: virtio-blk on a memfd image,
 * virtio-console's control protocol and a named port's socketpair,
 * virtio-net on a datagram socketpair standing in for the tap.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../devices/virtio_blk.h"
#include "../../devices/virtio_console.h"
#include "../../devices/virtio_net.h"
#include "virtio_driver.h"

#define F_V1 (1ULL << VIRTIO_F_VERSION_1)
#define DISK (1024 * 1024)

static uint64_t poisoned_page;

static bool known_poisoned(void *ctx, uint64_t gpa)
{
	(void)ctx;
	return poisoned_page && gpa == poisoned_page;
}

/* ---- virtio-blk ------------------------------------------------------------ */

struct blk_fx {
	struct td t;
	struct virtio_blk *b;
	int fd;
};

static int blk_setup_ro(void **state, bool ro)
{
	struct blk_fx *f = calloc(1, sizeof(*f));
	uint8_t *pattern = malloc(DISK);

	if (!f || !pattern)
		return -1;
	td_init(&f->t);
	f->t.ram.known_poisoned = known_poisoned;
	poisoned_page = 0;
	f->fd = memfd_create("disk", MFD_CLOEXEC);
	for (int i = 0; i < DISK; i++)
		pattern[i] = (uint8_t)(i / 512 + i);
	if (f->fd < 0 || write(f->fd, pattern, DISK) != DISK)
		return -1;
	free(pattern);
	f->b = calloc(1, sizeof(*f->b));
	if (!f->b || virtio_blk_init(f->b, "virtio-blk0", &f->t.ram, false, dup(f->fd), DISK, ro,
				     "disk.img") < 0)
		return -1;
	f->b->dev.raise_irq = td_irq;
	f->b->dev.irq_ctx = &f->t;
	td_features(&f->b->dev, F_V1);
	td_queue(&f->t, &f->b->dev, 0, 16);
	td_driver_ok(&f->b->dev);
	*state = f;
	return 0;
}

static int blk_setup(void **state)
{
	return blk_setup_ro(state, false);
}

static int blk_setup_readonly(void **state)
{
	return blk_setup_ro(state, true);
}

static int blk_teardown(void **state)
{
	struct blk_fx *f = *state;

	virtio_dev_stop(&f->b->dev);
	virtio_blk_destroy(f->b);
	free(f->b);
	close(f->fd);
	td_free(&f->t);
	free(f);
	return 0;
}

#define HDR  (TD_BUF)
#define DATA (TD_BUF + 0x1000)
#define STAT (TD_BUF + 0x40000)

/* One request: header (type, sector), data of len (in or out), status; returns status. */
static uint8_t blk_req(struct blk_fx *f, uint32_t type, uint64_t sector, uint32_t len, bool data_in,
		       uint32_t *used_len)
{
	uint8_t hdr[16] = { 0 }, *st = td_ptr(&f->t, STAT);
	uint16_t n = 0, before = td_used_idx(&f->t, 0);
	uint32_t id;

	memcpy(hdr, &type, 4);
	memcpy(hdr + 8, &sector, 8);
	memcpy(td_ptr(&f->t, HDR), hdr, 16);
	*st = 0xee;
	td_desc(&f->t, 0, n, HDR, 16, VQ_DESC_F_NEXT, (uint16_t)(n + 1));
	n++;
	if (len) {
		td_desc(&f->t, 0, n, DATA, len, VQ_DESC_F_NEXT | (data_in ? VQ_DESC_F_WRITE : 0),
			(uint16_t)(n + 1));
		n++;
	}
	td_desc(&f->t, 0, n, STAT, 1, VQ_DESC_F_WRITE, 0);
	td_avail(&f->t, 0, 0);
	td_notify(&f->b->dev, 0);
	assert_int_equal(td_used_idx(&f->t, 0), (uint16_t)(before + 1));
	td_used(&f->t, 0, before, &id, used_len);
	assert_int_equal(id, 0);
	return *st;
}

static void test_blk_read_write_flush_id(void **state)
{
	struct blk_fx *f = *state;
	uint8_t file[8192], *data = td_ptr(&f->t, DATA);
	uint32_t used;

	/* Read sectors 3..18 (8 KiB). */
	assert_int_equal(blk_req(f, 0, 3, 8192, true, &used), 0);
	assert_int_equal(used, 8192 + 1);
	assert_int_equal(pread(f->fd, file, 8192, 3 * 512), 8192);
	assert_memory_equal(data, file, 8192);
	/* Write 200 KiB (more than the bounce buffer) at sector 100. */
	for (int i = 0; i < 200 * 1024; i++)
		data[i] = (uint8_t)(i * 7);
	assert_int_equal(blk_req(f, 1, 100, 200 * 1024, false, &used), 0);
	assert_int_equal(used, 1);
	for (int off = 0; off < 200 * 1024; off += 8192) {
		assert_int_equal(pread(f->fd, file, 8192, 100 * 512 + off), 8192);
		assert_memory_equal(file, data + off, 8192);
	}
	assert_int_equal(blk_req(f, 4, 0, 0, false, &used), 0); /* flush */
	memset(data, 0xff, 32);
	assert_int_equal(blk_req(f, 8, 0, 20, true, &used), 0); /* get-id */
	assert_int_equal(used, 21);
	assert_memory_equal(data, "disk.img\0\0\0\0\0\0\0\0\0\0\0\0", 20);
	/* Beyond the end, and not whole sectors: an I/O error. */
	assert_int_equal(blk_req(f, 0, DISK / 512 - 1, 1024, true, &used), 1);
	assert_int_equal(blk_req(f, 1, UINT64_MAX / 256, 512, false, &used), 1);
	assert_int_equal(blk_req(f, 0, 0, 100, true, &used), 1);
	/* Unknown types are unsupported. */
	assert_int_equal(blk_req(f, 99, 0, 0, false, &used), 2);
	assert_int_equal(td_rd(&f->b->dev, 0x070) & VIRTIO_STATUS_NEEDS_RESET, 0);
	/* Configuration: capacity in sectors, seg_max, blk_size. */
	assert_int_equal(td_rd(&f->b->dev, 0x100), DISK / 512);
	assert_int_equal(td_rd(&f->b->dev, 0x104), 0);
	assert_int_equal(td_rd(&f->b->dev, 0x10c), VIRTIO_BLK_SEG_MAX);
	assert_int_equal(td_rd(&f->b->dev, 0x114), 512);
}

static void test_blk_discard(void **state)
{
	struct blk_fx *f = *state;
	uint8_t seg[16] = { 0 }, file[4096], zero[4096] = { 0 };
	uint64_t sector = 8;
	uint32_t n = 8, used;

	/* memfd (shmem) punches holes: discard is offered. */
	td_wr(&f->b->dev, 0x014, 0);
	assert_true(td_rd(&f->b->dev, 0x010) & (1u << 13));
	memcpy(seg, &sector, 8);
	memcpy(seg + 8, &n, 4);
	memcpy(td_ptr(&f->t, DATA), seg, 16);
	assert_int_equal(blk_req(f, 11, 0, 16, false, &used), 0);
	assert_int_equal(pread(f->fd, file, 4096, 8 * 512), 4096);
	assert_memory_equal(file, zero, 4096);
	/* The sector before was left alone. */
	assert_int_equal(pread(f->fd, file, 512, 7 * 512), 512);
	assert_memory_not_equal(file, zero, 512);
	/* A range past the end is an I/O error. */
	sector = DISK / 512;
	memcpy(td_ptr(&f->t, DATA), &sector, 8);
	assert_int_equal(blk_req(f, 11, 0, 16, false, &used), 1);
}

static void test_blk_read_only(void **state)
{
	struct blk_fx *f = *state;
	uint8_t before[512], after[512];
	uint32_t used;

	assert_int_equal(pread(f->fd, before, 512, 0), 512);
	memset(td_ptr(&f->t, DATA), 0x11, 512);
	/* Writes and discards get an I/O error; reads and flushes work. */
	assert_int_equal(blk_req(f, 1, 0, 512, false, &used), 1);
	assert_int_equal(blk_req(f, 11, 0, 16, false, &used), 1);
	assert_int_equal(blk_req(f, 0, 0, 512, true, &used), 0);
	assert_int_equal(blk_req(f, 4, 0, 0, false, &used), 0);
	assert_int_equal(pread(f->fd, after, 512, 0), 512);
	assert_memory_equal(before, after, 512);
}

static void test_blk_poisoned_buffer(void **state)
{
	struct blk_fx *f = *state;
	uint8_t before[4096], after[4096];
	uint32_t used;

	assert_int_equal(pread(f->fd, before, 4096, 0), 4096);
	/* The data buffer's second page is poisoned: the write fails, the file keeps its bytes. */
	poisoned_page = DATA + 0x1000;
	memset(td_ptr(&f->t, DATA), 0x22, 8192);
	assert_int_equal(blk_req(f, 1, 0, 8192, false, &used), 1);
	assert_int_equal(blk_req(f, 0, 0, 8192, true, &used), 1);
	/* The device is not broken by it: the next request on a healthy buffer works. */
	poisoned_page = 0;
	assert_int_equal(td_rd(&f->b->dev, 0x070) & VIRTIO_STATUS_NEEDS_RESET, 0);
	assert_int_equal(blk_req(f, 1, 0, 4096, false, &used), 0);
	assert_int_equal(pread(f->fd, after, 4096, 0), 4096);
	assert_memory_equal(after, td_ptr(&f->t, DATA), 4096);
	(void)before;
}

static void test_blk_malformed(void **state)
{
	struct blk_fx *f = *state;

	/* A request with a header but no status byte breaks the driver's contract. */
	td_desc(&f->t, 0, 0, HDR, 16, 0, 0);
	td_avail(&f->t, 0, 0);
	td_notify(&f->b->dev, 0);
	assert_true(td_rd(&f->b->dev, 0x070) & VIRTIO_STATUS_NEEDS_RESET);
}

/* ---- virtio-console ---------------------------------------------------------- */

struct con_fx {
	struct td t;
	struct virtio_console *c;
	int out[2]; /* port 0's output */
	int agent;  /* the named port's host end */
	uint16_t ctrl_seen;
	int opens, lost;
};

#define CTRL_OUT (TD_BUF + 0x100)
#define CTRL_IN	 (TD_BUF + 0x1000) /* 8 buffers of 256 bytes */
#define PORT_IN	 (TD_BUF + 0x4000)
#define PORT_OUT (TD_BUF + 0x8000)

static void con_open_cb(void *ctx, bool open)
{
	struct con_fx *f = ctx;

	f->opens += open ? 1 : -1;
}

static void con_lost_cb(void *ctx)
{
	((struct con_fx *)ctx)->lost++;
}

static int con_setup(void **state)
{
	struct con_fx *f = calloc(1, sizeof(*f));
	struct virtio_console_port_cb cb = { .guest_open = con_open_cb,
					     .data_lost = con_lost_cb,
					     .ctx = f };

	if (!f || pipe2(f->out, O_NONBLOCK | O_CLOEXEC) < 0)
		return -1;
	td_init(&f->t);
	f->t.ram.known_poisoned = known_poisoned;
	poisoned_page = 0;
	f->c = calloc(1, sizeof(*f->c));
	if (!f->c || virtio_console_init(f->c, "virtio-console", &f->t.ram, false, f->out[1]) < 0 ||
	    virtio_console_add_port(f->c, VIRTIO_CONSOLE_AGENT_PORT, &cb, &f->agent) < 0)
		return -1;
	f->c->dev.raise_irq = td_irq;
	f->c->dev.irq_ctx = &f->t;
	*state = f;
	return 0;
}

static int con_teardown(void **state)
{
	struct con_fx *f = *state;

	virtio_dev_stop(&f->c->dev);
	virtio_console_destroy(f->c);
	free(f->c);
	close(f->agent);
	close(f->out[0]);
	close(f->out[1]);
	td_free(&f->t);
	free(f);
	return 0;
}

/* The guest sends one control message on queue 3. */
static void con_ctrl(struct con_fx *f, uint32_t id, uint16_t ev, uint16_t val)
{
	uint8_t *m = td_ptr(&f->t, CTRL_OUT);

	memcpy(m, &id, 4);
	memcpy(m + 4, &ev, 2);
	memcpy(m + 6, &val, 2);
	td_desc(&f->t, 3, 0, CTRL_OUT, 8, 0, 0);
	td_avail(&f->t, 3, 0);
	td_notify(&f->c->dev, 3);
}

/* The next message the device sent on queue 2: returns its length. */
static uint32_t con_next(struct con_fx *f, uint32_t *id, uint16_t *ev, uint16_t *val, char *name)
{
	uint32_t head, len;
	uint8_t *m;

	assert_true(f->ctrl_seen != td_used_idx(&f->t, 2));
	td_used(&f->t, 2, f->ctrl_seen++, &head, &len);
	m = td_ptr(&f->t, CTRL_IN + 256ULL * head);
	memcpy(id, m, 4);
	memcpy(ev, m + 4, 2);
	memcpy(val, m + 6, 2);
	if (name) {
		memcpy(name, m + 8, len - 8);
		name[len - 8] = 0;
	}
	/* Give the buffer back. */
	td_avail(&f->t, 2, (uint16_t)head);
	return len;
}

static void con_start(struct con_fx *f)
{
	td_features(&f->c->dev, F_V1 | 2 /* MULTIPORT */);
	for (unsigned int q = 0; q < 6; q++)
		td_queue(&f->t, &f->c->dev, q, 8);
	for (uint16_t i = 0; i < 8; i++) {
		td_desc(&f->t, 2, i, CTRL_IN + 256ULL * i, 256, VQ_DESC_F_WRITE, 0);
		td_avail(&f->t, 2, i);
	}
	td_driver_ok(&f->c->dev);
}

static void test_console_ports(void **state)
{
	struct con_fx *f = *state;
	char name[64], buf[64];
	uint32_t id, len, head;
	uint16_t ev, val;

	/* max_nr_ports in the configuration. */
	assert_int_equal(td_rd(&f->c->dev, 0x104), VCON_PORTS_MAX);
	con_start(f);
	/* DEVICE_READY: the device adds port 0 (the console) and port 1. */
	con_ctrl(f, 0, 0, 1);
	con_next(f, &id, &ev, &val, NULL);
	assert_int_equal(id, 0);
	assert_int_equal(ev, 1);
	con_next(f, &id, &ev, &val, NULL);
	assert_int_equal(id, 1);
	assert_int_equal(ev, 1);
	/* PORT_READY 0: it is the console, and open. */
	con_ctrl(f, 0, 3, 1);
	con_next(f, &id, &ev, &val, NULL);
	assert_true(id == 0 && ev == 4 && val == 1);
	con_next(f, &id, &ev, &val, NULL);
	assert_true(id == 0 && ev == 6 && val == 1);
	/* PORT_READY 1: its name, and open (its host end is connected). */
	con_ctrl(f, 1, 3, 1);
	len = con_next(f, &id, &ev, &val, name);
	assert_true(id == 1 && ev == 7);
	assert_int_equal(len, 8 + strlen(VIRTIO_CONSOLE_AGENT_PORT));
	assert_string_equal(name, VIRTIO_CONSOLE_AGENT_PORT);
	con_next(f, &id, &ev, &val, NULL);
	assert_true(id == 1 && ev == 6 && val == 1);
	assert_int_equal(td_used_idx(&f->t, 2), f->ctrl_seen);

	/* Host to guest: bytes wait until the guest opens the port, then fill its buffer. */
	assert_int_equal(write(f->agent, "ping", 4), 4);
	td_desc(&f->t, 4, 0, PORT_IN, 64, VQ_DESC_F_WRITE, 0);
	td_avail(&f->t, 4, 0);
	td_notify(&f->c->dev, 4);
	assert_int_equal(td_used_idx(&f->t, 4), 0);
	con_ctrl(f, 1, 6, 1); /* PORT_OPEN from the guest */
	assert_int_equal(f->opens, 1);
	assert_int_equal(td_used_idx(&f->t, 4), 1);
	td_used(&f->t, 4, 0, &head, &len);
	assert_int_equal(len, 4);
	assert_memory_equal(td_ptr(&f->t, PORT_IN), "ping", 4);

	/* Guest to host: on the agent's socket, in order. */
	memcpy(td_ptr(&f->t, PORT_OUT), "pong", 4);
	td_desc(&f->t, 5, 0, PORT_OUT, 4, 0, 0);
	td_avail(&f->t, 5, 0);
	td_notify(&f->c->dev, 5);
	assert_int_equal(td_used_idx(&f->t, 5), 1);
	assert_int_equal(read(f->agent, buf, sizeof(buf)), 4);
	assert_memory_equal(buf, "pong", 4);

	/* The console: port 0's output goes to out, input comes from receive(). */
	memcpy(td_ptr(&f->t, PORT_OUT + 100), "hvc!", 4);
	td_desc(&f->t, 1, 0, PORT_OUT + 100, 4, 0, 0);
	td_avail(&f->t, 1, 0);
	td_notify(&f->c->dev, 1);
	assert_int_equal(read(f->out[0], buf, sizeof(buf)), 4);
	assert_memory_equal(buf, "hvc!", 4);
	con_ctrl(f, 0, 6, 1);
	td_desc(&f->t, 0, 0, PORT_IN + 100, 64, VQ_DESC_F_WRITE, 0);
	td_avail(&f->t, 0, 0);
	td_notify(&f->c->dev, 0);
	assert_int_equal(virtio_console_receive(f->c, (const uint8_t *)"ls\n", 3), 3);
	assert_int_equal(td_used_idx(&f->t, 0), 1);
	assert_memory_equal(td_ptr(&f->t, PORT_IN + 100), "ls\n", 3);

	/* The guest closes the port; the agent hangs up: the guest hears PORT_OPEN 0. */
	con_ctrl(f, 1, 6, 0);
	assert_int_equal(f->opens, 0);
	close(f->agent);
	f->agent = -1;
	con_ctrl(f, 1, 6, 1);
	td_desc(&f->t, 4, 1, PORT_IN, 64, VQ_DESC_F_WRITE, 0);
	td_avail(&f->t, 4, 1);
	td_notify(&f->c->dev, 4);
	con_next(f, &id, &ev, &val, NULL);
	assert_true(id == 1 && ev == 6 && val == 0);
	assert_int_equal(td_rd(&f->c->dev, 0x070) & VIRTIO_STATUS_NEEDS_RESET, 0);
	f->agent = open("/dev/null", O_RDONLY);
}

/* Port 1 ready and open on both sides. */
static void con_port_open(struct con_fx *f)
{
	uint32_t id;
	uint16_t ev, val;

	con_start(f);
	con_ctrl(f, 0, 0, 1);
	con_ctrl(f, 1, 3, 1);
	con_ctrl(f, 1, 6, 1);
	while (f->ctrl_seen != td_used_idx(&f->t, 2))
		con_next(f, &id, &ev, &val, NULL);
}

static void test_console_poison(void **state)
{
	struct con_fx *f = *state;
	uint32_t head, len;
	char buf[16];

	con_port_open(f);
	/* Host to guest: a poisoned receive buffer goes back empty; the bytes take the next. */
	poisoned_page = PORT_IN;
	td_desc(&f->t, 4, 0, PORT_IN, 64, VQ_DESC_F_WRITE, 0);
	td_avail(&f->t, 4, 0);
	td_notify(&f->c->dev, 4);
	assert_int_equal(write(f->agent, "carried", 7), 7);
	td_notify(&f->c->dev, 4); /* (the I/O thread's poll would see the socket) */
	assert_int_equal(td_used_idx(&f->t, 4), 1);
	td_used(&f->t, 4, 0, &head, &len);
	assert_int_equal(len, 0);
	poisoned_page = 0;
	td_desc(&f->t, 4, 1, PORT_IN + 0x1000, 64, VQ_DESC_F_WRITE, 0);
	td_avail(&f->t, 4, 1);
	td_notify(&f->c->dev, 4);
	assert_int_equal(td_used_idx(&f->t, 4), 2);
	td_used(&f->t, 4, 1, &head, &len);
	assert_int_equal(len, 7);
	assert_memory_equal(td_ptr(&f->t, PORT_IN + 0x1000), "carried", 7);
	/* Guest to host: a poisoned write is lost, and the host side is told (data_lost). */
	poisoned_page = PORT_OUT;
	td_desc(&f->t, 5, 0, PORT_OUT, 4, 0, 0);
	td_avail(&f->t, 5, 0);
	td_notify(&f->c->dev, 5);
	assert_int_equal(td_used_idx(&f->t, 5), 1);
	assert_int_equal(f->lost, 1);
	assert_int_equal(read(f->agent, buf, sizeof(buf)), -1);
	/* Without a data_lost callback the host side's stream ends instead. */
	f->c->port[1].cb.data_lost = NULL;
	td_desc(&f->t, 5, 1, PORT_OUT, 4, 0, 0);
	td_avail(&f->t, 5, 1);
	td_notify(&f->c->dev, 5);
	assert_int_equal(read(f->agent, buf, sizeof(buf)), 0);
	assert_int_equal(td_rd(&f->c->dev, 0x070) & VIRTIO_STATUS_NEEDS_RESET, 0);
}

static void test_console_hostile(void **state)
{
	struct con_fx *f = *state;
	uint32_t id;
	uint16_t ev, val;

	con_start(f);
	con_ctrl(f, 0, 0, 1);
	con_next(f, &id, &ev, &val, NULL);
	/* A port it was never given. */
	con_ctrl(f, 5, 3, 1);
	assert_true(td_rd(&f->c->dev, 0x070) & VIRTIO_STATUS_NEEDS_RESET);
	/* After a reset: a control message too short. */
	td_wr(&f->c->dev, 0x070, 0);
	f->ctrl_seen = 0;
	con_start(f);
	td_desc(&f->t, 3, 0, CTRL_OUT, 4, 0, 0);
	td_avail(&f->t, 3, 0);
	td_notify(&f->c->dev, 3);
	assert_true(td_rd(&f->c->dev, 0x070) & VIRTIO_STATUS_NEEDS_RESET);
}

/* ---- virtio-net ------------------------------------------------------------- */

struct net_fx {
	struct td t;
	struct virtio_net *n;
	int peer; /* the "host side" of the tap */
};

static int net_setup(void **state)
{
	struct net_fx *f = calloc(1, sizeof(*f));
	int sv[2];

	if (!f || socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv) < 0)
		return -1;
	td_init(&f->t);
	f->peer = sv[1];
	f->n = calloc(1, sizeof(*f->n));
	if (!f->n || virtio_net_init(f->n, "virtio-net", &f->t.ram, false, sv[0],
				     (const uint8_t *)"\x02\x11\x22\x33\x44\x55") < 0)
		return -1;
	f->n->dev.raise_irq = td_irq;
	f->n->dev.irq_ctx = &f->t;
	td_features(&f->n->dev, F_V1 | (1ULL << 5) | (1ULL << 16));
	td_queue(&f->t, &f->n->dev, 0, 8);
	td_queue(&f->t, &f->n->dev, 1, 8);
	td_driver_ok(&f->n->dev);
	*state = f;
	return 0;
}

static int net_teardown(void **state)
{
	struct net_fx *f = *state;

	virtio_dev_stop(&f->n->dev);
	virtio_net_destroy(f->n);
	free(f->n);
	close(f->peer);
	td_free(&f->t);
	free(f);
	return 0;
}

static void test_net_frames(void **state)
{
	struct net_fx *f = *state;
	uint8_t frame[100], got[2000], hdr[12] = { 0 };
	uint32_t head, len;
	uint16_t one = 1;

	/* MAC and link up in the configuration. */
	assert_int_equal(td_rd(&f->n->dev, 0x100), 0x33221102);
	assert_int_equal(td_rd(&f->n->dev, 0x104) >> 16, 1);
	/* Transmit: the header is stripped, the frame goes to the tap whole. */
	for (int i = 0; i < 100; i++)
		frame[i] = (uint8_t)i;
	memcpy(td_ptr(&f->t, TD_BUF), hdr, 12);
	memcpy(td_ptr(&f->t, TD_BUF + 0x100), frame, 100);
	td_desc(&f->t, 1, 0, TD_BUF, 12, VQ_DESC_F_NEXT, 1);
	td_desc(&f->t, 1, 1, TD_BUF + 0x100, 100, 0, 0);
	td_avail(&f->t, 1, 0);
	td_notify(&f->n->dev, 1);
	assert_int_equal(td_used_idx(&f->t, 1), 1);
	assert_int_equal(read(f->peer, got, sizeof(got)), 100);
	assert_memory_equal(got, frame, 100);
	/* Receive: nothing is read from the tap until the guest gives a buffer. */
	assert_int_equal(write(f->peer, frame, 60), 60);
	assert_int_equal(write(f->peer, got, 1600), 1600); /* too big for the next buffer */
	assert_int_equal(write(f->peer, frame + 1, 42), 42);
	td_desc(&f->t, 0, 0, TD_BUF + 0x1000, 1526, VQ_DESC_F_WRITE, 0);
	td_avail(&f->t, 0, 0);
	td_notify(&f->n->dev, 0);
	assert_int_equal(td_used_idx(&f->t, 0), 1);
	td_used(&f->t, 0, 0, &head, &len);
	assert_int_equal(len, 12 + 60);
	memcpy(hdr + 10, &one, 2);
	assert_memory_equal(td_ptr(&f->t, TD_BUF + 0x1000), hdr, 12);
	assert_memory_equal(td_ptr(&f->t, TD_BUF + 0x1000 + 12), frame, 60);
	/* The 1600-byte frame does not fit 1526: dropped; the next one arrives. */
	td_desc(&f->t, 0, 1, TD_BUF + 0x2000, 1526, VQ_DESC_F_WRITE, 0);
	td_avail(&f->t, 0, 1);
	td_notify(&f->n->dev, 0);
	assert_int_equal(td_used_idx(&f->t, 0), 2);
	td_used(&f->t, 0, 1, &head, &len);
	assert_int_equal(len, 12 + 42);
	assert_memory_equal(td_ptr(&f->t, TD_BUF + 0x2000 + 12), frame + 1, 42);
	assert_int_equal(f->n->rx_dropped, 1);
	/* A transmit shorter than its header breaks the device. */
	td_desc(&f->t, 1, 2, TD_BUF, 6, 0, 0);
	td_avail(&f->t, 1, 2);
	td_notify(&f->n->dev, 1);
	assert_true(td_rd(&f->n->dev, 0x070) & VIRTIO_STATUS_NEEDS_RESET);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_blk_read_write_flush_id, blk_setup,
						blk_teardown),
		cmocka_unit_test_setup_teardown(test_blk_discard, blk_setup, blk_teardown),
		cmocka_unit_test_setup_teardown(test_blk_read_only, blk_setup_readonly,
						blk_teardown),
		cmocka_unit_test_setup_teardown(test_blk_poisoned_buffer, blk_setup, blk_teardown),
		cmocka_unit_test_setup_teardown(test_blk_malformed, blk_setup, blk_teardown),
		cmocka_unit_test_setup_teardown(test_console_ports, con_setup, con_teardown),
		cmocka_unit_test_setup_teardown(test_console_poison, con_setup, con_teardown),
		cmocka_unit_test_setup_teardown(test_console_hostile, con_setup, con_teardown),
		cmocka_unit_test_setup_teardown(test_net_frames, net_setup, net_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
