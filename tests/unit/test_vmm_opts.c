// SPDX-License-Identifier: GPL-2.0-only
/* seavmm run's command line: sizes, options, and the messages for bad ones. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../vmm/cli/opts.h"
#include "../../vmm/cli/size.h"
#include "unit_util.h"

static void test_size_parse_suffixes(void **state)
{
	uint64_t v;

	(void)state;
	assert_int_equal(size_parse("512M", 20, &v), 0);
	assert_true(v == 512ULL << 20);
	assert_int_equal(size_parse("2G", 20, &v), 0);
	assert_true(v == 2ULL << 30);
	assert_int_equal(size_parse("2g", 20, &v), 0);
	assert_true(v == 2ULL << 30);
	assert_int_equal(size_parse("64KiB", 20, &v), 0);
	assert_true(v == 64ULL << 10);
	assert_int_equal(size_parse("1TB", 20, &v), 0);
	assert_true(v == 1ULL << 40);
	/* A bare number is MiB, as kvmtool's -m. */
	assert_int_equal(size_parse("256", 20, &v), 0);
	assert_true(v == 256ULL << 20);
	assert_int_equal(size_parse("7", 0, &v), 0);
	assert_true(v == 7);
}

static void test_size_parse_rejects(void **state)
{
	uint64_t v;

	(void)state;
	assert_int_equal(size_parse("", 20, &v), -EINVAL);
	assert_int_equal(size_parse("M", 20, &v), -EINVAL);
	assert_int_equal(size_parse("-1G", 20, &v), -EINVAL);
	assert_int_equal(size_parse("12X", 20, &v), -EINVAL);
	assert_int_equal(size_parse("1.5G", 20, &v), -EINVAL);
	assert_int_equal(size_parse("1GG", 20, &v), -EINVAL);
	assert_int_equal(size_parse(" 1G", 20, &v), -EINVAL);
	assert_int_equal(size_parse("99999999999999999999", 0, &v), -ERANGE);
	assert_int_equal(size_parse("99999999999T", 20, &v), -ERANGE);
	assert_int_equal(size_parse("18446744073709551615", 0, &v), 0);
}

static void test_opts_defaults_and_forms(void **state)
{
	struct run_opts o;
	char err[256];

	(void)state;
	assert_int_equal(PARSE("-k", "Image"), RUN_OPTS_OK);
	assert_string_equal(o.kernel, "Image");
	assert_true(o.mem_size == RUN_MEM_DEFAULT);
	assert_true(o.seccomp); /* on unless asked */
	assert_int_equal(o.ncpus, 1);
	assert_int_equal(o.reboot, REBOOT_RESTART);
	assert_null(o.initrd);
	assert_int_equal(PARSE("-k", "Image", "--seccomp", "off"), RUN_OPTS_OK);
	assert_false(o.seccomp);
	assert_int_equal(PARSE("-k", "Image", "--seccomp=on"), RUN_OPTS_OK);
	assert_true(o.seccomp);

	assert_int_equal(PARSE("--kernel=K", "--initrd", "I", "--params", "console=ttyS0 quiet",
			       "--mem=2G", "--cpus", "4", "--reboot=exit", "--dump-dtb", "x.dtb"),
			 RUN_OPTS_OK);
	assert_string_equal(o.kernel, "K");
	assert_string_equal(o.initrd, "I");
	assert_string_equal(o.cmdline, "console=ttyS0 quiet");
	assert_true(o.mem_size == 2ULL << 30);
	assert_int_equal(o.ncpus, 4);
	assert_int_equal(o.reboot, REBOOT_EXIT);
	assert_string_equal(o.dump_dtb, "x.dtb");

	/* kvmtool's short forms, separate and attached. */
	assert_int_equal(PARSE("-kK", "-i", "I", "-p", "P", "-m", "512", "-c2"), RUN_OPTS_OK);
	assert_string_equal(o.kernel, "K");
	assert_string_equal(o.cmdline, "P");
	assert_true(o.mem_size == 512ULL << 20);
	assert_int_equal(o.ncpus, 2);
	assert_int_equal(PARSE("--cmdline", "Q", "-k", "K"), RUN_OPTS_OK);
	assert_string_equal(o.cmdline, "Q");
	assert_null(o.api_socket);
	assert_int_equal(o.allow_inject, INJECT_NONE);
	assert_int_equal(PARSE("-k", "K", "--api-socket", "/run/s.sock", "--allow-inject=emulator"),
			 RUN_OPTS_OK);
	assert_string_equal(o.api_socket, "/run/s.sock");
	assert_int_equal(o.allow_inject, INJECT_EMULATOR);
	assert_int_equal(PARSE("-k", "K", "--api-socket=s", "--allow-inject", "einj"), RUN_OPTS_OK);
	assert_int_equal(o.allow_inject, INJECT_EINJ);
	assert_int_equal(PARSE("-k", "K", "--help"), RUN_OPTS_HELP);
	assert_int_equal(PARSE("-h"), RUN_OPTS_HELP);

	/* --agent brings the virtio console its port lives on. */
	assert_int_equal(PARSE("-k", "K"), RUN_OPTS_OK);
	assert_false(o.agent);
	assert_false(virtio_opts_want_console(&o.virtio));
	assert_int_equal(PARSE("-k", "K", "--agent"), RUN_OPTS_OK);
	assert_true(o.agent);
	assert_true(virtio_opts_want_console(&o.virtio));
	assert_string_equal(o.cmdline, "console=ttyS0");
	assert_int_equal(PARSE("-k", "K", "--agent", "--virtio-port", "org.other,socket=/tmp/s"),
			 RUN_OPTS_OK);
}

