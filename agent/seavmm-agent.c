// SPDX-License-Identifier: GPL-2.0-only
/*
 * seavmm-agent: runs in a guest of seavmm. seavmm tells it, over the
 * virtio-console port named org.seavmm.agent.0, which guest-physical pages
 * went bad; it hands each to the guest kernel's memory-failure handling
 * (/sys/devices/system/memory/hard_offline_page), which takes the page out
 * of use, and answers with the kernel's result. It also sends a heartbeat,
 * so seavmm can tell a guest that stopped running. The protocol is in
 * docs/agent.md; agent_protocol.h holds what both sides share.
 *
 * One static program with no dependencies: build it with any C11 compiler
 * (`make` builds build/aarch64/seavmm-agent), run it as root.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "agent_protocol.h"

#define AGENT_VERSION	   "1.0"
#define AGENT_STATE_DIR	   "/run/seavmm-agent"
#define AGENT_OFFLINE_PATH "/sys/devices/system/memory/hard_offline_page"
#define AGENT_PORTS_DIR	   "/sys/class/virtio-ports"
/* While the host side of the port is closed, poll() reports HUP at once. */
#define AGENT_HOST_DOWN_MS	  250
#define AGENT_HOST_DOWN_REOPEN_MS 5000
/* A HELLO the host has not answered is sent again after this long. */
#define AGENT_HELLO_RETRY_MS 5000
#define AGENT_TX_MAX	     8192

#ifndef EHWPOISON
#define EHWPOISON 133
#endif

struct agent {
	/* Options. */
	const char *port_name;
	const char *root; /* prefix for /sys, /dev and the state dir: tests */
	const char *state_dir;
	unsigned int period_ms;
	bool verbose, once;
	/* The open port. */
	int fd;
	bool host_up;			 /* the host side is connected (no POLLHUP) */
	bool hello_acked;		 /* the host answered our HELLO */
	unsigned int version;		 /* agreed protocol version */
	char nonce[AGENT_NONCE_MAX + 1]; /* of our last HELLO: the host's answer repeats it */
	uint64_t hello_ms, next_beat_ms, beats, hellos;
	char rx[AGENT_LINE_MAX];
	size_t rx_len;
	bool rx_discard; /* inside an over-long line */
	char tx[AGENT_TX_MAX];
	size_t tx_len;
	unsigned int bad_lines;
};

