// SPDX-License-Identifier: GPL-2.0-only
#include "kvm.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sigsafe.h"
#include "util.h"

int kvm_ioctl_named(int fd, unsigned long req, void *arg, const char *name)
{
	int ret;

	do {
		ret = ioctl(fd, req, arg);
	} while (ret < 0 && errno == EINTR);
	if (ret < 0) {
		ret = -errno;
		pr_err("%s: %s", name, strerror(-ret));
	}
	return ret;
}

long kvm_vcpu_run(int vcpu_fd)
{
	return sigsafe_syscall(__NR_ioctl, vcpu_fd, KVM_RUN, 0);
}

int kvm_open(const char *path)
{
	int fd = open(path, O_RDWR | O_CLOEXEC);
	int ver;

	if (fd < 0)
		return -errno;
	ver = ioctl(fd, KVM_GET_API_VERSION, 0);
	if (ver != KVM_API_VERSION) {
		close(fd);
		return ver < 0 ? -ENOTTY : -EPROTO;
	}
	return fd;
}

void kvm_open_explain(int err, const char **why, const char **fix)
{
	switch (err) {
	case -ENOENT:
		*why = "no such device";
		*fix = "this host has no KVM (run on an arm64 Linux host with KVM enabled, "
		       "or use 'make run')";
		break;
	case -EACCES:
	case -EPERM:
		*why = "permission denied";
		*fix = "add yourself to the 'kvm' group or run as root";
		break;
	case -ENOTTY:
		*why = "not a KVM device (KVM_GET_API_VERSION failed)";
		*fix = "check --kvm";
		break;
	case -EPROTO:
		*why = "unexpected KVM API version (not 12)";
		*fix = "this kernel's KVM is not one seavmm can drive";
		break;
	default:
		*why = strerror(-err);
		*fix = "check that KVM is enabled";
	}
}

int kvm_check_extension(int fd, long cap)
{
	int ret = ioctl(fd, KVM_CHECK_EXTENSION, cap);

	return ret < 0 ? -errno : ret;
}

int kvm_create_vm(int kvm_fd, unsigned long type)
{
	int fd;

	do {
		fd = ioctl(kvm_fd, KVM_CREATE_VM, type);
	} while (fd < 0 && errno == EINTR);
	if (fd < 0) {
		fd = -errno;
		pr_err("KVM_CREATE_VM: %s", strerror(-fd));
	}
	return fd;
}

int kvm_enable_cap(int vm_fd, uint32_t cap, uint64_t arg0)
{
	struct kvm_enable_cap ec = { .cap = cap, .args = { arg0 } };
	int ret = ioctl(vm_fd, KVM_ENABLE_CAP, &ec);

	/* Callers probe optional capabilities: they decide whether to report. */
	return ret < 0 ? -errno : ret;
}
