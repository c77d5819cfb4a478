// SPDX-License-Identifier: GPL-2.0-only
/*
 * blkbench: block I/O figures for make bench (the bench-virtio scenario), run
 * both in the guest on /dev/vda and in the emulated host on the image file
 * behind it (tests/integration/progs/blkbench.c builds this same file), so
 * the two are measured the same way. O_DIRECT, so the page cache measures
 * nothing.
 *
 *   blkbench seq-write FILE MIB    MIB written in 1 MiB requests: MB/s
 *   blkbench seq-read FILE MIB     MIB read in 1 MiB requests: MB/s
 *   blkbench rand-read FILE SECS   4 KiB reads at random aligned offsets: IOPS
 *
 * Prints "BLKBENCH MODE: VALUE UNIT"; exits 1 with the reason on failure.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MIB (1024 * 1024)

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int fail(const char *what)
{
	printf("blkbench: %s: %s\n", what, strerror(errno));
	return 1;
}

int main(int argc, char **argv)
{
	long n = argc == 4 ? atol(argv[3]) : 0;
	int write_mode = argc == 4 && !strcmp(argv[1], "seq-write");
	int fd;
	void *buf;
	double t0, t;
	off_t size;

	if (n <= 0 || (strcmp(argv[1], "seq-write") && strcmp(argv[1], "seq-read") &&
		       strcmp(argv[1], "rand-read"))) {
		fprintf(stderr,
			"usage: blkbench seq-write|seq-read FILE MIB | rand-read FILE SECS\n");
		return 2;
	}
	fd = open(argv[2], (write_mode ? O_RDWR : O_RDONLY) | O_DIRECT);
	if (fd < 0)
		return fail("open");
	if (posix_memalign(&buf, 4096, MIB))
		return fail("memory");
	memset(buf, 0x6b, MIB);
	size = lseek(fd, 0, SEEK_END);
	if (size < 4096)
		return fail("size");
	t0 = now();
	if (!strcmp(argv[1], "rand-read")) {
		long ios = 0;
		unsigned int seed = 1;

		while ((t = now()) - t0 < (double)n) {
			for (int i = 0; i < 64; i++, ios++) {
				off_t off = (off_t)(rand_r(&seed) % (size / 4096)) * 4096;

				if (pread(fd, buf, 4096, off) != 4096)
					return fail("pread");
			}
		}
		printf("BLKBENCH rand-read: %.0f IOPS\n", (double)ios / (t - t0));
		return 0;
	}
	if ((off_t)n * MIB > size)
		return fail("the file is smaller than that");
	for (long i = 0; i < n; i++) {
		ssize_t r = write_mode ? pwrite(fd, buf, MIB, (off_t)i * MIB)
				       : pread(fd, buf, MIB, (off_t)i * MIB);

		if (r != MIB)
			return fail(write_mode ? "pwrite" : "pread");
	}
	if (write_mode && fdatasync(fd) < 0)
		return fail("fdatasync");
	t = now() - t0;
	printf("BLKBENCH %s: %.1f MB/s\n", argv[1], (double)n * MIB / 1e6 / t);
	return 0;
}
