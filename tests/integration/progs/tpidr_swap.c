// SPDX-License-Identifier: GPL-2.0-only
/*
 * tpidr_swap: does a vCPU thread ever come back from KVM_RUN with a
 * TPIDR_EL0 other than its own (issue 14 item 12, docs/host-kernel-bugs.md),
 * or does a guest ever read back a TPIDR_EL0 other than the one it wrote?
 *
 *   tpidr_swap [-k USEC] [-y] [-w] [-r MS] [-f MB] [-K] SECONDS [VCPUS]
 *
 * Under VHE the host's EL0 and the guest share TPIDR_EL0, and KVM swaps it
 * on vCPU load and put (KVM_RUN, preemption, some trapped registers). Each
 * guest vCPU (EL1, MMU off) loops: write TPIDR_EL0 = 0x67756573 << 32 |
 * vcpu << 24 | counter; exit to user space (an MMIO store of the counter);
 * read it back; HVC PSCI_VERSION (handled in the kernel); read back; write
 * OSLAR_EL1 (trapped, and KVM puts and reloads the vCPU for it); read back;
 * with -w, every 16th time round also WFI (blocks in the kernel until a kick
 * when KVM traps it). A read-back that differs is stored to its own MMIO
 * address. Each vCPU thread issues KVM_RUN with a raw svc (glibc's ioctl()
 * writes errno through the thread pointer) and reads TPIDR_EL0 right before
 * and after it, in the same asm statement; a mismatch is counted, its
 * first values kept, and the thread's own value written back.
 *
 * -k USEC: the main thread kicks one vCPU every USEC microseconds, round
 * robin (0: never; default 2000): even vCPUs the way seavmm does
 * (immediate_exit, then SIGUSR1 with a handler), odd ones the classic way
 * (SIGUSR1 blocked outside KVM_RUN, unblocked inside through
 * KVM_SET_SIGNAL_MASK, eaten with sigtimedwait). -y: sched_yield() after
 * each KVM_RUN. -w: the guest WFI above. -r MS: a new VM every MS
 * milliseconds (KVM toggles its preempt-notifier static key when the host's
 * VM count goes 0 -> 1 -> 0). -f MB: each loop also stores to the next page
 * of an MB MiB region, which the main thread drops (MADV_DONTNEED) every
 * 100 ms: stage-2 faults, which may sleep, and MMU-notifier invalidations,
 * as a booting guest makes them. -K: keep one more VM, never run, open
 * throughout, so that the host's VM count never drops to 0 and the static
 * key is never patched.
 *
 * When KVM finds its own state inconsistent (KVM_BUG_ON: its KVM_RUN returns
 * EIO from then on) the VM is counted as bugged and a new one started, so a
 * run measures how often that happens.
 *
 * Prints the counts and the first mismatches, each classified (the guest
 * reset value KVM gives an unwritten TPIDR_EL0, a vCPU's magic with its
 * counter current or stale, another thread's thread pointer). Exits 0
 * without mismatches, 1 with any (or on an error, the reason last), 77
 * without /dev/kvm.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/kvm.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define SKIP 77

#define GUEST_BASE  0x40000000ULL
#define GUEST_SIZE  0x10000ULL /* code at +0, vectors at +0x800 */
#define GUEST_VEC   0x800ULL
#define MMIO_BASE   0x10000000ULL	  /* unbacked: stores exit to user space */
#define MMIO_TICK   0x00		  /* the counter, every loop */
#define MMIO_BAD    0x08		  /* + 8 * check: the value read back */
#define MMIO_EXC    0x40		  /* ESR_EL1 of an unexpected exception */
#define GUEST_MAGIC 0x6775657300000000ULL /* "gues" */
#define GUEST_DATA  0x80000000ULL	  /* -f: the region of stage-2 faults */
/* KVM's reset_unknown() value (arch/arm64/kvm/sys_regs.h). */
#define KVM_RESET_UNKNOWN 0x1de7ec7edbadc0deULL

#define MAX_VCPUS   64
#define MAX_SAMPLES 8

static const char *const guest_check_names[] = { "after its MMIO exit", "after HVC",
						 "after the OSLAR_EL1 trap", "after WFI" };

