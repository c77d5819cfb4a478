// SPDX-License-Identifier: GPL-2.0-only
/*
 * seavmm's side of the agent protocol (docs/agent.md): line assembly,
 * parsing, the pages the agent is told about, liveness, and the counting of
 * everything an agent may get wrong. Every input is bounded: a line by
 * AGENT_LINE_MAX, lines by AGENT_LINES_PER_S, pages by AGENT_PAGES_MAX, and
 * reports by AGENT_REPORT_PERIOD_NS per kind.
 */
#include "agent_proto.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NS_PER_S 1000000000ULL

static const char *const agent_note_names[AGENT_NOTE_COUNT] = {
	[AGENT_NOTE_CONNECTED] = "connected",
	[AGENT_NOTE_DISCONNECTED] = "disconnected",
	[AGENT_NOTE_LIVENESS] = "liveness",
	[AGENT_NOTE_GARBAGE] = "garbage",
	[AGENT_NOTE_OVERLONG] = "overlong",
	[AGENT_NOTE_UNKNOWN] = "unknown",
	[AGENT_NOTE_EARLY] = "early",
	[AGENT_NOTE_VERSION] = "version",
	[AGENT_NOTE_UNSOLICITED] = "unsolicited",
	[AGENT_NOTE_DUPLICATE] = "duplicate",
	[AGENT_NOTE_TRUNCATED] = "truncated",
	[AGENT_NOTE_FLOOD] = "flood",
};

const char *agent_note_name(enum agent_note_kind k)
{
	return (unsigned int)k < AGENT_NOTE_COUNT ? agent_note_names[k] : "?";
}

void agent_proto_init(struct agent_proto *p, const struct agent_proto_cfg *cfg,
		      const struct agent_proto_ops *ops, void *ctx)
{
	memset(p, 0, sizeof(*p));
	p->cfg = *cfg;
	p->ops = ops;
	p->ctx = ctx;
	p->next_seq = 1;
}

static void agent_note(struct agent_proto *p, struct agent_note *n)
{
	if (p->ops && p->ops->note)
		p->ops->note(p->ctx, n);
}

/*
 * A violation: the first of a kind is reported at once with the line that
 * caused it; later ones within the period are counted and reported together
 * by agent_proto_tick().
 */
static void agent_violation(struct agent_proto *p, enum agent_note_kind kind, uint64_t now,
			    uint64_t gpa)
{
	struct agent_note n = { .kind = kind, .gpa = gpa };

	p->total[kind]++;
	if (p->reported_once[kind] && now - p->last_report_ns[kind] < AGENT_REPORT_PERIOD_NS) {
		p->unreported[kind]++;
		return;
	}
	n.count = p->unreported[kind] + 1;
	snprintf(n.detail, sizeof(n.detail), "%.*s", (int)p->line_len, p->line);
	p->unreported[kind] = 0;
	p->last_report_ns[kind] = now;
	p->reported_once[kind] = true;
	agent_note(p, &n);
}

