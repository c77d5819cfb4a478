// SPDX-License-Identifier: GPL-2.0-only
#include "virtio_mmio.h"

#include <endian.h>
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "util.h"

/* Register offsets (VIRTIO 1.x 4.2.2). */
enum {
	VM_MAGIC = 0x000,
	VM_VERSION = 0x004,
	VM_DEVICE_ID = 0x008,
	VM_VENDOR_ID = 0x00c,
	VM_DEVICE_FEATURES = 0x010,
	VM_DEVICE_FEATURES_SEL = 0x014,
	VM_DRIVER_FEATURES = 0x020,
	VM_DRIVER_FEATURES_SEL = 0x024,
	VM_QUEUE_SEL = 0x030,
	VM_QUEUE_NUM_MAX = 0x034,
	VM_QUEUE_NUM = 0x038,
	VM_QUEUE_READY = 0x044,
	VM_QUEUE_NOTIFY = 0x050,
	VM_INTERRUPT_STATUS = 0x060,
	VM_INTERRUPT_ACK = 0x064,
	VM_STATUS = 0x070,
	VM_QUEUE_DESC_LOW = 0x080,
	VM_QUEUE_DESC_HIGH = 0x084,
	VM_QUEUE_DRIVER_LOW = 0x090,
	VM_QUEUE_DRIVER_HIGH = 0x094,
	VM_QUEUE_DEVICE_LOW = 0x0a0,
	VM_QUEUE_DEVICE_HIGH = 0x0a4,
	VM_SHM_SEL = 0x0ac,
	VM_SHM_LEN_LOW = 0x0b0,
	VM_SHM_LEN_HIGH = 0x0b4,
	VM_SHM_BASE_LOW = 0x0b8,
	VM_SHM_BASE_HIGH = 0x0bc,
	VM_CONFIG_GENERATION = 0x0fc,
};

#define VIRTIO_MMIO_MAGIC  0x74726976 /* "virt" */
#define VIRTIO_MMIO_VENDOR 0x76616573 /* "seav" */

/* Requests for the I/O thread (d->ctl). */
#define VIRTIO_CTL_STOP	     0x1
#define VIRTIO_CTL_DRIVER_OK 0x2
#define VIRTIO_CTL_WAKE	     0x4
#define VIRTIO_CTL_REPOLL    0x8

/* What every device gets from the transport. */
#define VIRTIO_TRANSPORT_FEATURES                                           \
	((1ULL << VIRTIO_F_VERSION_1) | (1ULL << VIRTIO_RING_F_EVENT_IDX) | \
	 (1ULL << VIRTIO_RING_F_INDIRECT_DESC))

int virtio_dev_init(struct virtio_dev *d, const struct virtio_dev_ops *ops, const char *name,
		    unsigned int nr_queues, uint64_t features, const struct guest_ram *ram,
		    bool threaded)
{
	if (nr_queues > VIRTIO_QUEUES_MAX)
		return -EINVAL;
	d->ops = ops;
	snprintf(d->name, sizeof(d->name), "%s", name);
	d->nr_queues = nr_queues;
	d->features = features | VIRTIO_TRANSPORT_FEATURES;
	d->ram = *ram;
	d->ram.device = d->name;
	d->threaded = threaded;
	d->ctl_fd = -1;
	for (unsigned int q = 0; q < VIRTIO_QUEUES_MAX; q++)
		d->notify_fd[q] = -1;
	pthread_mutex_init(&d->lock, NULL);
	pthread_mutex_init(&d->io_lock, NULL);
	if (!threaded)
		return 0;
	d->ctl_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (d->ctl_fd < 0)
		return -errno;
	for (unsigned int q = 0; q < nr_queues; q++) {
		d->notify_fd[q] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (d->notify_fd[q] < 0)
			return -errno;
	}
	return 0;
}

static void virtio_signal(struct virtio_dev *d, uint32_t bits)
{
	atomic_fetch_or(&d->isr, bits);
	if (d->raise_irq)
		d->raise_irq(d->irq_ctx);
}

