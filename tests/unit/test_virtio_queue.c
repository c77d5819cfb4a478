// SPDX-License-Identifier: GPL-2.0-only
/*
 * The virtio-mmio transport and the split virtqueue code, driven as a guest
 * driver would through the registers, with the rings in guest RAM built in
 * the test (tests/unit/virtio_driver.h) and virtio-rng as the device (no
 * I/O thread: a notification is processed at once). Every malformed case
 * a hostile driver can make must end in DEVICE_NEEDS_RESET, a configuration
 * interrupt and one line naming it, and a reset must bring the device back.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../devices/virtio_rng.h"
#include "virtio_driver.h"

#define F_EVENT_IDX (1ULL << VIRTIO_RING_F_EVENT_IDX)
#define F_INDIRECT  (1ULL << VIRTIO_RING_F_INDIRECT_DESC)
#define F_V1	    (1ULL << VIRTIO_F_VERSION_1)

struct fx {
	struct td t;
	struct virtio_rng rng;
	struct virtio_dev *d;
	uint64_t poisoned_page; /* known_poisoned() says so for this page */
	/* stderr captured around the bad step */
	int saved_err;
	FILE *cap;
	char out[16384];
};

static bool fx_known_poisoned(void *ctx, uint64_t gpa)
{
	struct fx *f = ctx;

	return f->poisoned_page && gpa == f->poisoned_page;
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	td_init(&f->t);
	f->t.ram.known_poisoned = fx_known_poisoned;
	f->t.ram.ctx = f;
	if (virtio_rng_init(&f->rng, "virtio-rng", &f->t.ram, false))
		return -1;
	f->d = &f->rng.dev;
	f->d->raise_irq = td_irq;
	f->d->irq_ctx = &f->t;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	virtio_dev_stop(f->d);
	td_free(&f->t);
	free(f);
	return 0;
}

static void capture_begin(struct fx *f)
{
	fflush(stderr);
	f->cap = tmpfile();
	assert_non_null(f->cap);
	f->saved_err = dup(STDERR_FILENO);
	dup2(fileno(f->cap), STDERR_FILENO);
}

static const char *capture_end(struct fx *f)
{
	size_t n;

	fflush(stderr);
	dup2(f->saved_err, STDERR_FILENO);
	close(f->saved_err);
	rewind(f->cap);
	n = fread(f->out, 1, sizeof(f->out) - 1, f->cap);
	f->out[n] = '\0';
	fclose(f->cap);
	return f->out;
}

