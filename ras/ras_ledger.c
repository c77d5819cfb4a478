// SPDX-License-Identifier: GPL-2.0-only
/*
 * The poison ledger's text: one line per page change (vmm/sea/ledger.c appends,
 * syncs and reloads the file, so a restarted seavmm keeps its history). A line is
 *   v2 gpa=0x.. first=N last=N count=N esr=0x.. gva=0x..|- vcpu=N flags=0x..
 *      poison=0x.. gerr=N sum=XXXXXXXX
 * (one line). v1 lines (no poison, gerr; flags laid out as before virtual
 * poison) still load.
 * sum is FNV-1a over the bytes before " sum=": a crash mid-write leaves a
 * line without its newline, and damage inside a line fails the sum.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ras.h"
#include "ras_out.h"

#define RAS_SUM_TAG " sum="
#define RAS_SUM_LEN 8

static uint32_t ras_fnv1a(const char *s, size_t n)
{
	uint32_t h = 0x811c9dc5u;

	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x01000193u;
	}
	return h;
}

int ras_ledger_format(const struct ras_page *pg, char *buf, size_t len)
{
	struct ras_out o = { buf, len, 0 };

	ras_out_printf(&o, "v2 gpa=0x%llx first=%llu last=%llu count=%u esr=0x%x gva=",
		       (unsigned long long)pg->gpa, (unsigned long long)pg->first_ns,
		       (unsigned long long)pg->last_ns, pg->count, pg->esr);
	if (pg->flags & RAS_PG_GVA_VALID)
		ras_out_printf(&o, "0x%llx", (unsigned long long)pg->gva);
	else
		ras_out_printf(&o, "-");
	ras_out_printf(&o, " vcpu=%u flags=0x%02x poison=0x%02x gerr=%u", pg->vcpu, pg->flags,
		       pg->poison, pg->guest_errno);
	if (ras_out_end(&o) < 0)
		return -ENOSPC;
	ras_out_printf(&o, RAS_SUM_TAG "%08x\n", ras_fnv1a(buf, o.off));
	return ras_out_end(&o);
}

/* A cursor over one line: every step either matches exactly or fails. */
struct ras_cur {
	const char *p, *end;
	bool bad;
};

static void ras_lit(struct ras_cur *c, const char *lit)
{
	size_t n = strlen(lit);

	if (c->bad || (size_t)(c->end - c->p) < n || memcmp(c->p, lit, n))
		c->bad = true;
	else
		c->p += n;
}

static uint64_t ras_num(struct ras_cur *c, unsigned int base, uint64_t max)
{
	uint64_t v = 0;
	const char *start = c->p;

	while (!c->bad && c->p < c->end) {
		char ch = *c->p;
		unsigned int d;

		if (ch >= '0' && ch <= '9')
			d = (unsigned int)(ch - '0');
		else if (base == 16 && ch >= 'a' && ch <= 'f')
			d = (unsigned int)(ch - 'a' + 10);
		else
			break;
		if (v > (max - d) / base)
			c->bad = true;
		v = v * base + d;
		c->p++;
	}
	if (c->p == start || c->p - start > 20)
		c->bad = true;
	return v;
}

static uint64_t ras_field(struct ras_cur *c, const char *lit, unsigned int base, uint64_t max)
{
	ras_lit(c, lit);
	return ras_num(c, base, max);
}

/* v1 flags: source 1:0, GVA 0x04, injected 0x08, quarantined 0x10, escalation 6:5. */
static uint8_t ras_flags_from_v1(uint64_t f)
{
	return (uint8_t)((f & 0x03) | (f & 0x04 ? RAS_PG_GVA_VALID : 0) |
			 (f & 0x08 ? RAS_PG_INJECTED : 0) | (f & 0x10 ? RAS_PG_RETIRED : 0) |
			 (((f >> 5) & 3) << RAS_PG_ESC_SHIFT));
}

