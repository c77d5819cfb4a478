// SPDX-License-Identifier: GPL-2.0-only
/*
 * The poison ledger file, vmm/sea/ledger.c: round trip through a real file, a
 * torn last line cut off, reopen and append, compaction, and the files and
 * descriptors it cannot use. The line format is tested in test_ras_record.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../vmm/sea/ledger.h"
#include "ras.h"
#include "unit_util.h"

static char tmpdir[64];

static int setup_dir(void **state)
{
	(void)state;
	return unit_tmpdir_make(tmpdir, sizeof(tmpdir), "test_vmm_ledger");
}

static int teardown_dir(void **state)
{
	(void)state;
	return unit_tmpdir_remove(tmpdir);
}

/* Reopens the ledger into a fresh tracker u, as a restarted seavmm does. */
static int reload(struct ras_tracker *u, const char *path, char *warn, size_t warnlen)
{
	char err[256];
	int fd;

	ras_tracker_free(u);
	assert_int_equal(ras_tracker_init(u, 100), 0);
	fd = ledger_open(path, err, sizeof(err));
	assert_true(fd >= 0);
	assert_int_equal(ledger_load(u, fd, warn, warnlen), 0);
	return fd;
}

static void test_ledger_file_round_trip(void **state)
{
	struct ras_tracker t, u;
	char path[128], err[256], warn[256];
	int fd;

	(void)state;
	snprintf(path, sizeof(path), "%s/ledger", tmpdir);
	assert_int_equal(ras_tracker_init(&t, 100), 0);
	fd = ledger_open(path, err, sizeof(err));
	assert_true(fd >= 0);
	assert_int_equal(ledger_load(&t, fd, warn, sizeof(warn)), 0);
	assert_int_equal(t.n, 0);
	for (uint64_t i = 0; i < 50; i++) {
		struct ras_page pg = unit_sample_page((i % 20) << 12, i & 1);

		pg.count = (uint32_t)i;
		pg.last_ns = 100 + i;
		assert_int_equal(ras_tracker_put(&t, &pg), 0);
		assert_int_equal(ledger_append(fd, &pg), 0);
	}
	close(fd);

	/* reload: the last line for each page wins */
	memset(&u, 0, sizeof(u));
	fd = reload(&u, path, warn, sizeof(warn));
	assert_string_equal(warn, "");
	assert_int_equal(u.n, 20);
	for (uint64_t i = 0; i < 20; i++)
		unit_assert_page_equal(ras_tracker_lookup(&u, i << 12),
				       ras_tracker_lookup(&t, i << 12));
	assert_int_equal(ras_tracker_count_window(&u, 149, 9, UINT32_MAX), 10);

	/* crash mid-write: a torn last line is dropped and cut off the file */
	assert_int_equal(write(fd, "v1 gpa=0x5000 first=1 la", 24), 24);
	close(fd);
	fd = reload(&u, path, warn, sizeof(warn));
	assert_string_equal(warn, "ledger:51: torn last line (crash mid-write?), skipped");
	assert_int_equal(u.n, 20);
	/* appending after the cut gives a clean file again */
	struct ras_page extra = unit_sample_page(0x99000, false);

	assert_int_equal(ledger_append(fd, &extra), 0);
	close(fd);
	fd = reload(&u, path, warn, sizeof(warn));
	assert_string_equal(warn, "");
	assert_int_equal(u.n, 21);

	/* compaction: one line per page, in GPA order */
	char cpath[160];
	int cfd;

	snprintf(cpath, sizeof(cpath), "%s/compact", tmpdir);
	cfd = ledger_open(cpath, err, sizeof(err));
	assert_int_equal(ledger_write_all(cfd, &u), 0);
	close(cfd);
	FILE *f = fopen(cpath, "r");
	char line[RAS_LEDGER_LINE_MAX];
	uint64_t prev = 0;
	int lines = 0;

	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		struct ras_page pg;

		assert_int_equal(ras_ledger_parse_line(line, strlen(line) - 1, &pg), 0);
		assert_true(lines == 0 || pg.gpa > prev);
		prev = pg.gpa;
		lines++;
	}
	fclose(f);
	assert_int_equal(lines, 21);
	close(fd);
	ras_tracker_free(&u);
	ras_tracker_free(&t);
}

