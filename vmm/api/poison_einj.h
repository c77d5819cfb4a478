/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ACPI EINJ (error injection) through the kernel's debugfs interface, for
 * inject-poison on real hardware (--allow-inject=einj). EINJ offers memory
 * errors as corrected (0x08), uncorrectable non-fatal (0x10) and
 * uncorrectable fatal (0x20); it cannot choose the syndrome's SET. seavmm
 * maps uer to 0x10 and uc to 0x20, and refuses ueo (no EINJ type is
 * restartable) and never offers 0x08 (a corrected error is never consumed,
 * so it makes no SEA). Portable: the directory is a parameter, so unit tests
 * check what is written.
 */
#ifndef SEAVMM_POISON_EINJ_H
#define SEAVMM_POISON_EINJ_H

#include <stddef.h>
#include <stdint.h>

#include "ras.h"

#define POISON_EINJ_DIR "/sys/kernel/debug/apei/einj"

/* The EINJ error type for set, or 0 when EINJ cannot express it. */
uint32_t poison_einj_type(enum ras_set set);
/*
 * Injects a memory error of the type for set at host physical address pa
 * through the EINJ files in dir. On success detail says what EINJ type was
 * used and what the platform reports when it is consumed; on failure
 * (-EOPNOTSUPP, -EPERM, -ENODEV, -errno) why.
 */
int poison_einj_inject(const char *dir, uint64_t pa, enum ras_set set, char *detail, size_t len);

#endif
