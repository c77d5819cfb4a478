// SPDX-License-Identifier: GPL-2.0-only
#include "console.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "../../devices/virtio_console.h"
#include "seccomp.h"
#include "util.h"
#include "vm.h"
#include "vm_virtio.h"

#define CONSOLE_BUF 256
/* How long output queued at exit may wait for a slow reader. */
#define CONSOLE_FINISH_MS 2000

/*
 * Waits for input, for room in the UART, and for room in standard output
 * when guest output is queued (the vCPUs never wait for it: devices/outq.h).
 * A terminal is always read, so the escape works even while the guest takes
 * no input; a pipe or file is read only when the pending bytes are gone, so
 * nothing is dropped. At the end of input the thread goes on for the output.
 */
static void *console_thread(void *arg)
{
	struct console *c = arg;
	struct uart_16550 *u = &c->vm->uart;
	uint8_t in[CONSOLE_BUF], pending[3 * CONSOLE_BUF];
	size_t npending = 0;
	bool eof = false;

	pthread_setname_np(pthread_self(), "console");
	/* Started before main's filter: it has none until it installs its own. */
	if (c->vm->opts->seccomp && seccomp_enter(SECCOMP_CONSOLE) < 0)
		pr_err("console: cannot install its seccomp filter; its thread runs without one");
	for (;;) {
		struct pollfd p[4] = { { .fd = c->stop_fd, .events = POLLIN },
				       { .fd = c->room_fd, .events = POLLIN },
				       { .fd = -1, .events = POLLOUT },
				       { .fd = -1, .events = POLLIN } };
		bool read_input;
		uint64_t cnt;

		if (npending) {
			size_t took = c->receive(c->receive_ctx, pending, npending);

			memmove(pending, pending + took, npending - took);
			npending -= took;
		}
		/* A negative fd is skipped by poll(). */
		if (uart_16550_tx_drain(u))
			p[2].fd = u->out.fd;
		read_input = !eof && (c->is_tty || npending == 0);
		if (read_input)
			p[3].fd = c->in_fd;
		if (poll(p, 4, -1) < 0 && errno != EINTR)
			return NULL;
		if (p[0].revents & POLLIN)
			return NULL;
		if (p[1].revents & POLLIN && read(c->room_fd, &cnt, sizeof(cnt)) < 0) {
			/* Already drained by a previous wake-up: nothing to do. */
		}
		if (read_input && (p[3].revents & (POLLIN | POLLHUP | POLLERR))) {
			ssize_t n = read(c->in_fd, in, sizeof(in));
			bool quit = false;

			if (n <= 0) {
				eof = n == 0 || (errno != EINTR && errno != EAGAIN);
				continue;
			}
			if (!c->is_tty) {
				memcpy(pending + npending, in, (size_t)n);
				npending += (size_t)n;
				continue;
			}
			/* A terminal whose guest lags: keep the newest keystrokes. */
			if (npending > CONSOLE_BUF)
				npending = 0;
			npending += console_escape_filter(&c->esc, in, (size_t)n,
							  pending + npending, &quit);
			if (quit) {
				vm_request_stop(c->vm, VM_STOP_QUIT);
				return NULL;
			}
		}
	}
}

static size_t console_to_uart(void *ctx, const uint8_t *buf, size_t len)
{
	return uart_16550_receive(ctx, buf, len);
}

static size_t console_to_virtio(void *ctx, const uint8_t *buf, size_t len)
{
	return virtio_console_receive(ctx, buf, len);
}

int console_start(struct console *c, struct vm *vm, int in_fd, bool is_tty)
{
	struct virtio_console *vc = vm_virtio_console(vm);
	int err;

	memset(c, 0, sizeof(*c));
	c->vm = vm;
	c->in_fd = in_fd;
	c->is_tty = is_tty;
	if (vm->opts->virtio.console == CONSOLE_VIRTIO && vc) {
		c->receive = console_to_virtio;
		c->receive_ctx = vc;
		c->room_fd = vc->in_notify_fd;
	} else {
		c->receive = console_to_uart;
		c->receive_ctx = &vm->uart;
		c->room_fd = vm->uart.rx_notify_fd;
	}
	c->stop_fd = eventfd(0, EFD_CLOEXEC);
	if (c->stop_fd < 0)
		return -errno;
	err = pthread_create(&c->thread, NULL, console_thread, c);
	if (err) {
		close(c->stop_fd);
		return -err;
	}
	return 0;
}

void console_stop(struct console *c)
{
	uint64_t one = 1, dropped;

	/* The thread may have ended already (end of input, quit): join still reaps it. */
	if (write(c->stop_fd, &one, sizeof(one)) < 0) {
		/* Only a saturated counter fails, and that wakes the thread too. */
	}
	pthread_join(c->thread, NULL);
	close(c->stop_fd);
	/* The vCPUs are gone: what is still queued gets a last, bounded chance. */
	dropped = uart_16550_tx_finish(&c->vm->uart, CONSOLE_FINISH_MS);
	if (dropped)
		pr_info("console: %llu bytes of guest output dropped: standard output was not "
			"read fast enough",
			(unsigned long long)dropped);
}
