/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Poison that device emulation meets in guest RAM (vmm/guest_copy.c): the
 * two calls device code makes into the VM's memory-error handling. A
 * stand-in on the virtio branch; main's vmm/sea.c carries the real ones.
 */
#ifndef SEAVMM_SEA_DEVICE_H
#define SEAVMM_SEA_DEVICE_H

#include <stdbool.h>
#include <stdint.h>

struct vm;

/* Is the guest page of gpa known to hold poison (a copy must not touch it)? Any thread. */
bool sea_gpa_poisoned(struct vm *vm, uint64_t gpa);
/*
 * A device's guarded copy met poison in the guest page of gpa: the event
 * goes through the policy (tracker, report, --ras-events, ledger) with no
 * vCPU to inject into; a restart or stop is requested as decided. The page
 * stays poisoned where it is: the guest's own next access to it aborts.
 * Any thread. Returns 0 or -errno.
 */
int sea_handle_device_poison(struct vm *vm, uint64_t gpa, const char *device);

#endif
