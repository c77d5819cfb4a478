// SPDX-License-Identifier: GPL-2.0-only
/*
 * The filters are classic BPF built from one table: a line per (roles,
 * system call[, argument value]) allowed. SECCOMP_RET_TRAP rather than
 * KILL_PROCESS, so that the SIGSYS handler can say which call it was, and
 * every call a signal handler makes is allowed to every role.
 */
#include "seccomp.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/kvm.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#include "sigsafe.h"
#include "term.h"
#include "thread_pointer.h"

#ifndef PR_SET_VMA
#define PR_SET_VMA 0x53564d41
#endif

#if defined(__aarch64__)
#define SECCOMP_ARCH AUDIT_ARCH_AARCH64
#elif defined(__x86_64__)
#define SECCOMP_ARCH AUDIT_ARCH_X86_64
#else
#error "seccomp.c: unknown architecture"
#endif

#define R_MAIN	  (1u << SECCOMP_MAIN)
#define R_VCPU	  (1u << SECCOMP_VCPU)
#define R_CONSOLE (1u << SECCOMP_CONSOLE)
#define R_VIRTIO  (1u << SECCOMP_VIRTIO)
#define R_API	  (1u << SECCOMP_API)
#define R_AGENT	  (1u << SECCOMP_AGENT)
/* Who carries out memory-error decisions (vmm/sea.c): vCPUs and devices' copies. */
#define R_RETIRE (R_VCPU | R_VIRTIO)
/* Who appends to --ras-ledger and --ras-events: those, and the agent's answers. */
#define R_RECORD (R_RETIRE | R_AGENT)
#define R_ALL	 ((1u << SECCOMP_NR_ROLES) - 1)

/* arg: which argument is checked (0-5), or -1 for none; only its low 32 bits. */
struct seccomp_allow {
	unsigned int roles;
	int nr;
	int arg;
	uint32_t val;
};

#define ANY(roles, name)                  \
	{                                 \
		roles, __NR_##name, -1, 0 \
	}
#define ARG(roles, name, i, value)                       \
	{                                                \
		roles, __NR_##name, i, (uint32_t)(value) \
	}
#define IOCTL(roles, req) ARG(roles, ioctl, 1, req)

/*
 * What each role may call once start-up is over. Adding a call to a role is
 * one line. The main role's filter is inherited by every thread it starts,
 * so it gets the lines of all roles as well (seccomp_enter).
 */
