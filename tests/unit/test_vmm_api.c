// SPDX-License-Identifier: GPL-2.0-only
/*
 * The control socket (vmm/api/api_*.c): request parsing and replies, and the
 * untrusted-client limits, over real sockets (socketpairs and a listening
 * socket in a scratch directory) with the real server thread. The VM behind
 * it is a small model (struct fake_vm) whose state the tests check.
 */
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../vmm/api/api_metrics.h"
#include "../../vmm/api/api_page.h"
#include "../../vmm/api/api_requests.h"
#include "../../vmm/api/api_server.h"
#include "../../vmm/api/ctl_format.h"
#include "../../vmm/api/poison_einj.h"
#include "unit_util.h"
#include "util.h"

/* ---- the VM model ---- */

struct fake_vm {
	bool paused, stopping, restart;
	unsigned int npages;
	struct ras_page pages[4];
	uint64_t inject_gpa;
	enum ras_set inject_set;
};

static void fake_status(void *ctx, struct api_status *st)
{
	struct fake_vm *f = ctx;

	st->state = f->stopping ? "stopping" : f->paused ? "paused" : "running";
	st->vm_name = "unit-vm";
	st->vcpus = 2;
	st->mem_bytes = 256ULL << 20;
	st->started_ns = 0;
	st->booted_ns = 0;
	st->boots = 1;
	st->inject = "emulator";
	st->quarantined = 1;
	snprintf(st->policy, sizeof(st->policy), "user=inject\nkernel=restart\nthreshold=0\n");
}

static unsigned int fake_pages(void *ctx, struct ras_page *pages, unsigned int max)
{
	struct fake_vm *f = ctx;
	unsigned int n = f->npages < max ? f->npages : max;

	memcpy(pages, f->pages, n * sizeof(*pages));
	return n;
}

static const char *fake_pause(void *ctx, bool pause)
{
	struct fake_vm *f = ctx;

	f->paused = pause;
	return pause ? "paused" : "running";
}

static bool fake_stop(void *ctx, bool restart)
{
	struct fake_vm *f = ctx;

	if (f->stopping)
		return false;
	f->stopping = true;
	f->restart = restart;
	return true;
}

static int fake_inject(void *ctx, uint64_t gpa, enum ras_set set, struct api_inject_result *r)
{
	struct fake_vm *f = ctx;

	f->inject_gpa = gpa;
	f->inject_set = set;
	if (gpa < 0x40000000) {
		r->mechanism = "emulator";
		snprintf(r->detail, sizeof(r->detail), "gpa 0x%llx is not guest RAM",
			 (unsigned long long)gpa);
		return -EINVAL;
	}
	r->mechanism = "emulator";
	r->pa = 0x8000000 + (gpa & 0xfff000);
	snprintf(r->detail, sizeof(r->detail), "poisoned");
	return 0;
}

static const struct api_vm_ops fake_ops = {
	.status = fake_status,
	.pages = fake_pages,
	.pause = fake_pause,
	.stop = fake_stop,
	.inject = fake_inject,
};

/* ---- helpers ---- */

struct fixture {
	struct fake_vm vm;
	struct api_server srv;
	char dir[64];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f || api_server_init(&f->srv, geteuid(), &fake_ops, &f->vm) ||
	    unit_tmpdir_make(f->dir, sizeof(f->dir), "test_vmm_api"))
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

/* A served socketpair end; returns the test's end. */
static int connect_pair(struct fixture *f)
{
	int sv[2];

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	assert_int_equal(api_server_add_client(&f->srv, sv[1], geteuid()), 0);
	return sv[0];
}

static void send_str(int fd, const char *s)
{
	size_t n = strlen(s), off = 0;

	while (off < n) {
		ssize_t w = send(fd, s + off, n - off, MSG_NOSIGNAL);

		assert_true(w > 0);
		off += (size_t)w;
	}
}

/*
 * Reads one line (up to 1 MiB) within 5 s into a static buffer: NULL at
 * EOF. The buffer keeps what followed the line for the next call on the
 * same fd.
 */
static char rl_buf[1 << 20];
static size_t rl_len, rl_used;
static int rl_fd = -1;

