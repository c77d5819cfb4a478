// SPDX-License-Identifier: GPL-2.0-only
#include "image.h"

#include <errno.h>
#include <string.h>

static uint16_t get_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)get_le16(p) | (uint32_t)get_le16(p + 2) << 16;
}

static uint64_t get_le64(const uint8_t *p)
{
	return (uint64_t)get_le32(p) | (uint64_t)get_le32(p + 4) << 32;
}

static const char *image_what_else(const uint8_t *head, size_t head_len)
{
	if (head_len >= 2 && head[0] == 0x1f && head[1] == 0x8b)
		return "a gzip-compressed file (gunzip it: seavmm loads an uncompressed Image)";
	if (head_len >= 4 && !memcmp(head, "\177ELF", 4))
		return "an ELF file (use arch/arm64/boot/Image, not vmlinux)";
	if (head_len >= 8 && !memcmp(head, "MZ", 2) && !memcmp(head + 4, "zimg", 4))
		return "an EFI zboot compressed kernel (not supported; use an uncompressed Image)";
	return "no arm64 Image magic at offset 0x38";
}

/*
 * Kernels with the EFI stub carry a PE/COFF header whose sections end exactly
 * at the end of the file, which detects truncation far better than
 * image_size (which includes BSS and so always exceeds the file size).
 * Returns the expected file size, or 0 when it cannot be told from head.
 */
static uint64_t image_pe_file_size(const uint8_t *head, size_t head_len)
{
	uint32_t pe = get_le32(head + 0x3c);
	uint64_t end = 0;
	size_t sections;
	uint16_t nsec, optsz;

	if (memcmp(head, "MZ", 2) || pe > head_len || head_len - pe < 24 ||
	    memcmp(head + pe, "PE\0\0", 4))
		return 0;
	nsec = get_le16(head + pe + 6);
	optsz = get_le16(head + pe + 20);
	sections = (size_t)pe + 24 + optsz;
	if (sections > head_len || (head_len - sections) / 40 < nsec)
		return 0;
	for (unsigned int i = 0; i < nsec; i++) {
		const uint8_t *s = head + sections + 40 * i;
		uint64_t e = (uint64_t)get_le32(s + 16) + get_le32(s + 20);

		if (e > end)
			end = e;
	}
	return end;
}

int image_arm64_parse(const uint8_t *head, size_t head_len, uint64_t file_size,
		      struct arm64_image *img, const char **why)
{
	uint64_t pe_size;

	if (file_size < ARM64_IMAGE_HEADER_SIZE || head_len < ARM64_IMAGE_HEADER_SIZE) {
		*why = file_size ? "shorter than the 64-byte arm64 Image header" : "empty file";
		return file_size ? -EBADMSG : -ENOEXEC;
	}
	if (get_le32(head + 0x38) != ARM64_IMAGE_MAGIC) {
		*why = image_what_else(head, head_len);
		return -ENOEXEC;
	}
	img->text_offset = get_le64(head + 8);
	img->image_size = get_le64(head + 16);
	img->file_size = file_size;
	if (get_le64(head + 24) & ARM64_IMAGE_FLAG_BE) {
		*why = "a big-endian kernel (seavmm boots little-endian guests)";
		return -ENOEXEC;
	}
	if (img->image_size == 0) {
		img->text_offset = ARM64_IMAGE_LEGACY_TEXT_OFFSET;
		img->image_size = file_size;
	}
	if (img->image_size > ARM64_IMAGE_SIZE_MAX) {
		*why = "implausible image_size in the Image header (more than 4 GiB)";
		return -ENOEXEC;
	}
	if (img->text_offset >= ARM64_KERNEL_ALIGN || img->text_offset % 4096) {
		*why = "implausible text_offset in the Image header";
		return -ENOEXEC;
	}
	if (file_size > img->image_size) {
		*why = "file larger than the image_size in its header";
		return -ENOEXEC;
	}
	pe_size = image_pe_file_size(head, head_len);
	if (pe_size > file_size) {
		*why = "truncated: its PE/COFF header describes a longer file";
		return -EBADMSG;
	}
	return 0;
}

int boot_layout_plan(uint64_t ram_base, uint64_t ram_size, const struct arm64_image *img,
		     uint64_t initrd_size, struct boot_layout *l)
{
	uint64_t base = (ram_base + ARM64_KERNEL_ALIGN - 1) & ~(ARM64_KERNEL_ALIGN - 1);
	uint64_t ram_end = ram_base + ram_size;
	uint64_t kernel_end, room;

	/*
	 * The last 2 MiB hold the device tree, its maximum size by the
	 * protocol, on a 2 MiB boundary. Every size is compared with the room
	 * left rather than added up: a header's image_size may be anything.
	 */
	if (ram_end < ram_base || ram_end - base < ARM64_FDT_MAX_SIZE || ram_end < base)
		return -E2BIG;
	l->fdt_addr = (ram_end - ARM64_FDT_MAX_SIZE) & ~(ARM64_KERNEL_ALIGN - 1);
	if (l->fdt_addr < base)
		return -E2BIG;
	room = l->fdt_addr - base;
	if (img->text_offset > room || img->image_size > room - img->text_offset)
		return -E2BIG;
	l->kernel_addr = base + img->text_offset;
	kernel_end = l->kernel_addr + img->image_size;
	l->initrd_size = initrd_size;
	l->initrd_addr = 0;
	if (initrd_size) {
		if (initrd_size > l->fdt_addr - kernel_end)
			return -ENOSPC;
		l->initrd_addr = (l->fdt_addr - initrd_size) & ~4095ULL;
		if (l->initrd_addr < kernel_end)
			return -ENOSPC;
	}
	return 0;
}