static const struct seccomp_allow seccomp_table[] = {
	/* Signal handlers (vCPU kick, SIGBUS, fatal signals, SIGSYS) and dying. */
	ANY(R_ALL, rt_sigreturn),
	ANY(R_ALL, rt_sigaction),
	ANY(R_ALL, rt_sigprocmask), /* also a guarded copy's way out of SIGBUS */
	ANY(R_ALL, tgkill),	    /* kicks: vm_request_stop, an AO's vCPU kick, raise() */
	ANY(R_ALL, getpid),
	ANY(R_ALL, gettid),
	ANY(R_ALL, exit),
	ANY(R_ALL, exit_group),
	ANY(R_ALL, restart_syscall),
	IOCTL(R_ALL, TCSETS), /* term_restore: the terminal back from raw mode */
	IOCTL(R_ALL, TCGETS), /* libc's tcsetattr reads the settings back */
	IOCTL(R_ALL, TCSETSW),
	IOCTL(R_ALL, TCSETSF),
	/* Messages, locks, memory, clocks, wake-ups: libc's own needs in any thread. */
	ANY(R_ALL, write), /* stderr, stdout, eventfd wake-ups */
	ANY(R_ALL, writev),
	ANY(R_ALL, futex),
	ANY(R_ALL, mmap),
	ANY(R_ALL, munmap),
	ANY(R_ALL, mprotect),
	ANY(R_ALL, madvise), /* malloc; retirement (MADV_HWPOISON); inject's populate */
	ANY(R_ALL, mremap),  /* malloc; the quarantine's move */
	ANY(R_ALL, brk),
	ANY(R_ALL, clock_gettime),
	ANY(R_ALL, clock_nanosleep),
	ANY(R_ALL, sched_yield),
	ANY(R_ALL, getrandom),
	ANY(R_ALL, newfstatat),
	ANY(R_ALL, fstat),
	ANY(R_ALL, close),
	ANY(R_ALL, ppoll), /* every thread waits on its descriptors */
	ANY(R_ALL, rseq),  /* libc at thread start and end */
	ANY(R_ALL, set_robust_list),
	/* Memory errors: retiring the frame, the quarantine, the records. */
	ANY(R_RETIRE, pread64),		     /* /proc/self/pagemap: did the frame go? */
	ANY(R_RETIRE, mlock),		     /* a frame left in place stays out of swap */
	ARG(R_RETIRE, prctl, 0, PR_SET_VMA), /* names the quarantine slots */
	ANY(R_RECORD, fdatasync),	     /* --ras-ledger appends */
	ANY(R_RECORD, lseek),		     /* a failed append cut back ... */
	ANY(R_RECORD, ftruncate),	     /* ... to the last whole record */
	ANY(R_RECORD, prlimit64),	     /* ... saying whether a size limit did it */
	/* vCPU: the run loop, MMIO, injecting aborts. */
	IOCTL(R_VCPU, KVM_RUN),
	IOCTL(R_VCPU | R_MAIN, KVM_GET_ONE_REG),
	IOCTL(R_VCPU | R_MAIN, KVM_SET_ONE_REG),
	IOCTL(R_VCPU, KVM_SET_VCPU_EVENTS),
	IOCTL(R_VCPU | R_CONSOLE | R_VIRTIO | R_MAIN, KVM_IRQ_LINE), /* UART; virtio w/o irqfd */
	/* stdin, eventfds, the tap, ports, clients, the agent's port, EINJ files. */
	ANY(R_CONSOLE | R_VIRTIO | R_API | R_AGENT | R_MAIN, read), /* main: agent_reset */
	/* virtio I/O threads: disk images, the tap, --virtio-port sockets. */
	ANY(R_VIRTIO | R_MAIN, pwrite64), /* main: --dump-dtb on a restart */
	ANY(R_VIRTIO, fallocate),	  /* virtio-blk discard */
	ANY(R_VIRTIO | R_API, accept4),	  /* a port's client; a control client */
	/* The control socket: clients, and inject-poison. */
	ANY(R_API, getsockopt),	     /* SO_PEERCRED */
	ANY(R_API, fcntl),	     /* O_NONBLOCK on a client */
	ANY(R_API | R_MAIN, sendto), /* replies; main: the last ones at stop */
	/*
	 * Opens after start-up: pagemap (main: releasing injected pages) and the
	 * EINJ files, with exactly these flags, so never a file created,
	 * truncated or opened for both reading and writing.
	 */
	ARG(R_API | R_MAIN, openat, 2, O_RDONLY | O_CLOEXEC),
	ARG(R_API, openat, 2, O_WRONLY | O_CLOEXEC),
	ANY(R_API | R_MAIN, pread64), /* pagemap; main: reloading the kernel on a restart */
	ANY(R_API, geteuid),	      /* EINJ: saying it needs root */
/* Main: guest restarts (reset, reload, new vCPU threads) and the end. */
#ifdef __aarch64__
	IOCTL(R_MAIN, KVM_ARM_VCPU_INIT),
#endif
	ANY(R_MAIN, unlinkat), /* the sockets seavmm listened on, at exit */
	ANY(R_MAIN, clone),
	ANY(R_MAIN, clone3),
	ARG(R_MAIN, prctl, 0, PR_SET_NAME),	    /* each new thread names itself */
	ARG(R_MAIN, prctl, 0, PR_SET_NO_NEW_PRIVS), /* and narrows its filter */
	ARG(R_MAIN, prctl, 0, PR_SET_SECCOMP),
#ifdef __x86_64__
	/* The native unit tests' libc. */
	ANY(R_ALL, poll),
	ANY(R_ALL, arch_prctl),
#endif
};

static const char *const seccomp_role_names[SECCOMP_NR_ROLES] = {
	[SECCOMP_MAIN] = "main",	 [SECCOMP_VCPU] = "vCPU", [SECCOMP_CONSOLE] = "console",
	[SECCOMP_VIRTIO] = "virtio I/O", [SECCOMP_API] = "api",	  [SECCOMP_AGENT] = "agent",
};

/* The names for the SIGSYS message, from the kernel headers built against. */
static const char *const seccomp_syscall_names[] = {
#define X(name) [__NR_##name] = #name,
#include "syscall_list.h"
#undef X
};

/*
 * The role of the calling thread, for the SIGSYS handler (which gets no
 * context argument to find it in); -1 until the thread narrows its filter.
 */
