// SPDX-License-Identifier: GPL-2.0-only
/*
 * vhostile: a hostile virtio driver in guest user space, for the
 * virtio-hostile scenario (guest-images/guest/virtio-hostile.sh). The guest
 * boots with seavmm.novirtio, so no kernel driver binds seavmm's virtio-mmio
 * devices; this program drives them itself through /dev/mem (their
 * registers) and its own locked pages (the rings and buffers, whose
 * guest-physical addresses /proc/self/pagemap gives), and breaks every rule
 * it can, one case at a time:
 *
 *   vhostile RAM_END
 *
 * (RAM_END: the guest-physical end of RAM.) For each case it prints
 * "vhostile: CASE: OUTCOME" where OUTCOME is "needs-reset" (the device set
 * DEVICE_NEEDS_RESET), "ignored" or "served" (for the cases that are no
 * error), "status N" (a block request's status) or what else it saw, then
 * resets the device. It ends with a proper request that must be served,
 * prints "vhostile: done", and exits 0 when every case came out as it must.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE	    4096
#define MMIO_BASE   0x0a000000UL
#define MMIO_STRIDE 0x200
#define MMIO_SLOTS  16
#define QNUM	    8

/* Registers and bits (VIRTIO 1.x 4.2.2). */
enum {
	R_MAGIC = 0x000,
	R_DEVICE_ID = 0x008,
	R_DEV_FEAT = 0x010,
	R_DEV_FEAT_SEL = 0x014,
	R_DRV_FEAT = 0x020,
	R_DRV_FEAT_SEL = 0x024,
	R_QUEUE_SEL = 0x030,
	R_QUEUE_NUM = 0x038,
	R_QUEUE_READY = 0x044,
	R_QUEUE_NOTIFY = 0x050,
	R_ISR = 0x060,
	R_ISR_ACK = 0x064,
	R_STATUS = 0x070,
	R_DESC_LO = 0x080,
	R_DESC_HI = 0x084,
	R_AVAIL_LO = 0x090,
	R_AVAIL_HI = 0x094,
	R_USED_LO = 0x0a0,
	R_USED_HI = 0x0a4,
};
#define S_ACK	      1
#define S_DRIVER      2
#define S_DRIVER_OK   4
#define S_FEATURES_OK 8
#define S_NEEDS_RESET 0x40
#define F_NEXT	      1
#define F_WRITE	      2
#define F_INDIRECT    4
#define FEAT_INDIRECT (1u << 28)

struct page {
	uint8_t *va;
	uint64_t gpa;
};

struct dev {
	volatile uint32_t *regs;
	struct page desc, avail, used, buf, ind;
	uint16_t avail_idx;
};

static uint64_t ram_end;
static int failures;

static uint64_t gpa_of(const void *va)
{
	uint64_t ent = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY);

	if (fd < 0)
		return 0;
	if (pread(fd, &ent, 8, (off_t)((uintptr_t)va / PAGE) * 8) != 8)
		ent = 0;
	close(fd);
	return (ent & (1ULL << 63)) ? (ent & ((1ULL << 55) - 1)) * PAGE : 0;
}

static int page_new(struct page *p)
{
	p->va = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p->va == MAP_FAILED)
		return -1;
	memset(p->va, 0, PAGE);
	mlock(p->va, PAGE);
	p->gpa = gpa_of(p->va);
	return p->gpa ? 0 : -1;
}

static void barrier(void)
{
	__asm__ volatile("dsb sy" ::: "memory");
}

static uint32_t rd(struct dev *d, unsigned int off)
{
	barrier();
	return d->regs[off / 4];
}

static void wr(struct dev *d, unsigned int off, uint32_t v)
{
	barrier();
	d->regs[off / 4] = v;
	barrier();
}

static void desc(struct dev *d, uint8_t *table, uint16_t i, uint64_t addr, uint32_t len,
		 uint16_t flags, uint16_t next)
{
	uint8_t *p = table + 16 * i;

	memcpy(p, &addr, 8);
	memcpy(p + 8, &len, 4);
	memcpy(p + 12, &flags, 2);
	memcpy(p + 14, &next, 2);
	(void)d;
}

static uint16_t used_idx(struct dev *d)
{
	uint16_t v;

	barrier();
	memcpy(&v, d->used.va + 2, 2);
	return v;
}

static void post(struct dev *d, uint16_t head)
{
	uint16_t *ring = (uint16_t *)(d->avail.va + 4);

	ring[d->avail_idx % QNUM] = head;
	barrier();
	d->avail_idx++;
	memcpy(d->avail.va + 2, &d->avail_idx, 2);
	barrier();
}