/*
 * The guest, position independent. x19: magic | vcpu << 24; x20: counter;
 * x21: MMIO_BASE; x22: the value written; x23 bit 0: WFI every 16th loop;
 * x24: GUEST_DATA, x25: its size (0: none), x26: the next page's offset.
 */
extern const uint32_t tpidr_guest_code[], tpidr_guest_code_end[];
extern const uint32_t tpidr_guest_vectors[], tpidr_guest_vectors_end[];
__asm__(".pushsection .rodata.tpidr_guest, \"a\"\n"
	".balign 4\n"
	".global tpidr_guest_code\n"
	"tpidr_guest_code:\n"
	"1:	cbz	x25, 5f\n"
	"	str	x20, [x24, x26]\n"
	"	add	x26, x26, #0x1000\n"
	"	cmp	x26, x25\n"
	"	csel	x26, xzr, x26, hs\n"
	"5:	add	x20, x20, #1\n"
	"	and	x0, x20, #0xffffff\n"
	"	orr	x22, x19, x0\n"
	"	msr	tpidr_el0, x22\n"
	"	str	x20, [x21]\n"
	"	mrs	x0, tpidr_el0\n"
	"	cmp	x0, x22\n"
	"	b.eq	2f\n"
	"	str	x0, [x21, #8]\n"
	"	msr	tpidr_el0, x22\n"
	"2:	mov	x0, #0x84000000\n" /* PSCI_VERSION */
	"	hvc	#0\n"
	"	mrs	x0, tpidr_el0\n"
	"	cmp	x0, x22\n"
	"	b.eq	3f\n"
	"	str	x0, [x21, #16]\n"
	"	msr	tpidr_el0, x22\n"
	"3:	msr	oslar_el1, xzr\n"
	"	mrs	x0, tpidr_el0\n"
	"	cmp	x0, x22\n"
	"	b.eq	4f\n"
	"	str	x0, [x21, #24]\n"
	"	msr	tpidr_el0, x22\n"
	"4:	tbz	x23, #0, 1b\n"
	"	tst	x20, #15\n"
	"	b.ne	1b\n"
	"	wfi\n"
	"	mrs	x0, tpidr_el0\n"
	"	cmp	x0, x22\n"
	"	b.eq	1b\n"
	"	str	x0, [x21, #32]\n"
	"	b	1b\n"
	".global tpidr_guest_code_end\n"
	"tpidr_guest_code_end:\n"
	".balign 2048\n"
	".global tpidr_guest_vectors\n"
	"tpidr_guest_vectors:\n"
	".rept 16\n"
	"	mrs	x0, esr_el1\n"
	"	str	x0, [x21, #0x40]\n"
	"	b	.\n"
	".balign 128\n"
	".endr\n"
	".global tpidr_guest_vectors_end\n"
	"tpidr_guest_vectors_end:\n"
	".popsection\n");

struct sample {
	uint64_t value, expect;
	double t;
	unsigned where; /* host: 0 before KVM_RUN, 1 after; guest: the check */
	uint32_t exit_reason;
	int ret;
	uint64_t own_counter; /* this vCPU's last counter the host saw */
};

struct vcpu {
	unsigned idx;
	int fd;
	struct kvm_run *run;
	bool sigmask_mode; /* odd vCPUs: the KVM_SET_SIGNAL_MASK kick */
	pthread_t thread;
	_Atomic uint64_t tp; /* this thread's own TPIDR_EL0 */
	_Atomic uint64_t counter;
	/* Counts over all VMs. */
	uint64_t runs, ticks, eintr, kernel_exits, host_bad, guest_bad;
	unsigned nhost, nguest;
	struct sample host[MAX_SAMPLES], guest[MAX_SAMPLES];
};

struct test {
	unsigned nvcpus, kick_us, vm_ms, secs, fault_mb;
	bool yield, wfi, keep_vm;
	int kvm;
	size_t run_size;
	uint8_t *mem, *data;
	struct timespec t0;
	_Atomic bool stop;
	_Atomic bool failed;
	_Atomic bool vm_bugged;
	_Atomic unsigned live_lines;
	unsigned bugged_vms;
	double first_bugged;
	char why[256];
	uint64_t main_tp;
	unsigned vms;
	struct vcpu v[MAX_VCPUS];
};

