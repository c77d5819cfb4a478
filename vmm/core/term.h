/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The user's terminal: raw mode while a guest owns it, and the guarantee that
 * it is restored on every way out (return, exit(), fatal signals).
 */
#ifndef SEAVMM_TERM_H
#define SEAVMM_TERM_H

#include <stdbool.h>

/*
 * Puts fd in raw mode if it is a terminal and arranges its restoration.
 * Returns true if it did, false for a non-terminal (left alone).
 */
bool term_raw_enter(int fd);
/* Restores the saved mode now; async-signal-safe, idempotent. */
void term_restore(void);

#endif
