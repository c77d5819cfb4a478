// SPDX-License-Identifier: GPL-2.0-only
#include "sigbus.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "guest_copy.h"
#include "sigsafe.h"
#include "term.h"
#include "thread_pointer.h"

#ifndef PR_MCE_KILL
#define PR_MCE_KILL	  33
#define PR_MCE_KILL_SET	  1
#define PR_MCE_KILL_EARLY 1
#endif

/* An AO slot: the page address, a marker so it is never 0, and the lsb. */
#define AO_ADDR_MASK (~(uint64_t)0xfff)
#define AO_USED	     0x800
#define AO_LSB_MASK  0x3f

/*
 * What the SIGBUS handler must reach, and the only global state here: a
 * handler gets no context argument. sigbus_self is per thread, set by a
 * vCPU thread to its own state; sigbus_cur is written only outside any
 * handler (VM setup and teardown) and read by handlers. Everything they
 * point to is either fixed while a handler may run or atomic.
 */
static _Thread_local struct sigbus_vcpu *sigbus_self;
static struct sigbus_vm *_Atomic sigbus_cur;
/* This thread's sigbus_expect_begin() window, open while active. */
static _Thread_local struct {
	volatile uintptr_t lo, hi;
	volatile sig_atomic_t active, hit;
} sigbus_expect;

/*
 * An SIGBUS seavmm cannot attribute to a guest access. There is no safe
 * way on: returning re-runs the faulting access (an endless loop of the
 * same fault), and skipping it would hand seavmm garbage. So say why in
 * one line, restore the terminal, put the default action back and die of
 * the signal, as the kernel intended.
 */
static void sigbus_die(const siginfo_t *si, const char *why)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	char line[256];
	size_t n = 0;

	n = sigsafe_put(line, n, sizeof(line), "seavmm: SIGBUS ");
	if (si->si_code == BUS_MCEERR_AR) {
		n = sigsafe_put(line, n, sizeof(line), "BUS_MCEERR_AR (host memory error)");
	} else {
		n = sigsafe_put(line, n, sizeof(line), "si_code ");
		if (si->si_code < 0) {
			n = sigsafe_put(line, n, sizeof(line), "-");
			n = sigsafe_put_num(line, n, sizeof(line),
					    (uint64_t) - (int64_t)si->si_code, 10);
		} else {
			n = sigsafe_put_num(line, n, sizeof(line), (uint64_t)si->si_code, 10);
		}
	}
	n = sigsafe_put(line, n, sizeof(line), " at ");
	n = sigsafe_put_num(line, n, sizeof(line), (uintptr_t)si->si_addr, 16);
	n = sigsafe_put(line, n, sizeof(line), ": ");
	n = sigsafe_put(line, n, sizeof(line), why);
	n = sigsafe_put(line, n, sizeof(line), "; seavmm cannot go on and dies of it\n");
	if (write(STDERR_FILENO, line, n) < 0) {
		/* Nothing left to tell it to. */
	}
	term_restore();
	sigemptyset(&dfl.sa_mask);
	sigaction(SIGBUS, &dfl, NULL);
	/* Blocked while this handler runs: delivered, fatally, as it returns. */
	raise(SIGBUS);
}

/* Lock-free: any number of threads may record at once. */
static void sigbus_record_ao(struct sigbus_vm *vm, uintptr_t addr, unsigned int lsb)
{
	uint64_t val = ((uint64_t)addr & AO_ADDR_MASK) | AO_USED | (lsb & AO_LSB_MASK);

	for (unsigned int i = 0; i < SIGBUS_AO_SLOTS; i++) {
		uint64_t free_slot = 0;

		if (atomic_compare_exchange_strong(&vm->ao[i], &free_slot, val))
			goto recorded;
	}
	atomic_fetch_add(&vm->ao_lost, 1);
recorded:
	atomic_fetch_add_explicit(&vm->ao_pending, 1, memory_order_release);
}

/*
 * An AO must not wait for the guest's next exit, which may never come while
 * it idles: make one vCPU loop look now. On a vCPU thread the signal itself
 * already ended KVM_RUN, or immediate_exit ends the next one. Otherwise
 * kick the first vCPU thread running its loop; if none is (between guest
 * restarts), the next loop to start finds the record.
 */
static void sigbus_kick(struct sigbus_vm *vm, struct sigbus_vcpu *self)
{
	if (self && self->vm == vm && self->immediate_exit) {
		*self->immediate_exit = 1;
		return;
	}
	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		struct sigbus_vcpu *v = &vm->vcpus[i];
		int tid = atomic_load(&v->tid);

		if (!tid || !v->immediate_exit)
			continue;
		*v->immediate_exit = 1;
		atomic_thread_fence(memory_order_seq_cst);
		/* A thread that just left gives ESRCH or a harmless kick. */
		syscall(SYS_tgkill, getpid(), tid, vm->kick_signal);
		return;
	}
}