static char *read_line(int fd)
{
	if (fd != rl_fd) {
		rl_fd = fd;
		rl_len = rl_used = 0;
	}
	memmove(rl_buf, rl_buf + rl_used, rl_len - rl_used);
	rl_len -= rl_used;
	rl_used = 0;
	for (;;) {
		char *nl = memchr(rl_buf, '\n', rl_len);
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (nl) {
			*nl = '\0';
			rl_used = (size_t)(nl - rl_buf) + 1;
			return rl_buf;
		}
		if (poll(&p, 1, 5000) != 1)
			fail_msg("no reply within 5 s");
		n = read(fd, rl_buf + rl_len, sizeof(rl_buf) - 1 - rl_len);
		if (n <= 0)
			return NULL;
		rl_len += (size_t)n;
	}
}

/* Sends line and parses the one reply. */
static struct json_object *ask(int fd, const char *line)
{
	char *r;
	struct json_object *o;

	send_str(fd, line);
	r = read_line(fd);
	assert_non_null(r);
	o = json_tokener_parse(r);
	assert_non_null(o);
	return o;
}

static const char *jstr(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !v)
		return "";
	return json_object_get_string(v);
}

static bool jok(struct json_object *o)
{
	return json_object_get_boolean(json_object_object_get(o, "ok"));
}

static void wait_for(struct api_server *s, uint64_t *counter, uint64_t want)
{
	for (int i = 0; i < 500; i++) {
		uint64_t v;

		pthread_mutex_lock(&s->lock);
		v = *counter;
		pthread_mutex_unlock(&s->lock);
		if (v >= want)
			return;
		usleep(10000);
	}
	fail_msg("counter did not reach %llu", (unsigned long long)want);
}

static const char sample_rec[] =
	"{\"time\":\"2025-11-23T11:00:00.123456789Z\",\"mono_ns\":5000,\"vm\":\"unit-vm\","
	"\"vcpu\":1,\"source\":\"sea_exit\",\"el\":0,\"aarch32\":false,\"pstate\":\"0x0\","
	"\"pc\":\"0x400123\",\"esr\":{\"raw\":\"0x92000210\",\"valid\":true,\"ec\":\"0x24\","
	"\"class\":\"dabt_low\",\"il\":true,\"fsc\":\"0x10\",\"fault\":\"sea\",\"level\":null,"
	"\"set\":\"uer\",\"fnv\":false,\"ea\":true,\"cm\":false,\"wnr\":false},"
	"\"gva\":\"0xaaaa0010\",\"gpa\":\"0x48000000\",\"decision\":{\"inject\":\"data\","
	"\"inject_esr\":\"0x92000210\",\"far\":\"0xaaaa0010\",\"vector\":\"0x400\","
	"\"kvm_ext_dabt_exact\":false,\"quarantine\":true,\"escalate\":\"none\"},"
	"\"page_count\":1,\"streak\":1,\"window_pages\":1,"
	"\"reason\":\"EL0 data sea UER: inject (user=inject)\"}\n";

static void publish_sample(struct api_server *s)
{
	struct api_event_key k = { .source = RAS_SRC_SEA_EXIT,
				   .cls = RAS_CLASS_DABT_LOW,
				   .action = API_ACT_INJECT_DATA,
				   .mono_ns = 5000 };

	api_server_publish(s, sample_rec, strlen(sample_rec), &k);
}

/* ---- parsing ---- */

static int parse(const char *line, struct api_request *r, char *err, size_t len)
{
	return api_request_parse(line, strlen(line), r, err, len);
}

static void test_parse_requests(void **state)
{
	struct api_request r;
	char err[256];

	(void)state;
	assert_int_equal(parse("{\"request\":\"status\"}", &r, err, sizeof(err)), 0);
	assert_int_equal(r.kind, API_REQ_STATUS);
	assert_false(r.has_id);
	assert_int_equal(
		parse(" {\"request\" : \"poison-list\", \"id\": 7}  ", &r, err, sizeof(err)), 0);
	assert_int_equal(r.kind, API_REQ_POISON_LIST);
	assert_true(r.has_id && !r.id_is_str && r.id_num == 7);
	assert_int_equal(
		parse("{\"request\":\"events\",\"last\":3,\"id\":\"a\"}", &r, err, sizeof(err)), 0);
	assert_int_equal(r.last, 3);
	assert_true(r.id_is_str && !strcmp(r.id_str, "a"));
	assert_int_equal(
		parse("{\"request\":\"inject-poison\",\"gpa\":\"0x48001234\",\"type\":\"ueo\"}", &r,
		      err, sizeof(err)),
		0);
	assert_true(r.gpa == 0x48001234 && r.set == RAS_SET_UEO);
	assert_int_equal(
		parse("{\"request\":\"inject-poison\",\"gpa\":1207959552}", &r, err, sizeof(err)),
		0);
	assert_true(r.gpa == 0x48000000 && r.set == RAS_SET_UER);
	assert_int_equal(
		parse("{\"request\":\"inject-poison\",\"gpa\":\"0x48000000\",\"type\":\"uc\"}", &r,
		      err, sizeof(err)),
		0);
	assert_int_equal(r.set, RAS_SET_UC);
	for (unsigned int k = 0; k < API_REQ_COUNT; k++) {
		char line[128];

		if (k == API_REQ_INJECT_POISON)
			continue;
		snprintf(line, sizeof(line), "{\"request\":\"%s\"}", api_request_name(k));
		assert_int_equal(parse(line, &r, err, sizeof(err)), 0);
		assert_int_equal(r.kind, k);
	}
}

