// SPDX-License-Identifier: GPL-2.0-only
/*
 * The seccomp filters of vmm/seccomp.c, installed for real in child
 * processes: a role's calls go through, anything else ends the process with
 * SIGSYS and one line naming the call (and the ioctl request or prctl
 * option), the main role also allows what the threads it starts need, and
 * a narrowed thread loses the rest.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/kvm.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../vmm/core/seccomp.h"

#ifndef PR_SET_VMA
#define PR_SET_VMA 0x53564d41
#endif

static void test_filter_sizes(void **state)
{
	int main_len = seccomp_filter_len(SECCOMP_MAIN);

	(void)state;
	for (int r = 0; r < SECCOMP_NR_ROLES; r++) {
		int n = seccomp_filter_len((enum seccomp_role)r);

		assert_true(n > 4 && n <= BPF_MAXINSNS);
		/* Main's filter is every thread's outer one: it holds theirs. */
		assert_true(n <= main_len);
	}
	assert_string_equal(seccomp_role_name(SECCOMP_VCPU), "vCPU");
}

typedef void (*child_fn)(int out);

/*
 * Runs fn in a child whose stderr is a pipe; returns the signal that ended
 * it (0 for a normal exit, status in *code) and its stderr in err.
 */
static int run_child(child_fn fn, char *err, size_t errlen, int *code)
{
	int pfd[2], status;
	struct rlimit no_core = { 0, 0 };
	ssize_t n, got = 0;
	pid_t pid;

	assert_int_equal(pipe(pfd), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(pfd[0]);
		dup2(pfd[1], STDERR_FILENO);
		setrlimit(RLIMIT_CORE, &no_core);
		if (seccomp_handler_install())
			_exit(90);
		fn(pfd[1]);
		_exit(0);
	}
	close(pfd[1]);
	while ((n = read(pfd[0], err + got, errlen - 1 - (size_t)got)) > 0)
		got += n;
	err[got] = '\0';
	close(pfd[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	*code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	return WIFSIGNALED(status) ? WTERMSIG(status) : 0;
}

/* fn's child must die of SIGSYS saying want (in err, its whole stderr). */
static void expect_trap(child_fn fn, char *err, size_t errlen, const char *want)
{
	int code, sig = run_child(fn, err, errlen, &code);

	if (sig != SIGSYS || !strstr(err, want))
		fail_msg("'%s' (signal %d, exit %d) does not say '%s'", err, sig, code, want);
}

static void child_console_socket(int out)
{
	if (seccomp_enter(SECCOMP_CONSOLE))
		_exit(91);
	/* Allowed: writing, polling, reading. */
	if (write(out, "", 0) != 0)
		_exit(92);
	syscall(__NR_socket, AF_UNIX, SOCK_STREAM, 0);
	_exit(93); /* not reached: the filter stops it */
}

/* The machine the unit tests run on has seccomp filters; asking installs none. */
static void test_supported(void **state)
{
	(void)state;
	assert_true(seccomp_supported());
	assert_int_equal(prctl(PR_GET_SECCOMP, 0, 0, 0, 0), 0);
}

static void test_forbidden_call(void **state)
{
	char err[512], want[512];
	int code;

	(void)state;
	assert_int_equal(run_child(child_console_socket, err, sizeof(err), &code), SIGSYS);
	snprintf(want, sizeof(want),
		 "seavmm: seccomp: the console thread made a system call its filter forbids: "
		 "socket (%d); a seavmm bug or a compromised seavmm: it stops here (--seccomp off "
		 "runs without the filters)\n",
		 __NR_socket);
	assert_string_equal(err, want);
}

static void child_vcpu_ioctls(int out)
{
	struct kvm_irq_level irq = { 0 };

	if (seccomp_enter(SECCOMP_VCPU))
		_exit(91);
	/* An allowed request reaches the kernel (which says no to a pipe). */
	if (ioctl(out, KVM_IRQ_LINE, &irq) != -1 || errno != ENOTTY)
		_exit(92);
	if (prctl(PR_SET_VMA, 0, 0, 0, 0) != -1 && errno != EINVAL)
		_exit(93);
	ioctl(out, KVM_CREATE_VCPU, 1); /* start-up's business, not a vCPU's */
	_exit(94);
}

static void test_ioctl_request(void **state)
{
	char err[512], want[128];

	(void)state;
	snprintf(want, sizeof(want), "forbids: ioctl (%d, request 0x%x)", __NR_ioctl,
		 (unsigned int)KVM_CREATE_VCPU);
	expect_trap(child_vcpu_ioctls, err, sizeof(err), want);
	assert_non_null(strstr(err, "the vCPU thread"));
}

static void child_prctl(int out)
{
	(void)out;
	if (seccomp_enter(SECCOMP_VCPU))
		_exit(91);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	_exit(94);
}

static void test_prctl_option(void **state)
{
	char err[512], want[128];

	(void)state;
	snprintf(want, sizeof(want), "forbids: prctl (%d, option 0x%x)", __NR_prctl,
		 PR_SET_DUMPABLE);
	expect_trap(child_prctl, err, sizeof(err), want);
}

/* The api thread opens pagemap and EINJ files, read-only or write-only, nothing else. */
static void child_api_openat(int out)
{
	int fd;

	(void)out;
	if (seccomp_enter(SECCOMP_API))
		_exit(91);
	fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		_exit(92);
	close(fd);
	fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		_exit(93);
	close(fd);
	open("/dev/null", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	_exit(94);
}

static void test_openat_flags(void **state)
{
	char err[512], want[128];

	(void)state;
	snprintf(want, sizeof(want),
		 "the api thread made a system call its filter forbids: openat (%d, flags 0x%x)",
		 __NR_openat, (unsigned int)(O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC));
	expect_trap(child_api_openat, err, sizeof(err), want);
}

/* Main allows what its threads need; a thread that narrows loses the rest. */
static void child_main_then_console(int out)
{
	struct kvm_irq_level irq = { 0 };
	int in[2];
	char c;

	if (pipe(in))
		_exit(90);
	if (seccomp_enter(SECCOMP_MAIN))
		_exit(91);
	if (read(in[0], &c, 0) != 0) /* a console call */
		_exit(92);
	if (ioctl(out, KVM_RUN, 0) != -1 || errno != ENOTTY) /* a vCPU call */
		_exit(93);
	if (seccomp_enter(SECCOMP_CONSOLE))
		_exit(95);
	if (ioctl(out, KVM_IRQ_LINE, &irq) != -1 || errno != ENOTTY)
		_exit(96);
	ioctl(out, KVM_RUN, 0);
	_exit(97);
}

static void test_main_then_narrow(void **state)
{
	char err[512], want[128];

	(void)state;
	snprintf(want, sizeof(want),
		 "the console thread made a system call its filter forbids: "
		 "ioctl (%d, request 0x%x)",
		 __NR_ioctl, (unsigned int)KVM_RUN);
	expect_trap(child_main_then_console, err, sizeof(err), want);
}

/*
 * Each role's own calls, made with a bad descriptor so that the kernel
 * answers (EBADF) rather than the filter, then one call of another role's,
 * which must trap naming the thread's role and the call.
 */
struct role_case {
	enum seccomp_role role;
	const char *name;
	int allowed[12]; /* system call numbers, 0-terminated (0 is never one here) */
	int forbidden;
	const char *forbidden_name;
};

static const struct role_case role_cases[] = {
	{ SECCOMP_VCPU,
	  "vCPU",
	  { __NR_pread64, __NR_mlock, __NR_fdatasync, __NR_lseek, __NR_ftruncate, __NR_prlimit64 },
	  __NR_read,
	  "read" },
	{ SECCOMP_VIRTIO,
	  "virtio I/O",
	  { __NR_read, __NR_pread64, __NR_pwrite64, __NR_fallocate, __NR_fdatasync, __NR_accept4,
	    __NR_mlock, __NR_lseek, __NR_ftruncate, __NR_prlimit64 },
	  __NR_getsockopt,
	  "getsockopt" },
	{ SECCOMP_API,
	  "api",
	  { __NR_read, __NR_accept4, __NR_getsockopt, __NR_fcntl, __NR_sendto, __NR_pread64 },
	  __NR_fallocate,
	  "fallocate" },
	{ SECCOMP_AGENT,
	  "agent",
	  { __NR_read, __NR_fdatasync, __NR_lseek, __NR_ftruncate, __NR_prlimit64 },
	  __NR_accept4,
	  "accept4" },
	{ SECCOMP_CONSOLE, "console", { __NR_read }, __NR_pread64, "pread64" },
};

static const struct role_case *role_case_now;

static void child_role(int out)
{
	const struct role_case *rc = role_case_now;

	(void)out;
	if (seccomp_enter(rc->role))
		_exit(91);
	for (unsigned int i = 0; rc->allowed[i]; i++) {
		long ret;

		/* prlimit64(0, RLIMIT_FSIZE, NULL, NULL) succeeds; the rest see fd -1. */
		if (rc->allowed[i] == __NR_prlimit64)
			ret = syscall(__NR_prlimit64, 0, RLIMIT_FSIZE, NULL, NULL);
		else if (rc->allowed[i] == __NR_mlock)
			ret = syscall(__NR_mlock, NULL, 0);
		else
			ret = syscall(rc->allowed[i], -1, NULL, 0, 0, 0, 0);
		if (ret != 0 && errno != EBADF)
			_exit(100 + (int)i);
	}
	syscall(rc->forbidden, -1, NULL, 0, 0, 0, 0);
	_exit(99);
}

static void test_roles(void **state)
{
	char err[512], want[256];
	int code;

	(void)state;
	for (size_t i = 0; i < sizeof(role_cases) / sizeof(role_cases[0]); i++) {
		const struct role_case *rc = &role_cases[i];

		role_case_now = rc;
		assert_string_equal(seccomp_role_name(rc->role), rc->name);
		if (run_child(child_role, err, sizeof(err), &code) != SIGSYS)
			fail_msg("%s: not stopped by SIGSYS (exit %d: an allowed call failed if "
				 "100 or more): '%s'",
				 rc->name, code, err);
		snprintf(want, sizeof(want),
			 "the %s thread made a system call its filter forbids: %s (%d)", rc->name,
			 rc->forbidden_name, rc->forbidden);
		if (!strstr(err, want))
			fail_msg("'%s' does not say '%s'", err, want);
	}
}

/* Main's filter is the union: every role's calls pass under it. */
static void child_main_union(int out)
{
	(void)out;
	if (seccomp_enter(SECCOMP_MAIN))
		_exit(91);
	for (size_t i = 0; i < sizeof(role_cases) / sizeof(role_cases[0]); i++) {
		const struct role_case *rc = &role_cases[i];

		for (unsigned int j = 0; rc->allowed[j]; j++)
			if (rc->allowed[j] != __NR_prlimit64 && rc->allowed[j] != __NR_mlock &&
			    syscall(rc->allowed[j], -1, NULL, 0, 0, 0, 0) != 0 && errno != EBADF)
				_exit(100 + (int)j);
	}
	/* Not _exit(): the sanitizers' exit-time checks make calls no role has. */
	syscall(__NR_exit_group, 0);
}

static void test_main_union(void **state)
{
	char err[512];
	int code;

	(void)state;
	if (run_child(child_main_union, err, sizeof(err), &code) != 0)
		fail_msg("main's filter refused a call: %s", err);
	assert_int_equal(code, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_supported),	 cmocka_unit_test(test_filter_sizes),
		cmocka_unit_test(test_forbidden_call),	 cmocka_unit_test(test_ioctl_request),
		cmocka_unit_test(test_prctl_option),	 cmocka_unit_test(test_openat_flags),
		cmocka_unit_test(test_main_then_narrow), cmocka_unit_test(test_roles),
		cmocka_unit_test(test_main_union),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
