// SPDX-License-Identifier: GPL-2.0-only
/*
 * Virtual poison, the portable parts: the guest page walk that tells an
 * instruction fetch from a data access, what /proc/self/pagemap says about a
 * page, a frame left in place when the host kernel will not retire it (no
 * CAP_SYS_ADMIN, in a child), and the SIGBUS window around seavmm's own
 * MADV_HWPOISON.
 */
#include <errno.h>
#include <linux/capability.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../vmm/sea/guest_walk.h"
#include "../../vmm/sea/quarantine.h"
#include "../../vmm/sea/retire.h"
#include "../../vmm/sea/sigbus.h"

/* A sparse guest memory of descriptors: gpa -> value. */
struct fake_mem {
	struct {
		uint64_t gpa, val;
	} d[16];
	unsigned int n;
	uint64_t poisoned; /* a table page the walk must not read */
	unsigned int reads;
};

static void put(struct fake_mem *m, uint64_t gpa, uint64_t val)
{
	m->d[m->n].gpa = gpa;
	m->d[m->n].val = val;
	m->n++;
}

static int fake_read(void *ctx, uint64_t gpa, uint64_t *val)
{
	struct fake_mem *m = ctx;

	m->reads++;
	if (m->poisoned && (gpa & ~0xfffULL) == m->poisoned)
		return -EHWPOISON;
	for (unsigned int i = 0; i < m->n; i++) {
		if (m->d[i].gpa == gpa) {
			*val = m->d[i].val;
			return 0;
		}
	}
	*val = 0; /* invalid descriptor */
	return 0;
}

#define TABLE(pa)      ((pa) | 3ULL)
#define PAGE(pa)       ((pa) | 0x703ULL) /* AF, SH, valid page */
#define BLOCK(pa)      ((pa) | 0x701ULL)
#define IDX(va, shift) ((((va) >> (shift)) & 0x1ff) * 8)

static void test_walk_4k(void **state)
{
	/* 48-bit VAs both halves, 4K granules: TG0 = 0, TG1 = 2. */
	struct guest_walk_regs r = { .sctlr = 1,
				     .tcr = 16 | (16ULL << 16) | (2ULL << 30),
				     .ttbr0 = 0x10000 | (5ULL << 48),
				     .ttbr1 = 0x20000 };
	uint64_t va = 0x0000004012345678ULL, kva = 0xffff800000201abcULL, gpa;
	struct fake_mem m = { 0 };

	(void)state;
	put(&m, 0x10000 + IDX(va, 39), TABLE(0x11000));
	put(&m, 0x11000 + IDX(va, 30), TABLE(0x12000));
	put(&m, 0x12000 + IDX(va, 21), TABLE(0x13000));
	put(&m, 0x13000 + IDX(va, 12), PAGE(0x4a3f2000ULL));
	assert_int_equal(guest_walk(&r, va, fake_read, &m, &gpa), 0);
	assert_int_equal(gpa, 0x4a3f2678ULL);
	/* A 2M block at level 2 in the upper half (TTBR1). */
	put(&m, 0x20000 + IDX(kva, 39), TABLE(0x21000));
	put(&m, 0x21000 + IDX(kva, 30), TABLE(0x22000));
	put(&m, 0x22000 + IDX(kva, 21), BLOCK(0x40200000ULL));
	assert_int_equal(guest_walk(&r, kva, fake_read, &m, &gpa), 0);
	assert_int_equal(gpa, 0x40201abcULL);
	/* Unmapped, non-canonical, walks disabled, MMU off. */
	assert_int_equal(guest_walk(&r, va + 0x1000, fake_read, &m, &gpa), -EFAULT);
	assert_int_equal(guest_walk(&r, 0x0001000000000000ULL, fake_read, &m, &gpa), -EFAULT);
	r.tcr |= 1ULL << 7; /* EPD0 */
	assert_int_equal(guest_walk(&r, va, fake_read, &m, &gpa), -EFAULT);
	r.sctlr = 0;
	assert_int_equal(guest_walk(&r, va, fake_read, &m, &gpa), 0);
	assert_int_equal(gpa, va);
	/* A table on a page seavmm knows is poisoned is never read. */
	r.sctlr = 1;
	r.tcr &= ~(1ULL << 7);
	m.poisoned = 0x12000;
	assert_int_equal(guest_walk(&r, va, fake_read, &m, &gpa), -EHWPOISON);
}

