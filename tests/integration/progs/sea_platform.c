// SPDX-License-Identifier: GPL-2.0-only
/*
 * sea_platform: checks the emulated RAS platform (tests/emulator/README.md)
 * end to end, driving KVM directly with a few instructions of guest code, in
 * the manner of the kernel's KVM sea_to_user selftest.
 *
 * It poisons the host-physical page behind a guest page through the
 * platform's memory-poison injector (MMIO at 0x090f0000, via /dev/mem), runs
 * the guest, and checks what KVM reports: KVM_EXIT_ARM_SEA and its fields,
 * the abort KVM_SET_VCPU_EVENTS.ext_dabt_pending injects, the SError of the
 * old behaviour, and SIGBUS for a host process.
 *
 *   sea_platform load|store|fetch|walk|set|inject-dabt|no-cap|host-poison
 *   sea_platform poison PA [uer|uc|ueo] | clear PA | clear-all | info
 *   sea_platform poison-guest PID GPA [uer|uc|ueo] | guest-pa PID GPA
 *   sea_platform hold-exit PID
 *   sea_platform hwpoison-guest PID GPA | unpoison-pfn PFN | quarantine-slot PID
 *   sea_platform abi | abi-stock | inject-events dabt|iabt | differential
 *   sea_platform bench-inject [ROUNDS]
 *
 * abi, inject-events and differential need the patched host kernel
 * (tests/kernel/README.md, KVM_CAP_ARM_INJECT_EXT_IABT) and check its
 * KVM_SET_VCPU_EVENTS extension: every rule of the interface; the guest's
 * ESR_EL1, FAR_EL1, ELR_EL1, SPSR_EL1, vector and handler PSTATE after an
 * injected data or instruction abort from EL0 and EL1; and that the same SEA
 * injected through it and through seavmm's emulated exception entry
 * (vmm/sea/inject_entry.c, linked in) leaves the guest in the same state.
 * abi-stock checks that a stock kernel refuses the new fields (EINVAL).
 *
 * poison-guest poisons the host page behind guest-physical address GPA of the
 * seavmm with process id PID (its guest RAM mapping, from /proc/PID/maps,
 * through /proc/PID/pagemap); guest-pa prints that host page's address,
 * "hwpoison-entry" when the kernel unmapped a hwpoisoned page there, or
 * "not-present" when no page backs it now; quarantine-slot says the same of
 * the first slot of seavmm's quarantine area. hold-exit attaches to PID with
 * ptrace, prints "holding", and when PID starts to exit (whatever the cause:
 * a policy stop, a crash, a signal) clears all poison before the process's
 * memory - a quarantined poisoned page too - goes back to the host kernel,
 * which would panic zeroing it (no APEI here); then lets it go.
 *
 * hwpoison-guest does not use the injector: it has the host kernel's software
 * poison injector (hwpoison_inject, /sys/kernel/debug/hwpoison/corrupt-pfn)
 * run memory_failure() on the host page behind GPA, as firmware-first RAS
 * would for a real error: the page is marked hwpoisoned and unmapped, and
 * the processes mapping it get SIGBUS BUS_MCEERR_AO (early kill) or, at
 * their next access, BUS_MCEERR_AR. Nothing is wrong with the memory itself,
 * so the page may be freed; unpoison-pfn gives it back to the host.
 *
 * Prints what it observed; exits 0 when all checks pass, 77 (skip) only
 * without /dev/kvm, /dev/mem or the SEA exit in the host kernel, 1 otherwise
 * (including a missing injector) with the reason on its last line.
 * Every poison it sets is cleared again before its pages are freed.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/kvm.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../../vmm/sea/inject.h"
#include "kvm_compat.h"
#include "ras.h"

/* ---- the memory-poison injector (see tests/emulator/README.md) ---- */
#define POISON_BASE 0x090f0000UL
#define POISON_ID   0x52415350u
enum {
	R_ID = 0x00,
	R_VERSION = 0x04,
	R_ADDR_LO = 0x08,
	R_ADDR_HI = 0x0c,
	R_TYPE = 0x10,
	R_COMMAND = 0x14,
	R_STATUS = 0x18,
	R_COUNT = 0x1c,
	R_CAPACITY = 0x20
};
enum { CMD_POISON = 1, CMD_CLEAR = 2, CMD_CLEAR_ALL = 3 };
/* Error types use the ESR_ELx.SET encoding. */
enum { SET_UER = 0, SET_UC = 2, SET_UEO = 3 };

static volatile uint32_t *poison_regs;

#define SKIP 77

