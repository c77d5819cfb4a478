// SPDX-License-Identifier: GPL-2.0-only
/* The policy file and flag parser: every key, and every kind of bad input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ras.h"
#include "unit_util.h"

#define S_NS 1000000000ULL

static int parse(struct ras_policy *p, const char *text, char *err, size_t errlen)
{
	ras_policy_default(p);
	return ras_policy_parse(p, text, strlen(text), err, errlen);
}

static void test_defaults(void **state)
{
	struct ras_policy p;
	char buf[512];

	(void)state;
	ras_policy_default(&p);
	assert_int_equal(p.user, RAS_ACT_INJECT);
	assert_int_equal(p.kernel, RAS_ACT_RESTART);
	assert_int_equal(p.uc, RAS_ACT_STOP);
	assert_int_equal(p.walk, RAS_ACT_RESTART);
	assert_int_equal(p.invalid, RAS_ACT_STOP);
	assert_int_equal(p.threshold, 8);
	assert_int_equal(p.window_ns, 86400 * S_NS);
	assert_int_equal(p.on_threshold, RAS_ACT_RESTART);
	assert_int_equal(p.storm, 3);
	assert_int_equal(p.on_storm, RAS_ACT_RESTART);
	assert_int_equal(p.storm_rate, 20);
	assert_true(p.quarantine);
	assert_true(p.poison_keep);
	assert_int_equal(p.inject_path, RAS_INJECT_AUTO);
	int n = ras_policy_format(&p, buf, sizeof(buf));

	assert_int_equal(n, strlen(buf));
	assert_string_equal(
		buf, "user=inject\nkernel=restart\nuc=stop\nwalk=restart\n"
		     "invalid=stop\nthreshold=8\nwindow=86400s\non_threshold=restart\n"
		     "storm=3\nstorm_rate=20\non_storm=restart\nquarantine=yes\n"
		     "poison=keep\ninject_path=auto\nliveness=restart\nliveness_timeout=30s\n");
	assert_int_equal(ras_policy_format(&p, buf, 10), -28);
}

static void test_parse_file(void **state)
{
	static const char text[] = "# seavmm RAS policy\n"
				   "\n"
				   "kernel = stop   # a guest kernel error ends the VM\n"
				   "user=restart\r\n"
				   "\tuc=restart\n"
				   "walk=inject\n"
				   "invalid=restart\n"
				   "threshold=100\n"
				   "window=90m\n"
				   "on_threshold=stop\n"
				   "storm=254\n"
				   "storm_rate=5\n"
				   "on_storm=stop\n"
				   "quarantine=no\n"
				   "poison=fresh\n"
				   "inject_path=entry";
	struct ras_policy p, q;
	char err[256] = "", buf[512];

	(void)state;
	assert_int_equal(parse(&p, text, err, sizeof(err)), 0);
	assert_int_equal(p.kernel, RAS_ACT_STOP);
	assert_int_equal(p.user, RAS_ACT_RESTART);
	assert_int_equal(p.uc, RAS_ACT_RESTART);
	assert_int_equal(p.walk, RAS_ACT_INJECT);
	assert_int_equal(p.invalid, RAS_ACT_RESTART);
	assert_int_equal(p.threshold, 100);
	assert_int_equal(p.window_ns, 90 * 60 * S_NS);
	assert_int_equal(p.on_threshold, RAS_ACT_STOP);
	assert_int_equal(p.storm, 254);
	assert_int_equal(p.storm_rate, 5);
	assert_int_equal(p.on_storm, RAS_ACT_STOP);
	assert_false(p.quarantine);
	assert_false(p.poison_keep);
	assert_int_equal(p.inject_path, RAS_INJECT_ENTRY);
	/* format then parse gives the same policy */
	assert_true(ras_policy_format(&p, buf, sizeof(buf)) > 0);
	assert_int_equal(parse(&q, buf, err, sizeof(err)), 0);
	unit_assert_policy_equal(&p, &q);
	/* empty text: defaults */
	assert_int_equal(parse(&p, "", err, sizeof(err)), 0);
	ras_policy_default(&q);
	unit_assert_policy_equal(&p, &q);
}

