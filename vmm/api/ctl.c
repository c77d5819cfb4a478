// SPDX-License-Identifier: GPL-2.0-only
/*
 * seavmm ctl PATH REQUEST [ARGS]: the control socket's client (docs/api.md).
 * Sends one request line, prints the reply readably (ctl_format.c) or as it
 * came with --json; 'events --follow' subscribes and prints every new event
 * record until the VM goes away.
 */
#include <errno.h>
#include <json-c/json.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "commands.h"
#include "ctl_format.h"
#include "util.h"

#define CTL_REPLY_MAX (16 << 20) /* far beyond the server's own bound */

static const char ctl_usage[] =
	"usage: seavmm ctl [--json] PATH REQUEST [ARGS]\n"
	"\n"
	"Talks to the control socket of 'seavmm run --api-socket PATH' (docs/api.md).\n"
	"\n"
	"requests:\n"
	"  status                          state, vCPUs, memory, uptime, policy, counts\n"
	"  poison-list                     every tracked poisoned page\n"
	"  events [--last N] [--follow]    recent memory-error events; --follow streams\n"
	"                                  every new one until the VM goes away\n"
	"  metrics                         Prometheus text\n"
	"  pause | resume | stop | restart the guest\n"
	"  inject-poison GPA [uer|ueo|uc]  poison the host page behind GPA (needs\n"
	"                                  seavmm run --allow-inject=emulator|einj)\n"
	"\n"
	"  --json    print the replies (and event records) as the JSON lines they are\n"
	"\n"
	"Exit status: 0 done, 1 the request failed or the socket cannot be reached,\n"
	"2 usage error.\n";

struct ctl {
	const char *path;
	bool json, follow;
	int fd;
	char *buf;
	size_t len, cap, consumed; /* consumed: the line handed out last */
};

static int ctl_usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "seavmm ctl: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "; see 'seavmm ctl --help'\n");
	return EXIT_USAGE;
}

/* The request object from the words after PATH; NULL with a usage message. */
static struct json_object *ctl_build(struct ctl *c, int argc, char **argv, int *status)
{
	struct json_object *req = json_object_new_object();
	const char *name = argv[0];
	static const char *const simple[] = { "status", "poison-list", "metrics", "pause",
					      "resume", "stop",	       "restart" };
	bool known = false;

	*status = EXIT_USAGE;
	json_object_object_add(req, "request", json_object_new_string(name));
	for (size_t i = 0; i < ARRAY_SIZE(simple); i++)
		if (!strcmp(name, simple[i])) {
			if (argc > 1) {
				ctl_usage_error("'%s' takes no arguments", name);
				goto bad;
			}
			known = true;
		}
	if (!strcmp(name, "events")) {
		known = true;
		for (int i = 1; i < argc; i++) {
			if (!strcmp(argv[i], "--follow") || !strcmp(argv[i], "-f")) {
				c->follow = true;
			} else if (!strcmp(argv[i], "--last") && i + 1 < argc) {
				char *end;
				long n = strtol(argv[++i], &end, 10);

				if (*end || n < 1) {
					ctl_usage_error(
						"events --last '%s' is not a positive number",
						argv[i]);
					goto bad;
				}
				json_object_object_add(req, "last", json_object_new_int64(n));
			} else {
				ctl_usage_error("events: unknown argument '%s'", argv[i]);
				goto bad;
			}
		}
		if (c->follow) {
			json_object_put(req);
			req = json_object_new_object();
			json_object_object_add(req, "request", json_object_new_string("subscribe"));
		}
	}
	if (!strcmp(name, "inject-poison")) {
		known = true;
		if (argc < 2 || argc > 3) {
			ctl_usage_error("%s needs GPA [uer|ueo|uc]", name);
			goto bad;
		}
		/* The server checks the values and says what is wrong. */
		json_object_object_add(req, "gpa", json_object_new_string(argv[1]));
		if (argc == 3)
			json_object_object_add(req, "type", json_object_new_string(argv[2]));
	}
	if (!known) {
		ctl_usage_error("unknown request '%s'", name);
		goto bad;
	}
	return req;
bad:
	json_object_put(req);
	return NULL;
}

