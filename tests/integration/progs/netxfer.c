// SPDX-License-Identifier: GPL-2.0-only
/* The emulated host's side of the virtio-net scenario: the guest's program, built for the host. */
#include "../../../guest-images/progs/virtio/netxfer.c"