static void fail(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

static void clear_all_poison(void)
{
	if (poison_regs)
		poison_regs[R_COMMAND / 4] = CMD_CLEAR_ALL;
}

static void fail(const char *fmt, ...)
{
	va_list ap;

	clear_all_poison();
	fflush(stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	exit(1);
}

/* A fatal signal must not leave poison on pages the kernel will reuse. */
static void fatal_signal(int sig)
{
	clear_all_poison();
	signal(sig, SIG_DFL);
	raise(sig);
}

static sigjmp_buf probe_jmp;

static void on_probe_sigbus(int sig)
{
	(void)sig;
	siglongjmp(probe_jmp, 1);
}

static void poison_open(void)
{
	int fd = open("/dev/mem", O_RDWR | O_SYNC);
	void *p;

	if (fd < 0) {
		printf("cannot open /dev/mem: %s\n", strerror(errno));
		exit(SKIP);
	}
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, POISON_BASE);
	close(fd);
	if (p == MAP_FAILED) {
		printf("cannot map the poison injector at 0x%08lx: %s\n", POISON_BASE,
		       strerror(errno));
		exit(SKIP);
	}
	/* On a machine without the injector the read aborts: SIGBUS. */
	struct sigaction sa = { .sa_handler = on_probe_sigbus }, old;
	volatile uint32_t id = 0;

	sigaction(SIGBUS, &sa, &old);
	if (sigsetjmp(probe_jmp, 1) == 0)
		id = ((volatile uint32_t *)p)[R_ID / 4];
	sigaction(SIGBUS, &old, NULL);
	poison_regs = p;
	if (id != POISON_ID) {
		poison_regs = NULL;
		fail("no memory-poison injector at 0x%08lx (id 0x%x): "
		     "not the seavmm emulated RAS platform (tests/emulator/*.patch not applied?)",
		     POISON_BASE, (unsigned)id);
	}
	signal(SIGSEGV, fatal_signal);
	signal(SIGABRT, fatal_signal);
	signal(SIGTERM, fatal_signal);
	signal(SIGINT, fatal_signal);
}

static uint32_t poison_cmd(uint64_t pa, uint32_t type, uint32_t cmd)
{
	poison_regs[R_ADDR_LO / 4] = (uint32_t)pa;
	poison_regs[R_ADDR_HI / 4] = (uint32_t)(pa >> 32);
	poison_regs[R_TYPE / 4] = type;
	poison_regs[R_COMMAND / 4] = cmd;
	return poison_regs[R_STATUS / 4];
}

static void poison(uint64_t pa, uint32_t type)
{
	uint32_t st = poison_cmd(pa, type, CMD_POISON);

	if (st)
		fail("poisoning PA 0x%" PRIx64 " failed: status %u", pa, st);
	printf("poisoned host PA 0x%" PRIx64 " (SET %u)\n", pa, type);
}

static void unpoison(uint64_t pa)
{
	uint32_t st = poison_cmd(pa, 0, CMD_CLEAR);

	if (st)
		fail("clearing poison at PA 0x%" PRIx64 " failed: status %u", pa, st);
}

/* Host-physical address of a resident page of ours, via /proc/self/pagemap. */
static uint64_t virt_to_phys(const void *va)
{
	uint64_t ent = 0;
	long psz = sysconf(_SC_PAGESIZE);
	int fd = open("/proc/self/pagemap", O_RDONLY);

	if (fd < 0)
		fail("open /proc/self/pagemap: %s", strerror(errno));
	if (pread(fd, &ent, 8, (off_t)((uintptr_t)va / psz) * 8) != 8)
		fail("read /proc/self/pagemap: %s", strerror(errno));
	close(fd);
	if (!(ent & (1ULL << 63)) || !(ent & ((1ULL << 55) - 1)))
		fail("page %p not present or PFN hidden (pagemap 0x%" PRIx64 ")", va, ent);
	return (ent & ((1ULL << 55) - 1)) * psz + ((uintptr_t)va % psz);
}

/* ---- the guest RAM of a running seavmm ---- */
#define SEAVMM_RAM_GPA 0x40000000ULL /* docs/usage.md: RAM starts at 1 GiB */

/* One line of /proc/PID/maps: range, permissions, name ("\n" if unnamed), the line. */
struct maps_line {
	uint64_t lo, hi;
	char perms[8];
	const char *name;
	const char *line;
};

/* Calls fn for each mapping of pid, in address order. */
static void maps_foreach(pid_t pid, void (*fn)(const struct maps_line *m, void *arg), void *arg)
{
	char path[64], line[512];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	f = fopen(path, "r");
	if (!f)
		fail("open %s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		struct maps_line m = { .line = line };
		unsigned long long lo, hi;
		int n = 0;

		if (sscanf(line, "%llx-%llx %7s %*s %*s %*s%n", &lo, &hi, m.perms, &n) < 3)
			continue;
		m.lo = lo;
		m.hi = hi;
		m.name = line + n + strspn(line + n, " ");
		fn(&m, arg);
	}
	fclose(f);
}

/*
 * seavmm's guest RAM mapping: the lowest one named "[anon:seavmm guest ram]"
 * (a quarantine splits it, each piece keeps the name), or, on kernels
 * without anonymous VMA names, the largest unnamed read-write mapping.
 */
struct ram_search {
	uint64_t named, big, bigsz;
};

static void ram_search_line(const struct maps_line *m, void *arg)
{
	struct ram_search *r = arg;

	if (strstr(m->line, "[anon:seavmm guest ram]")) {
		if (!r->named || m->lo < r->named)
			r->named = m->lo;
	} else if (!strcmp(m->perms, "rw-p") && *m->name == '\n' && m->hi - m->lo > r->bigsz) {
		r->big = m->lo;
		r->bigsz = m->hi - m->lo;
	}
}

static uint64_t seavmm_ram_hva(pid_t pid)
{
	struct ram_search r = { 0 };

	maps_foreach(pid, ram_search_line, &r);
	if (!r.named && !r.big)
		fail("no guest RAM mapping in /proc/%d/maps", (int)pid);
	return r.named ? r.named : r.big;
}

/* The /proc/PID/pagemap entry of the page at hva in pid. */
static uint64_t pagemap_entry(pid_t pid, uint64_t hva)
{
	long psz = sysconf(_SC_PAGESIZE);
	uint64_t ent = 0;
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/pagemap", (int)pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		fail("open %s: %s", path, strerror(errno));
	if (pread(fd, &ent, 8, (off_t)(hva / psz) * 8) != 8)
		fail("read %s: %s", path, strerror(errno));
	close(fd);
	return ent;
}

/* The /proc/PID/pagemap entry of the host page behind gpa of seavmm pid. */
static uint64_t seavmm_gpa_pagemap(pid_t pid, uint64_t gpa, uint64_t *hva_out)
{
	if (gpa < SEAVMM_RAM_GPA)
		fail("GPA 0x%" PRIx64 " is below guest RAM (0x%llx)", gpa, SEAVMM_RAM_GPA);
	*hva_out = seavmm_ram_hva(pid) + (gpa - SEAVMM_RAM_GPA);
	return pagemap_entry(pid, *hva_out);
}

/*
 * The first slot of seavmm's quarantine area (vmm/sea/quarantine.c), or 0: the
 * lowest mapping named "[anon:seavmm quarantine]", or, on kernels without
 * anonymous VMA names, the start of a run of adjacent unnamed PROT_NONE
 * mappings that spans exactly the area (1024 pages; moved-in slots split it).
 */
#define SEAVMM_QUARANTINE_PAGES 1024
struct quarantine_search {
	uint64_t span, named, run_lo, run_hi, found;
};

static void quarantine_search_line(const struct maps_line *m, void *arg)
{
	struct quarantine_search *q = arg;

	if (strstr(m->line, "[anon:seavmm quarantine]") && (!q->named || m->lo < q->named))
		q->named = m->lo;
	if (strcmp(m->perms, "---p") || *m->name != '\n') {
		q->run_lo = q->run_hi = 0;
		return;
	}
	if (m->lo != q->run_hi)
		q->run_lo = m->lo;
	q->run_hi = m->hi;
	if (!q->found && q->run_hi - q->run_lo == q->span)
		q->found = q->run_lo;
}

static uint64_t seavmm_quarantine_hva(pid_t pid)
{
	struct quarantine_search q = {
		.span = SEAVMM_QUARANTINE_PAGES * (uint64_t)sysconf(_SC_PAGESIZE),
	};

	maps_foreach(pid, quarantine_search_line, &q);
	return q.named ? q.named : q.found;
}

/*
 * What a pagemap entry holds, in one word: the page's host address, or
 * "hwpoison-entry" for a swap-type entry (bit 62: the host has no swap, so it
 * is the one memory_failure() leaves for an unmapped hwpoisoned page), or
 * "not-present".
 */
static void print_pagemap_entry(uint64_t ent, uint64_t hva)
{
	long psz = sysconf(_SC_PAGESIZE);

	if ((ent & (1ULL << 63)) && (ent & ((1ULL << 55) - 1)))
		printf("0x%" PRIx64 "\n",
		       (uint64_t)((ent & ((1ULL << 55) - 1)) * psz + (hva % psz)));
	else if (ent & (1ULL << 62))
		printf("hwpoison-entry\n");
	else
		printf("not-present\n");
}

/* Host-physical address behind gpa of seavmm pid, or 0 when not present. */
static uint64_t seavmm_gpa_to_pa(pid_t pid, uint64_t gpa, uint64_t *hva_out)
{
	long psz = sysconf(_SC_PAGESIZE);
	uint64_t ent = seavmm_gpa_pagemap(pid, gpa, hva_out);

	if (!(ent & (1ULL << 63)) || !(ent & ((1ULL << 55) - 1)))
		return 0;
	return (ent & ((1ULL << 55) - 1)) * psz + (*hva_out % psz);
}

static uint64_t parse_u64(const char *s);

/* ---- the host kernel's software poison injector (hwpoison_inject) ---- */
#define HWPOISON_DIR "/sys/kernel/debug/hwpoison"

/* Writes pfn to HWPOISON_DIR/file; skips (77) when the interface is missing. */
static void hwpoison_write(const char *file, uint64_t pfn)
{
	char path[96], buf[32];
	int fd, n;

	snprintf(path, sizeof(path), "%s/%s", HWPOISON_DIR, file);
	fd = open(path, O_WRONLY);
	if (fd < 0) {
		printf("cannot open %s: %s (needs CONFIG_HWPOISON_INJECT: modprobe "
		       "hwpoison_inject, and debugfs mounted)\n",
		       path, strerror(errno));
		exit(SKIP);
	}
	n = snprintf(buf, sizeof(buf), "0x%" PRIx64 "\n", pfn);
	if (write(fd, buf, (size_t)n) != n)
		fail("writing PFN 0x%" PRIx64 " to %s: %s", pfn, path, strerror(errno));
	close(fd);
}

/*
 * PTRACE_EVENT_EXIT stops the traced (main) thread in do_exit() before it
 * drops the process's memory, so poison cleared there is cleared before any
 * page of the process is freed, on every way out.
 */
static int hold_exit(pid_t pid)
{
	int status;

	if (ptrace(PTRACE_SEIZE, pid, 0, (void *)(long)PTRACE_O_TRACEEXIT) < 0)
		fail("ptrace(PTRACE_SEIZE, %d): %s", (int)pid, strerror(errno));
	printf("holding %d\n", (int)pid);
	for (;;) {
		int sig = 0;

		if (waitpid(pid, &status, __WALL) < 0)
			fail("waitpid(%d): %s", (int)pid, strerror(errno));
		if (WIFEXITED(status) || WIFSIGNALED(status)) {
			clear_all_poison();
			printf("%d ended before its exit stop\n", (int)pid);
			return 1;
		}
		if (status >> 8 == (SIGTRAP | (PTRACE_EVENT_EXIT << 8))) {
			clear_all_poison();
			printf("%d is exiting: all poison cleared\n", (int)pid);
			ptrace(PTRACE_DETACH, pid, 0, 0);
			return 0;
		}
		/* A signal for it (not a ptrace event stop): deliver it. */
		if (WIFSTOPPED(status) && !(status >> 16))
			sig = WSTOPSIG(status);
		ptrace(PTRACE_CONT, pid, 0, (void *)(long)sig);
	}
}

/* ---- a minimal KVM guest ---- */
#define GUEST_BASE  0x40000000ULL /* guest RAM: 16 pages */
#define GUEST_PAGES 16
#define PG	    0x1000ULL
#define REPORT_BASE 0x10000000ULL /* unmapped: stores here exit as MMIO */
/* Page use inside guest RAM. */
#define CODE_PG 0 /* main code */
#define DATA_PG 1 /* the page whose host page is poisoned */
#define VEC_PG	2 /* vector table (VBAR_EL1) */
#define L1_PG	4 /* stage-1 tables for the walk test */
#define L2_PG	5
#define L3_PG	6
#define WALK_VA 0x40200000ULL /* mapped through the L3 table */
/* Report offsets (guest stores to REPORT_BASE + off). */
#define REP_MAIN     0x00
#define REP_SYNC_ESR 0x10
#define REP_SYNC_FAR 0x18
#define REP_SYNC_ELR 0x20
#define REP_SERR_ESR 0x30
#define REP_SERR_ELR 0x38
#define REP_X_ESR    0x40 /* abt_vectors(): every slot reports these */
#define REP_X_FAR    0x48
#define REP_X_ELR    0x50
#define REP_X_SPSR   0x58
#define REP_X_SLOT   0x60
#define REP_OTHER    0x100 /* + 8 * vector slot */

/* A64 encodings. */
#define A64_LDR_X0_X1 0xf9400020u /* ldr x0, [x1] */
#define A64_STR_X0_X1 0xf9000020u /* str x0, [x1] */
#define A64_B_SELF    0x14000000u /* b . */
static uint32_t a64_str(unsigned rt, unsigned rn, unsigned off)
{
	return 0xf9000000u | ((off / 8) << 10) | (rn << 5) | rt;
}
static uint32_t a64_mrs(unsigned rt, unsigned op0, unsigned op1, unsigned crn, unsigned crm,
			unsigned op2)
{
	return 0xd5200000u | (op0 << 19) | (op1 << 16) | (crn << 12) | (crm << 8) | (op2 << 5) | rt;
}
#define MRS_ESR_EL1(rt)	 a64_mrs(rt, 3, 0, 5, 2, 0)
#define MRS_FAR_EL1(rt)	 a64_mrs(rt, 3, 0, 6, 0, 0)
#define MRS_ELR_EL1(rt)	 a64_mrs(rt, 3, 0, 4, 0, 1)
#define MRS_SPSR_EL1(rt) a64_mrs(rt, 3, 0, 4, 0, 0)
static uint32_t a64_movz(unsigned rd, unsigned imm16)
{
	return 0xd2800000u | (imm16 << 5) | rd;
}
static uint32_t a64_ldr(unsigned rt, unsigned rn, unsigned off)
{
	return 0xf9400000u | ((off / 8) << 10) | (rn << 5) | rt;
}

#define SYSREG(op0, op1, crn, crm, op2) ARM64_SYS_REG(op0, op1, crn, crm, op2)

#define REG_SCTLR_EL1 SYSREG(3, 0, 1, 0, 0)
#define REG_TTBR0_EL1 SYSREG(3, 0, 2, 0, 0)
#define REG_TCR_EL1   SYSREG(3, 0, 2, 0, 2)
#define REG_MAIR_EL1  SYSREG(3, 0, 10, 2, 0)
#define REG_VBAR_EL1  SYSREG(3, 0, 12, 0, 0)

#define CORE_REG(x) (KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | KVM_REG_ARM_CORE_REG(x))

struct vm {
	int kvm, fd, vcpu;
	struct kvm_run *run;
	uint8_t *mem;	      /* guest RAM in our address space */
	uint64_t reports[64]; /* last value stored at REPORT_BASE + 8*i */
	uint64_t seen;	      /* bit i: report i arrived */
	/* At the REP_X_ESR report: the handler's PSTATE, PC and X0. */
	uint64_t h_pstate, h_pc, h_x0;
};

static void put32(struct vm *vm, uint64_t gpa, uint32_t insn)
{
	memcpy(vm->mem + (gpa - GUEST_BASE), &insn, 4);
}
static void put64(struct vm *vm, uint64_t gpa, uint64_t v)
{
	memcpy(vm->mem + (gpa - GUEST_BASE), &v, 8);
}
static uint64_t gpa_of(unsigned pg)
{
	return GUEST_BASE + pg * PG;
}

static void set_reg(struct vm *vm, uint64_t id, uint64_t val)
{
	struct kvm_one_reg r = { .id = id, .addr = (uintptr_t)&val };

	if (ioctl(vm->vcpu, KVM_SET_ONE_REG, &r) < 0)
		fail("KVM_SET_ONE_REG 0x%" PRIx64 ": %s", id, strerror(errno));
}

static uint64_t get_reg(struct vm *vm, uint64_t id)
{
	uint64_t val = 0;
	struct kvm_one_reg r = { .id = id, .addr = (uintptr_t)&val };

	if (ioctl(vm->vcpu, KVM_GET_ONE_REG, &r) < 0)
		fail("KVM_GET_ONE_REG 0x%" PRIx64 ": %s", id, strerror(errno));
	return val;
}

static void on_alarm(int sig)
{
	(void)sig;
}

static void vm_create(struct vm *vm, bool sea_to_user)
{
	struct kvm_vcpu_init init;
	struct kvm_userspace_memory_region mr;
	long sz;

	memset(vm, 0, sizeof(*vm));
	vm->kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (vm->kvm < 0) {
		printf("no /dev/kvm: %s\n", strerror(errno));
		exit(SKIP);
	}
	vm->fd = ioctl(vm->kvm, KVM_CREATE_VM, 0);
	if (vm->fd < 0)
		fail("KVM_CREATE_VM: %s", strerror(errno));
	if (ioctl(vm->fd, KVM_CHECK_EXTENSION, KVM_CAP_ARM_SEA_TO_USER) <= 0) {
		printf("KVM_CAP_ARM_SEA_TO_USER not supported by the host kernel\n");
		exit(SKIP);
	}
	if (sea_to_user) {
		struct kvm_enable_cap cap = { .cap = KVM_CAP_ARM_SEA_TO_USER };

		if (ioctl(vm->fd, KVM_ENABLE_CAP, &cap) < 0)
			fail("KVM_ENABLE_CAP(KVM_CAP_ARM_SEA_TO_USER): %s", strerror(errno));
	}
	vm->mem = mmap(NULL, GUEST_PAGES * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);
	if (vm->mem == MAP_FAILED)
		fail("mmap guest RAM: %s", strerror(errno));
	madvise(vm->mem, GUEST_PAGES * PG, MADV_NOHUGEPAGE);
	memset(vm->mem, 0, GUEST_PAGES * PG);
	if (mlock(vm->mem, GUEST_PAGES * PG) < 0)
		fail("mlock guest RAM: %s", strerror(errno));
	mr = (struct kvm_userspace_memory_region){
		.slot = 0,
		.guest_phys_addr = GUEST_BASE,
		.memory_size = GUEST_PAGES * PG,
		.userspace_addr = (uintptr_t)vm->mem,
	};
	if (ioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, &mr) < 0)
		fail("KVM_SET_USER_MEMORY_REGION: %s", strerror(errno));
	vm->vcpu = ioctl(vm->fd, KVM_CREATE_VCPU, 0);
	if (vm->vcpu < 0)
		fail("KVM_CREATE_VCPU: %s", strerror(errno));
	if (ioctl(vm->fd, KVM_ARM_PREFERRED_TARGET, &init) < 0)
		fail("KVM_ARM_PREFERRED_TARGET: %s", strerror(errno));
	if (ioctl(vm->vcpu, KVM_ARM_VCPU_INIT, &init) < 0)
		fail("KVM_ARM_VCPU_INIT: %s", strerror(errno));
	sz = ioctl(vm->kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	vm->run = mmap(NULL, sz, PROT_READ | PROT_WRITE, MAP_SHARED, vm->vcpu, 0);
	if (vm->run == MAP_FAILED)
		fail("mmap kvm_run: %s", strerror(errno));

	/*
	 * Vector table: the synchronous and SError entries for the current EL
	 * with SP_ELx report ESR_EL1/FAR_EL1/ELR_EL1; every other entry reports
	 * its slot as unexpected.
	 */
	for (unsigned slot = 0; slot < 16; slot++) {
		uint64_t v = gpa_of(VEC_PG) + slot * 0x80;
		unsigned i = 0;

		if (slot == 4) { /* +0x200: synchronous, current EL, SP_ELx */
			put32(vm, v + 4 * i++, MRS_ESR_EL1(3));
			put32(vm, v + 4 * i++, MRS_FAR_EL1(4));
			put32(vm, v + 4 * i++, MRS_ELR_EL1(5));
			put32(vm, v + 4 * i++, a64_str(3, 9, REP_SYNC_ESR));
			put32(vm, v + 4 * i++, a64_str(4, 9, REP_SYNC_FAR));
			put32(vm, v + 4 * i++, a64_str(5, 9, REP_SYNC_ELR));
		} else if (slot == 7) { /* +0x380: SError, current EL, SP_ELx */
			put32(vm, v + 4 * i++, MRS_ESR_EL1(3));
			put32(vm, v + 4 * i++, MRS_ELR_EL1(5));
			put32(vm, v + 4 * i++, a64_str(3, 9, REP_SERR_ESR));
			put32(vm, v + 4 * i++, a64_str(5, 9, REP_SERR_ELR));
		} else {
			put32(vm, v + 4 * i++, MRS_ESR_EL1(3));
			put32(vm, v + 4 * i++, a64_str(3, 9, REP_OTHER + 8 * slot));
		}
		put32(vm, v + 4 * i, A64_B_SELF);
	}
	set_reg(vm, REG_VBAR_EL1, gpa_of(VEC_PG));
	set_reg(vm, CORE_REG(regs.regs[9]), REPORT_BASE);
	set_reg(vm, CORE_REG(regs.pc), gpa_of(CODE_PG));

	struct sigaction sa = { .sa_handler = on_alarm };
	sigaction(SIGALRM, &sa, NULL); /* no SA_RESTART: KVM_RUN returns EINTR */
}

static void vm_destroy(struct vm *vm)
{
	close(vm->vcpu);
	close(vm->fd);
	close(vm->kvm);
	munlock(vm->mem, GUEST_PAGES * PG);
	munmap(vm->mem, GUEST_PAGES * PG);
}

/*
 * Runs the vCPU until an exit other than a report, or until the report at
 * offset `until` has arrived (until < 0: never). Returns the exit reason,
 * or -1 when the report arrived.
 */
static int vm_run(struct vm *vm, int until, unsigned secs)
{
	alarm(secs);
	for (;;) {
		if (ioctl(vm->vcpu, KVM_RUN, 0) < 0) {
			int e = errno;

			alarm(0);
			if (e == EINTR)
				fail("the guest made no progress in %u s (no exit)", secs);
			fail("KVM_RUN: %s", strerror(e));
		}
		struct kvm_run *r = vm->run;

		if (r->exit_reason == KVM_EXIT_MMIO && r->mmio.is_write &&
		    r->mmio.phys_addr >= REPORT_BASE && r->mmio.phys_addr < REPORT_BASE + 0x200) {
			unsigned i = (r->mmio.phys_addr - REPORT_BASE) / 8;
			uint64_t v;

			memcpy(&v, r->mmio.data, 8);
			vm->reports[i] = v;
			vm->seen |= 1ULL << i;
			printf("guest report +0x%02x = 0x%" PRIx64 "\n", i * 8, v);
			if (i * 8 == REP_X_ESR) {
				/* The handler's first store: nothing changed PSTATE yet. */
				vm->h_pstate = get_reg(vm, CORE_REG(regs.pstate));
				vm->h_pc = get_reg(vm, CORE_REG(regs.pc));
				vm->h_x0 = get_reg(vm, CORE_REG(regs.regs[0]));
			}
			if (i * 8 >= REP_OTHER) {
				alarm(0);
				fail("unexpected exception in the guest: "
				     "vector +0x%x, ESR_EL1 0x%" PRIx64,
				     (i * 8 - REP_OTHER) / 8 * 0x80, v);
			}
			if (until >= 0 && (int)(i * 8) == until) {
				alarm(0);
				return -1;
			}
			continue;
		}
		alarm(0);
		return r->exit_reason;
	}
}

static struct seavmm_arm_sea *run_sea(struct vm *vm)
{
	return (struct seavmm_arm_sea *)(void *)&vm->run->mmio;
}

/* ---- ESR decoding and checks ---- */
#define ESR_EC(e)    (((e) >> 26) & 0x3f)
#define ESR_IL(e)    (((e) >> 25) & 1)
#define ESR_SET(e)   (((e) >> 11) & 3)
#define ESR_FNV(e)   (((e) >> 10) & 1)
#define ESR_EA(e)    (((e) >> 9) & 1)
#define ESR_S1PTW(e) (((e) >> 7) & 1)
#define ESR_WNR(e)   (((e) >> 6) & 1)
#define ESR_FSC(e)   (0x3f & (e))

static void print_esr(const char *what, uint64_t e)
{
	printf("%s: esr 0x%08" PRIx64
	       " (EC 0x%02x IL %u SET %u FnV %u EA %u S1PTW %u WnR %u FSC 0x%02x)\n",
	       what, e, (unsigned)ESR_EC(e), (unsigned)ESR_IL(e), (unsigned)ESR_SET(e),
	       (unsigned)ESR_FNV(e), (unsigned)ESR_EA(e), (unsigned)ESR_S1PTW(e),
	       (unsigned)ESR_WNR(e), (unsigned)ESR_FSC(e));
}

struct expect {
	unsigned ec, fsc, wnr, set;
	uint64_t gva;
	bool gpa_valid;	   /* the GPA flag must be set... */
	bool gpa_optional; /* ...or may be absent (walks: KVM gives no IPA) */
	uint64_t gpa;
};

static void expect_sea(struct vm *vm, int reason, const struct expect *x)
{
	struct seavmm_arm_sea *s = run_sea(vm);

	if (reason != KVM_EXIT_ARM_SEA)
		fail("exit reason %d, want KVM_EXIT_ARM_SEA (%d)", reason, KVM_EXIT_ARM_SEA);
	printf("KVM_EXIT_ARM_SEA: flags 0x%" PRIx64 " gva 0x%" PRIx64 " gpa 0x%" PRIx64 "\n",
	       s->flags, s->gva, s->gpa);
	print_esr("exit", s->esr);
	if (ESR_EC(s->esr) != x->ec)
		fail("exit ESR EC 0x%x, want 0x%x", (unsigned)ESR_EC(s->esr), x->ec);
	if (ESR_FSC(s->esr) != x->fsc)
		fail("exit ESR FSC 0x%x, want 0x%x", (unsigned)ESR_FSC(s->esr), x->fsc);
	if (!ESR_IL(s->esr))
		fail("exit ESR IL clear");
	if (ESR_WNR(s->esr) != x->wnr)
		fail("exit ESR WnR %u, want %u", (unsigned)ESR_WNR(s->esr), x->wnr);
	if (ESR_SET(s->esr) != x->set)
		fail("exit ESR SET %u, want %u", (unsigned)ESR_SET(s->esr), x->set);
	if (ESR_FNV(s->esr))
		fail("exit ESR FnV set: the address should be valid");
	if (s->gva != x->gva)
		fail("exit gva 0x%" PRIx64 ", want 0x%" PRIx64, s->gva, x->gva);
	if (s->flags & ~KVM_EXIT_ARM_SEA_FLAG_GPA_VALID)
		fail("exit flags 0x%" PRIx64 " has unknown bits", s->flags);
	if (s->flags & KVM_EXIT_ARM_SEA_FLAG_GPA_VALID) {
		if (!x->gpa_valid)
			fail("exit has the GPA flag (gpa 0x%" PRIx64 "), want none", s->gpa);
		if (s->gpa != x->gpa)
			fail("exit gpa 0x%" PRIx64 ", want 0x%" PRIx64, s->gpa, x->gpa);
	} else if (x->gpa_valid && !x->gpa_optional) {
		fail("exit has no GPA flag, want gpa 0x%" PRIx64, x->gpa);
	}
}

/* ---- the tests ---- */

/* Runs one access to the poisoned DATA_PG (or a fetch from it) and checks the exit. */
static void test_access(const char *kind, uint32_t set, bool inject)
{
	struct vm vm;
	uint64_t data = gpa_of(DATA_PG), pa;
	bool fetch = !strcmp(kind, "fetch"), store = !strcmp(kind, "store");
	struct expect x = {
		.ec = fetch ? 0x20 : 0x24,
		.fsc = 0x10,
		.wnr = store,
		.set = set,
		.gva = data,
		.gpa_valid = true,
		.gpa = data,
	};

	vm_create(&vm, true);
	put32(&vm, gpa_of(CODE_PG) + 0, store ? A64_STR_X0_X1 : A64_LDR_X0_X1);
	put32(&vm, gpa_of(CODE_PG) + 4, a64_str(0, 9, REP_MAIN));
	put32(&vm, gpa_of(CODE_PG) + 8, A64_B_SELF);
	set_reg(&vm, CORE_REG(regs.regs[1]), data);
	set_reg(&vm, CORE_REG(regs.regs[0]), 0x1111);
	if (fetch) {
		/* The poisoned page holds code: b . at its start. */
		put32(&vm, data, A64_B_SELF);
		set_reg(&vm, CORE_REG(regs.pc), data);
	} else {
		put64(&vm, data, 0x5ea5ea5ea5ea5ea5ULL);
	}
	pa = virt_to_phys(vm.mem + DATA_PG * PG);
	printf("%s: guest page GPA 0x%" PRIx64 " is host PA 0x%" PRIx64 "\n", kind, data, pa);
	poison(pa, set);

	int reason = vm_run(&vm, REP_MAIN, 20);
	if (reason < 0)
		fail("the guest's %s on the poisoned page completed (value 0x%" PRIx64
		     "): no abort",
		     kind, vm.reports[REP_MAIN / 8]);
	expect_sea(&vm, reason, &x);

	if (inject) {
		struct kvm_vcpu_events ev;

		if (ioctl(vm.fd, KVM_CHECK_EXTENSION, KVM_CAP_ARM_INJECT_EXT_DABT) <= 0)
			fail("KVM_CAP_ARM_INJECT_EXT_DABT not supported");
		memset(&ev, 0, sizeof(ev));
		if (ioctl(vm.vcpu, KVM_GET_VCPU_EVENTS, &ev) < 0)
			fail("KVM_GET_VCPU_EVENTS: %s", strerror(errno));
		ev.exception.ext_dabt_pending = 1;
		if (ioctl(vm.vcpu, KVM_SET_VCPU_EVENTS, &ev) < 0)
			fail("KVM_SET_VCPU_EVENTS(ext_dabt_pending): %s", strerror(errno));
		reason = vm_run(&vm, REP_SYNC_ELR, 20);
		if (reason >= 0)
			fail("after injecting: exit reason %d, want the guest's handler to report",
			     reason);
		uint64_t esr = vm.reports[REP_SYNC_ESR / 8], far = vm.reports[REP_SYNC_FAR / 8];
		uint64_t elr = vm.reports[REP_SYNC_ELR / 8];
		print_esr("guest ESR_EL1", esr);
		printf("guest FAR_EL1 0x%" PRIx64 " ELR_EL1 0x%" PRIx64 "\n", far, elr);
		/* From EL1 to EL1: a data abort from the current EL, FSC 0x10, IL. */
		if (esr != 0x96000010)
			fail("guest ESR_EL1 0x%" PRIx64 ", want 0x96000010 (EC 0x25, IL, FSC 0x10)",
			     esr);
		if (far != data)
			fail("guest FAR_EL1 0x%" PRIx64 ", want 0x%" PRIx64, far, data);
		if (elr != gpa_of(CODE_PG))
			fail("guest ELR_EL1 0x%" PRIx64 ", want the faulting load at 0x%" PRIx64,
			     elr, gpa_of(CODE_PG));
	}

	unpoison(pa);
	if (!fetch && !store) {
		uint64_t v;

		memcpy(&v, vm.mem + DATA_PG * PG, 8);
		if (v != 0x5ea5ea5ea5ea5ea5ULL)
			fail("page contents changed across poison/clear: 0x%" PRIx64, v);
	}
	vm_destroy(&vm);
	printf("%s ok\n", inject ? "inject-dabt" : kind);
}

/* A data access whose stage-1 walk reads a poisoned level 3 table. */
static void test_walk(void)
{
	struct vm vm;
	const uint64_t af = 1ULL << 10, ish = 3ULL << 8, tbl = 3, blk = 1, page = 3;
	uint64_t pa;
	struct expect x = {
		.ec = 0x24,
		.fsc = 0x17 /* SEA on walk, level 3 */,
		.wnr = 0,
		.set = 0,
		.gva = WALK_VA,
		.gpa_valid = true,
		.gpa_optional = true,
		.gpa = gpa_of(L3_PG),
	};

	vm_create(&vm, true);
	/* 4 KiB granule, 39-bit VA: walks start at level 1. */
	put64(&vm, gpa_of(L1_PG) + 0 * 8, 0 | af | (1 << 2) | blk);	/* 0-1G: device (reports) */
	put64(&vm, gpa_of(L1_PG) + 1 * 8, gpa_of(L2_PG) | tbl);		/* 1G-2G */
	put64(&vm, gpa_of(L2_PG) + 0 * 8, GUEST_BASE | af | ish | blk); /* 2 MiB identity: RAM */
	put64(&vm, gpa_of(L2_PG) + 1 * 8, gpa_of(L3_PG) | tbl);		/* WALK_VA: level 3 */
	put64(&vm, gpa_of(L3_PG) + 0 * 8, gpa_of(DATA_PG) | af | ish | page);
	put32(&vm, gpa_of(CODE_PG) + 0, A64_LDR_X0_X1);
	put32(&vm, gpa_of(CODE_PG) + 4, a64_str(0, 9, REP_MAIN));
	put32(&vm, gpa_of(CODE_PG) + 8, A64_B_SELF);
	set_reg(&vm, CORE_REG(regs.regs[1]), WALK_VA);
	set_reg(&vm, REG_MAIR_EL1, 0x00ff); /* attr0 normal WB, attr1 device */
	set_reg(&vm, REG_TCR_EL1, 25 | (1 << 8) | (1 << 10) | (3 << 12) | (1 << 23) | (2ULL << 32));
	set_reg(&vm, REG_TTBR0_EL1, gpa_of(L1_PG));
	set_reg(&vm, REG_SCTLR_EL1, 0x30d00800 | 1 | 4 | 0x1000); /* M, C, I */

	pa = virt_to_phys(vm.mem + L3_PG * PG);
	printf("walk: level 3 table GPA 0x%" PRIx64 " is host PA 0x%" PRIx64 "\n", gpa_of(L3_PG),
	       pa);
	poison(pa, SET_UER);
	int reason = vm_run(&vm, REP_MAIN, 20);
	if (reason < 0)
		fail("the load through the poisoned table completed: no abort");
	expect_sea(&vm, reason, &x);
	printf("GPA flag %s (KVM reports no IPA for aborts on a stage-1 walk)\n",
	       run_sea(&vm)->flags & KVM_EXIT_ARM_SEA_FLAG_GPA_VALID ? "set" : "clear");
	unpoison(pa);
	vm_destroy(&vm);
	printf("walk ok\n");
}

/* Without KVM_CAP_ARM_SEA_TO_USER: the guest gets an SError, no exit. */
static void test_no_cap(void)
{
	struct vm vm;
	uint64_t data = gpa_of(DATA_PG), pa;

	vm_create(&vm, false);
	put32(&vm, gpa_of(CODE_PG) + 0, A64_LDR_X0_X1);
	put32(&vm, gpa_of(CODE_PG) + 4, a64_str(0, 9, REP_MAIN));
	put32(&vm, gpa_of(CODE_PG) + 8, A64_B_SELF);
	set_reg(&vm, CORE_REG(regs.regs[1]), data);
	/* EL1h with D, I, F masked and SError (A) unmasked, so it is taken. */
	set_reg(&vm, CORE_REG(regs.pstate), 0x2c5);
	pa = virt_to_phys(vm.mem + DATA_PG * PG);
	poison(pa, SET_UER);
	int reason = vm_run(&vm, REP_SERR_ELR, 20);
	if (reason == KVM_EXIT_ARM_SEA)
		fail("KVM_EXIT_ARM_SEA without KVM_CAP_ARM_SEA_TO_USER");
	if (reason >= 0)
		fail("exit reason %d, want the guest's SError handler to report", reason);
	uint64_t esr = vm.reports[REP_SERR_ESR / 8];
	print_esr("guest SError ESR_EL1", esr);
	printf("guest SError taken at ELR_EL1 0x%" PRIx64 "\n", vm.reports[REP_SERR_ELR / 8]);
	if (ESR_EC(esr) != 0x2f)
		fail("guest ESR_EL1 EC 0x%x, want 0x2f (SError)", (unsigned)ESR_EC(esr));
	if (vm.seen & (1ULL << (REP_MAIN / 8)))
		fail("the poisoned load completed");
	unpoison(pa);
	vm_destroy(&vm);
	printf("no-cap ok\n");
}

/* A host process consuming poison gets SIGBUS; the host keeps running. */
static sigjmp_buf bus_jmp;
static volatile siginfo_t bus_info;
static volatile uint64_t bus_pa;

static void on_sigbus(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	/* Clear the poison before anything can free the page. */
	poison_cmd(bus_pa, 0, CMD_CLEAR);
	bus_info.si_code = si->si_code;
	bus_info.si_addr = si->si_addr;
	siglongjmp(bus_jmp, 1);
}

static void test_host_poison(void)
{
	int pfd[2];
	pid_t pid;
	int status;

	if (pipe(pfd) < 0)
		fail("pipe: %s", strerror(errno));
	pid = fork();
	if (pid < 0)
		fail("fork: %s", strerror(errno));
	if (pid == 0) {
		volatile uint64_t *p =
			mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		struct sigaction sa = { .sa_sigaction = on_sigbus, .sa_flags = SA_SIGINFO };
		char msg[160];

		close(pfd[0]);
		if (p == MAP_FAILED)
			fail("mmap: %s", strerror(errno));
		*p = 42;
		mlock((void *)p, PG);
		bus_pa = virt_to_phys((void *)p);
		sigaction(SIGBUS, &sa, NULL);
		poison(bus_pa, SET_UER);
		if (sigsetjmp(bus_jmp, 1) == 0) {
			uint64_t v = *p;

			unpoison(bus_pa);
			snprintf(msg, sizeof(msg), "read 0x%" PRIx64 ": no SIGBUS", v);
		} else {
			snprintf(msg, sizeof(msg),
				 "SIGBUS si_code %d si_addr %p page %p value-after-clear %" PRIu64,
				 bus_info.si_code, bus_info.si_addr, (void *)p, *p);
		}
		if (write(pfd[1], msg, strlen(msg)) < 0)
			_exit(3);
		_exit(0);
	}
	close(pfd[1]);
	char buf[200] = "";
	ssize_t n = read(pfd[0], buf, sizeof(buf) - 1);
	if (n > 0)
		buf[n] = 0;
	if (waitpid(pid, &status, 0) < 0)
		fail("waitpid: %s", strerror(errno));
	printf("child: %s\n", buf);
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		fail("the child did not exit normally (status 0x%x)", status);
	if (strncmp(buf, "SIGBUS", 6))
		fail("the child's read of its poisoned page gave %s", buf);
	if (!strstr(buf, "si_code 3 "))
		fail("SIGBUS si_code is not BUS_OBJERR (3): %s", buf);
	/* si_addr must be the page; value 42 survives. */
	char *sa = strstr(buf, "si_addr "), *pg = strstr(buf, "page ");
	if (!sa || !pg || strtoull(sa + 8, NULL, 16) != strtoull(pg + 5, NULL, 16))
		fail("SIGBUS si_addr is not the poisoned address: %s", buf);
	if (!strstr(buf, "value-after-clear 42"))
		fail("page contents not preserved: %s", buf);
	/* The host keeps running: a new process works. */
	pid = fork();
	if (pid == 0)
		_exit(7);
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 7)
		fail("the host cannot run a new process after the SIGBUS");
	printf("host-poison ok\n");
}