static _Thread_local int seccomp_self = -1;

const char *seccomp_role_name(enum seccomp_role role)
{
	return role < SECCOMP_NR_ROLES ? seccomp_role_names[role] : "?";
}

/*
 * Room for a filter (the kernel takes up to BPF_MAXINSNS). Conditional jumps
 * reach 255 instructions, so each call's rule only ever jumps over its own.
 */
#define SECCOMP_MAX_INSNS 1024

struct seccomp_prog {
	struct sock_filter insn[SECCOMP_MAX_INSNS];
	unsigned int n;
	bool overflow;
};

static void emit(struct seccomp_prog *p, uint16_t code, uint8_t jt, uint8_t jf, uint32_t k)
{
	if (p->n == SECCOMP_MAX_INSNS) {
		p->overflow = true;
		return;
	}
	p->insn[p->n++] = (struct sock_filter){ code, jt, jf, k };
}

static bool seccomp_in_role(const struct seccomp_allow *a, enum seccomp_role role)
{
	/* Threads inherit main's filter: it must let through what they need. */
	return role == SECCOMP_MAIN || (a->roles & (1u << role));
}

/* Whether line j allows the same call as line i in role. */
static bool seccomp_same(size_t i, size_t j, enum seccomp_role role)
{
	return seccomp_table[j].nr == seccomp_table[i].nr &&
	       seccomp_in_role(&seccomp_table[j], role);
}

/*
 * For each system call: allowed outright, or allowed for some values of one
 * argument (ioctl requests, prctl options), or trapped. A holds the call
 * number throughout: an argument check, once entered, always returns.
 */
static void seccomp_build(struct seccomp_prog *p, enum seccomp_role role)
{
	const size_t n = sizeof(seccomp_table) / sizeof(seccomp_table[0]);

	p->n = 0;
	p->overflow = false;
	emit(p, BPF_LD | BPF_W | BPF_ABS, 0, 0, offsetof(struct seccomp_data, arch));
	emit(p, BPF_JMP | BPF_JEQ | BPF_K, 1, 0, SECCOMP_ARCH);
	emit(p, BPF_RET | BPF_K, 0, 0, SECCOMP_RET_KILL_PROCESS);
	emit(p, BPF_LD | BPF_W | BPF_ABS, 0, 0, offsetof(struct seccomp_data, nr));
	for (size_t i = 0; i < n; i++) {
		const struct seccomp_allow *a = &seccomp_table[i];
		unsigned int checks = 0;
		bool first = true, any = false;

		if (!seccomp_in_role(a, role))
			continue;
		for (size_t j = 0; j < i; j++)
			first &= !seccomp_same(i, j, role);
		if (!first) /* joined to the call's first line */
			continue;
		for (size_t j = i; j < n; j++) {
			if (!seccomp_same(i, j, role))
				continue;
			any |= seccomp_table[j].arg < 0;
			checks++;
		}
		if (any) {
			emit(p, BPF_JMP | BPF_JEQ | BPF_K, 0, 1, (uint32_t)a->nr);
			emit(p, BPF_RET | BPF_K, 0, 0, SECCOMP_RET_ALLOW);
			continue;
		}
		/* Not this call: over the load, two per value and the trap. */
		if (2 * checks + 2 > 255) {
			p->overflow = true;
			return;
		}
		emit(p, BPF_JMP | BPF_JEQ | BPF_K, 0, (uint8_t)(2 * checks + 2), (uint32_t)a->nr);
		emit(p, BPF_LD | BPF_W | BPF_ABS, 0, 0,
		     (uint32_t)(offsetof(struct seccomp_data, args) + 8 * (unsigned int)a->arg));
		for (size_t j = i; j < n; j++) {
			if (!seccomp_same(i, j, role))
				continue;
			emit(p, BPF_JMP | BPF_JEQ | BPF_K, 0, 1, seccomp_table[j].val);
			emit(p, BPF_RET | BPF_K, 0, 0, SECCOMP_RET_ALLOW);
		}
		emit(p, BPF_RET | BPF_K, 0, 0, SECCOMP_RET_TRAP);
	}
	emit(p, BPF_RET | BPF_K, 0, 0, SECCOMP_RET_TRAP);
}

int seccomp_filter_len(enum seccomp_role role)
{
	struct seccomp_prog p;

	seccomp_build(&p, role);
	return p.overflow || p.n > BPF_MAXINSNS ? -E2BIG : (int)p.n;
}

