/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The seavmm agent protocol, version 1: what seavmm (vmm/agent/agent_proto.c) and
 * seavmm-agent (agent/seavmm-agent.c) share. docs/agent.md describes it.
 * Lines of printable ASCII, one message each, fields separated by one space,
 * ended by '\n'.
 *
 *   guest -> host   HELLO <version> <agent-ident> <nonce>
 *                   HEARTBEAT <n>
 *                   OFFLINED <gpa> <seq> <errno>
 *   host -> guest   HELLO <version> <host-ident> <nonce>
 *                   POISON <gpa> <seq>
 */
#ifndef SEAVMM_AGENT_PROTOCOL_H
#define SEAVMM_AGENT_PROTOCOL_H

/* The virtio-console port the agent opens, found by this name in sysfs. */
#define AGENT_PORT_NAME "org.seavmm.agent.0"

/* The highest protocol version either side speaks; both use the lower one. */
#define AGENT_PROTO_VERSION 1

/* Longest line, its '\n' included: anything longer is dropped whole. */
#define AGENT_LINE_MAX 128

/*
 * A HELLO's nonce: 1 to 16 lower-case hex digits the agent picks and the
 * host's answer repeats, so the agent can tell it from a stale answer.
 */
#define AGENT_NONCE_MAX 16

/* Addresses in POISON and OFFLINED are 4 KiB aligned guest-physical ones. */
#define AGENT_PAGE_SIZE 4096ULL

/* The largest errno an OFFLINED may carry (Linux's MAX_ERRNO). */
#define AGENT_ERRNO_MAX 4095

#endif
