// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: guest MMIO through the bus (devices/mmio_bus.c) to the
 * devices behind it, the 16550 UART among them. Input: up to four device
 * ranges (base and size, 8 bytes each, registered as a recorder device;
 * registration may refuse them), then accesses of 18 bytes each: address
 * (8), length (1, any value), write flag (1), data (8). Whatever the guest
 * does: an access reaches exactly the device that wholly contains it, with
 * an offset and length inside that device, and everything else reads zero.
 */
#include <fcntl.h>
#include <unistd.h>

#include "../../devices/mmio_bus.h"
#include "../../devices/uart_16550.h"
#include "fuzz_util.h"

#define UART_BASE 0x09000000ULL

struct recorder {
	uint64_t size;
	unsigned int calls;
};

static void rec_access(void *opaque, uint64_t off, uint8_t *data, uint32_t len, bool is_write)
{
	struct recorder *r = opaque;

	CHECK(len == 1 || len == 2 || len == 4 || len == 8);
	CHECK(off < r->size && len <= r->size - off);
	if (!is_write)
		memset(data, 0xa5, len);
	r->calls++;
}

static void irq(void *ctx, bool level)
{
	(void)ctx;
	(void)level;
}

/* The device whose range wholly holds [addr, addr + len), or -1. */
static int owner(const struct mmio_bus *bus, uint64_t addr, uint32_t len)
{
	for (unsigned int i = 0; i < bus->nr; i++) {
		const struct mmio_device *d = &bus->devices[i];

		if (addr >= d->base && addr - d->base < d->size &&
		    len <= d->size - (addr - d->base))
			return (int)i;
	}
	return -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct uart_16550 uart;
	static int null_fd = -1;
	struct recorder rec[4] = { 0 };
	struct mmio_bus bus = { 0 };
	struct mmio_device ud = {
		.base = UART_BASE,
		.size = UART_16550_MMIO_SIZE,
		.access = uart_16550_mmio,
		.opaque = &uart,
		.name = "uart",
	};

	if (null_fd < 0)
		null_fd = open("/dev/null", O_WRONLY);
	uart_16550_init(&uart, null_fd, -1, irq, NULL);
	CHECK(mmio_bus_register(&bus, &ud) == 0);
	for (unsigned int i = 0, n = (unsigned int)fuzz_take(&data, &size, 1) % 5; i < n; i++) {
		struct mmio_device d = { .access = rec_access, .opaque = &rec[i], .name = "rec" };
		unsigned int before = bus.nr;
		int ret;

		d.base = fuzz_take(&data, &size, 8);
		d.size = fuzz_take(&data, &size, 8);
		rec[i].size = d.size;
		ret = mmio_bus_register(&bus, &d);
		CHECK(ret == 0 || ret == -EBUSY || ret == -EINVAL || ret == -ENOSPC);
		CHECK(bus.nr == before + (ret == 0));
		if (!ret)
			CHECK(d.size && d.base + d.size - 1 >= d.base);
	}
	while (size) {
		uint64_t addr = fuzz_take(&data, &size, 8);
		uint32_t len = (uint32_t)fuzz_take(&data, &size, 1);
		bool is_write = fuzz_take(&data, &size, 1) & 1;
		uint8_t buf[256];
		bool len_ok = len == 1 || len == 2 || len == 4 || len == 8;
		int who = len_ok ? owner(&bus, addr, len) : -1, ret;

		memset(buf, 0x5a, sizeof(buf));
		for (unsigned int i = 0; i < 8; i++)
			buf[i] = (uint8_t)fuzz_take(&data, &size, 1);
		ret = mmio_bus_access(&bus, addr, buf, len, is_write);
		CHECK(ret == (who >= 0 ? 0 : -ENODEV));
		if (who < 0 && !is_write && len <= MMIO_ACCESS_MAX)
			for (uint32_t i = 0; i < len; i++)
				CHECK(buf[i] == 0);
		if (len > MMIO_ACCESS_MAX)
			CHECK(buf[len - 1] ==
			      0x5a); /* nothing written past what a guest can access */
	}
	uart_16550_tx_finish(&uart, 0);
	outq_destroy(&uart.out);
	pthread_mutex_destroy(&uart.lock);
	return 0;
}
