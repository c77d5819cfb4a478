// SPDX-License-Identifier: GPL-2.0-only
/*
 * agent_hostile: a guest agent that says wrong things, for the
 * sea-agent-hostile scenario (guest-images/guest/sea-agent-hostile.sh). It
 * opens seavmm's agent port as seavmm-agent would and sends, in order: a
 * message before HELLO, bytes that are no message, a 100 KiB line, a HELLO
 * with no version in common, then a proper HELLO. Once seavmm tells it about
 * a poisoned page it claims that page with the wrong sequence number, and
 * pages it was never told about, answers with an errno out of range, floods
 * the port with heartbeats, and closes the port in the middle of a message.
 * seavmm must record all of it, offline nothing, and run on.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../../agent/agent_protocol.h"

#define FLOOD_LINES 50000

static int port_open(void)
{
	char path[300], name[128], dev[300];
	struct dirent *de;
	DIR *d = opendir("/sys/class/virtio-ports");

	for (int tries = 0; tries < 300; tries++) {
		if (!d) {
			usleep(100000);
			d = opendir("/sys/class/virtio-ports");
			continue;
		}
		rewinddir(d);
		while ((de = readdir(d))) {
			FILE *f;

			snprintf(path, sizeof(path), "/sys/class/virtio-ports/%s/name", de->d_name);
			f = fopen(path, "r");
			if (!f)
				continue;
			if (fgets(name, sizeof(name), f) &&
			    !strncmp(name, AGENT_PORT_NAME "\n", sizeof(AGENT_PORT_NAME))) {
				fclose(f);
				closedir(d);
				snprintf(dev, sizeof(dev), "/dev/%s", de->d_name);
				return open(dev, O_RDWR | O_CLOEXEC);
			}
			fclose(f);
		}
		usleep(100000);
	}
	if (d)
		closedir(d);
	errno = ENOENT;
	return -1;
}

static int say(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int says(int fd, const char *s)
{
	return say(fd, s, strlen(s));
}

/* The next line from seavmm within timeout_s; NULL on timeout or error. */
static const char *hear(int fd, int timeout_s)
{
	static char buf[4096], line[AGENT_LINE_MAX + 1];
	static size_t len;
	time_t end = time(NULL) + timeout_s;

	for (;;) {
		char *nl = memchr(buf, '\n', len);

		if (nl) {
			size_t n = (size_t)(nl - buf);

			if (n > AGENT_LINE_MAX)
				n = AGENT_LINE_MAX;
			memcpy(line, buf, n);
			line[n] = '\0';
			len -= (size_t)(nl + 1 - buf);
			memmove(buf, nl + 1, len);
			return line;
		}
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int left = (int)(end - time(NULL));

		if (left <= 0 || poll(&p, 1, left * 1000) <= 0)
			return NULL;
		ssize_t n = read(fd, buf + len, sizeof(buf) - len);
		if (n <= 0)
			return NULL;
		len += (size_t)n;
	}
}

int main(void)
{
	static char big[100 * 1024 + 1], flood[FLOOD_LINES * 12];
	const char *l;
	uint64_t gpa = 0;
	unsigned int seq = 0;
	char msg[128];
	int fd;

	setvbuf(stdout, NULL, _IOLBF, 0);
	fd = port_open();
	if (fd < 0) {
		printf("HOSTILE: cannot open port %s: %s\n", AGENT_PORT_NAME, strerror(errno));
		return 1;
	}
	says(fd, "HEARTBEAT 1\n");
	say(fd, "\x01\x02 garbage \xff\xfe\n", 14);
	memset(big, 'A', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\n';
	say(fd, big, sizeof(big));
	says(fd, "HELLO 0 hostile/0 1\n");
	says(fd, "HELLO 1 hostile/1 c0ffee\n");
	while ((l = hear(fd, 60)) && strcmp(l, "HELLO 1 seavmm c0ffee"))
		printf("HOSTILE: heard '%s'\n", l);
	if (!l) {
		printf("HOSTILE: no HELLO from seavmm\n");
		return 1;
	}
	printf("HOSTILE-CONNECTED\n");
	/* Wait to be told about the page the test poisons. */
	while ((l = hear(fd, 150)) && sscanf(l, "POISON 0x%" SCNx64 " %u", &gpa, &seq) != 2)
		printf("HOSTILE: heard '%s'\n", l);
	if (!l) {
		printf("HOSTILE: seavmm told of no page\n");
		return 1;
	}
	printf("HOSTILE: told gpa 0x%" PRIx64 " seq %u\n", gpa, seq);
	/* Claims: the wrong number, pages never told, an errno out of range. */
	snprintf(msg, sizeof(msg), "OFFLINED 0x%" PRIx64 " %u 0\n", gpa, seq + 1);
	says(fd, msg);
	snprintf(msg, sizeof(msg), "OFFLINED 0x%" PRIx64 " %u 0\n", gpa + 4096, seq);
	says(fd, msg);
	says(fd, "OFFLINED 0x7ffff000 1 0\n");
	snprintf(msg, sizeof(msg), "OFFLINED 0x%" PRIx64 " %u 99999\n", gpa, seq);
	says(fd, msg);
	/* A flood: far more lines a second than any agent needs. */
	for (size_t i = 0; i < FLOOD_LINES; i++)
		memcpy(flood + i * 12, "HEARTBEAT 7\n", 12);
	if (say(fd, flood, sizeof(flood)))
		printf("HOSTILE: the flood stopped: %s\n", strerror(errno));
	/*
	 * And gone in the middle of the one true answer. The pause lets the
	 * device hand the bytes over before it tells of the close, so that the
	 * scenario does not depend on how soon it does.
	 */
	snprintf(msg, sizeof(msg), "OFFLINED 0x%" PRIx64 " %u", gpa, seq);
	says(fd, msg);
	usleep(500000);
	close(fd);
	printf("HOSTILE: done\n");
	return 0;
}