/* Each bad line is refused with a reason naming the problem. */
static void test_parse_refuses(void **state)
{
	static const struct {
		const char *line, *want;
	} bad[] = {
		{ "{\"request\":", "ends inside a value" },
		{ "{\"request\":\"status\"} x", "malformed JSON" },
		{ "{\"request\":\"status\"}{}", "malformed JSON" },
		{ "{'request':'status'}", "malformed JSON at byte" },
		{ "{\"request\":\"status\",}", "malformed JSON at byte" },
		{ "[\"status\"]", "not a array" },
		{ "\"status\"", "not a string" },
		{ "{}", "no \"request\" name" },
		{ "{\"request\":5}", "no \"request\" name" },
		{ "{\"request\":\"reboot\"}", "unknown request 'reboot'" },
		{ "{\"request\":\"status\",\"gpa\":\"0x1\"}", "status takes no field 'gpa'" },
		{ "{\"request\":\"status\",\"id\":[1]}", "\"id\" must be" },
		{ "{\"request\":\"inject-poison\"}", "needs \"gpa\"" },
		{ "{\"request\":\"inject-poison\",\"gpa\":\"0x\"}", "must be an address" },
		{ "{\"request\":\"inject-poison\",\"gpa\":\"0x-5\"}", "must be an address" },
		{ "{\"request\":\"inject-poison\",\"gpa\":-1}", "must be an address" },
		{ "{\"request\":\"inject-poison\",\"gpa\":1.5}", "must be an address" },
		{ "{\"request\":\"inject-poison\",\"gpa\":\"99999999999999999999999\"}",
		  "must be an address" },
		{ "{\"request\":\"inject-poison\",\"gpa\":\"0x1000\",\"type\":\"ce\"}",
		  "\"type\" must be" },
		{ "{\"request\":\"events\",\"last\":0}", "\"last\" must be" },
		{ "{\"request\":\"events\",\"last\":\"3\"}", "\"last\" must be" },
		{ "{\"request\":\"\xff\xfe\"}", "malformed JSON" },
		/* json-c takes NaN even in strict mode; no field takes a double. */
		{ "{\"request\":\"events\",\"last\":NaN}", "\"last\" must be" },
	};
	struct api_request r;
	char err[256], deep[256];

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		err[0] = '\0';
		assert_int_equal(parse(bad[i].line, &r, err, sizeof(err)), -EINVAL);
		if (!strstr(err, bad[i].want))
			fail_msg("'%s': error '%s' does not say '%s'", bad[i].line, err,
				 bad[i].want);
	}
	/* Deeper than API_JSON_DEPTH: refused by the tokenizer, not walked. */
	memset(deep, '[', 100);
	memset(deep + 100, ']', 100);
	deep[200] = '\0';
	assert_int_equal(parse(deep, &r, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "malformed JSON"));
	/* A NUL byte inside the line. */
	assert_int_equal(api_request_parse("{\"request\":\"status\"}\0x", 22, &r, err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "NUL"));
	/* The client's words are bounded in the reply. */
	memset(deep, 'a', 200);
	memcpy(deep, "{\"request\":\"", 12);
	memcpy(deep + 180, "\"}", 3);
	assert_int_equal(parse(deep, &r, err, sizeof(err)), -EINVAL);
	assert_true(strlen(err) < 200);
}

/* ---- replies over a socketpair ---- */