static void set_avail_idx(struct dev *d, uint16_t v)
{
	d->avail_idx = v;
	memcpy(d->avail.va + 2, &v, 2);
	barrier();
}

static void reset(struct dev *d)
{
	wr(d, R_STATUS, 0);
	memset(d->desc.va, 0, PAGE);
	memset(d->avail.va, 0, PAGE);
	memset(d->used.va, 0, PAGE);
	d->avail_idx = 0;
}

static void features(struct dev *d, uint32_t low)
{
	wr(d, R_STATUS, S_ACK | S_DRIVER);
	wr(d, R_DRV_FEAT_SEL, 0);
	wr(d, R_DRV_FEAT, low);
	wr(d, R_DRV_FEAT_SEL, 1);
	wr(d, R_DRV_FEAT, 1); /* VIRTIO_F_VERSION_1 */
	wr(d, R_STATUS, S_ACK | S_DRIVER | S_FEATURES_OK);
}

static void queue(struct dev *d, uint32_t num, uint64_t desc_gpa)
{
	wr(d, R_QUEUE_SEL, 0);
	wr(d, R_QUEUE_NUM, num);
	wr(d, R_DESC_LO, (uint32_t)desc_gpa);
	wr(d, R_DESC_HI, (uint32_t)(desc_gpa >> 32));
	wr(d, R_AVAIL_LO, (uint32_t)d->avail.gpa);
	wr(d, R_AVAIL_HI, (uint32_t)(d->avail.gpa >> 32));
	wr(d, R_USED_LO, (uint32_t)d->used.gpa);
	wr(d, R_USED_HI, (uint32_t)(d->used.gpa >> 32));
	wr(d, R_QUEUE_READY, 1);
}

static void live(struct dev *d, uint32_t feat)
{
	reset(d);
	features(d, feat);
	queue(d, QNUM, d->desc.gpa);
	wr(d, R_STATUS, S_ACK | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK);
}

/* Waits up to 2 s for the device to mark itself or to use a buffer. */
static const char *outcome(struct dev *d, uint16_t used_before)
{
	for (int i = 0; i < 200; i++) {
		if (rd(d, R_STATUS) & S_NEEDS_RESET)
			return "needs-reset";
		if (used_idx(d) != used_before)
			return "served";
		usleep(10000);
	}
	return "ignored";
}

static void expect(const char *dev, const char *name, const char *got, const char *want)
{
	printf("vhostile: %s %s: %s\n", dev, name, got);
	if (strcmp(got, want)) {
		printf("vhostile: %s %s: want %s\n", dev, name, want);
		failures++;
	}
	fflush(stdout);
}