static void test_durations(void **state)
{
	static const struct {
		const char *v;
		uint64_t s;
	} ok[] = {
		{ "1", 1 },
		{ "30s", 30 },
		{ "2m", 120 },
		{ "24h", 86400 },
		{ "7d", 604800 },
		{ "3650d", 3650ULL * 86400 },
		{ "315360000", 315360000 },
	};
	static const char *const bad[] = { "0",	   "0h",    "h",	 "1x",
					   "1hh",  "-1",    "+1",	 " 1",
					   "1.5h", "3651d", "315360001", "99999999999999999999" };
	struct ras_policy p;
	char err[256];

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		ras_policy_default(&p);
		assert_int_equal(ras_policy_set(&p, "window", ok[i].v, err, sizeof(err)), 0);
		assert_int_equal(p.window_ns, ok[i].s * S_NS);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(ras_policy_set(&p, "window", bad[i], err, sizeof(err)), -22);
		assert_non_null(strstr(err, "bad duration"));
	}
}

/* liveness: off, restart or stop (never inject), and its timeout. */
static void test_liveness(void **state)
{
	struct ras_policy p, q;
	char err[256], buf[512];

	(void)state;
	assert_int_equal(parse(&p, "liveness=off\nliveness_timeout=5s\n", err, sizeof(err)), 0);
	assert_int_equal(p.liveness, RAS_ACT_OFF);
	assert_int_equal(p.liveness_timeout_ns, 5 * S_NS);
	assert_true(ras_policy_format(&p, buf, sizeof(buf)) > 0);
	assert_non_null(strstr(buf, "liveness=off\nliveness_timeout=5s\n"));
	assert_int_equal(parse(&q, buf, err, sizeof(err)), 0);
	unit_assert_policy_equal(&p, &q);
	assert_int_equal(parse(&p, "liveness=stop", err, sizeof(err)), 0);
	assert_int_equal(p.liveness, RAS_ACT_STOP);
	assert_int_equal(parse(&p, "liveness=inject", err, sizeof(err)), -22);
	assert_string_equal(err, "policy:1: bad value 'inject' for liveness; use one of "
				 "restart|stop|off");
	assert_int_equal(parse(&p, "liveness_timeout=0", err, sizeof(err)), -22);
	assert_non_null(strstr(err, "bad duration '0' for liveness_timeout"));
	/* off is for liveness alone */
	assert_int_equal(parse(&p, "kernel=off", err, sizeof(err)), -22);
	assert_string_equal(err, "policy:1: bad value 'off' for kernel; use one of "
				 "inject|restart|stop");
	assert_int_equal(parse(&p, "on_storm=off", err, sizeof(err)), -22);
}

struct bad_case {
	const char *text;
	const char *msg; /* the full error */
};

static const struct bad_case bad_cases[] = {
	{ "colour=blue", "policy:1: unknown key 'colour'; known keys: user, kernel, uc, walk, "
			 "invalid, threshold, window, on_threshold, storm, storm_rate, on_storm, "
			 "quarantine, poison, inject_path, liveness, liveness_timeout" },
	{ "\n\nthreshold=eight", "policy:3: bad number 'eight' for threshold; use an integer "
				 "from 0 to 1000000" },
	{ "threshold=-1",
	  "policy:1: bad number '-1' for threshold; use an integer from 0 to 1000000" },
	{ "threshold=1000001",
	  "policy:1: bad number '1000001' for threshold; use an integer from 0 to 1000000" },
	{ "threshold=4294967296", "policy:1: bad number '4294967296' for threshold; use an integer "
				  "from 0 to 1000000" },
	{ "threshold=8 9", "policy:1: bad number '8 9' for threshold; use an integer from 0 to "
			   "1000000" },
	{ "storm=0", "policy:1: bad number '0' for storm; use an integer from 1 to 254" },
	/* 255 would turn the rule off: the streak counter saturates there */
	{ "storm=255", "policy:1: bad number '255' for storm; use an integer from 1 to 254" },
	{ "storm_rate=0", "policy:1: bad number '0' for storm_rate; use an integer from 1 to 254" },
	{ "poison=yes", "policy:1: bad value 'yes' for poison; use keep or fresh" },
	{ "kernel=panic",
	  "policy:1: bad value 'panic' for kernel; use one of inject|restart|stop" },
	{ "uc=inject", "policy:1: bad value 'inject' for uc; use one of restart|stop" },
	{ "invalid=inject", "policy:1: bad value 'inject' for invalid; use one of restart|stop" },
	{ "on_threshold=inject", "policy:1: bad value 'inject' for on_threshold; use one of "
				 "restart|stop" },
	{ "on_storm=Stop", "policy:1: bad value 'Stop' for on_storm; use one of restart|stop" },
	{ "walk=", "policy:1: empty value; write key=value" },
	{ "=stop", "policy:1: empty key; write key=value" },
	{ "# ok\nkernel stop", "policy:2: missing '=' in 'kernel stop'; write key=value" },
	{ "quarantine=maybe", "policy:1: bad value 'maybe' for quarantine; use yes or no" },
	{ "inject_path=kvm",
	  "policy:1: bad value 'kvm' for inject_path; use one of auto|events|entry" },
	{ "inject_path=Events",
	  "policy:1: bad value 'Events' for inject_path; use one of auto|events|entry" },
	{ "window=1y", "policy:1: bad duration '1y' for window; use a number with s, m, h or d "
		       "(1s to 3650d)" },
	{ "kernel=stop\nkernel=restart", "policy:2: 'kernel' set twice; keep one" },
	{ "KERNEL=stop", "policy:1: unknown key 'KERNEL'; known keys: user, kernel, uc, walk, "
			 "invalid, threshold, window, on_threshold, storm, storm_rate, on_storm, "
			 "quarantine, poison, inject_path, liveness, liveness_timeout" },
};

