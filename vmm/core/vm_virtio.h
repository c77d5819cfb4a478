/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The VM's virtio devices: built from the command line (vmm/cli/virtio_opts.h)
 * at VM setup, each on its own 512-byte virtio-mmio window from
 * VM_VIRTIO_BASE with its own edge-triggered SPI from VM_VIRTIO_SPI_BASE, in
 * the order disks, network, entropy, console (the guest probes them in that
 * order, so the first --disk is vda). Interrupts go through KVM irqfds and
 * queue notifications through KVM ioeventfds, so neither costs an exit to
 * seavmm; where the kernel lacks either, seavmm falls back to KVM_IRQ_LINE
 * and to handling the notification's MMIO exit.
 */
#ifndef SEAVMM_VM_VIRTIO_H
#define SEAVMM_VM_VIRTIO_H

#include "fdt.h"

#define VM_VIRTIO_MAX 16

struct vm;
struct virtio_console;

/* After the GIC is finalised: creates, wires and starts the devices. 0 or -errno (reported). */
int vm_virtio_setup(struct vm *vm);
/* Guest reboot: every device back to power-on state (vCPUs stopped). */
void vm_virtio_reset(struct vm *vm);
/* Ends the devices' threads and frees them; before guest RAM goes away. */
void vm_virtio_destroy(struct vm *vm);
/* The devices for the device tree, at most max into out; returns how many. */
unsigned int vm_virtio_fdt(const struct vm *vm, struct vm_fdt_virtio *out, unsigned int max);
/*
 * The virtio console, or NULL when the VM has none. It exists with
 * --console virtio or a --virtio-port; code that needs it without either
 * (the guest agent) sets run_opts.virtio.console_device before vm_setup(),
 * then adds its port with virtio_console_add_port(vm_virtio_console(vm),
 * VIRTIO_CONSOLE_AGENT_PORT, &cb, &fd) (devices/virtio_console.h): at any
 * time, before the guest starts or while it runs.
 */
struct virtio_console *vm_virtio_console(struct vm *vm);

#endif
