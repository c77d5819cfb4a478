// SPDX-License-Identifier: GPL-2.0-only
#include "uart_16550.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

/* Register offsets and bits: the 16550A data sheet (and linux/serial_reg.h). */
enum {
	UART_RBR_THR_DLL = 0,
	UART_IER_DLM = 1,
	UART_IIR_FCR = 2,
	UART_LCR = 3,
	UART_MCR = 4,
	UART_LSR = 5,
	UART_MSR = 6,
	UART_SCR = 7,
};
#define UART_IER_RDI	  0x01
#define UART_IER_THRI	  0x02
#define UART_IER_MASK	  0x0f
#define UART_IIR_NO_INT	  0x01
#define UART_IIR_THRI	  0x02
#define UART_IIR_RDI	  0x04
#define UART_IIR_FIFO_ON  0xc0
#define UART_FCR_ENABLE	  0x01
#define UART_FCR_CLEAR_RX 0x02
#define UART_LCR_DLAB	  0x80
#define UART_MCR_LOOP	  0x10
#define UART_LSR_DR	  0x01
#define UART_LSR_THRE	  0x20
#define UART_LSR_TEMT	  0x40
#define UART_MSR_CTS	  0x10
#define UART_MSR_DSR	  0x20
#define UART_MSR_DCD	  0x80

void uart_16550_init(struct uart_16550 *u, int out_fd, int rx_notify_fd,
		     void (*set_irq)(void *, bool), void *irq_ctx)
{
	memset(u, 0, sizeof(*u));
	pthread_mutex_init(&u->lock, NULL);
	/* One eventfd for the console thread: room for input, output waiting. */
	outq_init(&u->out, out_fd, rx_notify_fd);
	u->rx_notify_fd = rx_notify_fd;
	u->set_irq = set_irq;
	u->irq_ctx = irq_ctx;
	uart_16550_reset(u);
}

void uart_16550_reset(struct uart_16550 *u)
{
	pthread_mutex_lock(&u->lock);
	u->ier = u->lcr = u->mcr = u->scr = u->fcr = 0;
	u->dll = 12; /* 9600 baud at the 1.8432 MHz clock */
	u->dlm = 0;
	u->thre_pending = false;
	u->rx_head = u->rx_count = 0;
	if (u->irq_level && u->set_irq)
		u->set_irq(u->irq_ctx, false);
	u->irq_level = false;
	pthread_mutex_unlock(&u->lock);
}

static uint8_t uart_iir(const struct uart_16550 *u)
{
	uint8_t iir = UART_IIR_NO_INT;

	if ((u->ier & UART_IER_RDI) && u->rx_count)
		iir = UART_IIR_RDI;
	else if ((u->ier & UART_IER_THRI) && u->thre_pending)
		iir = UART_IIR_THRI;
	return iir | ((u->fcr & UART_FCR_ENABLE) ? UART_IIR_FIFO_ON : 0);
}

static uint8_t uart_msr(const struct uart_16550 *u)
{
	uint8_t m = u->mcr;

	if (!(m & UART_MCR_LOOP))
		return UART_MSR_DCD | UART_MSR_DSR | UART_MSR_CTS;
	/* Loopback: DTR->DSR, RTS->CTS, OUT1->RI, OUT2->DCD. */
	return (uint8_t)((m & 0x01) << 5 | (m & 0x02) << 3 | (m & 0x04) << 4 | (m & 0x08) << 4);
}

static void uart_update_irq(struct uart_16550 *u)
{
	bool level = !(uart_iir(u) & UART_IIR_NO_INT);

	if (level != u->irq_level && u->set_irq)
		u->set_irq(u->irq_ctx, level);
	u->irq_level = level;
}

/* Room for input just appeared: wake the console thread if it waits. */
static void uart_rx_space(struct uart_16550 *u)
{
	uint64_t one = 1;

	if (u->rx_waiter && (u->ier & UART_IER_RDI) && u->rx_count < UART_16550_FIFO_SIZE &&
	    u->rx_notify_fd >= 0) {
		u->rx_waiter = false;
		if (write(u->rx_notify_fd, &one, sizeof(one)) < 0) {
			/* An eventfd only fails when its counter is saturated: already awake. */
		}
	}
}

