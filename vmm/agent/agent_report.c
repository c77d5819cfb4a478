// SPDX-License-Identifier: GPL-2.0-only
#include "agent_report.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define NS_PER_S 1000000000ULL

/* Why a violation was ignored, as the line and docs/events.md say it. */
static const char *agent_why(enum agent_note_kind k)
{
	switch (k) {
	case AGENT_NOTE_GARBAGE:
		return "not a message";
	case AGENT_NOTE_OVERLONG:
		return "longer than the protocol allows";
	case AGENT_NOTE_UNKNOWN:
		return "a message this protocol version does not have";
	case AGENT_NOTE_EARLY:
		return "a message before HELLO";
	case AGENT_NOTE_VERSION:
		return "no protocol version in common";
	case AGENT_NOTE_UNSOLICITED:
		return "an answer for a page it was not told about";
	case AGENT_NOTE_DUPLICATE:
		return "a second answer for a page";
	case AGENT_NOTE_TRUNCATED:
		return "cut off when the port closed";
	case AGENT_NOTE_FLOOD:
		return "over the limit of lines a second";
	default:
		return "?";
	}
}

static int agent_done(int n, size_t len)
{
	if (n < 0)
		return -EINVAL;
	return (size_t)n < len ? n : -ENOSPC;
}

int agent_report_line(const struct agent_note *n, const char *action, char *buf, size_t len)
{
	const char *name = agent_note_name(n->kind);
	char gpa[40] = "";

	switch (n->kind) {
	case AGENT_NOTE_CONNECTED:
		return agent_done(snprintf(buf, len, "agent: %s connected (protocol %u)", n->detail,
					   n->version),
				  len);
	case AGENT_NOTE_DISCONNECTED:
		if (!n->count)
			return agent_done(snprintf(buf, len, "agent: the guest agent disconnected"),
					  len);
		return agent_done(snprintf(buf, len,
					   "agent: the guest agent disconnected with %llu page(s) "
					   "unanswered; they are told again when it reconnects",
					   (unsigned long long)n->count),
				  len);
	case AGENT_NOTE_LIVENESS:
		return agent_done(snprintf(buf, len,
					   "agent: no word from the guest agent for %llu.%01llu s "
					   "after a memory error: %s the guest (liveness=%s)",
					   (unsigned long long)(n->idle_ns / NS_PER_S),
					   (unsigned long long)(n->idle_ns % NS_PER_S / 100000000),
					   !strcmp(action, "stop") ? "stopping" : "restarting",
					   action),
				  len);
	default:
		break;
	}
	if (n->kind == AGENT_NOTE_UNSOLICITED || n->kind == AGENT_NOTE_DUPLICATE)
		snprintf(gpa, sizeof(gpa), " (gpa 0x%llx)", (unsigned long long)n->gpa);
	if (n->summary)
		return agent_done(snprintf(buf, len,
					   "agent: ignored %llu more line(s) from the guest agent "
					   "in the last %llu s (%s: %s)",
					   (unsigned long long)n->count,
					   AGENT_REPORT_PERIOD_NS / NS_PER_S, name,
					   agent_why(n->kind)),
				  len);
	return agent_done(snprintf(buf, len,
				   "agent: ignored %s from the guest agent (%s: %s)%s: '%.80s'%s",
				   n->count > 1 ? "lines" : "a line", name, agent_why(n->kind), gpa,
				   n->detail, strlen(n->detail) > 80 ? "..." : ""),
			  len);
}

struct agent_out {
	char *buf;
	size_t len, off;
};

static void agent_printf(struct agent_out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void agent_printf(struct agent_out *o, const char *fmt, ...)
{
	size_t room = o->off < o->len ? o->len - o->off : 0;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(room ? o->buf + o->off : NULL, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->off += (size_t)n;
}

/* A JSON string: control bytes and non-ASCII escaped, whatever the agent sent. */
static void agent_json_str(struct agent_out *o, const char *s)
{
	agent_printf(o, "\"");
	for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
		if (*c == '"' || *c == '\\')
			agent_printf(o, "\\%c", *c);
		else if (*c < 0x20 || *c >= 0x7f)
			agent_printf(o, "\\u%04x", *c);
		else
			agent_printf(o, "%c", *c);
	}
	agent_printf(o, "\"");
}

/*
 * RFC 3339 UTC by arithmetic alone: gmtime_r() may read the time zone files
 * on its first call. Days since 1970 become a date through 400-year eras of
 * 146097 days, with years taken to start on 1 March so that the leap day
 * ends a year.
 */
static void agent_json_time(struct agent_out *o, uint64_t wall_ns)
{
	uint64_t secs = wall_ns / NS_PER_S, days = secs / 86400, rem = secs % 86400;
	uint64_t z = days + 719468, era = z / 146097, doe = z % 146097;
	uint64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	uint64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
	uint64_t day = doy - (153 * mp + 2) / 5 + 1, month = mp < 10 ? mp + 3 : mp - 9;
	uint64_t year = yoe + era * 400 + (month <= 2);

	agent_printf(o, "\"%04llu-%02llu-%02lluT%02llu:%02llu:%02llu.%09lluZ\"",
		     (unsigned long long)year, (unsigned long long)month, (unsigned long long)day,
		     (unsigned long long)(rem / 3600), (unsigned long long)(rem / 60 % 60),
		     (unsigned long long)(rem % 60), (unsigned long long)(wall_ns % NS_PER_S));
}

int agent_record_format(const struct agent_note *n, uint64_t wall_ns, const char *vm_name,
			const char *action, uint64_t timeout_ns, char *buf, size_t len)
{
	struct agent_out o = { buf, len, 0 };

	agent_printf(&o, "{\"time\":");
	agent_json_time(&o, wall_ns);
	agent_printf(&o, ",\"vm\":");
	agent_json_str(&o, vm_name ? vm_name : "");
	agent_printf(&o, ",\"kind\":\"agent\",\"event\":\"%s\"", agent_note_name(n->kind));
	switch (n->kind) {
	case AGENT_NOTE_CONNECTED:
		agent_printf(&o, ",\"version\":%u,\"agent\":", n->version);
		agent_json_str(&o, n->detail);
		break;
	case AGENT_NOTE_DISCONNECTED:
		agent_printf(&o, ",\"unanswered\":%llu", (unsigned long long)n->count);
		break;
	case AGENT_NOTE_LIVENESS:
		agent_printf(&o, ",\"idle_ms\":%llu,\"timeout_ms\":%llu,\"escalate\":\"%s\"",
			     (unsigned long long)(n->idle_ns / 1000000),
			     (unsigned long long)(timeout_ns / 1000000), action);
		break;
	default:
		agent_printf(&o, ",\"count\":%llu", (unsigned long long)n->count);
		if (!n->summary &&
		    (n->kind == AGENT_NOTE_UNSOLICITED || n->kind == AGENT_NOTE_DUPLICATE))
			agent_printf(&o, ",\"gpa\":\"0x%llx\"", (unsigned long long)n->gpa);
		if (!n->summary) {
			agent_printf(&o, ",\"line\":");
			agent_json_str(&o, n->detail);
		}
		agent_printf(&o, ",\"reason\":\"%s\"", agent_why(n->kind));
		break;
	}
	agent_printf(&o, "}\n");
	if (o.off >= o.len || o.off > 0x7fffffff)
		return -ENOSPC;
	return (int)o.off;
}
