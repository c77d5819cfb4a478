// SPDX-License-Identifier: GPL-2.0-only
/* The arm64 Image header checks and the boot layout in guest RAM. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../vmm/boot/image.h"

#define MiB (1ULL << 20)

static void put_le(uint8_t *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* A header like Linux's: MZ, PE/COFF at 0x40 with two sections ending at pe_end. */
static void make_image(uint8_t *h, size_t len, uint64_t text_offset, uint64_t image_size,
		       uint64_t flags, uint32_t pe_end)
{
	memset(h, 0, len);
	memcpy(h, "MZ", 2);
	put_le(h + 8, text_offset, 8);
	put_le(h + 16, image_size, 8);
	put_le(h + 24, flags, 8);
	put_le(h + 0x38, ARM64_IMAGE_MAGIC, 4);
	put_le(h + 0x3c, 0x40, 4);
	memcpy(h + 0x40, "PE\0\0", 4);
	put_le(h + 0x40 + 6, 2, 2);	/* two sections */
	put_le(h + 0x40 + 20, 0x70, 2); /* optional header size */
	uint8_t *s = h + 0x40 + 24 + 0x70;
	put_le(s + 16, 0x1000, 4); /* .text: raw size, raw pointer */
	put_le(s + 20, 0x1000, 4);
	put_le(s + 40 + 16, pe_end - 0x2000, 4); /* .data */
	put_le(s + 40 + 20, 0x2000, 4);
}

static void test_image_valid(void **state)
{
	uint8_t h[4096];
	struct arm64_image img;
	const char *why = NULL;

	(void)state;
	make_image(h, sizeof(h), 0, 40 * MiB, 10, 30 * MiB);
	assert_int_equal(image_arm64_parse(h, sizeof(h), 30 * MiB, &img, &why), 0);
	assert_true(img.text_offset == 0);
	assert_true(img.image_size == 40 * MiB);
	assert_true(img.file_size == 30 * MiB);
}

static void test_image_legacy_header(void **state)
{
	uint8_t h[4096];
	struct arm64_image img;
	const char *why = NULL;

	(void)state;
	/* image_size 0: pre-3.17 kernel, text_offset is assumed to be 0x80000. */
	make_image(h, sizeof(h), 0, 0, 0, 1 * MiB);
	assert_int_equal(image_arm64_parse(h, sizeof(h), 1 * MiB, &img, &why), 0);
	assert_true(img.text_offset == ARM64_IMAGE_LEGACY_TEXT_OFFSET);
	assert_true(img.image_size == 1 * MiB);
}

static void test_image_rejects(void **state)
{
	uint8_t h[4096];
	struct arm64_image img;
	const char *why = NULL;

	(void)state;
	make_image(h, sizeof(h), 0, 40 * MiB, 10, 30 * MiB);
	/* Truncated: shorter than the PE sections say, or than the header itself. */
	assert_int_equal(image_arm64_parse(h, sizeof(h), 30 * MiB - 1, &img, &why), -EBADMSG);
	assert_int_equal(image_arm64_parse(h, 40, 40, &img, &why), -EBADMSG);
	assert_int_equal(image_arm64_parse(h, 0, 0, &img, &why), -ENOEXEC);
	/* Larger than its own image_size. */
	assert_int_equal(image_arm64_parse(h, sizeof(h), 41 * MiB, &img, &why), -ENOEXEC);
	/* Big-endian kernel. */
	make_image(h, sizeof(h), 0, 40 * MiB, 11, 30 * MiB);
	assert_int_equal(image_arm64_parse(h, sizeof(h), 30 * MiB, &img, &why), -ENOEXEC);
	assert_non_null(strstr(why, "big-endian"));
	/* Implausible text_offset. */
	make_image(h, sizeof(h), 3 * MiB, 40 * MiB, 10, 30 * MiB);
	assert_int_equal(image_arm64_parse(h, sizeof(h), 30 * MiB, &img, &why), -ENOEXEC);
	/* Not an Image at all, with a hint for the usual mistakes. */
	memset(h, 0, sizeof(h));
	memcpy(h, "\177ELF", 4);
	assert_int_equal(image_arm64_parse(h, sizeof(h), 10 * MiB, &img, &why), -ENOEXEC);
	assert_non_null(strstr(why, "ELF"));
	memset(h, 0, sizeof(h));
	h[0] = 0x1f;
	h[1] = 0x8b;
	assert_int_equal(image_arm64_parse(h, sizeof(h), 10 * MiB, &img, &why), -ENOEXEC);
	assert_non_null(strstr(why, "gzip"));
}

static void test_image_pe_table_out_of_head(void **state)
{
	uint8_t h[4096];
	struct arm64_image img;
	const char *why = NULL;

	(void)state;
	/* A PE offset pointing past what was read: cannot verify, not an error. */
	make_image(h, sizeof(h), 0, 40 * MiB, 10, 30 * MiB);
	put_le(h + 0x3c, 0xfffffff0, 4);
	assert_int_equal(image_arm64_parse(h, sizeof(h), 1 * MiB, &img, &why), 0);
	put_le(h + 0x3c, 0x40, 4);
	put_le(h + 0x40 + 6, 0xffff, 2); /* a section table longer than the head */
	assert_int_equal(image_arm64_parse(h, sizeof(h), 1 * MiB, &img, &why), 0);
}