static void agent_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void agent_log(const char *fmt, ...)
{
	va_list ap;

	fputs("seavmm-agent: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static uint64_t agent_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void agent_sleep_ms(unsigned int ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static void agent_path(const struct agent *a, char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void agent_path(const struct agent *a, char *buf, size_t len, const char *fmt, ...)
{
	size_t n = (size_t)snprintf(buf, len, "%s", a->root);
	va_list ap;

	if (n >= len)
		n = len - 1;
	va_start(ap, fmt);
	vsnprintf(buf + n, len - n, fmt, ap);
	va_end(ap);
}

/*
 * The /dev node of the port named a->port_name: virtio_console names each
 * port's device vportNpM and shows the name the host gave it in sysfs.
 */
static int agent_find_port(const struct agent *a, char *dev, size_t len)
{
	char dir[PATH_MAX], path[PATH_MAX + 300], name[256];
	struct dirent *de;
	DIR *d;
	int found = -ENOENT;

	agent_path(a, dir, sizeof(dir), "%s", AGENT_PORTS_DIR);
	d = opendir(dir);
	if (!d)
		return -errno;
	while (found && (de = readdir(d))) {
		ssize_t n;
		int fd;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s/name", dir, de->d_name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		n = read(fd, name, sizeof(name) - 1);
		close(fd);
		if (n <= 0)
			continue;
		name[n] = '\0';
		name[strcspn(name, "\n")] = '\0';
		if (strcmp(name, a->port_name))
			continue;
		agent_path(a, dev, len, "/dev/%s", de->d_name);
		found = 0;
	}
	closedir(d);
	return found;
}

/* Queues a line for the host; the oldest is never dropped, a new one may be. */
static void agent_send(struct agent *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void agent_send(struct agent *a, const char *fmt, ...)
{
	char line[AGENT_LINE_MAX + 1];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0 || n >= AGENT_LINE_MAX) {
		agent_log("internal: message too long, not sent");
		return;
	}
	line[n++] = '\n';
	if (a->tx_len + (size_t)n > sizeof(a->tx)) {
		/* The host stopped reading: it resends what it needs on reconnect. */
		agent_log("the host is not reading; message dropped: %.*s", n - 1, line);
		return;
	}
	memcpy(a->tx + a->tx_len, line, (size_t)n);
	a->tx_len += (size_t)n;
	if (a->verbose)
		agent_log("-> %.*s", n - 1, line);
}

/* Writes what the port takes now. -errno when the port is gone. */
static int agent_flush(struct agent *a)
{
	while (a->tx_len) {
		ssize_t n = write(a->fd, a->tx, a->tx_len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return 0;
		if (n < 0)
			return -errno;
		memmove(a->tx, a->tx + n, a->tx_len - (size_t)n);
		a->tx_len -= (size_t)n;
	}
	return 0;
}

/* Strict numbers: no sign, no spaces, no overflow. */
static int agent_parse_u64(const char *s, int base, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	const char *c = s;

	if (base == 16) {
		if (c[0] != '0' || c[1] != 'x')
			return -EINVAL;
		c += 2;
	}
	if (!*c || strlen(c) > 20)
		return -EINVAL;
	for (; *c; c++) {
		unsigned int d;

		if (*c >= '0' && *c <= '9')
			d = (unsigned int)(*c - '0');
		else if (base == 16 && *c >= 'a' && *c <= 'f')
			d = (unsigned int)(*c - 'a' + 10);
		else
			return -EINVAL;
		if (v > (max - d) / (unsigned int)base)
			return -ERANGE;
		v = v * (unsigned int)base + d;
	}
	*out = v;
	return 0;
}

/*
 * The answer the kernel gave for gpa earlier in this boot, if any: a page
 * is handed to memory_failure() once, so a resent POISON (the host retries
 * after a reconnect) gets the same answer, not "already poisoned".
 */
static bool agent_recall(const struct agent *a, uint64_t gpa, int *err)
{
	char path[PATH_MAX], buf[16];
	ssize_t n;
	int fd;

	agent_path(a, path, sizeof(path), "%s/0x%" PRIx64, a->state_dir, gpa);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	*err = atoi(buf);
	return *err >= 0 && *err <= AGENT_ERRNO_MAX;
}

static void agent_remember(const struct agent *a, uint64_t gpa, int err)
{
	char path[PATH_MAX], buf[16];
	int fd, n;

	/* The directory and its parents (an initramfs may have no /run). */
	agent_path(a, path, sizeof(path), "%s/", a->state_dir);
	for (char *s = strchr(path + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		mkdir(path, 0700);
		*s = '/';
	}
	agent_path(a, path, sizeof(path), "%s/0x%" PRIx64, a->state_dir, gpa);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		agent_log("cannot record page 0x%" PRIx64 " in %s: %s", gpa, path, strerror(errno));
		return;
	}
	n = snprintf(buf, sizeof(buf), "%d\n", err);
	if (write(fd, buf, (size_t)n) != n)
		agent_log("cannot record page 0x%" PRIx64 ": %s", gpa, strerror(errno));
	close(fd);
}

static const char *agent_explain(int err)
{
	switch (err) {
	case 0:
		return "taken out of use";
	case EBUSY:
		return "the kernel owns it: marked, still in use";
	case EHWPOISON:
		return "already poisoned";
	case ENXIO:
		return "not memory the kernel manages";
	case ENOENT:
		return "no hard_offline_page: kernel without CONFIG_MEMORY_FAILURE?";
	case EPERM:
	case EACCES:
		return "run seavmm-agent as root (CAP_SYS_ADMIN)";
	default:
		return strerror(err);
	}
}

/* Hands the page to the guest kernel's memory-failure handling. */
static int agent_offline(const struct agent *a, uint64_t gpa)
{
	char path[PATH_MAX], buf[32];
	int fd, n, err;

	if (agent_recall(a, gpa, &err))
		return err;
	agent_path(a, path, sizeof(path), "%s", AGENT_OFFLINE_PATH);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return errno; /* never reached the kernel: tried again next time */
	n = snprintf(buf, sizeof(buf), "0x%" PRIx64 "\n", gpa);
	err = write(fd, buf, (size_t)n) == n ? 0 : errno;
	close(fd);
	/* The kernel's own verdicts; anything else may change on a retry. */
	if (err == 0 || err == EBUSY || err == EHWPOISON || err == ENXIO)
		agent_remember(a, gpa, err);
	return err;
}

static void agent_bad_line(struct agent *a, const char *why, const char *line)
{
	/* A host never sends these; say so a few times, then count quietly. */
	if (++a->bad_lines <= 5)
		agent_log("ignored a line from the host (%s): %.40s", why, line);
}

static void agent_on_line(struct agent *a, char *line)
{
	char *f[5]; /* the fifth holds the rest: fields a newer host adds */
	unsigned int n = 0;
	uint64_t v, gpa, seq;

	if (a->verbose)
		agent_log("<- %s", line);
	for (char *s = line; n < 5;) {
		f[n++] = s;
		s = strchr(s, ' ');
		if (!s)
			break;
		*s++ = '\0';
	}
	if (!strcmp(f[0], "HELLO") && n >= 4) {
		if (agent_parse_u64(f[1], 10, UINT32_MAX, &v) || v < 1) {
			agent_bad_line(a, "bad HELLO version", f[1]);
			return;
		}
		/* Bytes queued before the port was last reset may still arrive. */
		if (strcmp(f[3], a->nonce)) {
			agent_bad_line(a, "an answer to an earlier HELLO", f[3]);
			return;
		}
		a->version = v < AGENT_PROTO_VERSION ? (unsigned int)v : AGENT_PROTO_VERSION;
		if (!a->hello_acked)
			agent_log("connected to %s, protocol version %u",
				  n >= 3 ? f[2] : "the host", a->version);
		a->hello_acked = true;
		return;
	}
	if (!strcmp(f[0], "POISON") && n == 3) {
		int err;

		if (!a->hello_acked) {
			agent_bad_line(a, "POISON before the host's HELLO", f[1]);
			return;
		}
		if (agent_parse_u64(f[1], 16, UINT64_MAX, &gpa) || gpa % AGENT_PAGE_SIZE ||
		    agent_parse_u64(f[2], 10, UINT32_MAX, &seq)) {
			agent_bad_line(a, "bad POISON", f[1]);
			return;
		}
		err = agent_offline(a, gpa);
		agent_log("page 0x%" PRIx64 ": %s%s%s", gpa, err ? strerror(err) : "offlined",
			  err ? "; " : "", err ? agent_explain(err) : "");
		agent_send(a, "OFFLINED 0x%" PRIx64 " %" PRIu64 " %d", gpa, seq, err);
		return;
	}
	agent_bad_line(a, "unknown message", f[0]);
}

/* Splits what the port gave into lines; an over-long line is dropped whole. */
static void agent_on_bytes(struct agent *a, const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		char c = buf[i];

		if (c == '\n') {
			if (!a->rx_discard && a->rx_len) {
				a->rx[a->rx_len] = '\0';
				agent_on_line(a, a->rx);
			} else if (a->rx_discard) {
				agent_bad_line(a, "too long", "");
			}
			a->rx_len = 0;
			a->rx_discard = false;
		} else if (a->rx_discard) {
			continue;
		} else if (a->rx_len >= AGENT_LINE_MAX - 1 || c < 0x20 || c > 0x7e) {
			a->rx_discard = true;
		} else {
			a->rx[a->rx_len++] = c;
		}
	}
}

static void agent_hello(struct agent *a, uint64_t now)
{
	a->hello_acked = false;
	a->hello_ms = now;
	a->rx_len = 0;
	a->rx_discard = false;
	/* Unique enough to tell this HELLO's answer from one to an earlier HELLO. */
	a->hellos++;
	snprintf(a->nonce, sizeof(a->nonce), "%llx",
		 (unsigned long long)(((uint64_t)getpid() << 40) ^ (agent_now_ms() << 8) ^
				      a->hellos) &
			 0xffffffffffffULL);
	agent_send(a, "HELLO %u seavmm-agent/%s %s", AGENT_PROTO_VERSION, AGENT_VERSION, a->nonce);
}

/*
 * One open of the port, until it goes away (hot-unplug, read or write
 * error, or the host side closed for AGENT_HOST_DOWN_REOPEN_MS). Returns 0
 * to open it again, 1 to exit (-1 and the host left).
 */
static int agent_session(struct agent *a)
{
	uint64_t down_since = agent_now_ms();

	a->host_up = false;
	a->hello_acked = false;
	a->tx_len = 0;
	for (;;) {
		struct pollfd p = { .fd = a->fd, .events = POLLIN };
		uint64_t now = agent_now_ms();
		int64_t timeout;
		char buf[512];
		ssize_t n;
		int ret;

		if (a->host_up && a->hello_acked && now >= a->next_beat_ms) {
			agent_send(a, "HEARTBEAT %" PRIu64, ++a->beats);
			a->next_beat_ms = now + a->period_ms;
		}
		if (a->host_up && !a->hello_acked && now - a->hello_ms >= AGENT_HELLO_RETRY_MS)
			agent_hello(a, now);
		if (a->tx_len)
			p.events |= POLLOUT;
		/*
		 * While the host side is closed virtio_console reports POLLHUP
		 * at once and keeps reporting it: look without waiting, and wait
		 * by time instead.
		 */
		if (!a->host_up)
			timeout = 0;
		else if (a->hello_acked)
			timeout = (int64_t)(a->next_beat_ms - now);
		else
			timeout = (int64_t)(a->hello_ms + AGENT_HELLO_RETRY_MS - now);
		if (timeout < 0)
			timeout = 0;
		ret = poll(&p, 1, (int)timeout);
		if (ret < 0 && errno == EINTR)
			continue;
		if (ret < 0 || (p.revents & POLLNVAL))
			return 0;
		now = agent_now_ms();
		if (p.revents & POLLHUP) {
			if (a->host_up) {
				agent_log("the host closed the port; waiting for it to come back");
				if (a->once)
					return 1;
				down_since = now;
			}
			a->host_up = false;
			a->hello_acked = false;
			a->tx_len = 0;
		} else if (!a->host_up) {
			a->host_up = true;
			agent_hello(a, now);
		}
		if (p.revents & (POLLIN | POLLHUP)) {
			n = read(a->fd, buf, sizeof(buf));
			if (n < 0 && errno != EAGAIN && errno != EINTR) {
				agent_log("reading the port: %s; opening it again",
					  strerror(errno));
				return 0;
			}
			if (n > 0 && a->host_up)
				agent_on_bytes(a, buf, (size_t)n);
		}
		if (a->host_up && agent_flush(a) < 0) {
			agent_log("writing the port: %s; opening it again", strerror(errno));
			return 0;
		}
		if (!a->host_up) {
			/* Unplugged looks the same as closed: look the port up again. */
			if (now - down_since >= AGENT_HOST_DOWN_REOPEN_MS)
				return 0;
			agent_sleep_ms(AGENT_HOST_DOWN_MS);
		}
	}
}

static const char agent_usage[] =
	"usage: seavmm-agent [-p NAME] [-i SECONDS] [-s DIR] [-r ROOT] [-1] [-v]\n"
	"Takes the guest pages seavmm reports as poisoned out of use and sends a heartbeat.\n"
	"  -p NAME     virtio-console port name (default " AGENT_PORT_NAME ")\n"
	"  -i SECONDS  heartbeat period, 1 to 60 (default 1)\n"
	"  -s DIR      where the answers of this boot are kept (default " AGENT_STATE_DIR ")\n"
	"  -r ROOT     look for /sys and /dev under ROOT (testing)\n"
	"  -1          exit when the host closes the port, instead of waiting for it\n"
	"  -v          log every message\n";

static int agent_options(struct agent *a, int argc, char **argv)
{
	uint64_t v;
	int c;

	while ((c = getopt(argc, argv, "p:i:s:r:1vh")) != -1) {
		switch (c) {
		case 'p':
			a->port_name = optarg;
			break;
		case 'i':
			if (agent_parse_u64(optarg, 10, 60, &v) || v < 1) {
				fprintf(stderr,
					"seavmm-agent: -i %s: give whole seconds, 1 to 60\n",
					optarg);
				return 2;
			}
			a->period_ms = (unsigned int)v * 1000;
			break;
		case 's':
			a->state_dir = optarg;
			break;
		case 'r':
			a->root = optarg;
			break;
		case '1':
			a->once = true;
			break;
		case 'v':
			a->verbose = true;
			break;
		case 'h':
			fputs(agent_usage, stdout);
			return 1;
		default:
			fputs(agent_usage, stderr);
			return 2;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "seavmm-agent: unexpected argument '%s'; see seavmm-agent -h\n",
			argv[optind]);
		return 2;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct agent a = { .port_name = AGENT_PORT_NAME,
			   .root = "",
			   .state_dir = AGENT_STATE_DIR,
			   .period_ms = 1000,
			   .fd = -1 };
	bool waiting_said = false;
	char dev[PATH_MAX];
	int ret;

	ret = agent_options(&a, argc, argv);
	if (ret)
		return ret == 1 ? 0 : 2;
	setvbuf(stderr, NULL, _IOLBF, 0);
	for (;;) {
		ret = agent_find_port(&a, dev, sizeof(dev));
		if (!ret) {
			a.fd = open(dev, O_RDWR | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
			if (a.fd < 0)
				ret = -errno;
		}
		if (ret) {
			if (!waiting_said)
				agent_log("waiting for port %s (%s)", a.port_name,
					  ret == -ENOENT ? "not there yet" : strerror(-ret));
			waiting_said = true;
			agent_sleep_ms(1000);
			continue;
		}
		waiting_said = false;
		agent_log("opened %s (%s)", dev, a.port_name);
		ret = agent_session(&a);
		close(a.fd);
		a.fd = -1;
		if (ret)
			return 0;
		agent_sleep_ms(AGENT_HOST_DOWN_MS);
	}
}
