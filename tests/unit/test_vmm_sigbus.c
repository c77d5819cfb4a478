// SPDX-License-Identifier: GPL-2.0-only
/*
 * The host SIGBUS handler (vmm/sea/sigbus.c) and the HVA to GPA translation it
 * relies on, natively: real SIGBUS signals carrying BUS_MCEERR_AR/AO
 * siginfo (rt_tgsigqueueinfo to ourselves), real threads and kicks. The ways
 * the handler must kill seavmm run in a forked child.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../vmm/core/memory.h"
#include "../../vmm/sea/sigbus.h"
#include "unit_util.h"

#define KICK SIGUSR1

/* Two regions of "guest RAM": only their addresses matter. */
struct fixture {
	struct guest_memory mem;
	struct sigbus_vm vm;
	uint8_t *ram0, *ram1;
	uint8_t ie[2]; /* immediate_exit of two vCPUs */
};

static atomic_int kicks;

static void on_kick(int sig)
{
	(void)sig;
	atomic_fetch_add(&kicks, 1);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct sigaction sa = { .sa_handler = on_kick };

	if (!f)
		return -1;
	f->ram0 = aligned_alloc(4096, 16 * 4096);
	f->ram1 = aligned_alloc(4096, 4 * 4096);
	if (!f->ram0 || !f->ram1)
		return -1;
	f->mem.regions[0] =
		(struct mem_region){ .gpa = 0x40000000, .size = 16 * 4096, .hva = f->ram0 };
	f->mem.regions[1] =
		(struct mem_region){ .gpa = 0x80000000, .size = 4 * 4096, .hva = f->ram1 };
	f->mem.nr = 2;
	sigemptyset(&sa.sa_mask);
	sigaction(KICK, &sa, NULL);
	if (sigbus_vm_init(&f->vm, &f->mem, 2, KICK) < 0)
		return -1;
	f->vm.vcpus[0].immediate_exit = &f->ie[0];
	f->vm.vcpus[1].immediate_exit = &f->ie[1];
	atomic_store(&kicks, 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	sigbus_vm_destroy(&f->vm);
	free(f->ram0);
	free(f->ram1);
	free(f);
	return 0;
}

/*
 * A SIGBUS with this siginfo to the calling thread, as the kernel sends it.
 * cmocka puts its own SIGBUS handler in place around every test: ours goes
 * back first (and cmocka restores its own after the test).
 */
static void send_sigbus(int code, const void *addr, short lsb)
{
	siginfo_t si;

	assert_int_equal(sigbus_install(), 0);
	memset(&si, 0, sizeof(si));
	si.si_signo = SIGBUS;
	si.si_code = code;
	si.si_addr = (void *)addr;
	si.si_addr_lsb = lsb;
	assert_int_equal(syscall(SYS_rt_tgsigqueueinfo, getpid(), gettid(), SIGBUS, &si), 0);
}

static void test_hva_to_gpa(void **state)
{
	struct fixture *f = *state;
	uint64_t gpa = 0;

	assert_int_equal(mem_hva_to_gpa(&f->mem, (uintptr_t)f->ram0, &gpa), 0);
	assert_true(gpa == 0x40000000);
	assert_int_equal(mem_hva_to_gpa(&f->mem, (uintptr_t)f->ram0 + 5 * 4096 + 17, &gpa), 0);
	assert_true(gpa == 0x40005011);
	assert_int_equal(mem_hva_to_gpa(&f->mem, (uintptr_t)f->ram0 + 16 * 4096 - 1, &gpa), 0);
	assert_true(gpa == 0x4000ffff);
	assert_int_equal(mem_hva_to_gpa(&f->mem, (uintptr_t)f->ram1 + 4096, &gpa), 0);
	assert_true(gpa == 0x80001000);
	/* One past each end, and below: not guest RAM, gpa untouched. */
	gpa = 7;
	assert_int_equal(mem_hva_to_gpa(&f->mem, (uintptr_t)f->ram0 + 16 * 4096, &gpa), -EFAULT);
	assert_int_equal(mem_hva_to_gpa(&f->mem, (uintptr_t)f->ram1 + 4 * 4096, &gpa), -EFAULT);
	assert_int_equal(mem_hva_to_gpa(&f->mem, (uintptr_t)f->ram0 - 1, &gpa), -EFAULT);
	assert_int_equal(mem_hva_to_gpa(&f->mem, 0, &gpa), -EFAULT);
	assert_int_equal(mem_hva_to_gpa(&f->mem, UINTPTR_MAX, &gpa), -EFAULT);
	assert_true(gpa == 7);
}

static void test_ar_on_vcpu_in_run(void **state)
{
	struct fixture *f = *state;
	struct sigbus_vcpu *v = &f->vm.vcpus[0];
	struct sigbus_event ev;

	sigbus_thread_enter(v);
	assert_false(sigbus_take_ar(v, &ev));
	v->in_run = 1;
	errno = 1234;
	send_sigbus(BUS_MCEERR_AR, f->ram0 + 3 * 4096, 12);
	v->in_run = 0;
	/* The handler leaves errno alone: the loop reads KVM_RUN's. */
	assert_int_equal(errno, 1234);
	assert_true(sigbus_take_ar(v, &ev));
	assert_true(ev.addr == (uintptr_t)(f->ram0 + 3 * 4096));
	assert_int_equal(ev.lsb, 12);
	assert_false(sigbus_take_ar(v, &ev));
	/* An AR is this thread's alone: no AO, no kick. */
	assert_false(sigbus_ao_pending(&f->vm));
	assert_int_equal(atomic_load(&kicks), 0);
	sigbus_thread_leave(v);
	assert_int_equal(atomic_load(&v->tid), 0);
}

/* A vCPU thread in its loop: waits for kicks until told to stop. */
struct waiter {
	struct sigbus_vcpu *v;
	atomic_bool ready, stop;
};

static void *vcpu_thread(void *arg)
{
	struct waiter *w = arg;

	sigbus_thread_enter(w->v);
	atomic_store(&w->ready, true);
	while (!atomic_load(&w->stop))
		usleep(1000);
	sigbus_thread_leave(w->v);
	return NULL;
}

static void test_ao_elsewhere_kicks_a_vcpu(void **state)
{
	struct fixture *f = *state;
	struct sigbus_event ev[SIGBUS_AO_SLOTS];
	struct waiter w = { .v = &f->vm.vcpus[1] };
	unsigned int lost = 99;
	pthread_t t;

	assert_int_equal(pthread_create(&t, NULL, vcpu_thread, &w), 0);
	while (!atomic_load(&w.ready))
		usleep(1000);
	/* This thread is no vCPU thread, as seavmm's main thread. */
	send_sigbus(BUS_MCEERR_AO, f->ram1 + 2 * 4096, 12);
	assert_true(sigbus_ao_pending(&f->vm));
	/* The only running vCPU: immediate_exit set, and the kick signal sent to it. */
	assert_int_equal(f->ie[1], 1);
	assert_int_equal(f->ie[0], 0);
	for (int i = 0; i < 1000 && !atomic_load(&kicks); i++)
		usleep(1000);
	assert_int_equal(atomic_load(&kicks), 1);
	atomic_store(&w.stop, true);
	pthread_join(t, NULL);

	assert_int_equal(sigbus_take_ao(&f->vm, ev, &lost), 1);
	assert_true(ev[0].addr == (uintptr_t)(f->ram1 + 2 * 4096));
	assert_int_equal(ev[0].lsb, 12);
	assert_int_equal(lost, 0);
	assert_false(sigbus_ao_pending(&f->vm));
	assert_int_equal(sigbus_take_ao(&f->vm, ev, &lost), 0);
}

static void test_ao_on_vcpu_sets_own_exit(void **state)
{
	struct fixture *f = *state;
	struct sigbus_event ev[SIGBUS_AO_SLOTS];
	unsigned int lost;

	sigbus_thread_enter(&f->vm.vcpus[0]);
	/* Not in KVM_RUN: the next one must return at once. */
	send_sigbus(BUS_MCEERR_AO, f->ram0 + 4096 + 100, 12);
	sigbus_thread_leave(&f->vm.vcpus[0]);
	assert_int_equal(f->ie[0], 1);
	assert_int_equal(f->ie[1], 0);
	assert_int_equal(atomic_load(&kicks), 0);
	assert_int_equal(sigbus_take_ao(&f->vm, ev, &lost), 1);
	/* Page granular. */
	assert_true(ev[0].addr == (uintptr_t)(f->ram0 + 4096));
}

/*
 * Issue 14 item 8: a kick that lands after the loop has looked for records
 * but before KVM_RUN. The look below takes the (empty) AO slots first and
 * only then does the AO arrive, on the vCPU's own thread, as late as a
 * kick can land; the gate must leave immediate_exit set so that KVM_RUN
 * returns at once and the next look finds the record.
 */
struct late_kick {
	struct fixture *f;
	unsigned int taken;
};

static int look_only(void *arg)
{
	struct late_kick *k = arg;
	struct sigbus_event ev[SIGBUS_AO_SLOTS];
	unsigned int lost;

	k->taken += sigbus_take_ao(&k->f->vm, ev, &lost);
	return 0;
}

static int look_then_kick(void *arg)
{
	struct late_kick *k = arg;

	look_only(arg);
	send_sigbus(BUS_MCEERR_AO, k->f->ram0 + 2 * 4096, 12);
	return 7;
}

static void test_gate_keeps_late_kick(void **state)
{
	struct fixture *f = *state;
	struct late_kick k = { .f = f };

	sigbus_thread_enter(&f->vm.vcpus[0]);
	/* A kick from an earlier round, already seen. */
	f->ie[0] = 1;
	assert_int_equal(sigbus_entry_gate(&f->vm.vcpus[0], look_then_kick, &k), 7);
	assert_int_equal(k.taken, 0);
	/* Not lost: KVM_RUN would return at once ... */
	assert_int_equal(f->ie[0], 1);
	/* ... and the next round's look takes the record. */
	assert_int_equal(sigbus_entry_gate(&f->vm.vcpus[0], look_only, &k), 0);
	assert_int_equal(k.taken, 1);
	/* Nothing left: the round after that may sleep in KVM_RUN. */
	assert_int_equal(f->ie[0], 0);
	sigbus_thread_leave(&f->vm.vcpus[0]);
}

static void test_ao_slots_bounded(void **state)
{
	struct fixture *f = *state;
	struct sigbus_event ev[SIGBUS_AO_SLOTS];
	unsigned int lost, n;

	/* No vCPU thread runs: recorded for the next loop, nobody kicked. */
	for (unsigned int i = 0; i < SIGBUS_AO_SLOTS + 3; i++)
		send_sigbus(BUS_MCEERR_AO, f->ram0 + (i % 16) * 4096, 12);
	assert_int_equal(atomic_load(&kicks), 0);
	assert_int_equal(f->ie[0] | f->ie[1], 0);
	assert_true(sigbus_ao_pending(&f->vm));
	n = sigbus_take_ao(&f->vm, ev, &lost);
	assert_int_equal(n, SIGBUS_AO_SLOTS);
	assert_int_equal(lost, 3);
	for (unsigned int i = 0; i < n; i++)
		assert_int_equal(ev[i].lsb, 12);
	/* Room again. */
	send_sigbus(BUS_MCEERR_AO, f->ram0, 12);
	assert_int_equal(sigbus_take_ao(&f->vm, ev, &lost), 1);
	assert_int_equal(lost, 0);
}

/*
 * In a child: fn sends a SIGBUS the handler cannot attribute to a guest
 * access. The child must die of SIGBUS after one stderr line holding want.
 */
static void expect_death(struct fixture *f, void (*fn)(struct fixture *), const char *want)
{
	char buf[512];
	int fd;
	pid_t pid = unit_fork_stderr(&fd);

	if (pid == 0) {
		fn(f);
		_exit(0); /* survived: the parent sees status 0 */
	}
	unit_expect_killed(pid, fd, SIGBUS, want, buf, sizeof(buf));
	assert_non_null(strstr(buf, "seavmm: SIGBUS "));
	assert_non_null(strstr(buf, "; seavmm cannot go on and dies of it\n"));
}

static void ar_not_vcpu(struct fixture *f)
{
	send_sigbus(BUS_MCEERR_AR, f->ram0, 12);
}

static void ar_vcpu_not_in_run(struct fixture *f)
{
	sigbus_thread_enter(&f->vm.vcpus[0]);
	send_sigbus(BUS_MCEERR_AR, f->ram0, 12);
}

static void ar_not_ram(struct fixture *f)
{
	sigbus_thread_enter(&f->vm.vcpus[0]);
	f->vm.vcpus[0].in_run = 1;
	send_sigbus(BUS_MCEERR_AR, f->ram1 + 4 * 4096, 12);
}

static void adrerr(struct fixture *f)
{
	(void)f;
	send_sigbus(BUS_ADRERR, (void *)0x1234, 0);
}

static void ar_no_vm(struct fixture *f)
{
	sigbus_thread_enter(&f->vm.vcpus[0]);
	f->vm.vcpus[0].in_run = 1;
	sigbus_vm_destroy(&f->vm);
	/* Without a VM an AO is ignored (nothing to care for), an AR kills. */
	send_sigbus(BUS_MCEERR_AO, f->ram0, 12);
	send_sigbus(BUS_MCEERR_AR, f->ram0, 12);
}

static void test_ar_deaths(void **state)
{
	struct fixture *f = *state;
	char want[96];

	snprintf(want, sizeof(want), "BUS_MCEERR_AR (host memory error) at %p: seavmm itself",
		 (void *)f->ram0);
	expect_death(f, ar_not_vcpu, want);
	expect_death(f, ar_vcpu_not_in_run, "no vCPU in KVM_RUN");
	expect_death(f, ar_not_ram, "the address is not guest RAM");
	expect_death(f, adrerr, "si_code 2 at 0x1234: not a memory error seavmm handles");
	expect_death(f, ar_no_vm, "seavmm itself consumed it");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_hva_to_gpa, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ar_on_vcpu_in_run, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ao_elsewhere_kicks_a_vcpu, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ao_on_vcpu_sets_own_exit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ao_slots_bounded, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gate_keeps_late_kick, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ar_deaths, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