/* ---- the patched kernel's abort injection (tests/kernel/README.md) ---- */
#define PSTATE_NZCV  (0xfULL << 28)
#define PSTATE_DIT   (1ULL << 24)
#define PSTATE_PAN   (1ULL << 22)
#define PSTATE_SSBS  (1ULL << 12)
#define PSTATE_EL1H  0x5ULL
#define PSTATE_DAIF  0x3c0ULL
#define SCTLR_SPAN   (1ULL << 23)
#define SCTLR_DSSBS  (1ULL << 44)
#define ESR_IL_BIT   (1ULL << 25)
#define ISS_FNV	     (1ULL << 10)
#define REG_ID_PFR0  SYSREG(3, 0, 0, 4, 0)
#define REG_ESR_EL1  SYSREG(3, 0, 5, 2, 0)
#define REG_FAR_EL1  SYSREG(3, 0, 6, 0, 0)
#define REG_ELR_EL1  CORE_REG(elr_el1)
#define REG_SPSR_EL1 CORE_REG(spsr[KVM_SPSR_EL1])
/* Condition flags and DIT set at the fault: an entry must keep them. */
#define FAULT_FLAGS ((0xaULL << 28) | PSTATE_DIT)

/*
 * Every vector slot reports ESR_EL1, FAR_EL1, ELR_EL1, SPSR_EL1 and its own
 * number; vm_run() notes the handler's PSTATE, PC and X0 at its first store.
 */
