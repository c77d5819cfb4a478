// SPDX-License-Identifier: GPL-2.0-only
#include "term.h"

#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <termios.h>
#include <unistd.h>

#include "thread_pointer.h"

/*
 * Global state, as vmm/sea/sigbus.c's (the only other): a signal handler gets no
 * context argument, yet must restore the terminal before the process dies. It is
 * written once before the handlers are installed and only read afterwards.
 */
static struct {
	int fd;
	struct termios saved;
	atomic_bool active;
} term_state = { .fd = -1 };

/*
 * Not SIGBUS (vmm/sea/sigbus.c), nor SIGSEGV, SIGILL and SIGFPE
 * (vmm/core/fault.c): their owners restore the terminal when seavmm dies of them.
 */
static const int term_fatal_signals[] = { SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGABRT };

void term_restore(void)
{
	if (atomic_exchange(&term_state.active, false))
		tcsetattr(term_state.fd, TCSAFLUSH, &term_state.saved);
}

static void term_signal_handler(int sig)
{
	/* raise() goes through the thread pointer: see thread_pointer.h. */
	tp_guard_repair(NULL);
	term_restore();
	/* SA_RESETHAND put the default action back: die of the same signal. */
	raise(sig);
}

bool term_raw_enter(int fd)
{
	struct sigaction sa = { .sa_handler = term_signal_handler,
				.sa_flags = SA_RESETHAND | SA_NODEFER };
	struct termios raw;

	if (!isatty(fd) || tcgetattr(fd, &term_state.saved) < 0)
		return false;
	term_state.fd = fd;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(term_fatal_signals) / sizeof(term_fatal_signals[0]); i++)
		sigaction(term_fatal_signals[i], &sa, NULL);
	atexit(term_restore);
	raw = term_state.saved;
	/* Keys like Ctrl-C go to the guest; the escape sequence quits seavmm. */
	cfmakeraw(&raw);
	atomic_store(&term_state.active, true);
	if (tcsetattr(fd, TCSANOW, &raw) < 0) {
		atomic_store(&term_state.active, false);
		return false;
	}
	return true;
}
