// SPDX-License-Identifier: GPL-2.0-only
/*
 * The portable parts of carrying out SEA decisions: the quarantine of a host
 * page (real mremap on this machine), the exception-entry registers of an
 * injected abort, the event line and the --ras-events file, and the flag.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../vmm/cli/opts.h"
#include "../../vmm/sea/inject.h"
#include "../../vmm/sea/quarantine.h"
#include "../../vmm/sea/sea_report.h"
#include "ras.h"
#include "unit_util.h"

static void test_quarantine_moves_page(void **state)
{
	long psz = sysconf(_SC_PAGESIZE);
	struct quarantine q;
	uint8_t *ram, *slot;

	(void)state;
	ram = mmap(NULL, 4 * psz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(ram != MAP_FAILED);
	memset(ram, 0xa5, 4 * psz);
	assert_int_equal(quarantine_init(&q, 2), 0);
	/* Any address inside the page takes the whole page. */
	assert_int_equal(quarantine_page(&q, ram + psz + 123), 0);
	assert_int_equal(q.used, 1);
	/* The guest's address reads a fresh zeroed page, and is writable. */
	assert_int_equal(ram[psz], 0);
	assert_int_equal(ram[2 * psz - 1], 0);
	ram[psz] = 1;
	/* Neighbours untouched. */
	assert_int_equal(ram[psz - 1], 0xa5);
	assert_int_equal(ram[2 * psz], 0xa5);
	/* The old page (its contents) sits in the first slot, inaccessible. */
	slot = q.base;
	assert_int_equal(mprotect(slot, psz, PROT_READ), 0);
	assert_int_equal(slot[0], 0xa5);
	assert_int_equal(quarantine_page(&q, ram), 0);
	/* Bounded: a third page does not fit. */
	assert_int_equal(quarantine_page(&q, ram + 3 * psz), -ENOSPC);
	assert_int_equal(ram[3 * psz], 0xa5);
	quarantine_free(&q);
	assert_null(q.base);
	assert_int_equal(quarantine_page(&q, ram), -ENOSPC);
	munmap(ram, 4 * psz);
}

static void test_inject_entry_from_el0(void **state)
{
	struct ras_inject in = {
		.pending = true, .ec = 0x24, .esr = 0x92000210, .far = 0xaaaa0010, .vector = 0x400
	};
	/* EL0t, NZCV set; Linux: SPAN clear, DSSBS set. */
	struct inject_regs r = { .pc = 0x400123,
				 .pstate = 0xf0000000,
				 .sctlr = 1ULL << 44,
				 .vbar = 0xffff800080010000ULL };

	(void)state;
	inject_entry_regs(&in, &r);
	assert_true(r.elr == 0x400123);
	assert_true(r.spsr == 0xf0000000);
	assert_true(r.esr == 0x92000210);
	assert_true(r.far == 0xaaaa0010);
	assert_true(r.new_pc == 0xffff800080010400ULL);
	/* EL1h, DAIF masked, PAN set (SPAN clear), SSBS from DSSBS, NZCV kept. */
	assert_true(r.new_pstate == (0xf0000000 | 0x3c5 | (1ULL << 22) | (1ULL << 12)));
}

/*
 * What KVM's own entry (enter_exception64) keeps and sets: NZCV and DIT
 * from the interrupted code, TCO when the VM has MTE; UAO, SS, IL, BTYPE
 * and the old mode cleared.
 */
static void test_inject_entry_keeps_nzcv_dit(void **state)
{
	const uint64_t nzcv = 0xaULL << 28, dit = 1ULL << 24, tco = 1ULL << 25;
	const uint64_t uao = 1ULL << 23, ss = 1ULL << 21, il = 1ULL << 20, btype = 3ULL << 10;
	struct ras_inject in = { .pending = true, .esr = 0x92000410, .vector = 0x400 };
	struct inject_regs r = { .pc = 0x1000,
				 .pstate = nzcv | dit | uao | ss | il | btype,
				 .sctlr = 1ULL << 23,
				 .vbar = 0x8000 };

	(void)state;
	inject_entry_regs(&in, &r);
	assert_true(r.spsr == r.pstate);
	assert_true(r.new_pstate == (nzcv | dit | 0x3c5));
	r.mte = true;
	inject_entry_regs(&in, &r);
	assert_true(r.new_pstate == (nzcv | dit | tco | 0x3c5));
	/* TCO itself is not carried over: set by the entry only with MTE. */
	r.mte = false;
	r.pstate = tco | 0x3c5;
	inject_entry_regs(&in, &r);
	assert_true(r.new_pstate == 0x3c5);
}