static void abt_vectors(struct vm *vm)
{
	for (unsigned slot = 0; slot < 16; slot++) {
		uint64_t v = gpa_of(VEC_PG) + slot * 0x80;
		const uint32_t code[] = {
			MRS_ESR_EL1(3),	   a64_str(3, 9, REP_X_ESR),
			MRS_FAR_EL1(4),	   a64_str(4, 9, REP_X_FAR),
			MRS_ELR_EL1(5),	   a64_str(5, 9, REP_X_ELR),
			MRS_SPSR_EL1(6),   a64_str(6, 9, REP_X_SPSR),
			a64_movz(7, slot), a64_str(7, 9, REP_X_SLOT),
			A64_B_SELF,
		};

		for (unsigned i = 0; i < sizeof(code) / sizeof(code[0]); i++)
			put32(vm, v + 4 * i, code[i]);
	}
}

/* What the guest saw once its handler ran. */
struct abt_seen {
	uint64_t esr, far, elr, spsr, slot, pstate, pc, x0;
};

static void abt_collect(struct vm *vm, const char *what, struct abt_seen *g)
{
	int reason = vm_run(vm, REP_X_SLOT, 20);

	if (reason >= 0)
		fail("%s: exit reason %d, want the guest's handler to report", what, reason);
	g->esr = vm->reports[REP_X_ESR / 8];
	g->far = vm->reports[REP_X_FAR / 8];
	g->elr = vm->reports[REP_X_ELR / 8];
	g->spsr = vm->reports[REP_X_SPSR / 8];
	g->slot = vm->reports[REP_X_SLOT / 8];
	g->pstate = vm->h_pstate;
	g->pc = vm->h_pc;
	g->x0 = vm->h_x0;
	printf("%s: ESR_EL1 0x%08" PRIx64 " FAR_EL1 0x%" PRIx64 " ELR_EL1 0x%" PRIx64
	       " SPSR_EL1 0x%" PRIx64 " vector +0x%03" PRIx64 " handler PSTATE 0x%" PRIx64 "\n",
	       what, g->esr, g->far, g->elr, g->spsr, g->slot * 0x80, g->pstate);
}