static size_t file_lines(const char *path)
{
	FILE *f = fopen(path, "r");
	size_t n = 0;
	int c;

	assert_non_null(f);
	while ((c = fgetc(f)) != EOF)
		n += c == '\n';
	fclose(f);
	return n;
}

/* A restarted seavmm compacts: one line per page, and appending goes on. */
static void test_ledger_compact(void **state)
{
	struct ras_tracker t = { 0 }, u = { 0 };
	char path[128], tmp[140], warn[256];
	struct ras_page pg;
	int fd, old;

	(void)state;
	snprintf(path, sizeof(path), "%s/restarted", tmpdir);
	fd = reload(&t, path, warn, sizeof(warn));
	for (int round = 0; round < 5; round++) {
		for (uint64_t i = 0; i < 10; i++) {
			pg = unit_sample_page(0x40000000 + i * 4096, round & 1);
			pg.count = (uint32_t)round + 1;
			assert_int_equal(ledger_append(fd, &pg), 0);
		}
	}
	close(fd);
	assert_int_equal(file_lines(path), 50);

	fd = reload(&t, path, warn, sizeof(warn));
	old = fd;
	assert_int_equal(ledger_compact(path, &t, &fd), 0);
	assert_true(fd >= 0);
	assert_int_equal(fcntl(old, F_GETFD), -1); /* the old descriptor was closed */
	assert_int_equal(file_lines(path), 10);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	assert_int_equal(access(tmp, F_OK), -1);
	pg = unit_sample_page(0x50000000, true);
	assert_int_equal(ledger_append(fd, &pg), 0);
	close(fd);

	/* Everything survives: the last state of the 10 pages, and the new one. */
	fd = reload(&u, path, warn, sizeof(warn));
	close(fd);
	assert_int_equal(u.n, 11);
	for (uint64_t i = 0; i < 10; i++) {
		struct ras_page *a = ras_tracker_lookup(&t, 0x40000000 + i * 4096);
		struct ras_page *b = ras_tracker_lookup(&u, 0x40000000 + i * 4096);

		assert_non_null(b);
		assert_int_equal(b->count, 5);
		unit_assert_page_equal(a, b);
	}
	assert_non_null(ras_tracker_lookup(&u, 0x50000000));

	/* A compaction that cannot write leaves the ledger and descriptor alone. */
	fd = reload(&t, path, warn, sizeof(warn));
	snprintf(tmp, sizeof(tmp), "%s/no-such-dir/ledger", tmpdir);
	old = fd;
	assert_int_equal(ledger_compact(tmp, &t, &fd), -ENOENT);
	assert_int_equal(fd, old);
	close(fd);
	assert_int_equal(file_lines(path), 11);
	ras_tracker_free(&t);
	ras_tracker_free(&u);
}

static void test_ledger_unwritable(void **state)
{
	struct ras_page a = unit_sample_page(0x1000, false);
	char err[256];
	int fd;

	(void)state;
	assert_int_equal(ledger_open("/nonexistent-dir/ledger", err, sizeof(err)), -2);
	assert_string_equal(err, "--ras-ledger /nonexistent-dir/ledger: No such file or directory; "
				 "give a writable file path");
	assert_int_equal(ledger_open(tmpdir, err, sizeof(err)), -21);
	assert_non_null(strstr(err, "Is a directory"));
	/* a descriptor that cannot be written */
	fd = open("/dev/null", O_RDONLY);
	assert_int_equal(ledger_append(fd, &a), -9);
	close(fd);
	/* a device that is full */
	fd = open("/dev/full", O_WRONLY);
	if (fd >= 0) {
		assert_int_equal(ledger_append(fd, &a), -28);
		close(fd);
	}
}