/* The signal handlers and the vCPU threads find the test here. */
static struct test *g_test;

static void die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
static void die(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	exit(1);
}

static double now(const struct test *t)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)(ts.tv_sec - t->t0.tv_sec) + (ts.tv_nsec - t->t0.tv_nsec) / 1e9;
}

static uint64_t read_tp(void)
{
	uint64_t tp;

	__asm__ volatile("mrs %0, tpidr_el0" : "=r"(tp));
	return tp;
}

static void write_tp(uint64_t tp)
{
	__asm__ volatile("msr tpidr_el0, %0" : : "r"(tp) : "memory");
}

/*
 * KVM_RUN without libc: TPIDR_EL0 is read just before the svc and just
 * after it, in one asm statement, so no code of ours runs with a wrong one.
 * A signal handler may run between the svc and the read after (delivery on
 * the way back): it must not use the thread pointer.
 */
static long kvm_run_raw(int fd, uint64_t *tp_before, uint64_t *tp_after)
{
	register long x0 __asm__("x0") = fd;
	register long x1 __asm__("x1") = KVM_RUN;
	register long x2 __asm__("x2") = 0;
	register long x8 __asm__("x8") = SYS_ioctl;
	uint64_t before, after;

	__asm__ volatile("mrs	%[b], tpidr_el0\n\t"
			 "svc	#0\n\t"
			 "mrs	%[a], tpidr_el0"
			 : "+r"(x0), [b] "=&r"(before), [a] "=&r"(after)
			 : "r"(x1), "r"(x2), "r"(x8)
			 : "memory", "cc");
	*tp_before = before;
	*tp_after = after;
	return x0;
}