/* Returns true when c went to the output queue (drain it after unlocking). */
static bool uart_transmit(struct uart_16550 *u, uint8_t c)
{
	if (u->mcr & UART_MCR_LOOP) {
		if (u->rx_count < UART_16550_FIFO_SIZE)
			u->rx[(u->rx_head + u->rx_count++) % UART_16550_FIFO_SIZE] = c;
		return false;
	}
	/* Never blocks: a reader that stops reading loses output, not the VM. */
	outq_put(&u->out, &c, 1);
	return true;
}

static uint8_t uart_read_reg(struct uart_16550 *u, unsigned int reg)
{
	uint8_t v;

	switch (reg) {
	case UART_RBR_THR_DLL:
		if (u->lcr & UART_LCR_DLAB)
			return u->dll;
		if (!u->rx_count)
			return 0;
		v = u->rx[u->rx_head];
		u->rx_head = (u->rx_head + 1) % UART_16550_FIFO_SIZE;
		u->rx_count--;
		uart_rx_space(u);
		return v;
	case UART_IER_DLM:
		return (u->lcr & UART_LCR_DLAB) ? u->dlm : u->ier;
	case UART_IIR_FCR:
		v = uart_iir(u);
		/* Reading IIR acknowledges a THR-empty interrupt. */
		if ((v & 0x0f) == UART_IIR_THRI)
			u->thre_pending = false;
		return v;
	case UART_LCR:
		return u->lcr;
	case UART_MCR:
		return u->mcr;
	case UART_LSR:
		return (u->rx_count ? UART_LSR_DR : 0) | UART_LSR_THRE | UART_LSR_TEMT;
	case UART_MSR:
		return uart_msr(u);
	default:
		return u->scr;
	}
}

/* Returns true when a byte was queued for output. */
static bool uart_write_reg(struct uart_16550 *u, unsigned int reg, uint8_t v)
{
	bool sent;

	switch (reg) {
	case UART_RBR_THR_DLL:
		if (u->lcr & UART_LCR_DLAB) {
			u->dll = v;
			return false;
		}
		sent = uart_transmit(u, v);
		/* The character left at once: THR is empty again. */
		u->thre_pending = true;
		return sent;
	case UART_IER_DLM:
		if (u->lcr & UART_LCR_DLAB) {
			u->dlm = v;
			return false;
		}
		if ((v & UART_IER_THRI) && !(u->ier & UART_IER_THRI))
			u->thre_pending = true;
		u->ier = v & UART_IER_MASK;
		uart_rx_space(u);
		return false;
	case UART_IIR_FCR:
		u->fcr = v;
		if (v & UART_FCR_CLEAR_RX)
			u->rx_head = u->rx_count = 0;
		uart_rx_space(u);
		return false;
	case UART_LCR:
		u->lcr = v;
		return false;
	case UART_MCR:
		u->mcr = v & 0x1f;
		return false;
	case UART_SCR:
		u->scr = v;
		return false;
	default: /* LSR and MSR are read-only */
		return false;
	}
}

void uart_16550_mmio(void *opaque, uint64_t offset, uint8_t *data, uint32_t len, bool is_write)
{
	struct uart_16550 *u = opaque;
	bool sent = false;

	/* Byte registers at offsets 0-7; wider or other accesses read 0 and are ignored. */
	if (len != 1 || offset > UART_SCR) {
		if (!is_write)
			memset(data, 0, len);
		return;
	}
	pthread_mutex_lock(&u->lock);
	if (is_write)
		sent = uart_write_reg(u, (unsigned int)offset, data[0]);
	else
		data[0] = uart_read_reg(u, (unsigned int)offset);
	uart_update_irq(u);
	pthread_mutex_unlock(&u->lock);
	/* Outside the register lock: the console thread may be writing too. */
	if (sent)
		outq_drain(&u->out);
}

bool uart_16550_tx_drain(struct uart_16550 *u)
{
	return outq_drain(&u->out);
}

uint64_t uart_16550_tx_finish(struct uart_16550 *u, int timeout_ms)
{
	return outq_finish(&u->out, timeout_ms);
}

size_t uart_16550_receive(struct uart_16550 *u, const uint8_t *buf, size_t len)
{
	size_t n = 0;

	pthread_mutex_lock(&u->lock);
	if (u->ier & UART_IER_RDI)
		for (; n < len && u->rx_count < UART_16550_FIFO_SIZE; n++)
			u->rx[(u->rx_head + u->rx_count++) % UART_16550_FIFO_SIZE] = buf[n];
	if (n < len)
		u->rx_waiter = true;
	uart_update_irq(u);
	pthread_mutex_unlock(&u->lock);
	return n;
}
