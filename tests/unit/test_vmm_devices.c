// SPDX-License-Identifier: GPL-2.0-only
/*
 * The MMIO bus, the 16550 UART register model and the console escape: what
 * a guest (untrusted) or a user can drive them into.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../devices/mmio_bus.h"
#include "../../devices/outq.h"
#include "../../devices/uart_16550.h"
#include "../../vmm/core/console.h"

struct rec {
	uint64_t off;
	uint32_t len;
	bool write;
	int calls;
};

static void rec_access(void *opaque, uint64_t off, uint8_t *data, uint32_t len, bool is_write)
{
	struct rec *r = opaque;

	r->off = off;
	r->len = len;
	r->write = is_write;
	r->calls++;
	if (!is_write)
		memset(data, 0xab, len);
}

static void test_mmio_bus_dispatch(void **state)
{
	struct mmio_bus bus = { 0 };
	struct rec r = { 0 };
	struct mmio_device d = {
		.base = 0x1000, .size = 0x100, .access = rec_access, .opaque = &r
	};
	uint8_t data[8] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

	(void)state;
	assert_int_equal(mmio_bus_register(&bus, &d), 0);
	d.base = 0x10f8;
	assert_int_equal(mmio_bus_register(&bus, &d), -EBUSY);
	d.base = 0xfff;
	d.size = 2;
	assert_int_equal(mmio_bus_register(&bus, &d), -EBUSY);
	d.size = 0;
	assert_int_equal(mmio_bus_register(&bus, &d), -EINVAL);
	d.base = UINT64_MAX - 1;
	d.size = 4;
	assert_int_equal(mmio_bus_register(&bus, &d), -EINVAL);

	assert_int_equal(mmio_bus_access(&bus, 0x1004, data, 4, false), 0);
	assert_int_equal(r.calls, 1);
	assert_true(r.off == 4);
	assert_int_equal(data[0], 0xab);
	assert_int_equal(mmio_bus_access(&bus, 0x10f8, data, 8, true), 0);
	assert_true(r.write);
	/* Straddling the end, odd lengths, unbacked: never reach the device. */
	assert_int_equal(mmio_bus_access(&bus, 0x10fc, data, 8, false), -ENODEV);
	assert_int_equal(data[0], 0);
	assert_int_equal(mmio_bus_access(&bus, 0x1000, data, 3, false), -ENODEV);
	assert_int_equal(mmio_bus_access(&bus, UINT64_MAX - 3, data, 8, false), -ENODEV);
	assert_int_equal(mmio_bus_access(&bus, 0x0, data, 4, true), -ENODEV);
	assert_int_equal(r.calls, 2);
}

struct uart_env {
	struct uart_16550 u;
	int pipefd[2], efd;
	int irq_changes;
	bool irq;
};

static void uart_irq(void *ctx, bool level)
{
	struct uart_env *e = ctx;

	e->irq = level;
	e->irq_changes++;
}

static uint8_t rd(struct uart_env *e, unsigned int reg)
{
	uint8_t v = 0x55;

	uart_16550_mmio(&e->u, reg, &v, 1, false);
	return v;
}

static void wr(struct uart_env *e, unsigned int reg, uint8_t v)
{
	uart_16550_mmio(&e->u, reg, &v, 1, true);
}

static int uart_setup(void **state)
{
	static struct uart_env e;

	memset(&e, 0, sizeof(e));
	if (pipe(e.pipefd) < 0)
		return -1;
	e.efd = eventfd(0, EFD_NONBLOCK);
	uart_16550_init(&e.u, e.pipefd[1], e.efd, uart_irq, &e);
	*state = &e;
	return 0;
}

static int uart_teardown(void **state)
{
	struct uart_env *e = *state;

	close(e->pipefd[0]);
	close(e->pipefd[1]);
	close(e->efd);
	return 0;
}

static void test_uart_output_and_thre(void **state)
{
	struct uart_env *e = *state;
	char buf[8];

	wr(e, 0, 'h');
	wr(e, 0, 'i');
	assert_int_equal(read(e->pipefd[0], buf, sizeof(buf)), 2);
	assert_memory_equal(buf, "hi", 2);
	assert_int_equal(rd(e, 5) & 0x60, 0x60); /* THRE | TEMT */
	assert_false(e->irq);
	/* Enabling the THR-empty interrupt raises it; reading IIR acknowledges it. */
	wr(e, 1, 0x02);
	assert_true(e->irq);
	assert_int_equal(rd(e, 2) & 0x0f, 0x02);
	assert_false(e->irq);
	assert_int_equal(rd(e, 2) & 0x0f, 0x01);
	/* Linux's THRE test: re-enabling re-arms it. */
	wr(e, 1, 0);
	wr(e, 1, 0x02);
	assert_int_equal(rd(e, 2) & 0x0f, 0x02);
	wr(e, 1, 0);
}

