// SPDX-License-Identifier: GPL-2.0-only
/*
 * seavmm run: boots an arm64 Linux guest. Start-up checks everything the user
 * gave before touching KVM, then builds the VM, then boots it as many times as
 * the guest reboots (--reboot=restart).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "api.h"
#include "boot.h"
#include "commands.h"
#include "console.h"
#include "fault.h"
#include "ledger.h"
#include "opts.h"
#include "ras_config.h"
#include "sea_report.h"
#include "seccomp.h"
#include "sigbus.h"
#include "term.h"
#include "util.h"
#include "vcpu.h"
#include "vm.h"

/* Exit status for how the guest stopped; see docs/usage.md. */
static int run_exit_status(enum vm_stop_reason reason)
{
	switch (reason) {
	case VM_STOP_POWEROFF:
	case VM_STOP_RESET: /* only reaches here with --reboot=exit */
	case VM_STOP_QUIT:
	case VM_STOP_API_STOP:
		return EXIT_OK;
	case VM_STOP_RAS_STOP:
		return EXIT_RAS_STOP;
	default:
		return EXIT_RUNTIME;
	}
}

/* Boots the loaded guest as many times as it restarts; returns the exit status. */
static int run_guest_boots(struct vm *vm, const struct run_opts *opts)
{
	enum vm_stop_reason reason;

	for (;;) {
		reason = vm_run(vm);
		/*
		 * --reboot says what a reset the guest asks for does. A restart
		 * the memory-error policy decides is the operator's chosen way
		 * to recover (they would have chosen stop otherwise), so it
		 * restarts even with --reboot=exit.
		 */
		if (reason == VM_STOP_RAS_RESTART)
			pr_info("restarting the guest, as the memory-error policy decided "
				"(see the event above)");
		else if (reason == VM_STOP_API_RESTART)
			pr_info("restarting the guest, as a control-socket request asked");
		else if (reason != VM_STOP_RESET || opts->reboot == REBOOT_EXIT)
			break;
		if (vm_reset(vm) < 0 || boot_load(vm) < 0) {
			pr_err("cannot restart the guest after its reset; stopping");
			return EXIT_RUNTIME;
		}
		api_note_boot(vm, reason == VM_STOP_RAS_RESTART	  ? API_BOOT_RAS_POLICY
				  : reason == VM_STOP_API_RESTART ? API_BOOT_API
								  : API_BOOT_GUEST_RESET);
	}
	if (reason == VM_STOP_QUIT)
		pr_info("quit (console escape Ctrl-a x)");
	else if (reason == VM_STOP_RESET)
		pr_info("the guest reset; exiting as --reboot=exit asks");
	else if (reason == VM_STOP_API_STOP)
		pr_info("stopped the guest, as a control-socket request asked");
	else if (reason == VM_STOP_RAS_STOP)
		pr_info("stopped the guest, as the memory-error policy decided (see the event "
			"above); exit status %d",
			EXIT_RAS_STOP);
	return run_exit_status(reason);
}

static int run_guest(struct vm *vm, const struct run_opts *opts)
{
	struct console console;
	int ret, status;

	ret = boot_load(vm);
	if (ret < 0)
		return EXIT_RUNTIME;
	ret = api_start(vm);
	if (ret < 0) {
		pr_err("cannot start the control socket's thread: %s", strerror(-ret));
		return EXIT_RUNTIME;
	}
	api_note_boot(vm, API_BOOT_FIRST);
	ret = console_start(&console, vm, STDIN_FILENO, term_raw_enter(STDIN_FILENO));
	if (ret < 0) {
		pr_err("cannot start the console thread: %s", strerror(-ret));
		return EXIT_RUNTIME;
	}
	/*
	 * Start-up is over: from here on, and in the vCPU threads started from
	 * here. The console thread, started before, has only its own filter.
	 */
	if (opts->seccomp) {
		ret = seccomp_enter(SECCOMP_MAIN);
		if (ret < 0) {
			pr_err("cannot install the seccomp filter: %s; --seccomp off runs without "
			       "it",
			       strerror(-ret));
			vm_request_stop(vm, VM_STOP_ERROR);
			console_stop(&console);
			return EXIT_RUNTIME;
		}
	}
	status = run_guest_boots(vm, opts);
	/* console lives on this stack and reads the VM: its thread ends first. */
	console_stop(&console);
	return status;
}

