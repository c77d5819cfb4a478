// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guest device tree: vmm/boot/fdt.c builds a blob natively from the same
 * description seavmm uses, libfdt reads it back and dtc decompiles it.
 *
 * It needs vmm/boot/fdt.c among the native objects and -lfdt on the native link
 * line. Until the Makefile has both, vm_fdt_build and the libfdt calls stay
 * weak and unresolved and the tests skip, rather than breaking every unit
 * test's link.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <libfdt.h>

#pragma weak fdt_create
#pragma weak fdt_finish_reservemap
#pragma weak fdt_begin_node
#pragma weak fdt_property
#pragma weak fdt_end_node
#pragma weak fdt_finish
#pragma weak fdt_check_header
#pragma weak fdt_path_offset
#pragma weak fdt_getprop
#pragma weak fdt_node_check_compatible

#pragma weak vm_fdt_build

#include "../../vmm/boot/fdt.h"

static const uint64_t mpidrs[] = { 0x0, 0x1, 0x2, 0x3 };

static struct vm_fdt_desc desc(void)
{
	struct vm_fdt_desc d = {
		.mem_base = 0x40000000,
		.mem_size = 256ULL << 20,
		.ncpus = 2,
		.mpidrs = mpidrs,
		.gic_version = 3,
		.gic_dist_base = 0x08000000,
		.gic_dist_size = 0x10000,
		.gic_cpu_base = 0x10000000,
		.gic_cpu_size = 2 * 0x20000,
		.uart_base = 0x09000000,
		.uart_size = 0x1000,
		.uart_spi = 1,
		.uart_clock = 1843200,
		.bootargs = "console=ttyS0 quiet",
		.initrd_start = 0x4e000000,
		.initrd_end = 0x4e100000,
		.kaslr_seed = 0x1122334455667788ULL,
	};

	memset(d.rng_seed, 0x5a, sizeof(d.rng_seed));
	return d;
}

static int have_libfdt(void **state)
{
	(void)state;
	if (!vm_fdt_build || !fdt_create) {
		print_message("skipped: the native link lacks vmm/boot/fdt.c or -lfdt (see "
			      "test_vmm_fdt.c)\n");
		skip();
	}
	return 0;
}

static uint64_t prop_u64(const void *fdt, const char *path, const char *name, int idx)
{
	int len, off = fdt_path_offset(fdt, path);
	const fdt64_t *p;

	assert_true(off >= 0);
	p = fdt_getprop(fdt, off, name, &len);
	assert_non_null(p);
	assert_true(len >= (int)sizeof(*p) * (idx + 1));
	return fdt64_ld(&p[idx]);
}

static void test_fdt_nodes(void **state)
{
	struct vm_fdt_desc d = desc();
	static char buf[16384];
	int len;

	have_libfdt(state);
	assert_int_equal(vm_fdt_build(&d, buf, sizeof(buf)), 0);
	assert_int_equal(fdt_check_header(buf), 0);
	assert_true(prop_u64(buf, "/memory@40000000", "reg", 0) == 0x40000000);
	assert_true(prop_u64(buf, "/memory@40000000", "reg", 1) == 256ULL << 20);
	assert_true(prop_u64(buf, "/chosen", "linux,initrd-start", 0) == 0x4e000000);
	assert_true(prop_u64(buf, "/chosen", "linux,initrd-end", 0) == 0x4e100000);
	assert_true(prop_u64(buf, "/chosen", "kaslr-seed", 0) == 0x1122334455667788ULL);
	assert_true(prop_u64(buf, "/intc@8000000", "reg", 2) == 0x10000000);
	assert_string_equal(fdt_getprop(buf, fdt_path_offset(buf, "/chosen"), "bootargs", NULL),
			    "console=ttyS0 quiet");
	assert_string_equal(fdt_getprop(buf, fdt_path_offset(buf, "/chosen"), "stdout-path", NULL),
			    "/uart@9000000");
	assert_non_null(fdt_getprop(buf, fdt_path_offset(buf, "/chosen"), "rng-seed", &len));
	assert_int_equal(len, VM_FDT_RNG_SEED_SIZE);
	assert_string_equal(
		fdt_getprop(buf, fdt_path_offset(buf, "/cpus/cpu@1"), "enable-method", NULL),
		"psci");
	assert_true(fdt_path_offset(buf, "/cpus/cpu@2") < 0);
	assert_int_equal(
		fdt_node_check_compatible(buf, fdt_path_offset(buf, "/psci"), "arm,psci-0.2"), 0);
	assert_string_equal(fdt_getprop(buf, fdt_path_offset(buf, "/psci"), "method", NULL), "hvc");
	assert_int_equal(
		fdt_node_check_compatible(buf, fdt_path_offset(buf, "/uart@9000000"), "ns16550a"),
		0);
	assert_int_equal(
		fdt_node_check_compatible(buf, fdt_path_offset(buf, "/timer"), "arm,armv8-timer"),
		0);
}

