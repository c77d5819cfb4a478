// SPDX-License-Identifier: GPL-2.0-only
#include "agent_report.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ras_out.h"

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

int agent_record_format(const struct agent_note *n, uint64_t wall_ns, const char *vm_name,
			const char *action, uint64_t timeout_ns, char *buf, size_t len)
{
	struct ras_out o = { buf, len, 0 };

	ras_out_printf(&o, "{\"time\":");
	ras_out_json_time(&o, wall_ns);
	ras_out_printf(&o, ",\"vm\":");
	ras_out_json_str(&o, vm_name ? vm_name : "");
	ras_out_printf(&o, ",\"kind\":\"agent\",\"event\":\"%s\"", agent_note_name(n->kind));
	switch (n->kind) {
	case AGENT_NOTE_CONNECTED:
		ras_out_printf(&o, ",\"version\":%u,\"agent\":", n->version);
		ras_out_json_str(&o, n->detail);
		break;
	case AGENT_NOTE_DISCONNECTED:
		ras_out_printf(&o, ",\"unanswered\":%llu", (unsigned long long)n->count);
		break;
	case AGENT_NOTE_LIVENESS:
		ras_out_printf(&o, ",\"idle_ms\":%llu,\"timeout_ms\":%llu,\"escalate\":\"%s\"",
			       (unsigned long long)(n->idle_ns / 1000000),
			       (unsigned long long)(timeout_ns / 1000000), action);
		break;
	default:
		ras_out_printf(&o, ",\"count\":%llu", (unsigned long long)n->count);
		if (!n->summary &&
		    (n->kind == AGENT_NOTE_UNSOLICITED || n->kind == AGENT_NOTE_DUPLICATE))
			ras_out_printf(&o, ",\"gpa\":\"0x%llx\"", (unsigned long long)n->gpa);
		if (!n->summary) {
			ras_out_printf(&o, ",\"line\":");
			ras_out_json_str(&o, n->detail);
		}
		ras_out_printf(&o, ",\"reason\":\"%s\"", agent_why(n->kind));
		break;
	}
	ras_out_printf(&o, "}\n");
	return ras_out_end(&o);
}
