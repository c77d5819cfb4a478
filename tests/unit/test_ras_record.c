// SPDX-License-Identifier: GPL-2.0-only
/*
 * JSON records and the poison ledger's lines (format, parse, load from text).
 * The ledger file itself is vmm/sea/ledger.c's: tests/unit/test_vmm_ledger.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "arm64_esr.h"
#include "ras.h"
#include "unit_util.h"

#define EC(x) ((uint64_t)(x) << ESR_EC_SHIFT)

static const struct ras_vcpu_ctx ctx = {
	.vcpu = 3,
	.pstate = 0x0,
	.pc = 0x400123,
	.mono_ns = 5000,
	.wall_ns = 1763895600123456789ULL, /* 2025-11-23T11:00:00.123456789Z */
};

static void test_record_sea(void **state)
{
	struct seavmm_arm_sea sea = { KVM_EXIT_ARM_SEA_FLAG_GPA_VALID,
				      EC(0x24) | ESR_IL | ESR_WNR | 0x10, 0xaaaa0010, 0x48000000 };
	struct ras_policy p;
	struct ras_tracker t;
	struct ras_event ev;
	struct ras_decision d;
	char buf[1024];
	int n;

	(void)state;
	ras_policy_default(&p);
	assert_int_equal(ras_tracker_init(&t, 8), 0);
	ras_event_from_exit(&ev, &sea, &ctx);
	ras_decide(&p, &t, &ev, &d);
	n = ras_record_format(&ev, &d, "web-1", buf, sizeof(buf));
	assert_int_equal(n, strlen(buf));
	assert_string_equal(
		buf,
		"{\"time\":\"2025-11-23T11:00:00.123456789Z\",\"mono_ns\":5000,\"vm\":\"web-1\","
		"\"vcpu\":3,\"source\":\"sea_exit\",\"el\":0,\"aarch32\":false,\"pstate\":\"0x0\","
		"\"pc\":\"0x400123\",\"esr\":{\"raw\":\"0x92000050\",\"valid\":true,"
		"\"ec\":\"0x24\",\"class\":\"dabt_low\",\"il\":true,\"fsc\":\"0x10\","
		"\"fault\":\"sea\",\"level\":null,\"set\":\"uer\",\"fnv\":false,\"ea\":false,"
		"\"cm\":false,\"wnr\":true},"
		"\"gva\":\"0xaaaa0010\",\"gpa\":\"0x48000000\",\"decision\":{\"inject\":\"data\","
		"\"inject_esr\":\"0x92000050\",\"far\":\"0xaaaa0010\",\"vector\":\"0x400\","
		"\"kvm_ext_dabt_exact\":false,\"path\":\"auto\",\"quarantine\":true,\"retire\":"
		"\"none\","
		"\"poison\":\"poisoned\",\"reaccess\":false,\"guest_informed\":true,"
		"\"escalate\":\"none\"},"
		"\"page_count\":1,\"streak\":1,\"window_pages\":1,"
		"\"reason\":\"EL0 data sea UER: inject (user=inject); page stays poisoned\"}\n");
	/* too small: -ENOSPC, and never an overflow */
	for (size_t len = 0; len < (size_t)n + 1; len += 37)
		assert_int_equal(ras_record_format(&ev, &d, "web-1", buf, len), -28);
	assert_int_equal(ras_record_format(&ev, &d, "web-1", buf, (size_t)n), -28);
	assert_int_equal(ras_record_format(&ev, &d, "web-1", buf, (size_t)n + 1), n);
	/* The path vmm/ resolved is the one the record names. */
	d.inject.path = RAS_INJECT_EVENTS;
	assert_true(ras_record_format(&ev, &d, "web-1", buf, sizeof(buf)) > 0);
	assert_non_null(strstr(buf, ",\"path\":\"events\","));
	d.inject.path = RAS_INJECT_ENTRY;
	assert_true(ras_record_format(&ev, &d, "web-1", buf, sizeof(buf)) > 0);
	assert_non_null(strstr(buf, ",\"path\":\"entry\","));
	ras_tracker_free(&t);
}

