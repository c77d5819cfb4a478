/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A minimal virtio driver for the unit tests: guest RAM built in the test,
 * split rings laid out in it, and register accesses through the transport's
 * mmio_access_fn, as a guest's driver makes them. It also writes what no
 * proper driver would, for the malformed cases. Include after <cmocka.h>.
 */
#ifndef SEAVMM_TEST_VIRTIO_DRIVER_H
#define SEAVMM_TEST_VIRTIO_DRIVER_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../devices/virtio_mmio.h"
#include "../../vmm/core/guest_copy.h"

#define TD_RAM_GPA  0x40000000ULL
#define TD_RAM_SIZE (1u << 20)
/* Ring areas of queue q, then buffers from TD_BUF. */
#define TD_DESC(q)  (TD_RAM_GPA + 0x10000ULL * (q))
#define TD_AVAIL(q) (TD_DESC(q) + 0x4000)
#define TD_USED(q)  (TD_DESC(q) + 0x8000)
#define TD_BUF	    (TD_RAM_GPA + 0x80000)

struct td {
	struct guest_memory mem;
	struct guest_ram ram;
	uint8_t *hva;
	int irqs;
	uint16_t num[VIRTIO_QUEUES_MAX];
	uint16_t avail_idx[VIRTIO_QUEUES_MAX];
	uint16_t used_seen[VIRTIO_QUEUES_MAX];
};

static inline void td_init(struct td *t)
{
	memset(t, 0, sizeof(*t));
	t->hva = aligned_alloc(4096, TD_RAM_SIZE);
	memset(t->hva, 0, TD_RAM_SIZE);
	t->mem.regions[0] =
		(struct mem_region){ .gpa = TD_RAM_GPA, .size = TD_RAM_SIZE, .hva = t->hva };
	t->mem.nr = 1;
	t->ram = (struct guest_ram){ .mem = &t->mem, .device = "test" };
}

static inline void td_free(struct td *t)
{
	free(t->hva);
}

static inline void *td_ptr(struct td *t, uint64_t gpa)
{
	return t->hva + (gpa - TD_RAM_GPA);
}

static inline void td_irq(void *ctx)
{
	((struct td *)ctx)->irqs++;
}

static inline uint32_t td_rd(struct virtio_dev *d, uint64_t off)
{
	uint32_t v;

	virtio_mmio_access(d, off, (uint8_t *)&v, 4, false);
	return v;
}

static inline void td_wr(struct virtio_dev *d, uint64_t off, uint32_t v)
{
	virtio_mmio_access(d, off, (uint8_t *)&v, 4, true);
}

/* Negotiates VERSION_1 | extra (low word bits of the device too). */
static inline void td_features(struct virtio_dev *d, uint64_t want)
{
	td_wr(d, 0x070, 0);
	td_wr(d, 0x070, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
	td_wr(d, 0x024, 0);
	td_wr(d, 0x020, (uint32_t)want);
	td_wr(d, 0x024, 1);
	td_wr(d, 0x020, (uint32_t)(want >> 32));
	td_wr(d, 0x070,
	      VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK);
}

/* Fresh zeroed rings for queue q, as a driver allocates them, then QueueReady. */
static inline void td_queue(struct td *t, struct virtio_dev *d, unsigned int q, uint16_t num)
{
	memset(td_ptr(t, TD_DESC(q)), 0, 0x10000);
	td_wr(d, 0x030, q);
	td_wr(d, 0x038, num);
	td_wr(d, 0x080, (uint32_t)TD_DESC(q));
	td_wr(d, 0x084, 0);
	td_wr(d, 0x090, (uint32_t)TD_AVAIL(q));
	td_wr(d, 0x094, 0);
	td_wr(d, 0x0a0, (uint32_t)TD_USED(q));
	td_wr(d, 0x0a4, 0);
	td_wr(d, 0x044, 1);
	t->num[q] = num;
	t->avail_idx[q] = 0;
	t->used_seen[q] = 0;
}

static inline void td_driver_ok(struct virtio_dev *d)
{
	td_wr(d, 0x070,
	      VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK |
		      VIRTIO_STATUS_DRIVER_OK);
}

static inline void td_desc(struct td *t, unsigned int q, uint16_t i, uint64_t addr, uint32_t len,
			   uint16_t flags, uint16_t next)
{
	uint8_t *p = td_ptr(t, TD_DESC(q) + 16ULL * i);

	memcpy(p, &addr, 8);
	memcpy(p + 8, &len, 4);
	memcpy(p + 12, &flags, 2);
	memcpy(p + 14, &next, 2);
}

/* An entry in a descriptor table anywhere in RAM (indirect tables). */
static inline void td_desc_at(struct td *t, uint64_t table, uint16_t i, uint64_t addr, uint32_t len,
			      uint16_t flags, uint16_t next)
{
	uint8_t *p = td_ptr(t, table + 16ULL * i);

	memcpy(p, &addr, 8);
	memcpy(p + 8, &len, 4);
	memcpy(p + 12, &flags, 2);
	memcpy(p + 14, &next, 2);
}

/* Makes head available and publishes the new index (no notification). */
static inline void td_avail(struct td *t, unsigned int q, uint16_t head)
{
	uint16_t *ring = td_ptr(t, TD_AVAIL(q) + 4);

	ring[t->num[q] ? t->avail_idx[q] % t->num[q] : 0] = head;
	t->avail_idx[q]++;
	memcpy(td_ptr(t, TD_AVAIL(q) + 2), &t->avail_idx[q], 2);
}

static inline void td_set_avail_idx(struct td *t, unsigned int q, uint16_t idx)
{
	t->avail_idx[q] = idx;
	memcpy(td_ptr(t, TD_AVAIL(q) + 2), &idx, 2);
}

static inline void td_notify(struct virtio_dev *d, unsigned int q)
{
	td_wr(d, 0x050, q);
}

static inline uint16_t td_used_idx(struct td *t, unsigned int q)
{
	uint16_t v;

	memcpy(&v, td_ptr(t, TD_USED(q) + 2), 2);
	return v;
}

/* The used entry n of queue q: id and len. */
static inline void td_used(struct td *t, unsigned int q, uint16_t n, uint32_t *id, uint32_t *len)
{
	uint8_t *p = td_ptr(t, TD_USED(q) + 4 + 8ULL * (t->num[q] ? n % t->num[q] : 0));

	memcpy(id, p, 4);
	memcpy(len, p + 4, 4);
}

/* used_event in the avail ring (event index). */
static inline void td_used_event(struct td *t, unsigned int q, uint16_t v)
{
	memcpy(td_ptr(t, TD_AVAIL(q) + 4 + 2ULL * t->num[q]), &v, 2);
}

static inline uint16_t td_avail_event(struct td *t, unsigned int q)
{
	uint16_t v;

	memcpy(&v, td_ptr(t, TD_USED(q) + 4 + 8ULL * t->num[q]), 2);
	return v;
}

#endif
