/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The console: stdin to the guest's UART, with the escape sequence that quits
 * seavmm when stdin is a terminal: Ctrl-a x. Ctrl-a Ctrl-a sends one Ctrl-a.
 * The same thread writes the UART's output that stdout could not take at once.
 */
#ifndef SEAVMM_CONSOLE_H
#define SEAVMM_CONSOLE_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CONSOLE_ESCAPE_CHAR 0x01 /* Ctrl-a */
#define CONSOLE_QUIT_CHAR   'x'

struct vm;

/* The escape-sequence recogniser, separate so it is easy to reason about. */
struct console_escape {
	bool armed; /* the previous byte was the escape character */
};

/*
 * Filters in[0..len) into out (room for 2 * len bytes): returns the number of
 * bytes for the guest, and sets *quit when the quit sequence was typed (the
 * bytes after it are dropped).
 */
size_t console_escape_filter(struct console_escape *e, const uint8_t *in, size_t len, uint8_t *out,
			     bool *quit);

struct console {
	struct vm *vm;
	int in_fd;
	bool is_tty;
	/* Where input goes: the UART, or port 0 of the virtio console (--console virtio). */
	size_t (*receive)(void *ctx, const uint8_t *buf, size_t len);
	void *receive_ctx;
	int room_fd; /* eventfd the receiver writes when it has room again */
	struct console_escape esc;
	int stop_fd; /* eventfd: console_stop wakes the thread with it */
	pthread_t thread;
};

/* Starts the thread that feeds in_fd to the VM's console device. 0 or -errno. */
int console_start(struct console *c, struct vm *vm, int in_fd, bool is_tty);

/*
 * Ends the console thread and waits for it: after this nothing refers to c or
 * to the VM any more, so both may go away. Then gives guest output still
 * queued up to 2 s to be written, and reports in one line how many bytes of
 * output were dropped in the run, if any.
 */
void console_stop(struct console *c);

#endif