static void test_record_invalid_and_escaping(void **state)
{
	struct seavmm_arm_sea sea = { 0, EC(0x15) | ESR_ISV, 0, 0 };
	struct ras_vcpu_ctx c = ctx;
	struct ras_policy p;
	struct ras_tracker t;
	struct ras_event ev;
	struct ras_decision d;
	char buf[1024];

	(void)state;
	c.pstate = 0x9; /* EL2: not a guest EL */
	ras_policy_default(&p);
	assert_int_equal(ras_tracker_init(&t, 8), 0);
	ras_event_from_exit(&ev, &sea, &c);
	ras_decide(&p, &t, &ev, &d);
	assert_true(ras_record_format(&ev, &d, "a\"b\\c\n\x01\xc3", buf, sizeof(buf)) > 0);
	assert_non_null(strstr(buf, "\"vm\":\"a\\\"b\\\\c\\u000a\\u0001\\u00c3\""));
	assert_non_null(strstr(buf, "\"el\":null"));
	assert_non_null(strstr(buf, "\"esr\":{\"raw\":\"0x55000000\",\"valid\":false,"
				    "\"invalid\":\"EC is not an instruction or data abort\"}"));
	assert_non_null(strstr(buf, "\"decision\":{\"inject\":\"none\",\"quarantine\":false,"
				    "\"retire\":\"none\",\"poison\":\"none\",\"reaccess\":false,"
				    "\"guest_informed\":false,\"escalate\":\"stop\"}"));
	assert_null(strstr(buf, "\"gva\""));
	assert_null(strstr(buf, "\"page_count\""));
	/* a SIGBUS event has no ESR */
	ras_event_from_host(&ev, RAS_SRC_SIGBUS_AO, true, 0x1000, &ctx);
	ras_decide(&p, &t, &ev, &d);
	assert_true(ras_record_format(&ev, &d, NULL, buf, sizeof(buf)) > 0);
	assert_non_null(strstr(buf, "\"vm\":\"\""));
	assert_non_null(strstr(buf, "\"source\":\"sigbus_ao\""));
	assert_non_null(strstr(buf, "\"esr\":null,\"gpa\":\"0x1000\""));
	ras_tracker_free(&t);
}

static void test_ledger_line(void **state)
{
	struct ras_page a = unit_sample_page(0xfffffffffffff000ULL, true),
			b = unit_sample_page(0, false), r;
	char line[RAS_LEDGER_LINE_MAX];
	int n;

	(void)state;
	a.gva = 0; /* a valid GVA of 0 must survive */
	n = ras_ledger_format(&a, line, sizeof(line));
	assert_true(n > 0 && line[n - 1] == '\n');
	assert_int_equal(ras_ledger_parse_line(line, (size_t)n - 1, &r), 0);
	unit_assert_page_equal(&r, &a);
	n = ras_ledger_format(&b, line, sizeof(line));
	assert_string_equal(line, "v2 gpa=0x0 first=17 last=18446744073709551615 count=4294967295 "
				  "esr=0x92000410 gva=- vcpu=65535 flags=0xa4 poison=0x2c gerr=255 "
				  "sum=68bffe00\n");
	assert_int_equal(ras_ledger_parse_line(line, (size_t)n - 1, &r), 0);
	unit_assert_page_equal(&r, &b);
	/* A v1 line (before virtual poison) still loads, its flags laid out anew. */
	static const char v1[] = "v1 gpa=0x0 first=17 last=18446744073709551615 count=4294967295 "
				 "esr=0x92000410 gva=- vcpu=65535 flags=0x53 sum=4243e65d";
	assert_int_equal(ras_ledger_parse_line(v1, sizeof(v1) - 1, &r), 0);
	assert_int_equal(r.flags,
			 RAS_SRC_POISONED | RAS_PG_RETIRED | (RAS_ESC_STOP << RAS_PG_ESC_SHIFT));
	assert_int_equal(r.poison, 0);
	assert_int_equal(ras_ledger_format(&b, line, 40), -28);
	/* every single-byte corruption and every truncation is caught */
	for (int i = 0; i < n - 1; i++) {
		char bad[RAS_LEDGER_LINE_MAX];

		assert_int_equal(ras_ledger_format(&b, bad, sizeof(bad)), n);
		bad[i] ^= 0x01;
		assert_int_equal(ras_ledger_parse_line(bad, (size_t)n - 1, &r), -74);
		assert_int_equal(ras_ledger_parse_line(line, (size_t)i, &r), -74);
	}
	static const char *const bad_lines[] = {
		"",
		"v1",
		"v1 gpa=0x1 first=1 last=1 count=1 esr=0x0 gva=- vcpu=0 flags=0x00 sum=00000000",
	};
	for (size_t i = 0; i < sizeof(bad_lines) / sizeof(bad_lines[0]); i++)
		assert_int_equal(ras_ledger_parse_line(bad_lines[i], strlen(bad_lines[i]), &r),
				 -74);
}

