// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guarded copies (vmm/core/guest_copy.c) with real faults: "guest RAM" here
 * is a shared mapping of a memfd that is then truncated, so touching its
 * last pages raises a real SIGBUS inside memcpy. The kernel calls that one
 * BUS_ADRERR; a small wrapper in front of seavmm's own handler
 * (vmm/sea/sigbus.c) presents it as the memory error a poisoned page gives
 * (BUS_OBJERR or BUS_MCEERR_AR), and from there the real path runs: the
 * hook, the jump back into the copy, the report. What must stay fatal is
 * checked in forked children.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../vmm/core/guest_copy.h"
#include "../../vmm/core/memory.h"
#include "../../vmm/sea/sigbus.h"

#define PG	 4096
#define RAM_GPA	 0x40000000ULL
#define RAM2_GPA 0x80000000ULL

struct fixture {
	struct guest_memory mem;
	struct guest_ram g;
	uint8_t *ram;  /* 4 pages: 0 and 1 healthy, 2 and 3 "poisoned" */
	uint8_t *ram2; /* 2 healthy pages elsewhere */
	int memfd;
	/* What the hooks saw. */
	int reports;
	uint64_t reported_gpa;
	const char *reported_device;
	uint64_t known_bad; /* the page known_poisoned() names, or 0 */
};

static volatile int forced_code;
static void (*seavmm_handler)(int, siginfo_t *, void *);

/* Presents the kernel's BUS_ADRERR as forced_code to seavmm's handler. */
static void forward_sigbus(int sig, siginfo_t *si, void *uc)
{
	siginfo_t s = *si;

	s.si_code = forced_code;
	seavmm_handler(sig, &s, uc);
}

/* seavmm's handler behind the wrapper (cmocka puts its own in place per test). */
static void install_handlers(int code)
{
	struct sigaction sa = { .sa_sigaction = forward_sigbus, .sa_flags = SA_SIGINFO };
	struct sigaction old;

	assert_int_equal(sigbus_install(), 0);
	assert_int_equal(sigaction(SIGBUS, NULL, &old), 0);
	seavmm_handler = old.sa_sigaction;
	forced_code = code;
	sigemptyset(&sa.sa_mask);
	assert_int_equal(sigaction(SIGBUS, &sa, NULL), 0);
}

static bool known_poisoned(void *ctx, uint64_t gpa)
{
	struct fixture *f = ctx;

	return f->known_bad && gpa == f->known_bad;
}

static int report_poison(void *ctx, uint64_t gpa, const char *device)
{
	struct fixture *f = ctx;

	f->reports++;
	f->reported_gpa = gpa;
	f->reported_device = device;
	return 0;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	f->memfd = memfd_create("guest-ram", MFD_CLOEXEC);
	if (f->memfd < 0 || ftruncate(f->memfd, 4 * PG) < 0)
		return -1;
	f->ram = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, f->memfd, 0);
	f->ram2 = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (f->ram == MAP_FAILED || f->ram2 == MAP_FAILED)
		return -1;
	for (int i = 0; i < 2 * PG; i++)
		f->ram[i] = (uint8_t)i;
	memset(f->ram2, 0x77, 2 * PG);
	/* Pages 2 and 3 now lie past the end of the file: any access is a SIGBUS. */
	if (ftruncate(f->memfd, 2 * PG) < 0)
		return -1;
	f->mem.regions[0] = (struct mem_region){ .gpa = RAM_GPA, .size = 4 * PG, .hva = f->ram };
	f->mem.regions[1] = (struct mem_region){ .gpa = RAM2_GPA, .size = 2 * PG, .hva = f->ram2 };
	f->mem.nr = 2;
	f->g = (struct guest_ram){ .mem = &f->mem,
				   .known_poisoned = known_poisoned,
				   .report_poison = report_poison,
				   .ctx = f,
				   .device = "virtio-test0" };
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	munmap(f->ram, 4 * PG);
	munmap(f->ram2, 2 * PG);
	close(f->memfd);
	free(f);
	return 0;
}

static bool sigbus_blocked(void)
{
	sigset_t cur;

	pthread_sigmask(SIG_BLOCK, NULL, &cur);
	return sigismember(&cur, SIGBUS);
}

static void test_copies_in_ram(void **state)
{
	struct fixture *f = *state;
	uint8_t buf[3 * 1000], back[3 * 1000];
	uint64_t bad = 1;

	/* Across the page boundary of healthy pages, both ways. */
	assert_int_equal(guest_copy_from(&f->g, RAM_GPA + PG - 1000, buf, 2000, &bad), 0);
	for (int i = 0; i < 2000; i++)
		assert_int_equal(buf[i], (uint8_t)(PG - 1000 + i));
	memset(buf, 0xc3, sizeof(buf));
	assert_int_equal(guest_copy_to(&f->g, RAM2_GPA + 100, buf, sizeof(buf), &bad), 0);
	assert_int_equal(guest_copy_from(&f->g, RAM2_GPA + 100, back, sizeof(back), NULL), 0);
	assert_memory_equal(buf, back, sizeof(buf));
	assert_int_equal(f->ram2[99], 0x77);
	assert_int_equal(f->ram2[100 + sizeof(buf)], 0x77);
	/* Nothing is copied for len 0, wherever it points. */
	assert_int_equal(guest_copy_from(&f->g, 0, buf, 0, &bad), 0);
	assert_true(bad == 1);
	assert_int_equal(f->reports, 0);
}

