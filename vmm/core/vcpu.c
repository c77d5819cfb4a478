// SPDX-License-Identifier: GPL-2.0-only
#include "vcpu.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdatomic.h>
#include <stddef.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kvm.h"
#include "sea.h"
#include "thread_pointer.h"
#include "util.h"
#include "vm.h"

#define ARM64_MPIDR_EL1	    ARM64_SYS_REG(3, 0, 0, 0, 5)
#define MPIDR_AFFINITY_MASK 0xff00ffffffULL

static void vcpu_kick_handler(int sig)
{
	/*
	 * Its only job is to make KVM_RUN return EINTR, but it may run on the
	 * way out of KVM_RUN, before the loop checks the thread pointer.
	 */
	(void)sig;
	tp_guard_repair(NULL);
}

int vcpu_kick_signal_install(void)
{
	struct sigaction sa = { .sa_handler = vcpu_kick_handler };

	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: KVM_RUN must return to the loop to see the request. */
	return sigaction(VCPU_KICK_SIGNAL, &sa, NULL) < 0 ? -errno : 0;
}

int vcpu_set_reg(struct vcpu *v, uint64_t id, uint64_t val)
{
	struct kvm_one_reg r = { .id = id, .addr = (uint64_t)(uintptr_t)&val };

	return kvm_ioctl(v->fd, KVM_SET_ONE_REG, &r);
}

int vcpu_get_reg(struct vcpu *v, uint64_t id, uint64_t *val)
{
	struct kvm_one_reg r = { .id = id, .addr = (uint64_t)(uintptr_t)val };

	return kvm_ioctl(v->fd, KVM_GET_ONE_REG, &r);
}

int vcpu_create(struct vm *vm, struct vcpu *v, unsigned int id)
{
	int ret;

	memset(v, 0, sizeof(*v));
	v->vm = vm;
	v->id = id;
	v->fd = kvm_ioctl(vm->vm_fd, KVM_CREATE_VCPU, (void *)(uintptr_t)id);
	if (v->fd < 0)
		return v->fd;
	v->run = mmap(NULL, vm->run_mmap_size, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd, 0);
	if (v->run == MAP_FAILED) {
		ret = -errno;
		pr_err("vcpu%u: mmap of kvm_run: %s", id, strerror(-ret));
		return ret;
	}
	ret = kvm_ioctl(vm->vm_fd, KVM_ARM_PREFERRED_TARGET, &v->init);
	if (ret < 0)
		return ret;
	v->init.features[0] |= 1u << KVM_ARM_VCPU_PSCI_0_2;
	if (id > 0)
		v->init.features[0] |= 1u << KVM_ARM_VCPU_POWER_OFF;
	v->sigbus = &vm->sea.sigbus.vcpus[id];
	v->sigbus->immediate_exit = &v->run->immediate_exit;
	ret = vcpu_reset(v);
	if (ret < 0)
		return ret;
	/* KVM derives MPIDR from the vCPU index; the device tree must match it. */
	ret = vcpu_get_reg(v, ARM64_MPIDR_EL1, &v->mpidr);
	v->mpidr &= MPIDR_AFFINITY_MASK;
	return ret;
}

int vcpu_reset(struct vcpu *v)
{
	v->run->immediate_exit = 0;
	return kvm_ioctl(v->fd, KVM_ARM_VCPU_INIT, &v->init);
}

int vcpu_set_boot_regs(struct vcpu *v, uint64_t pc, uint64_t x0)
{
	int ret = vcpu_set_reg(v, ARM64_CORE_REG(regs.regs[0]), x0);

	return ret ? ret : vcpu_set_reg(v, ARM64_CORE_REG(regs.pc), pc);
}

void vcpu_kick(struct vcpu *v)
{
	/*
	 * immediate_exit covers a kick that lands just before KVM_RUN starts.
	 * The fence orders the caller's stop request before it: the loop
	 * clears immediate_exit only while it sees no stop request.
	 */
	atomic_thread_fence(memory_order_seq_cst);
	v->run->immediate_exit = 1;
	pthread_kill(v->thread, VCPU_KICK_SIGNAL);
}

