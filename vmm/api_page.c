// SPDX-License-Identifier: GPL-2.0-only
#include "api_page.h"

#include <string.h>

const char *api_page_state(const struct ras_page *pg)
{
	if (api_page_offlined(pg))
		return "offlined";
	return pg->flags & RAS_PG_QUARANTINED ? "retired" : "poisoned";
}

bool api_page_offlined(const struct ras_page *pg)
{
	/* The tracker has no such state yet: nothing tells seavmm of it. */
	(void)pg;
	return false;
}

void api_page_count(const struct ras_page *pages, unsigned int n, struct api_page_counts *pc)
{
	memset(pc, 0, sizeof(*pc));
	pc->total = n;
	for (unsigned int i = 0; i < n; i++) {
		const char *st = api_page_state(&pages[i]);

		if (!strcmp(st, "offlined"))
			pc->offlined++;
		else if (!strcmp(st, "retired"))
			pc->retired++;
		else
			pc->poisoned++;
	}
}
