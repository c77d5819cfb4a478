// SPDX-License-Identifier: GPL-2.0-only
/*
 * run_as UID GID PROG [ARG...]: run PROG as an ordinary user, so a scenario
 * can show what seavmm says without permission on /dev/kvm. The host's
 * busybox has no su or setuidgid, and a user namespace keeps uid 0 for file
 * access, so it takes a real setuid().
 */
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	uid_t uid;
	gid_t gid;

	if (argc < 4) {
		fprintf(stderr, "usage: run_as UID GID PROG [ARG...]\n");
		return 2;
	}
	uid = (uid_t)strtoul(argv[1], NULL, 10);
	gid = (gid_t)strtoul(argv[2], NULL, 10);
	if (setgroups(0, NULL) || setgid(gid) || setuid(uid)) {
		perror("run_as: dropping privileges");
		return 2;
	}
	execvp(argv[3], argv + 3);
	fprintf(stderr, "run_as: cannot run %s: %s\n", argv[3], strerror(errno));
	return 127;
}
