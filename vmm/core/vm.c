// SPDX-License-Identifier: GPL-2.0-only
#include "vm.h"

#include <errno.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "agent.h"
#include "gic.h"
#include "kvm.h"
#include "seccomp.h"
#include "util.h"
#include "vcpu.h"
#include "vm_virtio.h"

#define VM_IPA_BITS_MIN	    32
#define VM_IPA_BITS_DEFAULT 40 /* what VM type 0 gives */

/* Kicks every running vCPU thread out of KVM_RUN; returns how many there are. */
static unsigned int vm_kick_all(struct vm *vm)
{
	unsigned int live = 0;

	pthread_mutex_lock(&vm->vcpu_lock);
	for (unsigned int i = 0; i < vm->nr_vcpus; i++)
		if (vm->vcpus[i].thread_live) {
			vcpu_kick(&vm->vcpus[i]);
			live++;
		}
	pthread_mutex_unlock(&vm->vcpu_lock);
	return live;
}

bool vm_request_stop(struct vm *vm, enum vm_stop_reason reason)
{
	int expected = VM_RUNNING;

	if (!atomic_compare_exchange_strong(&vm->stop, &expected, (int)reason))
		return false;
	vm_kick_all(vm);
	/* A paused vCPU waits on the condition, not in KVM_RUN. */
	pthread_mutex_lock(&vm->pause_lock);
	pthread_cond_broadcast(&vm->pause_cond);
	pthread_mutex_unlock(&vm->pause_lock);
	return true;
}

bool vm_pause(struct vm *vm, bool pause)
{
	struct timespec deadline;
	unsigned int live;
	bool all;

	if (!pause) {
		pthread_mutex_lock(&vm->pause_lock);
		atomic_store(&vm->pause_requested, false);
		pthread_cond_broadcast(&vm->pause_cond);
		pthread_mutex_unlock(&vm->pause_lock);
		return true;
	}
	/* Before the kick: a vCPU leaving KVM_RUN for it must see the request. */
	atomic_store(&vm->pause_requested, true);
	live = vm_kick_all(vm);
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += 1;
	pthread_mutex_lock(&vm->pause_lock);
	/* A vCPU busy with a slow exit (a console write to a full pipe) is not waited for long. */
	while (vm->paused_vcpus < live && vm_stop_reason(vm) == VM_RUNNING &&
	       pthread_cond_timedwait(&vm->pause_cond, &vm->pause_lock, &deadline) != ETIMEDOUT)
		;
	all = vm->paused_vcpus >= live;
	pthread_mutex_unlock(&vm->pause_lock);
	return all;
}

void vm_pause_point(struct vm *vm)
{
	if (!atomic_load(&vm->pause_requested))
		return;
	pthread_mutex_lock(&vm->pause_lock);
	vm->paused_vcpus++;
	pthread_cond_broadcast(&vm->pause_cond);
	while (atomic_load(&vm->pause_requested) && vm_stop_reason(vm) == VM_RUNNING)
		pthread_cond_wait(&vm->pause_cond, &vm->pause_lock);
	vm->paused_vcpus--;
	pthread_mutex_unlock(&vm->pause_lock);
}

static unsigned int vm_ipa_bits_needed(uint64_t top)
{
	unsigned int bits = VM_IPA_BITS_MIN;

	while (bits < 64 && top > (1ULL << bits))
		bits++;
	return bits;
}

static int vm_open_kvm(struct vm *vm)
{
	const char *path = vm->opts->kvm_path;
	int fd = kvm_open(path);
	const char *why, *fix;

	if (fd >= 0) {
		vm->kvm_fd = fd;
		return 0;
	}
	kvm_open_explain(fd, &why, &fix);
	pr_err("cannot open %s: %s; %s", path, why, fix);
	return fd;
}

