// SPDX-License-Identifier: GPL-2.0-only
/*
 * seavmm probe: what this host's KVM offers for handling guest memory errors.
 * One line per fact, "name: value", so that scripts can grep it.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "commands.h"
#include "inject.h"
#include "kvm.h"
#include "retire.h"
#include "util.h"

struct cap_row {
	const char *name;
	long cap;
	int on_vm; /* some capabilities only answer on a VM fd */
	const char *needed_for;
};

static const struct cap_row cap_rows[] = {
	{ "KVM_CAP_ARM_SEA_TO_USER", KVM_CAP_ARM_SEA_TO_USER, 1,
	  "guest memory errors reach seavmm as KVM_EXIT_ARM_SEA (Linux 6.19+)" },
	{ "KVM_CAP_ARM_INJECT_EXT_DABT", KVM_CAP_ARM_INJECT_EXT_DABT, 0,
	  "injecting a data abort with KVM_SET_VCPU_EVENTS" },
	{ "KVM_CAP_ARM_INJECT_EXT_IABT", KVM_CAP_ARM_INJECT_EXT_IABT, 1,
	  "injecting data and instruction aborts with the decided ESR through "
	  "KVM_SET_VCPU_EVENTS (not upstream: the patched test kernel's number 0x5ea0)" },
	{ "KVM_CAP_ARM_INJECT_SERROR_ESR", KVM_CAP_ARM_INJECT_SERROR_ESR, 0,
	  "injecting an SError with a chosen syndrome" },
	{ "KVM_CAP_ARM_NISV_TO_USER", KVM_CAP_ARM_NISV_TO_USER, 1,
	  "MMIO accesses without a valid syndrome reach seavmm" },
};

static void probe_usage(FILE *f)
{
	fprintf(f, "usage: seavmm probe [--kvm PATH]\n\n"
		   "Reports, for the host it runs on, what seavmm's RAS handling needs:\n"
		   "KVM access, the SEA and abort-injection capabilities, the IPA size\n"
		   "limit, the GIC versions, the vCPU limit and how 'seavmm run' would\n"
		   "inject aborts (inject-path). Exit status 0 when KVM is usable, 1\n"
		   "when it is not, 2 for a usage error.\n");
}

/*
 * The path 'seavmm run' takes with the default inject_path=auto, judged on a
 * vCPU of the probe's VM as run judges it on its own.
 */
static void probe_inject_path(int vm_fd)
{
	struct kvm_vcpu_init init;
	struct inject_caps caps;
	enum ras_inject_path path;
	const char *why;
	int fd;

	if (vm_fd < 0) {
		printf("inject-path: unknown (no VM)\n");
		return;
	}
	fd = ioctl(vm_fd, KVM_CREATE_VCPU, 0);
	if (fd < 0 || kvm_ioctl(vm_fd, KVM_ARM_PREFERRED_TARGET, &init) < 0 ||
	    kvm_ioctl(fd, KVM_ARM_VCPU_INIT, &init) < 0 || inject_read_caps(vm_fd, fd, &caps) < 0) {
		printf("inject-path: unknown (cannot set up a vCPU to read its features)\n");
		if (fd >= 0)
			close(fd);
		return;
	}
	close(fd);
	inject_resolve(RAS_INJECT_AUTO, &caps, &path, &why);
	printf("inject-path: %s (%s)\n",
	       path == RAS_INJECT_EVENTS ? "events (KVM_SET_VCPU_EVENTS with the decided ESR)"
					 : "entry (exception entry emulated with KVM_SET_ONE_REG)",
	       why);
}

static const char *gic_versions(int vm_fd, char *buf, size_t len)
{
	static const struct {
		uint32_t type;
		const char *name;
	} gics[] = { { KVM_DEV_TYPE_ARM_VGIC_V3, "v3" }, { KVM_DEV_TYPE_ARM_VGIC_V2, "v2" } };
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(gics); i++) {
		struct kvm_create_device cd = { .type = gics[i].type,
						.flags = KVM_CREATE_DEVICE_TEST };

		if (ioctl(vm_fd, KVM_CREATE_DEVICE, &cd) == 0)
			used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? " " : "",
						 gics[i].name);
	}
	return used ? buf : "none";
}

/*
 * How `run` takes a poisoned host frame out of use: through the host
 * kernel's memory-failure handling (CONFIG_MEMORY_FAILURE, which also makes
 * hard_offline_page exist, and CAP_SYS_ADMIN for MADV_HWPOISON), or not.
 */
static void probe_retirement(void)
{
	bool mf = access("/sys/devices/system/memory/hard_offline_page", F_OK) == 0;
	bool cap = retire_can_hwpoison();

	if (mf && cap)
		printf("frame-retirement: host kernel (MADV_HWPOISON: the frame is never used "
		       "again; the page reads as poisoned)\n");
	else
		printf("frame-retirement: in place (%s: a poisoned frame stays mapped, out of core "
		       "dumps and swap, and returns to the host at exit; see docs/usage.md)\n",
		       !mf ? "no CONFIG_MEMORY_FAILURE" : "no CAP_SYS_ADMIN");
}

int cmd_probe(int argc, char **argv)
{
	const char *path = KVM_DEV_PATH;
	char gics[16];
	int kvm_fd, vm_fd, ipa, ncpus;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			probe_usage(stdout);
			return EXIT_OK;
		} else if (!strcmp(argv[i], "--kvm") && i + 1 < argc) {
			path = argv[++i];
		} else {
			fprintf(stderr,
				"seavmm probe: unexpected argument '%s'; "
				"see 'seavmm probe --help'\n",
				argv[i]);
			return EXIT_USAGE;
		}
	}

	kvm_fd = kvm_open(path);
	if (kvm_fd < 0) {
		const char *why, *fix;

		kvm_open_explain(kvm_fd, &why, &fix);
		fprintf(stderr, "seavmm probe: cannot use %s: %s; %s\n", path, why, fix);
		return EXIT_RUNTIME;
	}
	printf("kvm: %s (API %d)\n", path, KVM_API_VERSION);

	vm_fd = kvm_create_vm(kvm_fd, 0);
	for (size_t i = 0; i < ARRAY_SIZE(cap_rows); i++) {
		const struct cap_row *r = &cap_rows[i];
		int fd = r->on_vm && vm_fd >= 0 ? vm_fd : kvm_fd;
		int v = kvm_check_extension(fd, r->cap);

		printf("%s: %s (%s)\n", r->name, v > 0 ? "supported" : "not supported",
		       r->needed_for);
	}

	ipa = kvm_check_extension(kvm_fd, KVM_CAP_ARM_VM_IPA_SIZE);
	if (ipa > 0)
		printf("ipa-size-limit: %d bits\n", ipa);
	else
		printf("ipa-size-limit: 40 bits (KVM_CAP_ARM_VM_IPA_SIZE not supported)\n");
	printf("gic: %s\n",
	       vm_fd >= 0 ? gic_versions(vm_fd, gics, sizeof(gics)) : "unknown (no VM)");
	ncpus = kvm_check_extension(kvm_fd, KVM_CAP_MAX_VCPUS);
	printf("max-vcpus: %d\n", ncpus > 0 ? ncpus : 4);
	probe_retirement();
	/* Last: it adds a vCPU to the VM, after which no GIC can be created. */
	probe_inject_path(vm_fd);

	if (vm_fd >= 0)
		close(vm_fd);
	close(kvm_fd);
	return EXIT_OK;
}
