/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The virtio flags of 'seavmm run' (docs/usage.md): --console, --disk,
 * --net, --rng, --virtio-port. Portable, so unit tests cover the parsing.
 */
#ifndef SEAVMM_VIRTIO_OPTS_H
#define SEAVMM_VIRTIO_OPTS_H

#include <stdbool.h>
#include <stddef.h>

#define VIRTIO_OPTS_DISKS_MAX 8
#define VIRTIO_OPTS_PORTS_MAX 8
#define VIRTIO_OPTS_PATH_MAX  1024
#define VIRTIO_OPTS_NAME_MAX  64

enum console_kind {
	CONSOLE_SERIAL, /* the 16550 UART, ttyS0 (default) */
	CONSOLE_VIRTIO, /* port 0 of the virtio console, hvc0 */
};

struct virtio_disk_opt {
	char path[VIRTIO_OPTS_PATH_MAX];
	bool ro;
};

struct virtio_port_opt {
	char name[VIRTIO_OPTS_NAME_MAX];
	char socket[VIRTIO_OPTS_PATH_MAX]; /* the host side: a listening unix socket */
};

struct virtio_opts {
	enum console_kind console;
	struct virtio_disk_opt disks[VIRTIO_OPTS_DISKS_MAX];
	unsigned int nr_disks;
	struct virtio_port_opt ports[VIRTIO_OPTS_PORTS_MAX];
	unsigned int nr_ports;
	bool rng;
	bool net;
	char tap[16]; /* empty: the kernel names the tap it creates */
	/*
	 * The virtio console exists with --console virtio or a --virtio-port;
	 * code that attaches ports itself (virtio_console_add_port) sets this.
	 */
	bool console_device;
};

/* The flags this file parses, by long name ("disk"), for vmm/cli/opts.c. */
enum virtio_flag {
	VIRTIO_FLAG_CONSOLE,
	VIRTIO_FLAG_DISK,
	VIRTIO_FLAG_NET,
	VIRTIO_FLAG_RNG,
	VIRTIO_FLAG_PORT,
};

/* One flag's value (NULL for --rng). 0, or -EINVAL with the reason in err. */
int virtio_opts_apply(struct virtio_opts *v, enum virtio_flag flag, const char *val, char *err,
		      size_t errlen);
/* Whether the virtio console device is wanted. */
bool virtio_opts_want_console(const struct virtio_opts *v);

#endif