static void expect_error(const char **args, const char *needle)
{
	struct run_opts o;
	char err[256];

	assert_int_equal(unit_run_parse(&o, err, sizeof(err), args), -EINVAL);
	if (!strstr(err, needle))
		fail_msg("error '%s' does not mention '%s'", err, needle);
	assert_null(strchr(err, '\n'));
}

#define EXPECT_ERROR(needle, ...) expect_error((const char *[]){ __VA_ARGS__, NULL }, needle)

static void test_opts_errors(void **state)
{
	(void)state;
	EXPECT_ERROR("no kernel given", "-m", "1G");
	EXPECT_ERROR("not a size", "-k", "K", "-m", "lots");
	EXPECT_ERROR("too small", "-k", "K", "-m", "1M");
	EXPECT_ERROR("too large", "-k", "K", "-m", "99999999999T");
	EXPECT_ERROR("too large", "-k", "K", "-m", "8192T");
	EXPECT_ERROR("at least one vCPU", "-k", "K", "-c", "0");
	EXPECT_ERROR("not a number", "-k", "K", "-c", "2G");
	EXPECT_ERROR("not a number", "-k", "K", "-c", "");
	EXPECT_ERROR("more than", "-k", "K", "-c", "100000");
	EXPECT_ERROR("unknown option", "-k", "K", "--frob");
	EXPECT_ERROR("unknown option", "-k", "K", "-z");
	EXPECT_ERROR("needs a value", "-k");
	EXPECT_ERROR("needs a value", "-k", "K", "--mem");
	EXPECT_ERROR("takes no value", "--help=yes");
	EXPECT_ERROR("unexpected argument", "Image");
	EXPECT_ERROR("--reboot=restart or --reboot=exit", "-k", "K", "--reboot=maybe");
	EXPECT_ERROR("--seccomp 'maybe': use --seccomp on or --seccomp off", "-k", "K", "--seccomp",
		     "maybe");
	/* The device tree takes the last 2 MiB block: RAM must end on one. */
	EXPECT_ERROR("--mem 65M is not a multiple of 2M; give e.g. 64M or 66M", "-k", "K", "-m",
		     "65M");
	EXPECT_ERROR("--mem 1025M is not a multiple of 2M; give e.g. 1024M or 1026M", "-k", "K",
		     "-m", "1025M");
	/* KVM maps whole pages: this one was blamed on its size once KVM refused it. */
	EXPECT_ERROR("--mem 65537K is not a whole number of 4K pages; give e.g. 64M or 66M", "-k",
		     "K", "-m", "65537K");
	EXPECT_ERROR("--mem 131073KiB is not a whole number of 4K pages; give e.g. 128M or 130M",
		     "-k", "K", "-m", "131073KiB");
	EXPECT_ERROR("--api-socket needs a path", "-k", "K", "--api-socket=");
	EXPECT_ERROR("--allow-inject=emulator", "-k", "K", "--api-socket", "s",
		     "--allow-inject=mce");
	EXPECT_ERROR("needs --api-socket", "-k", "K", "--allow-inject=einj");
	EXPECT_ERROR("takes no value", "-k", "K", "--agent=yes");
	EXPECT_ERROR("--agent and --virtio-port org.seavmm.agent.0 both want that port", "-k", "K",
		     "--virtio-port", "org.seavmm.agent.0,socket=/tmp/a", "--agent");
}

