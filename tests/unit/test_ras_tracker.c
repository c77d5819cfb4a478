// SPDX-License-Identifier: GPL-2.0-only
/* The poison tracker against a plain reference model, at scale, and its window. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ras.h"

/* xorshift64*: deterministic, so a failure reproduces. */
static uint64_t rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

struct ref_page {
	uint64_t gpa, first, last;
	uint32_t count;
};

struct ref {
	struct ref_page p[600];
	unsigned int n;
};

static struct ref_page *ref_find(struct ref *r, uint64_t gpa)
{
	for (unsigned int i = 0; i < r->n; i++)
		if (r->p[i].gpa == gpa)
			return &r->p[i];
	return NULL;
}

static unsigned int ref_window(const struct ref *r, uint64_t now, uint64_t win)
{
	uint64_t cutoff = now > win ? now - win : 0;
	unsigned int n = 0;

	for (unsigned int i = 0; i < r->n; i++)
		n += r->p[i].last >= cutoff;
	return n;
}

struct walk {
	uint64_t prev;
	unsigned int n;
	const struct ref *r;
};

static int check_order(const struct ras_page *pg, void *arg)
{
	struct walk *w = arg;
	struct ref_page *rp = ref_find((struct ref *)w->r, pg->gpa);

	assert_true(w->n == 0 || pg->gpa > w->prev);
	assert_non_null(rp);
	assert_int_equal(pg->count, rp->count);
	w->prev = pg->gpa;
	w->n++;
	return 0;
}

static void test_against_reference(void **state)
{
	static struct ref r;
	struct ras_tracker t;
	uint64_t seed = 0x1234567, now = 1000;

	(void)state;
	memset(&r, 0, sizeof(r));
	assert_int_equal(ras_tracker_init(&t, 512), 0);
	for (unsigned int op = 0; op < 20000; op++) {
		uint64_t x = rnd(&seed);
		/* a few hundred pages spread over a wide space, some near page 0 */
		uint64_t gpa = ((x >> 8) % 700) << 12;

		if (x & 1)
			gpa |= (x >> 40) << 32;
		/* time mostly moves forward, sometimes steps back a little */
		now += (x >> 20) % 50;
		uint64_t t_ev = (x & 0x30) == 0x30 && now > 100 ? now - (x >> 24) % 100 : now;

		switch ((x >> 4) & 3) {
		case 0:
		case 1: {
			struct ras_page *pg;
			struct ref_page *rp = ref_find(&r, gpa);
			bool created;
			int ret = ras_tracker_touch(&t, gpa | (x & 0xfff), t_ev, &pg, &created);

			if (!rp && r.n == 512) {
				assert_int_equal(ret, -28);
				break;
			}
			assert_int_equal(ret, 0);
			assert_int_equal(created, !rp);
			if (!rp) {
				rp = &r.p[r.n++];
				*rp = (struct ref_page){ gpa, t_ev, 0, 0 };
			}
			rp->last = t_ev;
			rp->count++;
			pg->count++;
			assert_int_equal(pg->gpa, gpa);
			assert_int_equal(pg->first_ns, rp->first);
			break;
		}
		case 2: {
			struct ras_page *pg = ras_tracker_lookup(&t, gpa);
			struct ref_page *rp = ref_find(&r, gpa);

			assert_int_equal(pg != NULL, rp != NULL);
			if (pg) {
				assert_int_equal(pg->count, rp->count);
				assert_int_equal(pg->last_ns, rp->last);
			}
			break;
		}
		case 3: {
			uint64_t win = (x >> 30) % 3000;

			assert_int_equal(ras_tracker_count_window(&t, now, win, UINT32_MAX),
					 ref_window(&r, now, win));
			break;
		}
		}
		assert_int_equal(t.n, r.n);
	}
	struct walk w = { 0, 0, &r };

	assert_int_equal(ras_tracker_foreach(&t, check_order, &w), 0);
	assert_int_equal(w.n, r.n);
	assert_true(r.n > 400);
	ras_tracker_free(&t);
}

static int stop_at_third(const struct ras_page *pg, void *arg)
{
	(void)pg;
	return ++*(int *)arg == 3 ? 42 : 0;
}