static void fail_test(struct test *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail_test(struct test *t, const char *fmt, ...)
{
	va_list ap;
	bool was = atomic_exchange(&t->failed, true);

	if (!was) {
		va_start(ap, fmt);
		vsnprintf(t->why, sizeof(t->why), fmt, ap);
		va_end(ap);
	}
	atomic_store(&t->stop, true);
}

/* What a wrong TPIDR_EL0 value is, as far as we can tell. */
static void classify(const struct test *t, uint64_t v, char *buf, size_t n)
{
	if (v == KVM_RESET_UNKNOWN) {
		snprintf(buf, n, "KVM's reset value: a guest TPIDR_EL0 not yet written");
		return;
	}
	if ((v & 0xffffffff00000000ULL) == GUEST_MAGIC) {
		unsigned who = (v >> 24) & 0xff;
		uint64_t c = v & 0xffffff;

		if (who < t->nvcpus) {
			uint64_t cur = atomic_load(&t->v[who].counter) & 0xffffff;

			snprintf(buf, n,
				 "guest vcpu%u's value, counter %" PRIu64 " (%s; now %" PRIu64 ")",
				 who, c, c == cur ? "current" : "stale", cur);
			return;
		}
	}
	if (v == t->main_tp) {
		snprintf(buf, n, "the main thread's thread pointer");
		return;
	}
	for (unsigned i = 0; i < t->nvcpus; i++) {
		if (v == atomic_load(&t->v[i].tp)) {
			snprintf(buf, n, "vcpu%u thread's thread pointer", i);
			return;
		}
	}
	snprintf(buf, n, "unknown");
}

static void kick_handler(int sig)
{
	/* Only makes KVM_RUN return EINTR; must not touch the thread pointer. */
	(void)sig;
}

static void host_mismatch(struct test *t, struct vcpu *v, uint64_t val, unsigned where, long ret)
{
	v->host_bad++;
	if (v->nhost < MAX_SAMPLES) {
		struct sample *s = &v->host[v->nhost++];

		s->value = val;
		s->expect = atomic_load(&v->tp);
		s->t = now(t);
		s->where = where;
		s->exit_reason = v->run->exit_reason;
		s->ret = (int)ret;
		s->own_counter = atomic_load(&v->counter);
	}
	/* Also at once: the host may not live to the report. */
	if (atomic_fetch_add(&t->live_lines, 1) < 20) {
		char what[160];

		classify(t, val, what, sizeof(what));
		printf("host mismatch: vcpu%u at %.3f s, %s KVM_RUN (ret %ld): TPIDR_EL0 "
		       "0x%016" PRIx64 ": %s\n",
		       v->idx, now(t), where ? "after" : "before", ret, val, what);
	}
}

static void guest_mismatch(struct test *t, struct vcpu *v, unsigned check, uint64_t val)
{
	v->guest_bad++;
	if (v->nguest < MAX_SAMPLES) {
		struct sample *s = &v->guest[v->nguest++];

		s->value = val;
		s->expect = GUEST_MAGIC | (uint64_t)v->idx << 24 |
			    (atomic_load(&v->counter) & 0xffffff);
		s->t = now(t);
		s->where = check;
		s->own_counter = atomic_load(&v->counter);
	}
	if (atomic_fetch_add(&t->live_lines, 1) < 20) {
		char what[160];

		classify(t, val, what, sizeof(what));
		printf("guest mismatch: vcpu%u at %.3f s, %s: 0x%016" PRIx64 ": %s\n", v->idx,
		       now(t), guest_check_names[check % 4], val, what);
	}
}

static void *vcpu_thread(void *arg)
{
	struct vcpu *v = arg;
	struct test *t = g_test;
	const uint64_t own = read_tp();
	sigset_t usr1;
	struct timespec zero = { 0, 0 };

	atomic_store(&v->tp, own);
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	if (v->sigmask_mode) {
		/* KVM_SET_SIGNAL_MASK's sigset is the kernel's: 8 bytes on arm64. */
		struct {
			struct kvm_signal_mask m;
			uint64_t set;
		} km = { .m.len = 8, .set = 0 };

		pthread_sigmask(SIG_BLOCK, &usr1, NULL);
		if (ioctl(v->fd, KVM_SET_SIGNAL_MASK, &km) < 0) {
			fail_test(t, "vcpu%u: KVM_SET_SIGNAL_MASK: %s", v->idx, strerror(errno));
			return NULL;
		}
	} else {
		pthread_sigmask(SIG_UNBLOCK, &usr1, NULL);
	}

	while (!atomic_load(&t->stop)) {
		uint64_t before, after;
		long ret;

		if (!v->sigmask_mode)
			v->run->immediate_exit = 0;
		/* The stop flag after clearing: a stop kick is never lost. */
		if (atomic_load(&t->stop))
			break;
		ret = kvm_run_raw(v->fd, &before, &after);
		if (after != own) {
			write_tp(own);
			host_mismatch(t, v, after, 1, ret);
		}
		if (before != own)
			host_mismatch(t, v, before, 0, ret);
		v->runs++;
		if (ret == -EINTR) {
			v->eintr++;
			if (v->sigmask_mode)
				sigtimedwait(&usr1, NULL, &zero);
			goto next;
		}
		if (ret == -EIO) {
			/* KVM_BUG_ON(): this VM is dead, the next one goes on. */
			atomic_store(&t->vm_bugged, true);
			atomic_store(&t->stop, true);
			break;
		}
		if (ret < 0) {
			fail_test(t, "vcpu%u: KVM_RUN: %s", v->idx, strerror((int)-ret));
			break;
		}
		struct kvm_run *r = v->run;

		if (r->exit_reason == KVM_EXIT_MMIO && r->mmio.is_write && r->mmio.len == 8 &&
		    r->mmio.phys_addr >= MMIO_BASE && r->mmio.phys_addr < MMIO_BASE + 0x100) {
			uint64_t off = r->mmio.phys_addr - MMIO_BASE, val;

			memcpy(&val, r->mmio.data, 8);
			if (off == MMIO_TICK) {
				v->ticks++;
				atomic_store(&v->counter, val);
			} else if (off >= MMIO_BAD && off < MMIO_EXC) {
				guest_mismatch(t, v, (unsigned)(off - MMIO_BAD) / 8, val);
			} else if (off == MMIO_EXC) {
				fail_test(t,
					  "vcpu%u: unexpected exception in the guest, ESR_EL1 "
					  "0x%" PRIx64,
					  v->idx, val);
				break;
			}
		} else {
			fail_test(t, "vcpu%u: unexpected exit %u", v->idx, r->exit_reason);
			break;
		}
	next:
		if (t->yield)
			sched_yield();
	}
	return NULL;
}

static void set_reg(int fd, uint64_t id, uint64_t val)
{
	struct kvm_one_reg r = { .id = id, .addr = (uintptr_t)&val };

	if (ioctl(fd, KVM_SET_ONE_REG, &r) < 0)
		die("KVM_SET_ONE_REG 0x%" PRIx64 ": %s", id, strerror(errno));
}

#define CORE_REG(x)  (KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | KVM_REG_ARM_CORE_REG(x))
#define REG_VBAR_EL1 ARM64_SYS_REG(3, 0, 12, 0, 0)

/* One VM: its vCPUs run until the deadline, kicked now and then. */
static void run_vm(struct test *t, double until)
{
	struct kvm_userspace_memory_region mr = {
		.slot = 0,
		.guest_phys_addr = GUEST_BASE,
		.memory_size = GUEST_SIZE,
		.userspace_addr = (uintptr_t)t->mem,
	};
	struct kvm_vcpu_init init;
	int vm = ioctl(t->kvm, KVM_CREATE_VM, 0);

	if (vm < 0)
		die("KVM_CREATE_VM: %s", strerror(errno));
	if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &mr) < 0)
		die("KVM_SET_USER_MEMORY_REGION: %s", strerror(errno));
	if (t->fault_mb) {
		mr.slot = 1;
		mr.guest_phys_addr = GUEST_DATA;
		mr.memory_size = (uint64_t)t->fault_mb << 20;
		mr.userspace_addr = (uintptr_t)t->data;
		if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &mr) < 0)
			die("KVM_SET_USER_MEMORY_REGION (data): %s", strerror(errno));
	}
	if (ioctl(vm, KVM_ARM_PREFERRED_TARGET, &init) < 0)
		die("KVM_ARM_PREFERRED_TARGET: %s", strerror(errno));
	init.features[0] |= 1u << KVM_ARM_VCPU_PSCI_0_2;
	for (unsigned i = 0; i < t->nvcpus; i++) {
		struct vcpu *v = &t->v[i];

		v->idx = i;
		v->sigmask_mode = i % 2;
		v->fd = ioctl(vm, KVM_CREATE_VCPU, i);
		if (v->fd < 0)
			die("KVM_CREATE_VCPU %u: %s", i, strerror(errno));
		v->run = mmap(NULL, t->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd, 0);
		if (v->run == MAP_FAILED)
			die("mmap kvm_run: %s", strerror(errno));
		if (ioctl(v->fd, KVM_ARM_VCPU_INIT, &init) < 0)
			die("KVM_ARM_VCPU_INIT %u: %s", i, strerror(errno));
		set_reg(v->fd, CORE_REG(regs.pc), GUEST_BASE);
		set_reg(v->fd, REG_VBAR_EL1, GUEST_BASE + GUEST_VEC);
		set_reg(v->fd, CORE_REG(regs.regs[19]), GUEST_MAGIC | (uint64_t)i << 24);
		set_reg(v->fd, CORE_REG(regs.regs[20]), atomic_load(&v->counter));
		set_reg(v->fd, CORE_REG(regs.regs[21]), MMIO_BASE);
		set_reg(v->fd, CORE_REG(regs.regs[23]), t->wfi ? 1 : 0);
		set_reg(v->fd, CORE_REG(regs.regs[24]), GUEST_DATA);
		set_reg(v->fd, CORE_REG(regs.regs[25]), (uint64_t)t->fault_mb << 20);
		/* The vCPUs start apart in the region. */
		set_reg(v->fd, CORE_REG(regs.regs[26]),
			t->fault_mb ? (((uint64_t)t->fault_mb << 20) / t->nvcpus * i) & ~0xfffULL
				    : 0);
	}
	atomic_store(&t->stop, false);
	for (unsigned i = 0; i < t->nvcpus; i++) {
		int e = pthread_create(&t->v[i].thread, NULL, vcpu_thread, &t->v[i]);

		if (e)
			die("pthread_create: %s", strerror(e));
	}
	t->vms++;

	unsigned next = 0;
	double zapped = now(t);

	while (!atomic_load(&t->stop) && now(t) < until) {
		if (t->fault_mb && now(t) - zapped >= 0.1) {
			madvise(t->data, (size_t)t->fault_mb << 20, MADV_DONTNEED);
			zapped = now(t);
		}
		if (!t->kick_us) {
			usleep(20000);
			continue;
		}
		usleep(t->kick_us);
		struct vcpu *v = &t->v[next++ % t->nvcpus];

		if (!v->sigmask_mode)
			v->run->immediate_exit = 1;
		pthread_kill(v->thread, SIGUSR1);
	}
	atomic_store(&t->stop, true);
	for (unsigned i = 0; i < t->nvcpus; i++) {
		struct vcpu *v = &t->v[i];

		/* Until it has gone: a kick may land just before its KVM_RUN. */
		for (;;) {
			struct timespec ts;

			if (!v->sigmask_mode)
				v->run->immediate_exit = 1;
			pthread_kill(v->thread, SIGUSR1);
			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_nsec += 20000000;
			if (ts.tv_nsec >= 1000000000) {
				ts.tv_sec++;
				ts.tv_nsec -= 1000000000;
			}
			if (pthread_timedjoin_np(v->thread, NULL, &ts) == 0)
				break;
		}
	}
	for (unsigned i = 0; i < t->nvcpus; i++) {
		munmap(t->v[i].run, t->run_size);
		close(t->v[i].fd);
	}
	close(vm);
}

