// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: a hostile guest driving seavmm's virtio devices. The
 * input picks a device (rng, blk on a memfd, console with a named port,
 * net on a datagram socketpair), fills 256 KiB of guest RAM, and runs a
 * list of driver steps against the transport's registers: high-level ones
 * (negotiate features, set up a queue at fixed ring addresses, DRIVER_OK,
 * notify, reset) so that inputs reach live queues quickly, and raw ones
 * (any register write or read, any config read, 16 bytes written anywhere
 * in RAM, a page marked poisoned) so that everything else is reachable too.
 * Devices run without I/O threads: a notification is processed at once.
 * Checks: nothing out of bounds (ASan), no undefined behaviour (UBSan), no
 * hang (libFuzzer's timeout), and the device never gives back more
 * requests than it took.
 *
 * Input: byte 0 device, byte 1 the number of steps, then 8 bytes per step
 * (op, a, b16, v32), then guest RAM from its start.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../../devices/virtio_blk.h"
#include "../../devices/virtio_console.h"
#include "../../devices/virtio_net.h"
#include "../../devices/virtio_rng.h"
#include "util.h"

#define RAM_GPA	 0x40000000ULL
#define RAM_SIZE (256 * 1024)
/* Queue q's rings: desc at +0, avail at +0x100, used at +0x180 (16 entries fit). */
#define RING(q) (RAM_GPA + 0x300ULL * (q))
#define DATA	(RAM_GPA + 0xc00) /* the seeds' buffers */

#define CHECK(c)                                                                              \
	do {                                                                                  \
		if (!(c)) {                                                                   \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #c); \
			abort();                                                              \
		}                                                                             \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The devices' one-line reports would flood the fuzzer's output: dropped. */
void pr_err(const char *fmt, ...)
{
	(void)fmt;
}

void pr_info(const char *fmt, ...)
{
	(void)fmt;
}

void die(int status, const char *fmt, ...)
{
	(void)fmt;
	exit(status);
}

static uint8_t *ram;
static uint64_t poisoned_page;

static bool fz_known_poisoned(void *ctx, uint64_t gpa)
{
	(void)ctx;
	return poisoned_page && gpa == poisoned_page;
}

static int fz_report(void *ctx, uint64_t gpa, const char *device)
{
	(void)ctx;
	(void)gpa;
	(void)device;
	return 0;
}

static void fz_irq(void *ctx)
{
	(void)ctx;
}

static void wr(struct virtio_dev *d, uint64_t off, uint32_t v)
{
	virtio_mmio_access(d, off, (uint8_t *)&v, 4, true);
}

static uint32_t rd(struct virtio_dev *d, uint64_t off, uint32_t len)
{
	uint8_t v[8] = { 0 };
	uint32_t r;

	virtio_mmio_access(d, off, v, len, false);
	memcpy(&r, v, 4);
	return r;
}

static void step(struct virtio_dev *d, const uint8_t *s)
{
	uint8_t op = s[0] % 9, a = s[1];
	uint16_t b;
	uint32_t v;
	unsigned int q;

	memcpy(&b, s + 2, 2);
	memcpy(&v, s + 4, 4);
	q = a % (d->nr_queues ? d->nr_queues : 1);
	switch (op) {
	case 0: /* negotiate: VERSION_1 and the low word v */
		wr(d, 0x070, 0x3);
		wr(d, 0x024, 0);
		wr(d, 0x020, v);
		wr(d, 0x024, 1);
		wr(d, 0x020, 1 | (a & 0x80 ? 2 : 0));
		wr(d, 0x070, 0xb);
		break;
	case 1: /* queue q, size from b, rings at RING(q) */
		wr(d, 0x030, q);
		wr(d, 0x038, b % 17);
		wr(d, 0x080, (uint32_t)RING(q));
		wr(d, 0x090, (uint32_t)RING(q) + 0x100);
		wr(d, 0x0a0, (uint32_t)RING(q) + 0x180);
		wr(d, 0x044, 1);
		break;
	case 2: /* DRIVER_OK */
		wr(d, 0x070, 0xf);
		break;
	case 3: /* notify */
		wr(d, 0x050, a & 0x40 ? v : q);
		break;
	case 4: /* any register */
		wr(d, b & 0xfc, v);
		break;
	case 5: /* any read, registers and config, any width */
		rd(d, b % 0x200, 1u << (a % 4));
		break;
	case 6: /* 8 bytes anywhere in RAM (descriptors, ring entries, indexes) */
		memcpy(ram + ((uint32_t)b * 8 + (uint32_t)a * 65536 % RAM_SIZE) % (RAM_SIZE - 8), s,
		       8);
		break;
	case 7: /* a known-poisoned page, or none */
		poisoned_page = a & 1 ? RAM_GPA + (v % (RAM_SIZE / 4096)) * 4096ULL : 0;
		break;
	default: /* reset */
		wr(d, 0x070, 0);
		break;
	}
	/* The device never gives back more than the driver made available. */
	for (unsigned int i = 0; i < d->nr_queues; i++) {
		const struct virtq *vq = &d->vq[i];

		if (vq->ready)
			CHECK((uint16_t)(vq->last_avail - vq->used_idx) <= vq->num);
	}
}

/* ---- seeds: one proper request per device, written by FUZZ_VIRTIO_SEEDS=DIR ---- */

struct seed {
	uint8_t head[2 + 8 * 16];
	uint8_t ram[4096];
	size_t nsteps;
};

static void seed_step(struct seed *s, uint8_t op, uint8_t a, uint16_t b, uint32_t v)
{
	uint8_t *p = s->head + 2 + 8 * s->nsteps++;

	p[0] = op;
	p[1] = a;
	memcpy(p + 2, &b, 2);
	memcpy(p + 4, &v, 4);
}

static void seed_desc(struct seed *s, unsigned int q, uint16_t i, uint64_t addr, uint32_t len,
		      uint16_t flags, uint16_t next)
{
	uint8_t *p = s->ram + (RING(q) - RAM_GPA) + 16 * i;

	memcpy(p, &addr, 8);
	memcpy(p + 8, &len, 4);
	memcpy(p + 12, &flags, 2);
	memcpy(p + 14, &next, 2);
}

static void seed_avail(struct seed *s, unsigned int q, uint16_t n)
{
	uint8_t *p = s->ram + (RING(q) - RAM_GPA) + 0x100;

	memcpy(p + 2, &n, 2);
	for (uint16_t i = 0; i < n; i++)
		memcpy(p + 4 + 2 * i, &i, 2);
}

static void seed_write(const char *dir, const char *name, struct seed *s, uint8_t dev,
		       unsigned int nq)
{
	char path[512];
	FILE *f;

	seed_step(s, 0, 0, 0, (1u << 28) | (1u << 29) | (dev == 2 ? 2 : 0));
	for (unsigned int q = 0; q < nq; q++)
		seed_step(s, 1, (uint8_t)q, 16, 0);
	seed_step(s, 2, 0, 0, 0);
	for (unsigned int q = nq; q-- > 0;)
		seed_step(s, 3, (uint8_t)q, 0, 0);
	s->head[0] = dev;
	s->head[1] = (uint8_t)s->nsteps;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	CHECK(f && fwrite(s->head, 1, 2 + 8 * s->nsteps, f) == 2 + 8 * s->nsteps &&
	      fwrite(s->ram, 1, sizeof(s->ram), f) == sizeof(s->ram) && fclose(f) == 0);
}

static void seeds(const char *dir)
{
	struct seed s;
	uint8_t ctrl[8] = { 0, 0, 0, 0, 0, 0, 1, 0 }; /* DEVICE_READY, 1 */

	memset(&s, 0, sizeof(s));
	seed_desc(&s, 0, 0, DATA, 64, VQ_DESC_F_WRITE, 0);
	seed_avail(&s, 0, 1);
	seed_write(dir, "rng", &s, 0, 1);

	memset(&s, 0, sizeof(s));
	seed_desc(&s, 0, 0, DATA, 16, VQ_DESC_F_NEXT, 1);
	seed_desc(&s, 0, 1, DATA + 0x100, 512, VQ_DESC_F_WRITE | VQ_DESC_F_NEXT, 2);
	seed_desc(&s, 0, 2, DATA + 0x300, 1, VQ_DESC_F_WRITE, 0);
	seed_avail(&s, 0, 1);
	seed_write(dir, "blk-read", &s, 1, 1);
	s.nsteps = 0;
	s.ram[0xc00] = 1; /* VIRTIO_BLK_T_OUT */
	seed_write(dir, "blk-write", &s, 1, 1);

	memset(&s, 0, sizeof(s));
	memcpy(s.ram + 0xc00, ctrl, sizeof(ctrl));
	seed_desc(&s, 3, 0, DATA, 8, 0, 0);
	seed_avail(&s, 3, 1);
	seed_desc(&s, 2, 0, DATA + 0x100, 256, VQ_DESC_F_WRITE, 0);
	seed_desc(&s, 2, 1, DATA + 0x200, 256, VQ_DESC_F_WRITE, 0);
	seed_avail(&s, 2, 2);
	seed_desc(&s, 0, 0, DATA + 0x300, 64, VQ_DESC_F_WRITE, 0);
	seed_avail(&s, 0, 1);
	seed_write(dir, "console", &s, 2, 4);

	memset(&s, 0, sizeof(s));
	seed_desc(&s, 1, 0, DATA, 72, 0, 0);
	seed_avail(&s, 1, 1);
	seed_desc(&s, 0, 0, DATA + 0x100, 1526, VQ_DESC_F_WRITE, 0);
	seed_avail(&s, 0, 1);
	seed_write(dir, "net", &s, 3, 2);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *dir = getenv("FUZZ_VIRTIO_SEEDS");

	(void)argc;
	(void)argv;
	if (dir) {
		seeds(dir);
		exit(0);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct guest_memory mem = { .nr = 1 };
	struct guest_ram g;
	struct virtio_dev *d = NULL;
	struct virtio_rng *rng = NULL;
	struct virtio_blk *blk = NULL;
	struct virtio_console *con = NULL;
	struct virtio_net *net = NULL;
	int fds[2] = { -1, -1 }, agent = -1, devnull = -1;
	size_t nsteps, off;

	if (size < 2)
		return 0;
	if (!ram)
		ram = aligned_alloc(4096, RAM_SIZE);
	memset(ram, 0, RAM_SIZE);
	poisoned_page = 0;
	mem.regions[0] = (struct mem_region){ .gpa = RAM_GPA, .size = RAM_SIZE, .hva = ram };
	g = (struct guest_ram){ .mem = &mem,
				.known_poisoned = fz_known_poisoned,
				.report_poison = fz_report };
	nsteps = data[1];
	off = 2 + 8 * nsteps;
	if (off > size) {
		nsteps = (size - 2) / 8;
		off = 2 + 8 * nsteps;
	}
	memcpy(ram, data + off, size - off < RAM_SIZE ? size - off : RAM_SIZE);

	switch (data[0] % 4) {
	case 0:
		rng = calloc(1, sizeof(*rng));
		CHECK(rng && virtio_rng_init(rng, "fuzz-rng", &g, false) == 0);
		d = &rng->dev;
		break;
	case 1: {
		int fd = memfd_create("disk", MFD_CLOEXEC);

		CHECK(fd >= 0 && ftruncate(fd, 64 * 1024) == 0);
		blk = calloc(1, sizeof(*blk));
		CHECK(blk && virtio_blk_init(blk, "fuzz-blk", &g, false, fd, 64 * 1024, data[0] & 4,
					     "fuzz") == 0);
		d = &blk->dev;
		break;
	}
	case 2:
		devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
		con = calloc(1, sizeof(*con));
		CHECK(con && virtio_console_init(con, "fuzz-con", &g, false, devnull) == 0);
		CHECK(virtio_console_add_port(con, VIRTIO_CONSOLE_AGENT_PORT, NULL, &agent) == 0);
		/* Bytes waiting for the guest on the named port and the console. */
		CHECK(write(agent, "hello", 5) == 5);
		virtio_console_receive(con, (const uint8_t *)"typed", 5);
		d = &con->dev;
		break;
	default:
		CHECK(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds) == 0);
		/* Two frames for the guest to receive. */
		CHECK(write(fds[1], data, size < 1514 ? size : 1514) >= 0);
		CHECK(write(fds[1], ram, 60) == 60);
		net = calloc(1, sizeof(*net));
		CHECK(net && virtio_net_init(net, "fuzz-net", &g, false, fds[0],
					     (const uint8_t *)"\2\0\0\0\0\1") == 0);
		d = &net->dev;
		break;
	}
	d->raise_irq = fz_irq;
	for (size_t i = 0; i < nsteps; i++) {
		step(d, data + 2 + 8 * i);
		/* The console's and the net's other source of work. */
		if (con)
			virtio_dev_wake(d);
		if (net && net->dev.ops->fd_event)
			net->dev.ops->fd_event(d, 0, 1 /* POLLIN */);
	}
	virtio_dev_stop(d);
	if (rng)
		free(rng);
	if (blk) {
		virtio_blk_destroy(blk);
		free(blk);
	}
	if (con) {
		virtio_console_destroy(con);
		free(con);
		close(agent);
		close(devnull);
	}
	if (net) {
		virtio_net_destroy(net);
		free(net);
		close(fds[1]);
	}
	return 0;
}
