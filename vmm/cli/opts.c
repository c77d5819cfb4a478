// SPDX-License-Identifier: GPL-2.0-only
#include "opts.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../../agent/agent_protocol.h"
#include "size.h"

const char run_opts_usage[] =
	"usage: seavmm run --kernel IMAGE [OPTIONS]\n"
	"\n"
	"Boots an arm64 Linux kernel Image in a KVM virtual machine with a 16550\n"
	"UART console on this terminal (type Ctrl-a x to quit).\n"
	"\n"
	"  -k, --kernel IMAGE    uncompressed arm64 kernel Image (required)\n"
	"  -i, --initrd FILE     initial ramdisk\n"
	"  -p, --params STR      kernel command line (also --cmdline)\n"
	"  -m, --mem SIZE        guest RAM: 512M, 2G, a multiple of 2M; a bare number\n"
	"                        is MiB (default 256M)\n"
	"  -c, --cpus N          number of vCPUs (default 1)\n"
	"      --reboot=ACTION   on guest reset: restart (default) or exit\n"
	"      --dump-dtb FILE   also write the guest's device tree blob to FILE\n"
	"      --kvm PATH        KVM device (default /dev/kvm)\n"
	"      --ras-policy FILE what to do with guest memory errors: a key=value\n"
	"                        file (docs/policy.md)\n"
	"      --ras KEY=VALUE   one policy setting; overrides the file; repeatable\n"
	"      --ras-events FILE append a JSON record of every guest memory error\n"
	"                        to FILE (docs/events.md)\n"
	"      --ras-ledger FILE keep the poisoned pages in FILE across runs: loaded\n"
	"                        (and compacted) at start, appended as they change\n"
	"      --dump-guest-core include guest RAM in seavmm's core dumps (off by\n"
	"                        default: a dump reads all of it, poison too)\n"
	"      --api-socket PATH serve the control socket at PATH (docs/api.md;\n"
	"                        'seavmm ctl PATH REQUEST' talks to it)\n"
	"      --allow-inject=emulator|einj\n"
	"                        let the control socket's inject-poison poison guest\n"
	"                        pages through the emulated platform's injector or\n"
	"                        ACPI EINJ (refused without this)\n"
	"      --console KIND    serial (the UART, ttyS0; default) or virtio (hvc0)\n"
	"  -d, --disk PATH[,ro]  a virtio-blk disk backed by a raw image file;\n"
	"                        repeatable; ro answers the guest's writes with EIO\n"
	"      --net tap[=NAME]  a virtio-net device on a tap (created if not named)\n"
	"      --rng             a virtio-rng entropy device\n"
	"      --virtio-port NAME,socket=PATH\n"
	"                        a named virtio-console port (/dev/vport*, e.g.\n"
	"                        org.seavmm.agent.0); its host side is a unix socket\n"
	"                        seavmm listens on at PATH; repeatable\n"
	"      --agent           a virtio-console port org.seavmm.agent.0 for the\n"
	"                        guest agent seavmm-agent (docs/agent.md): it\n"
	"                        offlines poisoned pages and sends a heartbeat\n"
	"      --seccomp on|off  each thread limited to the system calls it needs\n"
	"                        (default on; off to debug: docs/usage.md)\n"
	"  -h, --help            this text\n"
	"\n"
	"Exit status: 0 the guest powered off (or reset with --reboot=exit, or\n"
	"Ctrl-a x), 1 runtime failure, 2 usage error or unusable input, 3 the\n"
	"memory-error policy stopped the guest.\n";

enum opt_id {
	OPT_KERNEL,
	OPT_INITRD,
	OPT_PARAMS,
	OPT_MEM,
	OPT_CPUS,
	OPT_REBOOT,
	OPT_DUMP_DTB,
	OPT_KVM,
	OPT_RAS_POLICY,
	OPT_RAS,
	OPT_RAS_EVENTS,
	OPT_RAS_LEDGER,
	OPT_DUMP_GUEST_CORE,
	OPT_API_SOCKET,
	OPT_ALLOW_INJECT,
	OPT_CONSOLE,
	OPT_DISK,
	OPT_NET,
	OPT_RNG,
	OPT_VIRTIO_PORT,
	OPT_AGENT,
	OPT_SECCOMP,
	OPT_HELP
};

struct opt_def {
	enum opt_id id;
	char short_name; /* 0: long form only */
	const char *long_name;
	int has_arg;
};

