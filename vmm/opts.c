// SPDX-License-Identifier: GPL-2.0-only
#include "opts.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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
		.cmdline = "console=ttyS0",
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
	if (!o->kernel)
		return opt_error(err, errlen,
				 "no kernel given; use --kernel IMAGE (see 'seavmm run --help')");
	return RUN_OPTS_OK;
}