static const char *host_where(unsigned w)
{
	return w ? "after KVM_RUN" : "before KVM_RUN";
}

static int report(struct test *t, double secs)
{
	uint64_t runs = 0, ticks = 0, eintr = 0, hb = 0, gb = 0, iters = 0;
	char what[160];

	printf("tpidr_swap: %.1f s, %u vCPUs, %u VM(s), kick every %u us, yield %s, wfi %s, "
	       "fault region %u MiB, idle VM kept %s\n",
	       secs, t->nvcpus, t->vms, t->kick_us, t->yield ? "yes" : "no", t->wfi ? "yes" : "no",
	       t->fault_mb, t->keep_vm ? "yes" : "no");
	for (unsigned i = 0; i < t->nvcpus; i++) {
		struct vcpu *v = &t->v[i];
		uint64_t it = atomic_load(&v->counter);

		printf("vcpu%u (%s kick): %" PRIu64 " guest loops, %" PRIu64 " KVM_RUNs, %" PRIu64
		       " user exits, %" PRIu64 " EINTR, host mismatches %" PRIu64
		       ", guest mismatches %" PRIu64 "\n",
		       i, v->sigmask_mode ? "signal-mask" : "immediate_exit", it, v->runs, v->ticks,
		       v->eintr, v->host_bad, v->guest_bad);
		for (unsigned k = 0; k < v->nhost; k++) {
			struct sample *s = &v->host[k];

			classify(t, s->value, what, sizeof(what));
			printf("  host mismatch at %.3f s, %s (ret %d, exit %u, own counter "
			       "%" PRIu64 "): TPIDR_EL0 0x%016" PRIx64 " instead of 0x%016" PRIx64
			       ": %s\n",
			       s->t, host_where(s->where), s->ret, s->exit_reason, s->own_counter,
			       s->value, s->expect, what);
		}
		for (unsigned k = 0; k < v->nguest; k++) {
			struct sample *s = &v->guest[k];

			classify(t, s->value, what, sizeof(what));
			printf("  guest mismatch at %.3f s, %s (counter %" PRIu64
			       "): read 0x%016" PRIx64 " after writing 0x%016" PRIx64 ": %s\n",
			       s->t, guest_check_names[s->where % 4], s->own_counter, s->value,
			       s->expect, what);
		}
		runs += v->runs;
		ticks += v->ticks;
		eintr += v->eintr;
		hb += v->host_bad;
		gb += v->guest_bad;
		iters += it;
	}
	if (t->bugged_vms)
		printf("VMs KVM marked bugged (KVM_RUN EIO): %u of %u, the first at %.3f s\n",
		       t->bugged_vms, t->vms, t->first_bugged);
	printf("total: %" PRIu64 " guest loops, %" PRIu64 " KVM_RUNs, %" PRIu64
	       " user exits, %" PRIu64 " EINTR, host mismatches %" PRIu64
	       ", guest mismatches %" PRIu64 "\n",
	       iters, runs, ticks, eintr, hb, gb);
	if (atomic_load(&t->failed)) {
		printf("%s\n", t->why);
		return 1;
	}
	if (hb || gb || t->bugged_vms) {
		printf("TPIDR_EL0 mismatches: %" PRIu64 " in the host, %" PRIu64
		       " in the guest; %u VMs bugged\n",
		       hb, gb, t->bugged_vms);
		return 1;
	}
	printf("no TPIDR_EL0 mismatch\n");
	return 0;
}

