// SPDX-License-Identifier: GPL-2.0-only
/*
 * Files seavmm writes (vmm/core/outfile.c and its users): no symbolic link is
 * followed for --ras-events or --dump-dtb, and an append that fails part way
 * (here a file size limit, as a full disk would) leaves the events file and
 * the ledger holding whole records only, so the next append is whole too.
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
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../vmm/core/outfile.h"
#include "../../vmm/sea/ledger.h"
#include "../../vmm/sea/sea_report.h"
#include "kvm_compat.h"
#include "ras.h"
#include "unit_util.h"

static char tmpdir[64];

static int setup_dir(void **state)
{
	(void)state;
	/* A write past RLIMIT_FSIZE then fails with EFBIG instead of killing. */
	signal(SIGXFSZ, SIG_IGN);
	return unit_tmpdir_make(tmpdir, sizeof(tmpdir), "test_vmm_outfile");
}

static int teardown_dir(void **state)
{
	(void)state;
	return unit_tmpdir_remove(tmpdir);
}

static off_t file_size(const char *path)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	return st.st_size;
}

/* The soft file size limit: the hard one stays, so it can be lifted again. */
static void limit_fsize(rlim_t bytes)
{
	struct rlimit rl;

	assert_int_equal(getrlimit(RLIMIT_FSIZE, &rl), 0);
	rl.rlim_cur = bytes;
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &rl), 0);
}

static void sample_event(struct ras_event *ev, struct ras_decision *d, struct ras_tracker *t)
{
	struct seavmm_arm_sea sea = {
		.flags = KVM_EXIT_ARM_SEA_FLAG_GPA_VALID,
		.esr = 0x92000210,
		.gva = 0xffffa000,
		.gpa = 0x4a3f2000,
	};
	struct ras_vcpu_ctx ctx = { .vcpu = 1, .pc = 0x400123, .wall_ns = 1 };
	struct ras_policy p;

	ras_policy_default(&p);
	assert_int_equal(ras_tracker_init(t, 8), 0);
	ras_event_from_exit(ev, &sea, &ctx);
	ras_decide(&p, t, ev, d);
}

static void test_events_disk_full(void **state)
{
	struct ras_tracker t;
	struct ras_decision d;
	struct ras_event ev;
	char path[128], err[512], buf[8192];
	off_t one;
	FILE *f;
	int fd, lines = 0;

	(void)state;
	sample_event(&ev, &d, &t);
	snprintf(path, sizeof(path), "%s/events.json", tmpdir);
	fd = sea_events_open(path, err, sizeof(err));
	assert_true(fd >= 0);
	assert_int_equal(sea_events_append(fd, &ev, &d, "vm1"), 0);
	one = file_size(path);

	/* Room for half a record: the write stops part way, the half is cut off. */
	limit_fsize((rlim_t)(one + one / 2));
	assert_int_equal(sea_events_append(fd, &ev, &d, "vm1"), -EFBIG);
	assert_int_equal(file_size(path), one);
	/* At the limit exactly: nothing written at all. */
	limit_fsize((rlim_t)one);
	assert_int_equal(sea_events_append(fd, &ev, &d, "vm1"), -EFBIG);
	assert_int_equal(file_size(path), one);
	limit_fsize(RLIM_INFINITY);

	/* Space again: the next record is a line of its own. */
	assert_int_equal(sea_events_append(fd, &ev, &d, "vm2"), 0);
	close(fd);
	assert_int_equal(file_size(path), 2 * one);
	f = fopen(path, "r");
	assert_non_null(f);
	while (fgets(buf, sizeof(buf), f)) {
		assert_true(buf[0] == '{' && buf[strlen(buf) - 2] == '}');
		lines++;
	}
	fclose(f);
	assert_int_equal(lines, 2);
	ras_tracker_free(&t);
}