static void test_status_and_errors(void **state)
{
	struct fixture *f = *state;
	struct json_object *o, *counts;
	int fd;

	f->vm.npages = 2;
	f->vm.pages[0] = (struct ras_page){
		.gpa = 0x48000000, .count = 1, .flags = RAS_PG_RETIRED, .poison = RAS_PZ_RESTART
	};
	f->vm.pages[1] =
		(struct ras_page){ .gpa = 0x49000000, .count = 3, .poison = RAS_PZ_ACTIVE };
	assert_int_equal(api_server_start(&f->srv), 0);
	fd = connect_pair(f);
	o = ask(fd, "{\"request\":\"status\",\"id\":\"s1\"}\n");
	assert_true(jok(o));
	assert_string_equal(jstr(o, "request"), "status");
	assert_string_equal(jstr(o, "id"), "s1");
	assert_string_equal(jstr(o, "state"), "running");
	assert_string_equal(jstr(o, "vm"), "unit-vm");
	assert_string_equal(jstr(o, "vcpus"), "2");
	assert_string_equal(jstr(o, "memory_bytes"), "268435456");
	assert_string_equal(jstr(o, "inject"), "emulator");
	assert_string_equal(jstr(json_object_object_get(o, "policy"), "kernel"), "restart");
	counts = json_object_object_get(o, "counts");
	assert_string_equal(jstr(counts, "pages"), "2");
	assert_string_equal(jstr(counts, "retired"), "1");
	assert_string_equal(jstr(counts, "poisoned"), "1");
	assert_string_equal(jstr(counts, "quarantined"), "1");
	json_object_put(o);

	/* Malformed and unknown requests get an error; the connection goes on. */
	o = ask(fd, "{\"request\":\n");
	assert_false(jok(o));
	assert_non_null(strstr(jstr(o, "error"), "malformed JSON"));
	json_object_put(o);
	o = ask(fd, "{\"request\":\"frobnicate\",\"id\":9}\r\n");
	assert_false(jok(o));
	assert_string_equal(jstr(o, "id"), "9");
	assert_non_null(strstr(jstr(o, "error"), "unknown request 'frobnicate'"));
	json_object_put(o);
	/* Several requests in one write: one reply each, in order. */
	send_str(fd, "{\"request\":\"pause\"}\n\n{\"request\":\"resume\"}\n");
	o = json_tokener_parse(read_line(fd));
	assert_string_equal(jstr(o, "state"), "paused");
	json_object_put(o);
	o = json_tokener_parse(read_line(fd));
	assert_string_equal(jstr(o, "state"), "running");
	json_object_put(o);
	assert_false(f->vm.paused);
	close(fd);
}

static void test_poison_list_and_inject(void **state)
{
	struct fixture *f = *state;
	struct json_object *o, *pages, *p;
	int fd;

	f->vm.npages = 1;
	f->vm.pages[0] = (struct ras_page){ .gpa = 0x48000000,
					    .count = 2,
					    .first_ns = 1000000000ULL,
					    .last_ns = 2000000000ULL,
					    .esr = 0x92000210,
					    .vcpu = 1,
					    .flags = RAS_PG_RETIRED | RAS_PG_INJECTED,
					    .poison = RAS_PZ_ACTIVE };
	assert_int_equal(api_server_start(&f->srv), 0);
	fd = connect_pair(f);
	o = ask(fd, "{\"request\":\"poison-list\"}\n");
	assert_true(jok(o));
	pages = json_object_object_get(o, "pages");
	assert_int_equal(json_object_array_length(pages), 1);
	p = json_object_array_get_idx(pages, 0);
	assert_string_equal(jstr(p, "gpa"), "0x48000000");
	assert_string_equal(jstr(p, "state"), "poisoned");
	assert_string_equal(jstr(p, "offlined"), "false");
	assert_string_equal(jstr(p, "count"), "2");
	assert_string_equal(jstr(p, "first"), "1970-01-01T00:00:01.000000000Z");
	assert_string_equal(jstr(p, "esr"), "0x92000210");
	assert_string_equal(jstr(p, "vcpu"), "1");
	assert_null(json_object_object_get(p, "gva"));
	json_object_put(o);

	o = ask(fd, "{\"request\":\"inject-poison\",\"gpa\":\"0x48000123\",\"type\":\"ueo\"}\n");
	assert_true(jok(o));
	assert_string_equal(jstr(o, "mechanism"), "emulator");
	assert_string_equal(jstr(o, "pa"), "0x8000000");
	assert_string_equal(jstr(o, "type"), "ueo");
	assert_true(f->vm.inject_gpa == 0x48000123 && f->vm.inject_set == RAS_SET_UEO);
	json_object_put(o);
	o = ask(fd, "{\"request\":\"inject-poison\",\"gpa\":\"0x1000\"}\n");
	assert_false(jok(o));
	assert_string_equal(jstr(o, "error"), "gpa 0x1000 is not guest RAM");
	assert_string_equal(jstr(o, "request"), "inject-poison");
	json_object_put(o);

	o = ask(fd, "{\"request\":\"restart\"}\n");
	assert_true(jok(o));
	assert_string_equal(jstr(o, "state"), "restarting");
	assert_true(f->vm.stopping && f->vm.restart);
	json_object_put(o);
	o = ask(fd, "{\"request\":\"stop\"}\n");
	assert_false(jok(o));
	assert_non_null(strstr(jstr(o, "error"), "already stopping"));
	json_object_put(o);
	close(fd);
}

