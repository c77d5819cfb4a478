// SPDX-License-Identifier: GPL-2.0-only
#include "boot.h"

#include <errno.h>
#include <fcntl.h>
#include <libfdt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fdt.h"
#include "gic.h"
#include "outfile.h"
#include "util.h"
#include "vcpu.h"
#include "vm.h"
#include "vm_virtio.h"

#define BOOT_HEAD_SIZE	  4096
#define BOOT_FDT_BUF_SIZE (64 * 1024)

/* Opens a regular, readable input file; what = "kernel" or "initrd". */
static int boot_open_input(const char *what, const char *flag, const char *path, uint64_t *size)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		int err = errno;

		pr_err("cannot open %s '%s': %s; check the path given to %s", what, path,
		       strerror(err), flag);
		return -EINVAL;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		pr_err("%s '%s' is not a regular file; give a file to %s", what, path, flag);
		close(fd);
		return -EINVAL;
	}
	*size = (uint64_t)st.st_size;
	return fd;
}

static int boot_check_kernel(struct vm *vm, const char *path)
{
	uint8_t head[BOOT_HEAD_SIZE];
	const char *why = "";
	uint64_t size;
	ssize_t n;
	int ret;

	vm->kernel_fd = boot_open_input("kernel", "--kernel", path, &size);
	if (vm->kernel_fd < 0)
		return vm->kernel_fd;
	n = pread(vm->kernel_fd, head, sizeof(head), 0);
	if (n < 0) {
		pr_err("cannot read kernel '%s': %s; check the file's permissions", path,
		       strerror(errno));
		return -EINVAL;
	}
	ret = image_arm64_parse(head, (size_t)n, size, &vm->image, &why);
	if (ret == -EBADMSG) {
		pr_err("kernel '%s' is a truncated arm64 Image (%s); copy it again", path, why);
		return -EINVAL;
	}
	if (ret < 0) {
		pr_err("kernel '%s' is not an arm64 Linux Image: %s", path, why);
		return -EINVAL;
	}
	return 0;
}

int boot_prepare(struct vm *vm, const struct run_opts *opts)
{
	int ret;

	vm->initrd_fd = vm->dtb_fd = -1;
	ret = boot_check_kernel(vm, opts->kernel);
	if (ret < 0)
		return ret;
	vm->initrd_size = 0;
	if (opts->initrd) {
		vm->initrd_fd =
			boot_open_input("initrd", "--initrd", opts->initrd, &vm->initrd_size);
		if (vm->initrd_fd < 0)
			return vm->initrd_fd;
		/* Size 0 means "no initrd" to the layout and the device tree. */
		if (!vm->initrd_size) {
			pr_err("initrd '%s' is empty; give a non-empty initrd or leave out "
			       "--initrd",
			       opts->initrd);
			return -EINVAL;
		}
	}
	ret = boot_layout_plan(VM_RAM_BASE, opts->mem_size, &vm->image, vm->initrd_size,
			       &vm->layout);
	if (ret == -E2BIG) {
		pr_err("kernel '%s' needs %llu M and does not fit in %llu M of guest RAM; "
		       "give a larger --mem",
		       opts->kernel, (unsigned long long)((vm->image.image_size >> 20) + 3),
		       (unsigned long long)(opts->mem_size >> 20));
		return -EINVAL;
	}
	if (ret == -ENOSPC) {
		pr_err("initrd '%s' (%llu M) does not fit in %llu M of guest RAM "
		       "beside the kernel; give a larger --mem",
		       opts->initrd, (unsigned long long)((vm->initrd_size + (1 << 20) - 1) >> 20),
		       (unsigned long long)(opts->mem_size >> 20));
		return -EINVAL;
	}
	if (ret < 0)
		return ret;
	if (opts->dump_dtb) {
		/* At start, so a path it cannot write is a usage error, not a boot failure. */
		char err[512];

		vm->dtb_fd =
			outfile_open("--dump-dtb", opts->dump_dtb, O_WRONLY | O_CREAT | O_TRUNC,
				     0644, false, err, sizeof(err));
		if (vm->dtb_fd < 0) {
			pr_err("%s", err);
			return -EINVAL;
		}
	}
	return 0;
}

