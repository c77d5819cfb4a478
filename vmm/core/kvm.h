/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Thin wrappers around the KVM ioctls: each returns the ioctl's non-negative
 * result or a negative errno, and reports failures naming the ioctl, so the
 * caller only decides what the failure means.
 */
#ifndef SEAVMM_KVM_H
#define SEAVMM_KVM_H

#include <linux/kvm.h>
#include <stdint.h>

#include "kvm_compat.h"

#define KVM_DEV_PATH "/dev/kvm"

/* Opens /dev/kvm and checks the API version; negative errno on failure. */
int kvm_open(const char *path);
/* For the one error line after kvm_open() failed with err: why, and the fix. */
void kvm_open_explain(int err, const char **why, const char **fix);
/* KVM_CHECK_EXTENSION on the system or VM fd: >= 0 value, or -errno. */
int kvm_check_extension(int fd, long cap);
int kvm_create_vm(int kvm_fd, unsigned long type);
int kvm_enable_cap(int vm_fd, uint32_t cap, uint64_t arg0);
/* An ioctl that names itself in the error message on failure. */
int kvm_ioctl_named(int fd, unsigned long req, void *arg, const char *name);
#define kvm_ioctl(fd, req, arg) kvm_ioctl_named(fd, req, arg, #req)

/*
 * KVM_RUN on a vCPU fd: the ioctl's result or -errno, with no error line
 * (the vCPU loop decides) and, on arm64, no access to thread-local storage
 * (not even errno): the thread pointer may be wrong when it returns, until
 * tp_guard_check() has looked (vmm/core/thread_pointer.h).
 */
long kvm_vcpu_run(int vcpu_fd);

static inline struct seavmm_arm_sea *kvm_run_arm_sea(struct kvm_run *run)
{
	/* Every member of the exit union starts at the same offset. */
	return (struct seavmm_arm_sea *)(void *)&run->mmio;
}

#endif