static void test_layout(void **state)
{
	struct arm64_image img = { .text_offset = 0,
				   .image_size = 38 * MiB,
				   .file_size = 37 * MiB };
	struct boot_layout l;
	const uint64_t base = 0x40000000;

	(void)state;
	assert_int_equal(boot_layout_plan(base, 256 * MiB, &img, 10 * MiB, &l), 0);
	assert_true(l.kernel_addr == base);
	assert_true(l.fdt_addr == base + 254 * MiB);
	assert_true(l.initrd_addr == base + 244 * MiB);
	assert_true(l.initrd_addr % 4096 == 0);
	assert_true(l.initrd_addr >= l.kernel_addr + img.image_size);

	img.text_offset = 0x80000;
	assert_int_equal(boot_layout_plan(base, 64 * MiB, &img, 0, &l), 0);
	assert_true(l.kernel_addr == base + 0x80000);
	assert_true(l.initrd_addr == 0);
	/* The initrd takes all room there is, but no more. */
	img.text_offset = 0;
	assert_int_equal(boot_layout_plan(base, 64 * MiB, &img, 24 * MiB, &l), 0);
	assert_int_equal(boot_layout_plan(base, 64 * MiB, &img, 24 * MiB + 1, &l), -ENOSPC);
	assert_int_equal(boot_layout_plan(base, 64 * MiB, &img, UINT64_MAX, &l), -ENOSPC);
	/* A kernel larger than RAM. */
	img.image_size = 63 * MiB;
	assert_int_equal(boot_layout_plan(base, 64 * MiB, &img, 0, &l), -E2BIG);
	assert_int_equal(boot_layout_plan(base, 1 * MiB, &img, 0, &l), -E2BIG);
}

/*
 * Sizes from the header and the command line near the edges: nothing may
 * wrap around and "fit", and the device tree never overlaps the kernel.
 */
static void test_layout_overflow(void **state)
{
	struct arm64_image img = { .text_offset = 0,
				   .image_size = 38 * MiB,
				   .file_size = 37 * MiB };
	const uint64_t base = 0x40000000;
	struct boot_layout l;

	(void)state;
	/* An image_size near 2^64: a 100 MiB kernel must not "fit" in 64 MiB. */
	img.file_size = 100 * MiB;
	img.image_size = UINT64_MAX - 10 * MiB;
	assert_int_equal(boot_layout_plan(base, 64 * MiB, &img, 0, &l), -E2BIG);
	img.image_size = UINT64_MAX;
	assert_int_equal(boot_layout_plan(base, 64 * MiB, &img, 0, &l), -E2BIG);
	img.text_offset = 0x1ff000;
	img.image_size = UINT64_MAX - 0x1ff000 + 1;
	assert_int_equal(boot_layout_plan(base, 64 * MiB, &img, 0, &l), -E2BIG);

	/*
	 * RAM that does not end on a 2 MiB boundary (the parser refuses such a
	 * --mem; the plan must be right anyway): the device tree is aligned
	 * down, and the kernel and the initrd, even a huge one, stay below it.
	 */
	img = (struct arm64_image){ .text_offset = 0, .image_size = 63 * MiB, .file_size = MiB };
	assert_int_equal(boot_layout_plan(base, 65 * MiB, &img, 0, &l), -E2BIG);
	img.image_size = 62 * MiB;
	assert_int_equal(boot_layout_plan(base, 65 * MiB, &img, 0, &l), 0);
	assert_true(l.fdt_addr == base + 62 * MiB);
	img.image_size = 61 * MiB;
	assert_int_equal(boot_layout_plan(base, 65 * MiB, &img, 2048 * MiB, &l), -ENOSPC);
	assert_int_equal(boot_layout_plan(base, 65 * MiB, &img, 1 * MiB, &l), 0);
	assert_true(l.kernel_addr + img.image_size <= l.initrd_addr);
	assert_true(l.initrd_addr + l.initrd_size <= l.fdt_addr);
	assert_true(l.fdt_addr + ARM64_FDT_MAX_SIZE <= base + 65 * MiB);
	for (uint64_t mem = 2 * MiB; mem <= 80 * MiB; mem += 4096 * 37) {
		img.image_size = 20 * MiB;
		if (boot_layout_plan(base, mem, &img, 9 * MiB, &l))
			continue;
		assert_true(l.kernel_addr + img.image_size <= l.initrd_addr);
		assert_true(l.initrd_addr + l.initrd_size <= l.fdt_addr);
		assert_true(l.fdt_addr + ARM64_FDT_MAX_SIZE <= base + mem);
	}
	/* RAM too small for even the device tree. */
	img.image_size = 4096;
	assert_int_equal(boot_layout_plan(base, 2 * MiB - 4096, &img, 0, &l), -E2BIG);
}

/* The header's image_size is the kernel's footprint: 2^64 - 1 is not one. */
static void test_image_size_implausible(void **state)
{
	uint8_t h[4096];
	struct arm64_image img;
	const char *why = NULL;

	(void)state;
	make_image(h, sizeof(h), 0, UINT64_MAX - 10 * MiB, 10, 100 * MiB);
	assert_int_equal(image_arm64_parse(h, sizeof(h), 100 * MiB, &img, &why), -ENOEXEC);
	assert_string_equal(why, "implausible image_size in the Image header (more than 4 GiB)");
	make_image(h, sizeof(h), 0, 4096ULL * MiB, 10, 100 * MiB);
	assert_int_equal(image_arm64_parse(h, sizeof(h), 100 * MiB, &img, &why), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_image_valid),
		cmocka_unit_test(test_image_legacy_header),
		cmocka_unit_test(test_image_rejects),
		cmocka_unit_test(test_image_pe_table_out_of_head),
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_layout_overflow),
		cmocka_unit_test(test_image_size_implausible),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
