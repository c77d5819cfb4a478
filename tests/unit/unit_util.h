/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers the unit tests share. Include after <cmocka.h>. Everything is
 * static inline so a test that uses only some of it still builds warning-free.
 */
#ifndef SEAVMM_UNIT_UTIL_H
#define SEAVMM_UNIT_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../vmm/cli/opts.h"
#include "ras.h"

/* A scratch directory per test binary: unit_tmpdir_make("test_x") in setup. */
static inline int unit_tmpdir_make(char *dir, size_t len, const char *name)
{
	snprintf(dir, len, "/tmp/%s.XXXXXX", name);
	return mkdtemp(dir) ? 0 : -1;
}

static inline int unit_tmpdir_remove(const char *dir)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd);
}

/* seavmm run's parser over a NULL-terminated list of arguments. */
static inline int unit_run_parse(struct run_opts *o, char *err, size_t len, const char **args)
{
	char *argv[160];
	int argc = 0;

	argv[argc++] = (char *)"run";
	for (; args[argc - 1] && argc < 160; argc++)
		argv[argc] = (char *)args[argc - 1];
	return run_opts_parse(argc, argv, o, err, len);
}

#define PARSE(...) unit_run_parse(&o, err, sizeof(err), (const char *[]){ __VA_ARGS__, NULL })

/* A page record with every field at an extreme, for ledger round trips. */
static inline struct ras_page unit_sample_page(uint64_t gpa, bool gva)
{
	return (struct ras_page){
		.gpa = gpa,
		.first_ns = 17,
		.last_ns = UINT64_MAX,
		.gva = gva ? 0xffff800012345678ULL : 0,
		.esr = 0x92000410,
		.count = UINT32_MAX,
		.vcpu = 65535,
		.flags = (uint8_t)(RAS_SRC_DEVICE | RAS_PG_RETIRED | (gva ? RAS_PG_GVA_VALID : 0) |
				   (RAS_ESC_STOP << RAS_PG_ESC_SHIFT)),
		.poison = RAS_PZ_FRESH | RAS_PZ_HWPOISON | RAS_PZ_TOLD,
		.guest_errno = 255,
	};
}

static inline void unit_assert_page_equal(const struct ras_page *a, const struct ras_page *b)
{
	assert_int_equal(a->gpa, b->gpa);
	assert_int_equal(a->first_ns, b->first_ns);
	assert_int_equal(a->last_ns, b->last_ns);
	assert_int_equal(a->gva, b->gva);
	assert_int_equal(a->esr, b->esr);
	assert_int_equal(a->count, b->count);
	assert_int_equal(a->vcpu, b->vcpu);
	assert_int_equal(a->poison, b->poison);
	assert_int_equal(a->guest_errno, b->guest_errno);
	assert_int_equal(a->flags, b->flags);
}

/* Field by field: padding bytes are unspecified. */
static inline void unit_assert_policy_equal(const struct ras_policy *a, const struct ras_policy *b)
{
	assert_int_equal(a->user, b->user);
	assert_int_equal(a->kernel, b->kernel);
	assert_int_equal(a->uc, b->uc);
	assert_int_equal(a->walk, b->walk);
	assert_int_equal(a->invalid, b->invalid);
	assert_int_equal(a->threshold, b->threshold);
	assert_int_equal(a->window_ns, b->window_ns);
	assert_int_equal(a->on_threshold, b->on_threshold);
	assert_int_equal(a->storm, b->storm);
	assert_int_equal(a->storm_rate, b->storm_rate);
	assert_int_equal(a->on_storm, b->on_storm);
	assert_int_equal(a->quarantine, b->quarantine);
	assert_int_equal(a->poison_keep, b->poison_keep);
	assert_int_equal(a->inject_path, b->inject_path);
	assert_int_equal(a->liveness, b->liveness);
	assert_int_equal(a->liveness_timeout_ns, b->liveness_timeout_ns);
}

#endif
