// SPDX-License-Identifier: GPL-2.0-only
/*
 * vmm/core/fault.c: a fault of seavmm's own says where in one line, then
 * seavmm dies of the same signal. Each case runs in a forked child.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../vmm/core/fault.h"

/* Runs fn in a child with stderr on a pipe: the signal that ended it, and its stderr. */
static int run_child(void (*fn)(void), char *err, size_t errlen)
{
	struct rlimit no_core = { 0, 0 };
	int pfd[2], status;
	ssize_t n, got = 0;
	pid_t pid;

	assert_int_equal(pipe(pfd), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(pfd[0]);
		dup2(pfd[1], STDERR_FILENO);
		setrlimit(RLIMIT_CORE, &no_core);
		if (fault_handler_install())
			_exit(90);
		fn();
		_exit(91);
	}
	close(pfd[1]);
	while ((n = read(pfd[0], err + got, errlen - 1 - (size_t)got)) > 0)
		got += n;
	err[got] = '\0';
	close(pfd[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return WIFSIGNALED(status) ? WTERMSIG(status) : -WEXITSTATUS(status);
}

static void store_to_16(void)
{
	*(volatile int *)(uintptr_t)16 = 1;
}

static void sent_sigill(void)
{
	raise(SIGILL);
}

static void expect_line(char *err, const char *want)
{
	if (!strstr(err, want) || !strstr(err, ", pc 0x") || !strstr(err, ", sp 0x") ||
	    !strstr(err, ": a seavmm bug; it dies of it\n"))
		fail_msg("'%s' does not say '%s' with pc, sp and the verdict", err, want);
}

static void test_segv_says_where(void **state)
{
	char err[512];

	(void)state;
	assert_int_equal(run_child(store_to_16, err, sizeof(err)), SIGSEGV);
	expect_line(err, "seavmm: SIGSEGV (si_code 1) at 0x10, pc ");
}

/* A signal sent, not a fault (si_code SI_TKILL): said as such, and fatal too. */
static void test_sent_signal(void **state)
{
	char err[512];

	(void)state;
	assert_int_equal(run_child(sent_sigill, err, sizeof(err)), SIGILL);
	expect_line(err, "seavmm: SIGILL (si_code -6) at ");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_segv_says_where),
		cmocka_unit_test(test_sent_signal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
