// SPDX-License-Identifier: GPL-2.0-only
/*
 * The control socket's connections: one thread polls the listening socket,
 * an eventfd and every client. Each client has a bounded input line and a
 * bounded output queue; vCPU threads only ever append event records to the
 * queues of subscribers (under the lock) and wake the thread. Requests are
 * handled on this thread without the lock held, because handling one may
 * take the VM's locks, and a vCPU publishing an event holds the VM's SEA
 * lock while it takes this one.
 */
#include "api_server.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "api_requests.h"

#define API_ACCEPT_BURST 32  /* connections taken per wake-up */
#define API_FLUSH_MS	 200 /* at stop: how long clients get for their last replies */

static void api_wake(struct api_server *s)
{
	uint64_t one = 1;

	/* Full counter (never in practice): the thread is awake anyway. */
	if (write(s->wake_fd, &one, sizeof(one)) < 0) {
	}
}

int api_server_init(struct api_server *s, uid_t owner, const struct api_vm_ops *ops, void *ctx)
{
	memset(s, 0, sizeof(*s));
	s->listen_fd = -1;
	s->owner = owner;
	s->ops = ops;
	s->ctx = ctx;
	s->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (s->wake_fd < 0)
		return -errno;
	pthread_mutex_init(&s->lock, NULL);
	return 0;
}

/* A socket at path that nobody accepts on is left from a seavmm that died. */
static int api_path_in_use(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), ret;

	if (fd < 0)
		return -errno;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	ret = connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 ? 1 : -errno;
	close(fd);
	if (ret == -ECONNREFUSED)
		return 0;
	return ret;
}

int api_server_listen(struct api_server *s, const char *path, char *err, size_t errlen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct stat st;
	mode_t old;
	int fd, ret;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		snprintf(err, errlen, "--api-socket %s: longer than %zu bytes; use a shorter path",
			 path, sizeof(sa.sun_path) - 1);
		return -ENAMETOOLONG;
	}
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			snprintf(err, errlen,
				 "--api-socket %s: exists and is not a socket; remove it or "
				 "choose another path",
				 path);
			return -EEXIST;
		}
		ret = api_path_in_use(path);
		if (ret == 1) {
			snprintf(err, errlen,
				 "--api-socket %s: another process is serving on it (a running "
				 "seavmm?); stop it or choose another path",
				 path);
			return -EADDRINUSE;
		}
		if (ret < 0) {
			snprintf(err, errlen,
				 "--api-socket %s: cannot tell whether it is in use (%s); remove "
				 "it or choose another path",
				 path, strerror(-ret));
			return ret;
		}
		/* Stale: nobody listens. */
		if (unlink(path) < 0 && errno != ENOENT) {
			ret = -errno;
			snprintf(err, errlen, "--api-socket %s: cannot remove the stale socket: %s",
				 path, strerror(-ret));
			return ret;
		}
	} else if (errno != ENOENT) {
		ret = -errno;
		snprintf(err, errlen, "--api-socket %s: %s; choose another path", path,
			 strerror(-ret));
		return ret;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		ret = -errno;
		snprintf(err, errlen, "--api-socket %s: socket: %s", path, strerror(-ret));
		return ret;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	/* Start-up is single-threaded: the umask makes the socket 0600 from its birth. */
	old = umask(0177);
	ret = bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ? -errno : 0;
	umask(old);
	if (!ret && (listen(fd, API_CLIENTS_MAX) < 0 || stat(path, &st) < 0))
		ret = -errno;
	if (ret) {
		snprintf(err, errlen, "--api-socket %s: %s; give a path in a writable directory",
			 path, strerror(-ret));
		close(fd);
		return ret;
	}
	s->listen_fd = fd;
	snprintf(s->path, sizeof(s->path), "%s", path);
	s->path_dev = st.st_dev;
	s->path_ino = st.st_ino;
	return 0;
}

static void api_client_free(struct api_client *c)
{
	close(c->fd);
	free(c->out);
	free(c);
}

/* Under lock. */
static int api_client_append(struct api_client *c, const char *buf, size_t len)
{
	if (c->drop)
		return -EPIPE;
	if (len > API_OUT_MAX - c->out_len) {
		/* It does not read what it asked for: drop it rather than hold more. */
		c->drop = true;
		free(c->out);
		c->out = NULL;
		c->out_len = c->out_cap = 0;
		return -ENOBUFS;
	}
	if (c->out_len + len > c->out_cap) {
		size_t cap = c->out_cap ? c->out_cap : 4096;
		char *p;

		while (cap < c->out_len + len)
			cap *= 2;
		p = realloc(c->out, cap);
		if (!p) {
			c->drop = true;
			return -ENOMEM;
		}
		c->out = p;
		c->out_cap = cap;
	}
	memcpy(c->out + c->out_len, buf, len);
	c->out_len += len;
	return 0;
}

void api_client_reply(struct api_server *s, struct api_client *c, const char *line, size_t len,
		      bool subscribe)
{
	pthread_mutex_lock(&s->lock);
	if (api_client_append(c, line, len) == 0 && api_client_append(c, "\n", 1) == 0 && subscribe)
		c->subscribed = true;
	pthread_mutex_unlock(&s->lock);
}

