/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Reporting what the guest agent did (vmm/agent/agent_proto.h notes): one line on
 * stderr and one JSON record in --ras-events per note (docs/events.md, "The
 * guest agent"). Portable, so unit tests cover it natively.
 */
#ifndef SEAVMM_AGENT_REPORT_H
#define SEAVMM_AGENT_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "agent_proto.h"

#define AGENT_RECORD_MAX 512

/*
 * "agent: ..." without "seavmm: " and newline. action is what liveness does
 * ("restart", "stop"), for a LIVENESS note. Returns the length or -ENOSPC.
 */
int agent_report_line(const struct agent_note *n, const char *action, char *buf, size_t len);
/*
 * {"time":...,"vm":...,"kind":"agent","event":"NAME",...} and '\n'.
 * Returns the length or -ENOSPC.
 */
int agent_record_format(const struct agent_note *n, uint64_t wall_ns, const char *vm_name,
			const char *action, uint64_t timeout_ns, char *buf, size_t len);

#endif
