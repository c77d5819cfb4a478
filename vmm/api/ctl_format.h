/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * seavmm ctl's readable output: one reply (or streamed event record) of the
 * control socket (docs/api.md), as a person reads it. Portable, so unit
 * tests check it natively.
 */
#ifndef SEAVMM_CTL_FORMAT_H
#define SEAVMM_CTL_FORMAT_H

#include <json-c/json.h>
#include <stdio.h>

/* A successful reply to request (its "request" field) on f. */
void ctl_format_reply(FILE *f, struct json_object *reply);
/* One event record (docs/events.md) as one line on f. */
void ctl_format_event(FILE *f, struct json_object *rec);

#endif
