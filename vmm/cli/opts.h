/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The command line of 'seavmm run', parsed into a plain struct. Portable (no
 * KVM headers) so that unit tests cover it natively.
 */
#ifndef SEAVMM_OPTS_H
#define SEAVMM_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "virtio_opts.h"

#define RUN_MEM_DEFAULT (256ULL << 20)
/* Below this the kernel, its page tables and an initramfs cannot fit. */
#define RUN_MEM_MIN (64ULL << 20)
/* RAM starts at 1 GiB; the largest IPA space KVM/arm64 offers is 52 bits. */
#define RUN_MEM_MAX ((1ULL << 52) - (1ULL << 30))
/* RAM ends on a 2 MiB block boundary: the device tree takes the last block. */
#define RUN_MEM_ALIGN	 (2ULL << 20)
#define RUN_MEM_PAGE	 4096ULL
#define RUN_CPUS_DEFAULT 1
/* --ras flags per command line: far more than the policy has keys. */
#define RUN_RAS_MAX 64

enum reboot_action {
	REBOOT_RESTART, /* reset the vCPUs, reload the kernel, boot again */
	REBOOT_EXIT,	/* treat a guest reset like a power-off: exit 0 */
};

enum inject_mech {
	INJECT_NONE,	 /* inject-poison is refused (the default) */
	INJECT_EMULATOR, /* the emulated platform's poison injector (tests/emulator/) */
	INJECT_EINJ,	 /* ACPI EINJ through debugfs */
};

struct run_opts {
	const char *kernel;
	const char *initrd;
	const char *cmdline;
	const char *dump_dtb;
	const char *kvm_path;
	uint64_t mem_size;
	unsigned int ncpus;
	enum reboot_action reboot;
	const char *ras_policy;	      /* --ras-policy FILE, or NULL */
	const char *ras[RUN_RAS_MAX]; /* --ras key=value, in order */
	unsigned int n_ras;
	const char *ras_events; /* --ras-events FILE, or NULL */
	const char *ras_ledger; /* --ras-ledger FILE, or NULL */
	bool dump_guest_core;	/* guest RAM in core dumps (QEMU's dump-guest-core=on) */
	const char *api_socket; /* --api-socket PATH, or NULL */
	enum inject_mech allow_inject;
	bool agent;		   /* --agent: the guest agent's port (vmm/agent/agent.c) */
	struct virtio_opts virtio; /* --console, --disk, --net, --rng, --virtio-port */
	bool seccomp;		   /* --seccomp on (the default) or off */
};

enum {
	RUN_OPTS_OK = 0,
	RUN_OPTS_HELP = 1, /* --help: print run_opts_usage() and exit 0 */
};

/*
 * Parses argv (argv[0] is the command name). Returns RUN_OPTS_OK,
 * RUN_OPTS_HELP, or -EINVAL with a one-line reason in err.
 */
int run_opts_parse(int argc, char **argv, struct run_opts *o, char *err, size_t errlen);
extern const char run_opts_usage[];

#endif