static int agent_send(struct agent_proto *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int agent_send(struct agent_proto *p, const char *fmt, ...)
{
	size_t room = sizeof(p->tx) - p->tx_len;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(p->tx + p->tx_len, room, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= room) {
		p->tx[p->tx_len] = '\0';
		return -ENOSPC;
	}
	p->tx_len += (size_t)n;
	return 0;
}

void agent_proto_tx_take(struct agent_proto *p, size_t n)
{
	if (n > p->tx_len)
		n = p->tx_len;
	memmove(p->tx, p->tx + n, p->tx_len - n);
	p->tx_len -= n;
}

/* Binary search: the index of gpa, or where it would go (*found false). */
static uint32_t agent_page_find(const struct agent_proto *p, uint64_t gpa, bool *found)
{
	uint32_t lo = 0, hi = p->npages;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (p->pages[mid].gpa < gpa)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = lo < p->npages && p->pages[lo].gpa == gpa;
	return lo;
}

static void agent_page_remove(struct agent_proto *p, uint32_t i)
{
	memmove(&p->pages[i], &p->pages[i + 1], (p->npages - i - 1) * sizeof(p->pages[0]));
	p->npages--;
}

int agent_proto_poison(struct agent_proto *p, uint64_t gpa, uint64_t now_ns)
{
	bool found;
	uint32_t i;

	gpa &= ~(AGENT_PAGE_SIZE - 1);
	if (!p->error_seen)
		p->error_ns = now_ns;
	p->error_seen = true;
	i = agent_page_find(p, gpa, &found);
	if (found)
		return 0;
	if (p->npages == AGENT_PAGES_MAX) {
		p->lost = true;
		return -ENOSPC;
	}
	memmove(&p->pages[i + 1], &p->pages[i], (p->npages - i) * sizeof(p->pages[0]));
	p->pages[i] = (struct agent_page){ .gpa = gpa, .state = AGENT_PG_QUEUED };
	p->npages++;
	return 0;
}

static int agent_cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

void agent_proto_sync(struct agent_proto *p, uint64_t *gpas, size_t n)
{
	struct agent_page old[AGENT_PAGES_MAX];
	uint32_t nold = p->npages, i = 0, out = 0;

	for (size_t k = 0; k < n; k++)
		gpas[k] &= ~(AGENT_PAGE_SIZE - 1);
	qsort(gpas, n, sizeof(*gpas), agent_cmp_u64);
	memcpy(old, p->pages, nold * sizeof(old[0]));
	p->lost = false;
	/* A merge of two sorted lists: what both hold keeps its state. */
	for (size_t k = 0; k < n; k++) {
		if (k && gpas[k] == gpas[k - 1])
			continue;
		while (i < nold && old[i].gpa < gpas[k])
			i++;
		if (out == AGENT_PAGES_MAX) {
			p->lost = true;
			break;
		}
		if (i < nold && old[i].gpa == gpas[k])
			p->pages[out++] = old[i++];
		else
			p->pages[out++] =
				(struct agent_page){ .gpa = gpas[k], .state = AGENT_PG_QUEUED };
	}
	p->npages = out;
	p->want_sync = false;
}

bool agent_proto_wants_sync(const struct agent_proto *p)
{
	return p->ready && (p->want_sync || (p->lost && p->npages < AGENT_PAGES_MAX));
}

void agent_proto_pump(struct agent_proto *p)
{
	if (!p->ready)
		return;
	for (uint32_t i = 0; i < p->npages; i++) {
		struct agent_page *pg = &p->pages[i];
		uint32_t seq = pg->seq ? pg->seq : p->next_seq;

		if (pg->state != AGENT_PG_QUEUED)
			continue;
		if (agent_send(p, "POISON 0x%llx %u\n", (unsigned long long)pg->gpa, seq))
			return; /* the rest when the port has taken some */
		bool first = !pg->seq;

		if (first) {
			pg->seq = seq;
			p->next_seq = p->next_seq == UINT32_MAX ? 1 : p->next_seq + 1;
		}
		pg->state = AGENT_PG_SENT;
		if (p->ops && p->ops->told)
			p->ops->told(p->ctx, pg->gpa, seq, first);
	}
}

/* Pages told in an earlier session are told again: the agent may have lost them. */
static void agent_new_session(struct agent_proto *p)
{
	for (uint32_t i = 0; i < p->npages; i++)
		p->pages[i].state = AGENT_PG_QUEUED;
}

static uint32_t agent_unanswered(const struct agent_proto *p)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < p->npages; i++)
		n += !p->pages[i].answered;
	return n;
}

void agent_proto_open(struct agent_proto *p, uint64_t now_ns)
{
	if (p->open)
		return;
	p->open = true;
	p->ready = false;
	p->line_len = 0;
	p->discarding = p->bad_byte = false;
	p->last_heard_ns = now_ns;
}

void agent_proto_close(struct agent_proto *p, uint64_t now_ns)
{
	if (!p->open)
		return;
	if (p->line_len || p->discarding)
		agent_violation(p, AGENT_NOTE_TRUNCATED, now_ns, 0);
	if (p->ready) {
		struct agent_note n = { .kind = AGENT_NOTE_DISCONNECTED,
					.count = agent_unanswered(p) };

		agent_note(p, &n);
	}
	agent_new_session(p);
	p->open = p->ready = false;
	p->line_len = 0;
	p->discarding = p->bad_byte = false;
	/* Bytes for the agent that left would reach the next one out of step. */
	p->tx_len = 0;
}

