// SPDX-License-Identifier: GPL-2.0-only
/*
 * sea_victim: the guest process that consumes a memory error, for the
 * sea-user-inject scenario (guest-images/guest/sea.sh).
 *
 * The page is shared (MAP_SHARED) with a holder process that keeps it until
 * the guest powers off: a page freed when the victim dies would go back to
 * the guest kernel's allocator, which hands it out again within moments and
 * touches it (a guest-kernel access to a page under virtual poison, which
 * the policy restarts the guest for). The scenarios check the user-space
 * path, so the page stays allocated.
 *
 * A child writes a pattern to the page, locks it, and prints the
 * page's guest-physical address (from /proc/self/pagemap: the guest is root)
 * and GUEST-READY-FOR-POISON. It then waits for a line on standard input
 * (the host poisons the host page behind that GPA meanwhile) and reads the
 * page back (or, given "skip", exits 0 without reading it: a guest the
 * host restarted after the error is not poisoned again). The host's seavmm
 * should inject a data abort, so the guest
 * kernel sends the child SIGBUS (si_code BUS_OBJERR, si_addr the address):
 * the child reports it and dies of it. The parent reports how the child
 * ended and exits 0 only when it died of SIGBUS at its page.
 */
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "guest_pagemap.h"

#define PAGE	     4096
#define PATTERN	     0x5ea5ea5ea5ea5ea5ULL
#define EXIT_NOFAULT 3 /* the read completed: no abort reached the process */

static void on_sigbus(int sig, siginfo_t *si, void *uc)
{
	char msg[128];
	int n;

	(void)uc;
	n = snprintf(msg, sizeof(msg), "SEA-VICTIM: SIGBUS si_code %d si_addr %p\n", si->si_code,
		     si->si_addr);
	if (n > 0 && write(STDOUT_FILENO, msg, (size_t)n) < 0)
		_exit(4);
	/* SA_RESETHAND and SA_NODEFER: this raise kills the process. */
	raise(sig);
}

static int victim(volatile uint64_t *p)
{
	struct sigaction sa = { .sa_sigaction = on_sigbus,
				.sa_flags = SA_SIGINFO | SA_RESETHAND | SA_NODEFER };
	uint64_t gpa, sum = 0;
	char line[64];

	for (unsigned int i = 0; i < PAGE / 8; i++)
		p[i] = PATTERN;
	/* Resident at one GPA until the read: the host poisons that page. */
	mlock((void *)p, PAGE);
	gpa = gpa_of((void *)p);
	if (!gpa) {
		printf("SEA-VICTIM: no GPA for the page (pagemap)\n");
		return 2;
	}
	printf("SEA-VICTIM gpa=0x%" PRIx64 " va=%p\n", gpa, (void *)p);
	printf("GUEST-READY-FOR-POISON\n");
	fflush(stdout);
	alarm(120);
	if (!fgets(line, sizeof(line), stdin))
		return 2;
	if (!strncmp(line, "skip", 4)) {
		printf("SEA-VICTIM: skipped\n");
		return 0;
	}
	sigaction(SIGBUS, &sa, NULL);
	for (unsigned int i = 0; i < PAGE / 8; i++)
		sum += p[i] == PATTERN;
	printf("SEA-VICTIM: read the page back (%" PRIu64 " of %d words intact): no SIGBUS\n", sum,
	       PAGE / 8);
	return EXIT_NOFAULT;
}

int main(void)
{
	volatile uint64_t *p;
	int status;
	pid_t pid;

	setvbuf(stdout, NULL, _IOLBF, 0);
	p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return 1;
	/* The holder: keeps the page allocated until the guest powers off. */
	if (fork() == 0) {
		for (;;)
			pause();
	}
	pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0)
		_exit(victim(p));
	if (waitpid(pid, &status, 0) < 0)
		return 1;
	if (WIFSIGNALED(status)) {
		printf("SEA-VICTIM: child killed by signal %d%s\n", WTERMSIG(status),
		       WTERMSIG(status) == SIGBUS ? " (SIGBUS)" : "");
		return WTERMSIG(status) == SIGBUS ? 0 : 1;
	}
	printf("SEA-VICTIM: child exited with status %d\n", WEXITSTATUS(status));
	return WEXITSTATUS(status) ? 1 : 0;
}
