// SPDX-License-Identifier: GPL-2.0-only
#include "poison_emul.h"

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define POISON_EMUL_SIZE 4096
#define POISON_EMUL_ID	 0x52415350u /* "RASP" */

enum {
	PE_ID = 0x00,
	PE_VERSION = 0x04,
	PE_ADDR_LO = 0x08,
	PE_ADDR_HI = 0x0c,
	PE_TYPE = 0x10,
	PE_COMMAND = 0x14,
	PE_STATUS = 0x18,
};

enum { PE_CMD_POISON = 1, PE_CMD_CLEAR = 2 };

static const char *const poison_emul_status[] = {
	"ok",		"not a whole RAM page", "the injector's table is full (64 pages)",
	"not poisoned", "bad error type",	"bad command",
};

/*
 * The one read that may fault, at start-up while seavmm has one thread and
 * no SIGBUS handler of its own yet: the only state a handler needs here.
 */
static sigjmp_buf poison_emul_probe_jmp;

static void poison_emul_probe_bus(int sig)
{
	(void)sig;
	siglongjmp(poison_emul_probe_jmp, 1);
}

int poison_emul_open(struct poison_emul *e, char *err, size_t errlen)
{
	struct sigaction sa = { .sa_handler = poison_emul_probe_bus }, old;
	volatile uint32_t *regs;
	volatile uint32_t id = 0;
	int fd, ret;
	void *p;

	e->regs = NULL;
	fd = open("/dev/mem", O_RDWR | O_SYNC | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		snprintf(err, errlen,
			 "--allow-inject=emulator: cannot open /dev/mem: %s; run seavmm as root "
			 "on the seavmm emulated platform",
			 strerror(-ret));
		return ret;
	}
	p = mmap(NULL, POISON_EMUL_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		 (off_t)POISON_EMUL_BASE);
	close(fd);
	if (p == MAP_FAILED) {
		ret = -errno;
		snprintf(err, errlen,
			 "--allow-inject=emulator: cannot map 0x%08lx from /dev/mem: %s; this is "
			 "not the seavmm emulated platform (use --allow-inject=einj on real "
			 "hardware)",
			 POISON_EMUL_BASE, strerror(-ret));
		return ret;
	}
	regs = p;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, &old);
	if (sigsetjmp(poison_emul_probe_jmp, 1) == 0)
		id = regs[PE_ID / 4];
	sigaction(SIGBUS, &old, NULL);
	if (id != POISON_EMUL_ID) {
		munmap(p, POISON_EMUL_SIZE);
		snprintf(err, errlen,
			 "--allow-inject=emulator: no memory-poison injector at 0x%08lx (ID 0x%x, "
			 "want 0x%x); this is not the seavmm emulated platform (tests/emulator/); "
			 "use --allow-inject=einj on real hardware",
			 POISON_EMUL_BASE, (unsigned int)id, POISON_EMUL_ID);
		return -ENODEV;
	}
	e->regs = regs;
	return 0;
}

static uint32_t poison_emul_cmd(struct poison_emul *e, uint64_t pa, uint32_t type, uint32_t cmd)
{
	e->regs[PE_ADDR_LO / 4] = (uint32_t)pa;
	e->regs[PE_ADDR_HI / 4] = (uint32_t)(pa >> 32);
	e->regs[PE_TYPE / 4] = type;
	e->regs[PE_COMMAND / 4] = cmd;
	return e->regs[PE_STATUS / 4];
}

int poison_emul_poison(struct poison_emul *e, uint64_t pa, enum ras_set set, char *err,
		       size_t errlen)
{
	/* The register takes the ESR_ELx.SET encoding. */
	uint32_t type = set == RAS_SET_UC ? 2 : set == RAS_SET_UEO ? 3 : 0, st;

	if (!e->regs) {
		snprintf(err, errlen, "the emulator's injector is not open");
		return -ENODEV;
	}
	st = poison_emul_cmd(e, pa, type, PE_CMD_POISON);
	if (st == 0)
		return 0;
	snprintf(err, errlen, "the emulator's injector refused PA 0x%llx: status %u (%s)",
		 (unsigned long long)pa, st,
		 st < sizeof(poison_emul_status) / sizeof(poison_emul_status[0])
			 ? poison_emul_status[st]
			 : "unknown");
	return st == 2 ? -ENOSPC : -EIO;
}

void poison_emul_clear(struct poison_emul *e, uint64_t pa)
{
	if (e->regs)
		poison_emul_cmd(e, pa, 0, PE_CMD_CLEAR);
}

void poison_emul_close(struct poison_emul *e)
{
	if (e->regs)
		munmap((void *)e->regs, POISON_EMUL_SIZE);
	e->regs = NULL;
}
