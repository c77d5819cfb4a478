// SPDX-License-Identifier: GPL-2.0-only
/* seavmm run's SEA policy from --ras-policy and --ras: order, and every error line. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../vmm/cli/opts.h"
#include "../../vmm/cli/ras_config.h"
#include "unit_util.h"

static char tmpdir[64];

static int setup(void **state)
{
	(void)state;
	return unit_tmpdir_make(tmpdir, sizeof(tmpdir), "test_vmm_ras_config");
}

static int teardown(void **state)
{
	(void)state;
	return unit_tmpdir_remove(tmpdir);
}

/* Writes text to tmpdir/name and returns the path (static storage). */
static const char *write_file(const char *name, const char *text, size_t len)
{
	static char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	return path;
}

static void test_defaults_without_flags(void **state)
{
	struct ras_policy p, def;
	struct run_opts o;
	char err[512];

	(void)state;
	assert_int_equal(PARSE("-k", "Image"), RUN_OPTS_OK);
	assert_null(o.ras_policy);
	assert_int_equal(o.n_ras, 0);
	assert_int_equal(ras_config_load(&o, &p, err, sizeof(err)), 0);
	ras_policy_default(&def);
	unit_assert_policy_equal(&p, &def);
}

static void test_file_then_flags_in_order(void **state)
{
	static const char text[] = "# site policy\nkernel = restart\nthreshold = 16\nwindow=12h\n";
	const char *path = write_file("site.policy", text, sizeof(text) - 1);
	struct ras_policy p;
	struct run_opts o;
	char err[512];

	(void)state;
	/* The flags come before the file on the command line and still win. */
	assert_int_equal(PARSE("--ras", "kernel=stop", "--ras=threshold=4", "--ras-policy", path,
			       "--ras", "threshold=5", "-k", "Image"),
			 RUN_OPTS_OK);
	assert_string_equal(o.ras_policy, path);
	assert_int_equal(o.n_ras, 3);
	assert_int_equal(ras_config_load(&o, &p, err, sizeof(err)), 0);
	assert_int_equal(p.kernel, RAS_ACT_STOP);
	assert_int_equal(p.threshold, 5); /* the last flag for a key wins */
	assert_true(p.window_ns == 12ULL * 3600 * 1000000000ULL);
	assert_int_equal(p.user, RAS_ACT_INJECT); /* untouched keys keep the default */
}

static void test_bad_file_line_names_file_and_line(void **state)
{
	static const char text[] = "uc = stop\n\nkernel = panic\n";
	const char *path = write_file("bad.policy", text, sizeof(text) - 1);
	struct ras_policy p;
	struct run_opts o;
	char err[512], want[600];

	(void)state;
	assert_int_equal(PARSE("-k", "Image", "--ras-policy", path), RUN_OPTS_OK);
	assert_int_equal(ras_config_load(&o, &p, err, sizeof(err)), -EINVAL);
	snprintf(want, sizeof(want),
		 "%s:3: bad value 'panic' for kernel; use one of inject|restart|stop", path);
	assert_string_equal(err, want);
}

static void test_bad_flag(void **state)
{
	struct ras_policy p;
	struct run_opts o;
	char err[512];

	(void)state;
	assert_int_equal(PARSE("-k", "Image", "--ras", "uc=inject"), RUN_OPTS_OK);
	assert_int_equal(ras_config_load(&o, &p, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "--ras uc=inject: bad value 'inject' for uc; use one of "
				 "restart|stop");
	assert_int_equal(PARSE("-k", "Image", "--ras", "kernel"), RUN_OPTS_OK);
	assert_int_equal(ras_config_load(&o, &p, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "--ras kernel: missing '=' in 'kernel'; write key=value");
}

static void test_unreadable_and_oversized_files(void **state)
{
	struct ras_policy p;
	struct run_opts o;
	char err[512], want[600], *big;
	const char *path;

	(void)state;
	assert_int_equal(PARSE("-k", "Image", "--ras-policy", "/nonexistent/ras.policy"),
			 RUN_OPTS_OK);
	assert_int_equal(ras_config_load(&o, &p, err, sizeof(err)), -ENOENT);
	assert_string_equal(err, "--ras-policy /nonexistent/ras.policy: No such file or "
				 "directory; give a readable policy file");

	assert_int_equal(PARSE("-k", "Image", "--ras-policy", tmpdir), RUN_OPTS_OK);
	assert_int_equal(ras_config_load(&o, &p, err, sizeof(err)), -EISDIR);

	/* Exactly at the limit is read (and judged line by line); one byte more is not. */
	big = malloc(RAS_POLICY_FILE_MAX + 1);
	assert_non_null(big);
	memset(big, '\n', RAS_POLICY_FILE_MAX + 1);
	memcpy(big, "quarantine = no", 15);
	path = write_file("limit.policy", big, RAS_POLICY_FILE_MAX);
	assert_int_equal(PARSE("-k", "Image", "--ras-policy", path), RUN_OPTS_OK);
	assert_int_equal(ras_config_load(&o, &p, err, sizeof(err)), 0);
	assert_false(p.quarantine);
	path = write_file("big.policy", big, RAS_POLICY_FILE_MAX + 1);
	free(big);
	assert_int_equal(PARSE("-k", "Image", "--ras-policy", path), RUN_OPTS_OK);
	assert_int_equal(ras_config_load(&o, &p, err, sizeof(err)), -EFBIG);
	snprintf(want, sizeof(want),
		 "--ras-policy %s: larger than 64 KiB; a policy file is a few key=value lines "
		 "(docs/policy.md)",
		 path);
	assert_string_equal(err, want);
}

static void test_too_many_ras_flags(void **state)
{
	const char *args[2 * RUN_RAS_MAX + 5];
	struct run_opts o;
	char err[512];
	int n = 0;

	(void)state;
	args[n++] = "-k";
	args[n++] = "Image";
	for (int i = 0; i <= RUN_RAS_MAX; i++) {
		args[n++] = "--ras";
		args[n++] = "storm=4";
	}
	args[n] = NULL;
	assert_int_equal(unit_run_parse(&o, err, sizeof(err), args), -EINVAL);
	assert_string_equal(err,
			    "more than 64 --ras flags; put the settings in a --ras-policy file");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults_without_flags),
		cmocka_unit_test(test_file_then_flags_in_order),
		cmocka_unit_test(test_bad_file_line_names_file_and_line),
		cmocka_unit_test(test_bad_flag),
		cmocka_unit_test(test_unreadable_and_oversized_files),
		cmocka_unit_test(test_too_many_ras_flags),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
