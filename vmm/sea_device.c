// SPDX-License-Identifier: GPL-2.0-only
/*
 * Minimal device-poison handling for the virtio branch (see sea_device.h):
 * the event is recorded as one the host found before the guest consumed it,
 * decided under the VM's policy and reported like every other event.
 */
#include "sea_device.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "arm64_esr.h"
#include "ledger.h"
#include "sea_report.h"
#include "util.h"
#include "vm.h"

bool sea_gpa_poisoned(struct vm *vm, uint64_t gpa)
{
	struct sea_state *s = &vm->sea;
	const struct ras_page *pg;
	bool bad;

	pthread_mutex_lock(&s->lock);
	pg = ras_tracker_lookup(&s->tracker, gpa & ARM64_PAGE_MASK);
	/* A quarantined page has a fresh host page behind it now. */
	bad = pg && !(pg->flags & RAS_PG_QUARANTINED);
	pthread_mutex_unlock(&s->lock);
	return bad;
}

static uint64_t sea_device_now(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

int sea_handle_device_poison(struct vm *vm, uint64_t gpa, const char *device)
{
	struct sea_state *s = &vm->sea;
	struct ras_vcpu_ctx ctx = { .mono_ns = sea_device_now(CLOCK_MONOTONIC),
				    .wall_ns = sea_device_now(CLOCK_REALTIME) };
	struct ras_decision d;
	struct ras_event ev;
	struct ras_page *pg;
	char line[512];
	const char *msg;
	size_t n;
	int ret = 0;

	ras_event_from_host(&ev, RAS_SRC_SIGBUS_AO, true, gpa, &ctx);
	pthread_mutex_lock(&s->lock);
	ras_decide(&vm->ras_policy, &s->tracker, &ev, &d);
	/* Not moved: a fresh page in its place would hide the loss from the guest. */
	pg = ras_tracker_lookup(&s->tracker, ev.gpa);
	if (pg)
		pg->flags &= (uint8_t)~RAS_PG_QUARANTINED;
	d.quarantine = false;
	n = strlen(d.reason);
	snprintf(d.reason + n, sizeof(d.reason) - n,
		 "; %s met it: that request failed with an I/O error, page left poisoned", device);
	sea_report_line(&ev, &d, line, sizeof(line));
	/* No vCPU took this event: the device names it instead. */
	msg = strstr(line, "memory error:");
	pr_info("%s: %s", device, msg ? msg : line);
	if (s->ledger_fd >= 0 && pg)
		ret = ledger_append(s->ledger_fd, pg);
	if (s->events_fd >= 0) {
		int r = sea_events_append(s->events_fd, &ev, &d, s->name);

		ret = ret ? ret : r;
	}
	pthread_mutex_unlock(&s->lock);
	if (ret < 0)
		pr_err("%s: cannot record the memory error in --ras-events/--ras-ledger: %s",
		       device, strerror(-ret));
	if (d.escalate == RAS_ESC_STOP)
		vm_request_stop(vm, VM_STOP_RAS_STOP);
	else if (d.escalate == RAS_ESC_RESTART)
		vm_request_stop(vm, VM_STOP_RAS_RESTART);
	return ret;
}
