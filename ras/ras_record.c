// SPDX-License-Identifier: GPL-2.0-only
/*
 * One JSON object per event and decision (docs/events.md). 64-bit values that
 * are addresses or registers are hex strings: jq's numbers are doubles.
 */

#include "ras.h"
#include "ras_out.h"

/* Control bytes and non-ASCII are escaped so any name stays valid JSON. */
static void ras_json_str(struct ras_out *o, const char *s)
{
	ras_out_printf(o, "\"");
	for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
		if (*c == '"' || *c == '\\')
			ras_out_printf(o, "\\%c", *c);
		else if (*c < 0x20 || *c >= 0x7f)
			ras_out_printf(o, "\\u%04x", *c);
		else
			ras_out_printf(o, "%c", *c);
	}
	ras_out_printf(o, "\"");
}

/*
 * UTC from the Unix epoch by arithmetic alone: libc's gmtime_r reads the
 * time zone files on its first call, which is I/O (and a system call the
 * vCPU thread's seccomp filter refuses) in a library that has none.
 * Days are counted in 400-year eras of 146097 days, each year starting in
 * March so that the leap day comes last.
 */
static void ras_json_time(struct ras_out *o, uint64_t wall_ns)
{
	uint64_t s = wall_ns / 1000000000ULL, z = s / 86400 + 719468;
	uint64_t era = z / 146097, doe = z % 146097;
	uint64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	uint64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
	uint64_t day = doy - (153 * mp + 2) / 5 + 1, month = mp < 10 ? mp + 3 : mp - 9;
	uint64_t year = era * 400 + yoe + (month <= 2), sod = s % 86400;

	ras_out_printf(o, "\"%04llu-%02llu-%02lluT%02llu:%02llu:%02llu.%09lluZ\"",
		       (unsigned long long)year, (unsigned long long)month, (unsigned long long)day,
		       (unsigned long long)(sod / 3600), (unsigned long long)(sod / 60 % 60),
		       (unsigned long long)(sod % 60),
		       (unsigned long long)(wall_ns % 1000000000ULL));
}

static const char *ras_bool(bool b)
{
	return b ? "true" : "false";
}

static void ras_json_esr(struct ras_out *o, const struct ras_event *ev)
{
	const struct ras_esr *e = &ev->esr;

	if (!ev->has_esr) {
		ras_out_printf(o, "null");
		return;
	}
	ras_out_printf(o, "{\"raw\":\"0x%llx\",\"valid\":%s", (unsigned long long)e->raw,
		       ras_bool(e->valid));
	if (!e->valid) {
		ras_out_printf(o, ",\"invalid\":");
		ras_json_str(o, e->invalid);
		ras_out_printf(o, "}");
		return;
	}
	ras_out_printf(o,
		       ",\"ec\":\"0x%02x\",\"class\":\"%s\",\"il\":%s,\"fsc\":\"0x%02x\","
		       "\"fault\":\"%s\",",
		       e->ec, ras_class_name(e->cls), ras_bool(e->il), e->fsc,
		       ras_fault_name(e->fault));
	if (e->level == RAS_LEVEL_NONE)
		ras_out_printf(o, "\"level\":null,");
	else
		ras_out_printf(o, "\"level\":%d,", e->level);
	ras_out_printf(o, "\"set\":\"%s\",\"fnv\":%s,\"ea\":%s,\"cm\":%s,\"wnr\":%s}",
		       ras_set_name(e->set), ras_bool(e->fnv), ras_bool(e->ea), ras_bool(e->cm),
		       ras_bool(e->wnr));
}

static void ras_json_decision(struct ras_out *o, const struct ras_decision *d)
{
	const struct ras_inject *in = &d->inject;

	ras_out_printf(o, "\"decision\":{\"inject\":\"%s\"",
		       !in->pending	 ? "none"
		       : in->instruction ? "instruction"
					 : "data");
	if (in->pending)
		ras_out_printf(o,
			       ",\"inject_esr\":\"0x%llx\",\"far\":\"0x%llx\","
			       "\"vector\":\"0x%03x\",\"kvm_ext_dabt_exact\":%s,\"path\":\"%s\"",
			       (unsigned long long)in->esr, (unsigned long long)in->far, in->vector,
			       ras_bool(in->kvm_ext_dabt_exact), ras_inject_path_name(in->path));
	ras_out_printf(o,
		       ",\"quarantine\":%s,\"retire\":\"%s\",\"poison\":\"%s\",\"reaccess\":%s,"
		       "\"guest_informed\":%s,\"escalate\":\"%s\"}",
		       ras_bool(d->quarantine), ras_retire_name(d->retired),
		       ras_poison_name(d->poison), ras_bool(d->reaccess),
		       ras_bool(d->guest_informed), ras_escalate_name(d->escalate));
}

int ras_record_format(const struct ras_event *ev, const struct ras_decision *d, const char *vm_name,
		      char *buf, size_t len)
{
	struct ras_out o = { buf, len, 0 };

	ras_out_printf(&o, "{\"time\":");
	ras_json_time(&o, ev->ctx.wall_ns);
	ras_out_printf(&o, ",\"mono_ns\":%llu,\"vm\":", (unsigned long long)ev->ctx.mono_ns);
	ras_json_str(&o, vm_name ? vm_name : "");
	ras_out_printf(&o, ",\"vcpu\":%u,\"source\":\"%s\",", ev->ctx.vcpu,
		       ras_source_name(ev->source));
	if (ev->el < 0)
		ras_out_printf(&o, "\"el\":null,");
	else
		ras_out_printf(&o, "\"el\":%d,", ev->el);
	ras_out_printf(&o, "\"aarch32\":%s,\"pstate\":\"0x%llx\",\"pc\":\"0x%llx\",\"esr\":",
		       ras_bool(ev->aarch32), (unsigned long long)ev->ctx.pstate,
		       (unsigned long long)ev->ctx.pc);
	ras_json_esr(&o, ev);
	if (ev->gva_valid)
		ras_out_printf(&o, ",\"gva\":\"0x%llx\"", (unsigned long long)ev->gva);
	if (ev->gpa_valid)
		ras_out_printf(&o, ",\"gpa\":\"0x%llx\"", (unsigned long long)ev->gpa);
	ras_out_printf(&o, ",");
	ras_json_decision(&o, d);
	if (d->tracked)
		ras_out_printf(&o, ",\"page_count\":%u", d->page_count);
	ras_out_printf(&o, ",\"streak\":%u,\"window_pages\":%u,\"reason\":", d->streak,
		       d->window_pages);
	ras_json_str(&o, d->reason);
	ras_out_printf(&o, "}\n");
	return ras_out_end(&o);
}

int ras_poison_record_format(const struct ras_page *pg, uint64_t wall_ns, const char *vm_name,
			     const char *by, char *buf, size_t len)
{
	struct ras_out o = { buf, len, 0 };

	ras_out_printf(&o, "{\"time\":");
	ras_json_time(&o, wall_ns);
	ras_out_printf(&o, ",\"vm\":");
	ras_json_str(&o, vm_name ? vm_name : "");
	ras_out_printf(&o,
		       ",\"kind\":\"poison_state\",\"gpa\":\"0x%llx\",\"poison\":\"%s\","
		       "\"by\":",
		       (unsigned long long)pg->gpa, ras_poison_name(ras_page_poison(pg)));
	ras_json_str(&o, by);
	ras_out_printf(&o, ",\"guest_errno\":%u,\"page_count\":%u}\n", pg->guest_errno, pg->count);
	return ras_out_end(&o);
}
