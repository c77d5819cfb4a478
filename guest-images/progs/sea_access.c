// SPDX-License-Identifier: GPL-2.0-only
/*
 * sea_access: guest processes that touch a page the host poisons, one child
 * process per access, for the virtual-poison scenarios. Usage:
 *
 *   sea_access shared ACCESS...  one MAP_SHARED page, one child per ACCESS
 *                                (read or fetch), one after another
 *   sea_access two               two pages, two children pinned to
 *                                CPUs 0 and 1, reading at the same moment
 *   sea_access kwrite            the guest kernel reads the page: write() of
 *                                it into a pipe
 *
 * A holder process keeps every shared page allocated until the guest powers
 * off (see sea_victim.c for why). It writes a pattern (a "ret" instruction at
 * the start of the page, so a fetch returns) and prints each page's guest-physical address
 * ("SEA-VICTIM gpa=0x..") and GUEST-READY-FOR-POISON, then waits for a line
 * on standard input ("skip": exit 0 at once, for a guest the host restarted).
 * Each child reports how its access ended: "SEA-ACCESS N read|fetch:
 * SIGBUS si_code C" when it died of SIGBUS, or "... data intact|CHANGED"
 * when the access completed. Exits 0 when every access ended in SIGBUS.
 */
#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "guest_pagemap.h"

#define PAGE	4096
#define PATTERN 0x5ea5ea5ea5ea5ea5ULL
#define RET	0xd65f03c0u /* AArch64 "ret" */

static int child_no;
static const char *child_what = "";

static void on_sigbus(int sig, siginfo_t *si, void *uc)
{
	char msg[128];
	int n;

	(void)uc;
	n = snprintf(msg, sizeof(msg), "SEA-ACCESS %d %s: SIGBUS si_code %d si_addr %p\n", child_no,
		     child_what, si->si_code, si->si_addr);
	if (n > 0 && write(STDOUT_FILENO, msg, (size_t)n) < 0)
		_exit(4);
	raise(sig); /* SA_RESETHAND: this kills the process */
}

static volatile uint64_t *page_new(int flags)
{
	volatile uint64_t *p =
		mmap(NULL, PAGE, PROT_READ | PROT_WRITE | PROT_EXEC, flags | MAP_ANONYMOUS, -1, 0);
	uint64_t gpa;

	if (p == MAP_FAILED)
		exit(2);
	for (unsigned int i = 0; i < PAGE / 8; i++)
		p[i] = PATTERN;
	*(volatile uint32_t *)p = RET;
	__builtin___clear_cache((char *)p, (char *)p + PAGE);
	mlock((void *)p, PAGE);
	gpa = gpa_of((void *)p);
	if (!gpa) {
		printf("SEA-ACCESS: no GPA for the page\n");
		exit(2);
	}
	printf("SEA-VICTIM gpa=0x%" PRIx64 " va=%p\n", gpa, (void *)p);
	return p;
}

/* In the child: the access itself. Returns only when it completed. */
static int access_page(volatile uint64_t *p, const char *what)
{
	struct sigaction sa = { .sa_sigaction = on_sigbus,
				.sa_flags = SA_SIGINFO | SA_RESETHAND | SA_NODEFER };
	unsigned int intact = 0;

	child_what = what;
	sigaction(SIGBUS, &sa, NULL);
	if (!strcmp(what, "fetch")) {
		((void (*)(void))(uintptr_t)p)();
		printf("SEA-ACCESS %d fetch: ran the page's code: no SIGBUS\n", child_no);
		return 3;
	}
	for (unsigned int i = 1; i < PAGE / 8; i++)
		intact += p[i] == PATTERN;
	printf("SEA-ACCESS %d read: no SIGBUS, data %s\n", child_no,
	       intact == PAGE / 8 - 1 ? "intact" : "CHANGED");
	return 3;
}

static int wait_child(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) < 0)
		return 1;
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGBUS)
		return 0;
	printf("SEA-ACCESS: a child ended with %s %d\n", WIFSIGNALED(status) ? "signal" : "status",
	       WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
	return 1;
}

static int wait_go(void)
{
	char line[64];

	printf("GUEST-READY-FOR-POISON\n");
	alarm(150);
	if (!fgets(line, sizeof(line), stdin))
		return -1;
	if (!strncmp(line, "skip", 4)) {
		printf("SEA-ACCESS: skipped\n");
		return 1;
	}
	alarm(0);
	return 0;
}

static void hold_pages(void)
{
	if (fork() == 0) {
		for (;;)
			pause();
	}
}

static int mode_shared(int n, char **what)
{
	volatile uint64_t *p = page_new(MAP_SHARED);
	int bad = 0, go;

	hold_pages();
	go = wait_go();

	if (go)
		return go < 0 ? 2 : 0;
	for (int i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid == 0) {
			child_no = i + 1;
			_exit(access_page(p, what[i]));
		}
		bad |= pid < 0 || wait_child(pid);
	}
	return bad;
}

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

static int mode_two(void)
{
	volatile uint64_t *p[2] = { page_new(MAP_SHARED), page_new(MAP_SHARED) };
	volatile uint32_t *gate =
		mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pid_t pid[2];
	int bad = 0, go;

	if (gate == MAP_FAILED)
		return 2;
	hold_pages();
	/* Each child inherits both pages and reads its own. */
	for (int i = 0; i < 2; i++) {
		pid[i] = fork();
		if (pid[i] == 0) {
			child_no = i + 1;
			pin(i);
			__atomic_add_fetch(gate, 1, __ATOMIC_SEQ_CST);
			while (__atomic_load_n(gate, __ATOMIC_ACQUIRE) < 3)
				sched_yield();
			_exit(access_page(p[i], "read"));
		}
	}
	while (__atomic_load_n(gate, __ATOMIC_ACQUIRE) < 2)
		usleep(1000);
	go = wait_go();
	if (go) {
		kill(pid[0], SIGKILL);
		kill(pid[1], SIGKILL);
		waitpid(pid[0], NULL, 0);
		waitpid(pid[1], NULL, 0);
		return go < 0 ? 2 : 0;
	}
	__atomic_store_n(gate, 3, __ATOMIC_RELEASE);
	for (int i = 0; i < 2; i++)
		bad |= wait_child(pid[i]);
	return bad;
}

static int mode_kwrite(void)
{
	volatile uint64_t *p = page_new(MAP_PRIVATE);
	int fds[2], go = wait_go();
	ssize_t n;

	if (go)
		return go < 0 ? 2 : 0;
	if (pipe(fds))
		return 2;
	/* The guest kernel copies the page: copy_from_user meets the poison. */
	n = write(fds[1], (const void *)p, PAGE);
	printf("SEA-ACCESS kwrite: write() returned %zd\n", n);
	return 1;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 3 && !strcmp(argv[1], "shared"))
		return mode_shared(argc - 2, argv + 2);
	if (argc == 2 && !strcmp(argv[1], "two"))
		return mode_two();
	if (argc == 2 && !strcmp(argv[1], "kwrite"))
		return mode_kwrite();
	fprintf(stderr, "usage: sea_access shared read|fetch... | two | kwrite\n");
	return 2;
}