/* Strict unsigned numbers: no sign, no spaces, no leading zeros but "0", no overflow. */
static int agent_parse_num(const char *s, bool hex, uint64_t max, uint64_t *out)
{
	unsigned int base = hex ? 16 : 10;
	uint64_t v = 0;

	if (hex) {
		if (s[0] != '0' || s[1] != 'x')
			return -EINVAL;
		s += 2;
	}
	if (!*s || (!hex && s[0] == '0' && s[1]))
		return -EINVAL;
	for (; *s; s++) {
		unsigned int d;

		if (*s >= '0' && *s <= '9')
			d = (unsigned int)(*s - '0');
		else if (hex && *s >= 'a' && *s <= 'f')
			d = (unsigned int)(*s - 'a' + 10);
		else
			return -EINVAL;
		if (v > (max - d) / base)
			return -ERANGE;
		v = v * base + d;
	}
	*out = v;
	return 0;
}

static void agent_on_hello(struct agent_proto *p, char **f, unsigned int nf, uint64_t now)
{
	struct agent_note n = { .kind = AGENT_NOTE_CONNECTED };
	uint64_t ver;

	if (nf < 4 || agent_parse_num(f[1], false, UINT32_MAX, &ver) ||
	    strlen(f[3]) > AGENT_NONCE_MAX || strspn(f[3], "0123456789abcdef") != strlen(f[3])) {
		agent_violation(p, AGENT_NOTE_GARBAGE, now, 0);
		return;
	}
	if (ver < 1) {
		agent_violation(p, AGENT_NOTE_VERSION, now, 0);
		return;
	}
	p->version = ver < AGENT_PROTO_VERSION ? (uint32_t)ver : AGENT_PROTO_VERSION;
	/* The answer may not fit while the guest reads nothing: the agent asks again. */
	agent_send(p, "HELLO %u %s %s\n", p->version,
		   p->cfg.host_ident ? p->cfg.host_ident : "seavmm", f[3]);
	agent_new_session(p);
	if (!p->ready)
		p->want_sync = true;
	p->ready = true;
	p->last_heard_ns = now;
	n.version = p->version;
	snprintf(n.detail, sizeof(n.detail), "%s", f[2]);
	agent_note(p, &n);
}

static void agent_on_offlined(struct agent_proto *p, char **f, unsigned int nf, uint64_t now)
{
	uint64_t gpa, seq, err;
	struct agent_page *pg;
	bool found;
	uint32_t i;

	if (nf != 4 || agent_parse_num(f[1], true, UINT64_MAX, &gpa) ||
	    agent_parse_num(f[2], false, UINT32_MAX, &seq) ||
	    agent_parse_num(f[3], false, AGENT_ERRNO_MAX, &err) || gpa % AGENT_PAGE_SIZE || !seq) {
		agent_violation(p, AGENT_NOTE_GARBAGE, now, 0);
		return;
	}
	p->last_heard_ns = now;
	i = agent_page_find(p, gpa, &found);
	pg = &p->pages[i];
	/* Only a page told to the agent, with the number it was told with. */
	if (!found || !pg->seq || pg->seq != seq) {
		agent_violation(p, AGENT_NOTE_UNSOLICITED, now, gpa);
		return;
	}
	if (pg->state == AGENT_PG_ANSWERED) {
		agent_violation(p, AGENT_NOTE_DUPLICATE, now, gpa);
		return;
	}
	if (err == 0) {
		agent_page_remove(p, i);
	} else {
		bool same = pg->answered && pg->err == (int16_t)err;

		pg->state = AGENT_PG_ANSWERED;
		pg->answered = true;
		pg->err = (int16_t)err;
		if (same)
			return; /* told again after a reconnect, answered as before */
	}
	if (p->ops && p->ops->offlined)
		p->ops->offlined(p->ctx, gpa, (int)err);
}

