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
#include "../../vmm/core/thread_pointer.h"
#include "unit_util.h"

/*
 * fn's child must die of sig with a fault line holding want, pc, sp and the
 * verdict (a seavmm bug's unless given).
 */
static void expect_fault_line(void (*fn)(void), int sig, const char *want, const char *verdict)
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
	    !strstr(err, verdict ? verdict : ": a seavmm bug; it dies of it\n"))
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
	expect_fault_line(store_to_16, SIGSEGV, "seavmm: SIGSEGV (si_code 1) at 0x10, pc ", NULL);
}

/* A signal sent, not a fault (si_code SI_TKILL): said as such, and fatal too. */
static void test_sent_signal(void **state)
{
	(void)state;
	expect_fault_line(sent_sigill, SIGILL, "seavmm: SIGILL (si_code -6) at ", NULL);
}

/*
 * A guarded vCPU thread whose thread pointer the host left wrong: the line
 * names the wrong value and the host, not seavmm. (Natively a stand-in
 * plays the register; tests/integration/progs/tp_guard.c does it on arm64.)
 */
static void fault_with_wrong_tp(void)
{
	if (tp_guard_enter() < 0)
		_exit(92);
	tp_set(0x1de7ec7edbadc0deULL);
	store_to_16();
}

static void test_wrong_thread_pointer_named(void **state)
{
	(void)state;
	expect_fault_line(fault_with_wrong_tp, SIGSEGV, "seavmm: SIGSEGV (si_code 1) at 0x10, pc ",
			  ", thread pointer 0x1de7ec7edbadc0de (not this vCPU thread's: the host "
			  "returned from KVM_RUN with a wrong TPIDR_EL0");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_segv_says_where),
		cmocka_unit_test(test_sent_signal),
		cmocka_unit_test(test_wrong_thread_pointer_named),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
