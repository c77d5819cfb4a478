// SPDX-License-Identifier: GPL-2.0-only
/*
 * The poison tracker: guest physical pages in a dense array, found through an
 * open-addressing index of 32-bit slots, and kept on a list ordered by when
 * each was last seen so the sliding-window count costs only the pages in it.
 *
 * Budget: 56 bytes per page plus 4-byte slots at a load of at most 3/4, so
 * at most ~61.4 bytes per page when the tracker is full. A slot holds the
 * page's index + 1 in its low 24 bits and 8 bits of the key's hash above:
 * most probes of a colliding slot end without touching the page array.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "arm64_esr.h"
#include "ras.h"

#define RAS_NIL	      UINT32_MAX
#define RAS_IDX_MASK  0xffffffu
#define RAS_TAG_SHIFT 24
#define RAS_FIRST_CAP 64

static uint64_t ras_hash(uint64_t gpa)
{
	uint64_t h = gpa >> ARM64_PAGE_SHIFT;

	/* splitmix64's finalizer: every key bit reaches the top bits used below. */
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebULL;
	h ^= h >> 31;
	return h;
}

static uint32_t ras_nslots(uint32_t cap)
{
	return cap + cap / 3 + 1;
}

/* Range reduction by multiplication: no power-of-two table size needed. */
static uint32_t ras_home(uint64_t h, uint32_t nslots)
{
	return (uint32_t)(((h >> 32) * nslots) >> 32);
}

static uint32_t ras_tag(uint64_t h)
{
	return (uint32_t)(h & 0xff) << RAS_TAG_SHIFT;
}

/* The slot holding gpa, or the empty slot where it would go. */
static uint32_t ras_probe(const struct ras_tracker *t, uint64_t gpa)
{
	uint64_t h = ras_hash(gpa);
	uint32_t tag = ras_tag(h), s = ras_home(h, t->nslots);

	for (;;) {
		uint32_t v = t->slots[s];

		if (!v)
			return s;
		if ((v & ~RAS_IDX_MASK) == tag && t->pages[(v & RAS_IDX_MASK) - 1].gpa == gpa)
			return s;
		if (++s == t->nslots)
			s = 0;
	}
}

static int ras_tracker_alloc(struct ras_tracker *t, uint32_t cap)
{
	struct ras_page *pages = realloc(t->pages, (size_t)cap * sizeof(*pages));
	uint32_t nslots = ras_nslots(cap), *slots;

	if (!pages)
		return -ENOMEM;
	t->pages = pages;
	slots = calloc(nslots, sizeof(*slots));
	if (!slots)
		return -ENOMEM;
	free(t->slots);
	t->slots = slots;
	t->nslots = nslots;
	t->cap = cap;
	for (uint32_t i = 0; i < t->n; i++)
		t->slots[ras_probe(t, t->pages[i].gpa)] =
			ras_tag(ras_hash(t->pages[i].gpa)) | (i + 1);
	return 0;
}

int ras_tracker_init(struct ras_tracker *t, uint32_t max)
{
	memset(t, 0, sizeof(*t));
	if (!max || max > RAS_TRACKER_MAX)
		return -EINVAL;
	t->max = max;
	t->head = t->tail = RAS_NIL;
	t->nogpa_streak = 0;
	int ret = ras_tracker_alloc(t, max < RAS_FIRST_CAP ? max : RAS_FIRST_CAP);

	if (ret)
		ras_tracker_free(t);
	return ret;
}

void ras_tracker_free(struct ras_tracker *t)
{
	free(t->pages);
	free(t->slots);
	memset(t, 0, sizeof(*t));
}

struct ras_page *ras_tracker_lookup(const struct ras_tracker *t, uint64_t gpa)
{
	uint32_t v;

	if (!t->n)
		return NULL;
	v = t->slots[ras_probe(t, gpa & ARM64_PAGE_MASK)];
	return v ? &t->pages[(v & RAS_IDX_MASK) - 1] : NULL;
}

static void ras_unlink(struct ras_tracker *t, uint32_t i)
{
	struct ras_page *pg = &t->pages[i];

	if (pg->prev != RAS_NIL)
		t->pages[pg->prev].next = pg->next;
	else
		t->head = pg->next;
	if (pg->next != RAS_NIL)
		t->pages[pg->next].prev = pg->prev;
	else
		t->tail = pg->prev;
}