static int ctl_connect(struct ctl *c)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int e;

	if (strlen(c->path) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "seavmm ctl: %s: path too long for a socket\n", c->path);
		return -ENAMETOOLONG;
	}
	memcpy(sa.sun_path, c->path, strlen(c->path) + 1);
	c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c->fd < 0)
		return -errno;
	if (connect(c->fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
		return 0;
	e = errno;
	if (e == ENOENT)
		fprintf(stderr,
			"seavmm ctl: %s: no such socket; start 'seavmm run --api-socket %s' "
			"first\n",
			c->path, c->path);
	else if (e == ECONNREFUSED)
		fprintf(stderr,
			"seavmm ctl: %s: nobody serves this socket (the seavmm that made it has "
			"gone)\n",
			c->path);
	else
		fprintf(stderr, "seavmm ctl: %s: %s\n", c->path, strerror(e));
	close(c->fd);
	return -e;
}

static int ctl_send(struct ctl *c, struct json_object *req)
{
	size_t n;
	const char *txt = json_object_to_json_string_length(req, JSON_C_TO_STRING_PLAIN, &n);
	char *line = malloc(n + 1);
	size_t off = 0;

	if (!line)
		return -ENOMEM;
	memcpy(line, txt, n);
	line[n++] = '\n';
	while (off < n) {
		ssize_t w = send(c->fd, line + off, n - off, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			int e = errno;

			free(line);
			fprintf(stderr, "seavmm ctl: %s: sending the request: %s\n", c->path,
				strerror(e));
			return -e;
		}
		off += (size_t)w;
	}
	free(line);
	return 0;
}

/* The next line from the socket (NUL-terminated, no newline): its length, 0 at EOF, or -errno. */
static long ctl_read_line(struct ctl *c, char **line)
{
	if (c->consumed) {
		memmove(c->buf, c->buf + c->consumed, c->len - c->consumed);
		c->len -= c->consumed;
		c->consumed = 0;
	}
	for (;;) {
		char *nl = c->len ? memchr(c->buf, '\n', c->len) : NULL;
		ssize_t n;

		if (nl) {
			*nl = '\0';
			*line = c->buf;
			c->consumed = (size_t)(nl - c->buf) + 1;
			return (long)(nl - c->buf);
		}
		if (c->len + 1 >= c->cap) {
			size_t cap = c->cap ? c->cap * 2 : 65536;
			char *p;

			if (cap > CTL_REPLY_MAX)
				return -EMSGSIZE;
			p = realloc(c->buf, cap);
			if (!p)
				return -ENOMEM;
			c->buf = p;
			c->cap = cap;
		}
		n = read(c->fd, c->buf + c->len, c->cap - c->len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return 0;
		c->len += (size_t)n;
	}
}

/* One reply line: printed; returns the exit status it means. */
static int ctl_reply(struct ctl *c, const char *line, const char *request)
{
	struct json_object *r = json_tokener_parse(line);
	int status = EXIT_OK;

	if (!r || !json_object_is_type(r, json_type_object)) {
		fprintf(stderr, "seavmm ctl: %s: the reply is not a JSON object: %.200s\n", c->path,
			line);
		json_object_put(r);
		return EXIT_RUNTIME;
	}
	if (c->json)
		printf("%s\n", line);
	if (!json_object_get_boolean(json_object_object_get(r, "ok"))) {
		struct json_object *e = json_object_object_get(r, "error");

		if (!c->json)
			fprintf(stderr, "seavmm ctl: %s: %s\n", request,
				e ? json_object_get_string(e) : "failed");
		status = EXIT_RUNTIME;
	} else if (!c->json) {
		ctl_format_reply(stdout, r);
	}
	json_object_put(r);
	return status;
}

/* events --follow: every record after the subscribe reply, until the socket closes. */
static int ctl_follow(struct ctl *c)
{
	char *line;
	long n;

	while ((n = ctl_read_line(c, &line)) > 0) {
		struct json_object *r;

		if (c->json) {
			printf("%s\n", line);
			fflush(stdout);
			continue;
		}
		r = json_tokener_parse(line);
		if (r && json_object_object_get(r, "ok"))
			ctl_reply(c, line, "events");
		else if (r)
			ctl_format_event(stdout, r);
		json_object_put(r);
		fflush(stdout);
	}
	if (n < 0) {
		fprintf(stderr, "seavmm ctl: %s: %s\n", c->path, strerror((int)-n));
		return EXIT_RUNTIME;
	}
	fprintf(stderr, "seavmm ctl: %s: the socket closed (seavmm stopped)\n", c->path);
	return EXIT_OK;
}

int cmd_ctl(int argc, char **argv)
{
	struct ctl c = { .fd = -1 };
	struct json_object *req;
	int i = 1, status;
	char *line;
	long n;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(ctl_usage, stdout);
			return EXIT_OK;
		}
		if (!strcmp(argv[i], "--json"))
			c.json = true;
		else
			return ctl_usage_error("unknown option '%s'", argv[i]);
	}
	if (argc - i < 2) {
		fprintf(stderr, "seavmm ctl: need PATH and REQUEST; see 'seavmm ctl --help'\n");
		return EXIT_USAGE;
	}
	c.path = argv[i];
	req = ctl_build(&c, argc - i - 1, argv + i + 1, &status);
	if (!req)
		return status;
	signal(SIGPIPE, SIG_IGN);
	if (ctl_connect(&c) < 0 || ctl_send(&c, req) < 0) {
		json_object_put(req);
		return EXIT_RUNTIME;
	}
	json_object_put(req);
	n = ctl_read_line(&c, &line);
	if (n <= 0) {
		fprintf(stderr, "seavmm ctl: %s: %s before a reply\n", c.path,
			n == 0 ? "the socket closed" : strerror((int)-n));
		status = EXIT_RUNTIME;
	} else {
		status = ctl_reply(&c, line, argv[i + 1]);
		/* A stream goes out line by line even into a file or pipe. */
		fflush(stdout);
		if (status == EXIT_OK && c.follow)
			status = ctl_follow(&c);
	}
	close(c.fd);
	free(c.buf);
	return status;
}