static void test_malformed(void **state)
{
	struct ras_policy p, before;
	char err[512];

	(void)state;
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		ras_policy_default(&before);
		print_message("%s\n", bad_cases[i].text);
		assert_int_equal(parse(&p, bad_cases[i].text, err, sizeof(err)), -22);
		assert_string_equal(err, bad_cases[i].msg);
		/* nothing applied, not even the lines before the bad one */
		unit_assert_policy_equal(&p, &before);
	}
}

static void test_malformed_bytes(void **state)
{
	static const char nul[] = "kernel=stop\nuser=in\0ject\n";
	char longline[400], err[256];
	struct ras_policy p;

	(void)state;
	ras_policy_default(&p);
	assert_int_equal(ras_policy_parse(&p, nul, sizeof(nul) - 1, err, sizeof(err)), -22);
	assert_string_equal(err, "policy:2: NUL byte; a policy file is plain text");
	memset(longline, ' ', sizeof(longline));
	memcpy(longline + 300, "kernel=stop", 12);
	assert_int_equal(parse(&p, longline, err, sizeof(err)), -22);
	assert_string_equal(err, "policy:1: line too long; keep lines under 256 bytes");
	/* a small error buffer truncates, never overflows */
	assert_int_equal(parse(&p, "colour=blue", err, 12), -22);
	assert_string_equal(err, "policy:1: u");
}

static void test_flags(void **state)
{
	struct ras_policy p;
	char err[256], big[300];

	(void)state;
	ras_policy_default(&p);
	assert_int_equal(ras_policy_set_kv(&p, "kernel=stop", err, sizeof(err)), 0);
	assert_int_equal(p.kernel, RAS_ACT_STOP);
	assert_int_equal(ras_policy_set_kv(&p, " threshold = 3 ", err, sizeof(err)), 0);
	assert_int_equal(p.threshold, 3);
	assert_int_equal(ras_policy_set_kv(&p, "kernel", err, sizeof(err)), -22);
	assert_string_equal(err, "missing '=' in 'kernel'; write key=value");
	assert_int_equal(ras_policy_set(&p, "uc", "restart", err, sizeof(err)), 0);
	assert_int_equal(p.uc, RAS_ACT_RESTART);
	assert_int_equal(ras_policy_set(&p, "nope", "1", err, sizeof(err)), -22);
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(ras_policy_set_kv(&p, big, err, sizeof(err)), -22);
	assert_non_null(strstr(err, "too long"));
	/* flags set the same key a file did: the flag wins, no duplicate error */
	assert_int_equal(parse(&p, "kernel=restart", err, sizeof(err)), 0);
	assert_int_equal(ras_policy_set_kv(&p, "kernel=stop", err, sizeof(err)), 0);
	assert_int_equal(p.kernel, RAS_ACT_STOP);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),  cmocka_unit_test(test_parse_file),
		cmocka_unit_test(test_durations), cmocka_unit_test(test_liveness),
		cmocka_unit_test(test_malformed), cmocka_unit_test(test_malformed_bytes),
		cmocka_unit_test(test_flags),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
