// SPDX-License-Identifier: GPL-2.0-only
/*
 * tp_guard: seavmm's guard on vCPU threads' thread pointer
 * (vmm/core/thread_pointer.c, linked in) on arm64's real TPIDR_EL0, where
 * the native unit tests can only use a stand-in. Each case plays the host
 * fault of docs/host-kernel-bugs.md: the thread pointer is set to the value
 * a guest's TPIDR_EL0 holds before the guest writes it, as a vCPU thread
 * found it after KVM_RUN; then the case checks that seavmm's code survives:
 *
 *   check:   the vCPU loop's check puts the own value back and names the
 *            wrong one; thread-local storage works again after it.
 *   handler: a signal delivered before that check is repaired by the
 *            handler (as seavmm's handlers do first), and the next check
 *            reports it.
 *   fault:   seavmm's fault handler, run on a thread whose thread pointer
 *            is wrong, still prints its line (naming the wrong value) and
 *            dies of the signal. Before the guard it died silently.
 *   all:     the three, the fault case in a child. Exit 0 when all pass,
 *            1 with the reason on the last line.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../../vmm/core/fault.h"
#include "../../../vmm/core/kvm.h"
#include "../../../vmm/core/sigsafe.h"
#include "../../../vmm/core/thread_pointer.h"

#define GUEST_TP 0x1de7ec7edbadc0deULL

static void fail(const char *what)
{
	printf("FAIL: %s\n", what);
	exit(1);
}

static int case_check(void)
{
	uint64_t own = tp_get(), wrong = 0;
	int slot = tp_guard_enter();

	if (slot < 0)
		fail("tp_guard_enter found no slot");
	if (tp_guard_check(slot, &wrong))
		fail("the check saw a wrong thread pointer before any was set");
	tp_set(GUEST_TP);
	if (!tp_guard_check(slot, &wrong))
		fail("the check missed the guest's thread pointer");
	/* From here on thread-local storage works again, or this faults. */
	errno = 0;
	if (wrong != GUEST_TP || tp_get() != own)
		fail("the check did not report the wrong value or put the own one back");
	tp_guard_leave(slot);
	printf("check: found 0x%llx, put back 0x%llx\n", (unsigned long long)wrong,
	       (unsigned long long)own);
	return 0;
}

static volatile sig_atomic_t handler_repaired;

static void repairing_handler(int sig)
{
	(void)sig;
	handler_repaired = tp_guard_repair(NULL);
	/* What a real handler does next: thread-local access (errno). */
	errno = 0;
}

static int case_handler(void)
{
	struct sigaction sa = { .sa_handler = repairing_handler };
	uint64_t own = tp_get(), wrong = 0;
	int slot = tp_guard_enter();
	long pid = sigsafe_syscall(__NR_getpid, 0, 0, 0);
	long tid = sigsafe_syscall(__NR_gettid, 0, 0, 0);

	sigemptyset(&sa.sa_mask);
	if (slot < 0 || sigaction(SIGUSR1, &sa, NULL) < 0)
		fail("handler set-up");
	tp_set(GUEST_TP);
	/* raise() would go through the thread pointer first. */
	sigsafe_syscall(__NR_tgkill, pid, tid, SIGUSR1);
	if (!handler_repaired)
		fail("the handler did not repair the thread pointer");
	if (tp_get() != own)
		fail("the own thread pointer is not back after the handler");
	if (!tp_guard_check(slot, &wrong) || wrong != GUEST_TP)
		fail("the check did not report the handler's repair");
	if (tp_guard_check(slot, &wrong))
		fail("the handler's repair was reported twice");
	tp_guard_leave(slot);
	printf("handler: repaired in the handler, reported once by the check\n");
	return 0;
}

static void fault_child(void)
{
	if (fault_handler_install() < 0 || tp_guard_enter() < 0)
		_exit(90);
	tp_set(GUEST_TP);
	/* glibc's errno is thread-local: this store faults. */
	errno = 0;
	_exit(91);
}

static int case_fault(void)
{
	const char *want = "thread pointer 0x1de7ec7edbadc0de (not this vCPU thread's";
	char err[1024];
	int pfd[2], status;
	ssize_t n, got = 0;
	pid_t pid;

	if (pipe(pfd) < 0)
		fail("pipe");
	pid = fork();
	if (pid == 0) {
		dup2(pfd[1], STDERR_FILENO);
		close(pfd[0]);
		fault_child();
	}
	close(pfd[1]);
	while (got < (ssize_t)sizeof(err) - 1 &&
	       (n = read(pfd[0], err + got, sizeof(err) - 1 - (size_t)got)) > 0)
		got += n;
	err[got > 0 ? got : 0] = '\0';
	waitpid(pid, &status, 0);
	printf("fault: child wrote: %s", got > 0 ? err : "(nothing)\n");
	if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGSEGV)
		fail("the child did not die of SIGSEGV");
	if (!strstr(err, "seavmm: SIGSEGV") || !strstr(err, want))
		fail("the fault line is missing or does not name the wrong thread pointer");
	return 0;
}

int main(int argc, char **argv)
{
	const char *c = argc > 1 ? argv[1] : "all";

	setvbuf(stdout, NULL, _IONBF, 0);
	/* The raw KVM_RUN's error path: -errno, no errno write. */
	if (kvm_vcpu_run(-1) != -EBADF)
		fail("kvm_vcpu_run(-1) did not return -EBADF");
	if (!strcmp(c, "check"))
		return case_check();
	if (!strcmp(c, "handler"))
		return case_handler();
	if (!strcmp(c, "fault"))
		return case_fault();
	if (strcmp(c, "all"))
		fail("usage: tp_guard [check|handler|fault|all]");
	case_check();
	case_handler();
	case_fault();
	printf("tp_guard: all cases passed\n");
	return 0;
}
