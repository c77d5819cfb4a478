/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The guard on vCPU threads' thread pointer (TPIDR_EL0 on arm64).
 *
 * Under VHE, host user space and a guest share TPIDR_EL0, and KVM swaps it
 * when a vCPU is loaded and put. Some hosts (docs/host-kernel-bugs.md) now
 * and then return from KVM_RUN with the guest's value still in place. The
 * thread's next access to thread-local storage (errno, glibc's cancellation
 * state in write()) then faults and seavmm dies with no word. So each vCPU
 * thread notes its own value when it starts; the vCPU loop checks it after
 * every KVM_RUN, before anything can use it, and every seavmm signal handler
 * checks it first, since a signal can be delivered on the way out of
 * KVM_RUN, before that check. A wrong value is put back and reported.
 *
 * The table of noted values is the one global here, because signal
 * handlers get no context argument. Slots are claimed and released only by
 * their own thread; handlers only read them.
 */
#ifndef SEAVMM_THREAD_POINTER_H
#define SEAVMM_THREAD_POINTER_H

#include <stdint.h>

/* As many as KVM allows vCPUs on arm64 (KVM_MAX_VCPUS is 512). */
#define TP_GUARD_SLOTS 512

/* This thread's thread pointer register. */
uint64_t tp_get(void);
void tp_set(uint64_t tp);

/*
 * Notes the calling thread's thread pointer: the slot to pass to
 * tp_guard_check() and tp_guard_leave(), or -ENOSPC when all are taken
 * (then nothing is guarded: seavmm runs as before).
 */
int tp_guard_enter(void);
void tp_guard_leave(int slot);
/*
 * After KVM_RUN, before any thread-local access: 0 when the thread pointer
 * is the thread's own; 1 when it was not, with the wrong value in *wrong,
 * and the right one is back in place. Also returns 1 (once) for a wrong
 * value a signal handler on this thread put right since the last check.
 * A slot < 0 checks nothing.
 */
int tp_guard_check(int slot, uint64_t *wrong);
/*
 * First thing in a signal handler: puts back the calling thread's own
 * thread pointer when it is a guarded thread holding a wrong one. 1 when
 * it did (the wrong value in *wrong unless wrong is NULL), else 0.
 * Async-signal-safe and free of thread-local access.
 */
int tp_guard_repair(uint64_t *wrong);

#endif
