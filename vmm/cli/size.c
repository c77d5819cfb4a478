// SPDX-License-Identifier: GPL-2.0-only
#include "size.h"

#include <ctype.h>
#include <errno.h>
#include <string.h>
#include <strings.h>

static int size_suffix_shift(const char *p, unsigned int default_shift)
{
	static const char units[] = "KMGT";
	const char *u;

	if (*p == '\0')
		return (int)default_shift;
	u = strchr(units, toupper((unsigned char)*p));
	if (!u)
		return -1;
	p++;
	if (*p && strcasecmp(p, "B") && strcasecmp(p, "iB"))
		return -1;
	return 10 * (int)(u - units + 1);
}

int size_parse(const char *s, unsigned int default_shift, uint64_t *out)
{
	uint64_t v = 0;
	const char *p = s;
	int shift;

	if (!s || !isdigit((unsigned char)*p))
		return -EINVAL;
	for (; isdigit((unsigned char)*p); p++) {
		unsigned int d = (unsigned int)(*p - '0');

		if (v > (UINT64_MAX - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	shift = size_suffix_shift(p, default_shift);
	if (shift < 0)
		return -EINVAL;
	if (shift && v > (UINT64_MAX >> shift))
		return -ERANGE;
	*out = v << shift;
	return 0;
}