static void test_uart_registers(void **state)
{
	struct uart_env *e = *state;
	uint8_t v[8] = { 0 };

	wr(e, 7, 0x5a);
	assert_int_equal(rd(e, 7), 0x5a);
	wr(e, 3, 0x80); /* DLAB: divisor latch at 0 and 1 */
	wr(e, 0, 0x34);
	wr(e, 1, 0x12);
	assert_int_equal(rd(e, 0), 0x34);
	assert_int_equal(rd(e, 1), 0x12);
	wr(e, 3, 0x03);
	wr(e, 1, 0xff);
	assert_int_equal(rd(e, 1), 0x0f);
	wr(e, 1, 0);
	/* FIFO enabled shows in IIR; loopback drives MSR from MCR. */
	wr(e, 2, 0x01);
	assert_int_equal(rd(e, 2), 0xc1);
	wr(e, 4, 0x1a);
	assert_int_equal(rd(e, 6) & 0xf0, 0x90);
	wr(e, 4, 0);
	/* Wide or out-of-range accesses: read 0, change nothing. */
	uart_16550_mmio(&e->u, 0, v, 4, false);
	assert_int_equal(v[0] | v[1] | v[2] | v[3], 0);
	uart_16550_mmio(&e->u, 0x800, v, 1, true);
	uart_16550_mmio(&e->u, 0x800, v, 1, false);
	assert_int_equal(v[0], 0);
}

static void test_uart_input_gated_on_rx_interrupt(void **state)
{
	struct uart_env *e = *state;
	uint8_t in[20];
	uint64_t cnt;

	memset(in, 'a', sizeof(in));
	/* No driver listening: input waits instead of being lost. */
	assert_int_equal(uart_16550_receive(&e->u, in, 3), 0);
	assert_int_equal(rd(e, 5) & 0x01, 0);
	wr(e, 1, 0x01); /* RDI on: the waiting console is told */
	assert_int_equal(read(e->efd, &cnt, sizeof(cnt)), (ssize_t)sizeof(cnt));
	assert_int_equal(uart_16550_receive(&e->u, in, sizeof(in)), UART_16550_FIFO_SIZE);
	assert_true(e->irq);
	assert_int_equal(rd(e, 2) & 0x0f, 0x04);
	assert_int_equal(rd(e, 5) & 0x01, 0x01);
	assert_int_equal(rd(e, 0), 'a');
	/* A byte of room: the console is told again. */
	assert_int_equal(read(e->efd, &cnt, sizeof(cnt)), (ssize_t)sizeof(cnt));
	for (int i = 1; i < UART_16550_FIFO_SIZE; i++)
		rd(e, 0);
	assert_int_equal(rd(e, 5) & 0x01, 0);
	assert_false(e->irq);
	assert_int_equal(rd(e, 0), 0); /* empty FIFO reads 0 */
	uart_16550_reset(&e->u);
	assert_int_equal(rd(e, 1), 0);
}

static void test_console_escape(void **state)
{
	struct console_escape esc = { 0 };
	uint8_t out[32];
	bool quit;
	size_t n;

	(void)state;
	n = console_escape_filter(&esc, (const uint8_t *)"ab", 2, out, &quit);
	assert_int_equal(n, 2);
	assert_false(quit);
	/* Ctrl-a Ctrl-a sends one Ctrl-a; Ctrl-a y sends both. */
	n = console_escape_filter(&esc, (const uint8_t *)"\001\001\001y", 4, out, &quit);
	assert_int_equal(n, 3);
	assert_memory_equal(out, "\001\001y", 3);
	/* Ctrl-a x quits, split across reads too; what follows is dropped. */
	n = console_escape_filter(&esc, (const uint8_t *)"z\001", 2, out, &quit);
	assert_int_equal(n, 1);
	assert_false(quit);
	n = console_escape_filter(&esc, (const uint8_t *)"xrest", 5, out, &quit);
	assert_int_equal(n, 0);
	assert_true(quit);
}