static void usage(void)
{
	die("usage: tpidr_swap [-k USEC] [-y] [-w] [-r MS] [-f MB] [-K] SECONDS [VCPUS] "
	    "(VCPUS 1..%d, default 2)",
	    MAX_VCPUS);
}

int main(int argc, char **argv)
{
	static struct test t;
	struct sigaction sa = { .sa_handler = kick_handler };
	long sz;
	int opt;

	setvbuf(stdout, NULL, _IOLBF, 0);
	t.kick_us = 2000;
	t.nvcpus = 2;
	while ((opt = getopt(argc, argv, "k:ywr:f:K")) != -1) {
		switch (opt) {
		case 'k':
			t.kick_us = (unsigned)strtoul(optarg, NULL, 0);
			break;
		case 'y':
			t.yield = true;
			break;
		case 'w':
			t.wfi = true;
			break;
		case 'r':
			t.vm_ms = (unsigned)strtoul(optarg, NULL, 0);
			break;
		case 'K':
			t.keep_vm = true;
			break;
		case 'f':
			t.fault_mb = (unsigned)strtoul(optarg, NULL, 0);
			break;
		default:
			usage();
		}
	}
	if (optind >= argc || argc - optind > 2)
		usage();
	t.secs = (unsigned)strtoul(argv[optind], NULL, 0);
	if (argc - optind == 2)
		t.nvcpus = (unsigned)strtoul(argv[optind + 1], NULL, 0);
	if (!t.secs || !t.nvcpus || t.nvcpus > MAX_VCPUS || t.fault_mb > 1024)
		usage();
	g_test = &t;
	t.main_tp = read_tp();

	t.kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (t.kvm < 0) {
		printf("no /dev/kvm: %s\n", strerror(errno));
		return SKIP;
	}
	sz = ioctl(t.kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (sz <= 0)
		die("KVM_GET_VCPU_MMAP_SIZE: %s", strerror(errno));
	t.run_size = (size_t)sz;
	t.mem = mmap(NULL, GUEST_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (t.mem == MAP_FAILED)
		die("mmap guest RAM: %s", strerror(errno));
	if (t.fault_mb) {
		t.data = mmap(NULL, (size_t)t.fault_mb << 20, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (t.data == MAP_FAILED)
			die("mmap the fault region: %s", strerror(errno));
	}
	memcpy(t.mem, tpidr_guest_code,
	       (size_t)((const char *)tpidr_guest_code_end - (const char *)tpidr_guest_code));
	memcpy(t.mem + GUEST_VEC, tpidr_guest_vectors,
	       (size_t)((const char *)tpidr_guest_vectors_end - (const char *)tpidr_guest_vectors));

	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: the point is KVM_RUN returning EINTR. */
	if (sigaction(SIGUSR1, &sa, NULL) < 0)
		die("sigaction: %s", strerror(errno));

	if (t.keep_vm && ioctl(t.kvm, KVM_CREATE_VM, 0) < 0)
		die("KVM_CREATE_VM (the idle one): %s", strerror(errno));
	clock_gettime(CLOCK_MONOTONIC, &t.t0);
	while (!atomic_load(&t.failed) && now(&t) < t.secs) {
		double until = t.vm_ms ? now(&t) + t.vm_ms / 1000.0 : t.secs;

		if (until > t.secs)
			until = t.secs;
		run_vm(&t, until);
		if (atomic_exchange(&t.vm_bugged, false)) {
			if (!t.bugged_vms++)
				t.first_bugged = now(&t);
			if (t.bugged_vms <= 20)
				printf("VM %u bugged (KVM_RUN EIO) at %.3f s\n", t.vms, now(&t));
		}
	}
	return report(&t, now(&t));
}
