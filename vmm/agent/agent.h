/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The host side of the guest agent (--agent): a named port of the virtio
 * console, org.seavmm.agent.0, whose other end is seavmm-agent in the guest
 * (docs/agent.md). One thread per VM carries vmm/agent/agent_proto.c: it tells
 * the agent about every page under virtual poison, hands its answers to
 * sea_guest_offlined(), reports what the agent gets wrong, and restarts or
 * stops a guest that falls silent after a memory error (policy key
 * liveness).
 */
#ifndef SEAVMM_AGENT_H
#define SEAVMM_AGENT_H

#include <stdint.h>

struct vm;

/* With --agent, after the virtio devices: adds the port, starts the thread. 0 or -errno (reported).
 */
int agent_setup(struct vm *vm);
/*
 * A page came under virtual poison (vmm/sea/sea.c): the agent is told. Never
 * blocks (a short queue; when it is full the thread asks sea.c for the
 * whole list). Any thread, any lock held. Nothing without --agent.
 */
void agent_notify_poison(struct vm *vm, uint64_t gpa);
/* The guest restarts (vCPUs stopped): no page is poisoned, liveness disarmed. */
void agent_reset(struct vm *vm);
/* Ends the thread and closes the port; before the virtio devices go. */
void agent_stop(struct vm *vm);
/*
 * After the virtio devices (their threads may call back until then) and
 * before sea.c goes: frees what agent_setup() made.
 */
void agent_destroy(struct vm *vm);

#endif