static void test_opts_virtio(void **state)
{
	struct run_opts o;
	char err[256];

	(void)state;
	assert_int_equal(PARSE("-k", "K"), RUN_OPTS_OK);
	assert_int_equal(o.virtio.console, CONSOLE_SERIAL);
	assert_string_equal(o.cmdline, "console=ttyS0");
	assert_false(virtio_opts_want_console(&o.virtio));
	/* On virtio the default command line names hvc0; a given one is kept. */
	assert_int_equal(PARSE("-k", "K", "--console", "virtio"), RUN_OPTS_OK);
	assert_string_equal(o.cmdline, "console=hvc0");
	assert_true(virtio_opts_want_console(&o.virtio));
	assert_int_equal(PARSE("-k", "K", "--console=virtio", "-p", "console=ttyS0"), RUN_OPTS_OK);
	assert_string_equal(o.cmdline, "console=ttyS0");
	assert_int_equal(PARSE("-k", "K", "--disk", "a.img", "-d", "/x/b,c.img,ro", "-db.img",
			       "--rng", "--net", "tap", "--virtio-port",
			       "org.seavmm.agent.0,socket=/run/a.sock"),
			 RUN_OPTS_OK);
	assert_int_equal(o.virtio.nr_disks, 3);
	assert_string_equal(o.virtio.disks[0].path, "a.img");
	assert_false(o.virtio.disks[0].ro);
	assert_string_equal(o.virtio.disks[1].path, "/x/b,c.img");
	assert_true(o.virtio.disks[1].ro);
	assert_string_equal(o.virtio.disks[2].path, "b.img");
	assert_true(o.virtio.rng);
	assert_true(o.virtio.net);
	assert_string_equal(o.virtio.tap, "");
	assert_int_equal(o.virtio.nr_ports, 1);
	assert_string_equal(o.virtio.ports[0].name, "org.seavmm.agent.0");
	assert_string_equal(o.virtio.ports[0].socket, "/run/a.sock");
	assert_true(virtio_opts_want_console(&o.virtio));
	assert_int_equal(o.virtio.console, CONSOLE_SERIAL);
	assert_int_equal(PARSE("-k", "K", "--net=tap=seavmm0"), RUN_OPTS_OK);
	assert_string_equal(o.virtio.tap, "seavmm0");
}

static void test_opts_virtio_errors(void **state)
{
	(void)state;
	EXPECT_ERROR("--console serial or --console virtio", "-k", "K", "--console", "hvc");
	EXPECT_ERROR("unknown option 'rw'", "-k", "K", "--disk", "a.img,rw");
	EXPECT_ERROR("names no file", "-k", "K", "--disk", ",ro");
	EXPECT_ERROR("more than 8 --disk", "-k", "K", "-d", "1", "-d", "2", "-d", "3", "-d", "4",
		     "-d", "5", "-d", "6", "-d", "7", "-d", "8", "-d", "9");
	EXPECT_ERROR("--net tap=NAME", "-k", "K", "--net", "user");
	EXPECT_ERROR("at most 15 characters", "-k", "K", "--net", "tap=abcdefghijklmnop");
	EXPECT_ERROR("--net given twice", "-k", "K", "--net", "tap", "--net", "tap");
	EXPECT_ERROR("takes no value", "-k", "K", "--rng=yes");
	EXPECT_ERROR("--virtio-port NAME,socket=PATH", "-k", "K", "--virtio-port", "org.x");
	EXPECT_ERROR("a port name is", "-k", "K", "--virtio-port", "bad name,socket=/s");
	EXPECT_ERROR("a port name is", "-k", "K", "--virtio-port", ",socket=/s");
	EXPECT_ERROR("given twice", "-k", "K", "--virtio-port", "a,socket=/s", "--virtio-port",
		     "a,socket=/t");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_size_parse_suffixes),
		cmocka_unit_test(test_size_parse_rejects),
		cmocka_unit_test(test_opts_defaults_and_forms),
		cmocka_unit_test(test_opts_errors),
		cmocka_unit_test(test_opts_virtio),
		cmocka_unit_test(test_opts_virtio_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