static void sigbus_handler(int sig, siginfo_t *si, void *uc)
{
	struct sigbus_vm *vm = atomic_load(&sigbus_cur);
	uintptr_t addr = (uintptr_t)si->si_addr;
	struct sigbus_vcpu *self;
	int saved_errno;
	uint64_t gpa;

	/*
	 * An AR arrives as KVM_RUN returns, before the vCPU loop checks the
	 * thread pointer: put it right before the thread-local reads below.
	 */
	tp_guard_repair(NULL);
	self = sigbus_self;
	saved_errno = errno;

	(void)sig;
	(void)uc;
	if (si->si_code == BUS_MCEERR_AR && sigbus_expect.active && addr >= sigbus_expect.lo &&
	    addr < sigbus_expect.hi) {
		/* seavmm's own retirement of this frame: nothing was consumed. */
		sigbus_expect.hit = 1;
		errno = saved_errno;
		return;
	}
	/* A device's guarded copy of guest RAM met poison: back into it, no return. */
	guest_copy_sigbus(si);
	if (si->si_code == BUS_MCEERR_AO) {
		/* Nothing consumed it yet. Without a VM there is no guest page to care for. */
		if (vm) {
			sigbus_record_ao(vm, addr, (unsigned int)si->si_addr_lsb);
			sigbus_kick(vm, self);
		}
		errno = saved_errno;
		return;
	}
	if (si->si_code != BUS_MCEERR_AR)
		sigbus_die(si, "not a memory error seavmm handles");
	else if (!vm || !self || self->vm != vm || !self->in_run)
		sigbus_die(si, "seavmm itself consumed it, not a guest (no vCPU in KVM_RUN)");
	else if (mem_hva_to_gpa(vm->mem, addr, &gpa) < 0)
		sigbus_die(si, "the address is not guest RAM");
	else {
		/* The vCPU loop takes it when KVM_RUN returns, on this same thread. */
		self->ar_addr = addr;
		self->ar_lsb = (unsigned int)si->si_addr_lsb;
		self->ar_pending = 1;
	}
	errno = saved_errno;
}

int sigbus_install(void)
{
	struct sigaction sa = { .sa_sigaction = sigbus_handler,
				.sa_flags = SA_SIGINFO | SA_RESTART };

	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGBUS, &sa, NULL) < 0)
		return -errno;
	/*
	 * Early kill: an AO as soon as memory_failure() unmaps a page of ours,
	 * so the event is reported (and counted by the policy) before the
	 * guest touches it. Fails only on kernels without memory-failure
	 * support, which send no SIGBUS of this kind at all.
	 */
	prctl(PR_MCE_KILL, PR_MCE_KILL_SET, PR_MCE_KILL_EARLY, 0, 0);
	return 0;
}

int sigbus_vm_init(struct sigbus_vm *vm, const struct guest_memory *mem, unsigned int nr_vcpus,
		   int kick_signal)
{
	memset(vm, 0, sizeof(*vm));
	vm->vcpus = calloc(nr_vcpus ? nr_vcpus : 1, sizeof(*vm->vcpus));
	if (!vm->vcpus)
		return -ENOMEM;
	vm->mem = mem;
	vm->nr_vcpus = nr_vcpus;
	vm->kick_signal = kick_signal;
	for (unsigned int i = 0; i < nr_vcpus; i++)
		vm->vcpus[i].vm = vm;
	atomic_store(&sigbus_cur, vm);
	return 0;
}

void sigbus_vm_destroy(struct sigbus_vm *vm)
{
	struct sigbus_vm *expected = vm;

	atomic_compare_exchange_strong(&sigbus_cur, &expected, NULL);
	free(vm->vcpus);
	vm->vcpus = NULL;
	vm->nr_vcpus = 0;
}

void sigbus_thread_enter(struct sigbus_vcpu *v)
{
	sigbus_self = v;
	atomic_store(&v->tid, (int)gettid());
}

void sigbus_thread_leave(struct sigbus_vcpu *v)
{
	atomic_store(&v->tid, 0);
	sigbus_self = NULL;
}

void sigbus_expect_begin(uintptr_t addr, size_t len)
{
	sigbus_expect.hit = 0;
	sigbus_expect.lo = addr;
	sigbus_expect.hi = addr + len;
	atomic_signal_fence(memory_order_seq_cst);
	sigbus_expect.active = 1;
}

bool sigbus_expect_end(void)
{
	sigbus_expect.active = 0;
	atomic_signal_fence(memory_order_seq_cst);
	return sigbus_expect.hit;
}

int sigbus_entry_gate(struct sigbus_vcpu *v, int (*look)(void *arg), void *arg)
{
	*v->immediate_exit = 0;
	atomic_thread_fence(memory_order_seq_cst);
	return look(arg);
}

bool sigbus_take_ar(struct sigbus_vcpu *v, struct sigbus_event *ev)
{
	if (!v->ar_pending)
		return false;
	ev->addr = v->ar_addr;
	ev->lsb = v->ar_lsb;
	v->ar_pending = 0;
	return true;
}

unsigned int sigbus_take_ao(struct sigbus_vm *vm, struct sigbus_event *ev, unsigned int *lost)
{
	unsigned int n = 0;

	/* First: a record made after this sets it again for the next look. */
	atomic_store(&vm->ao_pending, 0);
	for (unsigned int i = 0; i < SIGBUS_AO_SLOTS; i++) {
		uint64_t val = atomic_exchange(&vm->ao[i], 0);

		if (!val)
			continue;
		ev[n].addr = (uintptr_t)(val & AO_ADDR_MASK);
		ev[n].lsb = (unsigned int)(val & AO_LSB_MASK);
		n++;
	}
	*lost = atomic_exchange(&vm->ao_lost, 0);
	return n;
}
