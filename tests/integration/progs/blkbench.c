// SPDX-License-Identifier: GPL-2.0-only
/* The emulated host's side of the virtio-blk figures: the guest's program, built for the host. */
#include "../../../guest-images/progs/virtio/blkbench.c"
