// SPDX-License-Identifier: GPL-2.0-only
#include "api_json.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct json_object *api_json_hex(uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)v);
	return json_object_new_string(buf);
}

struct json_object *api_json_time(uint64_t wall_ns)
{
	time_t secs = (time_t)(wall_ns / 1000000000ULL);
	char buf[48];
	struct tm tm;

	if (!gmtime_r(&secs, &tm))
		return NULL;
	snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d.%09lluZ", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
		 (unsigned long long)(wall_ns % 1000000000ULL));
	return json_object_new_string(buf);
}

struct json_object *api_json_seconds(uint64_t ns)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%llu.%03llu", (unsigned long long)(ns / 1000000000ULL),
		 (unsigned long long)(ns % 1000000000ULL / 1000000ULL));
	return json_object_new_double_s((double)ns / 1e9, buf);
}

int api_json_get_u64(struct json_object *o, uint64_t *out)
{
	const char *s;
	char *end;
	int base = 10;

	if (json_object_is_type(o, json_type_int)) {
		/* json-c keeps integers above INT64_MAX as unsigned. */
		if (json_object_get_int64(o) < 0)
			return -EINVAL;
		*out = json_object_get_uint64(o);
		return 0;
	}
	if (!json_object_is_type(o, json_type_string))
		return -EINVAL;
	s = json_object_get_string(o);
	/* Hex with 0x, else decimal: a leading 0 is not octal here. */
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
		base = 16;
		if (!isxdigit((unsigned char)*s))
			return -EINVAL;
	} else if (!isdigit((unsigned char)*s)) {
		return -EINVAL;
	}
	errno = 0;
	*out = strtoull(s, &end, base);
	if (errno || *end)
		return -EINVAL;
	return 0;
}
