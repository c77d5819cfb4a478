// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: arbitrary policy files, exits and ledger text through
 * parse, decode, decide, record and ledger, checking the promises of
 * include/ras.h on the way. Input is text so the seed corpus stays readable:
 *   P<policy file>                 a policy file
 *   L<ledger text>                 a ledger to load
 *   E lines "flags esr gva gpa pstate pc source wall" in hex, then events
 * A leading 'P' section may be followed by "\n%%\n" and E lines.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arm64_esr.h"
#include "fuzz_util.h"
#include "ras.h"

static void check_policy_round_trip(const struct ras_policy *p)
{
	struct ras_policy q;
	char buf[1024], err[256];
	int n = ras_policy_format(p, buf, sizeof(buf));

	CHECK(n > 0);
	ras_policy_default(&q);
	CHECK(ras_policy_parse(&q, buf, (size_t)n, err, sizeof(err)) == 0);
	CHECK(q.user == p->user && q.kernel == p->kernel && q.uc == p->uc && q.walk == p->walk &&
	      q.invalid == p->invalid && q.threshold == p->threshold &&
	      q.window_ns == p->window_ns && q.on_threshold == p->on_threshold &&
	      q.storm == p->storm && q.on_storm == p->on_storm && q.quarantine == p->quarantine);
}

static void check_decision(const struct ras_event *ev, const struct ras_decision *d)
{
	const struct ras_inject *in = &d->inject;

	CHECK(d->reason[0] && memchr(d->reason, '\0', sizeof(d->reason)));
	if (ev->has_esr && !ev->esr.valid)
		CHECK(!in->pending && !d->quarantine && d->escalate != RAS_ESC_NONE);
	if (d->quarantine)
		CHECK(ev->gpa_valid && d->quarantine_gpa == ev->gpa && !(ev->gpa & 0xfff));
	if (!in->pending)
		return;
	CHECK(d->escalate == RAS_ESC_NONE && ev->source != RAS_SRC_SIGBUS_AO);
	CHECK(ev->el == 0 || (ev->el == 1 && !ev->aarch32));
	CHECK(in->ec == ESR_EC(in->esr));
	CHECK(in->ec == (in->instruction ? 0x20 : 0x24) + ev->el);
	CHECK(!(in->esr & ~ESR_KVM_SEA_KEEP));
	CHECK(in->iss == (in->esr & ESR_ISS_MASK));
	CHECK(!(in->esr & ESR_FNV) || in->far == 0);
	CHECK(!in->instruction || !(in->esr & (ESR_CM | ESR_WNR)));
	CHECK(in->vector == 0 || in->vector == 0x200 || in->vector == 0x400 || in->vector == 0x600);
	if (in->kvm_ext_dabt_exact)
		CHECK((in->iss & 0xffff) == 0x10 && !in->instruction);
}

static void check_record(const struct ras_event *ev, const struct ras_decision *d)
{
	char buf[2048];
	int n = ras_record_format(ev, d, "fuzz\"vm", buf, sizeof(buf));

	CHECK(n > 0 && buf[n - 1] == '\n' && (size_t)n == strlen(buf));
	for (int i = 0; i < n - 1; i++)
		CHECK((unsigned char)buf[i] >= 0x20 && (unsigned char)buf[i] < 0x7f);
	CHECK(ras_record_format(ev, d, "fuzz\"vm", buf, (size_t)n) == -28);
}

static void check_ledger_line(const struct ras_page *pg)
{
	char line[RAS_LEDGER_LINE_MAX];
	struct ras_page r;
	int n = ras_ledger_format(pg, line, sizeof(line));

	CHECK(n > 0);
	CHECK(ras_ledger_parse_line(line, (size_t)n - 1, &r) == 0);
	CHECK(r.gpa == pg->gpa && r.first_ns == pg->first_ns && r.last_ns == pg->last_ns &&
	      r.count == pg->count && r.esr == pg->esr && r.vcpu == pg->vcpu &&
	      r.flags == pg->flags && (!(pg->flags & RAS_PG_GVA_VALID) || r.gva == pg->gva));
}

static void run_events(const struct ras_policy *p, const char *text, size_t len)
{
	struct ras_tracker t;
	char line[256];

	if (ras_tracker_init(&t, 16))
		abort();
	for (size_t pos = 0; pos < len;) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t n = (nl ? (size_t)(nl - text) : len) - pos;
		unsigned long long v[8] = { 0 };

		if (n < sizeof(line)) {
			memcpy(line, text + pos, n);
			line[n] = '\0';
			sscanf(line, "%llx %llx %llx %llx %llx %llx %llx %llx", &v[0], &v[1], &v[2],
			       &v[3], &v[4], &v[5], &v[6], &v[7]);
			struct seavmm_arm_sea sea = { v[0], v[1], v[2], v[3] };
			struct ras_vcpu_ctx ctx = { (uint32_t)(v[6] >> 8), v[4], v[5], v[7], v[7] };
			struct ras_event ev;
			struct ras_decision d;

			if ((v[6] & 3) == RAS_SRC_SEA_EXIT)
				ras_event_from_exit(&ev, &sea, &ctx);
			else
				ras_event_from_host(&ev, (enum ras_source)(v[6] & 3), v[0] & 1,
						    v[3], &ctx);
			ras_decide(p, &t, &ev, &d);
			check_decision(&ev, &d);
			check_record(&ev, &d);
			if (ev.gpa_valid && ras_tracker_lookup(&t, ev.gpa))
				check_ledger_line(ras_tracker_lookup(&t, ev.gpa));
		}
		pos += n + 1;
	}
	CHECK(ras_tracker_count_window(&t, UINT64_MAX, UINT64_MAX, UINT32_MAX) == t.n);
	ras_tracker_free(&t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct ras_policy p;
	char err[256], warn[256];

	ras_policy_default(&p);
	if (!size)
		return 0;
	if (text[0] == 'L') {
		struct ras_tracker t;

		if (ras_tracker_init(&t, 64))
			abort();
		long good = ras_ledger_load_buf(&t, text + 1, size - 1, warn, sizeof(warn));

		CHECK(good >= 0 && (size_t)good <= size - 1);
		CHECK(t.n <= 32); /* history fills at most half the tracker */
		ras_tracker_free(&t);
		return 0;
	}
	if (text[0] == 'P') {
		const char *sep = memmem(text, size, "\n%%\n", 4);
		size_t plen = sep ? (size_t)(sep - text) - 1 : size - 1;

		if (ras_policy_parse(&p, text + 1, plen, err, sizeof(err))) {
			CHECK(!strncmp(err, "policy:", 7));
			return 0;
		}
		check_policy_round_trip(&p);
		if (!sep)
			return 0;
		text = sep + 4;
		size = size - (size_t)(sep + 4 - (const char *)data);
	}
	run_events(&p, text, size);
	return 0;
}
