// SPDX-License-Identifier: GPL-2.0-only
/*
 * What the guarded copies (vmm/core/guest_copy.c) cost: guest_copy_from and
 * guest_copy_to of 64 B, 4 KiB and 64 KiB, with the known-poison check a
 * VM makes per page (a mutex-protected lookup, as vmm/sea/sea.c does),
 * each beside a plain memcpy of the same size in the same run, as the
 * median of several runs. Natively, -O2. Prints figures only.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../vmm/core/guest_copy.h"

#define RUNS	 7
#define RAM_SIZE (16u << 20)
#define RAM_GPA	 0x40000000ULL

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static volatile uint64_t bad_page = 1; /* never a page: the check always passes */

static bool known_poisoned(void *ctx, uint64_t gpa)
{
	bool bad;

	(void)ctx;
	pthread_mutex_lock(&lock);
	bad = gpa == bad_page;
	pthread_mutex_unlock(&lock);
	return bad;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int main(void)
{
	static const size_t sizes[] = { 64, 4096, 65536 };
	uint8_t *ram = aligned_alloc(4096, RAM_SIZE), *buf = aligned_alloc(4096, 65536);
	struct guest_memory mem = { .nr = 1 };
	struct guest_ram g = { .mem = &mem, .known_poisoned = known_poisoned };

	if (!ram || !buf)
		return 1;
	memset(ram, 1, RAM_SIZE);
	memset(buf, 2, 65536);
	mem.regions[0] = (struct mem_region){ .gpa = RAM_GPA, .size = RAM_SIZE, .hva = ram };
	printf("guarded guest copies (ns per copy, median of %d runs; baseline memcpy in the "
	       "same run):\n",
	       RUNS);
	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		size_t len = sizes[s], n = (64u << 20) / len;
		double from[RUNS], to[RUNS], base[RUNS];

		for (int r = 0; r < RUNS; r++) {
			uint64_t t0 = now_ns(), off;

			for (size_t i = 0; i < n; i++) {
				off = (i * len) % RAM_SIZE;
				guest_copy_from(&g, RAM_GPA + off, buf, len, NULL);
			}
			from[r] = (double)(now_ns() - t0) / (double)n;
			t0 = now_ns();
			for (size_t i = 0; i < n; i++) {
				off = (i * len) % RAM_SIZE;
				guest_copy_to(&g, RAM_GPA + off, buf, len, NULL);
			}
			to[r] = (double)(now_ns() - t0) / (double)n;
			t0 = now_ns();
			for (size_t i = 0; i < n; i++) {
				off = (i * len) % RAM_SIZE;
				memcpy(buf, ram + off, len);
				__asm__ volatile("" : : "r"(buf) : "memory");
			}
			base[r] = (double)(now_ns() - t0) / (double)n;
		}
		qsort(from, RUNS, sizeof(double), cmp);
		qsort(to, RUNS, sizeof(double), cmp);
		qsort(base, RUNS, sizeof(double), cmp);
		printf("  %6zu B: copy_from %8.1f ns, copy_to %8.1f ns, memcpy %8.1f ns: "
		       "ratio %.2f / %.2f\n",
		       len, from[RUNS / 2], to[RUNS / 2], base[RUNS / 2],
		       from[RUNS / 2] / base[RUNS / 2], to[RUNS / 2] / base[RUNS / 2]);
	}
	free(ram);
	free(buf);
	return 0;
}