static void test_events_subscribe_metrics(void **state)
{
	struct fixture *f = *state;
	struct json_object *o, *ev;
	char *line;
	int fd, sub;

	assert_int_equal(api_server_start(&f->srv), 0);
	fd = connect_pair(f);
	sub = connect_pair(f);
	o = ask(sub, "{\"request\":\"subscribe\"}\n");
	assert_true(jok(o));
	json_object_put(o);
	o = ask(fd, "{\"request\":\"events\"}\n");
	assert_int_equal(json_object_array_length(json_object_object_get(o, "events")), 0);
	json_object_put(o);
	publish_sample(&f->srv);
	publish_sample(&f->srv);
	/* The subscriber gets each record exactly as --ras-events has it. */
	for (int i = 0; i < 2; i++) {
		line = read_line(sub);
		assert_non_null(line);
		assert_int_equal(strlen(line), strlen(sample_rec) - 1);
		assert_memory_equal(line, sample_rec, strlen(sample_rec) - 1);
	}
	o = ask(fd, "{\"request\":\"events\",\"last\":1}\n");
	ev = json_object_object_get(o, "events");
	assert_int_equal(json_object_array_length(ev), 1);
	assert_string_equal(jstr(json_object_array_get_idx(ev, 0), "gpa"), "0x48000000");
	assert_string_equal(jstr(o, "total"), "2");
	json_object_put(o);
	o = ask(fd, "{\"request\":\"metrics\"}\n");
	assert_true(jok(o));
	assert_non_null(strstr(jstr(o, "text"),
			       "seavmm_memory_errors_total{source=\"sea_exit\",class=\"dabt_low\","
			       "action=\"inject_data\"} 2\n"));
	assert_non_null(strstr(jstr(o, "text"), "seavmm_seconds_since_last_memory_error "));
	json_object_put(o);
	/* A subscriber still answers requests; a reply has "ok", a record never. */
	o = ask(sub, "{\"request\":\"status\"}\n");
	assert_true(jok(o));
	json_object_put(o);
	close(sub);
	close(fd);
}

/* A line over the limit: an error reply, then the connection is closed. */
static void test_long_line(void **state)
{
	struct fixture *f = *state;
	char *big = malloc(API_LINE_MAX * 3);
	struct json_object *o;
	int fd;

	assert_int_equal(api_server_start(&f->srv), 0);
	fd = connect_pair(f);
	memset(big, 'x', API_LINE_MAX * 3 - 1);
	big[API_LINE_MAX * 3 - 1] = '\0';
	send_str(fd, big);
	o = json_tokener_parse(read_line(fd));
	assert_non_null(o);
	assert_false(jok(o));
	assert_non_null(strstr(jstr(o, "error"), "longer than 4096 bytes"));
	json_object_put(o);
	assert_null(read_line(fd));
	close(fd);
	/* Exactly the limit is fine. */
	fd = connect_pair(f);
	memset(big, ' ', API_LINE_MAX);
	memcpy(big + API_LINE_MAX - 20, "{\"request\":\"stop\"}", 18);
	big[API_LINE_MAX] = '\n';
	big[API_LINE_MAX + 1] = '\0';
	o = ask(fd, big);
	assert_true(jok(o));
	json_object_put(o);
	free(big);
	close(fd);
}

/* A subscriber that never reads is dropped; others never notice. */
static void test_slow_reader_dropped(void **state)
{
	struct fixture *f = *state;
	struct json_object *o;
	int fd, sub, n = 0;

	assert_int_equal(api_server_start(&f->srv), 0);
	fd = connect_pair(f);
	sub = connect_pair(f);
	o = ask(sub, "{\"request\":\"subscribe\"}\n");
	json_object_put(o);
	/* More than the output bound and any socket buffer. */
	while (n * sizeof(sample_rec) < 4 * API_OUT_MAX) {
		publish_sample(&f->srv);
		n++;
	}
	wait_for(&f->srv, &f->srv.dropped, 1);
	o = ask(fd, "{\"request\":\"status\"}\n");
	assert_true(jok(o));
	json_object_put(o);
	/* What the dropped one can still read ends, it is not cut mid-record. */
	close(sub);
	close(fd);
}