static const struct opt_def opt_defs[] = {
	{ OPT_KERNEL, 'k', "kernel", 1 },
	{ OPT_INITRD, 'i', "initrd", 1 },
	{ OPT_PARAMS, 'p', "params", 1 },
	{ OPT_PARAMS, 0, "cmdline", 1 },
	{ OPT_MEM, 'm', "mem", 1 },
	{ OPT_CPUS, 'c', "cpus", 1 },
	{ OPT_REBOOT, 0, "reboot", 1 },
	{ OPT_DUMP_DTB, 0, "dump-dtb", 1 },
	{ OPT_KVM, 0, "kvm", 1 },
	{ OPT_RAS_POLICY, 0, "ras-policy", 1 },
	{ OPT_RAS, 0, "ras", 1 },
	{ OPT_RAS_EVENTS, 0, "ras-events", 1 },
	{ OPT_RAS_LEDGER, 0, "ras-ledger", 1 },
	{ OPT_DUMP_GUEST_CORE, 0, "dump-guest-core", 0 },
	{ OPT_API_SOCKET, 0, "api-socket", 1 },
	{ OPT_ALLOW_INJECT, 0, "allow-inject", 1 },
	{ OPT_CONSOLE, 0, "console", 1 },
	{ OPT_DISK, 'd', "disk", 1 },
	{ OPT_NET, 0, "net", 1 },
	{ OPT_RNG, 0, "rng", 0 },
	{ OPT_VIRTIO_PORT, 0, "virtio-port", 1 },
	{ OPT_AGENT, 0, "agent", 0 },
	{ OPT_SECCOMP, 0, "seccomp", 1 },
	{ OPT_HELP, 'h', "help", 0 },
};

