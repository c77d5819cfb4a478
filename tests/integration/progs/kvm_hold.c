// SPDX-License-Identifier: GPL-2.0-only
/*
 * kvm_hold: creates one empty KVM VM and keeps it until killed, so the
 * emulated host always has a VM. Every VM's creation and its destruction
 * bump a kernel static key (KVM's preempt notifiers), and each time the
 * count crosses zero the kernel rewrites its own scheduler code. Under
 * our emulator that rewrite is suspected of leaving a vCPU thread's
 * registers half switched (docs/host-kernel-bugs.md); with one VM held
 * for the host's whole life the count never crosses zero while the
 * scenarios run. Started by tests/integration/host-init; says why it
 * could not start, and exits 1, otherwise it never exits on its own.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

int main(void)
{
	int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	int vm;

	if (kvm < 0) {
		fprintf(stderr, "kvm_hold: /dev/kvm: %s\n", strerror(errno));
		return 1;
	}
	do
		vm = ioctl(kvm, KVM_CREATE_VM, 0);
	while (vm < 0 && errno == EINTR);
	if (vm < 0) {
		fprintf(stderr, "kvm_hold: KVM_CREATE_VM: %s\n", strerror(errno));
		return 1;
	}
	switch (fork()) {
	case -1:
		fprintf(stderr, "kvm_hold: fork: %s\n", strerror(errno));
		return 1;
	case 0:
		for (;;)
			pause();
	default:
		return 0;
	}
}
