// SPDX-License-Identifier: GPL-2.0-only
#include "ctl_format.h"

#include <inttypes.h>
#include <stdbool.h>
#include <string.h>

/* A member as text ("-" when missing or null). */
static const char *ctl_str(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !v)
		return "-";
	return json_object_get_string(v);
}

/* A decision field that is present and says something other than "none". */
static bool ctl_named(struct json_object *o, const char *key)
{
	const char *v = ctl_str(o, key);

	return strcmp(v, "-") && strcmp(v, "none");
}

static int64_t ctl_int(struct json_object *o, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(o, key, &v) ? json_object_get_int64(v) : 0;
}

static struct json_object *ctl_get(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	json_object_object_get_ex(o, key, &v);
	return v;
}

static void ctl_format_status(FILE *f, struct json_object *r)
{
	struct json_object *counts = ctl_get(r, "counts"), *policy = ctl_get(r, "policy");
	uint64_t mem = json_object_get_uint64(ctl_get(r, "memory_bytes"));

	fprintf(f, "state:     %s\n", ctl_str(r, "state"));
	fprintf(f, "vm:        %s\n", ctl_str(r, "vm"));
	fprintf(f, "vcpus:     %" PRId64 "\n", ctl_int(r, "vcpus"));
	fprintf(f, "memory:    %" PRIu64 " MiB\n", mem >> 20);
	fprintf(f, "uptime:    %s s (this boot %s s, boots %" PRId64 ")\n", ctl_str(r, "uptime_s"),
		ctl_str(r, "boot_uptime_s"), ctl_int(r, "boots"));
	fprintf(f, "inject:    %s\n", ctl_str(r, "inject"));
	if (counts)
		fprintf(f,
			"events:    %s\npages:     %s (poisoned %s, retired %s, offlined %s; "
			"quarantined %s)\nrestarts:  %s\n",
			ctl_str(counts, "events"), ctl_str(counts, "pages"),
			ctl_str(counts, "poisoned"), ctl_str(counts, "retired"),
			ctl_str(counts, "offlined"), ctl_str(counts, "quarantined"),
			ctl_str(counts, "restarts"));
	if (policy) {
		fprintf(f, "policy:   ");
		json_object_object_foreach(policy, key, val)
		{
			fprintf(f, " %s=%s", key, json_object_get_string(val));
		}
		fprintf(f, "\n");
	}
}

static void ctl_format_pages(FILE *f, struct json_object *r)
{
	struct json_object *pages = ctl_get(r, "pages");
	size_t n = pages ? json_object_array_length(pages) : 0;

	if (!n) {
		fprintf(f, "no poisoned pages\n");
		return;
	}
	fprintf(f, "%-18s %-9s %-8s %6s %-11s %-5s %s\n", "GPA", "STATE", "OFFLINED", "COUNT",
		"SOURCE", "VCPU", "LAST");
	for (size_t i = 0; i < n; i++) {
		struct json_object *p = json_object_array_get_idx(pages, i);

		fprintf(f, "%-18s %-9s %-8s %6s %-11s %-5s %s\n", ctl_str(p, "gpa"),
			ctl_str(p, "state"), ctl_str(p, "offlined"), ctl_str(p, "count"),
			ctl_str(p, "source"), ctl_str(p, "vcpu"), ctl_str(p, "last"));
	}
}

void ctl_format_event(FILE *f, struct json_object *rec)
{
	struct json_object *esr = ctl_get(rec, "esr"), *d = ctl_get(rec, "decision");
	const char *esc = ctl_str(d, "escalate"), *inj = ctl_str(d, "inject");
	char what[96];

	if (esr && json_object_get_boolean(ctl_get(esr, "valid")))
		snprintf(what, sizeof(what), "%s %s set=%s", ctl_str(esr, "class"),
			 ctl_str(esr, "fault"), ctl_str(esr, "set"));
	else if (esr)
		snprintf(what, sizeof(what), "untrusted esr %s", ctl_str(esr, "raw"));
	else
		snprintf(what, sizeof(what), "%s", ctl_str(rec, "source"));
	fprintf(f, "%s vcpu%s: gpa %s gva %s %s el=%s -> ", ctl_str(rec, "time"),
		ctl_str(rec, "vcpu"), ctl_str(rec, "gpa"), ctl_str(rec, "gva"), what,
		ctl_str(rec, "el"));
	if (strcmp(esc, "none"))
		fprintf(f, "%s the VM", esc);
	else if (strcmp(inj, "none"))
		fprintf(f, "inject %s abort", inj);
	else
		fprintf(f, "no abort");
	if (ctl_named(d, "retire"))
		fprintf(f, " + retire=%s", ctl_str(d, "retire"));
	else if (json_object_get_boolean(ctl_get(d, "quarantine")))
		fprintf(f, " + quarantine");
	if (ctl_named(d, "poison"))
		fprintf(f, " poison=%s", ctl_str(d, "poison"));
	fprintf(f, "; %s\n", ctl_str(rec, "reason"));
}

void ctl_format_reply(FILE *f, struct json_object *r)
{
	const char *req = ctl_str(r, "request");

	if (!strcmp(req, "status")) {
		ctl_format_status(f, r);
	} else if (!strcmp(req, "poison-list")) {
		ctl_format_pages(f, r);
	} else if (!strcmp(req, "events")) {
		struct json_object *ev = ctl_get(r, "events");
		size_t n = ev ? json_object_array_length(ev) : 0;

		if (!n)
			fprintf(f, "no memory-error events (of %s so far)\n", ctl_str(r, "total"));
		for (size_t i = 0; i < n; i++)
			ctl_format_event(f, json_object_array_get_idx(ev, i));
	} else if (!strcmp(req, "metrics")) {
		fputs(ctl_str(r, "text"), f);
	} else if (!strcmp(req, "inject-poison")) {
		fprintf(f, "poisoned gpa %s (host PA %s) with %s through the %s: %s\n",
			ctl_str(r, "gpa"), ctl_str(r, "pa"), ctl_str(r, "type"),
			ctl_str(r, "mechanism"), ctl_str(r, "detail"));
	} else if (!strcmp(req, "subscribe")) {
		/* The records that follow say everything. */
	} else {
		fprintf(f, "%s: %s\n", req, ctl_str(r, "state"));
	}
}
