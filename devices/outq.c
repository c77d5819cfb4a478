// SPDX-License-Identifier: GPL-2.0-only
/*
 * The descriptor stays blocking: it is usually the terminal or pipe seavmm
 * was started with, shared with the shell, and O_NONBLOCK on it would leak
 * to them. Instead every write follows a poll() that says it is writable and
 * writes at most PIPE_BUF bytes, which a pipe with room takes whole at once.
 */
#include "outq.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

void outq_init(struct outq *q, int fd, int notify_fd)
{
	pthread_mutex_init(&q->lock, NULL);
	pthread_mutex_init(&q->write_lock, NULL);
	q->head = q->len = 0;
	q->fd = fd;
	q->notify_fd = notify_fd;
	q->broken = q->want_write = false;
	q->dropped = 0;
}

void outq_destroy(struct outq *q)
{
	pthread_mutex_destroy(&q->lock);
	pthread_mutex_destroy(&q->write_lock);
}

void outq_put(struct outq *q, const uint8_t *p, size_t n)
{
	size_t take, tail, first;

	pthread_mutex_lock(&q->lock);
	take = q->broken ? 0 : OUTQ_SIZE - q->len;
	if (take > n)
		take = n;
	tail = (q->head + q->len) % OUTQ_SIZE;
	first = OUTQ_SIZE - tail < take ? OUTQ_SIZE - tail : take;
	memcpy(q->buf + tail, p, first);
	memcpy(q->buf, p + first, take - first);
	q->len += take;
	q->dropped += n - take;
	pthread_mutex_unlock(&q->lock);
}

/* Bytes left for the writer: 0 when none, or when they can never be written. */
static size_t outq_pending(struct outq *q, size_t *chunk)
{
	size_t len;

	pthread_mutex_lock(&q->lock);
	if (q->broken) {
		q->dropped += q->len;
		q->len = 0;
	}
	len = q->len;
	/* head moves only under write_lock, which the caller holds. */
	*chunk = len < OUTQ_SIZE - q->head ? len : OUTQ_SIZE - q->head;
	if (*chunk > PIPE_BUF)
		*chunk = PIPE_BUF;
	pthread_mutex_unlock(&q->lock);
	return len;
}

static void outq_wrote(struct outq *q, ssize_t n, int err)
{
	pthread_mutex_lock(&q->lock);
	if (n > 0) {
		q->head = (q->head + (size_t)n) % OUTQ_SIZE;
		q->len -= (size_t)n;
	} else if (err != EINTR && err != EAGAIN) {
		q->broken = true; /* a closed pipe (SIGPIPE is ignored), a dead terminal */
	}
	pthread_mutex_unlock(&q->lock);
}

bool outq_drain(struct outq *q)
{
	uint64_t one = 1;
	bool left, notify;
	size_t chunk;

	if (pthread_mutex_trylock(&q->write_lock)) {
		/* The other writer goes on; the caller polls as if bytes were left. */
		pthread_mutex_lock(&q->lock);
		left = q->len && !q->broken;
		pthread_mutex_unlock(&q->lock);
		return left;
	}
	while (outq_pending(q, &chunk)) {
		struct pollfd p = { .fd = q->fd, .events = POLLOUT };
		ssize_t n;

		if (poll(&p, 1, 0) <= 0 || !p.revents)
			break;
		/* POLLERR or POLLHUP: the write says what went wrong. */
		n = write(q->fd, q->buf + q->head, chunk);
		outq_wrote(q, n, n < 0 ? errno : 0);
		if (n < 0 && errno == EAGAIN)
			break;
	}
	pthread_mutex_lock(&q->lock);
	left = q->len > 0;
	notify = left && !q->want_write;
	q->want_write = left;
	pthread_mutex_unlock(&q->lock);
	pthread_mutex_unlock(&q->write_lock);
	if (notify && q->notify_fd >= 0 && write(q->notify_fd, &one, sizeof(one)) < 0) {
		/* A saturated eventfd is already readable: the poller wakes anyway. */
	}
	return left;
}

static int64_t outq_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

uint64_t outq_finish(struct outq *q, int timeout_ms)
{
	int64_t end = outq_now_ms() + timeout_ms;
	uint64_t dropped;

	while (outq_drain(q)) {
		struct pollfd p = { .fd = q->fd, .events = POLLOUT };
		int64_t left = end - outq_now_ms();

		if (left <= 0 || poll(&p, 1, (int)left) <= 0)
			break;
	}
	pthread_mutex_lock(&q->lock);
	q->dropped += q->len;
	q->len = 0;
	dropped = q->dropped;
	pthread_mutex_unlock(&q->lock);
	return dropped;
}
