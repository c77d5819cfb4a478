// SPDX-License-Identifier: GPL-2.0-only
/*
 * api_abuse: an untrusted client of seavmm's control socket (docs/api.md),
 * for the ctl-hostile scenario. Each mode misbehaves one way and prints
 * what the server did; the scenario checks the lines.
 *
 *   api_abuse SOCK malformed  bad lines on one connection: one error reply each
 *   api_abuse SOCK longline   a line over the limit: an error reply, then closed
 *   api_abuse SOCK noread     thousands of requests, never a reply read: dropped
 *   api_abuse SOCK many N     N connections at once: some served, the rest refused
 *   api_abuse SOCK midstream  subscribes, then hangs up without reading
 *
 * Exits 0 when the server behaved as docs/api.md says, 1 otherwise with the
 * reason on its last line.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static const char *sock_path;

static void die(const char *fmt, const char *arg)
{
	printf(fmt, arg);
	printf("\n");
	exit(1);
}

static int conn(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock_path);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		die("cannot connect: %s", strerror(errno));
	return fd;
}

static int send_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);

		if (n < 0)
			return -errno;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * One line within 10 s into buf (no newline); 0 at EOF, -1 on timeout or a
 * partial line, -2 when read fails (errno says why).
 */
static int read_line(int fd, char *buf, size_t cap)
{
	size_t n = 0;

	while (n + 1 < cap) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t r;

		if (poll(&p, 1, 10000) != 1)
			return -1;
		r = read(fd, buf + n, 1);
		if (r < 0)
			return -2;
		if (r == 0)
			return n == 0 ? 0 : -1;
		if (buf[n] == '\n') {
			buf[n] = '\0';
			return 1;
		}
		n++;
	}
	return -1;
}

static void mode_malformed(void)
{
	static const char *const bad[] = {
		"{\"request\":",
		"not json at all",
		"{\"request\":\"status\"} trailing",
		"[1,2,3]",
		"{\"request\":\"launch-missiles\"}",
		"{\"request\":\"status\",\"extra\":1}",
		"{\"request\":\"inject-poison\",\"gpa\":\"banana\"}",
		"{\"request\":\"\xc3\x28\"}",
		"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
	};
	char line[4096];
	int fd = conn();

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (send_all(fd, bad[i], strlen(bad[i])) || send_all(fd, "\n", 1))
			die("send failed on bad line %s", bad[i]);
		if (read_line(fd, line, sizeof(line)) != 1)
			die("no reply to a bad line: %s", bad[i]);
		if (!strstr(line, "\"ok\":false") || !strstr(line, "\"error\":"))
			die("not an error reply: %s", line);
		printf("error reply: %s\n", line);
	}
	/* The same connection still answers a good request. */
	send_all(fd, "{\"request\":\"status\"}\n", 21);
	if (read_line(fd, line, sizeof(line)) != 1 || !strstr(line, "\"ok\":true"))
		die("the connection did not answer status after bad lines: %s", line);
	printf("malformed ok: %zu error replies, then status answered\n",
	       sizeof(bad) / sizeof(bad[0]));
	close(fd);
}

static void mode_longline(void)
{
	size_t len = 1 << 20;
	char *big = malloc(len), line[4096];
	int fd = conn(), r;

	memset(big, 'x', len);
	/* The server stops reading at the limit: this send may fail part way. */
	send_all(fd, big, len);
	free(big);
	if (read_line(fd, line, sizeof(line)) != 1 || !strstr(line, "longer than"))
		die("no 'longer than' error reply to an over-long line: %s", line);
	printf("error reply: %s\n", line);
	/*
	 * Closed: EOF, or ECONNRESET when the server closed with our unread bytes
	 * still queued on its side and our blocked send did not take that error
	 * first (which one comes depends on timing alone).
	 */
	r = read_line(fd, line, sizeof(line));
	if (r == -2 && errno != ECONNRESET)
		die("reading after the over-long line: %s", strerror(errno));
	if (r != 0 && r != -2)
		die("the connection was not closed after the over-long line (%s)",
		    r > 0 ? line : "timeout");
	printf("longline ok: error reply, then closed (%s)\n", r ? "reset" : "EOF");
	close(fd);
}

static void mode_noread(void)
{
	static const char req[] = "{\"request\":\"status\"}\n";
	size_t sent = 0;
	int fd = conn(), ret = 0;
	time_t t0 = time(NULL);

	/* Requests until the server gives up on us (a reply is ~600 bytes). */
	while (!ret && time(NULL) - t0 < 60)
		if ((ret = send_all(fd, req, sizeof(req) - 1)) == 0)
			sent++;
	if (!ret)
		die("%s", "never dropped within 60 s of requests that were never read");
	printf("noread ok: dropped after %zu requests (%s)\n", sent, strerror(-ret));
	close(fd);
}

static void mode_many(int n)
{
	int *fds = calloc((size_t)n, sizeof(int)), served = 0, refused = 0;
	char line[1024];

	for (int i = 0; i < n; i++)
		fds[i] = conn();
	for (int i = 0; i < n; i++)
		send_all(fds[i], "{\"request\":\"status\"}\n", 21);
	for (int i = 0; i < n; i++) {
		if (read_line(fds[i], line, sizeof(line)) != 1)
			die("connection without a reply: %s", "timeout or EOF");
		if (strstr(line, "\"ok\":true"))
			served++;
		else if (strstr(line, "too many clients"))
			refused++;
		else
			die("unexpected reply: %s", line);
	}
	for (int i = 0; i < n; i++)
		close(fds[i]);
	free(fds);
	printf("many ok: %d connections, %d served, %d refused\n", n, served, refused);
}

static void mode_midstream(void)
{
	char line[1024];
	int fd = conn();

	send_all(fd, "{\"request\":\"subscribe\"}\n", 24);
	if (read_line(fd, line, sizeof(line)) != 1 || !strstr(line, "\"ok\":true"))
		die("subscribe not answered: %s", line);
	/* Gone without a word, with the stream open. */
	close(fd);
	printf("midstream ok: subscribed and hung up\n");
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		printf("usage: api_abuse SOCK malformed|longline|noread|many N|midstream\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	sock_path = argv[1];
	if (!strcmp(argv[2], "malformed"))
		mode_malformed();
	else if (!strcmp(argv[2], "longline"))
		mode_longline();
	else if (!strcmp(argv[2], "noread"))
		mode_noread();
	else if (!strcmp(argv[2], "many") && argc > 3)
		mode_many(atoi(argv[3]));
	else if (!strcmp(argv[2], "midstream"))
		mode_midstream();
	else
		die("unknown mode %s", argv[2]);
	return 0;
}
