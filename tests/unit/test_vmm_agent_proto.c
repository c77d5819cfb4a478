// SPDX-License-Identifier: GPL-2.0-only
/*
 * seavmm's side of the agent protocol (vmm/agent/agent_proto.c): the handshake,
 * telling and answering, and everything a hostile agent can send: garbage,
 * floods, over-long lines, claims for pages never told, partial messages,
 * disconnects. Nothing an agent sends may produce an answer for a page
 * seavmm did not tell it about.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../vmm/agent/agent_proto.h"

#define S 1000000000ULL

struct answer {
	uint64_t gpa;
	int err;
};

struct rec {
	struct answer answers[4096];
	unsigned int nanswers;
	struct agent_note notes[256];
	unsigned int nnotes;
	uint64_t kinds[AGENT_NOTE_COUNT]; /* sum of counts per kind */
	unsigned int told, told_first;
};

static void rec_offlined(void *ctx, uint64_t gpa, int err)
{
	struct rec *r = ctx;

	assert_true(r->nanswers < 4096);
	r->answers[r->nanswers++] = (struct answer){ gpa, err };
}

static void rec_note(void *ctx, const struct agent_note *n)
{
	struct rec *r = ctx;

	if (r->nnotes < 256)
		r->notes[r->nnotes++] = *n;
	r->kinds[n->kind] += n->kind >= AGENT_NOTE_FIRST_VIOLATION ? n->count : 1;
}

static void rec_told(void *ctx, uint64_t gpa, uint32_t seq, bool first)
{
	struct rec *r = ctx;

	r->told++;
	r->told_first += first;
	(void)gpa;
	(void)seq;
}

static const struct agent_proto_ops rec_ops = { rec_offlined, rec_note, rec_told };

struct fx {
	struct agent_proto p;
	struct rec r;
	uint64_t now;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct agent_proto_cfg cfg = { .liveness_timeout_ns = 5 * S, .host_ident = "seavmm/test" };

	if (!f)
		return -1;
	agent_proto_init(&f->p, &cfg, &rec_ops, &f->r);
	f->now = 1000 * S;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	free(*state);
	return 0;
}

static void feed(struct fx *f, const char *s)
{
	agent_proto_input(&f->p, s, strlen(s), f->now);
}

/* Takes everything queued for the agent, as a string. */
static const char *take(struct fx *f)
{
	static char out[AGENT_TX_MAX + 1];
	size_t len;
	const char *tx = agent_proto_tx(&f->p, &len);

	memcpy(out, tx, len);
	out[len] = '\0';
	agent_proto_tx_take(&f->p, len);
	return out;
}

/* HELLO, then the given pages as the poisoned ones, then the POISON lines. */
static const char *hello(struct fx *f, const uint64_t *gpas, size_t n)
{
	uint64_t copy[64];

	agent_proto_open(&f->p, f->now);
	feed(f, "HELLO 1 seavmm-agent/1.0 1a2b\n");
	assert_string_equal(take(f), "HELLO 1 seavmm/test 1a2b\n");
	assert_true(agent_proto_wants_sync(&f->p));
	if (n)
		memcpy(copy, gpas, n * sizeof(*gpas));
	agent_proto_sync(&f->p, copy, n);
	assert_false(agent_proto_wants_sync(&f->p));
	agent_proto_pump(&f->p);
	return take(f);
}