static const char *const kvm_exit_names[] = {
#define X(n) [KVM_EXIT_##n] = "KVM_EXIT_" #n
	X(UNKNOWN),
	X(EXCEPTION),
	X(IO),
	X(HYPERCALL),
	X(DEBUG),
	X(HLT),
	X(MMIO),
	X(IRQ_WINDOW_OPEN),
	X(SHUTDOWN),
	X(FAIL_ENTRY),
	X(INTR),
	X(INTERNAL_ERROR),
	X(SYSTEM_EVENT),
	X(ARM_NISV),
	X(DIRTY_RING_FULL),
	X(ARM_SEA),
#undef X
};

static const char *kvm_exit_name(uint32_t reason)
{
	if (reason < ARRAY_SIZE(kvm_exit_names) && kvm_exit_names[reason])
		return kvm_exit_names[reason];
	return "an unknown exit";
}

static int vcpu_handle_mmio(struct vcpu *v)
{
	struct vm *vm = v->vm;
	uint64_t addr = v->run->mmio.phys_addr;
	uint32_t len = v->run->mmio.len;
	int ret;

	if (len > sizeof(v->run->mmio.data))
		len = sizeof(v->run->mmio.data);
	ret = mmio_bus_access(&vm->bus, addr, v->run->mmio.data, len, v->run->mmio.is_write);
	if (ret == -ENODEV && !atomic_exchange(&vm->unbacked_reported, true))
		pr_info("vcpu%u: guest %s %u bytes at 0x%llx where there is no device; "
			"reads return 0, writes are dropped (reported once)",
			v->id, v->run->mmio.is_write ? "wrote" : "read", len,
			(unsigned long long)addr);
	return 0;
}

/* A load/store KVM cannot decode (no syndrome): the guest gets an external abort. */
static int vcpu_handle_nisv(struct vcpu *v)
{
	struct kvm_vcpu_events ev;

	memset(&ev, 0, sizeof(ev));
	ev.exception.ext_dabt_pending = 1;
	return kvm_ioctl(v->fd, KVM_SET_VCPU_EVENTS, &ev);
}

static int vcpu_handle_system_event(struct vcpu *v)
{
	switch (v->run->system_event.type) {
	case KVM_SYSTEM_EVENT_SHUTDOWN:
		vm_request_stop(v->vm, VM_STOP_POWEROFF);
		return 0;
	case KVM_SYSTEM_EVENT_RESET:
		vm_request_stop(v->vm, VM_STOP_RESET);
		return 0;
	case KVM_SYSTEM_EVENT_CRASH:
		pr_err("vcpu%u: the guest reported a crash (PSCI SYSTEM_EVENT_CRASH); "
		       "see its console output",
		       v->id);
		return -EIO;
	default:
		pr_err("vcpu%u: unhandled KVM_EXIT_SYSTEM_EVENT type %u", v->id,
		       v->run->system_event.type);
		return -ENOTSUP;
	}
}

/*
 * Every exit is handled here, on the vCPU's own thread, before its next
 * KVM_RUN. Returns 0 to keep running, or a negative errno (already
 * reported) to stop the VM.
 */
static int vcpu_handle_exit(struct vcpu *v)
{
	uint32_t reason = v->run->exit_reason;

	switch (reason) {
	case KVM_EXIT_MMIO:
		return vcpu_handle_mmio(v);
	case KVM_EXIT_SYSTEM_EVENT:
		return vcpu_handle_system_event(v);
	case KVM_EXIT_ARM_NISV:
		return vcpu_handle_nisv(v);
	case KVM_EXIT_ARM_SEA:
		/* A guest memory error: vmm/sea/sea.c decides and carries it out. */
		return sea_handle_exit(v);
	case KVM_EXIT_INTR:
		return 0;
	default:
		pr_err("vcpu%u: unhandled KVM exit %s (%u); seavmm cannot continue this guest",
		       v->id, kvm_exit_name(reason), reason);
		return -ENOTSUP;
	}
}

/*
 * Host SIGBUS records (vmm/sea/sigbus.c): every AO any thread recorded, then an
 * AR this thread took during its last KVM_RUN. Returns 1 when there was an
 * AR, 0 when not, or a negative errno (reported).
 */
