/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The emulated RAS platform's memory-poison injector (tests/emulator/README.md):
 * 32-bit registers at physical address 0x090f0000, reached through /dev/mem.
 * It is not in any device tree and on real hardware that address is
 * arbitrary: seavmm touches it only when the operator names it
 * (--allow-inject=emulator).
 */
#ifndef SEAVMM_POISON_EMUL_H
#define SEAVMM_POISON_EMUL_H

#include <stddef.h>
#include <stdint.h>

#include "ras.h"

#define POISON_EMUL_BASE 0x090f0000UL

struct poison_emul {
	volatile uint32_t *regs; /* NULL: not open */
};

/*
 * Maps the injector and checks its ID. Start-up only, before seavmm's own
 * SIGBUS handler is installed: a read where there is no device aborts, and
 * that is caught here. 0, or -errno with err saying what and how to fix.
 */
int poison_emul_open(struct poison_emul *e, char *err, size_t errlen);
/* Poisons the 4 KiB page at pa with error type set (uer, ueo or uc). 0 or -errno, why in err. */
int poison_emul_poison(struct poison_emul *e, uint64_t pa, enum ras_set set, char *err,
		       size_t errlen);
/* Clears the poison of the page at pa (none there is not an error). */
void poison_emul_clear(struct poison_emul *e, uint64_t pa);
void poison_emul_close(struct poison_emul *e);

#endif