/* A subscriber that hangs up mid-stream is cleaned up. */
static void test_disconnect_mid_stream(void **state)
{
	struct fixture *f = *state;
	struct json_object *o;
	int fd, sub;

	assert_int_equal(api_server_start(&f->srv), 0);
	fd = connect_pair(f);
	sub = connect_pair(f);
	o = ask(sub, "{\"request\":\"subscribe\"}\n");
	json_object_put(o);
	publish_sample(&f->srv);
	close(sub);
	for (int i = 0; i < API_RING + 10; i++)
		publish_sample(&f->srv);
	for (int i = 0; i < 500; i++) {
		unsigned int nc;

		pthread_mutex_lock(&f->srv.lock);
		nc = f->srv.nclients;
		pthread_mutex_unlock(&f->srv.lock);
		if (nc == 1)
			break;
		usleep(10000);
	}
	assert_int_equal(f->srv.nclients, 1);
	o = ask(fd, "{\"request\":\"events\"}\n");
	assert_int_equal(json_object_array_length(json_object_object_get(o, "events")), API_RING);
	json_object_put(o);
	close(fd);
}

/* ---- the listening socket ---- */

static int unix_connect(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	assert_true(strlen(path) < sizeof(sa.sun_path));

	memcpy(sa.sun_path, path, strlen(path) + 1);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(fd);
		return -errno;
	}
	return fd;
}