static void test_handshake_and_answers(void **state)
{
	struct fx *f = *state;
	const uint64_t pages[] = { 0x48000000, 0x41000000 };

	assert_string_equal(hello(f, pages, 2), "POISON 0x41000000 1\nPOISON 0x48000000 2\n");
	assert_int_equal(f->r.nnotes, 1);
	assert_int_equal(f->r.notes[0].kind, AGENT_NOTE_CONNECTED);
	assert_int_equal(f->r.notes[0].version, 1);
	assert_string_equal(f->r.notes[0].detail, "seavmm-agent/1.0");
	/* A page poisoned while connected is told at the next pump. */
	assert_int_equal(agent_proto_poison(&f->p, 0x40001234, f->now), 0);
	agent_proto_pump(&f->p);
	assert_string_equal(take(f), "POISON 0x40001000 3\n");
	/* Offlined: reported once, the page leaves; a repeat is unsolicited. */
	feed(f, "OFFLINED 0x41000000 1 0\n");
	assert_int_equal(f->r.nanswers, 1);
	assert_int_equal(f->r.answers[0].gpa, 0x41000000);
	assert_int_equal(f->r.answers[0].err, 0);
	feed(f, "OFFLINED 0x41000000 1 0\n");
	assert_int_equal(f->r.nanswers, 1);
	assert_int_equal(f->p.total[AGENT_NOTE_UNSOLICITED], 1);
	/* EBUSY: reported, the page stays; a repeat is a duplicate. */
	feed(f, "OFFLINED 0x48000000 2 16\n");
	assert_int_equal(f->r.nanswers, 2);
	assert_int_equal(f->r.answers[1].err, 16);
	feed(f, "OFFLINED 0x48000000 2 16\n");
	assert_int_equal(f->r.nanswers, 2);
	assert_int_equal(f->p.total[AGENT_NOTE_DUPLICATE], 1);
	assert_int_equal(f->p.npages, 2);
	/* Heartbeats are not answered and change nothing but liveness. */
	feed(f, "HEARTBEAT 1\nHEARTBEAT 18446744073709551615\n");
	assert_string_equal(take(f), "");
	for (unsigned int k = AGENT_NOTE_FIRST_VIOLATION; k < AGENT_NOTE_COUNT; k++)
		if (k != AGENT_NOTE_UNSOLICITED && k != AGENT_NOTE_DUPLICATE)
			assert_int_equal(f->p.total[k], 0);
}

static void test_reconnect_retries(void **state)
{
	struct fx *f = *state;
	const uint64_t pages[] = { 0x40000000, 0x40002000, 0x40004000 };

	hello(f, pages, 3);
	feed(f, "OFFLINED 0x40000000 1 0\nOFFLINED 0x40002000 2 16\nOFFLINED 0x40004000 3 1");
	assert_int_equal(f->r.nanswers, 2);
	/* The port closes in the middle of a line: that answer is lost. */
	agent_proto_close(&f->p, f->now);
	assert_int_equal(f->p.total[AGENT_NOTE_TRUNCATED], 1);
	assert_int_equal(f->r.kinds[AGENT_NOTE_DISCONNECTED], 1);
	assert_int_equal(f->r.notes[f->r.nnotes - 1].count, 1); /* unanswered */
	/* Told again after the reconnect, with the numbers they had. */
	const uint64_t still[] = { 0x40004000, 0x40002000 };
	assert_int_equal(f->r.told, 3);
	assert_string_equal(hello(f, still, 2), "POISON 0x40002000 2\nPOISON 0x40004000 3\n");
	assert_int_equal(f->r.told, 5);
	assert_int_equal(f->r.told_first, 3);
	/* The same answer as before is not reported twice; a new one is. */
	feed(f, "OFFLINED 0x40002000 2 16\nOFFLINED 0x40004000 3 0\n");
	assert_int_equal(f->r.nanswers, 3);
	assert_int_equal(f->r.answers[2].gpa, 0x40004000);
	assert_int_equal(f->r.answers[2].err, 0);
	/* A page seavmm no longer lists is forgotten; an answer for it is refused. */
	uint64_t none[1];
	agent_proto_sync(&f->p, none, 0);
	assert_int_equal(f->p.npages, 0);
	feed(f, "OFFLINED 0x40002000 2 0\n");
	assert_int_equal(f->r.nanswers, 3);
	assert_int_equal(f->p.total[AGENT_NOTE_UNSOLICITED], 1);
	/* A HELLO again on the same open: told again, no resync asked. */
	assert_int_equal(agent_proto_poison(&f->p, 0x50000000, f->now), 0);
	agent_proto_pump(&f->p);
	assert_string_equal(take(f), "POISON 0x50000000 4\n");
	feed(f, "HELLO 1 seavmm-agent/1.0 1a2b\n");
	assert_false(agent_proto_wants_sync(&f->p));
	agent_proto_pump(&f->p);
	assert_string_equal(take(f), "HELLO 1 seavmm/test 1a2b\nPOISON 0x50000000 4\n");
}