/* KVM_SET_VCPU_EVENTS with the patched layout; -errno on failure. */
static int abt_set_events(struct vm *vm, const struct seavmm_vcpu_events_abt *ev)
{
	return ioctl(vm->vcpu, KVM_SET_VCPU_EVENTS, ev) < 0 ? -errno : 0;
}

static int abt_events(struct vm *vm, bool iabt, bool has_esr, uint64_t iss)
{
	struct seavmm_vcpu_events_abt ev;

	memset(&ev, 0, sizeof(ev));
	ev.exception.ext_dabt_pending = !iabt;
	ev.exception.ext_iabt_pending = iabt;
	ev.exception.ext_abt_has_esr = has_esr;
	ev.exception.ext_abt_esr = iss;
	return abt_set_events(vm, &ev);
}

/*
 * The state an AArch64 exception entry to EL1h must leave (Arm ARM D1.3, as
 * KVM's enter_exception64 implements it; no MTE in these VMs, so no TCO).
 */
static uint64_t abt_entry_pstate(uint64_t old, uint64_t sctlr)
{
	uint64_t ps = PSTATE_DAIF | PSTATE_EL1H | (old & (PSTATE_NZCV | PSTATE_DIT));

	if (!(sctlr & SCTLR_SPAN))
		ps |= PSTATE_PAN;
	else
		ps |= old & PSTATE_PAN;
	if (sctlr & SCTLR_DSSBS)
		ps |= PSTATE_SSBS;
	return ps;
}

/* A VM whose guest has stored one report (an MMIO exit) at EL0 or EL1. */
static void abt_vm_at_report(struct vm *vm, bool el0, bool ras)
{
	vm_create(vm, true);
	abt_vectors(vm);
	put32(vm, gpa_of(CODE_PG) + 0, a64_str(0, 9, REP_MAIN));
	put32(vm, gpa_of(CODE_PG) + 4, A64_B_SELF);
	set_reg(vm, CORE_REG(regs.pstate), FAULT_FLAGS | (el0 ? 0 : PSTATE_DAIF | PSTATE_EL1H));
	if (!ras) {
		uint64_t pfr0 = get_reg(vm, REG_ID_PFR0) & ~(0xfULL << 28);

		set_reg(vm, REG_ID_PFR0, pfr0);
	}
	if (vm_run(vm, REP_MAIN, 20) >= 0)
		fail("the guest did not reach its first report");
}

static void expect_einval(struct vm *vm, const struct seavmm_vcpu_events_abt *ev, const char *what)
{
	uint64_t pc = get_reg(vm, CORE_REG(regs.pc)), esr = get_reg(vm, REG_ESR_EL1);
	uint64_t ps = get_reg(vm, CORE_REG(regs.pstate));
	int ret = abt_set_events(vm, ev);

	if (ret != -EINVAL)
		fail("%s: KVM_SET_VCPU_EVENTS returned %s, want EINVAL", what,
		     ret ? strerror(-ret) : "success");
	if (get_reg(vm, CORE_REG(regs.pc)) != pc || get_reg(vm, REG_ESR_EL1) != esr ||
	    get_reg(vm, CORE_REG(regs.pstate)) != ps)
		fail("%s: refused, but the vCPU's PC, PSTATE or ESR_EL1 changed", what);
	printf("%s: EINVAL, vCPU unchanged\n", what);
}