static void boot_random(void *buf, size_t len)
{
	uint8_t *p = buf;

	while (len) {
		ssize_t n = getrandom(p, len, 0);

		if (n <= 0)
			break;
		p += n;
		len -= (size_t)n;
	}
}

static int boot_build_fdt(struct vm *vm, void *buf, size_t size)
{
	struct vm_fdt_virtio virtio[VM_VIRTIO_MAX];
	uint64_t *mpidrs = calloc(vm->nr_vcpus, sizeof(*mpidrs));
	struct vm_fdt_desc d = {
		.mem_base = VM_RAM_BASE,
		.mem_size = vm->opts->mem_size,
		.ncpus = vm->nr_vcpus,
		.mpidrs = mpidrs,
		.gic_version = vm->gic_version,
		.gic_dist_base = VM_GIC_DIST_BASE,
		.gic_dist_size = VM_GIC_DIST_SIZE,
		.gic_cpu_base = gic_cpu_region_base(vm),
		.gic_cpu_size = gic_cpu_region_size(vm),
		.uart_base = VM_UART_BASE,
		.uart_size = UART_16550_MMIO_SIZE,
		.uart_spi = VM_UART_SPI,
		.uart_clock = UART_16550_CLOCK,
		.bootargs = vm->opts->cmdline,
		.initrd_start = vm->layout.initrd_addr,
		.initrd_end = vm->layout.initrd_addr + vm->layout.initrd_size,
		.virtio = virtio,
		.nr_virtio = vm_virtio_fdt(vm, virtio, VM_VIRTIO_MAX),
	};
	int ret;

	if (!mpidrs)
		return -ENOMEM;
	for (unsigned int i = 0; i < vm->nr_vcpus; i++)
		mpidrs[i] = vm->vcpus[i].mpidr;
	boot_random(&d.kaslr_seed, sizeof(d.kaslr_seed));
	boot_random(d.rng_seed, sizeof(d.rng_seed));
	ret = vm_fdt_build(&d, buf, size);
	free(mpidrs);
	if (ret < 0)
		pr_err("cannot build the device tree: %s (the kernel command line may be too long)",
		       strerror(-ret));
	return ret;
}

static int boot_dump_dtb(struct vm *vm, const void *blob, size_t len)
{
	int ret = outfile_replace(vm->dtb_fd, blob, len);

	if (ret < 0)
		pr_err("cannot write the device tree to '%s' (--dump-dtb): %s", vm->opts->dump_dtb,
		       strerror(-ret));
	return ret;
}

int boot_load(struct vm *vm)
{
	const struct boot_layout *l = &vm->layout;
	void *fdt = malloc(BOOT_FDT_BUF_SIZE);
	int ret;

	if (!fdt)
		return -ENOMEM;
	ret = mem_load_file(&vm->mem, l->kernel_addr, vm->kernel_fd, vm->image.file_size);
	if (ret == 0 && vm->initrd_fd >= 0)
		ret = mem_load_file(&vm->mem, l->initrd_addr, vm->initrd_fd, vm->initrd_size);
	if (ret < 0) {
		pr_err("cannot load the kernel or initrd into guest RAM: %s "
		       "(did a file change while seavmm ran?)",
		       strerror(-ret));
		goto out;
	}
	ret = boot_build_fdt(vm, fdt, BOOT_FDT_BUF_SIZE);
	if (ret == 0)
		ret = mem_write(&vm->mem, l->fdt_addr, fdt, fdt_totalsize(fdt));
	if (ret == 0 && vm->dtb_fd >= 0)
		ret = boot_dump_dtb(vm, fdt, fdt_totalsize(fdt));
	if (ret == 0)
		ret = vcpu_set_boot_regs(&vm->vcpus[0], l->kernel_addr, l->fdt_addr);
out:
	free(fdt);
	return ret;
}