static void test_foreach_stops(void **state)
{
	struct ras_tracker t;
	struct ras_page *pg;
	bool created;
	int calls = 0;

	(void)state;
	assert_int_equal(ras_tracker_init(&t, 10), 0);
	assert_int_equal(ras_tracker_foreach(&t, stop_at_third, &calls), 0);
	for (uint64_t i = 0; i < 5; i++)
		assert_int_equal(ras_tracker_touch(&t, i << 12, i, &pg, &created), 0);
	assert_int_equal(ras_tracker_foreach(&t, stop_at_third, &calls), 42);
	assert_int_equal(calls, 3);
	ras_tracker_free(&t);
	assert_int_equal(ras_tracker_init(&t, 0), -22);
	assert_int_equal(ras_tracker_init(&t, 1u << 24), -22);
}

static void test_window_limit(void **state)
{
	struct ras_tracker t;
	struct ras_page *pg;
	bool created;

	(void)state;
	assert_int_equal(ras_tracker_init(&t, 100), 0);
	for (uint64_t i = 0; i < 100; i++)
		assert_int_equal(ras_tracker_touch(&t, i << 12, 1000 + i, &pg, &created), 0);
	assert_int_equal(ras_tracker_count_window(&t, 1099, 9, UINT32_MAX), 10);
	assert_int_equal(ras_tracker_count_window(&t, 1099, 9, 4), 4);
	assert_int_equal(ras_tracker_count_window(&t, 1099, 0, UINT32_MAX), 1);
	assert_int_equal(ras_tracker_count_window(&t, 5000, 100, UINT32_MAX), 0);
	assert_int_equal(ras_tracker_count_window(&t, 50, 100, UINT32_MAX), 100);
	/* touching an old page moves it into the window */
	assert_int_equal(ras_tracker_touch(&t, 0, 1099, &pg, &created), 0);
	assert_false(created);
	assert_int_equal(pg->first_ns, 1000);
	assert_int_equal(ras_tracker_count_window(&t, 1099, 9, UINT32_MAX), 11);
	/* put keeps the order too */
	struct ras_page rec = { .gpa = 0x7777000, .first_ns = 1, .last_ns = 1098, .count = 9 };

	assert_int_equal(ras_tracker_put(&t, &rec), -28);
	rec.gpa = 5 << 12;
	assert_int_equal(ras_tracker_put(&t, &rec), 0);
	assert_int_equal(ras_tracker_lookup(&t, 5 << 12)->count, 9);
	assert_int_equal(ras_tracker_count_window(&t, 1099, 9, UINT32_MAX), 12);
	ras_tracker_free(&t);
}

static void test_million_pages(void **state)
{
	const uint32_t n = 1000000;
	struct ras_tracker t;
	struct ras_page *pg;
	bool created;

	(void)state;
	assert_int_equal(ras_tracker_init(&t, n), 0);
	for (uint32_t i = 0; i < n; i++) {
		/* a stride that spreads pages over 4 TiB of guest physical space */
		uint64_t gpa = (uint64_t)i * 0x3ff000ULL;

		assert_int_equal(ras_tracker_touch(&t, gpa, i, &pg, &created), 0);
		pg->count = i;
	}
	assert_int_equal(t.n, n);
	for (uint32_t i = 0; i < n; i++) {
		pg = ras_tracker_lookup(&t, (uint64_t)i * 0x3ff000ULL);
		if (!pg || pg->count != i)
			fail_msg("page %u lost", i);
	}
	assert_null(ras_tracker_lookup(&t, 0x1000));
	assert_int_equal(ras_tracker_touch(&t, 0x1000, n, &pg, &created), -28);
	print_message("%zu bytes, %.1f per page\n", ras_tracker_mem_bytes(&t),
		      (double)ras_tracker_mem_bytes(&t) / n);
	assert_true(ras_tracker_mem_bytes(&t) <= 72ULL * n);
	assert_int_equal(sizeof(struct ras_page), 64);
	assert_int_equal(ras_tracker_count_window(&t, n - 1, 99, UINT32_MAX), 100);
	ras_tracker_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_against_reference),
		cmocka_unit_test(test_foreach_stops),
		cmocka_unit_test(test_window_limit),
		cmocka_unit_test(test_million_pages),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
