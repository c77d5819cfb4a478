// SPDX-License-Identifier: GPL-2.0-only
/*
 * poke: loads and stores at guest-physical addresses through /dev/mem, for
 * the hostile-guest test (guest-images/guest/hostile.sh).
 *
 *   poke OP@ADDR[=VALUE]...
 *
 * OP is r8 r16 r32 r64 (a load of that size), w8 w16 w32 w64 (a store of
 * VALUE, default 0x5a), ldp or stp (a pair of 64-bit loads or stores: an
 * access with no syndrome for the hypervisor, KVM_EXIT_ARM_NISV). ADDR must
 * be aligned to the access size. Each access runs in a child process of its
 * own, so an abort only kills that child. One line per access:
 *
 *   OP@ADDR: value=0x...      a load returned
 *   OP@ADDR: stored           a store completed
 *   OP@ADDR: SIGBUS (external abort)   the guest kernel got an external
 *                             abort for it (si_code BUS_OBJERR)
 *   OP@ADDR: SIGBUS (si_code N) | SIGSEGV | signal N   other faults
 *   OP@ADDR: denied (...)     /dev/mem refused the mapping
 *
 * Exits 0 when every access ran (whatever its outcome), 1 otherwise.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

/* A SIGBUS in the child: its si_code tells an external abort from the rest. */
#define EXIT_SIGBUS 64
static void on_sigbus(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	_exit(EXIT_SIGBUS + (si->si_code & 31));
}

/* Runs in the child: one access, result on stdout. */
static int access_one(const char *op, uint64_t addr, uint64_t val)
{
	long page = sysconf(_SC_PAGESIZE);
	uint64_t base = addr & ~(uint64_t)(page - 1);
	volatile uint8_t *map;
	void *p;
	uint64_t r = 0, r2 = 0;
	int fd = open("/dev/mem", O_RDWR | O_SYNC);

	if (fd < 0) {
		printf("denied (open /dev/mem: %s)\n", strerror(errno));
		return 1;
	}
	p = mmap(NULL, (size_t)page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)base);
	if (p == MAP_FAILED) {
		printf("denied (mmap: %s)\n", strerror(errno));
		return 1;
	}
	map = (volatile uint8_t *)p + (addr - base);
	fflush(stdout);
	if (!strcmp(op, "r8"))
		r = *map;
	else if (!strcmp(op, "r16"))
		r = *(volatile uint16_t *)map;
	else if (!strcmp(op, "r32"))
		r = *(volatile uint32_t *)map;
	else if (!strcmp(op, "r64"))
		r = *(volatile uint64_t *)map;
	else if (!strcmp(op, "w8"))
		*map = (uint8_t)val;
	else if (!strcmp(op, "w16"))
		*(volatile uint16_t *)map = (uint16_t)val;
	else if (!strcmp(op, "w32"))
		*(volatile uint32_t *)map = (uint32_t)val;
	else if (!strcmp(op, "w64"))
		*(volatile uint64_t *)map = val;
	else if (!strcmp(op, "ldp"))
		__asm__ volatile("ldp %0, %1, [%2]" : "=&r"(r), "=&r"(r2) : "r"(map) : "memory");
	else if (!strcmp(op, "stp"))
		__asm__ volatile("stp %0, %1, [%2]" : : "r"(val), "r"(val), "r"(map) : "memory");
	else {
		printf("unknown op\n");
		return 1;
	}
	if (op[0] == 'w' || !strcmp(op, "stp"))
		printf("stored\n");
	else if (!strcmp(op, "ldp"))
		printf("value=0x%" PRIx64 ",0x%" PRIx64 "\n", r, r2);
	else
		printf("value=0x%" PRIx64 "\n", r);
	return 0;
}

int main(int argc, char **argv)
{
	int bad = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: poke OP@ADDR[=VALUE]...  (OP: r8 r16 r32 r64 w8 w16 w32 "
				"w64 ldp stp)\n");
		return 1;
	}
	for (int i = 1; i < argc; i++) {
		char op[8], *at = strchr(argv[i], '@'), *eq;
		uint64_t addr, val = 0x5a;
		int status;
		pid_t pid;

		if (!at || at - argv[i] >= (long)sizeof(op)) {
			fprintf(stderr, "poke: bad access '%s'\n", argv[i]);
			return 1;
		}
		memcpy(op, argv[i], (size_t)(at - argv[i]));
		op[at - argv[i]] = 0;
		addr = strtoull(at + 1, &eq, 0);
		if (*eq == '=')
			val = strtoull(eq + 1, NULL, 0);
		printf("%s@0x%" PRIx64 ": ", op, addr);
		fflush(stdout);
		pid = fork();
		if (pid == 0) {
			struct sigaction sa = { .sa_sigaction = on_sigbus, .sa_flags = SA_SIGINFO };

			sigemptyset(&sa.sa_mask);
			sigaction(SIGBUS, &sa, NULL);
			alarm(10);
			exit(access_one(op, addr, val));
		}
		if (pid < 0 || waitpid(pid, &status, 0) != pid) {
			printf("fork/wait failed\n");
			return 1;
		}
		if (WIFSIGNALED(status)) {
			int sig = WTERMSIG(status);

			if (sig == SIGSEGV)
				printf("SIGSEGV\n");
			else
				printf("signal %d\n", sig);
		} else if (WEXITSTATUS(status) >= EXIT_SIGBUS) {
			int code = WEXITSTATUS(status) - EXIT_SIGBUS;

			if (code == BUS_OBJERR)
				printf("SIGBUS (external abort)\n");
			else
				printf("SIGBUS (si_code %d)\n", code);
		} else if (WEXITSTATUS(status)) {
			bad = 1;
		}
		fflush(stdout);
	}
	return bad;
}
