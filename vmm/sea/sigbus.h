/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host memory errors that reach seavmm as SIGBUS. On a host with
 * firmware-first RAS the kernel's memory_failure() handles the error first:
 * it marks the page hwpoisoned and unmaps it. Then
 *  - BUS_MCEERR_AR: a guest access makes KVM's stage-2 fault find the
 *    hwpoisoned page; KVM sends SIGBUS to the vCPU thread (si_addr the host
 *    address, si_addr_lsb the page shift) and KVM_RUN returns EINTR (or
 *    EFAULT) with the vCPU at the faulting instruction;
 *  - BUS_MCEERR_AO: with early kill (PR_MCE_KILL_EARLY) memory_failure()
 *    tells one thread of every process mapping the page, before anything
 *    consumed it.
 * The handler only records: an AR in the vCPU thread's own state, an AO in a
 * small lock-free per-VM set of slots, then it kicks a vCPU so that its loop
 * (vcpu.c) takes the event to sea.c, which decides and acts as for a
 * KVM_EXIT_ARM_SEA. An AR seavmm cannot attribute to a guest access (another
 * thread, not inside KVM_RUN, not guest RAM) kills seavmm as the kernel
 * intended: returning would only fault again.
 * Portable (no KVM headers), so unit tests drive the handler natively.
 */
#ifndef SEAVMM_SIGBUS_H
#define SEAVMM_SIGBUS_H

#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "memory.h"

/* AO events waiting for a vCPU loop; more at once are counted as lost. */
#define SIGBUS_AO_SLOTS 16

struct sigbus_vm;

/* Per vCPU, owned by its struct sigbus_vm; the vCPU thread's own state. */
struct sigbus_vcpu {
	struct sigbus_vm *vm;
	volatile uint8_t *immediate_exit; /* kvm_run's: a kick landing before KVM_RUN */
	atomic_int tid;			  /* the thread while in its loop, else 0 */
	volatile sig_atomic_t in_run;	  /* inside KVM_RUN: an AR now is a guest access */
	/* An AR recorded by the handler on this thread, read by the same thread. */
	volatile sig_atomic_t ar_pending;
	volatile uintptr_t ar_addr;
	volatile unsigned int ar_lsb;
};

/* Per VM (in struct sea_state). */
struct sigbus_vm {
	const struct guest_memory *mem; /* regions fixed before the guest runs */
	struct sigbus_vcpu *vcpus;
	unsigned int nr_vcpus;
	int kick_signal;
	/* AO: page address | lsb (low 6 bits), 0 = free. */
	_Atomic uint64_t ao[SIGBUS_AO_SLOTS];
	atomic_uint ao_pending; /* set after a slot is filled */
	atomic_uint ao_lost;	/* slots were full */
};

struct sigbus_event {
	uintptr_t addr;	  /* host virtual address (AO: page aligned) */
	unsigned int lsb; /* log2 of the poisoned extent: the page shift */
};

/*
 * Installs the SIGBUS handler (no VM yet: every AR kills, AO is ignored) and
 * asks for early AO with PR_MCE_KILL_EARLY (inherited by threads created
 * later). 0 or -errno; a kernel without memory-failure support only makes
 * prctl fail, which is not an error.
 */
int sigbus_install(void);
/*
 * Prepares vm's state for nr_vcpus vCPUs (kicked with kick_signal) and
 * makes it the one the handler reports to. 0 or -ENOMEM.
 */
int sigbus_vm_init(struct sigbus_vm *vm, const struct guest_memory *mem, unsigned int nr_vcpus,
		   int kick_signal);
/* Stops reporting to vm (the handler goes back to the no-VM rules); frees it. */
void sigbus_vm_destroy(struct sigbus_vm *vm);
/* On a vCPU thread, around its loop: where the handler finds this thread. */
void sigbus_thread_enter(struct sigbus_vcpu *v);
void sigbus_thread_leave(struct sigbus_vcpu *v);
/*
 * On this thread, around madvise(MADV_HWPOISON) of [addr, addr + len):
 * the host kernel answers it with a forced BUS_MCEERR_AR for that range,
 * which is then expected, not fatal. sigbus_expect_end() says whether it
 * came. Any thread; one window per thread.
 */
void sigbus_expect_begin(uintptr_t addr, size_t len);
bool sigbus_expect_end(void);
/* The AR recorded on this vCPU thread, if any (then cleared). */
bool sigbus_take_ar(struct sigbus_vcpu *v, struct sigbus_event *ev);
/*
 * Takes every recorded AO (into ev, at most SIGBUS_AO_SLOTS) and the number
 * dropped since the last call because every slot was full (into *lost).
 * Any thread; each event goes to exactly one caller. Returns the count.
 */
unsigned int sigbus_take_ao(struct sigbus_vm *vm, struct sigbus_event *ev, unsigned int *lost);
/*
 * The vCPU loop's step before each KVM_RUN: clears v's immediate_exit and,
 * after a full fence, calls look(arg) to take what kicks recorded (stop
 * requests, AO records); returns look's result. A kick records its reason
 * before it sets immediate_exit, so in this order none is lost: one that
 * landed before the clear is found by look, and one that lands after look
 * has looked leaves immediate_exit set, so KVM_RUN returns at once. Looking
 * first and clearing after wiped out a kick landing between the two, and
 * an idle guest might not exit again for a long time.
 */
int sigbus_entry_gate(struct sigbus_vcpu *v, int (*look)(void *arg), void *arg);
/* Cheap test for the vCPU loop: an AO (or a lost one) may be waiting. */
static inline bool sigbus_ao_pending(struct sigbus_vm *vm)
{
	return atomic_load_explicit(&vm->ao_pending, memory_order_acquire) != 0;
}

#endif