/* virtio-mmio devices: in the order given, each with its edge-triggered SPI. */
static void test_fdt_virtio(void **state)
{
	static const struct vm_fdt_virtio v[] = { { 0x0a000000, 0x200, 16 },
						  { 0x0a000200, 0x200, 17 } };
	struct vm_fdt_desc d = desc();
	static char buf[16384];
	const fdt32_t *irq;
	int off, len;

	have_libfdt(state);
	d.virtio = v;
	d.nr_virtio = 2;
	assert_int_equal(vm_fdt_build(&d, buf, sizeof(buf)), 0);
	assert_true(prop_u64(buf, "/virtio_mmio@a000200", "reg", 0) == 0x0a000200);
	assert_true(prop_u64(buf, "/virtio_mmio@a000200", "reg", 1) == 0x200);
	off = fdt_path_offset(buf, "/virtio_mmio@a000000");
	assert_int_equal(fdt_node_check_compatible(buf, off, "virtio,mmio"), 0);
	assert_non_null(fdt_getprop(buf, off, "dma-coherent", NULL));
	irq = fdt_getprop(buf, off, "interrupts", &len);
	assert_int_equal(len, 12);
	assert_int_equal(fdt32_ld(&irq[0]), 0);
	assert_int_equal(fdt32_ld(&irq[1]), 16);
	assert_int_equal(fdt32_ld(&irq[2]), 1);
	/* The first comes first: the guest probes it first (vda). */
	assert_true(off < fdt_path_offset(buf, "/virtio_mmio@a000200"));
}

static void test_fdt_gicv2_and_limits(void **state)
{
	struct vm_fdt_desc d = desc();
	static char buf[16384];

	have_libfdt(state);
	d.gic_version = 2;
	d.initrd_start = d.initrd_end = 0;
	assert_int_equal(vm_fdt_build(&d, buf, sizeof(buf)), 0);
	assert_int_equal(fdt_node_check_compatible(buf, fdt_path_offset(buf, "/intc@8000000"),
						   "arm,cortex-a15-gic"),
			 0);
	assert_null(fdt_getprop(buf, fdt_path_offset(buf, "/chosen"), "linux,initrd-start", NULL));
	assert_int_equal(vm_fdt_build(&d, buf, 256), -ENOSPC);
	d.ncpus = 9; /* GICv2 serves at most 8 */
	assert_int_equal(vm_fdt_build(&d, buf, sizeof(buf)), -EINVAL);
	d.ncpus = 0;
	assert_int_equal(vm_fdt_build(&d, buf, sizeof(buf)), -EINVAL);
}

/* dtc -I dtb -O dts must accept the blob and show the nodes. */
static void test_fdt_dtc_decompiles(void **state)
{
	struct vm_fdt_desc d = desc();
	static char buf[16384], dts[65536];
	char path[] = "/tmp/seavmm-fdt-XXXXXX", cmd[256];
	const char *nodes[] = { "memory@40000000 {",
				"cpu@0 {",
				"cpu@1 {",
				"psci {",
				"intc@8000000 {",
				"timer {",
				"uart@9000000 {",
				"chosen {",
				"enable-method = \"psci\"",
				"rng-seed",
				"kaslr-seed",
				"linux,initrd-start",
				"stdout-path",
				"bootargs = \"console=ttyS0 quiet\"" };
	FILE *f;
	size_t n;
	int fd;

	have_libfdt(state);
	if (system("command -v dtc >/dev/null 2>&1") != 0)
		skip(); /* device-tree-compiler not installed */
	assert_int_equal(vm_fdt_build(&d, buf, sizeof(buf)), 0);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_int_equal(fwrite(buf, 1, fdt_totalsize(buf), f), fdt_totalsize(buf));
	fclose(f);
	snprintf(cmd, sizeof(cmd), "dtc -q -I dtb -O dts %s 2>&1", path);
	f = popen(cmd, "r");
	assert_non_null(f);
	n = fread(dts, 1, sizeof(dts) - 1, f);
	dts[n] = '\0';
	assert_int_equal(pclose(f), 0);
	unlink(path);
	for (size_t i = 0; i < sizeof(nodes) / sizeof(nodes[0]); i++)
		if (!strstr(dts, nodes[i]))
			fail_msg("dtc output lacks '%s':\n%s", nodes[i], dts);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fdt_nodes),
		cmocka_unit_test(test_fdt_gicv2_and_limits),
		cmocka_unit_test(test_fdt_dtc_decompiles),
		cmocka_unit_test(test_fdt_virtio),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
