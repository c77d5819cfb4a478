// SPDX-License-Identifier: GPL-2.0-only
/*
 * ras/ costs: tracker insert and lookup per page at 1,000 and 1,000,000 pages,
 * and ras_decide per event, each the median of several runs, next to a
 * baseline measured in the same run (a bare open-addressing table of 64-bit
 * keys; a memcpy of a decision). Prints figures only, never pass/fail.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arm64_esr.h"
#include "ras.h"

#define RUNS 5

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return v[n / 2];
}

/* Scattered GPAs, as errors are; keys[i] distinct. */
static uint64_t *make_keys(uint32_t n)
{
	uint64_t *k = malloc((size_t)n * sizeof(*k)), x = 88172645463325252ULL;

	if (!k)
		exit(1);
	for (uint32_t i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		k[i] = ((x % (1ULL << 28)) << 12 & ~0xfffULL) | ((uint64_t)i << 40);
	}
	return k;
}

static volatile uint64_t sink;

static void bench_tracker(uint32_t n)
{
	uint64_t *keys = make_keys(n);
	double ins[RUNS], look[RUNS], bins[RUNS], blook[RUNS];

	for (int r = 0; r < RUNS; r++) {
		struct ras_tracker t;
		struct ras_page *pg;
		bool created;
		uint64_t t0, sum = 0;

		if (ras_tracker_init(&t, n))
			exit(1);
		t0 = now_ns();
		for (uint32_t i = 0; i < n; i++)
			if (ras_tracker_touch(&t, keys[i], i, &pg, &created))
				exit(1);
		ins[r] = (double)(now_ns() - t0) / n;
		t0 = now_ns();
		for (uint32_t i = 0; i < n; i++)
			sum += ras_tracker_lookup(&t, keys[(i * 7919u) % n])->count;
		look[r] = (double)(now_ns() - t0) / n;
		ras_tracker_free(&t);

		/* Baseline: power-of-two table of bare keys, load <= 1/2, linear probing. */
		size_t cap = 1;
		while (cap < 2 * (size_t)n)
			cap <<= 1;
		uint64_t *tab = calloc(cap, sizeof(*tab));
		if (!tab)
			exit(1);
		t0 = now_ns();
		for (uint32_t i = 0; i < n; i++) {
			size_t s = (keys[i] * 0x9e3779b97f4a7c15ULL) >> 20 & (cap - 1);
			while (tab[s] && tab[s] != keys[i] + 1)
				s = (s + 1) & (cap - 1);
			tab[s] = keys[i] + 1;
		}
		bins[r] = (double)(now_ns() - t0) / n;
		t0 = now_ns();
		for (uint32_t i = 0; i < n; i++) {
			uint64_t k = keys[(i * 7919u) % n];
			size_t s = (k * 0x9e3779b97f4a7c15ULL) >> 20 & (cap - 1);
			while (tab[s] != k + 1)
				s = (s + 1) & (cap - 1);
			sum += s;
		}
		blook[r] = (double)(now_ns() - t0) / n;
		free(tab);
		sink = sum;
	}
	printf("tracker %8u pages: insert %6.1f ns/page (baseline %5.1f), lookup %6.1f ns/page "
	       "(baseline %5.1f)\n",
	       n, median(ins, RUNS), median(bins, RUNS), median(look, RUNS), median(blook, RUNS));
	free(keys);
}

static void bench_decide(void)
{
	const uint32_t n = 200000;
	double dec[RUNS], base[RUNS];
	struct ras_policy p;

	ras_policy_default(&p);
	for (int r = 0; r < RUNS; r++) {
		struct ras_tracker t;
		struct ras_decision d, copy;
		struct ras_event ev;
		uint64_t t0, sum = 0;

		if (ras_tracker_init(&t, 4096))
			exit(1);
		t0 = now_ns();
		for (uint32_t i = 0; i < n; i++) {
			struct seavmm_arm_sea sea = { KVM_EXIT_ARM_SEA_FLAG_GPA_VALID,
						      ((uint64_t)ESR_EC_DABT_LOW << ESR_EC_SHIFT) |
							      ESR_IL | ESR_FSC_SEA,
						      0xffff000000001000ULL,
						      (uint64_t)(i % 1000) << 12 };
			struct ras_vcpu_ctx ctx = { i & 3, 0, 0x400000 + 4 * i, i,
						    (uint64_t)i << 20 };

			ras_event_from_exit(&ev, &sea, &ctx);
			ras_decide(&p, &t, &ev, &d);
			sum += d.escalate;
		}
		dec[r] = (double)(now_ns() - t0) / n;
		ras_tracker_free(&t);
		t0 = now_ns();
		for (uint32_t i = 0; i < n; i++) {
			d.page_count = i;
			memcpy(&copy, &d, sizeof(d));
			sum += copy.page_count;
			__asm__ volatile("" ::: "memory");
		}
		base[r] = (double)(now_ns() - t0) / n;
		sink = sum;
	}
	printf("decide (event from exit + ras_decide, 1000 pages): %6.1f ns/event "
	       "(baseline memcpy of a decision %4.1f)\n",
	       median(dec, RUNS), median(base, RUNS));
}

int main(void)
{
	printf("ras bench: medians of %d runs\n", RUNS);
	bench_tracker(1000);
	bench_tracker(1000000);
	bench_decide();
	return 0;
}