/* The rng's cases: each builds a live queue (or not) and breaks it. */
static void rng_cases(struct dev *d)
{
	uint8_t *t = d->desc.va, *it = d->ind.va;
	uint64_t b = d->buf.gpa;

#define CASE(name, want, ...)                             \
	do {                                              \
		__VA_ARGS__;                              \
		expect("rng", name, outcome(d, 0), want); \
		reset(d);                                 \
	} while (0)

	CASE("proper request", "served", live(d, 0); desc(d, t, 0, b, 64, F_WRITE, 0); post(d, 0);
	     wr(d, R_QUEUE_NOTIFY, 0));
	CASE("buffer past the end of RAM", "needs-reset", live(d, 0);
	     desc(d, t, 0, ram_end, 64, F_WRITE, 0); post(d, 0); wr(d, R_QUEUE_NOTIFY, 0));
	CASE("buffer straddling the end of RAM", "needs-reset", live(d, 0);
	     desc(d, t, 0, ram_end - 16, 64, F_WRITE, 0); post(d, 0); wr(d, R_QUEUE_NOTIFY, 0));
	CASE("buffer in the UART's MMIO", "needs-reset", live(d, 0);
	     desc(d, t, 0, 0x09000000, 8, F_WRITE, 0); post(d, 0); wr(d, R_QUEUE_NOTIFY, 0));
	CASE("buffer in its own registers", "needs-reset", live(d, 0);
	     desc(d, t, 0, MMIO_BASE, 0x100, F_WRITE, 0); post(d, 0); wr(d, R_QUEUE_NOTIFY, 0));
	CASE("length that wraps the address space", "needs-reset", live(d, 0);
	     desc(d, t, 0, 0xfffffffffffff000ULL, 0x2000, F_WRITE, 0); post(d, 0);
	     wr(d, R_QUEUE_NOTIFY, 0));
	CASE("chain that loops", "needs-reset", live(d, 0);
	     desc(d, t, 0, b, 8, F_WRITE | F_NEXT, 1); desc(d, t, 1, b, 8, F_WRITE | F_NEXT, 0);
	     post(d, 0); wr(d, R_QUEUE_NOTIFY, 0));
	CASE("next past the table", "needs-reset", live(d, 0);
	     desc(d, t, 0, b, 8, F_WRITE | F_NEXT, 999); post(d, 0); wr(d, R_QUEUE_NOTIFY, 0));
	CASE("head past the table", "needs-reset", live(d, 0); post(d, 77);
	     wr(d, R_QUEUE_NOTIFY, 0));
	CASE("available index far ahead", "needs-reset", live(d, 0); set_avail_idx(d, 1000);
	     wr(d, R_QUEUE_NOTIFY, 0));
	CASE("readable after writable", "needs-reset", live(d, 0);
	     desc(d, t, 0, b, 8, F_WRITE | F_NEXT, 1); desc(d, t, 1, b, 8, 0, 0); post(d, 0);
	     wr(d, R_QUEUE_NOTIFY, 0));
	CASE("indirect without the feature", "needs-reset", live(d, 0);
	     desc(d, it, 0, b, 8, F_WRITE, 0); desc(d, t, 0, d->ind.gpa, 16, F_INDIRECT, 0);
	     post(d, 0); wr(d, R_QUEUE_NOTIFY, 0));
	CASE("nested indirect", "needs-reset", live(d, FEAT_INDIRECT);
	     desc(d, it, 0, d->ind.gpa, 16, F_INDIRECT, 0);
	     desc(d, t, 0, d->ind.gpa, 16, F_INDIRECT, 0); post(d, 0); wr(d, R_QUEUE_NOTIFY, 0));
	CASE("indirect and next", "needs-reset", live(d, FEAT_INDIRECT);
	     desc(d, it, 0, b, 8, F_WRITE, 0);
	     desc(d, t, 0, d->ind.gpa, 16, F_INDIRECT | F_NEXT, 1); post(d, 0);
	     wr(d, R_QUEUE_NOTIFY, 0));
	CASE("indirect table of odd length", "needs-reset", live(d, FEAT_INDIRECT);
	     desc(d, t, 0, d->ind.gpa, 20, F_INDIRECT, 0); post(d, 0); wr(d, R_QUEUE_NOTIFY, 0));
	CASE("indirect table that loops", "needs-reset", live(d, FEAT_INDIRECT);
	     desc(d, it, 0, b, 8, F_WRITE | F_NEXT, 1); desc(d, it, 1, b, 8, F_WRITE | F_NEXT, 0);
	     desc(d, t, 0, d->ind.gpa, 32, F_INDIRECT, 0); post(d, 0); wr(d, R_QUEUE_NOTIFY, 0));
	CASE("indirect chain longer than the device takes", "needs-reset", live(d, FEAT_INDIRECT);
	     for (int i = 0; i < 255; i++)
		     desc(d, it, (uint16_t)i, b, 1, F_WRITE | F_NEXT, (uint16_t)(i + 1));
	     desc(d, it, 255, b, 1, F_WRITE | F_NEXT, 0);
	     desc(d, t, 0, d->ind.gpa, PAGE, F_INDIRECT, 0); post(d, 0); wr(d, R_QUEUE_NOTIFY, 0));
	CASE("queue size past the maximum", "needs-reset", reset(d); features(d, 0);
	     queue(d, 1024, d->desc.gpa));
	CASE("queue size not a power of two", "needs-reset", reset(d); features(d, 0);
	     queue(d, 7, d->desc.gpa));
	CASE("descriptor table past the end of RAM", "needs-reset", reset(d); features(d, 0);
	     queue(d, QNUM, ram_end - 64));
	CASE("descriptor table in MMIO", "needs-reset", reset(d); features(d, 0);
	     queue(d, QNUM, 0x09000000));
	CASE("queue reconfigured while live", "needs-reset", live(d, 0);
	     wr(d, R_DESC_LO, (uint32_t)d->buf.gpa));
	CASE("DRIVER_OK without FEATURES_OK", "needs-reset", reset(d);
	     wr(d, R_STATUS, S_ACK | S_DRIVER | S_DRIVER_OK));
	CASE("a legacy driver (no VERSION_1)", "needs-reset", reset(d);
	     wr(d, R_STATUS, S_ACK | S_DRIVER); wr(d, R_STATUS, S_ACK | S_DRIVER | S_FEATURES_OK));
	/* No error: a notification before DRIVER_OK is ignored, and served at DRIVER_OK. */
	reset(d);
	features(d, 0);
	queue(d, QNUM, d->desc.gpa);
	desc(d, t, 0, b, 64, F_WRITE, 0);
	post(d, 0);
	wr(d, R_QUEUE_NOTIFY, 0);
	expect("rng", "notify before DRIVER_OK", outcome(d, 0), "ignored");
	wr(d, R_STATUS, S_ACK | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK);
	expect("rng", "... then DRIVER_OK", outcome(d, 0), "served");
	reset(d);
	/* And after all that, the device still works. */
	CASE("proper request at the end", "served", live(d, 0); desc(d, t, 0, b, 64, F_WRITE, 0);
	     post(d, 0); wr(d, R_QUEUE_NOTIFY, 0));
#undef CASE
}

