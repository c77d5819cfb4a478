// SPDX-License-Identifier: GPL-2.0-only
/*
 * agent_victim: the guest side of the seavmm-agent scenarios
 * (guest-images/guest/sea-agent*.sh, sea-page-cache.sh, sea-liveness.sh).
 *
 * Every mode but hog writes a pattern to a page, locks it, prints its
 * guest-physical address ("SEA-VICTIM gpa=0x...", from /proc/self/pagemap)
 * and GUEST-READY-FOR-POISON, and waits for a line on standard input while
 * the host poisons the host page behind that GPA (tests/integration/
 * scenarios/lib/sea.sh). Then:
 *   private  this process reads the page: SIGBUS (the abort seavmm injects);
 *            it lives on, waits until the guest kernel has taken the page
 *            out of use (the agent: HardwareCorrupted in /proc/meminfo), and
 *            reads it again: SIGBUS again, from the guest kernel this time.
 *   shared   the page is MAP_SHARED: child A reads it (SIGBUS, dies); after
 *            the page is offlined child B reads it: SIGBUS, never other data.
 *   file     the page is a tmpfs file's, mapped here: the mapping is read
 *            (SIGBUS); once offlined, read() of the file gives EIO and the
 *            mapping SIGBUS, never other bytes.
 *   fileread the tmpfs file is read with read(), no agent running: the guest
 *            kernel consumes the poison (seavmm's kernel policy applies).
 *   pipe     the page is written into a pipe: the guest kernel consumes the
 *            poison in write().
 * A line "skip" instead (a guest restarted after its error) exits 0 at once.
 * A second argument is how long to wait for the page to be offlined (60 s).
 *   hog PCT  allocates and writes PCT% of MemAvailable, then frees it.
 * Every outcome is a line starting "AGENT-VICTIM:"; the exit status is 0
 * only when every access ended as it must.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "guest_pagemap.h"

#define PAGE	GUEST_PAGE
#define PATTERN 0x5ea5ea5ea5ea5ea5ULL
#define FILE_AT "/tmp/agent-victim.dat"

static sigjmp_buf victim_jmp;
static volatile sig_atomic_t victim_code;
static int wait_s = 60; /* for the page to be offlined (second argument) */

static void on_sigbus(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	victim_code = si->si_code;
	siglongjmp(victim_jmp, 1);
}

/*
 * Reads the page: returns the SIGBUS si_code, or 0 when the read completed
 * (then *intact says whether it held the pattern).
 */
static int victim_touch(volatile uint64_t *p, int *intact)
{
	struct sigaction sa = { .sa_sigaction = on_sigbus, .sa_flags = SA_SIGINFO | SA_NODEFER };
	unsigned int same = 0;

	sigaction(SIGBUS, &sa, NULL);
	if (sigsetjmp(victim_jmp, 1))
		return victim_code;
	for (unsigned int i = 0; i < PAGE / 8; i++)
		same += p[i] == PATTERN;
	*intact = same == PAGE / 8;
	return 0;
}

static long meminfo_kb(const char *key)
{
	char line[128];
	size_t n = strlen(key);
	long v = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, n) && line[n] == ':')
			v = strtol(line + n + 1, NULL, 10);
	fclose(f);
	return v;
}

/* Until the guest kernel has a poisoned page more than before (wait_s at most). */
static int wait_offlined(long before)
{
	for (int i = 0; i < wait_s * 10; i++) {
		long now = meminfo_kb("HardwareCorrupted");

		if (now > before) {
			printf("AGENT-VICTIM: offlined (HardwareCorrupted %ld kB)\n", now);
			return 0;
		}
		usleep(100000);
	}
	printf("AGENT-VICTIM: the page was not offlined within %d s\n", wait_s);
	return 1;
}

/* The page for the mode, filled, locked and reported; NULL on failure. */
static volatile uint64_t *victim_page(const char *mode, int *fd)
{
	volatile uint64_t *p;
	uint64_t gpa;

	*fd = -1;
	if (!strcmp(mode, "file") || !strcmp(mode, "fileread")) {
		*fd = open(FILE_AT, O_RDWR | O_CREAT | O_TRUNC, 0600);
		if (*fd < 0 || ftruncate(*fd, PAGE))
			return NULL;
		p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, *fd, 0);
	} else {
		p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
			 (!strcmp(mode, "shared") ? MAP_SHARED : MAP_PRIVATE) | MAP_ANONYMOUS, -1,
			 0);
	}
	if (p == MAP_FAILED)
		return NULL;
	for (unsigned int i = 0; i < PAGE / 8; i++)
		p[i] = PATTERN;
	/* Resident at one GPA until the host has poisoned it. */
	mlock((void *)p, PAGE);
	gpa = gpa_of((void *)p);
	if (!gpa) {
		printf("AGENT-VICTIM: no GPA for the page (pagemap)\n");
		return NULL;
	}
	printf("SEA-VICTIM gpa=0x%" PRIx64 " va=%p\n", gpa, (void *)p);
	printf("GUEST-READY-FOR-POISON\n");
	return p;
}

