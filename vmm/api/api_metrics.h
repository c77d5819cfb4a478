/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The control socket's metrics (docs/api.md): counters kept as events are
 * published, and their Prometheus text exposition. Portable.
 */
#ifndef SEAVMM_API_METRICS_H
#define SEAVMM_API_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ras.h"

/* What was done about an event, as one label. */
enum api_action {
	API_ACT_NONE, /* reported (and maybe quarantined) only */
	API_ACT_INJECT_DATA,
	API_ACT_INJECT_INSN,
	API_ACT_RESTART,
	API_ACT_STOP,
	API_ACT_COUNT
};

/* Why a boot of the guest began. */
enum api_boot_cause {
	API_BOOT_FIRST,
	API_BOOT_GUEST_RESET, /* the guest reset itself, --reboot=restart */
	API_BOOT_RAS_POLICY,  /* the memory-error policy restarted it */
	API_BOOT_API,	      /* a 'restart' request */
	API_BOOT_COUNT
};

#define API_CLASS_COUNT (RAS_CLASS_DABT_CUR + 2) /* the ras classes and "none" (no ESR) */

struct api_event_key {
	enum ras_source source;
	unsigned int cls; /* enum ras_class, or RAS_CLASS_DABT_CUR + 1 for none */
	enum api_action action;
	uint64_t mono_ns;
};

struct api_metrics {
	uint64_t events[RAS_SRC_COUNT][API_CLASS_COUNT][API_ACT_COUNT];
	uint64_t boots[API_BOOT_COUNT];
	uint64_t last_event_ns; /* CLOCK_MONOTONIC */
	bool any_event;
};

/* Tracked pages by state (api_page.c). */
struct api_page_counts {
	uint32_t total, poisoned, retired, offlined;
};

void api_event_key_from(struct api_event_key *k, const struct ras_event *ev,
			const struct ras_decision *d);
void api_metrics_count(struct api_metrics *m, const struct api_event_key *k);
uint64_t api_metrics_events_total(const struct api_metrics *m);
/*
 * The Prometheus text format (version 0.0.4) of m, the page counts and the
 * time since the last event at now_ns. Returns its length or -ENOSPC.
 */
int api_metrics_format(const struct api_metrics *m, const struct api_page_counts *pc,
		       uint64_t now_ns, char *buf, size_t len);
const char *api_action_name(enum api_action a);
const char *api_boot_cause_name(enum api_boot_cause c);

#endif