static unsigned int lines(const char *s)
{
	unsigned int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* A live rng with queue 0 of num entries and the given extra features. */
static void live(struct fx *f, uint16_t num, uint64_t feat)
{
	td_features(f->d, F_V1 | feat);
	assert_int_equal(td_rd(f->d, 0x070) & VIRTIO_STATUS_FEATURES_OK, VIRTIO_STATUS_FEATURES_OK);
	td_queue(&f->t, f->d, 0, num);
	td_driver_ok(f->d);
	assert_int_equal(td_rd(f->d, 0x070) & VIRTIO_STATUS_NEEDS_RESET, 0);
}

/* One request of one writable buffer at TD_BUF + 4096 * i: served? */
static void expect_served(struct fx *f, uint16_t i, uint32_t len)
{
	uint16_t before = td_used_idx(&f->t, 0);
	uint32_t id, got;

	td_desc(&f->t, 0, i, TD_BUF + 4096ULL * i, len, VQ_DESC_F_WRITE, 0);
	td_avail(&f->t, 0, i);
	td_notify(f->d, 0);
	assert_int_equal(td_used_idx(&f->t, 0), (uint16_t)(before + 1));
	td_used(&f->t, 0, before, &id, &got);
	assert_int_equal(id, i);
	assert_int_equal(got, len < VIRTIO_RNG_REQ_MAX ? len : VIRTIO_RNG_REQ_MAX);
}

static void test_identity_and_features(void **state)
{
	struct fx *f = *state;

	assert_int_equal(td_rd(f->d, 0x000), 0x74726976);
	assert_int_equal(td_rd(f->d, 0x004), 2);
	assert_int_equal(td_rd(f->d, 0x008), VIRTIO_ID_RNG);
	td_wr(f->d, 0x014, 1);
	assert_int_equal(td_rd(f->d, 0x010), 1); /* VERSION_1 is bit 32 */
	td_wr(f->d, 0x014, 0);
	assert_int_equal(td_rd(f->d, 0x010), (uint32_t)(F_EVENT_IDX | F_INDIRECT));
	td_wr(f->d, 0x030, 0);
	assert_int_equal(td_rd(f->d, 0x034), VQ_NUM_MAX);
	td_wr(f->d, 0x030, 1); /* rng has one queue */
	assert_int_equal(td_rd(f->d, 0x034), 0);
	/* Odd widths and offsets read 0 and change nothing. */
	uint8_t b = 0xff;
	virtio_mmio_access(f->d, 0x000, &b, 1, false);
	assert_int_equal(b, 0);
	virtio_mmio_access(f->d, 0x072, &b, 1, true);
	assert_int_equal(td_rd(f->d, 0x070), 0);
	/* No shared memory regions. */
	assert_int_equal(td_rd(f->d, 0x0b0), 0xffffffff);
}

static void test_requests_and_chains(void **state)
{
	struct fx *f = *state;
	uint32_t id, len;
	uint8_t zero[100] = { 0 };

	live(f, 8, 0);
	expect_served(f, 0, 64);
	assert_int_equal(f->t.irqs, 1);
	assert_int_equal(td_rd(f->d, 0x060), VIRTIO_ISR_USED);
	td_wr(f->d, 0x064, VIRTIO_ISR_USED);
	assert_int_equal(td_rd(f->d, 0x060), 0);
	/* A chain of two writable buffers, filled in order, across the ring's wrap. */
	for (int k = 0; k < 9; k++)
		expect_served(f, 1, 16);
	td_desc(&f->t, 0, 2, TD_BUF + 0x2000, 100, VQ_DESC_F_WRITE | VQ_DESC_F_NEXT, 3);
	td_desc(&f->t, 0, 3, TD_BUF + 0x3000, 100, VQ_DESC_F_WRITE, 0);
	memset(td_ptr(&f->t, TD_BUF + 0x3000), 0, 100);
	td_avail(&f->t, 0, 2);
	td_notify(f->d, 0);
	td_used(&f->t, 0, 10, &id, &len);
	assert_int_equal(id, 2);
	assert_int_equal(len, 200);
	/* 100 random bytes are not all zero. */
	assert_memory_not_equal(td_ptr(&f->t, TD_BUF + 0x3000), zero, 100);
	/* A request larger than the device's cap gets the cap. */
	expect_served(f, 4, 3 * VIRTIO_RNG_REQ_MAX);
	/* Zero-length buffers are fine: 0 bytes. */
	expect_served(f, 5, 0);
	assert_int_equal(td_rd(f->d, 0x070) & VIRTIO_STATUS_NEEDS_RESET, 0);
}

static void test_indirect(void **state)
{
	struct fx *f = *state;
	uint64_t table = TD_BUF + 0x10000;
	uint32_t id, len;

	live(f, 8, F_INDIRECT);
	td_desc_at(&f->t, table, 0, TD_BUF, 10, VQ_DESC_F_WRITE | VQ_DESC_F_NEXT, 1);
	td_desc_at(&f->t, table, 1, TD_BUF + 100, 20, VQ_DESC_F_WRITE, 0);
	td_desc(&f->t, 0, 0, table, 32, VQ_DESC_F_INDIRECT, 0);
	td_avail(&f->t, 0, 0);
	td_notify(f->d, 0);
	assert_int_equal(td_used_idx(&f->t, 0), 1);
	td_used(&f->t, 0, 0, &id, &len);
	assert_int_equal(id, 0);
	assert_int_equal(len, 30);
}

static void test_event_idx(void **state)
{
	struct fx *f = *state;

	live(f, 8, F_EVENT_IDX);
	/* The first used buffer always interrupts. */
	expect_served(f, 0, 8);
	assert_int_equal(f->t.irqs, 1);
	/* The device asks to be notified at the next entry. */
	assert_int_equal(td_avail_event(&f->t, 0), 1);
	/* The driver wants an interrupt only after used index 5: none for 2..5. */
	td_used_event(&f->t, 0, 5);
	for (int k = 0; k < 4; k++)
		expect_served(f, 1, 8);
	assert_int_equal(f->t.irqs, 1);
	/* The 6th (index 5 done) does. */
	expect_served(f, 1, 8);
	assert_int_equal(f->t.irqs, 2);
	assert_int_equal(td_avail_event(&f->t, 0), 6);
}

static void test_notify_before_driver_ok(void **state)
{
	struct fx *f = *state;

	td_features(f->d, F_V1);
	td_queue(&f->t, f->d, 0, 4);
	td_desc(&f->t, 0, 0, TD_BUF, 8, VQ_DESC_F_WRITE, 0);
	td_avail(&f->t, 0, 0);
	/* Ignored: the device reads no ring before DRIVER_OK. */
	td_notify(f->d, 0);
	assert_int_equal(td_used_idx(&f->t, 0), 0);
	assert_int_equal(f->t.irqs, 0);
	/* DRIVER_OK looks at every ready queue once. */
	td_driver_ok(f->d);
	assert_int_equal(td_used_idx(&f->t, 0), 1);
	assert_int_equal(td_rd(f->d, 0x070) & VIRTIO_STATUS_NEEDS_RESET, 0);
	/* Notifying a queue that does not exist is nothing. */
	td_notify(f->d, 7);
	td_notify(f->d, 0xffffffff);
	assert_int_equal(td_rd(f->d, 0x070) & VIRTIO_STATUS_NEEDS_RESET, 0);
}

/*
 * A hostile driver's step, after the device is live (or not: see each).
 * Each must make the device NEEDS_RESET with a line holding want.
 */
struct bad_case {
	const char *name;
	void (*step)(struct fx *f);
	const char *want;
};

static void post(struct fx *f, uint16_t head)
{
	td_avail(&f->t, 0, head);
	td_notify(f->d, 0);
}

static void bad_outside_ram(struct fx *f)
{
	live(f, 8, 0);
	td_desc(&f->t, 0, 0, TD_RAM_GPA + TD_RAM_SIZE, 16, VQ_DESC_F_WRITE, 0);
	post(f, 0);
}

static void bad_into_mmio(struct fx *f)
{
	live(f, 8, 0);
	td_desc(&f->t, 0, 0, 0x09000000, 8, VQ_DESC_F_WRITE, 0);
	post(f, 0);
}

static void bad_straddles_end(struct fx *f)
{
	live(f, 8, 0);
	td_desc(&f->t, 0, 0, TD_RAM_GPA + TD_RAM_SIZE - 8, 16, VQ_DESC_F_WRITE, 0);
	post(f, 0);
}

static void bad_len_wraps(struct fx *f)
{
	live(f, 8, 0);
	td_desc(&f->t, 0, 0, UINT64_MAX - 7, 0xffffffff, VQ_DESC_F_WRITE, 0);
	post(f, 0);
}

static void bad_loop(struct fx *f)
{
	live(f, 8, 0);
	td_desc(&f->t, 0, 0, TD_BUF, 8, VQ_DESC_F_WRITE | VQ_DESC_F_NEXT, 1);
	td_desc(&f->t, 0, 1, TD_BUF, 8, VQ_DESC_F_WRITE | VQ_DESC_F_NEXT, 0);
	post(f, 0);
}

static void bad_self_loop(struct fx *f)
{
	live(f, 8, 0);
	td_desc(&f->t, 0, 3, TD_BUF, 8, VQ_DESC_F_WRITE | VQ_DESC_F_NEXT, 3);
	post(f, 3);
}

static void bad_next_past_end(struct fx *f)
{
	live(f, 8, 0);
	td_desc(&f->t, 0, 0, TD_BUF, 8, VQ_DESC_F_WRITE | VQ_DESC_F_NEXT, 8);
	post(f, 0);
}

static void bad_head_past_end(struct fx *f)
{
	live(f, 8, 0);
	post(f, 8);
}

static void bad_avail_jump(struct fx *f)
{
	live(f, 8, 0);
	td_set_avail_idx(&f->t, 0, 9);
	td_notify(f->d, 0);
}

static void bad_avail_backwards(struct fx *f)
{
	live(f, 8, 0);
	td_set_avail_idx(&f->t, 0, 0xffff);
	td_notify(f->d, 0);
}

static void bad_readable_after_writable(struct fx *f)
{
	live(f, 8, 0);
	td_desc(&f->t, 0, 0, TD_BUF, 8, VQ_DESC_F_WRITE | VQ_DESC_F_NEXT, 1);
	td_desc(&f->t, 0, 1, TD_BUF, 8, VQ_DESC_F_NEXT * 0, 0);
	post(f, 0);
}

static void bad_indirect_not_negotiated(struct fx *f)
{
	live(f, 8, 0);
	td_desc_at(&f->t, TD_BUF, 0, TD_BUF + 0x1000, 8, VQ_DESC_F_WRITE, 0);
	td_desc(&f->t, 0, 0, TD_BUF, 16, VQ_DESC_F_INDIRECT, 0);
	post(f, 0);
}

static void bad_indirect_nested(struct fx *f)
{
	live(f, 8, F_INDIRECT);
	td_desc_at(&f->t, TD_BUF, 0, TD_BUF + 0x1000, 16, VQ_DESC_F_INDIRECT, 0);
	td_desc(&f->t, 0, 0, TD_BUF, 16, VQ_DESC_F_INDIRECT, 0);
	post(f, 0);
}

static void bad_indirect_and_next(struct fx *f)
{
	live(f, 8, F_INDIRECT);
	td_desc_at(&f->t, TD_BUF, 0, TD_BUF + 0x1000, 8, VQ_DESC_F_WRITE, 0);
	td_desc(&f->t, 0, 0, TD_BUF, 16, VQ_DESC_F_INDIRECT | VQ_DESC_F_NEXT, 1);
	post(f, 0);
}

static void bad_indirect_len(struct fx *f)
{
	live(f, 8, F_INDIRECT);
	td_desc(&f->t, 0, 0, TD_BUF, 24, VQ_DESC_F_INDIRECT, 0);
	post(f, 0);
}

static void bad_indirect_outside(struct fx *f)
{
	live(f, 8, F_INDIRECT);
	td_desc(&f->t, 0, 0, TD_RAM_GPA + TD_RAM_SIZE - 16, 32, VQ_DESC_F_INDIRECT, 0);
	post(f, 0);
}

static void bad_indirect_loop(struct fx *f)
{
	live(f, 8, F_INDIRECT);
	td_desc_at(&f->t, TD_BUF, 0, TD_BUF + 0x1000, 8, VQ_DESC_F_WRITE | VQ_DESC_F_NEXT, 1);
	td_desc_at(&f->t, TD_BUF, 1, TD_BUF + 0x1000, 8, VQ_DESC_F_WRITE | VQ_DESC_F_NEXT, 0);
	td_desc(&f->t, 0, 0, TD_BUF, 32, VQ_DESC_F_INDIRECT, 0);
	post(f, 0);
}

static void bad_too_long(struct fx *f)
{
	uint16_t n = VQ_ELEM_SEGS + 44;

	live(f, 8, F_INDIRECT);
	for (uint16_t i = 0; i < n; i++)
		td_desc_at(&f->t, TD_BUF, i, TD_BUF + 0x10000, 1,
			   VQ_DESC_F_WRITE | (i + 1 < n ? VQ_DESC_F_NEXT : 0), (uint16_t)(i + 1));
	td_desc(&f->t, 0, 0, TD_BUF, 16u * n, VQ_DESC_F_INDIRECT, 0);
	post(f, 0);
}

static void bad_size_too_big(struct fx *f)
{
	td_features(f->d, F_V1);
	td_queue(&f->t, f->d, 0, VQ_NUM_MAX * 2);
}

static void bad_size_not_pow2(struct fx *f)
{
	td_features(f->d, F_V1);
	td_queue(&f->t, f->d, 0, 3);
}

static void bad_size_zero(struct fx *f)
{
	td_features(f->d, F_V1);
	td_queue(&f->t, f->d, 0, 0);
}

static void bad_ring_outside(struct fx *f)
{
	td_features(f->d, F_V1);
	td_wr(f->d, 0x030, 0);
	td_wr(f->d, 0x038, 8);
	td_wr(f->d, 0x0a0, (uint32_t)(TD_RAM_GPA + TD_RAM_SIZE - 16));
	td_wr(f->d, 0x044, 1);
}

static void bad_ring_in_mmio(struct fx *f)
{
	td_features(f->d, F_V1);
	td_wr(f->d, 0x030, 0);
	td_wr(f->d, 0x038, 8);
	td_wr(f->d, 0x080, 0x09000000);
	td_wr(f->d, 0x090, (uint32_t)TD_AVAIL(0));
	td_wr(f->d, 0x0a0, (uint32_t)TD_USED(0));
	td_wr(f->d, 0x044, 1);
}

static void bad_ring_misaligned(struct fx *f)
{
	td_features(f->d, F_V1);
	td_wr(f->d, 0x030, 0);
	td_wr(f->d, 0x038, 8);
	td_wr(f->d, 0x080, (uint32_t)TD_DESC(0) + 8);
	td_wr(f->d, 0x044, 1);
}

static void bad_reconfigure_live(struct fx *f)
{
	live(f, 8, 0);
	td_wr(f->d, 0x030, 0);
	td_wr(f->d, 0x080, (uint32_t)TD_BUF);
}

static void bad_resize_live(struct fx *f)
{
	live(f, 8, 0);
	td_wr(f->d, 0x038, 4);
}

static void bad_driver_ok_early(struct fx *f)
{
	td_wr(f->d, 0x070, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
	td_wr(f->d, 0x070,
	      VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_DRIVER_OK);
}

static void bad_legacy(struct fx *f)
{
	td_features(f->d, 0);
	assert_int_equal(td_rd(f->d, 0x070) & VIRTIO_STATUS_FEATURES_OK, 0);
}

static void bad_unoffered(struct fx *f)
{
	td_features(f->d, F_V1 | (1ULL << 40));
	assert_int_equal(td_rd(f->d, 0x070) & VIRTIO_STATUS_FEATURES_OK, 0);
}

static void bad_poisoned_ring(struct fx *f)
{
	live(f, 8, 0);
	td_desc(&f->t, 0, 0, TD_BUF, 8, VQ_DESC_F_WRITE, 0);
	f->poisoned_page = TD_AVAIL(0) & ~4095ULL;
	post(f, 0);
}

static const struct bad_case bad_cases[] = {
	{ "buffer outside RAM", bad_outside_ram, "is outside guest RAM" },
	{ "buffer in MMIO", bad_into_mmio, "buffer 0x9000000+8 is outside guest RAM" },
	{ "buffer straddles RAM's end", bad_straddles_end, "is outside guest RAM" },
	{ "length wraps", bad_len_wraps, "is outside guest RAM" },
	{ "chain loops", bad_loop, "loops" },
	{ "descriptor points at itself", bad_self_loop, "loops" },
	{ "next past the table", bad_next_past_end, "next 8 is past" },
	{ "head past the table", bad_head_past_end, "names descriptor 8" },
	{ "avail index jumps", bad_avail_jump, "more than the queue size" },
	{ "avail index goes back", bad_avail_backwards, "more than the queue size" },
	{ "readable after writable", bad_readable_after_writable, "follows a device-writable" },
	{ "indirect not negotiated", bad_indirect_not_negotiated, "was not negotiated" },
	{ "nested indirect", bad_indirect_nested, "holds an indirect descriptor" },
	{ "indirect and next", bad_indirect_and_next, "both INDIRECT and NEXT" },
	{ "indirect length", bad_indirect_len, "not a non-zero multiple of 16" },
	{ "indirect table outside RAM", bad_indirect_outside, "indirect table" },
	{ "indirect chain loops", bad_indirect_loop, "loops" },
	{ "chain too long", bad_too_long, "is longer than 256" },
	{ "queue size too big", bad_size_too_big, "queue size 512 is not a power of two" },
	{ "queue size not a power of two", bad_size_not_pow2, "queue size 3" },
	{ "queue size zero", bad_size_zero, "queue size 0" },
	{ "ring outside RAM", bad_ring_outside, "are not all in guest RAM" },
	{ "ring in MMIO", bad_ring_in_mmio, "are not all in guest RAM" },
	{ "ring misaligned", bad_ring_misaligned, "misaligned" },
	{ "queue reconfigured live", bad_reconfigure_live,
	  "reconfigured while live (register 0x080)" },
	{ "queue resized live", bad_resize_live, "reconfigured while live (register 0x038)" },
	{ "DRIVER_OK before FEATURES_OK", bad_driver_ok_early, "DRIVER_OK without FEATURES_OK" },
	{ "legacy driver", bad_legacy, "lack VIRTIO_F_VERSION_1" },
	{ "unoffered feature", bad_unoffered, "never offered" },
	{ "ring in a poisoned page", bad_poisoned_ring, "poisoned page (gpa 0x40004000)" },
};

static void test_malformed(void **state)
{
	struct fx *f = *state;

	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *c = &bad_cases[i];
		uint16_t used_before;
		const char *out;

		f->t.irqs = 0;
		f->poisoned_page = 0;
		atomic_store(&f->d->reports, 0);
		capture_begin(f);
		c->step(f);
		out = capture_end(f);
		if (!(td_rd(f->d, 0x070) & VIRTIO_STATUS_NEEDS_RESET))
			fail_msg("%s: the device is not marked DEVICE_NEEDS_RESET", c->name);
		if (!strstr(out, c->want) || !strstr(out, "virtio-rng: the guest's driver broke"))
			fail_msg("%s: the report '%s' lacks '%s'", c->name, out, c->want);
		if (lines(out) != 1)
			fail_msg("%s: want one report line, got '%s'", c->name, out);
		assert_true(td_rd(f->d, 0x060) & VIRTIO_ISR_CONFIG);
		assert_true(f->t.irqs >= 1);
		/* Broken, it does nothing more: a new request stays unserved, silently. */
		used_before = td_used_idx(&f->t, 0);
		capture_begin(f);
		td_desc(&f->t, 0, 1, TD_BUF, 8, VQ_DESC_F_WRITE, 0);
		td_avail(&f->t, 0, 1);
		td_notify(f->d, 0);
		out = capture_end(f);
		assert_string_equal(out, "");
		assert_int_equal(td_used_idx(&f->t, 0), used_before);
		/* A reset brings it back. */
		f->poisoned_page = 0;
		td_wr(f->d, 0x070, 0);
		assert_int_equal(td_rd(f->d, 0x070), 0);
		assert_int_equal(td_rd(f->d, 0x060), 0);
		live(f, 8, 0);
		expect_served(f, 0, 32);
		td_wr(f->d, 0x070, 0);
	}
}

/* A driver that breaks the device again and again fills no log. */
static void test_reports_bounded(void **state)
{
	struct fx *f = *state;
	const char *out;

	capture_begin(f);
	for (int i = 0; i < 3 * VIRTIO_REPORTS_MAX; i++) {
		bad_head_past_end(f);
		td_wr(f->d, 0x070, 0);
	}
	out = capture_end(f);
	assert_int_equal(lines(out), VIRTIO_REPORTS_MAX);
	assert_non_null(strstr(out, "(further reports of this device suppressed)"));
	/* Still marked every time. */
	bad_head_past_end(f);
	assert_true(td_rd(f->d, 0x070) & VIRTIO_STATUS_NEEDS_RESET);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_identity_and_features, setup, teardown),
		cmocka_unit_test_setup_teardown(test_requests_and_chains, setup, teardown),
		cmocka_unit_test_setup_teardown(test_indirect, setup, teardown),
		cmocka_unit_test_setup_teardown(test_event_idx, setup, teardown),
		cmocka_unit_test_setup_teardown(test_notify_before_driver_ok, setup, teardown),
		cmocka_unit_test_setup_teardown(test_malformed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reports_bounded, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