static int vcpu_handle_sigbus(struct vcpu *v)
{
	struct sigbus_vm *sb = &v->vm->sea.sigbus;
	struct sigbus_event ev[SIGBUS_AO_SLOTS];
	unsigned int n, lost;
	int ret;

	if (sigbus_ao_pending(sb)) {
		n = sigbus_take_ao(sb, ev, &lost);
		if (lost)
			pr_info("vcpu%u: %u host memory-error reports (SIGBUS BUS_MCEERR_AO) came "
				"faster than seavmm took them and are not reported; a guest access "
				"to such a page still is",
				v->id, lost);
		for (unsigned int i = 0; i < n; i++) {
			ret = sea_handle_sigbus(v, RAS_SRC_SIGBUS_AO, &ev[i]);
			if (ret < 0)
				return ret;
		}
	}
	if (!sigbus_take_ar(v->sigbus, &ev[0]))
		return 0;
	ret = sea_handle_sigbus(v, RAS_SRC_SIGBUS_AR, &ev[0]);
	return ret < 0 ? ret : 1;
}

/* A stop request (vm_request_stop), seen before KVM_RUN. */
#define VCPU_LOOK_STOP 2

/*
 * Before KVM_RUN: a stop request, then AO records this vCPU ran no KVM_RUN
 * for (or that came between boots). VCPU_LOOK_STOP, or as vcpu_handle_sigbus.
 */
static int vcpu_entry_look(void *arg)
{
	struct vcpu *v = arg;

	if (vm_stop_reason(v->vm) != VM_RUNNING)
		return VCPU_LOOK_STOP;
	return vcpu_handle_sigbus(v);
}

/* KVM's value for a guest register whose reset value is UNKNOWN. */
#define KVM_RESET_UNKNOWN 0x1de7ec7edbadc0deULL

static void vcpu_report_wrong_tp(struct vcpu *v, uint64_t wrong)
{
	pr_info("vcpu%u: the host returned from KVM_RUN with thread pointer (TPIDR_EL0) "
		"0x%" PRIx64 "%s, not this thread's; seavmm put its own back and runs on. "
		"A host kernel or emulator fault: docs/host-kernel-bugs.md",
		v->id, wrong,
		wrong == KVM_RESET_UNKNOWN ? " (KVM's reset value of a guest register: the guest's)"
					   : "");
}

void vcpu_run_loop(struct vcpu *v)
{
	struct vm *vm = v->vm;
	int sb = 0;
	int tp_slot = tp_guard_enter();

	sigbus_thread_enter(v->sigbus);
	for (;;) {
		uint64_t wrong_tp;
		long ret;

		/* Whatever kicks recorded, without losing one (sigbus_entry_gate). */
		sb = sigbus_entry_gate(v->sigbus, vcpu_entry_look, v);
		if (sb < 0 || sb == VCPU_LOOK_STOP)
			break;
		vm_pause_point(vm);
		v->sigbus->in_run = 1;
		ret = kvm_vcpu_run(v->fd);
		/* Before the first thread-local access (thread_pointer.h). */
		if (tp_guard_check(tp_slot, &wrong_tp))
			vcpu_report_wrong_tp(v, wrong_tp);
		v->sigbus->in_run = 0;
		/* Before anything else: a vCPU that hit poison must not run on as if not. */
		sb = vcpu_handle_sigbus(v);
		if (sb < 0)
			break;
		if (ret < 0) {
			int err = (int)-ret;

			/* EINTR: a kick or a SIGBUS (an AR may also come as EFAULT), handled above.
			 */
			if (err == EINTR || err == EAGAIN || (err == EFAULT && sb > 0))
				continue;
			if (err == EIO)
				/* kvm_vcpu_ioctl's answer for a VM KVM_BUG_ON() marked bugged. */
				pr_err("vcpu%u: KVM_RUN: %s: the host's KVM has marked this VM "
				       "dead "
				       "(a KVM_BUG_ON; the host kernel's log has its warning); "
				       "seavmm cannot run it on",
				       v->id, strerror(err));
			else
				pr_err("vcpu%u: KVM_RUN: %s", v->id, strerror(err));
			sb = -err;
			break;
		}
		if (vcpu_handle_exit(v) < 0) {
			sb = -EIO;
			break;
		}
	}
	if (sb < 0)
		vm_request_stop(vm, VM_STOP_ERROR);
	sigbus_thread_leave(v->sigbus);
	tp_guard_leave(tp_slot);
}