bool virtio_dev_queue_live(struct virtio_dev *d, unsigned int q)
{
	uint32_t s = atomic_load(&d->status);

	return q < d->nr_queues && (s & VIRTIO_STATUS_DRIVER_OK) &&
	       !(s & (VIRTIO_STATUS_NEEDS_RESET | VIRTIO_STATUS_FAILED)) && d->vq[q].ready;
}

void virtio_dev_fail(struct virtio_dev *d, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	unsigned int n;

	if (atomic_exchange(&d->broken, true))
		return;
	atomic_fetch_or(&d->status, VIRTIO_STATUS_NEEDS_RESET);
	n = atomic_fetch_add(&d->reports, 1);
	if (n < VIRTIO_REPORTS_MAX) {
		va_start(ap, fmt);
		vsnprintf(msg, sizeof(msg), fmt, ap);
		va_end(ap);
		pr_err("%s: the guest's driver broke the rules: %s; the device needs a reset "
		       "(DEVICE_NEEDS_RESET) and does nothing until the driver resets it%s",
		       d->name, msg,
		       n + 1 == VIRTIO_REPORTS_MAX ? " (further reports of this device suppressed)"
						   : "");
	}
	virtio_signal(d, VIRTIO_ISR_CONFIG);
}

void virtio_dev_queue_error(struct virtio_dev *d, unsigned int q, int err)
{
	if (err == -EHWPOISON)
		virtio_dev_fail(d, "queue %u: %s", q, d->vq[q].err);
	else
		virtio_dev_fail(d, "queue %u: %s", q,
				d->vq[q].err[0] ? d->vq[q].err : strerror(-err));
}

void virtio_dev_used(struct virtio_dev *d, unsigned int q)
{
	int ret = vq_need_interrupt(&d->vq[q]);

	if (ret < 0)
		virtio_dev_queue_error(d, q, ret);
	else if (ret)
		virtio_signal(d, VIRTIO_ISR_USED);
}

