/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A bounded output queue in front of a descriptor nobody controls (the
 * console's standard output): putting bytes never blocks, the descriptor is
 * written only as far as it takes without blocking, and bytes beyond the
 * bound are dropped and counted. A reader that stops reading can then cost
 * the guest its output, never its life cycle (quit, reset, policy stop).
 */
#ifndef SEAVMM_OUTQ_H
#define SEAVMM_OUTQ_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Beyond what the pipe itself holds (64 KiB on Linux). */
#define OUTQ_SIZE (64 * 1024)

struct outq {
	pthread_mutex_t lock;	    /* the ring; never held across a write() */
	pthread_mutex_t write_lock; /* one writer at a time: bytes stay in order */
	uint8_t buf[OUTQ_SIZE];
	size_t head, len;
	int fd;
	bool broken;	  /* fd failed (closed pipe): drop everything from now on */
	bool want_write;  /* bytes wait for fd to become writable: notify_fd was written */
	int notify_fd;	  /* eventfd to wake whoever polls fd for room, or -1 */
	uint64_t dropped; /* bytes that did not fit, or went to a broken fd */
};

void outq_init(struct outq *q, int fd, int notify_fd);
void outq_destroy(struct outq *q);
/* Queues n bytes, never blocking; what does not fit is dropped and counted. */
void outq_put(struct outq *q, const uint8_t *p, size_t n);
/*
 * Writes as much as fd takes without blocking (poll says it is writable,
 * then at most PIPE_BUF bytes at a time). Returns true when bytes are left:
 * poll fd for POLLOUT and call again. When they are left and nobody was told
 * yet, notify_fd is written once. Another thread draining at the same time
 * makes this return at once.
 */
bool outq_drain(struct outq *q);
/*
 * At the end: waits up to timeout_ms in all for fd to take what is queued,
 * then drops the rest. Returns the bytes dropped in total.
 */
uint64_t outq_finish(struct outq *q, int timeout_ms);

#endif
