// SPDX-License-Identifier: GPL-2.0-only
/*
 * netxfer: one TCP transfer of a file, for the virtio-net scenario (in the
 * guest, and in the emulated host: tests/integration/progs/netxfer.c builds
 * this same file). The scenario compares checksums of what went in and what
 * came out.
 *
 *   netxfer listen-recv PORT OUT     accept one connection, read it to EOF into OUT
 *   netxfer listen-send PORT IN      accept one connection, send IN, close
 *   netxfer connect-send ADDR PORT IN    connect (retrying for 60 s), send IN, close
 *   netxfer connect-recv ADDR PORT OUT   connect (retrying for 60 s), read to EOF into OUT
 *
 * Prints "netxfer: N bytes" and exits 0, or the failing step and 1. Every
 * mode gives up after 120 s.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int fail(const char *what)
{
	printf("netxfer: %s: %s\n", what, strerror(errno));
	return 1;
}

static int pump(int from, int to, long *total)
{
	char buf[16384];
	ssize_t n;

	while ((n = read(from, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(to, buf + off, (size_t)(n - off));

			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0)
				return -1;
			off += w;
		}
		*total += n;
	}
	return 0;
}

static int listen_one(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int one = 1, s = socket(AF_INET, SOCK_STREAM, 0), c;

	if (s < 0)
		return -1;
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(s, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(s, 1) < 0)
		return -1;
	printf("netxfer: listening on %d\n", port);
	fflush(stdout);
	c = accept(s, NULL, NULL);
	close(s);
	return c;
}

static int connect_to(const char *addr, int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };

	if (inet_pton(AF_INET, addr, &a.sin_addr) != 1) {
		errno = EINVAL;
		return -1;
	}
	for (int i = 0; i < 120; i++) {
		int s = socket(AF_INET, SOCK_STREAM, 0);

		if (s < 0)
			return -1;
		if (connect(s, (struct sockaddr *)&a, sizeof(a)) == 0)
			return s;
		close(s);
		usleep(500000);
	}
	return -1;
}

int main(int argc, char **argv)
{
	long total = 0;
	int s, f, send_mode;

	alarm(120);
	if (argc == 4 && (!strcmp(argv[1], "listen-recv") || !strcmp(argv[1], "listen-send"))) {
		send_mode = !strcmp(argv[1], "listen-send");
		s = listen_one(atoi(argv[2]));
		f = argv[3][0] ? open(argv[3], send_mode ? O_RDONLY : O_WRONLY | O_CREAT | O_TRUNC,
				      0644)
			       : -1;
	} else if (argc == 5 &&
		   (!strcmp(argv[1], "connect-send") || !strcmp(argv[1], "connect-recv"))) {
		send_mode = !strcmp(argv[1], "connect-send");
		s = connect_to(argv[2], atoi(argv[3]));
		f = open(argv[4], send_mode ? O_RDONLY : O_WRONLY | O_CREAT | O_TRUNC, 0644);
	} else {
		fprintf(stderr, "usage: netxfer listen-recv|listen-send PORT FILE | "
				"connect-send|connect-recv ADDR PORT FILE\n");
		return 2;
	}
	if (s < 0)
		return fail("connection");
	if (f < 0)
		return fail("open");
	if (pump(send_mode ? f : s, send_mode ? s : f, &total) < 0)
		return fail("transfer");
	if (close(s) < 0 || close(f) < 0)
		return fail("close");
	printf("netxfer: %ld bytes\n", total);
	return 0;
}