int api_server_add_client(struct api_server *s, int fd, uid_t uid)
{
	struct api_client *c;
	int ret = 0;

	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) < 0)
		return -errno;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->fd = fd;
	c->uid = uid;
	pthread_mutex_lock(&s->lock);
	if (s->nclients == API_CLIENTS_MAX)
		ret = -EMFILE;
	else
		s->clients[s->nclients++] = c;
	pthread_mutex_unlock(&s->lock);
	if (ret)
		free(c);
	else
		api_wake(s);
	return ret;
}

/* A refused connection gets one error line, if it can take it at once. */
static void api_refuse(struct api_server *s, int fd, const char *why)
{
	char line[256];
	int n = snprintf(line, sizeof(line), "{\"ok\":false,\"error\":\"%s\"}\n", why);

	pthread_mutex_lock(&s->lock);
	s->refused++;
	pthread_mutex_unlock(&s->lock);
	if (n > 0 && send(fd, line, (size_t)n, MSG_NOSIGNAL | MSG_DONTWAIT) < 0) {
	}
	close(fd);
}

static void api_accept(struct api_server *s)
{
	for (int i = 0; i < API_ACCEPT_BURST; i++) {
		struct ucred cred;
		socklen_t len = sizeof(cred);
		char why[160];
		int fd = accept4(s->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0)
			return; /* EAGAIN, or a connection that went away meanwhile */
		if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0) {
			api_refuse(s, fd, "cannot read the peer's credentials");
			continue;
		}
		if (cred.uid != 0 && cred.uid != s->owner) {
			snprintf(why, sizeof(why),
				 "permission denied: uid %u is neither root nor seavmm's uid %u",
				 (unsigned int)cred.uid, (unsigned int)s->owner);
			api_refuse(s, fd, why);
			continue;
		}
		if (api_server_add_client(s, fd, cred.uid) < 0) {
			snprintf(why, sizeof(why),
				 "too many clients (%d connected); close one or try again later",
				 API_CLIENTS_MAX);
			api_refuse(s, fd, why);
			continue;
		}
		s->clients[s->nclients - 1]->pid = cred.pid;
	}
}

/* Complete lines in c->in become requests; an over-long one ends the client's input. */
static void api_client_lines(struct api_server *s, struct api_client *c)
{
	size_t start = 0;
	char *nl;

	while (!c->read_done && (nl = memchr(c->in + start, '\n', c->in_len - start))) {
		size_t len = (size_t)(nl - (c->in + start));
		char *line = c->in + start;

		start += len + 1;
		if (len && line[len - 1] == '\r')
			len--;
		if (len > API_LINE_MAX) {
			api_request_error(s, c,
					  "request line longer than %d bytes; this connection "
					  "is closed",
					  API_LINE_MAX);
			c->read_done = true;
			break;
		}
		if (len)
			api_request_handle(s, c, line, len);
	}
	memmove(c->in, c->in + start, c->in_len - start);
	c->in_len -= start;
	if (!c->read_done && c->in_len > API_LINE_MAX) {
		api_request_error(s, c,
				  "request line longer than %d bytes; this connection is "
				  "closed",
				  API_LINE_MAX);
		c->read_done = true;
	}
}

static void api_client_read(struct api_server *s, struct api_client *c)
{
	ssize_t n = read(c->fd, c->in + c->in_len, sizeof(c->in) - c->in_len);

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		/* EOF: it sends no more, but may still read what it asked for. */
		c->read_done = true;
		if (n < 0) {
			pthread_mutex_lock(&s->lock);
			c->drop = true;
			pthread_mutex_unlock(&s->lock);
		}
		return;
	}
	c->in_len += (size_t)n;
	api_client_lines(s, c);
}

static void api_client_flush(struct api_server *s, struct api_client *c)
{
	ssize_t n;

	pthread_mutex_lock(&s->lock);
	if (c->out_len && !c->drop) {
		n = send(c->fd, c->out, c->out_len, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0 && errno != EAGAIN && errno != EINTR) {
			c->drop = true;
		} else if (n > 0) {
			memmove(c->out, c->out + n, c->out_len - (size_t)n);
			c->out_len -= (size_t)n;
			/* A big reply's buffer is not kept once it is gone. */
			if (!c->out_len && c->out_cap > 65536) {
				free(c->out);
				c->out = NULL;
				c->out_cap = 0;
			}
		}
	}
	pthread_mutex_unlock(&s->lock);
}

/* Under lock: closes dropped clients and those with nothing more to do. */
static void api_reap(struct api_server *s)
{
	unsigned int j = 0;

	for (unsigned int i = 0; i < s->nclients; i++) {
		struct api_client *c = s->clients[i];
		bool done = c->read_done && !c->out_len && !c->subscribed;

		if (c->drop || done) {
			if (c->drop)
				s->dropped++;
			api_client_free(c);
			continue;
		}
		s->clients[j++] = c;
	}
	s->nclients = j;
}

