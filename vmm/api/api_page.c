// SPDX-License-Identifier: GPL-2.0-only
#include "api_page.h"

#include <string.h>

const char *api_page_state(const struct ras_page *pg)
{
	return ras_poison_name(ras_page_poison(pg));
}

bool api_page_offlined(const struct ras_page *pg)
{
	return ras_page_poison(pg) == RAS_PZ_OFFLINED;
}

void api_page_count(const struct ras_page *pages, unsigned int n, struct api_page_counts *pc)
{
	memset(pc, 0, sizeof(*pc));
	pc->total = n;
	for (unsigned int i = 0; i < n; i++) {
		if (pages[i].flags & RAS_PG_RETIRED)
			pc->retired++;
		if (ras_page_poison(&pages[i]) == RAS_PZ_ACTIVE)
			pc->poisoned++;
		else if (api_page_offlined(&pages[i]))
			pc->offlined++;
	}
}
