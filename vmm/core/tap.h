/* SPDX-License-Identifier: GPL-2.0-only */
/* The host side of virtio-net: a tap device (--net tap[=NAME]). */
#ifndef SEAVMM_TAP_H
#define SEAVMM_TAP_H

#include <stddef.h>

#define TAP_NAME_MAX 16 /* IFNAMSIZ */

/*
 * Opens the tap called want, creating it if it does not exist (want empty:
 * a new tap the kernel names), brings its link up, and returns its
 * non-blocking descriptor with the name in name; or -errno (reported in one
 * line saying what to do).
 */
int tap_open(const char *want, char name[TAP_NAME_MAX]);

#endif