/* Claims for pages never told: unknown, not yet sent, a wrong number. */
static void test_claims_never_told(void **state)
{
	struct fx *f = *state;
	const uint64_t pages[] = { 0x40000000 };

	hello(f, pages, 1);
	/* Queued after the pump: never sent, so its number is not known yet. */
	assert_int_equal(agent_proto_poison(&f->p, 0x40010000, f->now), 0);
	feed(f, "OFFLINED 0x40010000 2 0\n"); /* guessing the next number */
	feed(f, "OFFLINED 0x40010000 0 0\n"); /* seq 0 is never used: garbage */
	feed(f, "OFFLINED 0x40000000 2 0\n"); /* told, with another number */
	feed(f, "OFFLINED 0x7fff0000 1 0\n"); /* never poisoned */
	feed(f, "OFFLINED 0xffffffffffff0000 1 0\n");
	assert_int_equal(f->r.nanswers, 0);
	assert_int_equal(f->p.total[AGENT_NOTE_UNSOLICITED], 4);
	assert_int_equal(f->p.total[AGENT_NOTE_GARBAGE], 1);
	assert_int_equal(f->p.npages, 2);
	/* The first unsolicited one was reported at once with its page and line. */
	for (unsigned int i = 0; i < f->r.nnotes; i++) {
		if (f->r.notes[i].kind != AGENT_NOTE_UNSOLICITED)
			continue;
		assert_int_equal(f->r.notes[i].gpa, 0x40010000);
		assert_string_equal(f->r.notes[i].detail, "OFFLINED 0x40010000 2 0");
		break;
	}
}

static void test_garbage(void **state)
{
	static const char *const bad[] = {
		"\n",
		" \n",
		"HEARTBEAT\n",
		"HEARTBEAT  1\n",
		"HEARTBEAT 1 \n",
		" HEARTBEAT 1\n",
		"HEARTBEAT -1\n",
		"HEARTBEAT +1\n",
		"HEARTBEAT 01\n",
		"HEARTBEAT 0x1\n",
		"HEARTBEAT 18446744073709551616\n",
		"HEARTBEAT 1\r\n",
		"HEARTBEAT 1 2\n",
		"OFFLINED 0x40000000 1\n",
		"OFFLINED 0x40000000 1 0 0\n",
		"OFFLINED 40000000 1 0\n",
		"OFFLINED 0X40000000 1 0\n",
		"OFFLINED 0x4000000A 1 0\n",
		"OFFLINED 0x40000800 1 0\n",
		"OFFLINED 0x 1 0\n",
		"OFFLINED 0x10000000000000000 1 0\n",
		"OFFLINED 0x40000000 4294967296 0\n",
		"OFFLINED 0x40000000 1 4096\n",
		"OFFLINED 0x40000000 1 -5\n",
		"HELLO\n",
		"HELLO 1\n",
		"HELLO x agent 1\n",
		"HELLO 1 agent\n",
		"HELLO 1 agent 12345678901234567\n",
		"HELLO 1 agent ABCD\n",
		"HEARTBEAT \x01\n",
		"HEART\xc3\xa9 1\n",
		"\x00\x00\x00\n",
		"\xff\xfe\n",
	};
	struct fx *f = *state;
	const uint64_t pages[] = { 0x40000000 };

	hello(f, pages, 1);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		/* Explicit lengths: some hold NUL bytes. */
		size_t len = strlen(bad[i]);

		if (bad[i][0] == '\0')
			len = 4;
		agent_proto_input(&f->p, bad[i], len, f->now);
	}
	assert_int_equal(f->p.total[AGENT_NOTE_GARBAGE], sizeof(bad) / sizeof(bad[0]));
	assert_int_equal(f->r.nanswers, 0);
	/* Unknown names, and the case matters. */
	feed(f, "offlined 0x40000000 1 0\nPING\nBYE now\n");
	assert_int_equal(f->p.total[AGENT_NOTE_UNKNOWN], 3);
	/* Only the first of a kind is reported at once; the rest after the period. */
	unsigned int garbage_notes = 0;
	for (unsigned int i = 0; i < f->r.nnotes; i++)
		garbage_notes += f->r.notes[i].kind == AGENT_NOTE_GARBAGE;
	assert_int_equal(garbage_notes, 1);
	f->now += AGENT_REPORT_PERIOD_NS;
	assert_false(agent_proto_tick(&f->p, f->now));
	assert_int_equal(f->r.notes[f->r.nnotes - 1].kind, AGENT_NOTE_UNKNOWN);
	assert_int_equal(f->r.notes[f->r.nnotes - 1].count, 2);
	assert_int_equal(f->r.notes[f->r.nnotes - 2].kind, AGENT_NOTE_GARBAGE);
	assert_int_equal(f->r.notes[f->r.nnotes - 2].count, sizeof(bad) / sizeof(bad[0]) - 1);
	/* Still in step: a valid answer right after works. */
	feed(f, "OFFLINED 0x40000000 1 0\n");
	assert_int_equal(f->r.nanswers, 1);
	assert_int_equal(f->p.total[AGENT_NOTE_GARBAGE], sizeof(bad) / sizeof(bad[0]));
}