/* The events path: ext_dabt or ext_iabt with ext_abt_has_esr and the ISS only. */
static void test_inject_events_fill(void **state)
{
	struct ras_inject dabt = { .pending = true, .ec = 0x24, .iss = 0x1850, .esr = 0x92001850 };
	struct ras_inject iabt = {
		.pending = true, .instruction = true, .ec = 0x21, .iss = 0x610, .esr = 0x86000610
	};
	struct seavmm_vcpu_events_abt ev;
	const uint8_t *raw = (const uint8_t *)&ev;

	(void)state;
	memset(&ev, 0xff, sizeof(ev));
	inject_events_fill(&dabt, &ev);
	assert_int_equal(raw[2], 1); /* ext_dabt_pending */
	assert_int_equal(raw[3], 0); /* ext_iabt_pending */
	assert_int_equal(raw[4], 1); /* ext_abt_has_esr */
	assert_true(ev.exception.ext_abt_esr == 0x1850);
	/* Everything else zero: a stock kernel checks pad and reserved. */
	assert_int_equal(ev.exception.serror_pending, 0);
	assert_true(ev.exception.serror_esr == 0);
	for (size_t i = 5; i < 8; i++)
		assert_int_equal(raw[i], 0);
	for (size_t i = 24; i < sizeof(ev); i++)
		assert_int_equal(raw[i], 0);
	inject_events_fill(&iabt, &ev);
	assert_int_equal(ev.exception.ext_dabt_pending, 0);
	assert_int_equal(ev.exception.ext_iabt_pending, 1);
	assert_true(ev.exception.ext_abt_esr == 0x610);
	/* Never more than ISS[24:0], which the kernel would refuse. */
	iabt.iss = 0xffffffff;
	inject_events_fill(&iabt, &ev);
	assert_true(ev.exception.ext_abt_esr == 0x1ffffff);
}

static void test_inject_resolve(void **state)
{
	const struct inject_caps all = { .ext_iabt = true, .ras = true }, stock = { .ras = true },
				 noras = { .ext_iabt = true };
	enum ras_inject_path path;
	const char *why;

	(void)state;
	assert_int_equal(inject_resolve(RAS_INJECT_AUTO, &all, &path, &why), 0);
	assert_int_equal(path, RAS_INJECT_EVENTS);
	assert_int_equal(inject_resolve(RAS_INJECT_AUTO, &stock, &path, &why), 0);
	assert_int_equal(path, RAS_INJECT_ENTRY);
	assert_non_null(strstr(why, "KVM_CAP_ARM_INJECT_EXT_IABT"));
	assert_int_equal(inject_resolve(RAS_INJECT_AUTO, &noras, &path, &why), 0);
	assert_int_equal(path, RAS_INJECT_ENTRY);
	assert_non_null(strstr(why, "FEAT_RAS"));
	assert_int_equal(inject_resolve(RAS_INJECT_ENTRY, &all, &path, &why), 0);
	assert_int_equal(path, RAS_INJECT_ENTRY);
	assert_int_equal(inject_resolve(RAS_INJECT_EVENTS, &all, &path, &why), 0);
	assert_int_equal(path, RAS_INJECT_EVENTS);
	assert_int_equal(inject_resolve(RAS_INJECT_EVENTS, &stock, &path, &why), -EOPNOTSUPP);
	assert_int_equal(path, RAS_INJECT_ENTRY);
	assert_int_equal(inject_resolve(RAS_INJECT_EVENTS, &noras, &path, &why), -EOPNOTSUPP);
}

static void test_inject_entry_span_keeps_pan(void **state)
{
	struct ras_inject in = { .pending = true, .esr = 0x96000410, .vector = 0x200 };
	struct inject_regs r = { .pc = 0xffff000000001000ULL,
				 .pstate = 0x3c5 | (1ULL << 22),
				 .sctlr = 1ULL << 23,
				 .vbar = 0x1000 };

	(void)state;
	inject_entry_regs(&in, &r);
	assert_true(r.new_pc == 0x1200);
	assert_true(r.new_pstate == (0x3c5 | (1ULL << 22)));
	r.pstate = 0x3c5;
	inject_entry_regs(&in, &r);
	assert_true(r.new_pstate == 0x3c5);
}

