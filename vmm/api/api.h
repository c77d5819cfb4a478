/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The control socket of 'seavmm run --api-socket PATH' (docs/api.md), as
 * the rest of the VMM sees it: opened at start-up, served once the VM is
 * set up, told of boots and of every memory-error event, closed before the
 * VM goes away. Every function is a no-op without --api-socket.
 */
#ifndef SEAVMM_API_H
#define SEAVMM_API_H

#include <stddef.h>

#include "api_metrics.h"
#include "ras.h"

struct vm;
struct sea_state;

/*
 * Creates the socket (mode 0600) before the VM exists, so a bad path is a
 * usage error. 0, or -errno with err saying what and how to fix.
 */
int api_open(struct vm *vm, const char *path, char *err, size_t errlen);
/* Serves the socket from its own thread, once vm_setup() succeeded. 0 or -errno. */
int api_start(struct vm *vm);
/* A boot of the guest begins. */
void api_note_boot(struct vm *vm, enum api_boot_cause cause);
/*
 * sea.c's sea_report(), under the SEA lock: the event's record (the line
 * --ras-events gets) to the recent ring, the metrics and every subscriber.
 */
void api_publish_event(struct sea_state *s, const struct ras_event *ev,
		       const struct ras_decision *d);
/* Last replies out, thread ended, socket removed. */
void api_close(struct vm *vm);

#endif