/*
 * Two seavmm processes on one ledger lost records (each compacted by renaming
 * over the file the other appended to): the second is refused, before it
 * reads or writes anything, for as long as the first lives, compaction or not.
 */
static void test_ledger_lock(void **state)
{
	struct ras_tracker t = { 0 };
	char path[128], err[512], warn[256], want[512];
	int lock, fd, status;
	pid_t pid;

	(void)state;
	snprintf(path, sizeof(path), "%s/locked", tmpdir);
	lock = ledger_lock(path, err, sizeof(err));
	assert_true(lock >= 0);
	fd = reload(&t, path, warn, sizeof(warn));
	assert_int_equal(ledger_compact(path, &t, &fd), 0);

	/* Another process (flock is per open file, so this one would do too). */
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int ret = ledger_lock(path, err, sizeof(err));

		snprintf(want, sizeof(want),
			 "--ras-ledger %s is in use by another seavmm (pid %d holds %s.lock); "
			 "give each seavmm its own ledger",
			 path, (int)getppid(), path);
		_exit(ret == -EBUSY && !strcmp(err, want) ? 0 : 1);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	/* A second open of the lock in this process is refused as well. */
	assert_int_equal(ledger_lock(path, err, sizeof(err)), -EBUSY);

	/* Released with its descriptor (and so when its process dies). */
	close(lock);
	lock = ledger_lock(path, err, sizeof(err));
	assert_true(lock >= 0);
	close(lock);
	close(fd);
	ras_tracker_free(&t);
}

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

static void assert_text(const char *path, const char *text)
{
	char buf[256] = "";
	FILE *f = fopen(path, "r");

	assert_non_null(f);
	assert_true(fread(buf, 1, sizeof(buf) - 1, f) < sizeof(buf));
	fclose(f);
	assert_string_equal(buf, text);
}

/* Files in tmpdir whose name starts with prefix. */
static int count_prefixed(const char *prefix)
{
	char cmd[256];
	int n = 0;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "ls -a '%s' | grep -c '^%s' || true", tmpdir, prefix);
	p = popen(cmd, "r");
	assert_non_null(p);
	assert_int_equal(fscanf(p, "%d", &n), 1);
	pclose(p);
	return n;
}

/*
 * As root in a directory others can write: a planted FILE.tmp symlink made
 * compaction truncate the file it named, and a symlink as the ledger or its
 * lock redirected every append. None is followed now.
 */