/* The host-dependent limits of --mem and --cpus: bad input, so -EINVAL. */
static int vm_check_limits(struct vm *vm, uint64_t *vm_type)
{
	const struct run_opts *o = vm->opts;
	int max_ipa = kvm_check_extension(vm->kvm_fd, KVM_CAP_ARM_VM_IPA_SIZE);
	int max_vcpus = kvm_check_extension(vm->kvm_fd, KVM_CAP_MAX_VCPUS);
	long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
	uint64_t host_ram = pages > 0 && page > 0 ? (uint64_t)pages * (uint64_t)page : 0;

	if (max_vcpus <= 0)
		max_vcpus = kvm_check_extension(vm->kvm_fd, KVM_CAP_NR_VCPUS);
	if (max_vcpus > 0 && o->ncpus > (unsigned int)max_vcpus) {
		pr_err("--cpus %u is more than this host's KVM allows (%d); use --cpus %d or fewer",
		       o->ncpus, max_vcpus, max_vcpus);
		return -EINVAL;
	}
	if (host_ram && o->mem_size > host_ram) {
		pr_err("--mem %llu M is more than this host's RAM (%llu M); give a smaller --mem",
		       (unsigned long long)(o->mem_size >> 20),
		       (unsigned long long)(host_ram >> 20));
		return -EINVAL;
	}
	vm->ipa_bits = vm_ipa_bits_needed(VM_RAM_BASE + o->mem_size);
	if (max_ipa <= 0)
		max_ipa = VM_IPA_BITS_DEFAULT;
	if (vm->ipa_bits > (unsigned int)max_ipa) {
		pr_err("--mem %llu M needs a %u-bit guest physical address space; "
		       "this host's KVM offers %d bits",
		       (unsigned long long)(o->mem_size >> 20), vm->ipa_bits, max_ipa);
		return -EINVAL;
	}
	/* Type 0 means 40 bits; a smaller space needs fewer stage-2 levels. */
	*vm_type = kvm_check_extension(vm->kvm_fd, KVM_CAP_ARM_VM_IPA_SIZE) > 0
			   ? KVM_VM_TYPE_ARM_IPA_SIZE(vm->ipa_bits)
			   : 0;
	return 0;
}

static void vm_uart_set_irq(void *ctx, bool level)
{
	gic_set_spi(ctx, VM_UART_SPI, level);
}

static int vm_add_devices(struct vm *vm)
{
	struct mmio_device uart = {
		.base = VM_UART_BASE,
		.size = UART_16550_MMIO_SIZE,
		.access = uart_16550_mmio,
		.opaque = &vm->uart,
		.name = "uart_16550",
	};
	int notify = eventfd(0, EFD_CLOEXEC), ret;

	if (notify < 0)
		return -errno;
	uart_16550_init(&vm->uart, STDOUT_FILENO, notify, vm_uart_set_irq, vm);
	ret = mmio_bus_register(&vm->bus, &uart);
	if (!ret)
		ret = vm_virtio_setup(vm);
	return ret ? ret : agent_setup(vm);
}

static int vm_create_vcpus(struct vm *vm)
{
	int ret;

	vm->vcpus = calloc(vm->nr_vcpus, sizeof(*vm->vcpus));
	if (!vm->vcpus)
		return -ENOMEM;
	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		ret = vcpu_create(vm, &vm->vcpus[i], i);
		if (ret < 0)
			return ret;
	}
	return 0;
}

