// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guest agent's host side (--agent), see agent.h. The protocol is
 * vmm/agent/agent_proto.c; this file carries it: one thread, the port's
 * descriptor, a short queue from sea.c, the clock, and what the agent's
 * answers and silences lead to.
 *
 * Locks: a->lock guards the protocol and is taken only by the thread and
 * agent_reset(); under it the thread calls into sea.c (which takes
 * vm->sea.lock). sea.c calls agent_notify_poison() under vm->sea.lock, and
 * that takes only a->qlock, which nothing else is ever taken under: no cycle.
 */
#include "agent.h"

#include <errno.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "../../devices/virtio_console.h"
#include "agent_proto.h"
#include "agent_report.h"
#include "sea.h"
#include "sea_report.h"
#include "seccomp.h"
#include "util.h"
#include "vm.h"
#include "vm_virtio.h"

#define AGENT_QUEUE   256
#define AGENT_TICK_MS 200
/* Bytes read from the port a second; more wait in the socket (back-pressure). */
#define AGENT_BYTES_PER_S (1024 * 1024)
#define NS_PER_S	  1000000000ULL
/* How long after the guest closed the port its last bytes may still come. */
#define AGENT_CLOSE_GRACE_NS (300 * 1000000ULL)

struct agent {
	struct vm *vm;
	int fd;	     /* seavmm's end of the port (virtio_console_add_port), or -1 */
	int wake_fd; /* eventfd: a page queued, the guest opened or closed, stop */
	pthread_t thread;
	bool started;
	atomic_bool stop;
	/* From the console's I/O thread (agent_guest_open). */
	atomic_bool guest_open;
	atomic_uint open_gen;
	unsigned int open_seen;
	bool closing; /* the guest closed the port: the session ends at closing_ns + grace */
	uint64_t closing_ns;
	/* From sea.c (agent_notify_poison). */
	pthread_mutex_t qlock;
	uint64_t queue[AGENT_QUEUE];
	unsigned int qn;
	bool qlost;
	/* The protocol, and what the thread keeps with it. */
	pthread_mutex_t lock;
	struct agent_proto proto;
	uint64_t rate_start_ns, rate_bytes;
	enum ras_action liveness;
	uint64_t liveness_timeout_ns;
	bool fired;
	uint64_t pages[AGENT_PAGES_MAX + 1]; /* sea_poisoned_pages() */
	char buf[16384];
};

static uint64_t agent_now(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (uint64_t)ts.tv_sec * NS_PER_S + (uint64_t)ts.tv_nsec;
}

static void agent_wake(struct agent *a)
{
	uint64_t one = 1;

	if (write(a->wake_fd, &one, sizeof(one)) < 0) {
		/* Only a saturated counter fails, and that wakes the thread too. */
	}
}

/* The console's I/O thread, with its io_lock held: flags and a wake-up only. */
static void agent_guest_open(void *ctx, bool open)
{
	struct agent *a = ctx;

	atomic_store(&a->guest_open, open);
	atomic_fetch_add(&a->open_gen, 1);
	agent_wake(a);
}

static void agent_offlined(void *ctx, uint64_t gpa, int guest_errno)
{
	struct agent *a = ctx;
	int ret = sea_guest_offlined(a->vm, gpa, guest_errno);

	/* sea.c reports the page's new state; only a refusal is said here. */
	if (ret)
		pr_info("agent: the guest agent answered %d for gpa 0x%llx, which is not under "
			"virtual poison any more (%s); ignored",
			guest_errno, (unsigned long long)gpa, strerror(-ret));
}

static void agent_told(void *ctx, uint64_t gpa, uint32_t seq, bool first)
{
	struct agent *a = ctx;

	if (!first)
		return;
	pr_info("agent: told the guest agent gpa 0x%llx is poisoned (seq %u)",
		(unsigned long long)gpa, seq);
	sea_agent_told(a->vm, gpa);
}

static void agent_note(void *ctx, const struct agent_note *n)
{
	struct agent *a = ctx;
	const char *action = ras_action_name(a->liveness);
	char line[384], rec[AGENT_RECORD_MAX];
	int len;

	if (agent_report_line(n, action, line, sizeof(line)) != -EINVAL)
		pr_info("%s", line);
	if (a->vm->sea.events_fd < 0)
		return;
	len = agent_record_format(n, agent_now(CLOCK_REALTIME), a->vm->sea.name, action,
				  a->liveness_timeout_ns, rec, sizeof(rec));
	if (len > 0 && sea_events_write(a->vm->sea.events_fd, rec, (size_t)len) < 0)
		pr_err("agent: cannot append a record to --ras-events");
}

static const struct agent_proto_ops agent_ops = {
	.offlined = agent_offlined,
	.note = agent_note,
	.told = agent_told,
};

/*
 * Reads what the port has into the protocol, up to limit bytes; bytes the
 * guest sent while it had the port open only. Returns the bytes read.
 */