/* One complete line of printable ASCII (no '\n'), within the flood limit. */
static void agent_on_line(struct agent_proto *p, uint64_t now)
{
	char buf[AGENT_LINE_MAX], *f[5];
	unsigned int nf = 0;
	uint64_t v;

	memcpy(buf, p->line, p->line_len);
	buf[p->line_len] = '\0';
	/* Fields separated by exactly one space: no empty field anywhere. */
	for (char *s = buf; nf < 5;) {
		char *sp = strchr(s, ' ');

		if (sp)
			*sp = '\0';
		if (!*s) {
			agent_violation(p, AGENT_NOTE_GARBAGE, now, 0);
			return;
		}
		f[nf++] = s;
		if (!sp)
			break;
		s = sp + 1;
	}
	if (!strcmp(f[0], "HELLO")) {
		agent_on_hello(p, f, nf, now);
		return;
	}
	if (strcmp(f[0], "HEARTBEAT") && strcmp(f[0], "OFFLINED")) {
		agent_violation(p, AGENT_NOTE_UNKNOWN, now, 0);
		return;
	}
	if (!p->ready) {
		agent_violation(p, AGENT_NOTE_EARLY, now, 0);
		return;
	}
	if (!strcmp(f[0], "OFFLINED")) {
		agent_on_offlined(p, f, nf, now);
		return;
	}
	if (nf != 2 || agent_parse_num(f[1], false, UINT64_MAX, &v)) {
		agent_violation(p, AGENT_NOTE_GARBAGE, now, 0);
		return;
	}
	p->last_heard_ns = now;
}

/* The flood limit: true when this line may be looked at. */
static bool agent_rate_ok(struct agent_proto *p, uint64_t now)
{
	if (now - p->rate_start_ns >= NS_PER_S) {
		p->rate_start_ns = now;
		p->rate_lines = 0;
	}
	if (p->rate_lines >= AGENT_LINES_PER_S)
		return false;
	p->rate_lines++;
	return true;
}

static void agent_end_line(struct agent_proto *p, uint64_t now)
{
	if (!agent_rate_ok(p, now))
		agent_violation(p, AGENT_NOTE_FLOOD, now, 0);
	else if (p->discarding)
		agent_violation(p, p->bad_byte ? AGENT_NOTE_GARBAGE : AGENT_NOTE_OVERLONG, now, 0);
	else if (!p->line_len)
		agent_violation(p, AGENT_NOTE_GARBAGE, now, 0);
	else
		agent_on_line(p, now);
	p->line_len = 0;
	p->discarding = p->bad_byte = false;
}

void agent_proto_input(struct agent_proto *p, const void *buf, size_t len, uint64_t now_ns)
{
	const unsigned char *b = buf;

	if (!p->open)
		agent_proto_open(p, now_ns);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = b[i];

		if (c == '\n') {
			agent_end_line(p, now_ns);
		} else if (p->discarding) {
			continue;
		} else if (c < 0x20 || c > 0x7e) {
			p->discarding = p->bad_byte = true;
		} else if (p->line_len == AGENT_LINE_MAX - 1) {
			/* With its '\n' the line would be longer than allowed. */
			p->discarding = true;
		} else {
			p->line[p->line_len++] = (char)c;
		}
	}
}

bool agent_proto_tick(struct agent_proto *p, uint64_t now_ns)
{
	uint64_t since;

	for (unsigned int k = AGENT_NOTE_FIRST_VIOLATION; k < AGENT_NOTE_COUNT; k++) {
		struct agent_note n = { .kind = (enum agent_note_kind)k };

		if (!p->unreported[k] || now_ns - p->last_report_ns[k] < AGENT_REPORT_PERIOD_NS)
			continue;
		n.count = p->unreported[k];
		n.summary = true;
		p->unreported[k] = 0;
		p->last_report_ns[k] = now_ns;
		agent_note(p, &n);
	}
	if (!p->cfg.liveness_timeout_ns || !p->ready || !p->error_seen || p->fired)
		return false;
	/* Silence counts from the error, or from the last message after it. */
	since = p->last_heard_ns > p->error_ns ? p->last_heard_ns : p->error_ns;
	if (now_ns < since || now_ns - since < p->cfg.liveness_timeout_ns)
		return false;
	p->fired = true;
	struct agent_note n = { .kind = AGENT_NOTE_LIVENESS,
				.idle_ns = now_ns >= p->last_heard_ns ? now_ns - p->last_heard_ns
								      : 0 };
	agent_note(p, &n);
	return true;
}

void agent_proto_lost(struct agent_proto *p)
{
	p->lost = true;
	p->want_sync = true;
}

void agent_proto_reset(struct agent_proto *p)
{
	p->open = p->ready = false;
	p->want_sync = false;
	p->line_len = 0;
	p->discarding = p->bad_byte = false;
	p->npages = 0;
	p->lost = false;
	p->tx_len = 0;
	p->error_seen = p->fired = false;
	p->error_ns = p->last_heard_ns = 0;
}
