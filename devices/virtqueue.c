// SPDX-License-Identifier: GPL-2.0-only
#include "virtqueue.h"

#include <endian.h>
#include <errno.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

/* Ring layout (VIRTIO 1.x 2.7): offsets of the fields the device touches. */
#define VQ_DESC_SIZE	   16
#define VQ_AVAIL_IDX	   2
#define VQ_AVAIL_RING	   4
#define VQ_USED_FLAGS	   0
#define VQ_USED_IDX	   2
#define VQ_USED_RING	   4
#define VQ_USED_ELEM_SIZE  8
#define VQ_AVAIL_SIZE(num) (6 + 2 * (uint64_t)(num))
#define VQ_USED_SIZE(num)  (6 + 8 * (uint64_t)(num))

struct vq_desc_raw {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

static int vq_fail(struct virtq *q, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int vq_fail(struct virtq *q, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(q->err, sizeof(q->err), fmt, ap);
	va_end(ap);
	return -EPROTO;
}

/* A ring access: the ring was checked to be in RAM, so only poison can fail it. */
static int vq_ring_copy(struct virtq *q, uint64_t gpa, void *buf, size_t len, bool write)
{
	uint64_t bad = 0;
	int ret = write ? guest_copy_to(q->ram, gpa, buf, len, &bad)
			: guest_copy_from(q->ram, gpa, buf, len, &bad);

	if (ret == -EHWPOISON)
		snprintf(q->err, sizeof(q->err),
			 "its ring or descriptor table is in a poisoned page (gpa 0x%llx)",
			 (unsigned long long)bad);
	else if (ret)
		return vq_fail(q, "ring access at 0x%llx is outside guest RAM",
			       (unsigned long long)gpa);
	return ret;
}

static int vq_rd16(struct virtq *q, uint64_t gpa, uint16_t *v)
{
	uint16_t raw;
	int ret = vq_ring_copy(q, gpa, &raw, sizeof(raw), false);

	*v = ret ? 0 : le16toh(raw);
	return ret;
}

static int vq_wr16(struct virtq *q, uint64_t gpa, uint16_t v)
{
	uint16_t raw = htole16(v);

	return vq_ring_copy(q, gpa, &raw, sizeof(raw), true);
}

void vq_reset(struct virtq *q)
{
	memset(q, 0, sizeof(*q));
}

int vq_start(struct virtq *q, const struct guest_ram *ram, uint16_t max, bool event_idx,
	     bool indirect)
{
	uint16_t n = q->num;

	q->ready = false;
	if (!n || n > max || (n & (n - 1)))
		return vq_fail(q, "queue size %u is not a power of two from 1 to %u", n, max);
	if (q->desc % 16 || q->avail % 2 || q->used % 4)
		return vq_fail(q,
			       "ring addresses desc 0x%llx avail 0x%llx used 0x%llx are misaligned",
			       (unsigned long long)q->desc, (unsigned long long)q->avail,
			       (unsigned long long)q->used);
	if (!guest_ram_contains(ram, q->desc, VQ_DESC_SIZE * (uint64_t)n) ||
	    !guest_ram_contains(ram, q->avail, VQ_AVAIL_SIZE(n)) ||
	    !guest_ram_contains(ram, q->used, VQ_USED_SIZE(n)))
		return vq_fail(q,
			       "rings desc 0x%llx avail 0x%llx used 0x%llx (size %u) are not all "
			       "in guest RAM",
			       (unsigned long long)q->desc, (unsigned long long)q->avail,
			       (unsigned long long)q->used, n);
	q->ram = ram;
	q->event_idx = event_idx;
	q->indirect = indirect;
	q->last_avail = q->used_idx = q->signalled_used = 0;
	q->signalled_valid = false;
	q->err[0] = '\0';
	q->ready = true;
	return 0;
}

static int vq_read_desc(struct virtq *q, uint64_t table, uint32_t i, struct vq_desc_raw *d)
{
	int ret = vq_ring_copy(q, table + (uint64_t)i * VQ_DESC_SIZE, d, sizeof(*d), false);

	if (ret)
		return ret;
	d->addr = le64toh(d->addr);
	d->len = le32toh(d->len);
	d->flags = le16toh(d->flags);
	d->next = le16toh(d->next);
	return 0;
}

/* The indirect descriptor d: checked, it becomes the table the chain goes on in. */
static int vq_enter_indirect(struct virtq *q, uint32_t i, const struct vq_desc_raw *d, bool nested)
{
	if (!q->indirect)
		return vq_fail(q,
			       "descriptor %u is indirect, but VIRTIO_RING_F_INDIRECT_DESC was "
			       "not negotiated",
			       i);
	if (nested)
		return vq_fail(q, "an indirect table holds an indirect descriptor (%u)", i);
	if (d->flags & VQ_DESC_F_NEXT)
		return vq_fail(q, "descriptor %u is both INDIRECT and NEXT", i);
	if (!d->len || d->len % VQ_DESC_SIZE)
		return vq_fail(q,
			       "descriptor %u: indirect table length %u is not a non-zero "
			       "multiple of 16",
			       i, d->len);
	if (!guest_ram_contains(q->ram, d->addr, d->len))
		return vq_fail(q, "descriptor %u: indirect table 0x%llx+%u is outside guest RAM", i,
			       (unsigned long long)d->addr, d->len);
	return 0;
}

/*
 * Walks the chain from head into e. Bounded: at most VQ_ELEM_SEGS
 * descriptors are taken, and a chain longer than its table loops.
 */
static int vq_walk(struct virtq *q, uint16_t head, struct vq_elem *e)
{
	uint64_t table = q->desc;
	uint32_t tsize = q->num, i = head, seen = 0;
	bool indirect = false;
	struct vq_desc_raw d;
	unsigned int n = 0;
	int ret;

	e->head = head;
	e->nr_out = e->nr_in = 0;
	e->out_bytes = e->in_bytes = 0;
	for (;;) {
		if (seen++ >= tsize)
			return vq_fail(q,
				       "the descriptor chain from head %u loops (more than %u "
				       "descriptors in a table of %u)",
				       head, tsize, tsize);
		ret = vq_read_desc(q, table, i, &d);
		if (ret)
			return ret;
		if (d.flags & VQ_DESC_F_INDIRECT) {
			ret = vq_enter_indirect(q, i, &d, indirect);
			if (ret)
				return ret;
			table = d.addr;
			tsize = d.len / VQ_DESC_SIZE;
			i = 0;
			seen = 0;
			indirect = true;
			continue;
		}
		if (!guest_ram_contains(q->ram, d.addr, d.len))
			return vq_fail(q, "descriptor %u: buffer 0x%llx+%u is outside guest RAM", i,
				       (unsigned long long)d.addr, d.len);
		if (n == VQ_ELEM_SEGS)
			return vq_fail(q, "the descriptor chain from head %u is longer than %u",
				       head, VQ_ELEM_SEGS);
		if (d.flags & VQ_DESC_F_WRITE) {
			e->nr_in++;
			e->in_bytes += d.len;
		} else {
			if (e->nr_in)
				return vq_fail(q,
					       "descriptor %u is device-readable but follows a "
					       "device-writable one",
					       i);
			e->nr_out++;
			e->out_bytes += d.len;
		}
		e->seg[n++] = (struct vq_seg){ .gpa = d.addr, .len = d.len };
		if (!(d.flags & VQ_DESC_F_NEXT))
			return 0;
		if (d.next >= tsize)
			return vq_fail(q, "descriptor %u: next %u is past the table's %u entries",
				       i, d.next, tsize);
		i = d.next;
	}
}

int vq_pop(struct virtq *q, struct vq_elem *e)
{
	uint16_t avail_idx, head, pending;
	int ret;

	if (!q->ready)
		return 0;
	ret = vq_rd16(q, q->avail + VQ_AVAIL_IDX, &avail_idx);
	if (ret)
		return ret;
	pending = (uint16_t)(avail_idx - q->last_avail);
	if (pending > q->num)
		return vq_fail(q,
			       "available index %u is %u entries ahead of the device's %u, "
			       "more than the queue size %u",
			       avail_idx, pending, q->last_avail, q->num);
	if (!pending)
		return 0;
	/* The entry and its descriptors were written before the index. */
	atomic_thread_fence(memory_order_acquire);
	ret = vq_rd16(q, q->avail + VQ_AVAIL_RING + 2 * (uint64_t)(q->last_avail & (q->num - 1)),
		      &head);
	if (ret)
		return ret;
	if (head >= q->num)
		return vq_fail(q, "available entry %u names descriptor %u, past the queue size %u",
			       q->last_avail, head, q->num);
	ret = vq_walk(q, head, e);
	if (ret)
		return ret;
	q->last_avail++;
	return 1;
}

void vq_unpop(struct virtq *q)
{
	q->last_avail--;
}

int vq_push(struct virtq *q, uint16_t head, uint32_t len)
{
	uint32_t elem[2] = { htole32(head), htole32(len) };
	uint64_t at =
		q->used + VQ_USED_RING + VQ_USED_ELEM_SIZE * (uint64_t)(q->used_idx & (q->num - 1));
	int ret = vq_ring_copy(q, at, elem, sizeof(elem), true);

	if (ret)
		return ret;
	/* The entry before the index that publishes it. */
	atomic_thread_fence(memory_order_release);
	q->used_idx++;
	return vq_wr16(q, q->used + VQ_USED_IDX, q->used_idx);
}

/* VIRTIO 1.x 2.7.10: has new_idx passed event since old? */
static bool vq_need_event(uint16_t event, uint16_t new_idx, uint16_t old)
{
	return (uint16_t)(new_idx - event - 1) < (uint16_t)(new_idx - old);
}

int vq_need_interrupt(struct virtq *q)
{
	uint16_t v, old = q->signalled_used;
	bool valid = q->signalled_valid;
	int ret;

	/* The used index is visible before the driver's suppression is read. */
	atomic_thread_fence(memory_order_seq_cst);
	if (!q->event_idx) {
		ret = vq_rd16(q, q->avail, &v);
		return ret ? ret : !(v & VQ_AVAIL_F_NO_INTERRUPT);
	}
	ret = vq_rd16(q, q->avail + VQ_AVAIL_RING + 2 * (uint64_t)q->num, &v);
	if (ret)
		return ret;
	q->signalled_used = q->used_idx;
	q->signalled_valid = true;
	return !valid || vq_need_event(v, q->used_idx, old);
}

int vq_disable_notify(struct virtq *q)
{
	/* With event index the stale avail_event already keeps the driver quiet. */
	if (q->event_idx)
		return 0;
	return vq_wr16(q, q->used + VQ_USED_FLAGS, VQ_USED_F_NO_NOTIFY);
}

int vq_enable_notify(struct virtq *q)
{
	uint16_t avail_idx;
	int ret;

	if (!q->ready)
		return 0;
	if (q->event_idx)
		ret = vq_wr16(q, q->used + VQ_USED_RING + VQ_USED_ELEM_SIZE * (uint64_t)q->num,
			      q->last_avail);
	else
		ret = vq_wr16(q, q->used + VQ_USED_FLAGS, 0);
	if (ret)
		return ret;
	/* The request for notification is visible before the index is read again. */
	atomic_thread_fence(memory_order_seq_cst);
	ret = vq_rd16(q, q->avail + VQ_AVAIL_IDX, &avail_idx);
	if (ret)
		return ret;
	return avail_idx != q->last_avail;
}

/* Copies between buf and bytes [off, off+len) of the segments first..first+nr. */
static int vq_copy_segs(struct virtq *q, const struct vq_elem *e, unsigned int first,
			unsigned int nr, uint64_t total, uint64_t off, uint8_t *buf, size_t len,
			bool to_guest)
{
	uint64_t bad;
	int ret;

	if (off > total || len > total - off)
		return -EMSGSIZE;
	for (unsigned int s = first; s < first + nr && len; s++) {
		const struct vq_seg *sg = &e->seg[s];
		size_t n;

		if (off >= sg->len) {
			off -= sg->len;
			continue;
		}
		n = sg->len - off < len ? (size_t)(sg->len - off) : len;
		ret = to_guest ? guest_copy_to(q->ram, sg->gpa + off, buf, n, &bad)
			       : guest_copy_from(q->ram, sg->gpa + off, buf, n, &bad);
		if (ret)
			return ret;
		buf += n;
		len -= n;
		off = 0;
	}
	return 0;
}

int vq_read(struct virtq *q, const struct vq_elem *e, uint64_t off, void *dst, size_t len)
{
	return vq_copy_segs(q, e, 0, e->nr_out, e->out_bytes, off, dst, len, false);
}

int vq_write(struct virtq *q, const struct vq_elem *e, uint64_t off, const void *src, size_t len)
{
	return vq_copy_segs(q, e, e->nr_out, e->nr_in, e->in_bytes, off, (uint8_t *)src, len, true);
}
