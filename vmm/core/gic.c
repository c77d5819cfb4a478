// SPDX-License-Identifier: GPL-2.0-only
#include "gic.h"

#include <errno.h>
#include <linux/kvm.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "kvm.h"
#include "util.h"
#include "vm.h"

static int gic_set_addr(int fd, uint64_t type, uint64_t addr)
{
	struct kvm_device_attr a = {
		.group = KVM_DEV_ARM_VGIC_GRP_ADDR,
		.attr = type,
		.addr = (uint64_t)(uintptr_t)&addr,
	};

	return kvm_ioctl(fd, KVM_SET_DEVICE_ATTR, &a);
}

uint64_t gic_cpu_region_base(const struct vm *vm)
{
	return vm->gic_version == 3 ? VM_GICV3_REDIST_BASE : VM_GICV2_CPU_BASE;
}

uint64_t gic_cpu_region_size(const struct vm *vm)
{
	return vm->gic_version == 3 ? VM_GICV3_REDIST_STRIDE * vm->nr_vcpus : VM_GICV2_CPU_SIZE;
}

static int gic_create_version(struct vm *vm, int version)
{
	struct kvm_create_device cd = {
		.type = version == 3 ? KVM_DEV_TYPE_ARM_VGIC_V3 : KVM_DEV_TYPE_ARM_VGIC_V2,
	};
	int ret;

	/* Probe quietly first: a missing v3 is not an error while v2 may do. */
	if (ioctl(vm->vm_fd, KVM_CREATE_DEVICE, &cd) < 0)
		return -errno;
	vm->gic_fd = (int)cd.fd;
	vm->gic_version = version;
	if (version == 3) {
		ret = gic_set_addr(vm->gic_fd, KVM_VGIC_V3_ADDR_TYPE_DIST, VM_GIC_DIST_BASE);
		if (!ret)
			ret = gic_set_addr(vm->gic_fd, KVM_VGIC_V3_ADDR_TYPE_REDIST,
					   VM_GICV3_REDIST_BASE);
	} else {
		ret = gic_set_addr(vm->gic_fd, KVM_VGIC_V2_ADDR_TYPE_DIST, VM_GIC_DIST_BASE);
		if (!ret)
			ret = gic_set_addr(vm->gic_fd, KVM_VGIC_V2_ADDR_TYPE_CPU,
					   VM_GICV2_CPU_BASE);
	}
	if (ret < 0) {
		close(vm->gic_fd);
		vm->gic_fd = -1;
	}
	return ret;
}

int gic_create(struct vm *vm)
{
	int ret = gic_create_version(vm, 3);

	if (ret != -ENODEV)
		return ret;
	if (vm->nr_vcpus > VM_GICV2_MAX_VCPUS) {
		pr_err("this host's KVM has no GICv3 and a GICv2 serves at most %d vCPUs; "
		       "use --cpus %d or fewer",
		       VM_GICV2_MAX_VCPUS, VM_GICV2_MAX_VCPUS);
		return -E2BIG;
	}
	ret = gic_create_version(vm, 2);
	if (ret == -ENODEV)
		pr_err("KVM_CREATE_DEVICE: "
		       "this host's KVM offers neither an in-kernel GICv3 nor a GICv2");
	return ret;
}

int gic_finalize(struct vm *vm)
{
	struct kvm_device_attr a = {
		.group = KVM_DEV_ARM_VGIC_GRP_CTRL,
		.attr = KVM_DEV_ARM_VGIC_CTRL_INIT,
	};

	return kvm_ioctl(vm->gic_fd, KVM_SET_DEVICE_ATTR, &a);
}

int gic_set_spi(struct vm *vm, uint32_t spi, bool level)
{
	struct kvm_irq_level irq = {
		.irq = (KVM_ARM_IRQ_TYPE_SPI << KVM_ARM_IRQ_TYPE_SHIFT) | (spi + 32),
		.level = level,
	};

	return kvm_ioctl(vm->vm_fd, KVM_IRQ_LINE, &irq);
}