int ras_ledger_parse_line(const char *line, size_t len, struct ras_page *pg)
{
	size_t body = len - (sizeof(RAS_SUM_TAG) - 1 + RAS_SUM_LEN);
	struct ras_cur c = { line, line + len, false }, s;
	struct ras_page p = { 0 };
	bool dash, v1;

	if (len < sizeof(RAS_SUM_TAG) - 1 + RAS_SUM_LEN)
		return -EBADMSG;
	s = (struct ras_cur){ line + body, line + len, false };
	ras_lit(&s, RAS_SUM_TAG);
	if (s.end - s.p != RAS_SUM_LEN || ras_num(&s, 16, UINT32_MAX) != ras_fnv1a(line, body) ||
	    s.bad || s.p != s.end)
		return -EBADMSG;
	c.end = line + body;
	v1 = c.end - c.p > 2 && !memcmp(c.p, "v1", 2);
	ras_lit(&c, v1 ? "v1" : "v2");
	p.gpa = ras_field(&c, " gpa=0x", 16, UINT64_MAX);
	p.first_ns = ras_field(&c, " first=", 10, UINT64_MAX);
	p.last_ns = ras_field(&c, " last=", 10, UINT64_MAX);
	p.count = (uint32_t)ras_field(&c, " count=", 10, UINT32_MAX);
	p.esr = (uint32_t)ras_field(&c, " esr=0x", 16, UINT32_MAX);
	ras_lit(&c, " gva=");
	dash = !c.bad && c.p < c.end && *c.p == '-';
	if (dash)
		c.p++;
	else
		p.gva = ras_field(&c, "0x", 16, UINT64_MAX);
	p.vcpu = (uint16_t)ras_field(&c, " vcpu=", 10, UINT16_MAX);
	p.flags = (uint8_t)ras_field(&c, " flags=0x", 16, UINT8_MAX);
	if (v1) {
		p.flags = ras_flags_from_v1(p.flags);
	} else {
		p.poison = (uint8_t)ras_field(&c, " poison=0x", 16, UINT8_MAX);
		p.guest_errno = (uint8_t)ras_field(&c, " gerr=", 10, UINT8_MAX);
	}
	if ((p.flags & RAS_PG_SRC_MASK) >= RAS_SRC_COUNT ||
	    (p.poison & RAS_PZ_STATE_MASK) >= RAS_PZ_COUNT)
		return -EBADMSG;
	if (c.bad || c.p != c.end || (p.gpa & 0xfff) || dash == !!(p.flags & RAS_PG_GVA_VALID))
		return -EBADMSG;
	*pg = p;
	return 0;
}

/* Appends "; " and a formatted note to warn, or starts it. */
static void ras_warn_add(char *warn, size_t warnlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void ras_warn_add(char *warn, size_t warnlen, const char *fmt, ...)
{
	size_t used = warnlen ? strnlen(warn, warnlen - 1) : 0;
	va_list ap;

	if (!warnlen)
		return;
	if (used && used + 2 < warnlen) {
		memcpy(warn + used, "; ", 3);
		used += 2;
	}
	va_start(ap, fmt);
	vsnprintf(warn + used, warnlen - used, fmt, ap);
	va_end(ap);
}

/* Parses every complete line into all; returns the bytes they hold. */
static long ras_ledger_parse_all(struct ras_tracker *all, const char *buf, size_t len, char *warn,
				 size_t warnlen)
{
	unsigned int lineno = 0, corrupt = 0, first_bad = 0;
	size_t pos = 0;

	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		struct ras_page pg;
		int ret;

		lineno++;
		if (!nl) {
			ras_warn_add(warn, warnlen,
				     "ledger:%u: torn last line (crash mid-write?), skipped",
				     lineno);
			break;
		}
		if (ras_ledger_parse_line(buf + pos, (size_t)(nl - buf) - pos, &pg)) {
			if (!corrupt++)
				first_bad = lineno;
		} else {
			enum ras_poison st = ras_page_poison(&pg);

			/* A new process's guest memory is fresh: the poison ended with the old one.
			 */
			if (st == RAS_PZ_ACTIVE || st == RAS_PZ_OFFLINED)
				ras_page_set_poison(&pg, RAS_PZ_RESTART);
			pg.prev = pg.next = 0;
			ret = ras_tracker_put(all, &pg);
			if (ret)
				return ret;
		}
		pos = (size_t)(nl - buf) + 1;
	}
	if (corrupt)
		ras_warn_add(warn, warnlen, "ledger:%u: %u corrupt line(s) skipped, the first here",
			     first_bad, corrupt);
	return (long)pos;
}

long ras_ledger_load_buf(struct ras_tracker *t, const char *buf, size_t len, char *warn,
			 size_t warnlen)
{
	/* History fills at most half of t: this run's pages need room too. */
	uint32_t keep = t->max - t->max / 2, start, i;
	struct ras_tracker all;
	long pos;
	int ret;

	if (warnlen)
		warn[0] = '\0';
	/* Every page first: which are the most recent is known only at the end. */
	ret = ras_tracker_init(&all, RAS_TRACKER_MAX);
	if (ret)
		return ret;
	pos = ras_ledger_parse_all(&all, buf, len, warn, warnlen);
	if (pos < 0)
		goto out;
	if (all.n > keep)
		ras_warn_add(warn, warnlen,
			     "%u of %u pages left out: kept the %u most recent (history fills at "
			     "most half the tracker)",
			     all.n - keep, all.n, keep);
	else
		keep = all.n;
	/* Oldest first, so each lands at the tail of t's recency list. */
	start = all.tail;
	for (i = 1; i < keep; i++)
		start = all.pages[start].prev;
	for (i = 0; i < keep; i++, start = all.pages[start].next) {
		ret = ras_tracker_put(t, &all.pages[start]);
		if (ret) {
			pos = ret;
			break;
		}
	}
out:
	ras_tracker_free(&all);
	return pos;
}