static uint64_t agent_read(struct agent *a, uint64_t now, uint64_t limit)
{
	uint64_t got = 0;

	while (a->fd >= 0 && got < limit) {
		ssize_t n = read(a->fd, a->buf, sizeof(a->buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			break;
		if (n <= 0) {
			pr_err("agent: the port's descriptor failed (%s); the guest agent is not "
			       "heard any more",
			       n ? strerror(errno) : "closed");
			close(a->fd);
			a->fd = -1;
			break;
		}
		got += (uint64_t)n;
		/* After a close, what is left is stale (the next open is a new session). */
		if (atomic_load(&a->guest_open) || a->proto.open)
			agent_proto_input(&a->proto, a->buf, (size_t)n, now);
	}
	return got;
}

/* The guest opened or closed the port since the thread last looked. */
static void agent_open_changes(struct agent *a, uint64_t now)
{
	unsigned int gen = atomic_load(&a->open_gen);
	bool open = atomic_load(&a->guest_open);

	if (gen != a->open_seen) {
		a->open_seen = gen;
		/*
		 * The device may tell of the close before it has handed over the
		 * last bytes the guest wrote: they belong to the session that
		 * ends, so it ends a moment later (a message cut off by the close
		 * is then seen as one). An open ends it at once.
		 */
		if (!open && a->proto.open) {
			a->closing = true;
			a->closing_ns = now;
			return;
		}
	} else if (!a->closing || now - a->closing_ns < AGENT_CLOSE_GRACE_NS) {
		return;
	}
	if (a->proto.open)
		agent_read(a, now, AGENT_BYTES_PER_S);
	a->closing = false;
	/* A close and an open in between are a new session all the same. */
	agent_proto_close(&a->proto, now);
	if (open)
		agent_proto_open(&a->proto, now);
}

/*
 * The port within the byte budget: beyond it the bytes wait in the socket
 * and the guest's writes block, so a flood costs the host no more. Returns
 * false when the budget is spent.
 */
static bool agent_read_budget(struct agent *a, uint64_t now)
{
	if (now - a->rate_start_ns >= NS_PER_S) {
		a->rate_start_ns = now;
		a->rate_bytes = 0;
	}
	if (a->rate_bytes < AGENT_BYTES_PER_S)
		a->rate_bytes += agent_read(a, now, AGENT_BYTES_PER_S - a->rate_bytes);
	return a->fd < 0 || a->rate_bytes < AGENT_BYTES_PER_S;
}

static void agent_drain_queue(struct agent *a, uint64_t now)
{
	uint64_t q[AGENT_QUEUE];
	unsigned int n;
	bool lost;

	pthread_mutex_lock(&a->qlock);
	n = a->qn;
	memcpy(q, a->queue, n * sizeof(q[0]));
	lost = a->qlost;
	a->qn = 0;
	a->qlost = false;
	pthread_mutex_unlock(&a->qlock);
	for (unsigned int i = 0; i < n; i++)
		agent_proto_poison(&a->proto, q[i], now);
	if (lost)
		agent_proto_lost(&a->proto);
}

static void agent_write(struct agent *a)
{
	size_t len;
	const char *tx = agent_proto_tx(&a->proto, &len);

	while (a->fd >= 0 && len) {
		ssize_t n = write(a->fd, tx, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return; /* full (EAGAIN): POLLOUT says when; gone: agent_read says so */
		agent_proto_tx_take(&a->proto, (size_t)n);
		tx = agent_proto_tx(&a->proto, &len);
	}
}

/*
 * One pass over everything; returns true when liveness fired. *reading: the
 * byte budget is not spent; *writing: bytes wait for room in the port.
 */
static bool agent_step(struct agent *a, bool *reading, bool *writing)
{
	size_t pending;
	uint64_t now = agent_now(CLOCK_MONOTONIC);
	bool fired;

	pthread_mutex_lock(&a->lock);
	agent_open_changes(a, now);
	*reading = agent_read_budget(a, now);
	agent_drain_queue(a, now);
	if (agent_proto_wants_sync(&a->proto)) {
		int n = sea_poisoned_pages(a->vm, a->pages, AGENT_PAGES_MAX + 1);

		agent_proto_sync(&a->proto, a->pages, n > 0 ? (size_t)n : 0);
	}
	agent_proto_pump(&a->proto);
	agent_write(a);
	agent_proto_tx(&a->proto, &pending);
	*writing = pending > 0;
	fired = agent_proto_tick(&a->proto, now);
	pthread_mutex_unlock(&a->lock);
	return fired;
}

static void *agent_thread(void *arg)
{
	struct agent *a = arg;
	bool reading = true, writing = false;

	pthread_setname_np(pthread_self(), "agent");
	/* Started before main's filter: it has none until it installs its own. */
	if (a->vm->opts->seccomp && seccomp_enter(SECCOMP_AGENT) < 0)
		pr_err("agent: cannot install its seccomp filter; its thread runs without one");
	while (!atomic_load(&a->stop)) {
		struct pollfd p[2] = { { .fd = a->wake_fd, .events = POLLIN },
				       { .fd = a->fd,
					 .events = (short)((reading ? POLLIN : 0) |
							   (writing ? POLLOUT : 0)) } };
		uint64_t cnt;

		if (poll(p, a->fd >= 0 ? 2 : 1, AGENT_TICK_MS) < 0 && errno != EINTR)
			break;
		if ((p[0].revents & POLLIN) && read(a->wake_fd, &cnt, sizeof(cnt)) < 0) {
			/* Drained already. */
		}
		if (!agent_step(a, &reading, &writing))
			continue;
		/* The guest stopped answering after a memory error: the policy decides. */
		vm_request_stop(a->vm, a->liveness == RAS_ACT_STOP ? VM_STOP_RAS_STOP
								   : VM_STOP_RAS_RESTART);
	}
	return NULL;
}

void agent_notify_poison(struct vm *vm, uint64_t gpa)
{
	struct agent *a = vm->agent;

	if (!a)
		return;
	pthread_mutex_lock(&a->qlock);
	if (a->qn < AGENT_QUEUE)
		a->queue[a->qn++] = gpa;
	else
		a->qlost = true; /* the thread asks sea.c for the whole list instead */
	pthread_mutex_unlock(&a->qlock);
	agent_wake(a);
}

void agent_reset(struct vm *vm)
{
	struct agent *a = vm->agent;

	if (!a)
		return;
	pthread_mutex_lock(&a->qlock);
	a->qn = 0;
	a->qlost = false;
	pthread_mutex_unlock(&a->qlock);
	pthread_mutex_lock(&a->lock);
	agent_proto_reset(&a->proto);
	a->closing = false;
	/* What the last boot's agent sent and nobody read is stale now. */
	while (a->fd >= 0 && read(a->fd, a->buf, sizeof(a->buf)) > 0)
		;
	pthread_mutex_unlock(&a->lock);
}

int agent_setup(struct vm *vm)
{
	const struct ras_policy *pol = &vm->ras_policy;
	struct virtio_console *vc = vm_virtio_console(vm);
	struct agent_proto_cfg cfg = { .host_ident = "seavmm" };
	struct virtio_console_port_cb cb = { .guest_open = agent_guest_open };
	struct agent *a;
	int ret, err;

	if (!vm->opts->agent)
		return 0;
	if (!vc) {
		pr_err("--agent: no virtio console to put its port on");
		return -ENODEV;
	}
	a = calloc(1, sizeof(*a));
	if (!a)
		return -ENOMEM;
	a->vm = vm;
	a->fd = a->wake_fd = -1;
	a->liveness = pol->liveness;
	a->liveness_timeout_ns = pol->liveness_timeout_ns;
	cfg.liveness_timeout_ns = pol->liveness == RAS_ACT_OFF ? 0 : pol->liveness_timeout_ns;
	agent_proto_init(&a->proto, &cfg, &agent_ops, a);
	pthread_mutex_init(&a->qlock, NULL);
	pthread_mutex_init(&a->lock, NULL);
	a->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (a->wake_fd < 0) {
		ret = -errno;
		goto fail;
	}
	cb.ctx = a;
	ret = virtio_console_add_port(vc, AGENT_PORT_NAME, &cb, &a->fd);
	if (ret < 0) {
		pr_err("--agent: cannot add the port %s to the virtio console: %s", AGENT_PORT_NAME,
		       strerror(-ret));
		goto fail;
	}
	/* From here the device may call back into a: agent_destroy() frees it. */
	vm->agent = a;
	err = pthread_create(&a->thread, NULL, agent_thread, a);
	if (err) {
		pr_err("--agent: cannot start its thread: %s", strerror(err));
		return -err;
	}
	a->started = true;
	return 0;
fail:
	if (a->wake_fd >= 0)
		close(a->wake_fd);
	pthread_mutex_destroy(&a->qlock);
	pthread_mutex_destroy(&a->lock);
	free(a);
	return ret;
}

void agent_stop(struct vm *vm)
{
	struct agent *a = vm->agent;

	if (!a || atomic_exchange(&a->stop, true))
		return;
	agent_wake(a);
	if (a->started)
		pthread_join(a->thread, NULL);
	a->started = false;
	/* The port is closed for good: the guest sees its host side go away. */
	if (a->fd >= 0)
		close(a->fd);
	a->fd = -1;
}

void agent_destroy(struct vm *vm)
{
	struct agent *a = vm->agent;

	if (!a)
		return;
	agent_stop(vm);
	vm->agent = NULL;
	close(a->wake_fd);
	pthread_mutex_destroy(&a->qlock);
	pthread_mutex_destroy(&a->lock);
	free(a);
}
