// SPDX-License-Identifier: GPL-2.0-only
#include "fdt.h"

#include <errno.h>
#include <libfdt.h>
#include <stdio.h>

#define GIC_PHANDLE 1
/* Interrupt specifier cells of the arm,gic bindings. */
#define GIC_SPI		     0
#define GIC_PPI		     1
#define IRQ_TYPE_EDGE_RISING 1
#define IRQ_TYPE_LEVEL_HIGH  4
/* Architected timer PPIs: secure, non-secure physical, virtual, hypervisor. */
static const uint32_t timer_ppis[] = { 13, 14, 11, 10 };

/* libfdt calls return 0 or a negative FDT_ERR_*: keep the first failure. */
#define FDT_TRY(expr)                \
	do {                         \
		int err_ = (expr);   \
		if (err_ < 0)        \
			return err_; \
	} while (0)

static int fdt_prop_cells64(void *fdt, const char *name, const uint64_t *v, unsigned int n)
{
	fdt64_t cells[4];

	for (unsigned int i = 0; i < n && i < 4; i++)
		cells[i] = cpu_to_fdt64(v[i]);
	return fdt_property(fdt, name, cells, (int)(sizeof(cells[0]) * n));
}

static int fdt_begin_node_at(void *fdt, const char *name, uint64_t addr)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%s@%llx", name, (unsigned long long)addr);
	return fdt_begin_node(fdt, buf);
}

static int fdt_add_memory(void *fdt, const struct vm_fdt_desc *d)
{
	const uint64_t reg[] = { d->mem_base, d->mem_size };

	FDT_TRY(fdt_begin_node_at(fdt, "memory", d->mem_base));
	FDT_TRY(fdt_property_string(fdt, "device_type", "memory"));
	FDT_TRY(fdt_prop_cells64(fdt, "reg", reg, 2));
	return fdt_end_node(fdt);
}

static int fdt_add_cpus(void *fdt, const struct vm_fdt_desc *d)
{
	FDT_TRY(fdt_begin_node(fdt, "cpus"));
	FDT_TRY(fdt_property_u32(fdt, "#address-cells", 1));
	FDT_TRY(fdt_property_u32(fdt, "#size-cells", 0));
	for (unsigned int i = 0; i < d->ncpus; i++) {
		uint32_t mpidr = (uint32_t)(d->mpidrs[i] & 0xff00ffffffULL);

		FDT_TRY(fdt_begin_node_at(fdt, "cpu", mpidr));
		FDT_TRY(fdt_property_string(fdt, "device_type", "cpu"));
		FDT_TRY(fdt_property_string(fdt, "compatible", "arm,arm-v8"));
		FDT_TRY(fdt_property_string(fdt, "enable-method", "psci"));
		FDT_TRY(fdt_property_u32(fdt, "reg", mpidr));
		FDT_TRY(fdt_end_node(fdt));
	}
	return fdt_end_node(fdt);
}

static int fdt_add_psci(void *fdt)
{
	static const char compat[] = "arm,psci-0.2\0arm,psci";

	FDT_TRY(fdt_begin_node(fdt, "psci"));
	FDT_TRY(fdt_property(fdt, "compatible", compat, sizeof(compat)));
	FDT_TRY(fdt_property_string(fdt, "method", "hvc"));
	return fdt_end_node(fdt);
}

static int fdt_add_gic(void *fdt, const struct vm_fdt_desc *d)
{
	const uint64_t reg[] = { d->gic_dist_base, d->gic_dist_size, d->gic_cpu_base,
				 d->gic_cpu_size };

	FDT_TRY(fdt_begin_node_at(fdt, "intc", d->gic_dist_base));
	FDT_TRY(fdt_property_string(fdt, "compatible",
				    d->gic_version == 3 ? "arm,gic-v3" : "arm,cortex-a15-gic"));
	FDT_TRY(fdt_property_u32(fdt, "#interrupt-cells", 3));
	FDT_TRY(fdt_property(fdt, "interrupt-controller", NULL, 0));
	FDT_TRY(fdt_prop_cells64(fdt, "reg", reg, 4));
	FDT_TRY(fdt_property_u32(fdt, "phandle", GIC_PHANDLE));
	return fdt_end_node(fdt);
}

static int fdt_add_timer(void *fdt, const struct vm_fdt_desc *d)
{
	fdt32_t irqs[3 * 4];
	/* GICv2 PPI specifiers carry a mask of the CPUs the PPI goes to. */
	uint32_t cpumask = d->gic_version == 2 ? ((1u << d->ncpus) - 1) << 8 : 0;

	for (unsigned int i = 0; i < 4; i++) {
		irqs[3 * i] = cpu_to_fdt32(GIC_PPI);
		irqs[3 * i + 1] = cpu_to_fdt32(timer_ppis[i]);
		irqs[3 * i + 2] = cpu_to_fdt32(cpumask | IRQ_TYPE_LEVEL_HIGH);
	}
	FDT_TRY(fdt_begin_node(fdt, "timer"));
	FDT_TRY(fdt_property_string(fdt, "compatible", "arm,armv8-timer"));
	FDT_TRY(fdt_property(fdt, "interrupts", irqs, sizeof(irqs)));
	FDT_TRY(fdt_property(fdt, "always-on", NULL, 0));
	return fdt_end_node(fdt);
}

