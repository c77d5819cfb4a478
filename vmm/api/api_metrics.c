// SPDX-License-Identifier: GPL-2.0-only
#include "api_metrics.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

#define API_CLASS_NONE (RAS_CLASS_DABT_CUR + 1)

static const char *const api_action_names[API_ACT_COUNT] = {
	[API_ACT_NONE] = "none",
	[API_ACT_INJECT_DATA] = "inject_data",
	[API_ACT_INJECT_INSN] = "inject_instruction",
	[API_ACT_RESTART] = "restart",
	[API_ACT_STOP] = "stop",
};

static const char *const api_boot_cause_names[API_BOOT_COUNT] = {
	[API_BOOT_FIRST] = "first",
	[API_BOOT_GUEST_RESET] = "guest_reset",
	[API_BOOT_RAS_POLICY] = "ras_policy",
	[API_BOOT_API] = "api",
};

const char *api_action_name(enum api_action a)
{
	return (unsigned int)a < API_ACT_COUNT ? api_action_names[a] : "?";
}

const char *api_boot_cause_name(enum api_boot_cause c)
{
	return (unsigned int)c < API_BOOT_COUNT ? api_boot_cause_names[c] : "?";
}

void api_event_key_from(struct api_event_key *k, const struct ras_event *ev,
			const struct ras_decision *d)
{
	k->source = ev->source;
	k->cls = ev->has_esr ? (unsigned int)ev->esr.cls : API_CLASS_NONE;
	if (d->escalate == RAS_ESC_STOP)
		k->action = API_ACT_STOP;
	else if (d->escalate == RAS_ESC_RESTART)
		k->action = API_ACT_RESTART;
	else if (d->inject.pending)
		k->action = d->inject.instruction ? API_ACT_INJECT_INSN : API_ACT_INJECT_DATA;
	else
		k->action = API_ACT_NONE;
	k->mono_ns = ev->ctx.mono_ns;
}

void api_metrics_count(struct api_metrics *m, const struct api_event_key *k)
{
	if ((unsigned int)k->source >= RAS_SRC_COUNT || k->cls >= API_CLASS_COUNT ||
	    (unsigned int)k->action >= API_ACT_COUNT)
		return;
	m->events[k->source][k->cls][k->action]++;
	if (!m->any_event || k->mono_ns > m->last_event_ns)
		m->last_event_ns = k->mono_ns;
	m->any_event = true;
}

uint64_t api_metrics_events_total(const struct api_metrics *m)
{
	uint64_t n = 0;

	for (unsigned int s = 0; s < RAS_SRC_COUNT; s++)
		for (unsigned int c = 0; c < API_CLASS_COUNT; c++)
			for (unsigned int a = 0; a < API_ACT_COUNT; a++)
				n += m->events[s][c][a];
	return n;
}

struct api_text {
	char *buf;
	size_t len, off;
};

static void api_text(struct api_text *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void api_text(struct api_text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(t->off < t->len ? t->buf + t->off : NULL,
		      t->off < t->len ? t->len - t->off : 0, fmt, ap);
	va_end(ap);
	if (n > 0)
		t->off += (size_t)n;
}

static void api_help(struct api_text *t, const char *name, const char *type, const char *help)
{
	api_text(t, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

int api_metrics_format(const struct api_metrics *m, const struct api_page_counts *pc,
		       uint64_t now_ns, char *buf, size_t len)
{
	struct api_text t = { buf, len, 0 };
	bool any = false;

	api_help(&t, "seavmm_memory_errors_total", "counter",
		 "Guest memory-error events by source, exception class and action taken.");
	for (unsigned int s = 0; s < RAS_SRC_COUNT; s++)
		for (unsigned int c = 0; c < API_CLASS_COUNT; c++)
			for (unsigned int a = 0; a < API_ACT_COUNT; a++) {
				if (!m->events[s][c][a])
					continue;
				api_text(&t,
					 "seavmm_memory_errors_total{source=\"%s\",class=\"%s\","
					 "action=\"%s\"} %llu\n",
					 ras_source_name((enum ras_source)s),
					 c == API_CLASS_NONE ? "none"
							     : ras_class_name((enum ras_class)c),
					 api_action_name((enum api_action)a),
					 (unsigned long long)m->events[s][c][a]);
				any = true;
			}
	/* A series with no sample yet still tells a scraper the metric exists. */
	if (!any)
		api_text(&t, "seavmm_memory_errors_total{source=\"sea_exit\",class=\"none\","
			     "action=\"none\"} 0\n");
	api_help(&t, "seavmm_poisoned_pages", "gauge",
		 "Guest pages tracked as poisoned, by state (a page is in one state).");
	api_text(&t, "seavmm_poisoned_pages{state=\"poisoned\"} %u\n", pc->poisoned);
	api_text(&t, "seavmm_poisoned_pages{state=\"retired\"} %u\n", pc->retired);
	api_text(&t, "seavmm_poisoned_pages{state=\"offlined\"} %u\n", pc->offlined);
	api_help(&t, "seavmm_poisoned_pages_total", "gauge",
		 "Guest pages tracked as poisoned, in any state.");
	api_text(&t, "seavmm_poisoned_pages_total %u\n", pc->total);
	api_help(&t, "seavmm_restarts_total", "counter", "Guest restarts by cause.");
	for (unsigned int c = API_BOOT_GUEST_RESET; c < API_BOOT_COUNT; c++)
		api_text(&t, "seavmm_restarts_total{cause=\"%s\"} %llu\n",
			 api_boot_cause_name((enum api_boot_cause)c),
			 (unsigned long long)m->boots[c]);
	if (m->any_event) {
		uint64_t d = now_ns > m->last_event_ns ? now_ns - m->last_event_ns : 0;

		api_help(&t, "seavmm_seconds_since_last_memory_error", "gauge",
			 "Seconds since the last guest memory-error event (absent before the "
			 "first).");
		api_text(&t, "seavmm_seconds_since_last_memory_error %llu.%03llu\n",
			 (unsigned long long)(d / 1000000000ULL),
			 (unsigned long long)(d % 1000000000ULL / 1000000ULL));
	}
	if (t.off >= len)
		return -ENOSPC;
	return (int)t.off;
}
