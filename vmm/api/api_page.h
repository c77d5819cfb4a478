/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A tracked page's poison state as the control socket shows it. The one
 * place that reads struct ras_page's flags for that, so that new states
 * need only this file. Portable.
 */
#ifndef SEAVMM_API_PAGE_H
#define SEAVMM_API_PAGE_H

#include <stdbool.h>

#include "api_metrics.h"
#include "ras.h"

/*
 * The page's poison state (ras_poison_name): "poisoned" (every guest access an
 * abort), "guest_offlined", "restart", "fresh", or "none" (ledger history).
 */
const char *api_page_state(const struct ras_page *pg);
/* The guest took the page offline itself. */
bool api_page_offlined(const struct ras_page *pg);
/* Counts pages[0..n): retired frames, pages poisoned now, pages offlined. */
void api_page_count(const struct ras_page *pages, unsigned int n, struct api_page_counts *pc);

#endif
