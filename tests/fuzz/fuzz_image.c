// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: the arm64 Image header parser and the boot layout
 * (vmm/boot/image.c). Input: file size, RAM size and initrd size (8 bytes each,
 * little-endian), then the first bytes of the kernel file. Whatever the
 * header says, an accepted kernel's layout must put the kernel, the initrd
 * and the device tree inside RAM, in that order, without overlap.
 */
#include "../../vmm/boot/image.h"
#include "fuzz_util.h"

#define RAM_BASE 0x40000000ULL /* as vmm/core/vm.h */

static void check_layout(const struct arm64_image *img, uint64_t ram_size, uint64_t initrd_size)
{
	struct boot_layout l;
	uint64_t ram_end = RAM_BASE + ram_size;
	int ret = boot_layout_plan(RAM_BASE, ram_size, img, initrd_size, &l);

	CHECK(ret == 0 || ret == -E2BIG || ret == -ENOSPC);
	if (ret)
		return;
	CHECK(l.kernel_addr >= RAM_BASE && l.kernel_addr % 4096 == 0);
	CHECK((l.kernel_addr - img->text_offset) % ARM64_KERNEL_ALIGN == 0);
	CHECK(l.fdt_addr % ARM64_KERNEL_ALIGN == 0);
	CHECK(l.fdt_addr <= ram_end && ram_end - l.fdt_addr >= ARM64_FDT_MAX_SIZE);
	/* Compared by subtraction: nothing here may wrap around to "fit". */
	CHECK(l.kernel_addr <= l.fdt_addr && img->image_size <= l.fdt_addr - l.kernel_addr);
	CHECK(img->file_size <= img->image_size);
	CHECK(l.initrd_size == initrd_size);
	if (!initrd_size) {
		CHECK(l.initrd_addr == 0);
		return;
	}
	CHECK(l.initrd_addr % 4096 == 0);
	CHECK(l.initrd_addr >= l.kernel_addr && l.initrd_addr - l.kernel_addr >= img->image_size);
	CHECK(l.initrd_addr <= l.fdt_addr && initrd_size <= l.fdt_addr - l.initrd_addr);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t file_size = fuzz_take(&data, &size, 8);
	uint64_t ram_size = fuzz_take(&data, &size, 8);
	uint64_t initrd_size = fuzz_take(&data, &size, 8);
	struct arm64_image img;
	const char *why = NULL;
	int ret;

	/* RAM as --mem allows it: at most 4 PiB; the layout is checked as given. */
	ram_size &= (1ULL << 52) - 1;
	ret = image_arm64_parse(data, size, file_size, &img, &why);
	CHECK(ret == 0 || ret == -ENOEXEC || ret == -EBADMSG);
	if (ret) {
		CHECK(why && why[0] && !strchr(why, '\n'));
		return 0;
	}
	CHECK(size >= ARM64_IMAGE_HEADER_SIZE && file_size >= ARM64_IMAGE_HEADER_SIZE);
	CHECK(img.file_size == file_size && img.file_size <= img.image_size);
	CHECK(img.image_size <= ARM64_IMAGE_SIZE_MAX);
	CHECK(img.text_offset < ARM64_KERNEL_ALIGN && img.text_offset % 4096 == 0);
	check_layout(&img, ram_size, initrd_size);
	/* And the sizes --mem accepts: whole 2 MiB blocks. */
	check_layout(&img, ram_size & ~(ARM64_KERNEL_ALIGN - 1), initrd_size);
	return 0;
}