static void test_listen_path(void **state)
{
	struct fixture *f = *state;
	struct api_server other;
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char path[128], err[256];
	struct stat st;
	int fd;

	/* A regular file is never replaced. */
	snprintf(path, sizeof(path), "%s/file", f->dir);
	fclose(fopen(path, "w"));
	assert_int_equal(api_server_listen(&f->srv, path, err, sizeof(err)), -EEXIST);
	assert_non_null(strstr(err, "exists and is not a socket"));
	/* A stale socket is. */
	snprintf(path, sizeof(path), "%s/sock", f->dir);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	memcpy(sa.sun_path, path, strlen(path) + 1);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	close(fd);
	assert_int_equal(api_server_listen(&f->srv, path, err, sizeof(err)), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	/* A live one is not. */
	assert_int_equal(api_server_init(&other, geteuid(), &fake_ops, &f->vm), 0);
	assert_int_equal(api_server_listen(&other, path, err, sizeof(err)), -EADDRINUSE);
	assert_non_null(strstr(err, "another process is serving on it"));
	api_server_stop(&other);
	/* Too long for sun_path. */
	memset(path, 'a', sizeof(path) - 1);
	path[sizeof(path) - 1] = '\0';
	assert_int_equal(api_server_init(&other, geteuid(), &fake_ops, &f->vm), 0);
	assert_int_equal(api_server_listen(&other, path, err, sizeof(err)), -ENAMETOOLONG);
	api_server_stop(&other);
	/* Stopping removes the server's own socket. */
	snprintf(path, sizeof(path), "%s/sock", f->dir);
	api_server_stop(&f->srv);
	assert_int_equal(api_server_init(&f->srv, geteuid(), &fake_ops, &f->vm), 0);
	assert_int_equal(access(path, F_OK), -1);
}

/* Hundreds of connections: the first API_CLIENTS_MAX are served, the rest refused. */
static void test_many_connections(void **state)
{
	struct fixture *f = *state;
	int fds[200], refused = 0, served = 0;
	char path[128], err[256];

	snprintf(path, sizeof(path), "%s/sock", f->dir);
	assert_int_equal(api_server_listen(&f->srv, path, err, sizeof(err)), 0);
	assert_int_equal(api_server_start(&f->srv), 0);
	for (int i = 0; i < 200; i++) {
		fds[i] = unix_connect(path);
		assert_true(fds[i] >= 0);
		/* A refused one may be closed already: its error line is still there to read. */
		if (send(fds[i], "{\"request\":\"status\"}\n", 21, MSG_NOSIGNAL) < 0)
			assert_int_equal(errno, EPIPE);
		/* One at a time, so the server has taken each before the next. */
		struct json_object *o = json_tokener_parse(read_line(fds[i]));

		assert_non_null(o);
		if (jok(o))
			served++;
		else if (strstr(jstr(o, "error"), "too many clients"))
			refused++;
		json_object_put(o);
	}
	assert_int_equal(served, API_CLIENTS_MAX);
	assert_int_equal(refused, 200 - API_CLIENTS_MAX);
	for (int i = 0; i < 200; i++)
		close(fds[i]);
	/* Once they are gone, a new client is served again. */
	for (int i = 0; i < 500; i++) {
		int fd = unix_connect(path);
		struct json_object *o;
		bool ok;

		send_str(fd, "{\"request\":\"status\"}\n");
		o = json_tokener_parse(read_line(fd));
		ok = o && jok(o);
		json_object_put(o);
		close(fd);
		if (ok)
			return;
		usleep(10000);
	}
	fail_msg("no client served after the others left");
}

/* Only root and seavmm's own uid: another user is refused even if the mode lets it in. */
static void test_peer_credentials(void **state)
{
	struct fixture *f = *state;
	char path[128], err[256], line[512] = "";
	int pfd[2], st;
	pid_t pid;

	if (geteuid() != 0)
		skip();
	snprintf(path, sizeof(path), "%s/sock", f->dir);
	assert_int_equal(api_server_listen(&f->srv, path, err, sizeof(err)), 0);
	assert_int_equal(api_server_start(&f->srv), 0);
	/* Past the 0600 mode, so that the credential check is what refuses. */
	assert_int_equal(chmod(f->dir, 0755), 0);
	assert_int_equal(chmod(path, 0666), 0);
	assert_int_equal(pipe(pfd), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int fd;
		ssize_t n;

		close(pfd[0]);
		if (setgid(65534) || setuid(65534))
			_exit(2);
		fd = unix_connect(path);
		if (fd < 0)
			_exit(3);
		send(fd, "{\"request\":\"status\"}\n", 21, MSG_NOSIGNAL);
		n = read(fd, line, sizeof(line) - 1);
		if (n > 0 && write(pfd[1], line, (size_t)n) != n)
			_exit(4);
		_exit(0);
	}
	close(pfd[1]);
	assert_true(read(pfd[0], line, sizeof(line) - 1) > 0);
	close(pfd[0]);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	assert_non_null(strstr(line, "\"ok\":false"));
	assert_non_null(
		strstr(line, "permission denied: uid 65534 is neither root nor seavmm's uid 0"));
	wait_for(&f->srv, &f->srv.refused, 1);
}

/* ---- metrics, page states, ctl output, EINJ ---- */

static void test_metrics_format(void **state)
{
	struct api_metrics m = { 0 };
	struct api_page_counts pc;
	struct ras_page pages[3] = { { .flags = RAS_PG_RETIRED, .poison = RAS_PZ_RESTART },
				     { .flags = 0, .poison = RAS_PZ_ACTIVE },
				     { .flags = RAS_PG_RETIRED, .poison = RAS_PZ_OFFLINED } };
	struct api_event_key k = { .source = RAS_SRC_SIGBUS_AO,
				   .cls = RAS_CLASS_DABT_CUR + 1,
				   .action = API_ACT_NONE,
				   .mono_ns = 1000000000ULL };
	char buf[8192];

	(void)state;
	api_page_count(pages, 3, &pc);
	assert_int_equal(pc.retired, 2);
	assert_int_equal(pc.poisoned, 1);
	assert_int_equal(pc.offlined, 1);
	assert_string_equal(api_page_state(&pages[2]), "guest_offlined");
	assert_string_equal(api_page_state(&pages[1]), "poisoned");
	assert_true(api_metrics_format(&m, &pc, 0, buf, sizeof(buf)) > 0);
	assert_null(strstr(buf, "seconds_since_last"));
	assert_non_null(strstr(buf, "seavmm_poisoned_pages{state=\"retired\"} 2\n"));
	api_metrics_count(&m, &k);
	m.boots[API_BOOT_RAS_POLICY] = 3;
	assert_true(api_metrics_format(&m, &pc, 3500000000ULL, buf, sizeof(buf)) > 0);
	assert_non_null(strstr(buf, "seavmm_memory_errors_total{source=\"sigbus_ao\",class="
				    "\"none\",action=\"none\"} 1\n"));
	assert_non_null(strstr(buf, "seavmm_restarts_total{cause=\"ras_policy\"} 3\n"));
	assert_non_null(strstr(buf, "seavmm_seconds_since_last_memory_error 2.500\n"));
	assert_non_null(strstr(buf, "# TYPE seavmm_memory_errors_total counter\n"));
	assert_int_equal(api_metrics_format(&m, &pc, 0, buf, 100), -ENOSPC);
}

static void test_ctl_format(void **state)
{
	struct json_object *rec = json_tokener_parse(sample_rec);
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	(void)state;
	ctl_format_event(f, rec);
	fclose(f);
	assert_string_equal(out,
			    "2025-11-23T11:00:00.123456789Z vcpu1: gpa 0x48000000 gva 0xaaaa0010 "
			    "dabt_low sea set=uer el=0 -> inject data abort + quarantine; EL0 data "
			    "sea UER: inject (user=inject)\n");
	free(out);
	json_object_put(rec);
}

static void write_file(const char *dir, const char *name, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void read_file(const char *dir, const char *name, char *buf, size_t len)
{
	char path[256];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	assert_non_null(f);
	n = fread(buf, 1, len - 1, f);
	buf[n] = '\0';
	fclose(f);
}

/* EINJ through a directory laid out as the kernel's: what is written where. */
static void test_einj(void **state)
{
	struct fixture *f = *state;
	char detail[256], buf[64], missing[128];
	static const char *const files[] = { "error_type", "flags",	"param1",
					     "param2",	   "notrigger", "error_inject" };

	if (geteuid() != 0)
		skip();
	assert_int_equal(
		poison_einj_inject(f->dir, 0x12345000, RAS_SET_UEO, detail, sizeof(detail)),
		-EOPNOTSUPP);
	assert_non_null(strstr(detail, "no memory error of type ueo"));
	snprintf(missing, sizeof(missing), "%s/none", f->dir);
	assert_int_equal(
		poison_einj_inject(missing, 0x12345000, RAS_SET_UER, detail, sizeof(detail)),
		-ENODEV);
	assert_non_null(strstr(detail, "no ACPI EINJ"));
	write_file(f->dir, "available_error_type", "0x00000008\tMemory Correctable\n");
	assert_int_equal(
		poison_einj_inject(f->dir, 0x12345000, RAS_SET_UER, detail, sizeof(detail)),
		-EOPNOTSUPP);
	write_file(f->dir, "available_error_type",
		   "0x00000008\tMemory Correctable\n0x00000010\tMemory Uncorrectable non-fatal\n");
	for (size_t i = 0; i < ARRAY_SIZE(files); i++)
		write_file(f->dir, files[i], "");
	assert_int_equal(
		poison_einj_inject(f->dir, 0x12345000, RAS_SET_UER, detail, sizeof(detail)), 0);
	assert_non_null(strstr(detail, "EINJ 0x10"));
	read_file(f->dir, "error_type", buf, sizeof(buf));
	assert_string_equal(buf, "0x10\n");
	read_file(f->dir, "flags", buf, sizeof(buf));
	assert_string_equal(buf, "0x2\n");
	read_file(f->dir, "param1", buf, sizeof(buf));
	assert_string_equal(buf, "0x12345000\n");
	read_file(f->dir, "param2", buf, sizeof(buf));
	assert_string_equal(buf, "0xfffffffffffff000\n");
	read_file(f->dir, "error_inject", buf, sizeof(buf));
	assert_string_equal(buf, "1\n");
	/* uc is the fatal type, which this platform does not offer. */
	assert_int_equal(poison_einj_inject(f->dir, 0x12345000, RAS_SET_UC, detail, sizeof(detail)),
			 -EOPNOTSUPP);
	assert_non_null(strstr(detail, "does not offer error type 0x20"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_requests),
		cmocka_unit_test(test_parse_refuses),
		cmocka_unit_test_setup_teardown(test_status_and_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_poison_list_and_inject, setup, teardown),
		cmocka_unit_test_setup_teardown(test_events_subscribe_metrics, setup, teardown),
		cmocka_unit_test_setup_teardown(test_long_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_slow_reader_dropped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_disconnect_mid_stream, setup, teardown),
		cmocka_unit_test_setup_teardown(test_listen_path, setup, teardown),
		cmocka_unit_test_setup_teardown(test_many_connections, setup, teardown),
		cmocka_unit_test_setup_teardown(test_peer_credentials, setup, teardown),
		cmocka_unit_test(test_metrics_format),
		cmocka_unit_test(test_ctl_format),
		cmocka_unit_test_setup_teardown(test_einj, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
