/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A 16550A-compatible UART on MMIO (byte registers, reg-shift 0), as Linux's
 * 8250 driver and earlycon=uart8250 expect for "ns16550a". Output goes
 * to a file descriptor through a bounded queue (outq.h) that never blocks
 * the vCPU; input comes from the console thread, which also writes the
 * output the descriptor could not take at once.
 */
#ifndef SEAVMM_UART_16550_H
#define SEAVMM_UART_16550_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "outq.h"

#define UART_16550_MMIO_SIZE 0x1000
#define UART_16550_FIFO_SIZE 16
#define UART_16550_CLOCK     1843200

struct uart_16550 {
	pthread_mutex_t lock; /* vCPU threads and the console thread */
	uint8_t ier, lcr, mcr, scr, dll, dlm, fcr;
	bool thre_pending; /* the "THR empty" interrupt is armed */
	bool irq_level;
	uint8_t rx[UART_16550_FIFO_SIZE];
	unsigned int rx_head, rx_count;
	bool rx_waiter;	  /* input is waiting for space: write rx_notify_fd */
	int rx_notify_fd; /* eventfd, or -1; also written when output waits */
	struct outq out;  /* transmitted bytes on their way to the output fd */
	void (*set_irq)(void *ctx, bool level);
	void *irq_ctx;
};

void uart_16550_init(struct uart_16550 *u, int out_fd, int rx_notify_fd,
		     void (*set_irq)(void *, bool), void *irq_ctx);
/* Back to power-on state (guest reboot); pending input is dropped. */
void uart_16550_reset(struct uart_16550 *u);
/* The mmio_access_fn of the device; opaque is the struct uart_16550. */
void uart_16550_mmio(void *opaque, uint64_t offset, uint8_t *data, uint32_t len, bool is_write);
/*
 * Offers input bytes; returns how many the UART took. It takes none while the
 * guest has receive interrupts off (no driver listening, so bytes typed
 * before the guest is ready wait instead of being flushed by the driver's
 * start-up), and at most what fits the FIFO; when it took fewer than len it
 * writes rx_notify_fd once there is room.
 */
size_t uart_16550_receive(struct uart_16550 *u, const uint8_t *buf, size_t len);
/*
 * Writes the queued output as far as the output fd takes it without
 * blocking; true when bytes are left (poll u->out.fd for POLLOUT and call
 * again). rx_notify_fd is written when output starts to wait.
 */
bool uart_16550_tx_drain(struct uart_16550 *u);
/*
 * At exit: gives the output fd up to timeout_ms to take the rest, drops what
 * is left, and returns the bytes of output dropped since start.
 */
uint64_t uart_16550_tx_finish(struct uart_16550 *u, int timeout_ms);

#endif
