// SPDX-License-Identifier: GPL-2.0-only
/*
 * seavmm-agent itself (agent/seavmm-agent.c), natively: the real program in
 * a child process, its port a pseudo-terminal (raw mode) found through a
 * sysfs tree under a scratch root (-r), hard_offline_page a plain file there.
 * The test plays seavmm on the terminal's master side.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

int seavmm_agent_main(int argc, char **argv);
#define main seavmm_agent_main
#include "../../agent/seavmm-agent.c"
#undef main

#include <signal.h>
#include <sys/wait.h>
#include <termios.h>

#include "unit_util.h"

struct fx {
	char root[64];
	char path[PATH_MAX];
	int master, slave; /* the test's own slave fd keeps the master readable */
	pid_t pid;
	char buf[4096];
	size_t len;
};

static void put_file(struct fx *f, const char *rel, const char *text)
{
	char path[PATH_MAX];
	FILE *fp;

	snprintf(path, sizeof(path), "%s%s", f->root, rel);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static const char *get_file(struct fx *f, const char *rel)
{
	static char text[16384];
	char path[PATH_MAX];
	FILE *fp;
	size_t n;

	snprintf(path, sizeof(path), "%s%s", f->root, rel);
	fp = fopen(path, "r");
	if (!fp)
		return NULL;
	n = fread(text, 1, sizeof(text) - 1, fp);
	fclose(fp);
	text[n] = '\0';
	return text;
}

static void mkdirs(struct fx *f, const char *rel)
{
	char cmd[PATH_MAX + 32];

	snprintf(cmd, sizeof(cmd), "mkdir -p '%s%s'", f->root, rel);
	assert_int_equal(system(cmd), 0);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct termios t;
	char link[PATH_MAX];

	if (!f || unit_tmpdir_make(f->root, sizeof(f->root), "test_agent_prog"))
		return -1;
	mkdirs(f, "/sys/class/virtio-ports/vport0p0");
	mkdirs(f, "/sys/class/virtio-ports/vport0p1");
	mkdirs(f, "/sys/devices/system/memory");
	mkdirs(f, "/dev");
	mkdirs(f, "/run");
	put_file(f, "/sys/class/virtio-ports/vport0p0/name", "org.other.port\n");
	put_file(f, "/sys/class/virtio-ports/vport0p1/name", AGENT_PORT_NAME "\n");
	put_file(f, "/sys/devices/system/memory/hard_offline_page", "");
	f->master = posix_openpt(O_RDWR | O_NOCTTY);
	if (f->master < 0 || grantpt(f->master) || unlockpt(f->master))
		return -1;
	/* Raw: bytes pass as they are, as on a virtio port. */
	f->slave = open(ptsname(f->master), O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (f->slave < 0 || tcgetattr(f->slave, &t))
		return -1;
	cfmakeraw(&t);
	tcsetattr(f->slave, TCSANOW, &t);
	snprintf(link, sizeof(link), "%s/dev/vport0p1", f->root);
	if (symlink(ptsname(f->master), link))
		return -1;
	f->pid = -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	if (f->pid > 0) {
		kill(f->pid, SIGKILL);
		waitpid(f->pid, NULL, 0);
	}
	if (f->master >= 0)
		close(f->master);
	close(f->slave);
	unit_tmpdir_remove(f->root);
	free(f);
	return 0;
}

static void start_agent(struct fx *f)
{
	char log[PATH_MAX];

	snprintf(log, sizeof(log), "%s/agent.log", f->root);
	f->pid = fork();
	assert_true(f->pid >= 0);
	if (f->pid == 0) {
		char *argv[] = {
			"seavmm-agent", "-r", f->root, "-s", "/run/agent", "-1", "-v", NULL
		};
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		dup2(fd, STDERR_FILENO);
		close(fd);
		/* Only the agent's own open of the terminal may remain in it. */
		close(f->master);
		close(f->slave);
		_exit(seavmm_agent_main(7, argv));
	}
}

/* The next line from the agent, skipping heartbeats unless asked for. */
static const char *next_line(struct fx *f, bool heartbeats)
{
	static char line[AGENT_LINE_MAX + 1];

	for (;;) {
		char *nl = memchr(f->buf, '\n', f->len);

		if (nl) {
			size_t n = (size_t)(nl - f->buf);

			assert_true(n < sizeof(line));
			memcpy(line, f->buf, n);
			line[n] = '\0';
			memmove(f->buf, nl + 1, f->len - n - 1);
			f->len -= n + 1;
			if (!heartbeats && !strncmp(line, "HEARTBEAT ", 10))
				continue;
			return line;
		}
		struct pollfd p = { .fd = f->master, .events = POLLIN };
		if (poll(&p, 1, 10000) != 1)
			return "(nothing within 10 s)";
		ssize_t n = read(f->master, f->buf + f->len, sizeof(f->buf) - f->len);
		if (n <= 0)
			return "(read failed)";
		f->len += (size_t)n;
	}
}

static void say(struct fx *f, const char *s)
{
	assert_int_equal(write(f->master, s, strlen(s)), (ssize_t)strlen(s));
}

static void test_agent_session(void **state)
{
	struct fx *f = *state;
	char nonce[AGENT_NONCE_MAX + 1], hello[128];
	const char *l;
	int status;

	start_agent(f);
	l = next_line(f, true);
	assert_int_equal(sscanf(l, "HELLO 1 seavmm-agent/" AGENT_VERSION " %16[0-9a-f]", nonce), 1);
	/* Stale bytes from before (an earlier HELLO's answer, its pages): ignored. */
	say(f, "HELLO 1 seavmm/test 0\nPOISON 0x40009000 1\n");
	snprintf(hello, sizeof(hello), "HELLO 1 seavmm/test %s future fields\n", nonce);
	say(f, hello);
	/* Heartbeats once connected: at least two within a few seconds. */
	assert_string_equal(next_line(f, true), "HEARTBEAT 1");
	assert_string_equal(next_line(f, true), "HEARTBEAT 2");
	/* A page: handed to hard_offline_page, answered, remembered. */
	say(f, "POISON 0x40001000 7\n");
	assert_string_equal(next_line(f, false), "OFFLINED 0x40001000 7 0");
	assert_string_equal(get_file(f, "/sys/devices/system/memory/hard_offline_page"),
			    "0x40001000\n");
	assert_string_equal(get_file(f, "/run/agent/0x40001000"), "0\n");
	/* Told again (a reconnect): the same answer, the kernel is not asked again. */
	put_file(f, "/sys/devices/system/memory/hard_offline_page", "");
	say(f, "POISON 0x40001000 7\n");
	assert_string_equal(next_line(f, false), "OFFLINED 0x40001000 7 0");
	assert_string_equal(get_file(f, "/sys/devices/system/memory/hard_offline_page"), "");
	/* Lines a host never sends are ignored; the agent stays in step. */
	say(f, "POISON 0x40001001 8\nPOISON 0x40002000\nBOGUS\n\x01\x02\n");
	for (int i = 0; i < 300; i++)
		say(f, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
	say(f, "\nPOISON 0x40003000 9\n");
	assert_string_equal(next_line(f, false), "OFFLINED 0x40003000 9 0");
	/* An error before the kernel (no such file): answered, not remembered. */
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s/sys/devices/system/memory/hard_offline_page", f->root);
	unlink(path);
	say(f, "POISON 0x40004000 10\n");
	assert_string_equal(next_line(f, false), "OFFLINED 0x40004000 10 2");
	assert_null(get_file(f, "/run/agent/0x40004000"));
	put_file(f, "/sys/devices/system/memory/hard_offline_page", "");
	say(f, "POISON 0x40004000 10\n");
	assert_string_equal(next_line(f, false), "OFFLINED 0x40004000 10 0");
	/* The host goes away: with -1 the agent ends. */
	close(f->master);
	f->master = -1;
	for (int i = 0; i < 100 && waitpid(f->pid, &status, WNOHANG) == 0; i++)
		usleep(100000);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	f->pid = -1;
	l = get_file(f, "/agent.log");
	assert_non_null(l);
	assert_non_null(strstr(l, "seavmm-agent: opened"));
	assert_non_null(strstr(l, "ignored a line from the host (an answer to an earlier HELLO)"));
	assert_non_null(strstr(l, "ignored a line from the host (POISON before the host's HELLO)"));
	assert_null(get_file(f, "/run/agent/0x40009000"));
}

/* No port with the name: the agent waits for it and says so once. */
static void test_agent_waits_for_port(void **state)
{
	struct fx *f = *state;

	put_file(f, "/sys/class/virtio-ports/vport0p1/name", "org.other.two\n");
	start_agent(f);
	usleep(1500000);
	assert_int_equal(waitpid(f->pid, NULL, WNOHANG), 0);
	const char *l = get_file(f, "/agent.log");
	assert_non_null(strstr(l, "waiting for port " AGENT_PORT_NAME " (not there yet)"));
	/* The port appears: the agent finds it. */
	put_file(f, "/sys/class/virtio-ports/vport0p1/name", AGENT_PORT_NAME "\n");
	assert_non_null(strstr(next_line(f, true), "HELLO 1 seavmm-agent/" AGENT_VERSION " "));
}

static void test_agent_options(void **state)
{
	(void)state;
	struct agent a = { 0 };
	char *bad_i[] = { "seavmm-agent", "-i", "0", NULL };
	char *bad_arg[] = { "seavmm-agent", "extra", NULL };

	optind = 1;
	opterr = 0;
	assert_int_equal(agent_options(&a, 3, bad_i), 2);
	optind = 1;
	assert_int_equal(agent_options(&a, 2, bad_arg), 2);
	optind = 1;
	char *ok[] = { "seavmm-agent", "-i", "60", "-p", "x.y", NULL };
	assert_int_equal(agent_options(&a, 5, ok), 0);
	assert_int_equal(a.period_ms, 60000);
	assert_string_equal(a.port_name, "x.y");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_agent_session, setup, teardown),
		cmocka_unit_test_setup_teardown(test_agent_waits_for_port, setup, teardown),
		cmocka_unit_test(test_agent_options),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
