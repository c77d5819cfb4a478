/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The arm64 Linux boot protocol (Documentation/arch/arm64/booting.rst):
 * validating an Image header and planning where the kernel, initrd and
 * device tree go in guest RAM. Portable: pure functions over bytes.
 */
#ifndef SEAVMM_IMAGE_H
#define SEAVMM_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#define ARM64_IMAGE_HEADER_SIZE 64
#define ARM64_IMAGE_MAGIC	0x644d5241u /* "ARM\x64" at offset 0x38 */
#define ARM64_IMAGE_FLAG_BE	(1u << 0)
/* Before Linux 3.17 image_size was 0 and text_offset had to be assumed. */
#define ARM64_IMAGE_LEGACY_TEXT_OFFSET 0x80000u
#define ARM64_KERNEL_ALIGN	       (2ULL << 20)
#define ARM64_FDT_MAX_SIZE	       (2ULL << 20)
/* No kernel's footprint comes near this: a larger image_size is garbage. */
#define ARM64_IMAGE_SIZE_MAX (4ULL << 30)

struct arm64_image {
	uint64_t text_offset;
	uint64_t image_size; /* bytes the kernel occupies, BSS included */
	uint64_t file_size;
};

/*
 * Validates the first bytes of a kernel file (head, head_len of them; at
 * least the header, more lets the PE/COFF section table be checked) against
 * its full size. Returns 0, -ENOEXEC when it is not an arm64 Image, or
 * -EBADMSG when it is one but the file is shorter than its header says.
 * *why gets a short reason for the error.
 */
int image_arm64_parse(const uint8_t *head, size_t head_len, uint64_t file_size,
		      struct arm64_image *img, const char **why);

struct boot_layout {
	uint64_t kernel_addr; /* where the Image is copied; also the entry point */
	uint64_t initrd_addr, initrd_size;
	uint64_t fdt_addr;
};

/*
 * Places the kernel at the first 2 MiB boundary plus text_offset, the device
 * tree in the last whole 2 MiB block of RAM and the initrd just below it.
 * Returns 0, -E2BIG when the kernel or -ENOSPC when the initrd does not fit
 * in RAM. Any sizes are safe: nothing wraps around.
 */
int boot_layout_plan(uint64_t ram_base, uint64_t ram_size, const struct arm64_image *img,
		     uint64_t initrd_size, struct boot_layout *l);

#endif
