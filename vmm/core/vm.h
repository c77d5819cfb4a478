/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The VM context: everything one running guest needs, passed explicitly to
 * every part of the VMM (no global state), and the VM-level stop/restart
 * request that any thread can raise.
 */
#ifndef SEAVMM_VM_H
#define SEAVMM_VM_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "../../devices/mmio_bus.h"
#include "../../devices/uart_16550.h"
#include "image.h"
#include "inject.h"
#include "memory.h"
#include "opts.h"
#include "poison_inject.h"
#include "ras.h"
#include "sea.h"

/*
 * Guest-physical map, after QEMU's "virt" machine where it has one: devices
 * below 1 GiB, RAM from 1 GiB up. The redistributor region holds 128 KiB per
 * vCPU (up to 512 vCPUs).
 */
#define VM_GIC_DIST_BASE       0x08000000ULL
#define VM_GIC_DIST_SIZE       0x10000ULL
#define VM_GICV2_CPU_BASE      0x08010000ULL
#define VM_GICV2_CPU_SIZE      0x2000ULL
#define VM_UART_BASE	       0x09000000ULL
#define VM_UART_SPI	       1
#define VM_VIRTIO_BASE	       0x0a000000ULL /* VM_VIRTIO_MAX windows of 0x200 */
#define VM_VIRTIO_SPI_BASE     16
#define VM_GICV3_REDIST_BASE   0x10000000ULL
#define VM_GICV3_REDIST_STRIDE 0x20000ULL
#define VM_RAM_BASE	       0x40000000ULL
#define VM_GICV2_MAX_VCPUS     8

enum vm_stop_reason {
	VM_RUNNING = 0,
	VM_STOP_POWEROFF,    /* PSCI SYSTEM_OFF */
	VM_STOP_RESET,	     /* PSCI SYSTEM_RESET */
	VM_STOP_QUIT,	     /* the user typed the console escape */
	VM_STOP_ERROR,	     /* a fatal error, already reported */
	VM_STOP_RAS_RESTART, /* the memory-error policy restarts the guest */
	VM_STOP_RAS_STOP,    /* the memory-error policy stops the guest */
	VM_STOP_API_STOP,    /* a control-socket 'stop' */
	VM_STOP_API_RESTART, /* a control-socket 'restart' */
};

struct vcpu;
struct api;
struct vm_virtio;
struct agent;

struct vm {
	const struct run_opts *opts;
	int kvm_fd, vm_fd;
	unsigned int ipa_bits;
	int gic_version, gic_fd;
	size_t run_mmap_size;
	struct guest_memory mem;
	struct mmio_bus bus;
	struct uart_16550 uart;
	unsigned int nr_vcpus;
	struct vcpu *vcpus;
	pthread_mutex_t vcpu_lock; /* vcpu thread_live: a kick never targets an exited thread */
	int kernel_fd, initrd_fd;
	int dtb_fd; /* --dump-dtb, or -1: opened at start, rewritten at every boot */
	struct arm64_image image;
	uint64_t initrd_size;
	struct boot_layout layout;
	_Atomic int stop;	       /* enum vm_stop_reason */
	atomic_bool unbacked_reported; /* warn once about accesses to no device */
	struct ras_policy ras_policy;  /* what to do with guest memory errors */
	struct sea_state sea;	       /* and the state of carrying it out */
	struct api *api;	       /* --api-socket, or NULL */
	struct poison_inject pinj;     /* --allow-inject: inject-poison's mechanism */
	/* vm_pause(): vCPUs wait on pause_cond before KVM_RUN while pause_requested. */
	atomic_bool pause_requested;
	pthread_mutex_t pause_lock;
	pthread_cond_t pause_cond;
	unsigned int paused_vcpus; /* under pause_lock: vCPUs waiting */
	struct inject_caps inject; /* what abort injection may use (inject.c) */
	struct vm_virtio *virtio;  /* the virtio devices (vmm/core/vm_virtio.c) */
	struct agent *agent;	   /* --agent: the guest agent's host side (vmm/agent/agent.c) */
};

/*
 * Asks every vCPU to stop with reason; the first request wins and later ones
 * are ignored. Safe from any thread. Returns true if this request won.
 */
bool vm_request_stop(struct vm *vm, enum vm_stop_reason reason);
/* Opens KVM and builds the machine: RAM, GIC, vCPUs, UART. 0 or -errno (reported). */
int vm_setup(struct vm *vm, const struct run_opts *opts);
/* Runs the vCPU threads until a stop request; returns the reason. */
enum vm_stop_reason vm_run(struct vm *vm);
/* Back to power-on state for a reboot: RAM zeroed, vCPUs and devices reset. */
int vm_reset(struct vm *vm);
void vm_destroy(struct vm *vm);
/*
 * Pauses (pause) or resumes the vCPUs, from any thread but a vCPU's. A
 * pause kicks every vCPU out of KVM_RUN and waits up to a second for them
 * to stop; returns true when every running vCPU has stopped (or resumed).
 * A stop request or a guest restart ends a pause.
 */
bool vm_pause(struct vm *vm, bool pause);
/* vCPU loop, before KVM_RUN: waits here while the VM is paused. */
void vm_pause_point(struct vm *vm);

static inline enum vm_stop_reason vm_stop_reason(struct vm *vm)
{
	return (enum vm_stop_reason)atomic_load(&vm->stop);
}

#endif