/* Each rule of the interface (tests/kernel/README.md, "The interface"). */
static void test_abi(void)
{
	struct seavmm_vcpu_events_abt ev;
	struct abt_seen g;
	struct vm vm;
	uint64_t pc;
	int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);

	if (kvm < 0) {
		printf("no /dev/kvm: %s\n", strerror(errno));
		exit(SKIP);
	}
	if (ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_ARM_INJECT_EXT_IABT) != 1)
		fail("KVM_CAP_ARM_INJECT_EXT_IABT (0x%x) not offered: not the patched kernel",
		     KVM_CAP_ARM_INJECT_EXT_IABT);
	close(kvm);

	abt_vm_at_report(&vm, false, true);
	if (ioctl(vm.fd, KVM_CHECK_EXTENSION, KVM_CAP_ARM_INJECT_EXT_IABT) != 1)
		fail("KVM_CAP_ARM_INJECT_EXT_IABT not offered on the VM fd");
	memset(&ev, 0, sizeof(ev));
	ev.exception.ext_dabt_pending = ev.exception.ext_iabt_pending = 1;
	expect_einval(&vm, &ev, "data and instruction abort both pending");
	memset(&ev, 0, sizeof(ev));
	ev.exception.ext_abt_has_esr = 1;
	ev.exception.ext_abt_esr = 0x10;
	expect_einval(&vm, &ev, "ext_abt_has_esr without an abort");
	static const uint64_t over[] = { 1ULL << 25, 1ULL << 31, 1ULL << 32, ~0ULL };
	for (unsigned i = 0; i < sizeof(over) / sizeof(over[0]); i++) {
		char what[80];

		memset(&ev, 0, sizeof(ev));
		ev.exception.ext_iabt_pending = ev.exception.ext_abt_has_esr = 1;
		ev.exception.ext_abt_esr = 0x10 | over[i];
		snprintf(what, sizeof(what), "ext_abt_esr 0x%" PRIx64 " (bits above ISS[24:0])",
			 ev.exception.ext_abt_esr);
		expect_einval(&vm, &ev, what);
	}
	for (unsigned i = 0; i < 3; i++) {
		memset(&ev, 0, sizeof(ev));
		ev.exception.ext_dabt_pending = 1;
		ev.exception.pad[i] = 1;
		expect_einval(&vm, &ev, "non-zero pad");
	}
	memset(&ev, 0, sizeof(ev));
	ev.exception.ext_dabt_pending = 1;
	ev.reserved[9] = 1;
	expect_einval(&vm, &ev, "non-zero reserved[9]");

	/*
	 * A supplied ISS is taken whole, FSC included (here SET UEO, EA, WnR,
	 * FSC 0x18); KVM adds only EC for the EL and IL. FAR is the last
	 * exit's: the report store the guest made at REPORT_BASE.
	 */
	pc = get_reg(&vm, CORE_REG(regs.pc));
	if (abt_events(&vm, false, true, 0x1a58))
		fail("a data abort with ISS 0x1a58 was refused: %s", strerror(errno));
	abt_collect(&vm, "dabt EL1, ISS 0x1a58", &g);
	if (g.esr != (0x25ULL << 26 | ESR_IL_BIT | 0x1a58))
		fail("guest ESR_EL1 0x%" PRIx64 ", want 0x%llx", g.esr,
		     0x25ULL << 26 | ESR_IL_BIT | 0x1a58);
	if (g.far != REPORT_BASE + REP_MAIN)
		fail("guest FAR_EL1 0x%" PRIx64 ", want the last exit's 0x%llx", g.far,
		     REPORT_BASE + REP_MAIN);
	if (g.elr != pc || g.slot != 4)
		fail("ELR_EL1 0x%" PRIx64 " vector slot %" PRIu64 ", want 0x%" PRIx64 " and 4",
		     g.elr, g.slot, pc);
	vm_destroy(&vm);

	/* Any ISS[24:0] is taken as it is, even all ones. */
	abt_vm_at_report(&vm, false, true);
	if (abt_events(&vm, true, true, 0x1ffffff))
		fail("an instruction abort with ISS 0x1ffffff was refused: %s", strerror(errno));
	abt_collect(&vm, "iabt EL1, ISS 0x1ffffff", &g);
	if (g.esr != (0x21ULL << 26 | ESR_IL_BIT | 0x1ffffff))
		fail("guest ESR_EL1 0x%" PRIx64 ", want EC 0x21, IL, ISS 0x1ffffff", g.esr);
	vm_destroy(&vm);

	/* Without ext_abt_has_esr: KVM's own syndrome, EC for EL0 or EL1, FSC 0x10. */
	static const struct {
		bool el0, iabt;
		uint64_t esr;
	} own[] = {
		{ false, true, 0x86000010 },
		{ true, true, 0x82000010 },
		{ false, false, 0x96000010 },
		{ true, false, 0x92000010 },
	};
	for (unsigned i = 0; i < sizeof(own) / sizeof(own[0]); i++) {
		abt_vm_at_report(&vm, own[i].el0, true);
		if (abt_events(&vm, own[i].iabt, false, 0))
			fail("ext_%s_pending alone was refused: %s", own[i].iabt ? "iabt" : "dabt",
			     strerror(errno));
		abt_collect(&vm, own[i].iabt ? "iabt, KVM's ESR" : "dabt, KVM's ESR", &g);
		if (g.esr != own[i].esr)
			fail("guest ESR_EL1 0x%" PRIx64 ", want 0x%" PRIx64 " (from EL%d)", g.esr,
			     own[i].esr, own[i].el0 ? 0 : 1);
		if (g.slot != (own[i].el0 ? 8 : 4))
			fail("vector slot %" PRIu64 ", want %d", g.slot, own[i].el0 ? 8 : 4);
		vm_destroy(&vm);
	}

	/* The VM's own FEAT_RAS decides, not the host's. */
	abt_vm_at_report(&vm, false, false);
	memset(&ev, 0, sizeof(ev));
	ev.exception.ext_dabt_pending = ev.exception.ext_abt_has_esr = 1;
	ev.exception.ext_abt_esr = 0x10;
	expect_einval(&vm, &ev, "ext_abt_has_esr on a VM without FEAT_RAS");
	if (abt_events(&vm, true, false, 0))
		fail("an instruction abort without an ESR was refused on a VM without FEAT_RAS: %s",
		     strerror(errno));
	abt_collect(&vm, "iabt, VM without FEAT_RAS", &g);
	vm_destroy(&vm);

	/*
	 * After an MMIO read exit, an injected abort replaces the access: the
	 * completion (X0 <- data, PC + 4) must not run on top of it.
	 */
	for (int iabt = 0; iabt < 2; iabt++) {
		vm_create(&vm, true);
		abt_vectors(&vm);
		put32(&vm, gpa_of(CODE_PG) + 0, a64_ldr(0, 9, 0x70));
		put32(&vm, gpa_of(CODE_PG) + 4, A64_B_SELF);
		set_reg(&vm, CORE_REG(regs.regs[0]), 0x1234);
		int reason = vm_run(&vm, -1, 20);
		if (reason != KVM_EXIT_MMIO || vm.run->mmio.is_write)
			fail("exit reason %d, want the MMIO read", reason);
		memset(vm.run->mmio.data, 0xee, sizeof(vm.run->mmio.data));
		if (abt_events(&vm, iabt, true, 0x10))
			fail("the abort after an MMIO exit was refused: %s", strerror(errno));
		abt_collect(&vm, iabt ? "iabt after an MMIO read" : "dabt after an MMIO read", &g);
		if (g.elr != gpa_of(CODE_PG) || g.x0 != 0x1234)
			fail("the MMIO read completed under the abort: ELR_EL1 0x%" PRIx64
			     " X0 0x%" PRIx64 ", want 0x%" PRIx64 " and 0x1234",
			     g.elr, g.x0, gpa_of(CODE_PG));
		vm_destroy(&vm);
	}
	printf("abi ok\n");
}

/* A stock kernel checks the new fields as pad and reserved: EINVAL. */
static void test_abi_stock(void)
{
	struct seavmm_vcpu_events_abt ev;
	struct abt_seen g;
	struct vm vm;

	abt_vm_at_report(&vm, false, true);
	if (ioctl(vm.fd, KVM_CHECK_EXTENSION, KVM_CAP_ARM_INJECT_EXT_IABT) > 0)
		fail("this kernel offers KVM_CAP_ARM_INJECT_EXT_IABT: not a stock kernel");
	memset(&ev, 0, sizeof(ev));
	ev.exception.ext_iabt_pending = 1;
	expect_einval(&vm, &ev, "stock: ext_iabt_pending");
	memset(&ev, 0, sizeof(ev));
	ev.exception.ext_dabt_pending = ev.exception.ext_abt_has_esr = 1;
	expect_einval(&vm, &ev, "stock: ext_abt_has_esr");
	memset(&ev, 0, sizeof(ev));
	ev.exception.ext_dabt_pending = 1;
	ev.exception.ext_abt_esr = 0x10;
	expect_einval(&vm, &ev, "stock: ext_abt_esr");
	/* What it does have still works. */
	if (abt_events(&vm, false, false, 0))
		fail("stock: ext_dabt_pending alone was refused: %s", strerror(errno));
	abt_collect(&vm, "stock: dabt", &g);
	if (g.esr != 0x96000010)
		fail("stock: guest ESR_EL1 0x%" PRIx64 ", want 0x96000010", g.esr);
	vm_destroy(&vm);
	printf("abi-stock ok\n");
}

/* One SEA: what the guest does, from where, and how seavmm presents it. */
struct abt_case {
	const char *name;
	char kind; /* 'l' load, 's' store, 'f' fetch */
	bool el0;
	bool fnv; /* present it with FnV = 1, as for an event without a GVA */
	uint32_t set;
};

enum abt_path { ABT_EVENTS, ABT_ENTRY };

/* The fault as KVM reported it and the abort ras_decide() made of it. */
struct abt_fault {
	uint64_t exit_esr, gva, pc, pstate, sctlr, vbar;
	struct ras_inject in;
};

/*
 * Runs c's access to a poisoned page up to KVM_EXIT_ARM_SEA, decides it as
 * seavmm run does (default policy, but inject from EL1 too), injects it
 * through path and lets the guest's handler report what it sees.
 */