int cmd_run(int argc, char **argv)
{
	struct run_opts opts;
	struct vm vm = { .sea.events_fd = -1, .sea.ledger_fd = -1 };
	char err[512];
	int ret, status, ledger_lock_fd = -1;

	ret = run_opts_parse(argc, argv, &opts, err, sizeof(err));
	if (ret == RUN_OPTS_HELP) {
		fputs(run_opts_usage, stdout);
		return EXIT_OK;
	}
	if (ret < 0) {
		fprintf(stderr, "seavmm run: %s\n", err);
		return EXIT_USAGE;
	}
	ret = ras_config_load(&opts, &vm.ras_policy, err, sizeof(err));
	if (ret < 0) {
		fprintf(stderr, "seavmm run: %s\n", err);
		return EXIT_USAGE;
	}
	if (opts.ras_events) {
		ret = sea_events_open(opts.ras_events, err, sizeof(err));
		if (ret < 0) {
			fprintf(stderr, "seavmm run: %s\n", err);
			return EXIT_USAGE;
		}
		vm.sea.events_fd = ret;
	}
	if (opts.ras_ledger) {
		ret = ledger_open(opts.ras_ledger, err, sizeof(err));
		if (ret < 0) {
			fprintf(stderr, "seavmm run: %s\n", err);
			return EXIT_USAGE;
		}
		vm.sea.ledger_fd = ret;
		/*
		 * Before anything reads or writes it (opening only created it);
		 * held until this process exits, however it ends.
		 */
		ledger_lock_fd = ledger_lock(opts.ras_ledger, err, sizeof(err));
		if (ledger_lock_fd < 0) {
			fprintf(stderr, "seavmm run: %s\n", err);
			return EXIT_USAGE;
		}
	}
	/* Before the SIGBUS handler: opening the emulator's injector catches its own. */
	ret = poison_inject_open(&vm.pinj, opts.allow_inject, err, sizeof(err));
	if (ret < 0) {
		fprintf(stderr, "seavmm run: %s\n", err);
		return EXIT_USAGE;
	}
	/* A closed console pipe must not kill the VM: output is dropped instead. */
	signal(SIGPIPE, SIG_IGN);
	/* A file size limit fails the append (cut back, reported) instead of killing. */
	signal(SIGXFSZ, SIG_IGN);
	/* Host memory errors: before any thread exists, so every one inherits early kill. */
	if (sigbus_install() < 0)
		die(EXIT_RUNTIME, "cannot install the SIGBUS handler for host memory errors");
	if (boot_prepare(&vm, &opts) < 0)
		return EXIT_USAGE;
	if (fault_handler_install() < 0)
		die(EXIT_RUNTIME, "cannot install the handler for seavmm's own faults");
	if (vcpu_kick_signal_install() < 0)
		die(EXIT_RUNTIME, "cannot install the vCPU kick signal handler");
	if (opts.seccomp && !seccomp_supported()) {
		/* Skipped, and said: a kernel built without seccomp filters. */
		pr_err("this kernel has no seccomp filters (CONFIG_SECCOMP_FILTER): seavmm runs "
		       "without them, as with --seccomp off");
		opts.seccomp = false;
	}
	if (opts.seccomp && seccomp_handler_install() < 0)
		die(EXIT_RUNTIME, "cannot install the SIGSYS handler for the seccomp filter");
	if (opts.api_socket) {
		ret = api_open(&vm, opts.api_socket, err, sizeof(err));
		if (ret < 0) {
			fprintf(stderr, "seavmm run: %s\n", err);
			poison_inject_close(&vm.pinj);
			return EXIT_USAGE;
		}
	}
	ret = vm_setup(&vm, &opts);
	if (ret == -EINVAL)
		status = EXIT_USAGE;
	else if (ret < 0)
		status = EXIT_RUNTIME;
	else
		status = run_guest(&vm, &opts);
	/* The API thread reads the VM: it ends first. */
	api_close(&vm);
	term_restore();
	vm_destroy(&vm);
	/* After vm_destroy closed the ledger: nothing appends to it any more. */
	if (ledger_lock_fd >= 0)
		close(ledger_lock_fd);
	return status;
}
