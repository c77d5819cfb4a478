/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The virtio-mmio transport (VIRTIO 1.x section 4.2, version 2: modern
 * only) and what every virtio device shares: feature negotiation, the status
 * machine, the queues' registers, interrupts, and one I/O thread per device.
 *
 * Threads. Register accesses come from vCPU threads (devices/mmio_bus.c).
 * Requests run on the device's I/O thread, never on a vCPU: it waits for
 * the queues' notification eventfds (written by KVM's ioeventfd, or by the
 * MMIO handler when there is none), for the device's own descriptors and
 * for wake-ups from other threads, and calls the device model's ops with
 * io_lock held. io_lock is what a vCPU takes to reset the device or to
 * start or stop a queue, so a reset waits for the request in flight and the
 * rings are never touched after the driver sees the reset done. lock
 * guards the registers; io_lock is always taken before lock.
 *
 * A device built with threaded = false processes a notification at once on
 * the thread that wrote it: the unit tests and the fuzzer drive it so.
 *
 * The guest is untrusted: a driver that breaks the rules (a malformed ring,
 * a queue reconfigured while live, DRIVER_OK before FEATURES_OK) gets the
 * device marked DEVICE_NEEDS_RESET, a configuration interrupt and one line
 * on stderr; the device then does nothing until the driver resets it.
 * A notification before DRIVER_OK is ignored: no ring is read until then,
 * and every ready queue is looked at once when DRIVER_OK comes.
 */
#ifndef SEAVMM_VIRTIO_MMIO_H
#define SEAVMM_VIRTIO_MMIO_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../vmm/core/guest_copy.h"
#include "virtqueue.h"

#define VIRTIO_MMIO_SIZE   0x200
#define VIRTIO_MMIO_CONFIG 0x100 /* device-specific configuration space */
#define VIRTIO_QUEUES_MAX  20
#define VIRTIO_DEV_FDS_MAX 16
/* Reports of broken drivers per device; more are counted, not printed. */
#define VIRTIO_REPORTS_MAX 32

#define VIRTIO_STATUS_ACKNOWLEDGE 0x01
#define VIRTIO_STATUS_DRIVER	  0x02
#define VIRTIO_STATUS_DRIVER_OK	  0x04
#define VIRTIO_STATUS_FEATURES_OK 0x08
#define VIRTIO_STATUS_NEEDS_RESET 0x40
#define VIRTIO_STATUS_FAILED	  0x80

#define VIRTIO_F_VERSION_1 32
#define VIRTIO_ISR_USED	   0x1
#define VIRTIO_ISR_CONFIG  0x2

/* Device IDs (VIRTIO 1.x section 5). */
#define VIRTIO_ID_NET	  1
#define VIRTIO_ID_BLOCK	  2
#define VIRTIO_ID_CONSOLE 3
#define VIRTIO_ID_RNG	  4

struct virtio_dev;

/*
 * A device model. Unless said otherwise an op runs on the device's I/O
 * thread (or the notifying thread when not threaded) with io_lock held.
 * Any op may be NULL.
 */
struct virtio_dev_ops {
	uint32_t device_id;
	/* The driver notified queue q, or DRIVER_OK came: look at the queue. */
	void (*queue_notify)(struct virtio_dev *d, unsigned int q);
	/* A descriptor added with virtio_dev_add_fd() is ready (revents). */
	void (*fd_event)(struct virtio_dev *d, unsigned int slot, short revents);
	/* virtio_dev_wake() was called. */
	void (*wake)(struct virtio_dev *d);
	/* The driver set DRIVER_OK (before its queues are looked at). */
	void (*driver_ok)(struct virtio_dev *d);
	/* Back to power-on state; io_lock held, on whichever thread resets. */
	void (*reset)(struct virtio_dev *d);
	/* A vCPU reads configuration space [off, off+len), under d->lock. */
	void (*config_read)(struct virtio_dev *d, uint32_t off, uint8_t *data, uint32_t len);
};

struct virtio_dev {
	const struct virtio_dev_ops *ops;
	char name[24];	   /* "virtio-blk0", in reports */
	uint64_t features; /* the device's own feature bits */
	unsigned int nr_queues;
	struct guest_ram ram;
	void (*raise_irq)(void *ctx); /* pulses the device's interrupt line */
	void *irq_ctx;

	pthread_mutex_t lock;	 /* registers */
	pthread_mutex_t io_lock; /* queues and the device model */
	_Atomic uint32_t status, isr, config_gen;
	uint32_t dev_feat_sel, drv_feat_sel, queue_sel;
	uint64_t driver_features;
	struct virtq vq[VIRTIO_QUEUES_MAX];
	atomic_bool broken;  /* reported since the last reset */
	atomic_uint reports; /* broken-driver reports printed */