static void abt_run(const struct abt_case *c, enum abt_path path, struct abt_fault *f,
		    struct abt_seen *g)
{
	uint64_t data = gpa_of(DATA_PG), pa;
	struct ras_policy pol;
	struct ras_tracker t;
	struct ras_decision d;
	struct ras_event rev;
	struct vm vm;
	char what[96];

	vm_create(&vm, true);
	abt_vectors(&vm);
	put32(&vm, gpa_of(CODE_PG) + 0, c->kind == 's' ? A64_STR_X0_X1 : A64_LDR_X0_X1);
	put32(&vm, gpa_of(CODE_PG) + 4, a64_str(0, 9, REP_MAIN));
	put32(&vm, gpa_of(CODE_PG) + 8, A64_B_SELF);
	put32(&vm, data, A64_B_SELF);
	set_reg(&vm, CORE_REG(regs.regs[1]), data);
	set_reg(&vm, CORE_REG(regs.pc), c->kind == 'f' ? data : gpa_of(CODE_PG));
	set_reg(&vm, CORE_REG(regs.pstate), FAULT_FLAGS | (c->el0 ? 0 : PSTATE_DAIF | PSTATE_EL1H));
	pa = virt_to_phys(vm.mem + DATA_PG * PG);
	poison(pa, c->set);
	int reason = vm_run(&vm, REP_MAIN, 20);
	unpoison(pa);
	if (reason != KVM_EXIT_ARM_SEA)
		fail("%s: exit reason %d, want KVM_EXIT_ARM_SEA", c->name, reason);
	f->exit_esr = run_sea(&vm)->esr;
	f->gva = run_sea(&vm)->gva;
	f->pc = get_reg(&vm, CORE_REG(regs.pc));
	f->pstate = get_reg(&vm, CORE_REG(regs.pstate));
	f->sctlr = get_reg(&vm, REG_SCTLR_EL1);
	f->vbar = get_reg(&vm, REG_VBAR_EL1);
	print_esr("exit", f->exit_esr);

	struct ras_vcpu_ctx ctx = { .pc = f->pc, .pstate = f->pstate };
	ras_event_from_exit(&rev, run_sea(&vm), &ctx);
	if (c->fnv) {
		rev.gva_valid = false;
		rev.gva = 0;
	}
	/* Inject from either EL, whatever the default policy says for EL1. */
	ras_policy_default(&pol);
	pol.user = pol.kernel = RAS_ACT_INJECT;
	if (ras_tracker_init(&t, 4))
		fail("ras_tracker_init failed");
	ras_decide(&pol, &t, &rev, &d);
	ras_tracker_free(&t);
	if (!d.inject.pending)
		fail("%s: ras_decide injects nothing: %s", c->name, d.reason);
	f->in = d.inject;

	if (path == ABT_EVENTS) {
		struct seavmm_vcpu_events_abt ev;

		inject_events_fill(&d.inject, &ev);
		if (abt_set_events(&vm, &ev))
			fail("%s: KVM_SET_VCPU_EVENTS: %s", c->name, strerror(errno));
	} else {
		/* vmm/sea/inject.c's entry path; these VMs have no MTE. */
		struct inject_regs r = {
			.pc = f->pc, .pstate = f->pstate, .sctlr = f->sctlr, .vbar = f->vbar
		};

		inject_entry_regs(&d.inject, &r);
		set_reg(&vm, REG_ELR_EL1, r.elr);
		set_reg(&vm, REG_SPSR_EL1, r.spsr);
		set_reg(&vm, REG_ESR_EL1, r.esr);
		set_reg(&vm, REG_FAR_EL1, r.far);
		set_reg(&vm, CORE_REG(regs.pstate), r.new_pstate);
		set_reg(&vm, CORE_REG(regs.pc), r.new_pc);
	}
	snprintf(what, sizeof(what), "%s via %s", c->name, path == ABT_EVENTS ? "events" : "entry");
	abt_collect(&vm, what, g);
	vm_destroy(&vm);
}

static const struct abt_case abt_cases[] = {
	{ "dabt load EL0", 'l', true, false, SET_UER },
	{ "dabt load EL1", 'l', false, false, SET_UER },
	{ "dabt store EL0 UEO", 's', true, false, SET_UEO },
	{ "dabt store EL1", 's', false, false, SET_UER },
	{ "iabt EL0", 'f', true, false, SET_UER },
	{ "iabt EL1 UEO", 'f', false, false, SET_UEO },
	{ "dabt load EL0 FnV", 'l', true, true, SET_UER },
	{ "dabt store EL1 FnV", 's', false, true, SET_UER },
	{ "iabt EL0 FnV", 'f', true, true, SET_UER },
	{ "iabt EL1 FnV", 'f', false, true, SET_UER },
};

/*
 * The architecture's answer for c, independently of seavmm's code: the ISS
 * of the exit (SET, FnV, EA, CM and WnR for data aborts, FSC), FnV forced
 * when presented without an address, EC for the EL, IL.
 */
static void abt_expect_arch(const struct abt_case *c, const struct abt_fault *f,
			    const struct abt_seen *g)
{
	bool iabt = c->kind == 'f';
	uint64_t keep = (3ULL << 11) | ISS_FNV | (1ULL << 9) | 0x3f | (iabt ? 0 : 0x140);
	uint64_t ec = (iabt ? 0x20 : 0x24) | (c->el0 ? 0 : 1);
	uint64_t esr = ec << 26 | ESR_IL_BIT | (f->exit_esr & keep) | (c->fnv ? ISS_FNV : 0);
	uint64_t ps = abt_entry_pstate(f->pstate, f->sctlr);
	unsigned slot = c->el0 ? 8 : 4;

	if (g->esr != esr)
		fail("%s: guest ESR_EL1 0x%" PRIx64 ", want 0x%" PRIx64, c->name, g->esr, esr);
	if (!c->fnv && g->far != f->gva)
		fail("%s: guest FAR_EL1 0x%" PRIx64 ", want 0x%" PRIx64, c->name, g->far, f->gva);
	if (g->elr != f->pc)
		fail("%s: guest ELR_EL1 0x%" PRIx64 ", want the faulting PC 0x%" PRIx64, c->name,
		     g->elr, f->pc);
	if (g->spsr != f->pstate)
		fail("%s: guest SPSR_EL1 0x%" PRIx64 ", want the PSTATE at the fault 0x%" PRIx64,
		     c->name, g->spsr, f->pstate);
	if (g->slot != slot || g->pc != f->vbar + slot * 0x80 + 4)
		fail("%s: vector +0x%" PRIx64 " (PC 0x%" PRIx64 "), want +0x%x", c->name,
		     g->slot * 0x80, g->pc, slot * 0x80);
	if (g->pstate != ps)
		fail("%s: handler PSTATE 0x%" PRIx64 ", want 0x%" PRIx64, c->name, g->pstate, ps);
}

/* The events path, checked against the architecture: dabt or iabt cases. */
static void test_inject_events(bool iabt)
{
	unsigned n = 0;

	for (size_t i = 0; i < sizeof(abt_cases) / sizeof(abt_cases[0]); i++) {
		const struct abt_case *c = &abt_cases[i];
		struct abt_fault f;
		struct abt_seen g;

		if ((c->kind == 'f') != iabt)
			continue;
		abt_run(c, ABT_EVENTS, &f, &g);
		abt_expect_arch(c, &f, &g);
		n++;
	}
	printf("inject-events %s ok (%u cases)\n", iabt ? "iabt" : "dabt", n);
}

static void abt_same(const char *name, const char *what, uint64_t events, uint64_t entry)
{
	if (events != entry)
		fail("%s: %s differs: events 0x%" PRIx64 ", entry 0x%" PRIx64, name, what, events,
		     entry);
}

/* The same SEA through both paths: the guest must not be able to tell. */
static void test_differential(void)
{
	for (size_t i = 0; i < sizeof(abt_cases) / sizeof(abt_cases[0]); i++) {
		const struct abt_case *c = &abt_cases[i];
		struct abt_fault fe, fn;
		struct abt_seen e, n;

		abt_run(c, ABT_EVENTS, &fe, &e);
		abt_run(c, ABT_ENTRY, &fn, &n);
		if (fe.pc != fn.pc || fe.pstate != fn.pstate || fe.exit_esr != fn.exit_esr)
			fail("%s: the two runs faulted differently (PC 0x%" PRIx64 "/0x%" PRIx64
			     ", ESR 0x%" PRIx64 "/0x%" PRIx64 ")",
			     c->name, fe.pc, fn.pc, fe.exit_esr, fn.exit_esr);
		abt_same(c->name, "ESR_EL1", e.esr, n.esr);
		abt_same(c->name, "ELR_EL1", e.elr, n.elr);
		abt_same(c->name, "SPSR_EL1", e.spsr, n.spsr);
		abt_same(c->name, "the vector taken", e.slot, n.slot);
		abt_same(c->name, "the handler's PC", e.pc, n.pc);
		abt_same(c->name, "the handler's PSTATE", e.pstate, n.pstate);
		/* With FnV = 1 FAR_EL1 is UNKNOWN on both. */
		if (!c->fnv)
			abt_same(c->name, "FAR_EL1", e.far, n.far);
		abt_expect_arch(c, &fe, &e);
		printf("%s: same through both paths\n", c->name);
	}
	printf("differential ok\n");
}

/*
 * make bench: the time from a KVM_EXIT_ARM_SEA to the next KVM_RUN spent on
 * presenting the abort, through each path, on one guest whose handler
 * returns to the poisoned load (so every KVM_RUN ends in the next SEA). What
 * is timed is what differs between the paths: reading PC and PSTATE (both
 * do), building the ras_event, and the injection itself; the decision, the
 * report and the quarantine are the same work either way and are left out.
 * The paths alternate, so drift in the emulator's speed hits both alike.
 */
static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void bench_report(const char *name, uint64_t *ns, unsigned n, uint64_t *median)
{
	qsort(ns, n, sizeof(*ns), cmp_u64);
	*median = ns[(n - 1) / 2];
	printf("BENCH sea-to-run-%s: median %.1f us, p99 %.1f us (%u SEAs)\n", name,
	       *median / 1000.0, ns[(n * 99 + 99) / 100 - 1] / 1000.0, n);
}