static void test_ledger_corrupt_middle(void **state)
{
	struct ras_page a = unit_sample_page(0x1000, false), b = unit_sample_page(0x2000, false);
	char text[1024], warn[256];
	struct ras_tracker t;
	size_t len = 0;

	(void)state;
	len += (size_t)ras_ledger_format(&a, text + len, sizeof(text) - len);
	len += (size_t)ras_ledger_format(&b, text + len, sizeof(text) - len);
	text[len - 10] = 'x'; /* damage line 2 */
	len += (size_t)ras_ledger_format(&b, text + len, sizeof(text) - len);
	memcpy(text + len, "garbage\n", 8);
	len += 8;
	memcpy(text + len, "v1 gpa", 6);
	len += 6;
	assert_int_equal(ras_tracker_init(&t, 4), 0);
	assert_int_equal(ras_ledger_load_buf(&t, text, len, warn, sizeof(warn)), (long)len - 6);
	assert_string_equal(warn, "ledger:5: torn last line (crash mid-write?), skipped; "
				  "ledger:2: 2 corrupt line(s) skipped, the first here");
	assert_int_equal(t.n, 2);
	/* more pages than half the tracker: the most recent kept, and said */
	ras_tracker_free(&t);
	assert_int_equal(ras_tracker_init(&t, 1), 0);
	assert_int_equal(ras_ledger_load_buf(&t, text, len, warn, sizeof(warn)), (long)len - 6);
	assert_string_equal(warn, "ledger:5: torn last line (crash mid-write?), skipped; "
				  "ledger:2: 2 corrupt line(s) skipped, the first here; "
				  "1 of 2 pages left out: kept the 1 most recent (history fills at "
				  "most half the tracker)");
	assert_int_equal(t.n, 1);
	assert_non_null(ras_tracker_lookup(&t, 0x2000)); /* equal times: the later line */
	ras_tracker_free(&t);
}

/* The record's time agrees with libc's gmtime_r (which ras/ must not call). */
static void test_record_time(void **state)
{
	struct seavmm_arm_sea sea = { 0, EC(0x24) | ESR_IL | 0x10, 0, 0 };
	uint64_t seed = 12345, when[2100];
	struct ras_vcpu_ctx c = ctx;
	struct ras_policy p;
	struct ras_tracker t;
	struct ras_decision d;
	struct ras_event ev;
	size_t n = 0;

	(void)state;
	when[n++] = 0;
	when[n++] = 951782400ULL * 1000000000ULL;      /* 2000-02-29 */
	when[n++] = 4107542400ULL * 1000000000ULL - 1; /* 2100-02-28T23:59:59.999999999 */
	when[n++] = 4107542400ULL * 1000000000ULL;     /* 2100-03-01, no 29 Feb */
	when[n++] = UINT64_MAX;			       /* 2554-07-21 */
	while (n < sizeof(when) / sizeof(when[0])) {
		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		when[n++] = seed;
	}
	ras_policy_default(&p);
	assert_int_equal(ras_tracker_init(&t, 8), 0);
	for (size_t i = 0; i < n; i++) {
		time_t sec = (time_t)(when[i] / 1000000000ULL);
		char buf[1024], want[64];
		struct tm tm;

		c.wall_ns = when[i];
		ras_event_from_exit(&ev, &sea, &c);
		ras_decide(&p, &t, &ev, &d);
		assert_true(ras_record_format(&ev, &d, "t", buf, sizeof(buf)) > 0);
		assert_non_null(gmtime_r(&sec, &tm));
		snprintf(want, sizeof(want), "{\"time\":\"%04d-%02d-%02dT%02d:%02d:%02d.%09lluZ\",",
			 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
			 tm.tm_sec, (unsigned long long)(when[i] % 1000000000ULL));
		if (strncmp(buf, want, strlen(want)))
			fail_msg("%llu: '%.48s', want '%s'", (unsigned long long)when[i], buf,
				 want);
	}
	ras_tracker_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_record_sea),
		cmocka_unit_test(test_record_time),
		cmocka_unit_test(test_record_invalid_and_escaping),
		cmocka_unit_test(test_ledger_line),
		cmocka_unit_test(test_ledger_corrupt_middle),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
