/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The run's SEA policy, from its command line: the defaults, then the
 * --ras-policy file, then each --ras key=value in order (a flag overrides the
 * file). Portable, so unit tests cover it natively.
 */
#ifndef SEAVMM_RAS_CONFIG_H
#define SEAVMM_RAS_CONFIG_H

#include <stddef.h>

#include "opts.h"
#include "ras.h"

/* A policy file is a few lines; anything this large is the wrong file. */
#define RAS_POLICY_FILE_MAX (64 * 1024)

/*
 * Fills *p. On error returns -errno (-EINVAL for a bad setting) and err holds
 * one line naming the file and line, or the flag, and how to fix it.
 */
int ras_config_load(const struct run_opts *o, struct ras_policy *p, char *err, size_t errlen);

#endif
