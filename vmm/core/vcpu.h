/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vCPUs: one thread each, running KVM_RUN and handling every exit
 * synchronously on that thread before the next KVM_RUN.
 */
#ifndef SEAVMM_VCPU_H
#define SEAVMM_VCPU_H

#include <linux/kvm.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

/* The ONE_REG id of a 64-bit member of struct kvm_regs (PC, PSTATE, ELR_EL1, ...). */
#define ARM64_CORE_REG(x) \
	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | KVM_REG_ARM_CORE_REG(x))

#include "sigbus.h"

/* The signal that kicks a vCPU thread out of KVM_RUN. */
#define VCPU_KICK_SIGNAL SIGUSR1

struct vm;

struct vcpu {
	struct vm *vm;
	unsigned int id;
	int fd;
	struct kvm_run *run;
	struct kvm_vcpu_init init;
	uint64_t mpidr;
	pthread_t thread;
	bool thread_live;	    /* under vm->vcpu_lock: the thread may still be signalled */
	struct sigbus_vcpu *sigbus; /* this thread's SIGBUS records (in vm->sea.sigbus) */
};

/* The signal that kicks a vCPU thread out of KVM_RUN: installs its handler. */
int vcpu_kick_signal_install(void);
/* KVM_CREATE_VCPU, mmap of kvm_run, then vcpu_reset(). */
int vcpu_create(struct vm *vm, struct vcpu *v, unsigned int id);
/*
 * KVM_ARM_VCPU_INIT with PSCI 0.2; every vCPU but the first starts powered
 * off and waits for PSCI CPU_ON (handled in KVM).
 */
int vcpu_reset(struct vcpu *v);
/* The boot protocol's entry state: PC = entry, X0 = device tree address. */
int vcpu_set_boot_regs(struct vcpu *v, uint64_t pc, uint64_t x0);
/* KVM_SET_ONE_REG / KVM_GET_ONE_REG of one 64-bit register. 0 or -errno (reported). */
int vcpu_set_reg(struct vcpu *v, uint64_t id, uint64_t val);
int vcpu_get_reg(struct vcpu *v, uint64_t id, uint64_t *val);
/* Runs the vCPU until the VM is asked to stop. */
void vcpu_run_loop(struct vcpu *v);
/* Stop request on the way: leave KVM_RUN now (immediate_exit + signal). */
void vcpu_kick(struct vcpu *v);

#endif