static void test_outside_ram(void **state)
{
	struct fixture *f = *state;
	uint8_t buf[16] = { 0 };

	/* Below, past the end, straddling the end, and across two regions. */
	assert_int_equal(guest_copy_from(&f->g, RAM_GPA - 8, buf, 16, NULL), -EFAULT);
	assert_int_equal(guest_copy_to(&f->g, RAM2_GPA + 2 * PG, buf, 1, NULL), -EFAULT);
	assert_int_equal(guest_copy_from(&f->g, RAM2_GPA + 2 * PG - 8, buf, 16, NULL), -EFAULT);
	assert_int_equal(guest_copy_from(&f->g, UINT64_MAX - 4, buf, 16, NULL), -EFAULT);
	assert_int_equal(guest_copy_from(&f->g, RAM_GPA, buf, SIZE_MAX, NULL), -EFAULT);
	assert_false(guest_ram_contains(&f->g, RAM_GPA + 4 * PG, 1));
	assert_true(guest_ram_contains(&f->g, RAM_GPA + 4 * PG, 0));
	assert_true(guest_ram_contains(&f->g, RAM2_GPA, 2 * PG));
	assert_int_equal(f->reports, 0);
}

static void test_known_poison_refused(void **state)
{
	struct fixture *f = *state;
	uint8_t buf[2 * PG];
	uint64_t bad = 0;

	memset(buf, 0xee, sizeof(buf));
	f->known_bad = RAM_GPA + PG;
	/* Refused before any byte moves, in either direction; not reported again. */
	assert_int_equal(guest_copy_from(&f->g, RAM_GPA + 10, buf, PG, &bad), -EHWPOISON);
	assert_true(bad == RAM_GPA + PG);
	assert_int_equal(buf[0], 0xee);
	assert_int_equal(guest_copy_to(&f->g, RAM_GPA + PG + PG - 1, buf, 1, &bad), -EHWPOISON);
	assert_int_equal(f->ram[2 * PG - 1], (uint8_t)(2 * PG - 1));
	assert_int_equal(f->reports, 0);
	/* The page before it is fine. */
	assert_int_equal(guest_copy_from(&f->g, RAM_GPA, buf, PG, &bad), 0);
}

static void expect_poison_hit(struct fixture *f, int code, bool to_guest)
{
	uint8_t buf[2 * PG];
	uint64_t bad = 0;
	int ret;

	install_handlers(code);
	memset(buf, 0x5a, sizeof(buf));
	/* From healthy page 1 into page 2, whose first byte faults. */
	if (to_guest)
		ret = guest_copy_to(&f->g, RAM_GPA + PG + 100, buf, 2 * PG - 200, &bad);
	else
		ret = guest_copy_from(&f->g, RAM_GPA + PG + 100, buf, 2 * PG - 200, &bad);
	assert_int_equal(ret, -EHWPOISON);
	assert_true(bad == RAM_GPA + 2 * PG);
	assert_int_equal(f->reports, 1);
	assert_true(f->reported_gpa == RAM_GPA + 2 * PG);
	assert_string_equal(f->reported_device, "virtio-test0");
	/* The healthy part was copied before the fault. */
	if (to_guest)
		assert_int_equal(f->ram[PG + 100], 0x5a);
	else
		assert_int_equal(buf[0], (uint8_t)(PG + 100));
	/* The jump left SIGBUS usable: a second hit works the same way. */
	assert_false(sigbus_blocked());
	ret = guest_copy_from(&f->g, RAM_GPA + 3 * PG + 8, buf, 8, &bad);
	assert_int_equal(ret, -EHWPOISON);
	assert_true(bad == RAM_GPA + 3 * PG);
	assert_int_equal(f->reports, 2);
	/* And ordinary copies go on. */
	assert_int_equal(guest_copy_from(&f->g, RAM_GPA, buf, 16, &bad), 0);
}

static void test_objerr_in_copy_from(void **state)
{
	expect_poison_hit(*state, BUS_OBJERR, false);
}

static void test_mceerr_ar_in_copy_to(void **state)
{
	expect_poison_hit(*state, BUS_MCEERR_AR, true);
}

/* In a child: fn must die of SIGBUS after a stderr line holding want. */
static void expect_death(struct fixture *f, void (*fn)(struct fixture *), const char *want)
{
	char buf[512] = "";
	int pfd[2], status;
	ssize_t n;
	pid_t pid;

	assert_int_equal(pipe(pfd), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(pfd[1], STDERR_FILENO);
		close(pfd[0]);
		fn(f);
		_exit(0);
	}
	close(pfd[1]);
	n = read(pfd[0], buf, sizeof(buf) - 1);
	close(pfd[0]);
	buf[n > 0 ? n : 0] = 0;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGBUS);
	if (!strstr(buf, want))
		fail_msg("the dying line '%s' lacks '%s'", buf, want);
}

/* Poison in seavmm's own buffer during a guarded copy: not the guest's page. */
static void own_buffer(struct fixture *f)
{
	uint8_t *dst = f->ram + 2 * PG; /* faults, but is no guest page of this copy */
	struct guest_ram g = f->g;

	install_handlers(BUS_OBJERR);
	/* Only the second region is guest RAM here: the faulting page is not. */
	f->mem.regions[0] = f->mem.regions[1];
	f->mem.nr = 1;
	guest_copy_from(&g, RAM2_GPA, dst, 64, NULL);
}

/* The same fault outside any guarded copy. */
static void outside_copy(struct fixture *f)
{
	install_handlers(BUS_OBJERR);
	f->ram[3 * PG] = 1;
}

static void test_fatal_elsewhere(void **state)
{
	struct fixture *f = *state;

	expect_death(f, own_buffer, "si_code 3 at");
	expect_death(f, outside_copy, "not a memory error seavmm handles");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_copies_in_ram, setup, teardown),
		cmocka_unit_test_setup_teardown(test_outside_ram, setup, teardown),
		cmocka_unit_test_setup_teardown(test_known_poison_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_objerr_in_copy_from, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mceerr_ar_in_copy_to, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fatal_elsewhere, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
