// SPDX-License-Identifier: GPL-2.0-only
/*
 * sea_lat: guest side of the memory-error latency benchmark (bench-sea).
 *
 * Maps NPAGES shared pages (a holder process keeps them allocated), prints
 * their guest-physical addresses ("SEA-VICTIM gpa=..") and
 * GUEST-READY-FOR-POISON, and waits for a line on standard input while the
 * host poisons them. Then it times, in guest CLOCK_MONOTONIC, from just
 * before an access to the SIGBUS handler of the process that made it:
 * the first access to each page (a KVM_EXIT_ARM_SEA) and REACCESS later
 * accesses to the first page (the host kernel's hwpoison SIGBUS to seavmm),
 * one child process per access. Beside them, as the baseline, the round trip
 * of a plain MMIO read (through /dev/mem, of an address where no device and
 * no RAM is: a KVM_EXIT_MMIO that seavmm answers with 0; the UART's own
 * registers are claimed by its guest driver, so /dev/mem refuses them). Prints "LAT name n=N
 * median=US p99=US max=US" lines.
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
#include <time.h>
#include <unistd.h>

#include "guest_pagemap.h"

#define PAGE	  4096
#define NPAGES	  5
#define REACCESS  40
#define NMMIO	  1000
#define MMIO_HOLE 0x20000000UL

static volatile uint64_t *shared_t; /* [0] t0, [1] t1 of the current sample */

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void on_sigbus(int sig, siginfo_t *si, void *uc)
{
	(void)si;
	(void)uc;
	shared_t[1] = now_ns();
	raise(sig);
}

/* One access in a child; the time to its SIGBUS in us, or -1. */
static double sample(volatile uint64_t *p)
{
	struct sigaction sa = { .sa_sigaction = on_sigbus,
				.sa_flags = SA_SIGINFO | SA_RESETHAND | SA_NODEFER };
	int status;
	pid_t pid;

	shared_t[0] = shared_t[1] = 0;
	pid = fork();
	if (pid == 0) {
		sigaction(SIGBUS, &sa, NULL);
		shared_t[0] = now_ns();
		(void)*(volatile uint64_t *)p;
		_exit(3);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFSIGNALED(status) || !shared_t[1])
		return -1;
	return (double)(shared_t[1] - shared_t[0]) / 1000.0;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void report(const char *name, double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp);
	printf("LAT %s n=%d median=%.1f p99=%.1f max=%.1f us\n", name, n, v[n / 2],
	       v[(n * 99) / 100 < n ? (n * 99) / 100 : n - 1], v[n - 1]);
}

int main(void)
{
	static double first[NPAGES], re[REACCESS], mmio[NMMIO];
	volatile uint64_t *pages;
	volatile uint32_t *hole;
	char line[64];
	int fd, nre = 0, nfirst = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	shared_t = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pages = mmap(NULL, NPAGES * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1,
		     0);
	fd = open("/dev/mem", O_RDWR | O_SYNC);
	hole = fd < 0 ? MAP_FAILED
		      : mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)MMIO_HOLE);
	if (shared_t == MAP_FAILED || pages == MAP_FAILED || hole == MAP_FAILED) {
		printf("LAT: cannot map the pages or the MMIO address\n");
		return 2;
	}
	if (fork() == 0) {
		for (;;)
			pause();
	}
	for (int i = 0; i < NPAGES; i++) {
		volatile uint64_t *p = pages + i * (PAGE / 8);

		p[0] = i + 1;
		mlock((void *)p, PAGE);
		printf("SEA-VICTIM gpa=0x%" PRIx64 "\n", gpa_of((void *)p));
	}
	for (int i = 0; i < NMMIO; i++) {
		uint64_t t0 = now_ns();

		(void)hole[1];
		mmio[i] = (double)(now_ns() - t0) / 1000.0;
	}
	printf("GUEST-READY-FOR-POISON\n");
	if (!fgets(line, sizeof(line), stdin))
		return 2;
	for (int i = 0; i < NPAGES; i++) {
		double us = sample(pages + i * (PAGE / 8));

		if (us >= 0)
			first[nfirst++] = us;
	}
	for (int i = 0; i < REACCESS; i++) {
		double us = sample(pages);

		if (us >= 0)
			re[nre++] = us;
	}
	report("mmio-round-trip", mmio, NMMIO);
	if (nfirst)
		report("first-error", first, nfirst);
	if (nre)
		report("re-access", re, nre);
	printf("LAT-DONE first=%d/%d reaccess=%d/%d\n", nfirst, NPAGES, nre, REACCESS);
	return nfirst == NPAGES && nre == REACCESS ? 0 : 1;
}