struct flood {
	struct uart_env *e;
	size_t n;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool done;
};

static void *flood_thread(void *arg)
{
	struct flood *f = arg;

	for (size_t i = 0; i < f->n; i++)
		wr(f->e, 0, (uint8_t)('a' + i % 26));
	pthread_mutex_lock(&f->lock);
	f->done = true;
	pthread_cond_signal(&f->cond);
	pthread_mutex_unlock(&f->lock);
	return NULL;
}

/*
 * Standard output a full pipe nobody reads: the guest's UART writes return
 * anyway (the vCPU is free to stop, reset or quit), the overflow is dropped
 * and counted, and what was kept comes out in order once the reader reads.
 * (The 10 s limit only tells a hang from a pass; it measures nothing.)
 */
static void test_uart_full_pipe(void **state)
{
	struct uart_env *e = *state;
	struct flood f = { .e = e, .n = 3 * OUTQ_SIZE, .done = false };
	struct timespec deadline;
	char buf[4096];
	size_t got = 0, skipped = 0;
	pthread_t th;
	ssize_t n;
	int flags;

	/* Fill the pipe, then make it the blocking descriptor stdout would be. */
	flags = fcntl(e->pipefd[1], F_GETFL);
	fcntl(e->pipefd[1], F_SETFL, flags | O_NONBLOCK);
	memset(buf, '-', sizeof(buf));
	while (write(e->pipefd[1], buf, sizeof(buf)) > 0)
		skipped += sizeof(buf);
	while (write(e->pipefd[1], buf, 1) > 0)
		skipped++;
	fcntl(e->pipefd[1], F_SETFL, flags);

	pthread_mutex_init(&f.lock, NULL);
	pthread_cond_init(&f.cond, NULL);
	assert_int_equal(pthread_create(&th, NULL, flood_thread, &f), 0);
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += 10;
	pthread_mutex_lock(&f.lock);
	while (!f.done && pthread_cond_timedwait(&f.cond, &f.lock, &deadline) == 0)
		;
	pthread_mutex_unlock(&f.lock);
	if (!f.done) {
		/* Unblock the writer so the process can end, then fail. */
		fcntl(e->pipefd[0], F_SETFL, fcntl(e->pipefd[0], F_GETFL) | O_NONBLOCK);
		for (bool done = false; !done; usleep(1000)) {
			while (read(e->pipefd[0], buf, sizeof(buf)) > 0)
				;
			pthread_mutex_lock(&f.lock);
			done = f.done;
			pthread_mutex_unlock(&f.lock);
		}
		pthread_join(th, NULL);
		fail_msg("the UART blocked on a full output pipe");
	}
	pthread_join(th, NULL);
	/* The UART register side still answers: THR empty, as always. */
	assert_int_equal(rd(e, 5) & 0x60, 0x60);

	/* The reader comes back: the pipe's old bytes, then the queue, in order. */
	fcntl(e->pipefd[0], F_SETFL, fcntl(e->pipefd[0], F_GETFL) | O_NONBLOCK);
	for (bool left = true, read_some = true; left || read_some;) {
		left = uart_16550_tx_drain(&e->u);
		read_some = false;
		while ((n = read(e->pipefd[0], buf, sizeof(buf))) > 0) {
			read_some = true;
			for (ssize_t i = 0; i < n; i++, got++) {
				if (got < skipped)
					assert_int_equal(buf[i], '-');
				else
					assert_int_equal(buf[i], 'a' + (got - skipped) % 26);
			}
		}
	}
	assert_int_equal(got - skipped, OUTQ_SIZE);
	assert_int_equal(uart_16550_tx_finish(&e->u, 0), f.n - OUTQ_SIZE);
	pthread_mutex_destroy(&f.lock);
	pthread_cond_destroy(&f.cond);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mmio_bus_dispatch),
		cmocka_unit_test_setup_teardown(test_uart_output_and_thre, uart_setup,
						uart_teardown),
		cmocka_unit_test_setup_teardown(test_uart_registers, uart_setup, uart_teardown),
		cmocka_unit_test_setup_teardown(test_uart_input_gated_on_rx_interrupt, uart_setup,
						uart_teardown),
		cmocka_unit_test_setup_teardown(test_uart_full_pipe, uart_setup, uart_teardown),
		cmocka_unit_test(test_console_escape),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
