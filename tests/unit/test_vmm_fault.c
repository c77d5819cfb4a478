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
#include <unistd.h>

#include <cmocka.h>

#include "../../vmm/core/fault.h"
#include "unit_util.h"

/* fn's child must die of sig with a fault line holding want, pc, sp and the verdict. */
static void expect_fault_line(void (*fn)(void), int sig, const char *want)
{
	struct rlimit no_core = { 0, 0 };
	char err[512];
	int rfd;
	pid_t pid = unit_fork_stderr(&rfd);

	if (pid == 0) {
		setrlimit(RLIMIT_CORE, &no_core);
		if (fault_handler_install())
			_exit(90);
		fn();
		_exit(91);
	}
	unit_expect_killed(pid, rfd, sig, want, err, sizeof(err));
	if (!strstr(err, ", pc 0x") || !strstr(err, ", sp 0x") ||
	    !strstr(err, ": a seavmm bug; it dies of it\n"))
		fail_msg("'%s' lacks pc, sp or the verdict", err);
}

static void store_to_16(void)
{
	*(volatile int *)(uintptr_t)16 = 1;
}

static void sent_sigill(void)
{
	raise(SIGILL);
}

static void test_segv_says_where(void **state)
{
	(void)state;
	expect_fault_line(store_to_16, SIGSEGV, "seavmm: SIGSEGV (si_code 1) at 0x10, pc ");
}

/* A signal sent, not a fault (si_code SI_TKILL): said as such, and fatal too. */
static void test_sent_signal(void **state)
{
	(void)state;
	expect_fault_line(sent_sigill, SIGILL, "seavmm: SIGILL (si_code -6) at ");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_segv_says_where),
		cmocka_unit_test(test_sent_signal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
