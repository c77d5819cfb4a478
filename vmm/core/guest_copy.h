/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Guarded copies between seavmm and guest RAM: the only way device code
 * (devices/virtqueue.c and the virtio devices) reads or writes guest memory.
 *
 * Guest RAM may hold poison. arm64 Linux has no machine-check-safe kernel
 * copy, so seavmm never hands guest memory to a system call (the host kernel
 * would consume the poison and die); it copies through a bounce buffer with
 * these functions instead, in user space, where a poisoned load or store
 * raises SIGBUS on the copying thread: BUS_OBJERR where the host has no
 * firmware-first reporting, BUS_MCEERR_AR once the kernel knows the frame.
 * The copy runs under a thread-local guard; vmm/sea/sigbus.c's handler calls
 * guest_copy_sigbus() first, which jumps back into the copy when the fault
 * is on the guest page being copied, so the copy returns -EHWPOISON instead
 * of killing seavmm. A SIGBUS anywhere else stays fatal, as before.
 *
 * A page the VM already knows is poisoned (hooks.known_poisoned) is refused
 * before any byte moves; a page a copy meets is reported once
 * (hooks.report_poison) so that it goes through the VM's memory-error
 * policy (event, tracker, ledger) like a vCPU's error.
 *
 * Portable (no KVM headers): unit tests raise SIGBUS inside a copy natively.
 */
#ifndef SEAVMM_GUEST_COPY_H
#define SEAVMM_GUEST_COPY_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "memory.h"

/* The poison granule the copies check and report: the guest's page. */
#define GUEST_COPY_PAGE 4096ULL

/*
 * One device's handle on guest RAM. The hooks are the VM's poison
 * bookkeeping (vmm/sea/sea.c, through vmm/core/vm_virtio.c); either may be NULL
 * (unit tests).
 */
struct guest_ram {
	const struct guest_memory *mem;
	/* Is the page at gpa (page aligned) known to be poisoned? Any thread. */
	bool (*known_poisoned)(void *ctx, uint64_t gpa);
	/* A copy met poison in the page at gpa on behalf of device. Any thread. */
	int (*report_poison)(void *ctx, uint64_t gpa, const char *device);
	void *ctx;
	const char *device; /* for reports: "virtio-blk0" */
};

/*
 * Copies len bytes between guest-physical gpa and seavmm's buffer. Returns
 * 0; -EFAULT when [gpa, gpa+len) is not inside one region of guest RAM
 * (nothing copied); -EHWPOISON when a page of it is poisoned (known before,
 * or met by this copy: then reported), with that page's GPA in *bad_gpa
 * (may be NULL); the bytes before it may have been copied.
 */
int guest_copy_from(const struct guest_ram *g, uint64_t gpa, void *dst, size_t len,
		    uint64_t *bad_gpa);
int guest_copy_to(const struct guest_ram *g, uint64_t gpa, const void *src, size_t len,
		  uint64_t *bad_gpa);
/* Whether [gpa, gpa+len) lies inside one region of guest RAM (len 0: gpa does). */
bool guest_ram_contains(const struct guest_ram *g, uint64_t gpa, uint64_t len);

/*
 * Called first by the SIGBUS handler. When this thread is inside a guarded
 * copy and si is a memory error (BUS_OBJERR or BUS_MCEERR_AR) at an address
 * of the guest page being copied, it jumps back into that copy and does not
 * return. Otherwise it returns and the handler goes on as before.
 * Async-signal-safe.
 */
void guest_copy_sigbus(const siginfo_t *si);

#endif