static void test_overlong_and_partial(void **state)
{
	struct fx *f = *state;
	const uint64_t pages[] = { 0x40000000, 0x40001000 };
	char line[AGENT_LINE_MAX + 2];
	char *big;

	hello(f, pages, 2);
	/* AGENT_LINE_MAX bytes with the '\n' is fine: a heartbeat padded with digits. */
	memset(line, '1', sizeof(line));
	memcpy(line, "HEARTBEAT ", 10);
	line[AGENT_LINE_MAX - 1] = '\n';
	agent_proto_input(&f->p, line, AGENT_LINE_MAX, f->now);
	assert_int_equal(f->p.total[AGENT_NOTE_GARBAGE], 1); /* too big a number, not too long */
	memcpy(line, "HEARTBEAT 0000", 14);
	memset(line + 10, '0', AGENT_LINE_MAX - 12);
	line[AGENT_LINE_MAX - 2] = '7';
	agent_proto_input(&f->p, line, AGENT_LINE_MAX, f->now);
	assert_int_equal(f->p.total[AGENT_NOTE_GARBAGE], 2); /* leading zeros */
	assert_int_equal(f->p.total[AGENT_NOTE_OVERLONG], 0);
	/* One byte more is over-long, whatever it holds. */
	memset(line, 'x', sizeof(line));
	line[AGENT_LINE_MAX] = '\n';
	agent_proto_input(&f->p, line, AGENT_LINE_MAX + 1, f->now);
	assert_int_equal(f->p.total[AGENT_NOTE_OVERLONG], 1);
	/* A 4 MiB line with a bad byte and a valid message inside it is one bad line. */
	big = malloc(4 << 20);
	assert_non_null(big);
	memset(big, 'A', 4 << 20);
	memcpy(big + 50, "\x01OFFLINED 0x40000000 1 0", 25);
	agent_proto_input(&f->p, big, 4 << 20, f->now);
	agent_proto_input(&f->p, "\n", 1, f->now);
	free(big);
	assert_int_equal(f->p.total[AGENT_NOTE_GARBAGE], 3); /* it had a bad byte */
	assert_int_equal(f->r.nanswers, 0);
	/* A message in pieces, byte by byte and across calls. */
	const char *msg = "OFFLINED 0x40000000 1 0\nOFFLINED 0x40001000 2 16\n";
	for (const char *c = msg; *c; c++)
		agent_proto_input(&f->p, c, 1, f->now);
	assert_int_equal(f->r.nanswers, 2);
	assert_int_equal(f->r.answers[1].err, 16);
	assert_int_equal(f->p.total[AGENT_NOTE_OVERLONG], 1);
}

static void test_before_hello(void **state)
{
	struct fx *f = *state;

	agent_proto_poison(&f->p, 0x40000000, f->now);
	agent_proto_open(&f->p, f->now);
	feed(f, "HEARTBEAT 1\nOFFLINED 0x40000000 1 0\n");
	assert_int_equal(f->p.total[AGENT_NOTE_EARLY], 2);
	agent_proto_pump(&f->p);
	assert_string_equal(take(f), ""); /* nothing told before HELLO */
	feed(f, "HELLO 0 old-agent 1\n");
	assert_int_equal(f->p.total[AGENT_NOTE_VERSION], 1);
	assert_false(f->p.ready);
	/* A newer agent: the lower version is used. */
	feed(f, "HELLO 7 future-agent/9 beef more fields\n");
	assert_true(f->p.ready);
	assert_int_equal(f->p.version, 1);
	assert_string_equal(take(f), "HELLO 1 seavmm/test beef\n");
	assert_string_equal(f->r.notes[f->r.nnotes - 1].detail, "future-agent/9");
	/* The page poisoned before the agent came is told without a sync too. */
	agent_proto_pump(&f->p);
	assert_string_equal(take(f), "POISON 0x40000000 1\n");
	assert_int_equal(f->r.nanswers, 0);
}