	bool threaded;
	int notify_fd[VIRTIO_QUEUES_MAX]; /* eventfds, one per queue (threaded) */
	int ctl_fd;			  /* eventfd: wakes the I/O thread */
	atomic_uint ctl;		  /* VIRTIO_CTL_* requests for it */
	pthread_t thread;
	bool thread_live;
	/* Run first on the I/O thread, if set: the VMM narrows it (seccomp). */
	void (*thread_start)(struct virtio_dev *d);
	struct {
		int fd;
		short events; /* 0: not polled now */
	} fds[VIRTIO_DEV_FDS_MAX];
	unsigned int nr_fds;
};

/*
 * Prepares d (zeroed by the caller) for nr_queues queues; features are the
 * device's own bits (the transport adds VERSION_1, EVENT_IDX and
 * INDIRECT_DESC). ram is copied, with its device name set to name.
 * 0 or -errno.
 */
int virtio_dev_init(struct virtio_dev *d, const struct virtio_dev_ops *ops, const char *name,
		    unsigned int nr_queues, uint64_t features, const struct guest_ram *ram,
		    bool threaded);
/* Starts the I/O thread (threaded devices). 0 or -errno. */
int virtio_dev_start(struct virtio_dev *d);
/* Ends the I/O thread and closes the eventfds; the device model's own fds stay. */
void virtio_dev_stop(struct virtio_dev *d);
/* Power-on state, as if the driver wrote 0 to Status (guest reboot). */
void virtio_dev_reset(struct virtio_dev *d);
/* The mmio_access_fn of every virtio device; opaque is its struct virtio_dev. */
void virtio_mmio_access(void *opaque, uint64_t offset, uint8_t *data, uint32_t len, bool is_write);

/* ---- for device models ---------------------------------------------------- */

/* Features the driver accepted (valid once FEATURES_OK is set). */
static inline bool virtio_dev_has(const struct virtio_dev *d, unsigned int bit)
{
	return (d->driver_features >> bit) & 1;
}
/* DRIVER_OK, not broken, not failed, and queue q ready. */
bool virtio_dev_queue_live(struct virtio_dev *d, unsigned int q);
/* After pushing to queue q: interrupts the driver if it wants one. */
void virtio_dev_used(struct virtio_dev *d, unsigned int q);
/* The driver broke the rules: DEVICE_NEEDS_RESET and one line saying how. */
void virtio_dev_fail(struct virtio_dev *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* vq_* on queue q returned err (-EPROTO, -EHWPOISON): fails the device. */
void virtio_dev_queue_error(struct virtio_dev *d, unsigned int q, int err);
/*
 * A request handler for virtio_dev_serve(): 0 with *written set to the bytes
 * it put in e's in (device-writable) bytes; or negative after failing the
 * device (virtio_dev_fail), when the request is not pushed and the serve
 * stops at once.
 */
typedef int (*virtio_req_fn)(struct virtio_dev *d, struct virtq *q, struct vq_elem *e,
			     uint32_t *written);
/*
 * Serves queue q to empty: pops every request into *e, has fn handle it and
 * pushes it. The driver is not asked to notify while the queue drains and a
 * request it adds while notification is re-enabled is still taken; the
 * driver is interrupted once at the end. A malformed or poisoned ring fails
 * the device (virtio_dev_queue_error).
 */
void virtio_dev_serve(struct virtio_dev *d, unsigned int q, struct vq_elem *e, virtio_req_fn fn);
/* A config_read over a device's configuration bytes: [off, off+len) when inside them. */
void virtio_config_copy(const void *cfg, size_t size, uint32_t off, uint8_t *data, uint32_t len);
/* The configuration space changed: new generation and a config interrupt. */
void virtio_dev_config_changed(struct virtio_dev *d);
/*
 * Adds fd (-1: none yet) to what the I/O thread waits for; returns its slot
 * or -ENOSPC. Before virtio_dev_start(), or with io_lock held.
 */
int virtio_dev_add_fd(struct virtio_dev *d, int fd, short events);
/* Changes slot's descriptor and the events waited for (0: none); io_lock held. */
void virtio_dev_fd_set(struct virtio_dev *d, unsigned int slot, int fd, short events);
/* Any thread: have the I/O thread call ops->wake. */
void virtio_dev_wake(struct virtio_dev *d);

#endif