/* An EL0 load that consumed a recoverable error, decided by the default policy. */
static void sample(struct ras_event *ev, struct ras_decision *d, struct ras_tracker *t)
{
	struct seavmm_arm_sea sea = {
		.flags = KVM_EXIT_ARM_SEA_FLAG_GPA_VALID,
		.esr = 0x92000210,
		.gva = 0xffffa000,
		.gpa = 0x4a3f2000,
	};
	struct ras_vcpu_ctx ctx = { .vcpu = 1, .pstate = 0, .pc = 0x400123, .wall_ns = 1 };
	struct ras_policy p;

	ras_policy_default(&p);
	assert_int_equal(ras_tracker_init(t, 8), 0);
	ras_event_from_exit(ev, &sea, &ctx);
	ras_decide(&p, t, ev, d);
}

static void test_report_line(void **state)
{
	struct ras_tracker t;
	struct ras_decision d;
	struct ras_event ev;
	char line[512];
	int n;

	(void)state;
	sample(&ev, &d, &t);
	d.retired = RAS_RT_HWPOISON; /* as vmm/sea/sea.c fills it in */
	n = sea_report_line(&ev, &d, line, sizeof(line));
	assert_true(n > 0 && (size_t)n == strlen(line));
	assert_non_null(strstr(line, "vcpu1: memory error: gpa 0x4a3f2000 gva 0xffffa000 "
				     "dabt_low sea set=uer el=0 -> inject data abort + "
				     "retire=hwpoison poison=poisoned; "));
	/* A re-access says the frame was retired already. */
	d.reaccess = true;
	sea_report_line(&ev, &d, line, sizeof(line));
	assert_non_null(strstr(line, "+ retire=already poison=poisoned; "));
	d.reaccess = false;
	assert_non_null(strstr(line, "user=inject"));
	assert_int_equal(sea_report_line(&ev, &d, line, 20), -ENOSPC);
	d.inject.pending = false;
	d.quarantine = false;
	d.escalate = RAS_ESC_STOP;
	sea_report_line(&ev, &d, line, sizeof(line));
	assert_non_null(strstr(line, "-> stop the VM; "));
	ras_tracker_free(&t);
}

static void test_events_file(void **state)
{
	char path[] = "/tmp/seavmm-test-events-XXXXXX", err[256], buf[4096];
	struct ras_tracker t;
	struct ras_decision d;
	struct ras_event ev;
	ssize_t n;
	int fd, tmp;

	(void)state;
	tmp = mkstemp(path);
	assert_true(tmp >= 0);
	close(tmp);
	sample(&ev, &d, &t);
	fd = sea_events_open(path, err, sizeof(err));
	assert_true(fd >= 0);
	assert_int_equal(sea_events_append(fd, &ev, &d, "vm1"), 0);
	assert_int_equal(sea_events_append(fd, &ev, &d, "vm1"), 0);
	close(fd);
	fd = open(path, O_RDONLY);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	unlink(path);
	assert_true(n > 0);
	buf[n] = 0;
	/* Two whole lines, each a record. */
	assert_true(buf[n - 1] == '\n');
	assert_non_null(strchr(buf, '\n'));
	assert_true(strchr(buf, '\n') + 1 < buf + n);
	assert_non_null(strstr(buf, "\"vm\":\"vm1\""));
	assert_non_null(strstr(buf, "\"gpa\":\"0x4a3f2000\""));
	assert_non_null(strstr(buf, "\"inject\":\"data\""));
	assert_non_null(strstr(buf, "\"quarantine\":true"));
	ras_tracker_free(&t);

	assert_true(sea_events_open("/nonexistent-dir/events.json", err, sizeof(err)) == -ENOENT);
	assert_string_equal(err, "--ras-events /nonexistent-dir/events.json: No such file or "
				 "directory; give a writable file path");
}

static void test_opts_ras_events(void **state)
{
	struct run_opts o;
	char err[256];

	(void)state;
	assert_int_equal(PARSE("-k", "Image", "--ras-events", "ev.json"), 0);
	assert_string_equal(o.ras_events, "ev.json");
	assert_int_equal(PARSE("-k", "Image", "--ras-events=ev2.json"), 0);
	assert_string_equal(o.ras_events, "ev2.json");
	assert_int_equal(PARSE("-k", "Image", "--ras-events"), -EINVAL);
	assert_non_null(strstr(err, "needs a value"));
	assert_int_equal(PARSE("-k", "Image"), 0);
	assert_null(o.ras_events);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quarantine_moves_page),
		cmocka_unit_test(test_inject_entry_from_el0),
		cmocka_unit_test(test_inject_entry_span_keeps_pan),
		cmocka_unit_test(test_inject_entry_keeps_nzcv_dit),
		cmocka_unit_test(test_inject_events_fill),
		cmocka_unit_test(test_inject_resolve),
		cmocka_unit_test(test_report_line),
		cmocka_unit_test(test_events_file),
		cmocka_unit_test(test_opts_ras_events),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