/* 52-bit VAs with 4K pages (FEAT_LPA2, T0SZ = 12): five levels, from -1. */
static void test_walk_52bit_4k(void **state)
{
	struct guest_walk_regs r = { .sctlr = 1, .tcr = 12 | (1ULL << 59), .ttbr0 = 0x60000 };
	uint64_t va = 0x000fffff94c1a123ULL, gpa;
	struct fake_mem m = { 0 };

	(void)state;
	put(&m, 0x60000 + ((va >> 48) & 0xf) * 8, TABLE(0x61000));
	put(&m, 0x61000 + IDX(va, 39), TABLE(0x62000));
	put(&m, 0x62000 + IDX(va, 30), TABLE(0x63000));
	put(&m, 0x63000 + IDX(va, 21), TABLE(0x64000));
	put(&m, 0x64000 + IDX(va, 12), PAGE(0x420a4000ULL));
	assert_int_equal(guest_walk(&r, va, fake_read, &m, &gpa), 0);
	assert_int_equal(gpa, 0x420a4123ULL);
	assert_int_equal(m.reads, 5);
}

static void test_walk_64k(void **state)
{
	/* 42-bit VAs, 64K granule (TG0 = 1): two levels, 2 and 3. */
	struct guest_walk_regs r = { .sctlr = 1, .tcr = 22 | (1ULL << 14) };
	uint64_t va = 0x0000012345678ULL, gpa;
	struct fake_mem m = { 0 };

	(void)state;
	r.ttbr0 = 0x30000;
	put(&m, 0x30000 + ((va >> 29) & 0x1fff) * 8, TABLE(0x40000));
	put(&m, 0x40000 + ((va >> 16) & 0x1fff) * 8, PAGE(0x50000000ULL));
	assert_int_equal(guest_walk(&r, va, fake_read, &m, &gpa), 0);
	assert_int_equal(gpa, 0x50000000ULL | (va & 0xffff));
	assert_int_equal(m.reads, 2);
}

static void test_pagemap_states(void **state)
{
	struct retire r;
	uint8_t *p;

	(void)state;
	retire_init(&r);
	p = mmap(NULL, 2 * r.page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(p != MAP_FAILED);
	assert_int_equal(retire_pte(&r, p), RETIRE_PTE_NONE);
	p[0] = 1;
	assert_int_equal(retire_pte(&r, p), RETIRE_PTE_PRESENT);
	assert_int_equal(madvise(p, r.page, MADV_DONTNEED), 0);
	assert_int_equal(retire_pte(&r, p), RETIRE_PTE_NONE);
	munmap(p, 2 * r.page);
	retire_free(&r);
}

/*
 * Without CAP_SYS_ADMIN (or memory-failure support) the host kernel refuses MADV_HWPOISON: the
 * frame stays in place and keeps its contents (nothing is silently replaced), and poison=fresh
 * moves it aside for a fresh zeroed page. Runs in a child that drops its capabilities, so it never
 * poisons this machine's memory.
 */
static void test_in_place_without_cap(void **state)
{
	pid_t pid;
	int status;

	(void)state;
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
		struct __user_cap_data_struct d[2] = { { 0 } };
		struct quarantine q;
		struct retire r;
		uint8_t *p;
		int err;

		if (syscall(SYS_capset, &h, d) != 0)
			_exit(10);
		if (retire_can_hwpoison())
			_exit(11);
		retire_init(&r);
		p = mmap(NULL, r.page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		memset(p, 0x5a, r.page);
		/* EINVAL where the kernel has no CONFIG_MEMORY_FAILURE at all. */
		if (retire_frame(&r, p + 100, &err) != RAS_RT_INPLACE ||
		    (err != -EPERM && err != -EINVAL))
			_exit(12);
		if (p[0] != 0x5a || retire_pte(&r, p) != RETIRE_PTE_PRESENT)
			_exit(13);
		if (quarantine_init(&q, 1) || retire_fresh(&r, &q, p, RAS_RT_INPLACE))
			_exit(14);
		if (p[0] != 0 || q.used != 1)
			_exit(15);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

/* The host kernel's forced AR for seavmm's own MADV_HWPOISON is expected. */
static void test_expect_window(void **state)
{
	static uint8_t page[4096] __attribute__((aligned(4096)));
	siginfo_t si;

	(void)state;
	assert_int_equal(sigbus_install(), 0);
	memset(&si, 0, sizeof(si));
	si.si_signo = SIGBUS;
	si.si_code = BUS_MCEERR_AR;
	si.si_addr = page + 8;
	sigbus_expect_begin((uintptr_t)page, sizeof(page));
	assert_int_equal(syscall(SYS_rt_tgsigqueueinfo, getpid(), gettid(), SIGBUS, &si), 0);
	assert_true(sigbus_expect_end());
	/* Closed: nothing recorded as expected any more. */
	sigbus_expect_begin((uintptr_t)page, sizeof(page));
	assert_false(sigbus_expect_end());
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_walk_4k),
		cmocka_unit_test(test_walk_52bit_4k),
		cmocka_unit_test(test_walk_64k),
		cmocka_unit_test(test_pagemap_states),
		cmocka_unit_test(test_in_place_without_cap),
		cmocka_unit_test(test_expect_window),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