void virtio_dev_serve(struct virtio_dev *d, unsigned int qi, struct vq_elem *e, virtio_req_fn fn)
{
	struct virtq *q = &d->vq[qi];
	bool pushed = false;
	int ret;

	for (;;) {
		ret = vq_disable_notify(q);
		while (ret >= 0 && (ret = vq_pop(q, e)) == 1) {
			uint32_t written = 0;

			if (fn(d, q, e, &written) < 0)
				return;
			ret = vq_push(q, e->head, written);
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

void virtio_config_copy(const void *cfg, size_t size, uint32_t off, uint8_t *data, uint32_t len)
{
	if (off < size && len <= size - off)
		memcpy(data, (const uint8_t *)cfg + off, len);
}

void virtio_dev_config_changed(struct virtio_dev *d)
{
	atomic_fetch_add(&d->config_gen, 1);
	virtio_signal(d, VIRTIO_ISR_CONFIG);
}

static void virtio_ctl(struct virtio_dev *d, unsigned int what)
{
	uint64_t one = 1;

	atomic_fetch_or(&d->ctl, what);
	if (d->ctl_fd >= 0 && write(d->ctl_fd, &one, sizeof(one)) < 0) {
		/* Only a saturated counter fails, and the thread wakes for that too. */
	}
}

/* The I/O thread may be waiting with the old set: have it look again. */
static void virtio_repoll(struct virtio_dev *d)
{
	if (d->thread_live && !pthread_equal(pthread_self(), d->thread))
		virtio_ctl(d, VIRTIO_CTL_REPOLL);
}

int virtio_dev_add_fd(struct virtio_dev *d, int fd, short events)
{
	if (d->nr_fds == VIRTIO_DEV_FDS_MAX)
		return -ENOSPC;
	d->fds[d->nr_fds].fd = fd;
	d->fds[d->nr_fds].events = events;
	virtio_repoll(d);
	return (int)d->nr_fds++;
}

void virtio_dev_fd_set(struct virtio_dev *d, unsigned int slot, int fd, short events)
{
	if (slot >= d->nr_fds || (d->fds[slot].fd == fd && d->fds[slot].events == events))
		return;
	d->fds[slot].fd = fd;
	d->fds[slot].events = events;
	virtio_repoll(d);
}

/* io_lock held: DRIVER_OK came, every ready queue gets one look. */
static void virtio_driver_ok_work(struct virtio_dev *d)
{
	if (d->ops->driver_ok)
		d->ops->driver_ok(d);
	for (unsigned int q = 0; q < d->nr_queues; q++)
		if (virtio_dev_queue_live(d, q) && d->ops->queue_notify)
			d->ops->queue_notify(d, q);
}

void virtio_dev_wake(struct virtio_dev *d)
{
	if (d->threaded) {
		virtio_ctl(d, VIRTIO_CTL_WAKE);
		return;
	}
	pthread_mutex_lock(&d->io_lock);
	if (d->ops->wake)
		d->ops->wake(d);
	pthread_mutex_unlock(&d->io_lock);
}

/* p: what the thread polled, with nfds device descriptors after the queues'. */
static void virtio_io_round(struct virtio_dev *d, const struct pollfd *p, unsigned int nfds,
			    unsigned int ctl)
{
	unsigned int nq = d->nr_queues;
	uint64_t cnt;

	pthread_mutex_lock(&d->io_lock);
	if (ctl & VIRTIO_CTL_DRIVER_OK)
		virtio_driver_ok_work(d);
	if ((ctl & VIRTIO_CTL_WAKE) && d->ops->wake)
		d->ops->wake(d);
	for (unsigned int q = 0; q < nq; q++) {
		if (!(p[1 + q].revents & POLLIN))
			continue;
		if (read(d->notify_fd[q], &cnt, sizeof(cnt)) < 0) {
			/* Drained by an earlier round: nothing new. */
		}
		/* Before DRIVER_OK a notification is ignored (see the header). */
		if (virtio_dev_queue_live(d, q) && d->ops->queue_notify)
			d->ops->queue_notify(d, q);
	}
	for (unsigned int s = 0; s < nfds; s++)
		if (p[1 + nq + s].revents && d->ops->fd_event)
			d->ops->fd_event(d, s, p[1 + nq + s].revents);
	pthread_mutex_unlock(&d->io_lock);
}

static void *virtio_io_thread(void *arg)
{
	struct virtio_dev *d = arg;
	struct pollfd p[1 + VIRTIO_QUEUES_MAX + VIRTIO_DEV_FDS_MAX];
	unsigned int nq = d->nr_queues, ctl;
	uint64_t cnt;

	pthread_setname_np(pthread_self(), d->name);
	if (d->thread_start)
		d->thread_start(d);
	for (;;) {
		unsigned int n = 0, nfds;

		p[n++] = (struct pollfd){ .fd = d->ctl_fd, .events = POLLIN };
		for (unsigned int q = 0; q < nq; q++)
			p[n++] = (struct pollfd){ .fd = d->notify_fd[q], .events = POLLIN };
		/* fds[] changes only under io_lock, which this thread takes to use it. */
		pthread_mutex_lock(&d->io_lock);
		nfds = d->nr_fds;
		for (unsigned int s = 0; s < nfds; s++)
			/* With events 0 a descriptor still reports a hang-up. */
			p[n++] = (struct pollfd){ .fd = d->fds[s].fd, .events = d->fds[s].events };
		pthread_mutex_unlock(&d->io_lock);
		if (poll(p, n, -1) < 0) {
			if (errno == EINTR)
				continue;
			pr_err("%s: poll: %s; the device stops", d->name, strerror(errno));
			return NULL;
		}
		ctl = 0;
		if (p[0].revents & POLLIN) {
			if (read(d->ctl_fd, &cnt, sizeof(cnt)) < 0) {
				/* Drained already. */
			}
			ctl = atomic_exchange(&d->ctl, 0);
			if (ctl & VIRTIO_CTL_STOP)
				return NULL;
		}
		virtio_io_round(d, p, nfds, ctl);
	}
}

int virtio_dev_start(struct virtio_dev *d)
{
	int err;

	if (!d->threaded)
		return 0;
	err = pthread_create(&d->thread, NULL, virtio_io_thread, d);
	if (err)
		return -err;
	d->thread_live = true;
	return 0;
}

void virtio_dev_stop(struct virtio_dev *d)
{
	if (d->thread_live) {
		virtio_ctl(d, VIRTIO_CTL_STOP);
		pthread_join(d->thread, NULL);
		d->thread_live = false;
	}
	for (unsigned int q = 0; q < VIRTIO_QUEUES_MAX; q++) {
		if (d->notify_fd[q] >= 0)
			close(d->notify_fd[q]);
		d->notify_fd[q] = -1;
	}
	if (d->ctl_fd >= 0)
		close(d->ctl_fd);
	d->ctl_fd = -1;
}

/* io_lock and lock held. */
static void virtio_reset_locked(struct virtio_dev *d)
{
	atomic_store(&d->status, 0);
	atomic_store(&d->isr, 0);
	atomic_store(&d->broken, false);
	d->driver_features = 0;
	d->dev_feat_sel = d->drv_feat_sel = d->queue_sel = 0;
	for (unsigned int q = 0; q < VIRTIO_QUEUES_MAX; q++)
		vq_reset(&d->vq[q]);
	if (d->ops->reset)
		d->ops->reset(d);
}

void virtio_dev_reset(struct virtio_dev *d)
{
	pthread_mutex_lock(&d->io_lock);
	pthread_mutex_lock(&d->lock);
	virtio_reset_locked(d);
	pthread_mutex_unlock(&d->lock);
	pthread_mutex_unlock(&d->io_lock);
}

static uint32_t virtio_read_reg(struct virtio_dev *d, uint64_t off)
{
	struct virtq *vq = d->queue_sel < d->nr_queues ? &d->vq[d->queue_sel] : NULL;

	switch (off) {
	case VM_MAGIC:
		return VIRTIO_MMIO_MAGIC;
	case VM_VERSION:
		return 2;
	case VM_DEVICE_ID:
		return d->ops->device_id;
	case VM_VENDOR_ID:
		return VIRTIO_MMIO_VENDOR;
	case VM_DEVICE_FEATURES:
		return d->dev_feat_sel < 2 ? (uint32_t)(d->features >> (32 * d->dev_feat_sel)) : 0;
	case VM_QUEUE_NUM_MAX:
		return vq ? VQ_NUM_MAX : 0;
	case VM_QUEUE_NUM:
		return vq ? vq->num : 0;
	case VM_QUEUE_READY:
		return vq ? vq->ready : 0;
	case VM_INTERRUPT_STATUS:
		return atomic_load(&d->isr);
	case VM_STATUS:
		return atomic_load(&d->status);
	case VM_QUEUE_DESC_LOW:
		return vq ? (uint32_t)vq->desc : 0;
	case VM_QUEUE_DESC_HIGH:
		return vq ? (uint32_t)(vq->desc >> 32) : 0;
	case VM_QUEUE_DRIVER_LOW:
		return vq ? (uint32_t)vq->avail : 0;
	case VM_QUEUE_DRIVER_HIGH:
		return vq ? (uint32_t)(vq->avail >> 32) : 0;
	case VM_QUEUE_DEVICE_LOW:
		return vq ? (uint32_t)vq->used : 0;
	case VM_QUEUE_DEVICE_HIGH:
		return vq ? (uint32_t)(vq->used >> 32) : 0;
	case VM_SHM_LEN_LOW:
	case VM_SHM_LEN_HIGH:
	case VM_SHM_BASE_LOW:
	case VM_SHM_BASE_HIGH:
		return 0xffffffff; /* no shared memory regions */
	case VM_CONFIG_GENERATION:
		return atomic_load(&d->config_gen);
	default:
		return 0;
	}
}

/* FEATURES_OK: only what was offered, and always VERSION_1 (no legacy). */
static bool virtio_features_ok(struct virtio_dev *d)
{
	uint64_t extra = d->driver_features & ~d->features;

	if (!(d->driver_features & (1ULL << VIRTIO_F_VERSION_1))) {
		virtio_dev_fail(d,
				"features 0x%llx lack VIRTIO_F_VERSION_1 (a legacy driver: "
				"seavmm's virtio-mmio is version 2 only)",
				(unsigned long long)d->driver_features);
		return false;
	}
	if (extra) {
		virtio_dev_fail(d, "it accepted features 0x%llx the device never offered",
				(unsigned long long)extra);
		return false;
	}
	return true;
}

/*
 * A Status write; io_lock and lock held. Returns the I/O thread's work to
 * do (VIRTIO_CTL_DRIVER_OK) once the locks are dropped.
 */
static unsigned int virtio_write_status(struct virtio_dev *d, uint32_t v)
{
	uint32_t old = atomic_load(&d->status);
	uint32_t set = v & ~old;

	if (!v) {
		virtio_reset_locked(d);
		return 0;
	}
	v &= 0xff & ~(uint32_t)VIRTIO_STATUS_NEEDS_RESET;
	if ((set & VIRTIO_STATUS_FEATURES_OK) && !virtio_features_ok(d))
		v &= ~(uint32_t)VIRTIO_STATUS_FEATURES_OK;
	/*
	 * The device's own bit stays until a reset: virtio_dev_fail() may just
	 * have set it, here or on the I/O thread.
	 */
	old = atomic_load(&d->status);
	while (!atomic_compare_exchange_weak(&d->status, &old,
					     v | (old & VIRTIO_STATUS_NEEDS_RESET)))
		;
	v |= old & VIRTIO_STATUS_NEEDS_RESET;
	if ((set & VIRTIO_STATUS_DRIVER_OK) && !(v & VIRTIO_STATUS_FEATURES_OK)) {
		virtio_dev_fail(d, "DRIVER_OK without FEATURES_OK");
		return 0;
	}
	return (set & VIRTIO_STATUS_DRIVER_OK) ? VIRTIO_CTL_DRIVER_OK : 0;
}

static void virtio_queue_ready(struct virtio_dev *d, struct virtq *vq, uint32_t v)
{
	int ret;

	if (!v) {
		vq->ready = false;
		return;
	}
	if (vq->ready)
		return;
	ret = vq_start(vq, &d->ram, VQ_NUM_MAX, virtio_dev_has(d, VIRTIO_RING_F_EVENT_IDX),
		       virtio_dev_has(d, VIRTIO_RING_F_INDIRECT_DESC));
	if (ret)
		virtio_dev_fail(d, "queue %u: %s", d->queue_sel, vq->err);
}

/* Low or high half of a 64-bit queue address. */
static void virtio_set_half(uint64_t *reg, uint32_t v, bool high)
{
	if (high)
		*reg = (*reg & 0xffffffffULL) | ((uint64_t)v << 32);
	else
		*reg = (*reg & ~0xffffffffULL) | v;
}

/* A queue register write other than Ready: only while the queue is stopped. */
static void virtio_queue_reg(struct virtio_dev *d, struct virtq *vq, uint64_t off, uint32_t v)
{
	if (vq->ready) {
		virtio_dev_fail(d, "queue %u reconfigured while live (register 0x%03llx)",
				d->queue_sel, (unsigned long long)off);
		return;
	}
	switch (off) {
	case VM_QUEUE_NUM:
		vq->num = v > 0xffff ? 0xffff : (uint16_t)v;
		break;
	case VM_QUEUE_DESC_LOW:
	case VM_QUEUE_DESC_HIGH:
		virtio_set_half(&vq->desc, v, off == VM_QUEUE_DESC_HIGH);
		break;
	case VM_QUEUE_DRIVER_LOW:
	case VM_QUEUE_DRIVER_HIGH:
		virtio_set_half(&vq->avail, v, off == VM_QUEUE_DRIVER_HIGH);
		break;
	default:
		virtio_set_half(&vq->used, v, off == VM_QUEUE_DEVICE_HIGH);
		break;
	}
}

/* io_lock and lock held; returns work for the I/O thread (VIRTIO_CTL_*). */
static unsigned int virtio_write_reg(struct virtio_dev *d, uint64_t off, uint32_t v)
{
	struct virtq *vq = d->queue_sel < d->nr_queues ? &d->vq[d->queue_sel] : NULL;
	uint32_t s = atomic_load(&d->status);

	switch (off) {
	case VM_DEVICE_FEATURES_SEL:
		d->dev_feat_sel = v;
		return 0;
	case VM_DRIVER_FEATURES:
		/* Fixed once FEATURES_OK is set; the high word only from sel 1. */
		if (!(s & VIRTIO_STATUS_FEATURES_OK) && d->drv_feat_sel < 2)
			virtio_set_half(&d->driver_features, v, d->drv_feat_sel == 1);
		return 0;
	case VM_DRIVER_FEATURES_SEL:
		d->drv_feat_sel = v;
		return 0;
	case VM_QUEUE_SEL:
		d->queue_sel = v;
		return 0;
	case VM_QUEUE_READY:
		if (vq)
			virtio_queue_ready(d, vq, v);
		return 0;
	case VM_QUEUE_NUM:
	case VM_QUEUE_DESC_LOW:
	case VM_QUEUE_DESC_HIGH:
	case VM_QUEUE_DRIVER_LOW:
	case VM_QUEUE_DRIVER_HIGH:
	case VM_QUEUE_DEVICE_LOW:
	case VM_QUEUE_DEVICE_HIGH:
		if (vq)
			virtio_queue_reg(d, vq, off, v);
		return 0;
	case VM_STATUS:
		return virtio_write_status(d, v);
	default:
		/* Read-only registers, SHMSel, QueueReset (not offered): ignored. */
		return 0;
	}
}

static void virtio_notify(struct virtio_dev *d, uint32_t q)
{
	uint64_t one = 1;

	if (q >= d->nr_queues)
		return;
	if (d->threaded) {
		if (write(d->notify_fd[q], &one, sizeof(one)) < 0) {
			/* Saturated: the thread is awake for it anyway. */
		}
		return;
	}
	pthread_mutex_lock(&d->io_lock);
	if (virtio_dev_queue_live(d, q) && d->ops->queue_notify)
		d->ops->queue_notify(d, q);
	pthread_mutex_unlock(&d->io_lock);
}

static void virtio_mmio_write(struct virtio_dev *d, uint64_t off, uint32_t v)
{
	unsigned int work;

	/* The two writes of the fast path take no lock a request holds. */
	if (off == VM_QUEUE_NOTIFY) {
		virtio_notify(d, v);
		return;
	}
	if (off == VM_INTERRUPT_ACK) {
		atomic_fetch_and(&d->isr, ~v);
		return;
	}
	pthread_mutex_lock(&d->io_lock);
	pthread_mutex_lock(&d->lock);
	work = virtio_write_reg(d, off, v);
	pthread_mutex_unlock(&d->lock);
	if (work && !d->threaded)
		virtio_driver_ok_work(d);
	pthread_mutex_unlock(&d->io_lock);
	if (work && d->threaded)
		virtio_ctl(d, work);
}

void virtio_mmio_access(void *opaque, uint64_t offset, uint8_t *data, uint32_t len, bool is_write)
{
	struct virtio_dev *d = opaque;
	uint32_t v;

	if (offset >= VIRTIO_MMIO_CONFIG) {
		/* Configuration space: any width; the device model bounds it. */
		if (is_write)
			return; /* no device offers a writable field */
		memset(data, 0, len);
		pthread_mutex_lock(&d->lock);
		if (d->ops->config_read)
			d->ops->config_read(d, (uint32_t)(offset - VIRTIO_MMIO_CONFIG), data, len);
		pthread_mutex_unlock(&d->lock);
		return;
	}
	/* Registers are 32-bit and aligned; anything else reads 0 and is ignored. */
	if (len != 4 || offset % 4) {
		if (!is_write)
			memset(data, 0, len);
		return;
	}
	if (is_write) {
		memcpy(&v, data, 4);
		virtio_mmio_write(d, offset, le32toh(v));
		return;
	}
	pthread_mutex_lock(&d->lock);
	v = htole32(virtio_read_reg(d, offset));
	pthread_mutex_unlock(&d->lock);
	memcpy(data, &v, 4);
}