/* A child that reads the page: 0 when it died of SIGBUS, never reading other data. */
static int child_reads(volatile uint64_t *p, const char *who)
{
	int status, intact = 0;
	pid_t pid = fork();

	if (pid < 0)
		return 1;
	if (pid == 0) {
		int code = victim_touch(p, &intact);

		if (code) {
			printf("AGENT-VICTIM: %s: SIGBUS si_code %d\n", who, code);
			fflush(stdout);
			signal(SIGBUS, SIG_DFL);
			raise(SIGBUS);
		}
		printf("AGENT-VICTIM: %s: read the page (%s): no SIGBUS\n", who,
		       intact ? "the data as written" : "OTHER DATA");
		_exit(3);
	}
	if (waitpid(pid, &status, 0) < 0)
		return 1;
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGBUS) {
		printf("AGENT-VICTIM: %s: died of SIGBUS\n", who);
		return 0;
	}
	printf("AGENT-VICTIM: %s: ended with status 0x%x\n", who, status);
	return 1;
}

static int mode_private(volatile uint64_t *p, long before)
{
	int intact = 0, code = victim_touch(p, &intact), bad = 0;

	printf("AGENT-VICTIM: first read: %s si_code %d\n", code ? "SIGBUS" : "no SIGBUS", code);
	bad |= !code;
	bad |= wait_offlined(before);
	code = victim_touch(p, &intact);
	printf("AGENT-VICTIM: read after offline: %s si_code %d%s\n", code ? "SIGBUS" : "no SIGBUS",
	       code, code ? "" : (intact ? " (the data as written)" : " (OTHER DATA)"));
	return bad | !code;
}

static int mode_shared(volatile uint64_t *p, long before)
{
	int bad = child_reads(p, "A");

	bad |= wait_offlined(before);
	bad |= child_reads(p, "B");
	return bad;
}

static int mode_file(volatile uint64_t *p, int fd, long before)
{
	char buf[PAGE];
	int intact = 0, code = victim_touch(p, &intact), bad = !code;
	ssize_t n;

	printf("AGENT-VICTIM: mapping read: %s si_code %d\n", code ? "SIGBUS" : "no SIGBUS", code);
	bad |= wait_offlined(before);
	n = pread(fd, buf, sizeof(buf), 0);
	if (n < 0) {
		printf("AGENT-VICTIM: read() after offline: %s\n", strerror(errno));
		bad |= errno != EIO;
	} else {
		printf("AGENT-VICTIM: read() after offline returned %zd bytes: OTHER DATA\n", n);
		bad = 1;
	}
	code = victim_touch(p, &intact);
	printf("AGENT-VICTIM: mapping read after offline: %s si_code %d\n",
	       code ? "SIGBUS" : "no SIGBUS", code);
	return bad | !code;
}

static int mode_fileread(int fd)
{
	char buf[PAGE];
	ssize_t n;

	fflush(stdout);
	/* The guest kernel copies the page out: seavmm decides what follows. */
	n = pread(fd, buf, sizeof(buf), 0);
	printf("AGENT-VICTIM: read() returned %zd (%s)\n", n, n < 0 ? strerror(errno) : "data");
	return 1;
}

static int mode_pipe(volatile uint64_t *p)
{
	int fds[2];
	ssize_t n;

	if (pipe(fds))
		return 1;
	fflush(stdout);
	n = write(fds[1], (const void *)p, PAGE);
	printf("AGENT-VICTIM: write() returned %zd (%s)\n", n, n < 0 ? strerror(errno) : "data");
	return 1;
}

static int mode_hog(int pct)
{
	long avail = meminfo_kb("MemAvailable");
	size_t want = (size_t)(avail > 0 ? avail : 0) / 100 * (size_t)pct * 1024, done = 0;
	char *m;

	if (!want)
		return 1;
	m = mmap(NULL, want, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		return 1;
	for (; done < want; done += PAGE)
		m[done] = (char)(done >> 12);
	for (size_t i = 0; i < want; i += PAGE)
		if (m[i] != (char)(i >> 12))
			return 1;
	munmap(m, want);
	printf("AGENT-VICTIM: hog wrote %zu MiB of %ld MiB available\n", want >> 20, avail >> 10);
	return 0;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "private";
	volatile uint64_t *p;
	char line[64];
	long before;
	int fd, ret;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(mode, "hog"))
		return mode_hog(argc > 2 ? atoi(argv[2]) : 80);
	if (argc > 2)
		wait_s = atoi(argv[2]);
	before = meminfo_kb("HardwareCorrupted");
	p = victim_page(mode, &fd);
	if (!p)
		return 2;
	alarm((unsigned int)wait_s + 120);
	if (!fgets(line, sizeof(line), stdin))
		return 2;
	if (!strncmp(line, "skip", 4)) {
		printf("AGENT-VICTIM: skipped\n");
		return 0;
	}
	if (!strcmp(mode, "private"))
		ret = mode_private(p, before);
	else if (!strcmp(mode, "shared"))
		ret = mode_shared(p, before);
	else if (!strcmp(mode, "file"))
		ret = mode_file(p, fd, before);
	else if (!strcmp(mode, "fileread"))
		ret = mode_fileread(fd);
	else if (!strcmp(mode, "pipe"))
		ret = mode_pipe(p);
	else
		ret = 2;
	printf("AGENT-VICTIM: %s %s\n", mode, ret ? "FAILED" : "ok");
	return ret;
}