static void test_ledger_disk_full(void **state)
{
	struct ras_tracker t;
	char path[128], err[512], warn[256];
	struct ras_page pg;
	off_t one;
	int fd;

	(void)state;
	snprintf(path, sizeof(path), "%s/ledger", tmpdir);
	fd = ledger_open(path, err, sizeof(err));
	assert_true(fd >= 0);
	pg = unit_sample_page(0x1000, true);
	assert_int_equal(ledger_append(fd, &pg), 0);
	one = file_size(path);

	limit_fsize((rlim_t)(one + 20));
	pg = unit_sample_page(0x2000, true);
	assert_int_equal(ledger_append(fd, &pg), -EFBIG);
	assert_int_equal(file_size(path), one);
	limit_fsize(RLIM_INFINITY);

	/* A page reported durable after the failure is found by the reload. */
	pg = unit_sample_page(0x3000, true);
	assert_int_equal(ledger_append(fd, &pg), 0);
	close(fd);
	assert_int_equal(ras_tracker_init(&t, 16), 0);
	fd = ledger_open(path, err, sizeof(err));
	assert_int_equal(ledger_load(&t, fd, warn, sizeof(warn)), 0);
	close(fd);
	assert_string_equal(warn, "");
	assert_int_equal(t.n, 2);
	assert_non_null(ras_tracker_lookup(&t, 0x1000));
	assert_null(ras_tracker_lookup(&t, 0x2000));
	assert_non_null(ras_tracker_lookup(&t, 0x3000));
	ras_tracker_free(&t);
}

static void test_no_symlinks(void **state)
{
	char victim[128], link[128], err[512], want[600];
	int fd;

	(void)state;
	snprintf(victim, sizeof(victim), "%s/victim", tmpdir);
	fd = open(victim, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "precious\n", 9), 9);
	close(fd);
	snprintf(link, sizeof(link), "%s/link", tmpdir);
	assert_int_equal(symlink(victim, link), 0);

	assert_int_equal(sea_events_open(link, err, sizeof(err)), -ELOOP);
	snprintf(want, sizeof(want),
		 "--ras-events %s is a symbolic link, which seavmm does not follow for a file it "
		 "writes; give the path of the file itself",
		 link);
	assert_string_equal(err, want);
	/* --dump-dtb opens its file this way too (vmm/boot/boot.c). */
	assert_int_equal(outfile_open("--dump-dtb", link, O_WRONLY | O_CREAT | O_TRUNC, 0644, false,
				      err, sizeof(err)),
			 -ELOOP);
	assert_non_null(strstr(err, "--dump-dtb"));
	assert_int_equal(file_size(victim), 9);
	/* A dangling link is refused the same way, not created through. */
	snprintf(link, sizeof(link), "%s/dangling", tmpdir);
	assert_int_equal(symlink("/nonexistent-dir-seavmm/x", link), 0);
	assert_int_equal(sea_events_open(link, err, sizeof(err)), -ELOOP);
	/* Directories on the way are followed: only the last component matters. */
	snprintf(link, sizeof(link), "%s/dirlink", tmpdir);
	assert_int_equal(symlink(tmpdir, link), 0);
	strncat(link, "/through.json", sizeof(link) - strlen(link) - 1);
	fd = sea_events_open(link, err, sizeof(err));
	assert_true(fd >= 0);
	close(fd);
}

/* --dump-dtb rewrites its file at every boot: a shorter blob leaves no tail. */
static void test_replace(void **state)
{
	char path[128], err[512], buf[32] = "";
	int fd;

	(void)state;
	snprintf(path, sizeof(path), "%s/guest.dtb", tmpdir);
	fd = outfile_open("--dump-dtb", path, O_WRONLY | O_CREAT | O_TRUNC, 0644, false, err,
			  sizeof(err));
	assert_true(fd >= 0);
	assert_int_equal(outfile_replace(fd, "first boot blob", 15), 0);
	assert_int_equal(outfile_replace(fd, "second", 6), 0);
	close(fd);
	assert_int_equal(file_size(path), 6);
	fd = open(path, O_RDONLY);
	assert_int_equal(read(fd, buf, sizeof(buf)), 6);
	close(fd);
	assert_string_equal(buf, "second");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_events_disk_full),
		cmocka_unit_test(test_ledger_disk_full),
		cmocka_unit_test(test_no_symlinks),
		cmocka_unit_test(test_replace),
	};

	return cmocka_run_group_tests(tests, setup_dir, teardown_dir);
}