/*
 * Puts page i back in last_ns order. Clocks can step and vCPU threads race,
 * so the newest page is not always the latest: walk back from the tail.
 */
static void ras_link(struct ras_tracker *t, uint32_t i)
{
	struct ras_page *pg = &t->pages[i];
	uint32_t after = t->tail;

	while (after != RAS_NIL && t->pages[after].last_ns > pg->last_ns)
		after = t->pages[after].prev;
	pg->prev = after;
	pg->next = after == RAS_NIL ? t->head : t->pages[after].next;
	if (pg->next != RAS_NIL)
		t->pages[pg->next].prev = i;
	else
		t->tail = i;
	if (after != RAS_NIL)
		t->pages[after].next = i;
	else
		t->head = i;
}

/* Finds or adds gpa's page, unlinked from the recency list. */
static int ras_find_or_add(struct ras_tracker *t, uint64_t gpa, uint32_t *idx, bool *created)
{
	uint32_t s = ras_probe(t, gpa);

	*created = !t->slots[s];
	if (!*created) {
		*idx = (t->slots[s] & RAS_IDX_MASK) - 1;
		ras_unlink(t, *idx);
		return 0;
	}
	if (t->n == t->cap) {
		uint32_t cap = t->cap > t->max / 2 ? t->max : t->cap * 2;
		int ret;

		if (t->n == t->max)
			return -ENOSPC;
		ret = ras_tracker_alloc(t, cap);
		if (ret)
			return ret;
		s = ras_probe(t, gpa);
	}
	*idx = t->n++;
	t->slots[s] = ras_tag(ras_hash(gpa)) | (*idx + 1);
	memset(&t->pages[*idx], 0, sizeof(t->pages[*idx]));
	t->pages[*idx].gpa = gpa;
	return 0;
}

int ras_tracker_touch(struct ras_tracker *t, uint64_t gpa, uint64_t now_ns, struct ras_page **page,
		      bool *created)
{
	uint32_t i;
	int ret = ras_find_or_add(t, gpa & ARM64_PAGE_MASK, &i, created);

	if (ret)
		return ret;
	if (*created)
		t->pages[i].first_ns = now_ns;
	t->pages[i].last_ns = now_ns;
	ras_link(t, i);
	*page = &t->pages[i];
	return 0;
}

int ras_tracker_put(struct ras_tracker *t, const struct ras_page *pg)
{
	uint32_t i;
	bool created;
	int ret = ras_find_or_add(t, pg->gpa & ARM64_PAGE_MASK, &i, &created);

	if (ret)
		return ret;
	t->pages[i] = *pg;
	t->pages[i].gpa &= ARM64_PAGE_MASK;
	ras_link(t, i);
	return 0;
}

uint32_t ras_tracker_count_window(const struct ras_tracker *t, uint64_t now_ns, uint64_t window_ns,
				  uint32_t limit)
{
	uint64_t cutoff = now_ns > window_ns ? now_ns - window_ns : 0;
	uint32_t n = 0;

	for (uint32_t i = t->tail; i != RAS_NIL && n < limit; i = t->pages[i].prev) {
		if (t->pages[i].last_ns < cutoff)
			break;
		n++;
	}
	return n;
}

struct ras_sort_key {
	uint64_t gpa;
	uint32_t idx;
};

static int ras_cmp_gpa(const void *a, const void *b)
{
	const struct ras_sort_key *x = a, *y = b;

	return (x->gpa > y->gpa) - (x->gpa < y->gpa);
}

int ras_tracker_foreach(const struct ras_tracker *t,
			int (*fn)(const struct ras_page *pg, void *arg), void *arg)
{
	struct ras_sort_key *keys;
	int ret = 0;

	if (!t->n)
		return 0;
	keys = malloc((size_t)t->n * sizeof(*keys));
	if (!keys)
		return -ENOMEM;
	for (uint32_t i = 0; i < t->n; i++)
		keys[i] = (struct ras_sort_key){ t->pages[i].gpa, i };
	qsort(keys, t->n, sizeof(*keys), ras_cmp_gpa);
	for (uint32_t i = 0; i < t->n && !ret; i++)
		ret = fn(&t->pages[keys[i].idx], arg);
	free(keys);
	return ret;
}

size_t ras_tracker_mem_bytes(const struct ras_tracker *t)
{
	return (size_t)t->cap * sizeof(*t->pages) + (size_t)t->nslots * sizeof(*t->slots);
}