/* A read-only disk: a write gets VIRTIO_BLK_S_IOERR; a request with no status byte breaks it. */
static void blk_cases(struct dev *d)
{
	uint8_t *t = d->desc.va, *hdr = d->buf.va;
	uint64_t b = d->buf.gpa;
	char got[32];

	memset(hdr, 0, 16);
	hdr[0] = 1; /* VIRTIO_BLK_T_OUT, sector 0 */
	hdr[2048] = 0xff;
	live(d, 0);
	desc(d, t, 0, b, 16, F_NEXT, 1);
	desc(d, t, 1, b + 1024, 512, F_NEXT, 2);
	desc(d, t, 2, b + 2048, 1, F_WRITE, 0);
	post(d, 0);
	wr(d, R_QUEUE_NOTIFY, 0);
	snprintf(got, sizeof(got), "%s", outcome(d, 0));
	if (!strcmp(got, "served"))
		snprintf(got, sizeof(got), "status %u", d->buf.va[2048]);
	expect("ro-blk", "write", got, "status 1");
	reset(d);
	live(d, 0);
	desc(d, t, 0, b, 16, 0, 0);
	post(d, 0);
	wr(d, R_QUEUE_NOTIFY, 0);
	expect("ro-blk", "request without a status byte", outcome(d, 0), "needs-reset");
	reset(d);
	live(d, 0);
	desc(d, t, 0, b, 8, F_NEXT, 1);
	desc(d, t, 1, b + 2048, 1, F_WRITE, 0);
	post(d, 0);
	wr(d, R_QUEUE_NOTIFY, 0);
	expect("ro-blk", "request with a short header", outcome(d, 0), "needs-reset");
	reset(d);
}

static int dev_open(struct dev *d, volatile uint8_t *win, uint32_t id)
{
	for (unsigned int i = 0; i < MMIO_SLOTS; i++) {
		volatile uint32_t *r = (volatile uint32_t *)(win + i * MMIO_STRIDE);

		if (r[R_MAGIC / 4] == 0x74726976 && r[R_DEVICE_ID / 4] == id) {
			d->regs = r;
			if (page_new(&d->desc) || page_new(&d->avail) || page_new(&d->used) ||
			    page_new(&d->buf) || page_new(&d->ind))
				return -1;
			return 0;
		}
	}
	return -1;
}

int main(int argc, char **argv)
{
	struct dev rng = { 0 }, blk = { 0 };
	volatile uint8_t *win;
	int fd;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc != 2) {
		fprintf(stderr, "usage: vhostile RAM_END\n");
		return 2;
	}
	ram_end = strtoull(argv[1], NULL, 0);
	fd = open("/dev/mem", O_RDWR | O_SYNC);
	if (fd < 0) {
		printf("vhostile: open /dev/mem: %s\n", strerror(errno));
		return 1;
	}
	win = mmap(NULL, PAGE * 2, PROT_READ | PROT_WRITE, MAP_SHARED, fd, MMIO_BASE);
	if (win == MAP_FAILED) {
		printf("vhostile: mmap of the virtio-mmio windows: %s\n", strerror(errno));
		return 1;
	}
	if (dev_open(&rng, win, 4) || dev_open(&blk, win, 2)) {
		printf("vhostile: no virtio-rng and virtio-blk devices (or no pages for rings)\n");
		return 1;
	}
	rng_cases(&rng);
	blk_cases(&blk);
	printf("vhostile: done, %d case(s) not as they must be\n", failures);
	return failures ? 1 : 0;
}