static void test_flood(void **state)
{
	struct fx *f = *state;
	const uint64_t pages[] = { 0x40000000 };
	size_t n = 10000, len = n * 12;
	char *buf = malloc(len + 1);

	assert_non_null(buf);
	hello(f, pages, 1);
	for (size_t i = 0; i < n; i++)
		memcpy(buf + i * 12, "HEARTBEAT 1\n", 12);
	agent_proto_input(&f->p, buf, len, f->now);
	/* The HELLO took one line of this second's budget. */
	assert_int_equal(f->p.total[AGENT_NOTE_FLOOD], n - (AGENT_LINES_PER_S - 1));
	/* Reported once at once, the rest after the period, each with its count. */
	assert_int_equal(f->r.kinds[AGENT_NOTE_FLOOD], 1);
	/* The next second the agent is heard again. */
	f->now += S;
	feed(f, "OFFLINED 0x40000000 1 0\n");
	assert_int_equal(f->r.nanswers, 1);
	f->now += AGENT_REPORT_PERIOD_NS;
	agent_proto_tick(&f->p, f->now);
	assert_int_equal(f->r.kinds[AGENT_NOTE_FLOOD], n - (AGENT_LINES_PER_S - 1));
	free(buf);
}

static void test_liveness(void **state)
{
	struct fx *f = *state;
	const uint64_t pages[] = { 0x40000000 };

	hello(f, NULL, 0);
	/* No memory error: silence is not watched. */
	f->now += 60 * S;
	assert_false(agent_proto_tick(&f->p, f->now));
	/* An error arms it: heartbeats keep the guest alive. */
	agent_proto_poison(&f->p, pages[0], f->now);
	for (int i = 0; i < 20; i++) {
		f->now += S;
		feed(f, "HEARTBEAT 5\n");
		assert_false(agent_proto_tick(&f->p, f->now));
	}
	/* Garbage is no sign of life. */
	for (int i = 0; i < 4; i++) {
		f->now += S;
		feed(f, "HEARTBEAT x\n");
		assert_false(agent_proto_tick(&f->p, f->now));
	}
	f->now += S;
	assert_true(agent_proto_tick(&f->p, f->now));
	assert_int_equal(f->r.kinds[AGENT_NOTE_LIVENESS], 1);
	assert_int_equal(f->r.notes[f->r.nnotes - 1].idle_ns, 5 * S);
	/* Once. */
	f->now += 10 * S;
	assert_false(agent_proto_tick(&f->p, f->now));
	/* A restart disarms it; a closed port is not watched. */
	agent_proto_reset(&f->p);
	assert_int_equal(f->p.npages, 0);
	hello(f, NULL, 0);
	agent_proto_poison(&f->p, pages[0], f->now);
	agent_proto_close(&f->p, f->now);
	f->now += 60 * S;
	assert_false(agent_proto_tick(&f->p, f->now));
	/* Back: counted from its HELLO. */
	hello(f, pages, 1);
	f->now += 4 * S;
	assert_false(agent_proto_tick(&f->p, f->now));
	f->now += S;
	assert_true(agent_proto_tick(&f->p, f->now));
}

/* An error before any agent came: watched from the agent's HELLO. */
static void test_liveness_off(void **state)
{
	struct fx *f = *state;
	struct agent_proto_cfg cfg = { .liveness_timeout_ns = 0 };

	agent_proto_init(&f->p, &cfg, &rec_ops, &f->r);
	agent_proto_poison(&f->p, 0x40000000, f->now);
	agent_proto_open(&f->p, f->now);
	feed(f, "HELLO 1 a 0\n");
	assert_string_equal(take(f), "HELLO 1 seavmm 0\n");
	f->now += 3600 * S;
	assert_false(agent_proto_tick(&f->p, f->now));
}