static void *api_thread(void *arg)
{
	struct api_server *s = arg;
	struct pollfd pfd[2 + API_CLIENTS_MAX];
	struct api_client *pc[API_CLIENTS_MAX];

	pthread_setname_np(pthread_self(), "api");
	if (s->ops->thread_start)
		s->ops->thread_start(s->ctx);
	for (;;) {
		unsigned int n = 0, nc;

		pthread_mutex_lock(&s->lock);
		if (s->stop) {
			pthread_mutex_unlock(&s->lock);
			break;
		}
		api_reap(s);
		pfd[0] = (struct pollfd){ .fd = s->wake_fd, .events = POLLIN };
		pfd[1] = (struct pollfd){ .fd = s->listen_fd, .events = POLLIN };
		nc = s->nclients;
		for (; n < nc; n++) {
			struct api_client *c = s->clients[n];

			pc[n] = c;
			pfd[2 + n] = (struct pollfd){
				.fd = c->fd,
				.events = (short)((c->read_done ? 0 : POLLIN) |
						  (c->out_len ? POLLOUT : 0)),
			};
		}
		pthread_mutex_unlock(&s->lock);

		if (poll(pfd, 2 + nc, -1) < 0)
			continue; /* EINTR */
		if (pfd[0].revents & POLLIN) {
			uint64_t v;

			if (read(s->wake_fd, &v, sizeof(v)) < 0) {
			}
		}
		for (unsigned int i = 0; i < nc; i++) {
			short re = pfd[2 + i].revents;

			if (re & POLLOUT)
				api_client_flush(s, pc[i]);
			if (re & (POLLIN | POLLHUP | POLLERR)) {
				if (!pc[i]->read_done)
					api_client_read(s, pc[i]);
				else if (re & (POLLHUP | POLLERR)) {
					/* Gone: a subscriber that hung up mid-stream. */
					pthread_mutex_lock(&s->lock);
					pc[i]->drop = true;
					pthread_mutex_unlock(&s->lock);
				}
			}
		}
		/* Those that left make room before new ones are counted. */
		if (s->listen_fd >= 0 && (pfd[1].revents & POLLIN)) {
			pthread_mutex_lock(&s->lock);
			api_reap(s);
			pthread_mutex_unlock(&s->lock);
			api_accept(s);
		}
	}
	return NULL;
}

int api_server_start(struct api_server *s)
{
	int err = pthread_create(&s->thread, NULL, api_thread, s);

	if (err)
		return -err;
	s->running = true;
	return 0;
}

/* At stop: what is queued goes out if the client takes it soon. */
static void api_final_flush(struct api_server *s)
{
	for (int waited = 0; waited < API_FLUSH_MS; waited += 10) {
		bool pending = false;

		for (unsigned int i = 0; i < s->nclients; i++) {
			struct api_client *c = s->clients[i];

			if (c->out_len && !c->drop) {
				api_client_flush(s, c);
				pending |= c->out_len && !c->drop;
			}
		}
		if (!pending)
			return;
		poll(NULL, 0, 10);
	}
}

void api_server_stop(struct api_server *s)
{
	struct stat st;

	if (s->running) {
		pthread_mutex_lock(&s->lock);
		s->stop = true;
		pthread_mutex_unlock(&s->lock);
		api_wake(s);
		pthread_join(s->thread, NULL);
		s->running = false;
	}
	api_final_flush(s);
	for (unsigned int i = 0; i < s->nclients; i++)
		api_client_free(s->clients[i]);
	s->nclients = 0;
	for (unsigned int i = 0; i < API_RING; i++) {
		free(s->ring[i]);
		s->ring[i] = NULL;
	}
	if (s->listen_fd >= 0) {
		close(s->listen_fd);
		/* Only our own socket: someone may have put another there since. */
		if (lstat(s->path, &st) == 0 && st.st_dev == s->path_dev &&
		    st.st_ino == s->path_ino)
			unlink(s->path);
		s->listen_fd = -1;
	}
	if (s->wake_fd >= 0)
		close(s->wake_fd);
	s->wake_fd = -1;
	pthread_mutex_destroy(&s->lock);
}

void api_server_publish(struct api_server *s, const char *rec, size_t len,
			const struct api_event_key *key)
{
	unsigned int slot;
	char *copy = malloc(len + 1);

	if (copy) {
		memcpy(copy, rec, len);
		copy[len] = '\0';
	}
	pthread_mutex_lock(&s->lock);
	slot = (unsigned int)(s->seq % API_RING);
	free(s->ring[slot]);
	s->ring[slot] = copy;
	s->ring_len[slot] = copy ? len : 0;
	s->seq++;
	if (key)
		api_metrics_count(&s->metrics, key);
	for (unsigned int i = 0; i < s->nclients; i++)
		if (s->clients[i]->subscribed)
			api_client_append(s->clients[i], rec, len);
	pthread_mutex_unlock(&s->lock);
	api_wake(s);
}

void api_server_note_boot(struct api_server *s, enum api_boot_cause cause)
{
	if ((unsigned int)cause >= API_BOOT_COUNT)
		return;
	pthread_mutex_lock(&s->lock);
	s->metrics.boots[cause]++;
	pthread_mutex_unlock(&s->lock);
}
