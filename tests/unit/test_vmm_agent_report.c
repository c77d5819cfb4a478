// SPDX-License-Identifier: GPL-2.0-only
/* What seavmm says about the guest agent: the stderr line and the JSON record. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "../../vmm/agent/agent_report.h"

#define S 1000000000ULL

static const char *line(const struct agent_note *n, const char *action)
{
	static char buf[512];

	assert_true(agent_report_line(n, action, buf, sizeof(buf)) > 0);
	return buf;
}

static const char *record(const struct agent_note *n, const char *action)
{
	static char buf[AGENT_RECORD_MAX];
	int len = agent_record_format(n, 1764000000ULL * S + 5, "vm-\"1\"", action, 30 * S, buf,
				      sizeof(buf));

	assert_true(len > 0);
	assert_int_equal(len, strlen(buf));
	assert_int_equal(buf[len - 1], '\n');
	return buf;
}

static void test_session_notes(void **state)
{
	struct agent_note n = { .kind = AGENT_NOTE_CONNECTED, .version = 1 };

	(void)state;
	snprintf(n.detail, sizeof(n.detail), "seavmm-agent/1.0");
	assert_string_equal(line(&n, "restart"), "agent: seavmm-agent/1.0 connected (protocol 1)");
	assert_string_equal(record(&n, "restart"),
			    "{\"time\":\"2025-11-24T16:00:00.000000005Z\",\"vm\":\"vm-\\\"1\\\"\","
			    "\"kind\":\"agent\",\"event\":\"connected\",\"version\":1,"
			    "\"agent\":\"seavmm-agent/1.0\"}\n");
	n = (struct agent_note){ .kind = AGENT_NOTE_DISCONNECTED, .count = 2 };
	assert_string_equal(line(&n, "restart"),
			    "agent: the guest agent disconnected with 2 page(s) unanswered; they "
			    "are told again when it reconnects");
	assert_non_null(
		strstr(record(&n, "restart"), "\"event\":\"disconnected\",\"unanswered\":2}"));
	n.count = 0;
	assert_string_equal(line(&n, "restart"), "agent: the guest agent disconnected");
	n = (struct agent_note){ .kind = AGENT_NOTE_LIVENESS, .idle_ns = 31 * S + 250000000 };
	assert_string_equal(line(&n, "restart"),
			    "agent: no word from the guest agent for 31.2 s after a memory error: "
			    "restarting the guest (liveness=restart)");
	assert_string_equal(line(&n, "stop"),
			    "agent: no word from the guest agent for 31.2 s after a memory error: "
			    "stopping the guest (liveness=stop)");
	assert_non_null(strstr(record(&n, "stop"), "\"event\":\"liveness\",\"idle_ms\":31250,"
						   "\"timeout_ms\":30000,\"escalate\":\"stop\"}"));
}

static void test_violation_notes(void **state)
{
	struct agent_note n = { .kind = AGENT_NOTE_UNSOLICITED, .count = 1, .gpa = 0x40001000 };

	(void)state;
	snprintf(n.detail, sizeof(n.detail), "OFFLINED 0x40001000 9 0");
	assert_string_equal(
		line(&n, "restart"),
		"agent: ignored a line from the guest agent (unsolicited: an answer for "
		"a page it was not told about) (gpa 0x40001000): "
		"'OFFLINED 0x40001000 9 0'");
	assert_non_null(strstr(record(&n, "restart"),
			       "\"event\":\"unsolicited\",\"count\":1,\"gpa\":\"0x40001000\","
			       "\"line\":\"OFFLINED 0x40001000 9 0\",\"reason\":\"an answer for a "
			       "page it was not told about\"}"));
	/* What the agent sent is quoted and escaped, never trusted as text. */
	n = (struct agent_note){ .kind = AGENT_NOTE_GARBAGE, .count = 1 };
	snprintf(n.detail, sizeof(n.detail), "say \"hi\" \\ %s", "x");
	assert_non_null(strstr(record(&n, "restart"), "\"line\":\"say \\\"hi\\\" \\\\ x\""));
	memset(n.detail, 'A', AGENT_LINE_MAX - 1);
	n.detail[AGENT_LINE_MAX - 1] = '\0';
	assert_non_null(strstr(line(&n, "restart"), "AAAA'...")); /* cut at 80 */
	assert_true(strlen(record(&n, "restart")) < AGENT_RECORD_MAX);
	/* A bad line with nothing printable before its bad byte is still one line. */
	n.detail[0] = '\0';
	assert_string_equal(
		line(&n, "restart"),
		"agent: ignored a line from the guest agent (garbage: not a message): ''");
	/* The summary after the period has no line. */
	n = (struct agent_note){ .kind = AGENT_NOTE_FLOOD, .count = 5904, .summary = true };
	assert_string_equal(
		line(&n, "restart"),
		"agent: ignored 5904 more line(s) from the guest agent in the last 10 s "
		"(flood: over the limit of lines a second)");
	assert_non_null(strstr(record(&n, "restart"),
			       "\"event\":\"flood\",\"count\":5904,\"reason\":\"over the limit of "
			       "lines a second\"}"));
	/* A summary of claims names no page: they were for different ones. */
	n = (struct agent_note){ .kind = AGENT_NOTE_UNSOLICITED, .count = 2, .summary = true };
	assert_null(strstr(record(&n, "restart"), "\"gpa\""));
	/* Too small a buffer is an error, never a cut record. */
	char small[40];
	assert_int_equal(agent_record_format(&n, 0, "vm", "restart", 0, small, sizeof(small)), -28);
	assert_int_equal(agent_report_line(&n, "restart", small, sizeof(small)), -28);
}

/* The record's time, by arithmetic: leap years, centuries, the epoch. */
static void test_record_time(void **state)
{
	static const struct {
		uint64_t s;
		const char *want;
	} cases[] = {
		{ 0, "1970-01-01T00:00:00" },	       { 951782400, "2000-02-29T00:00:00" },
		{ 951868800, "2000-03-01T00:00:00" },  { 1709164800, "2024-02-29T00:00:00" },
		{ 1735689599, "2024-12-31T23:59:59" }, { 4102444800, "2100-01-01T00:00:00" },
		{ 4107542400, "2100-03-01T00:00:00" }, { 13574606400, "2400-02-29T12:00:00" },
	};
	struct agent_note n = { .kind = AGENT_NOTE_DISCONNECTED };
	char buf[AGENT_RECORD_MAX], want[64];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_true(agent_record_format(&n, cases[i].s * S + 7, "v", "restart", 0, buf,
						sizeof(buf)) > 0);
		snprintf(want, sizeof(want), "{\"time\":\"%s.000000007Z\",", cases[i].want);
		assert_memory_equal(buf, want, strlen(want));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_session_notes),
		cmocka_unit_test(test_violation_notes),
		cmocka_unit_test(test_record_time),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
