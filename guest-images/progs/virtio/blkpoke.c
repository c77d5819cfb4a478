// SPDX-License-Identifier: GPL-2.0-only
/*
 * blkpoke: block-device requests the guest's tools cannot make, for the
 * virtio-blk scenarios (guest-images/guest/virtio-blk.sh, virtio-poison.sh).
 *
 *   blkpoke direct-write DEV OFFSET   one 4 KiB O_DIRECT write: "ok" or the errno
 *   blkpoke discard DEV OFFSET LEN    BLKDISCARD: "ok" or the errno
 *   blkpoke poison-write DEV OFFSET   the poisoned-buffer test, below
 *
 * poison-write: O_DIRECT makes the device (seavmm), not the guest kernel,
 * read the buffer. Two locked, page-aligned buffers A and B hold different
 * patterns; it prints A's guest-physical address (from /proc/self/pagemap)
 * as "SEA-VICTIM gpa=0x..." and GUEST-READY-FOR-POISON, waits for a line
 * on standard input (the host poisons A's page meanwhile), then writes A at
 * OFFSET (must fail with EIO), writes B at OFFSET (must succeed) and reads
 * it back (must match B). A is never touched again: it prints
 * GUEST-WAITING-FOR-CLEAR and waits for a second line (the host clears the
 * poison), then exits, leaving a child that keeps A's page mapped (never
 * handed back to the guest kernel) until the guest powers off.
 * Prints one line per step; exits 0 when every step did what it must.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/fs.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE 4096

static uint64_t gpa_of(const void *va)
{
	uint64_t ent = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY);

	if (fd < 0)
		return 0;
	if (pread(fd, &ent, 8, (off_t)((uintptr_t)va / PAGE) * 8) != 8)
		ent = 0;
	close(fd);
	if (!(ent & (1ULL << 63)))
		return 0;
	return (ent & ((1ULL << 55) - 1)) * PAGE;
}

static uint8_t *page_buf(int fill)
{
	uint8_t *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	memset(p, fill, PAGE);
	mlock(p, PAGE); /* stays at one GPA */
	return p;
}

static int open_direct(const char *dev)
{
	int fd = open(dev, O_RDWR | O_DIRECT);

	if (fd < 0)
		printf("blkpoke: open %s: %s\n", dev, strerror(errno));
	return fd;
}

static int direct_write(const char *dev, off_t off)
{
	uint8_t *b = page_buf(0x3c);
	int fd = open_direct(dev);
	ssize_t n;

	if (fd < 0 || !b)
		return 2;
	n = pwrite(fd, b, PAGE, off);
	if (n == PAGE)
		printf("blkpoke: direct-write: ok\n");
	else
		printf("blkpoke: direct-write: %s\n", n < 0 ? strerror(errno) : "short");
	return 0;
}

static int discard(const char *dev, uint64_t off, uint64_t len)
{
	uint64_t range[2] = { off, len };
	int fd = open(dev, O_RDWR);

	if (fd < 0 || ioctl(fd, BLKDISCARD, range) < 0) {
		printf("blkpoke: discard: %s\n", strerror(errno));
		return 1;
	}
	printf("blkpoke: discard: ok\n");
	return 0;
}

static int wait_line(void)
{
	char line[64];

	return fgets(line, sizeof(line), stdin) ? 0 : -1;
}

static int poison_write(const char *dev, off_t off)
{
	uint8_t *a = page_buf(0xa5), *b = page_buf(0x5b), *c = page_buf(0);
	int fd = open_direct(dev), bad = 0;
	uint64_t gpa;
	ssize_t n;

	if (fd < 0 || !a || !b || !c)
		return 2;
	gpa = gpa_of(a);
	if (!gpa) {
		printf("blkpoke: no GPA for the buffer (pagemap)\n");
		return 2;
	}
	printf("SEA-VICTIM gpa=0x%" PRIx64 " va=%p\n", gpa, (void *)a);
	printf("GUEST-READY-FOR-POISON\n");
	fflush(stdout);
	if (wait_line())
		return 2;
	n = pwrite(fd, a, PAGE, off);
	printf("blkpoke: write from the poisoned buffer: %s\n", n < 0	    ? strerror(errno)
								: n == PAGE ? "succeeded"
									    : "short");
	if (!(n < 0 && errno == EIO))
		bad = 1;
	n = pwrite(fd, b, PAGE, off);
	printf("blkpoke: write from a healthy buffer: %s\n", n < 0	 ? strerror(errno)
							     : n == PAGE ? "ok"
									 : "short");
	if (n != PAGE)
		bad = 1;
	n = pread(fd, c, PAGE, off);
	printf("blkpoke: read back: %s\n", n != PAGE ? (n < 0 ? strerror(errno) : "short")
					   : memcmp(b, c, PAGE) ? "differs"
								: "matches");
	if (n != PAGE || memcmp(b, c, PAGE))
		bad = 1;
	printf("GUEST-WAITING-FOR-CLEAR\n");
	fflush(stdout);
	wait_line();
	/*
	 * A's page stays under seavmm's virtual poison: freed, the guest
	 * kernel would touch it (zeroing it for its next user) and take the
	 * abort itself. A child keeps it until the guest powers off. It must
	 * not write or mlock A (both break copy-on-write: a kernel copy of the
	 * poisoned page); it only holds the mapping.
	 */
	if (fork() == 0) {
		for (;;)
			pause();
	}
	return bad;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 4 && !strcmp(argv[1], "direct-write"))
		return direct_write(argv[2], (off_t)strtoull(argv[3], NULL, 0));
	if (argc == 5 && !strcmp(argv[1], "discard"))
		return discard(argv[2], strtoull(argv[3], NULL, 0), strtoull(argv[4], NULL, 0));
	if (argc == 4 && !strcmp(argv[1], "poison-write"))
		return poison_write(argv[2], (off_t)strtoull(argv[3], NULL, 0));
	fprintf(stderr, "usage: blkpoke direct-write DEV OFFSET | discard DEV OFFSET LEN | "
			"poison-write DEV OFFSET\n");
	return 2;
}
