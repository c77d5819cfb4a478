// SPDX-License-Identifier: GPL-2.0-only
#include "sea_report.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "outfile.h"

static const char *sea_report_action(const struct ras_decision *d)
{
	if (d->escalate == RAS_ESC_STOP)
		return "stop the VM";
	if (d->escalate == RAS_ESC_RESTART)
		return "restart the VM";
	if (!d->inject.pending)
		return "no abort";
	return d->inject.instruction ? "inject instruction abort" : "inject data abort";
}

int sea_report_line(const struct ras_event *ev, const struct ras_decision *d, char *buf, size_t len)
{
	char gpa[24] = "-", gva[24] = "-", el[16] = "?", what[64], page[64] = "";
	int n;

	if (ev->gpa_valid)
		snprintf(gpa, sizeof(gpa), "0x%llx", (unsigned long long)ev->gpa);
	if (ev->gva_valid)
		snprintf(gva, sizeof(gva), "0x%llx", (unsigned long long)ev->gva);
	if (ev->el >= 0)
		snprintf(el, sizeof(el), "%d", ev->el);
	if (ev->has_esr && ev->esr.valid)
		snprintf(what, sizeof(what), "%s %s set=%s", ras_class_name(ev->esr.cls),
			 ras_fault_name(ev->esr.fault), ras_set_name(ev->esr.set));
	else if (ev->has_esr)
		snprintf(what, sizeof(what), "untrusted esr 0x%llx",
			 (unsigned long long)ev->esr.raw);
	else
		snprintf(what, sizeof(what), "%s", ras_source_name(ev->source));
	if (d->quarantine)
		snprintf(page, sizeof(page), " + retire=%s poison=%s",
			 d->reaccess ? "already" : ras_retire_name(d->retired),
			 ras_poison_name(d->poison));
	n = snprintf(buf, len, "%s%u: memory error: gpa %s gva %s %s el=%s -> %s%s; %s",
		     ev->source == RAS_SRC_DEVICE ? "device" : "vcpu", ev->ctx.vcpu, gpa, gva, what,
		     el, sea_report_action(d), page, d->reason);
	if (n < 0)
		return -EINVAL;
	return (size_t)n < len ? n : -ENOSPC;
}

int sea_events_open(const char *path, char *err, size_t errlen)
{
	return outfile_open("--ras-events", path, O_WRONLY | O_CREAT | O_APPEND, 0600, false, err,
			    errlen);
}

int sea_events_append(int fd, const struct ras_event *ev, const struct ras_decision *d,
		      const char *vm_name)
{
	char buf[SEA_RECORD_MAX];
	int len = ras_record_format(ev, d, vm_name, buf, sizeof(buf));

	if (len < 0)
		return len;
	return sea_events_write(fd, buf, (size_t)len);
}

int sea_events_write(int fd, const char *buf, size_t len)
{
	/* O_APPEND and one write: writers sharing the file never split a line. */
	return outfile_append(fd, buf, len);
}
