// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: the ledger loader as seavmm runs it at start
 * (vmm/sea/ledger.c over a real file): load, cut the torn tail, compact, append.
 * Input: ledger text. Whatever the file holds, the load must succeed, leave a
 * file of whole lines that reloads to the same pages, and keep its promises:
 * history in at most half the tracker, a compacted file with one line per
 * page, an append that the next load finds.
 */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../vmm/sea/ledger.h"
#include "fuzz_util.h"

#define MAX_PAGES 64

static char dir[64], path[128];

static void fuzz_cleanup(void)
{
	unlink(path);
	rmdir(dir);
}

static void fuzz_setup(void)
{
	if (dir[0])
		return;
	/* tmpfs when there is one: fdatasync costs nothing there. */
	snprintf(dir, sizeof(dir), "%s/seavmm-fuzz-ledger.XXXXXX",
		 access("/dev/shm", W_OK) ? "/tmp" : "/dev/shm");
	CHECK(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/ledger", dir);
	atexit(fuzz_cleanup);
}

static int load(struct ras_tracker *t, char *warn, size_t warnlen)
{
	char err[512];
	int fd = ledger_open(path, err, sizeof(err));

	CHECK(fd >= 0);
	CHECK(ras_tracker_init(t, MAX_PAGES) == 0);
	CHECK(ledger_load(t, fd, warn, warnlen) == 0);
	fuzz_check_line(warn, warnlen);
	CHECK(t->n <= MAX_PAGES / 2);
	return fd;
}

static void same_pages(const struct ras_tracker *a, const struct ras_tracker *b)
{
	CHECK(a->n == b->n);
	for (uint32_t i = 0; i < a->n; i++) {
		const struct ras_page *p = &a->pages[i], *q = ras_tracker_lookup(b, p->gpa);

		CHECK(q && q->last_ns == p->last_ns && q->count == p->count && q->esr == p->esr &&
		      q->flags == p->flags && q->first_ns == p->first_ns);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ras_tracker t, u;
	char warn[256];
	struct stat st;
	int fd, wfd;

	fuzz_setup();
	wfd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	CHECK(wfd >= 0 && write(wfd, data, size) == (ssize_t)size);
	close(wfd);

	fd = load(&t, warn, sizeof(warn));
	/* What is left is whole lines only. */
	CHECK(fstat(fd, &st) == 0 && (size_t)st.st_size <= size);
	CHECK(!st.st_size || data[st.st_size - 1] == '\n');
	{
		char *back = malloc((size_t)st.st_size + 1);

		CHECK(back && pread(fd, back, (size_t)st.st_size, 0) == st.st_size);
		CHECK(!memcmp(back, data, (size_t)st.st_size)); /* a prefix, untouched */
		free(back);
	}
	close(fd);
	fd = load(&u, warn, sizeof(warn));
	CHECK(!strstr(warn, "torn"));
	same_pages(&t, &u);
	ras_tracker_free(&u);

	/* Compacted: one line per page, the same pages, and appends go on. */
	CHECK(ledger_compact(path, &t, &fd) == 0);
	struct ras_page pg = {
		.gpa = 0xfffff000ULL, .first_ns = 1, .last_ns = UINT64_MAX, .count = 7
	};

	CHECK(ledger_append(fd, &pg) == 0);
	close(fd);
	fd = load(&u, warn, sizeof(warn));
	CHECK(warn[0] == '\0' || strstr(warn, "left out"));
	CHECK(ras_tracker_lookup(&u, pg.gpa) && ras_tracker_lookup(&u, pg.gpa)->count == 7);
	for (uint32_t i = 0; i < t.n; i++)
		CHECK(t.pages[i].gpa == pg.gpa || ras_tracker_lookup(&u, t.pages[i].gpa) ||
		      t.n + 1 > MAX_PAGES / 2);
	close(fd);
	ras_tracker_free(&u);
	ras_tracker_free(&t);
	return 0;
}
