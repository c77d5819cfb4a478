// SPDX-License-Identifier: GPL-2.0-only
/*
 * sockpipe: the host side of a named virtio-console port in the
 * virtio-console scenario. Connects to the unix socket seavmm listens on
 * (--virtio-port NAME,socket=PATH), waiting up to 60 s for it to appear,
 * writes SEND_FILE to it, then reads RECV_BYTES bytes from it into
 * OUT_FILE. Exits 0 when all went through, 1 with the reason otherwise.
 *
 *   sockpipe PATH SEND_FILE RECV_BYTES OUT_FILE
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static int fail(const char *what)
{
	printf("sockpipe: %s: %s\n", what, strerror(errno));
	return 1;
}

int main(int argc, char **argv)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	char buf[4096];
	long want, got = 0;
	int s, in, out, i;
	ssize_t n;

	if (argc != 5 || strlen(argv[1]) >= sizeof(a.sun_path)) {
		fprintf(stderr, "usage: sockpipe PATH SEND_FILE RECV_BYTES OUT_FILE\n");
		return 2;
	}
	memcpy(a.sun_path, argv[1], strlen(argv[1]));
	want = atol(argv[3]);
	s = socket(AF_UNIX, SOCK_STREAM, 0);
	if (s < 0)
		return fail("socket");
	for (i = 0; connect(s, (struct sockaddr *)&a, sizeof(a)) < 0; i++) {
		if (i == 600)
			return fail("connect (60 s)");
		usleep(100000);
	}
	printf("sockpipe: connected\n");
	fflush(stdout);
	in = open(argv[2], O_RDONLY);
	if (in < 0)
		return fail("open SEND_FILE");
	while ((n = read(in, buf, sizeof(buf))) > 0)
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(s, buf + off, (size_t)(n - off));

			if (w < 0)
				return fail("write");
			off += w;
		}
	printf("sockpipe: sent\n");
	fflush(stdout);
	out = open(argv[4], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (out < 0)
		return fail("open OUT_FILE");
	while (got < want) {
		n = read(s, buf,
			 sizeof(buf) < (size_t)(want - got) ? sizeof(buf) : (size_t)(want - got));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			printf("sockpipe: the port closed after %ld of %ld bytes\n", got, want);
			return 1;
		}
		if (write(out, buf, (size_t)n) != n)
			return fail("write OUT_FILE");
		got += n;
	}
	printf("sockpipe: received %ld bytes\n", got);
	close(out);
	close(s);
	return 0;
}
