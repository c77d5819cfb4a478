/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * json-c helpers for the control socket's replies: the value forms
 * docs/api.md uses (addresses as hex strings, times as RFC 3339 strings,
 * seconds with a fixed number of decimals) and one reply line per object.
 * Portable.
 */
#ifndef SEAVMM_API_JSON_H
#define SEAVMM_API_JSON_H

#include <json-c/json.h>
#include <stddef.h>
#include <stdint.h>

/* "0x..." */
struct json_object *api_json_hex(uint64_t v);
/* Wall-clock nanoseconds as "YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ". */
struct json_object *api_json_time(uint64_t wall_ns);
/* ns as seconds with millisecond precision, written exactly so (no float noise). */
struct json_object *api_json_seconds(uint64_t ns);
/*
 * Parses a hex ("0x...") or decimal string, or a non-negative integer, into
 * *out. 0 or -EINVAL.
 */
int api_json_get_u64(struct json_object *o, uint64_t *out);

#endif
