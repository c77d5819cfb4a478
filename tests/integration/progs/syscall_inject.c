// SPDX-License-Identifier: GPL-2.0-only
/*
 * syscall_inject PID THREAD NR [ARG...]: makes the thread of process PID
 * named THREAD (its comm: "console", "vcpu0") make system call NR with up
 * to six arguments, as code injected into a compromised seavmm would. With
 * ptrace it stops the thread (which waits in a system call), points it at
 * the svc instruction it waits behind with x8 = NR and x0-x5 = the
 * arguments, and lets it go. The scenario then sees what seavmm's seccomp
 * filter made of it. Prints the thread id it used; exit 0, or 1 with why.
 */
#include <asm/ptrace.h>
#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#define AARCH64_SVC0 0xd4000001u

static pid_t find_thread(pid_t pid, const char *name)
{
	char path[320], comm[64];
	struct dirent *de;
	pid_t tid = 0;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	d = opendir(path);
	if (!d)
		return 0;
	while (!tid && (de = readdir(d))) {
		FILE *f;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%s/comm", (int)pid, de->d_name);
		f = fopen(path, "r");
		if (f && fgets(comm, sizeof(comm), f)) {
			comm[strcspn(comm, "\n")] = '\0';
			if (!strcmp(comm, name))
				tid = (pid_t)atoi(de->d_name);
		}
		if (f)
			fclose(f);
	}
	closedir(d);
	return tid;
}

static int insn_at(pid_t tid, uint64_t addr, uint32_t *insn)
{
	long word;

	errno = 0;
	word = ptrace(PTRACE_PEEKTEXT, tid, (void *)(uintptr_t)(addr & ~7ULL), NULL);
	if (errno)
		return -1;
	*insn = (uint32_t)((uint64_t)word >> (8 * (addr & 4)));
	return 0;
}

/*
 * Stops tid where it waits in a system call, with regs.pc on its svc. A
 * thread caught in its own code (a vCPU handling an exit) is let go and
 * tried again. Returns 0, or -1 with why on stderr (tid no longer traced).
 */
static int stop_in_syscall(pid_t tid, struct user_pt_regs *regs)
{
	struct iovec io = { regs, sizeof(*regs) };

	for (int tries = 0; tries < 100; tries++) {
		uint32_t at_pc = 0, before_pc = 0;
		int status;

		if (ptrace(PTRACE_SEIZE, tid, NULL, NULL) ||
		    ptrace(PTRACE_INTERRUPT, tid, NULL, NULL)) {
			perror("syscall_inject: ptrace");
			return -1;
		}
		if (waitpid(tid, &status, __WALL) != tid || !WIFSTOPPED(status)) {
			fprintf(stderr, "syscall_inject: thread %d did not stop\n", (int)tid);
			return -1;
		}
		if (ptrace(PTRACE_GETREGSET, tid, (void *)NT_PRSTATUS, &io)) {
			perror("syscall_inject: PTRACE_GETREGSET");
			return -1;
		}
		/*
		 * A restartable call (ppoll) was already wound back onto its
		 * svc; an interrupted one (KVM_RUN, -EINTR) stopped after it.
		 */
		insn_at(tid, regs->pc, &at_pc);
		insn_at(tid, regs->pc - 4, &before_pc);
		if (at_pc == AARCH64_SVC0)
			return 0;
		if (before_pc == AARCH64_SVC0) {
			regs->pc -= 4;
			return 0;
		}
		ptrace(PTRACE_DETACH, tid, NULL, NULL);
		usleep(20000);
	}
	fprintf(stderr, "syscall_inject: thread %d never stopped in a system call\n", (int)tid);
	return -1;
}

int main(int argc, char **argv)
{
	struct user_pt_regs regs;
	struct iovec io = { &regs, sizeof(regs) };
	pid_t pid, tid;

	if (argc < 4 || argc > 10) {
		fprintf(stderr, "usage: syscall_inject PID THREAD NR [ARG...]\n");
		return 2;
	}
	pid = (pid_t)atoi(argv[1]);
	tid = find_thread(pid, argv[2]);
	if (!tid) {
		fprintf(stderr, "syscall_inject: process %d has no thread named %s\n", (int)pid,
			argv[2]);
		return 1;
	}
	if (stop_in_syscall(tid, &regs))
		return 1;
	regs.regs[8] = strtoull(argv[3], NULL, 0);
	for (int i = 4; i < argc; i++)
		regs.regs[i - 4] = strtoull(argv[i], NULL, 0);
	if (ptrace(PTRACE_SETREGSET, tid, (void *)NT_PRSTATUS, &io) ||
	    ptrace(PTRACE_DETACH, tid, NULL, NULL)) {
		perror("syscall_inject: ptrace");
		return 1;
	}
	printf("%d\n", (int)tid);
	return 0;
}