static int fdt_add_uart(void *fdt, const struct vm_fdt_desc *d)
{
	const uint64_t reg[] = { d->uart_base, d->uart_size };
	const fdt32_t irq[] = { cpu_to_fdt32(GIC_SPI), cpu_to_fdt32(d->uart_spi),
				cpu_to_fdt32(IRQ_TYPE_LEVEL_HIGH) };

	FDT_TRY(fdt_begin_node_at(fdt, "uart", d->uart_base));
	FDT_TRY(fdt_property_string(fdt, "compatible", "ns16550a"));
	FDT_TRY(fdt_prop_cells64(fdt, "reg", reg, 2));
	FDT_TRY(fdt_property(fdt, "interrupts", irq, sizeof(irq)));
	FDT_TRY(fdt_property_u32(fdt, "clock-frequency", d->uart_clock));
	return fdt_end_node(fdt);
}

/*
 * Edge-triggered: seavmm pulses the line (an irqfd) for each interrupt, and
 * the driver reads InterruptStatus to see why.
 */
static int fdt_add_virtio(void *fdt, const struct vm_fdt_virtio *v)
{
	const uint64_t reg[] = { v->base, v->size };
	const fdt32_t irq[] = { cpu_to_fdt32(GIC_SPI), cpu_to_fdt32(v->spi),
				cpu_to_fdt32(IRQ_TYPE_EDGE_RISING) };

	FDT_TRY(fdt_begin_node_at(fdt, "virtio_mmio", v->base));
	FDT_TRY(fdt_property_string(fdt, "compatible", "virtio,mmio"));
	FDT_TRY(fdt_prop_cells64(fdt, "reg", reg, 2));
	FDT_TRY(fdt_property(fdt, "interrupts", irq, sizeof(irq)));
	FDT_TRY(fdt_property(fdt, "dma-coherent", NULL, 0));
	return fdt_end_node(fdt);
}

static int fdt_add_chosen(void *fdt, const struct vm_fdt_desc *d)
{
	char stdout_path[64];

	snprintf(stdout_path, sizeof(stdout_path), "/uart@%llx", (unsigned long long)d->uart_base);
	FDT_TRY(fdt_begin_node(fdt, "chosen"));
	FDT_TRY(fdt_property_string(fdt, "bootargs", d->bootargs ? d->bootargs : ""));
	FDT_TRY(fdt_property_string(fdt, "stdout-path", stdout_path));
	if (d->initrd_end > d->initrd_start) {
		FDT_TRY(fdt_property_u64(fdt, "linux,initrd-start", d->initrd_start));
		FDT_TRY(fdt_property_u64(fdt, "linux,initrd-end", d->initrd_end));
	}
	FDT_TRY(fdt_property_u64(fdt, "kaslr-seed", d->kaslr_seed));
	FDT_TRY(fdt_property(fdt, "rng-seed", d->rng_seed, sizeof(d->rng_seed)));
	return fdt_end_node(fdt);
}

static int fdt_add_all(void *fdt, const struct vm_fdt_desc *d)
{
	FDT_TRY(fdt_finish_reservemap(fdt));
	FDT_TRY(fdt_begin_node(fdt, ""));
	FDT_TRY(fdt_property_string(fdt, "compatible", "linux,dummy-virt"));
	FDT_TRY(fdt_property_string(fdt, "model", "seavmm"));
	FDT_TRY(fdt_property_u32(fdt, "#address-cells", 2));
	FDT_TRY(fdt_property_u32(fdt, "#size-cells", 2));
	FDT_TRY(fdt_property_u32(fdt, "interrupt-parent", GIC_PHANDLE));
	FDT_TRY(fdt_add_chosen(fdt, d));
	FDT_TRY(fdt_add_memory(fdt, d));
	FDT_TRY(fdt_add_cpus(fdt, d));
	FDT_TRY(fdt_add_psci(fdt));
	FDT_TRY(fdt_add_gic(fdt, d));
	FDT_TRY(fdt_add_timer(fdt, d));
	FDT_TRY(fdt_add_uart(fdt, d));
	for (unsigned int i = 0; i < d->nr_virtio; i++)
		FDT_TRY(fdt_add_virtio(fdt, &d->virtio[i]));
	FDT_TRY(fdt_end_node(fdt));
	return fdt_finish(fdt);
}

int vm_fdt_build(const struct vm_fdt_desc *d, void *buf, size_t bufsize)
{
	int ret;

	if (d->ncpus == 0 || !d->mpidrs || (d->gic_version != 2 && d->gic_version != 3) ||
	    (d->gic_version == 2 && d->ncpus > 8) || bufsize > INT32_MAX)
		return -EINVAL;
	ret = fdt_create(buf, (int)bufsize);
	if (ret == 0)
		ret = fdt_add_all(buf, d);
	if (ret == -FDT_ERR_NOSPACE)
		return -ENOSPC;
	return ret < 0 ? -EINVAL : 0;
}
