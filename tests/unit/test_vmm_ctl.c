// SPDX-License-Identifier: GPL-2.0-only
/*
 * seavmm ctl (vmm/api/ctl.c) against the real control-socket server
 * (vmm/api/api_server.c) on a socket in a scratch directory, the VM behind it a
 * small model: what a user types, what ctl prints and its exit status.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../vmm/api/api_server.h"
#include "../../vmm/cli/commands.h"
#include "unit_util.h"
#include "util.h"

static void m_status(void *ctx, struct api_status *st)
{
	(void)ctx;
	st->state = "running";
	st->vm_name = "unit-vm";
	st->vcpus = 1;
	st->mem_bytes = 128ULL << 20;
	st->inject = "disabled";
	snprintf(st->policy, sizeof(st->policy), "user=inject\n");
}

static unsigned int m_pages(void *ctx, struct ras_page *pages, unsigned int max)
{
	(void)ctx;
	(void)max;
	pages[0] = (struct ras_page){
		.gpa = 0x48000000, .count = 1, .flags = RAS_PG_RETIRED, .poison = RAS_PZ_ACTIVE
	};
	return 1;
}

static const char *m_pause(void *ctx, bool pause)
{
	(void)ctx;
	return pause ? "paused" : "running";
}

static bool m_stop(void *ctx, bool restart)
{
	(void)ctx;
	(void)restart;
	return true;
}

static int m_inject(void *ctx, uint64_t gpa, enum ras_set set, struct api_inject_result *r)
{
	(void)ctx;
	(void)gpa;
	(void)set;
	r->mechanism = "none";
	snprintf(r->detail, sizeof(r->detail), "inject-poison is not enabled");
	return -EPERM;
}

static const struct api_vm_ops m_ops = { m_status, m_pages, m_pause, m_stop, m_inject, NULL };

struct fixture {
	struct api_server srv;
	char dir[64], sock[128], out[128];
	bool streamed;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char err[256];

	if (!f || unit_tmpdir_make(f->dir, sizeof(f->dir), "test_vmm_ctl"))
		return -1;
	snprintf(f->sock, sizeof(f->sock), "%s/s.sock", f->dir);
	snprintf(f->out, sizeof(f->out), "%s/out.txt", f->dir);
	if (api_server_init(&f->srv, geteuid(), &m_ops, f) ||
	    api_server_listen(&f->srv, f->sock, err, sizeof(err)) || api_server_start(&f->srv))
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	api_server_stop(&f->srv);
	unit_tmpdir_remove(f->dir);
	free(f);
	return 0;
}

/* Runs seavmm ctl ARGS... with stdout and stderr in f->out; returns its status. */
static int ctl(struct fixture *f, char *text, size_t len, ...)
{
	char *argv[16];
	int argc = 0, saved_out = dup(1), saved_err = dup(2), fd, status;
	const char *a;
	va_list ap;
	ssize_t n;

	argv[argc++] = (char *)"ctl";
	va_start(ap, len);
	while ((a = va_arg(ap, const char *)) && argc < 15)
		argv[argc++] = (char *)(strcmp(a, "SOCK") ? a : f->sock);
	va_end(ap);
	argv[argc] = NULL;
	fflush(stdout);
	fflush(stderr);
	fd = open(f->out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	dup2(fd, 1);
	dup2(fd, 2);
	close(fd);
	status = cmd_ctl(argc, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(saved_out, 1);
	dup2(saved_err, 2);
	close(saved_out);
	close(saved_err);
	fd = open(f->out, O_RDONLY);
	n = read(fd, text, len - 1);
	close(fd);
	text[n > 0 ? n : 0] = '\0';
	return status;
}

static void test_ctl_requests(void **state)
{
	struct fixture *f = *state;
	char out[8192];

	assert_int_equal(ctl(f, out, sizeof(out), "SOCK", "status", NULL), 0);
	assert_non_null(strstr(out, "state:     running\n"));
	assert_non_null(strstr(out, "memory:    128 MiB\n"));
	assert_non_null(strstr(out, "policy:    user=inject\n"));
	assert_int_equal(ctl(f, out, sizeof(out), "--json", "SOCK", "status", NULL), 0);
	assert_ptr_equal(strstr(out, "{\"ok\":true,\"request\":\"status\",\"state\":\"running\""),
			 out);
	assert_int_equal(ctl(f, out, sizeof(out), "SOCK", "poison-list", NULL), 0);
	assert_non_null(strstr(out, "0x48000000         poisoned  false"));
	assert_int_equal(ctl(f, out, sizeof(out), "SOCK", "pause", NULL), 0);
	assert_string_equal(out, "pause: paused\n");
	assert_int_equal(ctl(f, out, sizeof(out), "SOCK", "events", "--last", "2", NULL), 0);
	assert_string_equal(out, "no memory-error events (of 0 so far)\n");
	assert_int_equal(ctl(f, out, sizeof(out), "SOCK", "metrics", NULL), 0);
	assert_non_null(strstr(out, "# TYPE seavmm_memory_errors_total counter\n"));
	/* A refused request: one line on stderr, status 1. */
	assert_int_equal(ctl(f, out, sizeof(out), "SOCK", "inject-poison", "0x48000000", NULL), 1);
	assert_string_equal(out, "seavmm ctl: inject-poison: inject-poison is not enabled\n");
	assert_int_equal(
		ctl(f, out, sizeof(out), "SOCK", "inject-poison", "0x48000000", "xyz", NULL), 1);
	assert_non_null(strstr(out, "\"type\" must be"));
}

static void test_ctl_usage_and_reach(void **state)
{
	struct fixture *f = *state;
	char out[4096], missing[160];

	assert_int_equal(ctl(f, out, sizeof(out), "SOCK", NULL), 2);
	assert_int_equal(ctl(f, out, sizeof(out), "SOCK", "reboot", NULL), 2);
	assert_non_null(strstr(out, "unknown request 'reboot'"));
	assert_int_equal(ctl(f, out, sizeof(out), "SOCK", "status", "now", NULL), 2);
	assert_int_equal(ctl(f, out, sizeof(out), "SOCK", "inject-poison", NULL), 2);
	assert_int_equal(ctl(f, out, sizeof(out), "SOCK", "events", "--last", "x", NULL), 2);
	assert_int_equal(ctl(f, out, sizeof(out), "--bogus", "SOCK", "status", NULL), 2);
	assert_int_equal(ctl(f, out, sizeof(out), "--help", NULL), 0);
	assert_non_null(strstr(out, "usage: seavmm ctl"));
	snprintf(missing, sizeof(missing), "%s/none.sock", f->dir);
	assert_int_equal(ctl(f, out, sizeof(out), missing, "status", NULL), 1);
	assert_non_null(strstr(out, "no such socket; start 'seavmm run --api-socket"));
}

static const char rec[] =
	"{\"time\":\"2025-11-23T11:00:00.000000001Z\",\"vcpu\":0,\"source\":\"sigbus_ao\",\"el\":0,"
	"\"esr\":null,\"gpa\":\"0x41000000\",\"decision\":{\"inject\":\"none\",\"quarantine\":true,"
	"\"escalate\":\"none\"},\"reason\":\"AO\"}\n";

/* Until a client (the ctl under test) has subscribed, 5 s at most. */
static void wait_subscribed(struct api_server *s)
{
	for (int i = 0; i < 500; i++) {
		bool sub = false;

		pthread_mutex_lock(&s->lock);
		for (unsigned int c = 0; c < s->nclients; c++)
			sub |= s->clients[c]->subscribed;
		pthread_mutex_unlock(&s->lock);
		if (sub)
			return;
		usleep(10000);
	}
}

static void *publisher(void *arg)
{
	struct fixture *f = arg;

	/* Until the follower has subscribed, then one record, then the VM goes away. */
	wait_subscribed(&f->srv);
	api_server_publish(&f->srv, rec, strlen(rec), NULL);
	/* Streamed as it comes, not when ctl exits: the file has it while ctl runs. */
	for (int i = 0; i < 500 && !f->streamed; i++) {
		char buf[2048] = "";
		int fd = open(f->out, O_RDONLY);

		if (fd >= 0) {
			ssize_t n = read(fd, buf, sizeof(buf) - 1);

			buf[n > 0 ? n : 0] = '\0';
			close(fd);
		}
		f->streamed = strstr(buf, "\"request\":\"subscribe\"") && strstr(buf, "sigbus_ao");
		usleep(10000);
	}
	api_server_stop(&f->srv);
	return NULL;
}

static void *publisher_readable(void *arg)
{
	struct fixture *f = arg;

	wait_subscribed(&f->srv);
	api_server_publish(&f->srv, rec, strlen(rec), NULL);
	usleep(200000);
	api_server_stop(&f->srv);
	return NULL;
}

static void test_ctl_follow(void **state)
{
	struct fixture *f = *state;
	char out[4096];
	pthread_t t;

	assert_int_equal(pthread_create(&t, NULL, publisher, f), 0);
	assert_int_equal(ctl(f, out, sizeof(out), "--json", "SOCK", "events", "--follow", NULL), 0);
	pthread_join(t, NULL);
	if (!f->streamed)
		fail_msg("out: %s", out);
	assert_non_null(strstr(out, "\"source\":\"sigbus_ao\""));
	assert_non_null(strstr(out, "the socket closed (seavmm stopped)"));
	/* teardown stops it again: harmless. */
	assert_int_equal(api_server_init(&f->srv, geteuid(), &m_ops, f), 0);
}

static void test_ctl_follow_readable(void **state)
{
	struct fixture *f = *state;
	char out[4096];
	pthread_t t;

	assert_int_equal(pthread_create(&t, NULL, publisher_readable, f), 0);
	assert_int_equal(ctl(f, out, sizeof(out), "SOCK", "events", "--follow", NULL), 0);
	pthread_join(t, NULL);
	assert_non_null(strstr(out, "2025-11-23T11:00:00.000000001Z vcpu0: gpa 0x41000000 gva - "
				    "sigbus_ao el=0 -> no abort + quarantine; AO\n"));
	assert_non_null(strstr(out, "the socket closed (seavmm stopped)"));
	assert_int_equal(api_server_init(&f->srv, geteuid(), &m_ops, f), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ctl_requests, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ctl_usage_and_reach, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ctl_follow, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ctl_follow_readable, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