static void bench_inject(unsigned rounds)
{
	uint64_t data = gpa_of(DATA_PG), pa, *t[2], med[2];
	struct ras_policy pol;
	struct ras_tracker tr;
	struct ras_decision d;
	unsigned n[2] = { 0, 0 };
	struct vm vm;

	t[0] = calloc(rounds, sizeof(uint64_t));
	t[1] = calloc(rounds, sizeof(uint64_t));
	if (!t[0] || !t[1])
		fail("out of memory");
	vm_create(&vm, true);
	if (ioctl(vm.fd, KVM_CHECK_EXTENSION, KVM_CAP_ARM_INJECT_EXT_IABT) != 1)
		fail("KVM_CAP_ARM_INJECT_EXT_IABT not offered: the events path needs the patched "
		     "kernel");
	/* The EL1h synchronous handler goes straight back to the load. */
	put32(&vm, gpa_of(VEC_PG) + 0x200, 0xd69f03e0u); /* eret */
	put32(&vm, gpa_of(CODE_PG) + 0, A64_LDR_X0_X1);
	put32(&vm, gpa_of(CODE_PG) + 4, a64_str(0, 9, REP_MAIN));
	set_reg(&vm, CORE_REG(regs.regs[1]), data);
	pa = virt_to_phys(vm.mem + DATA_PG * PG);
	poison(pa, SET_UER);
	ras_policy_default(&pol);
	pol.kernel = RAS_ACT_INJECT;
	for (unsigned i = 0; i < 2 * rounds; i++) {
		enum abt_path path = i % 2 ? ABT_ENTRY : ABT_EVENTS;
		int reason = vm_run(&vm, REP_MAIN, 20);
		uint64_t t0 = now_ns();

		if (reason != KVM_EXIT_ARM_SEA)
			fail("round %u: exit reason %d, want KVM_EXIT_ARM_SEA", i, reason);
		struct ras_vcpu_ctx ctx = {
			.pc = get_reg(&vm, CORE_REG(regs.pc)),
			.pstate = get_reg(&vm, CORE_REG(regs.pstate)),
		};
		struct ras_event ev;

		ras_event_from_exit(&ev, run_sea(&vm), &ctx);
		if (i == 0) {
			/* One decision for all: the storm rule would escalate repeats. */
			if (ras_tracker_init(&tr, 4))
				fail("ras_tracker_init failed");
			ras_decide(&pol, &tr, &ev, &d);
			ras_tracker_free(&tr);
			if (!d.inject.pending)
				fail("ras_decide injects nothing: %s", d.reason);
			t0 = now_ns();
		}
		if (path == ABT_EVENTS) {
			struct seavmm_vcpu_events_abt e;

			inject_events_fill(&d.inject, &e);
			if (abt_set_events(&vm, &e))
				fail("KVM_SET_VCPU_EVENTS: %s", strerror(errno));
		} else {
			struct inject_regs r = { .pc = ctx.pc, .pstate = ctx.pstate };

			r.sctlr = get_reg(&vm, REG_SCTLR_EL1);
			r.vbar = get_reg(&vm, REG_VBAR_EL1);
			inject_entry_regs(&d.inject, &r);
			set_reg(&vm, REG_ELR_EL1, r.elr);
			set_reg(&vm, REG_SPSR_EL1, r.spsr);
			set_reg(&vm, REG_ESR_EL1, r.esr);
			set_reg(&vm, REG_FAR_EL1, r.far);
			set_reg(&vm, CORE_REG(regs.pstate), r.new_pstate);
			set_reg(&vm, CORE_REG(regs.pc), r.new_pc);
		}
		t[path][n[path]++] = now_ns() - t0;
	}
	unpoison(pa);
	vm_destroy(&vm);
	bench_report("events", t[0], n[0], &med[0]);
	bench_report("entry", t[1], n[1], &med[1]);
	printf("BENCH sea-to-run-ratio: events/entry %.2f (medians)\n",
	       (double)med[0] / (double)med[1]);
	free(t[0]);
	free(t[1]);
}

static uint64_t parse_u64(const char *s)
{
	char *end;
	uint64_t v = strtoull(s, &end, 0);

	if (*s == 0 || *end)
		fail("bad number %s", s);
	return v;
}

static uint32_t parse_type(const char *s)
{
	if (!strcmp(s, "uer"))
		return SET_UER;
	if (!strcmp(s, "uc"))
		return SET_UC;
	if (!strcmp(s, "ueo"))
		return SET_UEO;
	fail("bad error type %s (uer, uc or ueo)", s);
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";
	cpu_set_t cpus;

	setvbuf(stdout, NULL, _IOLBF, 0);
	/*
	 * Stay on one CPU: a poison takes effect at once on the CPU that
	 * programmed it and a moment later on the others (the emulator
	 * flushes their TLBs asynchronously).
	 */
	CPU_ZERO(&cpus);
	CPU_SET(0, &cpus);
	sched_setaffinity(0, sizeof(cpus), &cpus);

	/* The kernel's own injector: no emulated-platform injector needed. */
	if (!strcmp(cmd, "hwpoison-guest") && argc >= 4) {
		uint64_t gpa = parse_u64(argv[3]), hva, pa;
		long psz = sysconf(_SC_PAGESIZE);

		pa = seavmm_gpa_to_pa((pid_t)parse_u64(argv[2]), gpa, &hva);
		if (!pa)
			fail("guest GPA 0x%" PRIx64 " (HVA 0x%" PRIx64 "): no host page behind it",
			     gpa, hva);
		printf("guest GPA 0x%" PRIx64 " is seavmm HVA 0x%" PRIx64 ", host PA 0x%" PRIx64
		       " PFN 0x%" PRIx64 "\n",
		       gpa, hva, pa, pa / psz);
		hwpoison_write("corrupt-pfn", pa / psz);
		printf("hwpoisoned host PFN 0x%" PRIx64 "\n", pa / psz);
		return 0;
	}
	if (!strcmp(cmd, "unpoison-pfn") && argc >= 3) {
		hwpoison_write("unpoison-pfn", parse_u64(argv[2]));
		printf("unpoisoned PFN %s\n", argv[2]);
		return 0;
	}
	poison_open();
	if (!strcmp(cmd, "info")) {
		printf("id 0x%x version %u count %u capacity %u\n", poison_regs[R_ID / 4],
		       poison_regs[R_VERSION / 4], poison_regs[R_COUNT / 4],
		       poison_regs[R_CAPACITY / 4]);
		return 0;
	}
	if (!strcmp(cmd, "poison") && argc >= 3) {
		uint32_t st = poison_cmd(parse_u64(argv[2]),
					 argc > 3 ? parse_type(argv[3]) : SET_UER, CMD_POISON);
		printf("status %u\n", st);
		return st != 0;
	}
	if (!strcmp(cmd, "clear") && argc >= 3) {
		uint32_t st = poison_cmd(parse_u64(argv[2]), 0, CMD_CLEAR);
		printf("status %u\n", st);
		return st != 0;
	}
	if (!strcmp(cmd, "poison-guest") && argc >= 4) {
		uint64_t gpa = parse_u64(argv[3]), hva, pa;
		uint32_t type = argc > 4 ? parse_type(argv[4]) : SET_UER;

		pa = seavmm_gpa_to_pa((pid_t)parse_u64(argv[2]), gpa, &hva);
		if (!pa)
			fail("guest GPA 0x%" PRIx64 " (HVA 0x%" PRIx64 "): no host page behind it",
			     gpa, hva);
		printf("guest GPA 0x%" PRIx64 " is seavmm HVA 0x%" PRIx64 ", host PA 0x%" PRIx64
		       "\n",
		       gpa, hva, pa);
		poison(pa, type);
		return 0;
	}
	if (!strcmp(cmd, "hold-exit") && argc >= 3)
		return hold_exit((pid_t)parse_u64(argv[2]));
	if (!strcmp(cmd, "guest-pa") && argc >= 4) {
		uint64_t hva, ent = seavmm_gpa_pagemap((pid_t)parse_u64(argv[2]),
						       parse_u64(argv[3]), &hva);

		print_pagemap_entry(ent, hva);
		return 0;
	}
	if (!strcmp(cmd, "quarantine-slot") && argc >= 3) {
		pid_t pid = (pid_t)parse_u64(argv[2]);
		uint64_t hva = seavmm_quarantine_hva(pid);

		if (!hva)
			fail("no seavmm quarantine mapping in /proc/%d/maps", (int)pid);
		print_pagemap_entry(pagemap_entry(pid, hva), hva);
		return 0;
	}
	if (!strcmp(cmd, "clear-all")) {
		clear_all_poison();
		return 0;
	}

	clear_all_poison();
	if (!strcmp(cmd, "load") || !strcmp(cmd, "store") || !strcmp(cmd, "fetch"))
		test_access(cmd, SET_UER, false);
	else if (!strcmp(cmd, "set")) {
		test_access("load", SET_UEO, false);
		test_access("load", SET_UC, false);
		printf("set ok\n");
	} else if (!strcmp(cmd, "inject-dabt"))
		test_access("load", SET_UER, true);
	else if (!strcmp(cmd, "walk"))
		test_walk();
	else if (!strcmp(cmd, "no-cap"))
		test_no_cap();
	else if (!strcmp(cmd, "host-poison"))
		test_host_poison();
	else if (!strcmp(cmd, "abi"))
		test_abi();
	else if (!strcmp(cmd, "abi-stock"))
		test_abi_stock();
	else if (!strcmp(cmd, "inject-events") && argc >= 3 &&
		 (!strcmp(argv[2], "dabt") || !strcmp(argv[2], "iabt")))
		test_inject_events(!strcmp(argv[2], "iabt"));
	else if (!strcmp(cmd, "differential"))
		test_differential();
	else if (!strcmp(cmd, "bench-inject"))
		bench_inject(argc >= 3 ? (unsigned)parse_u64(argv[2]) : 200);
	else {
		poison_regs = NULL;
		fail("usage: sea_platform load|store|fetch|walk|set|inject-dabt|no-cap|host-poison"
		     " | poison PA [uer|uc|ueo] | clear PA | clear-all | info"
		     " | poison-guest PID GPA [uer|uc|ueo] | guest-pa PID GPA | hold-exit PID"
		     " | hwpoison-guest PID GPA | unpoison-pfn PFN | quarantine-slot PID"
		     " | abi | abi-stock | inject-events dabt|iabt | differential"
		     " | bench-inject [ROUNDS]");
	}
	if (poison_regs[R_COUNT / 4] != 0)
		fail("%u pages still poisoned at the end", poison_regs[R_COUNT / 4]);
	return 0;
}