static int opt_error(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int opt_error(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* Finds the option argv[*i] names and its value (inline or the next word). */
static const struct opt_def *opt_lookup(int argc, char **argv, int *i, const char **val, char *err,
					size_t errlen)
{
	const char *a = argv[*i], *eq = NULL;
	const struct opt_def *d = NULL;
	size_t n;

	*val = NULL;
	if (a[0] == '-' && a[1] == '-') {
		eq = strchr(a + 2, '=');
		n = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
		for (size_t k = 0; k < sizeof(opt_defs) / sizeof(opt_defs[0]); k++)
			if (strlen(opt_defs[k].long_name) == n &&
			    !strncmp(opt_defs[k].long_name, a + 2, n))
				d = &opt_defs[k];
		if (eq)
			*val = eq + 1;
	} else if (a[0] == '-' && a[1]) {
		for (size_t k = 0; k < sizeof(opt_defs) / sizeof(opt_defs[0]); k++)
			if (opt_defs[k].short_name == a[1])
				d = &opt_defs[k];
		if (d && a[2])
			*val = a + 2;
	}
	if (!d) {
		opt_error(err, errlen, "unknown option '%s'; see 'seavmm run --help'", a);
		return NULL;
	}
	if (!d->has_arg && *val) {
		opt_error(err, errlen, "option '%s' takes no value", a);
		return NULL;
	}
	if (d->has_arg && !*val) {
		if (*i + 1 >= argc) {
			opt_error(err, errlen, "option '%s' needs a value; see 'seavmm run --help'",
				  a);
			return NULL;
		}
		*val = argv[++*i];
	}
	return d;
}

static int opt_parse_mem(const char *v, uint64_t *out, char *err, size_t errlen)
{
	int ret = size_parse(v, 20, out);
	unsigned long long down, up;

	if (ret == -EINVAL)
		return opt_error(err, errlen, "--mem '%s' is not a size; use e.g. 512M or 2G", v);
	if (ret < 0 || *out > RUN_MEM_MAX)
		return opt_error(err, errlen,
				 "--mem %s is too large; arm64 guests can have at most %llu GiB", v,
				 (unsigned long long)(RUN_MEM_MAX >> 30));
	if (*out < RUN_MEM_MIN)
		return opt_error(err, errlen, "--mem %s is too small; give at least %llu M", v,
				 (unsigned long long)(RUN_MEM_MIN >> 20));
	/* Suggestions either side, in whole 2 MiB blocks. */
	down = (*out & ~(RUN_MEM_ALIGN - 1)) >> 20;
	up = down + (RUN_MEM_ALIGN >> 20);
	/* KVM maps RAM in whole pages. */
	if (*out % RUN_MEM_PAGE)
		return opt_error(err, errlen,
				 "--mem %s is not a whole number of 4K pages; give e.g. %lluM or "
				 "%lluM",
				 v, down, up);
	/* The device tree takes the last 2 MiB block, which must be a whole one. */
	if (*out % RUN_MEM_ALIGN)
		return opt_error(err, errlen,
				 "--mem %s is not a multiple of 2M; give e.g. %lluM or %lluM", v,
				 down, up);
	return 0;
}

static int opt_parse_cpus(const char *v, unsigned int *out, char *err, size_t errlen)
{
	uint64_t n;

	/* Only plain digits: size_parse with shift 0 and no suffix letter. */
	if (strpbrk(v, "KkMmGgTtBb") || size_parse(v, 0, &n) < 0)
		return opt_error(err, errlen, "--cpus '%s' is not a number", v);
	if (n == 0)
		return opt_error(err, errlen, "--cpus 0: a guest needs at least one vCPU");
	if (n > 4096)
		return opt_error(err, errlen, "--cpus %s is more than KVM/arm64 allows", v);
	*out = (unsigned int)n;
	return 0;
}

static int opt_apply(struct run_opts *o, enum opt_id id, const char *v, char *err, size_t errlen)
{
	switch (id) {
	case OPT_KERNEL:
		o->kernel = v;
		return 0;
	case OPT_INITRD:
		o->initrd = v;
		return 0;
	case OPT_PARAMS:
		o->cmdline = v;
		return 0;
	case OPT_DUMP_DTB:
		o->dump_dtb = v;
		return 0;
	case OPT_KVM:
		o->kvm_path = v;
		return 0;
	case OPT_MEM:
		return opt_parse_mem(v, &o->mem_size, err, errlen);
	case OPT_CPUS:
		return opt_parse_cpus(v, &o->ncpus, err, errlen);
	case OPT_REBOOT:
		if (!strcmp(v, "restart"))
			o->reboot = REBOOT_RESTART;
		else if (!strcmp(v, "exit"))
			o->reboot = REBOOT_EXIT;
		else
			return opt_error(err, errlen,
					 "--reboot '%s': use --reboot=restart or --reboot=exit", v);
		return 0;
	case OPT_RAS_POLICY:
		o->ras_policy = v;
		return 0;
	case OPT_RAS:
		if (o->n_ras == RUN_RAS_MAX)
			return opt_error(err, errlen,
					 "more than %d --ras flags; put the settings in a "
					 "--ras-policy file",
					 RUN_RAS_MAX);
		o->ras[o->n_ras++] = v;
		return 0;
	case OPT_RAS_EVENTS:
		o->ras_events = v;
		return 0;
	case OPT_RAS_LEDGER:
		o->ras_ledger = v;
		return 0;
	case OPT_DUMP_GUEST_CORE:
		o->dump_guest_core = true;
		return 0;
	case OPT_API_SOCKET:
		if (!*v)
			return opt_error(err, errlen, "--api-socket needs a path");
		o->api_socket = v;
		return 0;
	case OPT_ALLOW_INJECT:
		if (!strcmp(v, "emulator"))
			o->allow_inject = INJECT_EMULATOR;
		else if (!strcmp(v, "einj"))
			o->allow_inject = INJECT_EINJ;
		else
			return opt_error(err, errlen,
					 "--allow-inject '%s': use --allow-inject=emulator (the "
					 "seavmm test platform) or --allow-inject=einj (ACPI EINJ)",
					 v);
		return 0;
	case OPT_CONSOLE:
		return virtio_opts_apply(&o->virtio, VIRTIO_FLAG_CONSOLE, v, err, errlen);
	case OPT_DISK:
		return virtio_opts_apply(&o->virtio, VIRTIO_FLAG_DISK, v, err, errlen);
	case OPT_NET:
		return virtio_opts_apply(&o->virtio, VIRTIO_FLAG_NET, v, err, errlen);
	case OPT_RNG:
		return virtio_opts_apply(&o->virtio, VIRTIO_FLAG_RNG, v, err, errlen);
	case OPT_VIRTIO_PORT:
		return virtio_opts_apply(&o->virtio, VIRTIO_FLAG_PORT, v, err, errlen);
	case OPT_AGENT:
		o->agent = true;
		/* The port lives on the virtio console: it exists with the agent. */
		o->virtio.console_device = true;
		return 0;
	case OPT_SECCOMP:
		if (strcmp(v, "on") && strcmp(v, "off"))
			return opt_error(err, errlen,
					 "--seccomp '%s': use --seccomp on or --seccomp off", v);
		o->seccomp = !strcmp(v, "on");
		return 0;
	case OPT_HELP:
		return RUN_OPTS_HELP;
	}
	return -EINVAL;
}

int run_opts_parse(int argc, char **argv, struct run_opts *o, char *err, size_t errlen)
{
	*o = (struct run_opts){
		.mem_size = RUN_MEM_DEFAULT,
		.ncpus = RUN_CPUS_DEFAULT,
		.reboot = REBOOT_RESTART,
		.kvm_path = "/dev/kvm",
		.seccomp = true,
	};
	err[0] = '\0';
	for (int i = 1; i < argc; i++) {
		const struct opt_def *d;
		const char *v;
		int ret;

		if (argv[i][0] != '-')
			return opt_error(err, errlen,
					 "unexpected argument '%s'; the kernel goes after --kernel",
					 argv[i]);
		d = opt_lookup(argc, argv, &i, &v, err, errlen);
		if (!d)
			return -EINVAL;
		ret = opt_apply(o, d->id, v, err, errlen);
		if (ret)
			return ret;
	}
	for (unsigned int i = 0; o->agent && i < o->virtio.nr_ports; i++)
		if (!strcmp(o->virtio.ports[i].name, AGENT_PORT_NAME))
			return opt_error(err, errlen,
					 "--agent and --virtio-port %s both want that port; drop "
					 "one (--virtio-port gives it to a program on a socket)",
					 AGENT_PORT_NAME);
	if (!o->cmdline)
		o->cmdline = o->virtio.console == CONSOLE_VIRTIO ? "console=hvc0" : "console=ttyS0";
	if (!o->kernel)
		return opt_error(err, errlen,
				 "no kernel given; use --kernel IMAGE (see 'seavmm run --help')");
	if (o->allow_inject != INJECT_NONE && !o->api_socket)
		return opt_error(err, errlen,
				 "--allow-inject needs --api-socket PATH: inject-poison is a "
				 "control-socket request");
	return RUN_OPTS_OK;
}
