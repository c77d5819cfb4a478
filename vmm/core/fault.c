// SPDX-License-Identifier: GPL-2.0-only
#include "fault.h"

#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#include "sigsafe.h"
#include "term.h"
#include "thread_pointer.h"

static const int fault_signals[] = { SIGSEGV, SIGILL, SIGFPE };

static const char *fault_signal_name(int sig)
{
	return sig == SIGSEGV ? "SIGSEGV" : sig == SIGILL ? "SIGILL" : "SIGFPE";
}

/* pc, lr (x86_64: none) and sp of the faulting context. */
static void fault_regs(const ucontext_t *uc, uint64_t *pc, uint64_t *lr, uint64_t *sp)
{
#if defined(__aarch64__)
	*pc = uc->uc_mcontext.pc;
	*lr = uc->uc_mcontext.regs[30];
	*sp = uc->uc_mcontext.sp;
#else
	*pc = (uint64_t)uc->uc_mcontext.gregs[REG_RIP];
	*lr = 0;
	*sp = (uint64_t)uc->uc_mcontext.gregs[REG_RSP];
#endif
}

static void fault_handler(int sig, siginfo_t *si, void *ctx)
{
	uint64_t pc, lr, sp, wrong_tp = 0;
	long tid;
	char line[480];
	size_t n = 0;
	int wrong;

	/*
	 * Before anything that might use the thread pointer: a vCPU thread the
	 * host gave a wrong one would fault again in here and die silently.
	 */
	wrong = tp_guard_repair(&wrong_tp);

	fault_regs(ctx, &pc, &lr, &sp);
	tid = sigsafe_syscall(__NR_gettid, 0, 0, 0);
	n = sigsafe_put(line, n, sizeof(line), "seavmm: ");
	n = sigsafe_put(line, n, sizeof(line), fault_signal_name(sig));
	n = sigsafe_put(line, n, sizeof(line), " (si_code ");
	if (si->si_code < 0) {
		n = sigsafe_put(line, n, sizeof(line), "-");
		n = sigsafe_put_num(line, n, sizeof(line), (uint64_t) - (int64_t)si->si_code, 10);
	} else {
		n = sigsafe_put_num(line, n, sizeof(line), (uint64_t)si->si_code, 10);
	}
	n = sigsafe_put(line, n, sizeof(line), ") at ");
	n = sigsafe_put_num(line, n, sizeof(line), (uintptr_t)si->si_addr, 16);
	n = sigsafe_put(line, n, sizeof(line), ", pc ");
	n = sigsafe_put_num(line, n, sizeof(line), pc, 16);
	n = sigsafe_put(line, n, sizeof(line), ", lr ");
	n = sigsafe_put_num(line, n, sizeof(line), lr, 16);
	n = sigsafe_put(line, n, sizeof(line), ", sp ");
	n = sigsafe_put_num(line, n, sizeof(line), sp, 16);
	n = sigsafe_put(line, n, sizeof(line), ", thread ");
	n = sigsafe_put_num(line, n, sizeof(line), (uint64_t)tid, 10);
	if (wrong) {
		n = sigsafe_put(line, n, sizeof(line), ", thread pointer ");
		n = sigsafe_put_num(line, n, sizeof(line), wrong_tp, 16);
		n = sigsafe_put(line, n, sizeof(line),
				" (not this vCPU thread's: the host returned from KVM_RUN with a "
				"wrong TPIDR_EL0, a host kernel or emulator fault, "
				"docs/host-kernel-bugs.md); it dies of it\n");
	} else {
		n = sigsafe_put(line, n, sizeof(line), ": a seavmm bug; it dies of it\n");
	}
	/* Nothing left to tell a failure to. */
	sigsafe_syscall(__NR_write, STDERR_FILENO, (long)(uintptr_t)line, (long)n);
	term_restore();
	/*
	 * SA_RESETHAND put the default action back: die of the same signal now,
	 * whether it came from a faulting instruction or was sent.
	 */
	sigsafe_syscall(__NR_tgkill, sigsafe_syscall(__NR_getpid, 0, 0, 0), tid, sig);
}

int fault_handler_install(void)
{
	struct sigaction sa = { .sa_sigaction = fault_handler,
				.sa_flags = SA_SIGINFO | SA_RESETHAND | SA_NODEFER };

	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(fault_signals) / sizeof(fault_signals[0]); i++)
		if (sigaction(fault_signals[i], &sa, NULL) < 0)
			return -errno;
	return 0;
}