static void test_ledger_symlinks(void **state)
{
	char path[128], victim[128], link[160], err[512], warn[256], want[600];
	struct ras_tracker t = { 0 };
	struct ras_page pg = unit_sample_page(0x7000, true);
	int fd;

	(void)state;
	snprintf(victim, sizeof(victim), "%s/victim", tmpdir);
	write_text(victim, "precious\n");
	snprintf(path, sizeof(path), "%s/planted", tmpdir);
	fd = reload(&t, path, warn, sizeof(warn));
	assert_int_equal(ledger_append(fd, &pg), 0);
	close(fd);
	fd = reload(&t, path, warn, sizeof(warn));

	/* The old fixed temporary name, planted: compaction neither follows nor removes it. */
	snprintf(link, sizeof(link), "%s.tmp", path);
	assert_int_equal(symlink(victim, link), 0);
	/* A copy a killed compaction left behind is removed by the next one. */
	snprintf(link, sizeof(link), "%s.tmp.Ab3xYz", path);
	write_text(link, "stale\n");
	assert_int_equal(ledger_compact(path, &t, &fd), 0);
	assert_text(victim, "precious\n");
	assert_int_equal(count_prefixed("planted.tmp"), 1); /* the planted link alone */
	assert_int_equal(ledger_append(fd, &pg), 0);
	close(fd);
	assert_int_equal(file_lines(path), 2);

	/* The ledger itself a symlink: refused, the file it names untouched. */
	snprintf(link, sizeof(link), "%s/ledger-link", tmpdir);
	assert_int_equal(symlink(victim, link), 0);
	assert_int_equal(ledger_open(link, err, sizeof(err)), -ELOOP);
	snprintf(want, sizeof(want),
		 "--ras-ledger %s is a symbolic link, which seavmm does not follow for a file "
		 "it writes; give the path of the file itself",
		 link);
	assert_string_equal(err, want);
	/* Its lock a symlink: the same. */
	snprintf(link, sizeof(link), "%s/locklink.lock", tmpdir);
	assert_int_equal(symlink(victim, link), 0);
	snprintf(link, sizeof(link), "%s/locklink", tmpdir);
	assert_int_equal(ledger_lock(link, err, sizeof(err)), -ELOOP);
	assert_non_null(strstr(err, "is a symbolic link"));
	assert_text(victim, "precious\n");
	/* Not a regular file: no device, FIFO or socket as a ledger. */
	assert_int_equal(ledger_open("/dev/null", err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "--ras-ledger /dev/null is not a regular file; give a file path");
	ras_tracker_free(&t);
}

/*
 * A long-lived host's ledger outgrows the tracker (1024 pages in seavmm):
 * seavmm starts anyway with the most recent pages, which are what the
 * threshold window counts, in at most half the tracker so that this run's
 * own pages have room, and says in one line what it left out.
 */
static void test_ledger_capacity(void **state)
{
	struct ras_tracker t = { 0 };
	char path[128], warn[256];
	const uint32_t total = 1500, max = 1024, kept = 512;
	int fd;

	(void)state;
	snprintf(path, sizeof(path), "%s/big", tmpdir);
	fd = reload(&t, path, warn, sizeof(warn));
	/* Pages in a scrambled order of recency; page 7 twice, newest the second time. */
	for (uint32_t i = 0; i < total; i++) {
		uint32_t k = (i * 617) % total;
		struct ras_page pg = unit_sample_page(0x40000000 + (uint64_t)k * 4096, false);

		pg.last_ns = 1000 + k;
		if (k == 7)
			pg.last_ns = 10;
		assert_int_equal(ledger_append(fd, &pg), 0);
	}
	struct ras_page again = unit_sample_page(0x40000000 + 7 * 4096, false);

	again.last_ns = 1000000;
	assert_int_equal(ledger_append(fd, &again), 0);
	close(fd);

	ras_tracker_free(&t);
	assert_int_equal(ras_tracker_init(&t, max), 0);
	fd = ledger_open(path, warn, sizeof(warn));
	assert_int_equal(ledger_load(&t, fd, warn, sizeof(warn)), 0);
	assert_int_equal(t.n, kept);
	assert_string_equal(warn, "988 of 1500 pages left out: kept the 512 most recent "
				  "(history fills at most half the tracker)");
	/* The newest 511 by last_ns, and page 7 by its last line. */
	assert_non_null(ras_tracker_lookup(&t, 0x40000000 + 7 * 4096));
	for (uint32_t k = 0; k < total; k++) {
		bool want = k == 7 || k >= total - (kept - 1);

		assert_int_equal(ras_tracker_lookup(&t, 0x40000000 + (uint64_t)k * 4096) != NULL,
				 want);
	}
	assert_int_equal(ras_tracker_count_window(&t, 1000000, 1000000, UINT32_MAX), kept);
	close(fd);
	ras_tracker_free(&t);
}

#define KILL_PAGES 200

/*
 * The child is seavmm's ledger side: lock, load, compact, then append page
 * after page (count = a sequence number), telling the parent over the pipe
 * each time an append returned.
 */
static void kill_child(const char *path, uint32_t seq, int wfd)
{
	struct ras_tracker t;
	char err[512], warn[256];
	int fd, lock;

	lock = ledger_lock(path, err, sizeof(err));
	fd = ledger_open(path, err, sizeof(err));
	if (lock < 0 || fd < 0 || ras_tracker_init(&t, 1024) ||
	    ledger_load(&t, fd, warn, sizeof(warn)) || ledger_compact(path, &t, &fd))
		_exit(2);
	for (;; seq++) {
		struct ras_page pg = unit_sample_page((uint64_t)(seq % KILL_PAGES) << 12, seq & 1);

		pg.count = seq;
		pg.last_ns = seq;
		if (ledger_append(fd, &pg) || write(wfd, &seq, sizeof(seq)) != sizeof(seq))
			_exit(3);
	}
}

/*
 * kill -9 at any moment: while loading, compacting or appending. The ledger
 * reloads with every record whose append returned, and at most a torn last
 * line is dropped, with a message.
 */
static void test_ledger_kill9(void **state)
{
	uint32_t confirmed[KILL_PAGES] = { 0 }, seq = 1, got;
	char path[128], err[512], warn[256];
	struct ras_tracker u = { 0 };
	unsigned int torn = 0, kills = 0, appending = 0;
	int pfd[2], status, fd;

	(void)state;
	snprintf(path, sizeof(path), "%s/kill", tmpdir);
	srand(1234);
	for (int round = 0; round < 45; round++) {
		assert_int_equal(pipe(pfd), 0);
		pid_t pid = fork();

		assert_true(pid >= 0);
		if (pid == 0) {
			close(pfd[0]);
			kill_child(path, seq, pfd[1]);
		}
		close(pfd[1]);
		/*
		 * One round in three kills it at any moment from its start
		 * (loading, compacting); the others once it appends.
		 */
		if (round % 3 && read(pfd[0], &got, sizeof(got)) == sizeof(got)) {
			confirmed[got % KILL_PAGES] = got;
			seq = got + 1;
			appending++;
		}
		usleep((useconds_t)(rand() % 10000));
		kill(pid, SIGKILL);
		assert_int_equal(waitpid(pid, &status, 0), pid);
		if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
			kills++;
		else
			fail_msg("the writer ended by itself: status 0x%x", status);
		while (read(pfd[0], &got, sizeof(got)) == sizeof(got)) {
			confirmed[got % KILL_PAGES] = got;
			seq = got + 1;
		}
		close(pfd[0]);

		/* What a restarted seavmm finds: every returned append, whole. */
		ras_tracker_free(&u);
		assert_int_equal(ras_tracker_init(&u, 1024), 0);
		fd = ledger_open(path, err, sizeof(err));
		assert_true(fd >= 0);
		assert_int_equal(ledger_load(&u, fd, warn, sizeof(warn)), 0);
		close(fd);
		if (warn[0]) {
			assert_non_null(strstr(warn, "torn last line"));
			assert_null(strchr(warn, ';')); /* nothing else was damaged */
			torn++;
		}
		for (uint32_t i = 0; i < KILL_PAGES; i++) {
			struct ras_page *pg = ras_tracker_lookup(&u, (uint64_t)i << 12);

			if (!confirmed[i])
				continue;
			assert_non_null(pg);
			/* One more than confirmed is fine: it was written, not yet told. */
			assert_true(pg->count >= confirmed[i]);
		}
		/* A compaction killed before its rename leaves at most its own copy. */
		assert_true(count_prefixed("kill.tmp.") <= 1);
	}
	/* The lock died with each writer: a new seavmm can take it. */
	fd = ledger_lock(path, err, sizeof(err));
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(kills, 45);
	assert_int_equal(appending, 30); /* two rounds in three killed it among appends */
	print_message("kill -9: %u kills (%u among appends), %u appends confirmed, %u torn "
		      "line(s) dropped\n",
		      kills, appending, seq - 1, torn);
	ras_tracker_free(&u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ledger_file_round_trip),
		cmocka_unit_test(test_ledger_compact),
		cmocka_unit_test(test_ledger_unwritable),
		cmocka_unit_test(test_ledger_lock),
		cmocka_unit_test(test_ledger_symlinks),
		cmocka_unit_test(test_ledger_capacity),
		cmocka_unit_test(test_ledger_kill9),
	};

	return cmocka_run_group_tests(tests, setup_dir, teardown_dir);
}
