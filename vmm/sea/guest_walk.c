// SPDX-License-Identifier: GPL-2.0-only
#include "guest_walk.h"

#include <errno.h>
#include <stdbool.h>

#define SCTLR_M	   (1ULL << 0)
#define TCR_EPD0   (1ULL << 7)
#define TCR_EPD1   (1ULL << 23)
#define OA_MASK	   0x0000fffffffff000ULL /* output address bits 47:12 */
#define DESC_VALID 1ULL
#define DESC_TABLE 2ULL
#define TTBR_BADDR 0x0000fffffffffffeULL

/* log2 of the granule from TCR_EL1.TG0 or TG1 (their encodings differ), or 0. */
static unsigned int walk_granule(uint64_t tcr, bool upper)
{
	unsigned int tg = upper ? (unsigned int)(tcr >> 30) & 3 : (unsigned int)(tcr >> 14) & 3;

	if (upper)
		return tg == 1 ? 14 : tg == 2 ? 12 : tg == 3 ? 16 : 0;
	return tg == 0 ? 12 : tg == 1 ? 16 : tg == 2 ? 14 : 0;
}

int guest_walk(const struct guest_walk_regs *r, uint64_t gva, guest_walk_read_fn read, void *ctx,
	       uint64_t *gpa)
{
	bool upper = (gva >> 55) & 1;
	unsigned int tsz = (unsigned int)(upper ? r->tcr >> 16 : r->tcr) & 0x3f;
	unsigned int g = walk_granule(r->tcr, upper), stride, ia;
	uint64_t table, desc;
	int level, start;

	if (!(r->sctlr & SCTLR_M)) {
		*gpa = gva; /* MMU off: flat */
		return 0;
	}
	if (!g || (r->tcr & (upper ? TCR_EPD1 : TCR_EPD0)) || tsz < 12 || tsz > 48)
		return -EFAULT;
	ia = 64 - tsz;
	/* The address must be canonical for its half. */
	if (upper ? (~gva >> ia) != 0 : (gva >> ia) != 0)
		return -EFAULT;
	stride = g - 3;
	/*
	 * As many levels as it takes to resolve ia - g bits, ending at level
	 * 3: 52-bit addresses with 4K pages (FEAT_LPA2) start at level -1.
	 */
	start = 4 - (int)((ia - g + stride - 1) / stride);
	/* BADDR, bits 47:1: a small first table may be aligned below the granule. */
	table = (upper ? r->ttbr1 : r->ttbr0) & TTBR_BADDR;
	for (level = start; level <= 3; level++) {
		unsigned int shift = g + stride * (unsigned int)(3 - level);
		unsigned int bits = level == start ? ia - shift : stride;
		uint64_t idx = (gva >> shift) & ((1ULL << bits) - 1);
		int ret = read(ctx, table + idx * 8, &desc);

		if (ret)
			return ret;
		if (!(desc & DESC_VALID))
			return -EFAULT;
		if (level == 3 || !(desc & DESC_TABLE)) {
			/* A page at level 3 has bit 1 set; blocks exist at levels 1 and 2 only. */
			if (level == 3 ? !(desc & DESC_TABLE)
				       : level < 1 || (level == 1 && g != 12))
				return -EFAULT;
			*gpa = (desc & OA_MASK & ~((1ULL << shift) - 1)) |
			       (gva & ((1ULL << shift) - 1));
			return 0;
		}
		table = desc & OA_MASK & ~((1ULL << g) - 1);
	}
	return -EFAULT;
}