static void test_table_and_tx_limits(void **state)
{
	struct fx *f = *state;
	static uint64_t all[AGENT_PAGES_MAX + 10];
	size_t total = 0, len;
	uint32_t lines = 0;

	hello(f, NULL, 0);
	for (uint32_t i = 0; i < AGENT_PAGES_MAX; i++)
		assert_int_equal(agent_proto_poison(&f->p, 0x40000000ULL + i * 4096ULL, f->now), 0);
	/* Again: already there. One more: no room, a resync once room frees. */
	assert_int_equal(agent_proto_poison(&f->p, 0x40000000, f->now), 0);
	assert_int_equal(agent_proto_poison(&f->p, 0x80000000, f->now), -28);
	assert_false(agent_proto_wants_sync(&f->p));
	/*
	 * The port takes a few bytes at a time; the pump adds only whole lines,
	 * and the stream is every page once, in order, numbered in order.
	 */
	char *stream = malloc(AGENT_PAGES_MAX * 32), want[40];
	unsigned int seed = 1;
	assert_non_null(stream);
	for (;;) {
		agent_proto_pump(&f->p);
		const char *tx = agent_proto_tx(&f->p, &len);
		if (!len)
			break;
		assert_true(len <= AGENT_TX_MAX);
		assert_int_equal(tx[len - 1], '\n');
		seed = seed * 1103515245u + 12345u;
		size_t n = 1 + (seed >> 16) % 700;
		if (n > len)
			n = len;
		assert_true(total + n < AGENT_PAGES_MAX * 32);
		memcpy(stream + total, tx, n);
		total += n;
		agent_proto_tx_take(&f->p, n);
	}
	stream[total] = '\0';
	for (uint32_t i = 0, off = 0; i < AGENT_PAGES_MAX; i++) {
		int n = snprintf(want, sizeof(want), "POISON 0x%llx %u\n",
				 0x40000000ULL + i * 4096ULL, i + 1);
		assert_memory_equal(stream + off, want, (size_t)n);
		off += (uint32_t)n;
		lines++;
		if (i == AGENT_PAGES_MAX - 1)
			assert_int_equal(off, total);
	}
	free(stream);
	assert_int_equal(lines, AGENT_PAGES_MAX);
	feed(f, "OFFLINED 0x40000000 1 0\n");
	assert_int_equal(f->r.nanswers, 1);
	assert_true(agent_proto_wants_sync(&f->p));
	for (uint32_t i = 1; i < AGENT_PAGES_MAX; i++)
		all[i - 1] = 0x40000000ULL + i * 4096ULL;
	all[AGENT_PAGES_MAX - 1] = 0x80000000;
	all[AGENT_PAGES_MAX] = 0x80001000; /* and one more than fits */
	agent_proto_sync(&f->p, all, AGENT_PAGES_MAX + 1);
	assert_int_equal(f->p.npages, AGENT_PAGES_MAX);
	assert_true(f->p.lost);
	agent_proto_pump(&f->p);
	assert_string_equal(take(f), "POISON 0x80000000 1025\n");
}

/*
 * Random bytes with valid-looking lines mixed in, split at random: no crash,
 * no sanitizer report, and never an answer for a page seavmm did not tell.
 */
static void test_random_input(void **state)
{
	static const char *const pieces[] = {
		"OFFLINED 0x40000000 1 0\n",
		"OFFLINED 0x40001000 ",
		"2 16\n",
		"HELLO 1 x 9\n",
		"HEARTBEAT 3\n",
		"OFFLINED 0x5000",
		"0000 9 0\n",
		"\n",
		"POISON 0x40000000 1\n",
	};
	struct fx *f = *state;
	const uint64_t pages[] = { 0x40000000, 0x40001000 };
	unsigned int seed = 12345;
	char buf[512];

	hello(f, pages, 2);
	for (int round = 0; round < 20000; round++) {
		size_t len = 0;

		while (len < sizeof(buf) - 64) {
			seed = seed * 1103515245u + 12345u;
			if (seed >> 28 < 4) {
				const char *pc = pieces[(seed >> 8) % 9];
				size_t n = strlen(pc);

				memcpy(buf + len, pc, n);
				len += n;
			} else {
				buf[len++] = (char)(seed >> 16);
			}
			if ((seed & 0xff) < 8)
				break;
		}
		agent_proto_input(&f->p, buf, len, f->now);
		if ((seed & 0xfff) == 7)
			agent_proto_close(&f->p, f->now);
		agent_proto_pump(&f->p);
		take(f);
		f->now += S / 100;
		agent_proto_tick(&f->p, f->now);
	}
	for (unsigned int i = 0; i < f->r.nanswers; i++)
		assert_true(f->r.answers[i].gpa == 0x40000000 || f->r.answers[i].gpa == 0x40001000);
	assert_true(f->p.npages <= 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_handshake_and_answers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reconnect_retries, setup, teardown),
		cmocka_unit_test_setup_teardown(test_claims_never_told, setup, teardown),
		cmocka_unit_test_setup_teardown(test_garbage, setup, teardown),
		cmocka_unit_test_setup_teardown(test_overlong_and_partial, setup, teardown),
		cmocka_unit_test_setup_teardown(test_before_hello, setup, teardown),
		cmocka_unit_test_setup_teardown(test_flood, setup, teardown),
		cmocka_unit_test_setup_teardown(test_liveness, setup, teardown),
		cmocka_unit_test_setup_teardown(test_liveness_off, setup, teardown),
		cmocka_unit_test_setup_teardown(test_table_and_tx_limits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_random_input, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
