/* SPDX-License-Identifier: GPL-2.0-only */
/* Getting the guest's kernel, initrd and device tree into RAM for each boot. */
#ifndef SEAVMM_BOOT_H
#define SEAVMM_BOOT_H

struct vm;
struct run_opts;

/*
 * Before KVM is touched: opens and checks the kernel and initrd and plans
 * where they go. Returns 0, or -EINVAL after one line naming the problem.
 */
int boot_prepare(struct vm *vm, const struct run_opts *opts);
/*
 * Copies the kernel and initrd into guest RAM (again on every reboot: the
 * files are read, not kept in memory), builds the device tree with fresh
 * seeds and sets the boot vCPU's entry registers. 0 or -errno (reported).
 */
int boot_load(struct vm *vm);

#endif