int seccomp_enter(enum seccomp_role role)
{
	struct seccomp_prog p; /* 8 KiB: a thread's stack has room */
	struct sock_fprog prog;

	if (role >= SECCOMP_NR_ROLES)
		return -EINVAL;
	seccomp_build(&p, role);
	if (p.overflow || p.n > BPF_MAXINSNS)
		return -E2BIG;
	prog = (struct sock_fprog){ .len = (unsigned short)p.n, .filter = p.insn };
	/* Required without CAP_SYS_ADMIN; harmless with it: seavmm execs nothing. */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -errno;
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0))
		return -errno;
	seccomp_self = (int)role;
	return 0;
}

/* The argument the table checks for nr, from the trapped thread's registers. */
static uint64_t seccomp_arg(const ucontext_t *uc, int arg)
{
#if defined(__aarch64__)
	return uc->uc_mcontext.regs[arg];
#else
	static const int regs[] = { REG_RDI, REG_RSI, REG_RDX, REG_R10, REG_R8, REG_R9 };

	return (uint64_t)uc->uc_mcontext.gregs[regs[arg]];
#endif
}

/* The calls the table checks an argument of: which one, and what to call it. */
static bool seccomp_arg_label(int nr, int *arg, const char **label)
{
	switch (nr) {
	case __NR_ioctl:
		*arg = 1;
		*label = ", request ";
		return true;
	case __NR_prctl:
		*arg = 0;
		*label = ", option ";
		return true;
	case __NR_openat:
		*arg = 2;
		*label = ", flags ";
		return true;
	default:
		return false;
	}
}

static void seccomp_sigsys(int sig, siginfo_t *si, void *ctx)
{
	const size_t nnames = sizeof(seccomp_syscall_names) / sizeof(seccomp_syscall_names[0]);
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	int nr = si->si_syscall, role, arg;
	const char *label;
	char line[320];
	size_t n = 0;

	(void)sig;
	/* seccomp_self is thread-local: see vmm/core/thread_pointer.h. */
	tp_guard_repair(NULL);
	role = seccomp_self;
	n = sigsafe_put(line, n, sizeof(line), "seavmm: seccomp: the ");
	n = sigsafe_put(line, n, sizeof(line),
			role >= 0 ? seccomp_role_name((enum seccomp_role)role)
				  : "new (main's filter)");
	n = sigsafe_put(line, n, sizeof(line), " thread made a system call its filter forbids: ");
	n = sigsafe_put(line, n, sizeof(line),
			nr >= 0 && (size_t)nr < nnames && seccomp_syscall_names[nr]
				? seccomp_syscall_names[nr]
				: "unknown");
	n = sigsafe_put(line, n, sizeof(line), " (");
	n = sigsafe_put_num(line, n, sizeof(line), (uint64_t)(unsigned int)nr, 10);
	if (seccomp_arg_label(nr, &arg, &label)) {
		n = sigsafe_put(line, n, sizeof(line), label);
		n = sigsafe_put_num(line, n, sizeof(line), (uint32_t)seccomp_arg(ctx, arg), 16);
	}
	n = sigsafe_put(
		line, n, sizeof(line),
		"); a seavmm bug or a compromised seavmm: it stops here (--seccomp off runs "
		"without the filters)\n");
	if (write(STDERR_FILENO, line, n) < 0) {
		/* Nothing left to tell it to. */
	}
	term_restore();
	/* Die of SIGSYS: blocked while this runs, delivered fatally as it returns. */
	sigemptyset(&dfl.sa_mask);
	sigaction(SIGSYS, &dfl, NULL);
	raise(SIGSYS);
}

bool seccomp_supported(void)
{
	/*
	 * Installs nothing: with filter support the kernel reads the program
	 * first and fails on the NULL (EFAULT); a kernel without
	 * CONFIG_SECCOMP_FILTER answers EINVAL (ENOSYS without CONFIG_SECCOMP).
	 * SECCOMP_GET_ACTION_AVAIL cannot tell: it answers either way.
	 */
	return syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0, NULL) < 0 && errno == EFAULT;
}

int seccomp_handler_install(void)
{
	struct sigaction sa = { .sa_sigaction = seccomp_sigsys, .sa_flags = SA_SIGINFO };

	sigemptyset(&sa.sa_mask);
	return sigaction(SIGSYS, &sa, NULL) ? -errno : 0;
}