int vm_setup(struct vm *vm, const struct run_opts *opts)
{
	uint64_t type;
	int ret;

	vm->opts = opts;
	vm->nr_vcpus = opts->ncpus;
	vm->gic_fd = vm->vm_fd = vm->kvm_fd = -1;
	pthread_mutex_init(&vm->vcpu_lock, NULL);
	pthread_mutex_init(&vm->pause_lock, NULL);
	{
		pthread_condattr_t ca;

		pthread_condattr_init(&ca);
		pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
		pthread_cond_init(&vm->pause_cond, &ca);
		pthread_condattr_destroy(&ca);
	}
	ret = vm_open_kvm(vm);
	if (ret < 0)
		return ret;
	ret = vm_check_limits(vm, &type);
	if (ret < 0)
		return ret;
	vm->vm_fd = kvm_create_vm(vm->kvm_fd, type);
	if (vm->vm_fd < 0)
		return vm->vm_fd;
	ret = ioctl(vm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (ret <= 0) {
		pr_err("KVM_GET_VCPU_MMAP_SIZE: %s", strerror(errno));
		return -EIO;
	}
	vm->run_mmap_size = (size_t)ret;
	/*
	 * Optional: lets a guest's undecodable MMIO access become its own
	 * abort, not our failure.
	 */
	if (kvm_check_extension(vm->vm_fd, KVM_CAP_ARM_NISV_TO_USER) > 0 &&
	    kvm_check_extension(vm->kvm_fd, KVM_CAP_ARM_INJECT_EXT_DABT) > 0)
		kvm_enable_cap(vm->vm_fd, KVM_CAP_ARM_NISV_TO_USER, 0);
	ret = sea_setup(vm);
	if (ret < 0)
		return ret;
	ret = mem_region_add(&vm->mem, vm->vm_fd, VM_RAM_BASE, opts->mem_size,
			     opts->dump_guest_core);
	if (ret < 0) {
		pr_err("cannot allocate %llu M of guest RAM: %s; give a smaller --mem",
		       (unsigned long long)(opts->mem_size >> 20), strerror(-ret));
		return ret;
	}
	ret = gic_create(vm);
	if (ret == 0)
		ret = vm_create_vcpus(vm);
	if (ret == 0)
		ret = gic_finalize(vm);
	if (ret == 0)
		ret = vm_add_devices(vm);
	if (ret == 0)
		ret = inject_setup(vm);
	return ret;
}

static void *vm_vcpu_thread(void *arg)
{
	struct vcpu *v = arg;
	char name[16];

	snprintf(name, sizeof(name), "vcpu%u", v->id);
	pthread_setname_np(pthread_self(), name);
	if (v->vm->opts->seccomp && seccomp_enter(SECCOMP_VCPU) < 0)
		/* It still runs under main's filter, only a wider one. */
		pr_err("vcpu%u: cannot narrow its seccomp filter; it keeps the main thread's",
		       v->id);
	vcpu_run_loop(v);
	pthread_mutex_lock(&v->vm->vcpu_lock);
	v->thread_live = false;
	pthread_mutex_unlock(&v->vm->vcpu_lock);
	return NULL;
}

enum vm_stop_reason vm_run(struct vm *vm)
{
	unsigned int started = 0;

	pthread_mutex_lock(&vm->vcpu_lock);
	for (; started < vm->nr_vcpus; started++) {
		struct vcpu *v = &vm->vcpus[started];
		int err = pthread_create(&v->thread, NULL, vm_vcpu_thread, v);

		if (err) {
			pr_err("cannot start the thread of vcpu%u: %s", started, strerror(err));
			break;
		}
		v->thread_live = true;
	}
	pthread_mutex_unlock(&vm->vcpu_lock);
	if (started < vm->nr_vcpus)
		vm_request_stop(vm, VM_STOP_ERROR);
	for (unsigned int i = 0; i < started; i++)
		pthread_join(vm->vcpus[i].thread, NULL);
	return vm_stop_reason(vm);
}

int vm_reset(struct vm *vm)
{
	int ret;

	/* Devices first: no request in flight may write RAM after it is zeroed. */
	vm_virtio_reset(vm);
	/* A restart ends a pause, and RAM given back must carry no injected poison. */
	atomic_store(&vm->pause_requested, false);
	poison_inject_release(&vm->pinj, false);
	sea_vm_reset(vm);
	agent_reset(vm);
	mem_discard_all(&vm->mem);
	uart_16550_reset(&vm->uart);
	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		ret = vcpu_reset(&vm->vcpus[i]);
		if (ret < 0)
			return ret;
	}
	atomic_store(&vm->stop, VM_RUNNING);
	return 0;
}

void vm_destroy(struct vm *vm)
{
	agent_stop(vm);
	vm_virtio_destroy(vm);
	agent_destroy(vm);
	/* Before guest RAM and the quarantine go back to the host. */
	poison_inject_release(&vm->pinj, true);
	poison_inject_close(&vm->pinj);
	for (unsigned int i = 0; vm->vcpus && i < vm->nr_vcpus; i++) {
		if (vm->vcpus[i].fd > 0)
			close(vm->vcpus[i].fd);
	}
	free(vm->vcpus);
	vm->vcpus = NULL;
	sea_destroy(vm);
	mem_free(&vm->mem);
	if (vm->gic_fd >= 0)
		close(vm->gic_fd);
	if (vm->vm_fd >= 0)
		close(vm->vm_fd);
	if (vm->kvm_fd >= 0)
		close(vm->kvm_fd);
}
