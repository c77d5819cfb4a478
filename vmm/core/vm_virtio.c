// SPDX-License-Identifier: GPL-2.0-only
#include "vm_virtio.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "../../devices/virtio_blk.h"
#include "../../devices/virtio_console.h"
#include "../../devices/virtio_net.h"
#include "../../devices/virtio_rng.h"
#include "gic.h"
#include "kvm.h"
#include "sea.h"
#include "seccomp.h"
#include "tap.h"
#include "util.h"
#include "vm.h"

struct vm_virtio_slot {
	struct vm *vm;
	struct virtio_dev *dev; /* first member of the device model's struct */
	uint64_t base;
	uint32_t spi;
	int irqfd; /* bound to the SPI with KVM_IRQFD, or -1: KVM_IRQ_LINE pulses */
	void (*destroy)(struct virtio_dev *dev);
};

struct vm_virtio {
	struct vm_virtio_slot slot[VM_VIRTIO_MAX];
	unsigned int nr;
	struct guest_ram ram; /* what every device starts from */
	bool no_irqfd, no_ioeventfd;
	struct virtio_console *console;
	unsigned int listening; /* --virtio-port sockets created, in order */
};

static bool vv_known_poisoned(void *ctx, uint64_t gpa)
{
	return sea_gpa_poisoned(ctx, gpa);
}

/* The event line says what the policy did; this one, which device and what failed. */
static int vv_report_poison(void *ctx, uint64_t gpa, const char *device)
{
	int ret = sea_handle_device_poison(ctx, gpa, device);

	pr_info("%s: its copy of guest page 0x%llx met poison: that request fails (an I/O "
		"error for the guest), the device goes on",
		device, (unsigned long long)gpa);
	return ret;
}

static void vv_raise_irq(void *ctx)
{
	struct vm_virtio_slot *s = ctx;
	uint64_t one = 1;

	if (s->irqfd >= 0) {
		if (write(s->irqfd, &one, sizeof(one)) < 0) {
			/* Saturated: an interrupt is pending anyway. */
		}
		return;
	}
	/* An edge for the edge-triggered SPI. */
	gic_set_spi(s->vm, s->spi, true);
	gic_set_spi(s->vm, s->spi, false);
}

/* KVM_IRQFD for the slot's SPI; without it, KVM_IRQ_LINE from the I/O thread. */
static void vv_wire_irq(struct vm *vm, struct vm_virtio *vv, struct vm_virtio_slot *s)
{
	struct kvm_irqfd irqfd = { .gsi = s->spi };
	int fd;

	s->irqfd = -1;
	if (vv->no_irqfd)
		return;
	fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (fd < 0)
		return;
	irqfd.fd = (uint32_t)fd;
	if (ioctl(vm->vm_fd, KVM_IRQFD, &irqfd) < 0) {
		pr_info("KVM_IRQFD: %s; virtio interrupts go through KVM_IRQ_LINE instead",
			strerror(errno));
		vv->no_irqfd = true;
		close(fd);
		return;
	}
	s->irqfd = fd;
}

/*
 * One KVM_IOEVENTFD per queue: the kernel turns the driver's QueueNotify
 * write with that queue's index into a write of its eventfd. Without it the
 * write exits to seavmm and the transport writes the eventfd itself.
 */
static void vv_wire_notify(struct vm *vm, struct vm_virtio *vv, struct vm_virtio_slot *s)
{
	struct virtio_dev *d = s->dev;

	for (unsigned int q = 0; q < d->nr_queues && !vv->no_ioeventfd; q++) {
		struct kvm_ioeventfd io = {
			.datamatch = q,
			.addr = s->base + 0x50, /* QueueNotify */
			.len = 4,
			.fd = d->notify_fd[q],
			.flags = KVM_IOEVENTFD_FLAG_DATAMATCH,
		};

		if (ioctl(vm->vm_fd, KVM_IOEVENTFD, &io) < 0) {
			pr_info("KVM_IOEVENTFD: %s; virtio notifications exit to seavmm instead",
				strerror(errno));
			vv->no_ioeventfd = true;
		}
	}
}

/* On the I/O thread, before its first request: started before main's filter, it has none yet. */
static void vv_thread_start(struct virtio_dev *d)
{
	if (seccomp_enter(SECCOMP_VIRTIO) < 0)
		pr_err("%s: cannot install its seccomp filter; its I/O thread runs without one",
		       d->name);
}

/* Puts dev (its struct set up by the caller) on the next window and SPI. */
static int vv_add(struct vm *vm, struct vm_virtio *vv, struct virtio_dev *dev,
		  void (*destroy)(struct virtio_dev *))
{
	struct vm_virtio_slot *s = &vv->slot[vv->nr];
	struct mmio_device md;
	int ret;

	s->vm = vm;
	s->dev = dev;
	s->destroy = destroy;
	s->base = VM_VIRTIO_BASE + VIRTIO_MMIO_SIZE * (uint64_t)vv->nr;
	s->spi = VM_VIRTIO_SPI_BASE + vv->nr;
	s->irqfd = -1;
	vv->nr++;
	md = (struct mmio_device){
		.base = s->base,
		.size = VIRTIO_MMIO_SIZE,
		.access = virtio_mmio_access,
		.opaque = dev,
		.name = dev->name,
	};
	ret = mmio_bus_register(&vm->bus, &md);
	if (ret < 0) {
		pr_err("%s: cannot place it at 0x%llx: %s", dev->name, (unsigned long long)s->base,
		       strerror(-ret));
		return ret;
	}
	vv_wire_irq(vm, vv, s);
	dev->raise_irq = vv_raise_irq;
	dev->irq_ctx = s;
	vv_wire_notify(vm, vv, s);
	if (vm->opts->seccomp)
		dev->thread_start = vv_thread_start;
	ret = virtio_dev_start(dev);
	if (ret < 0)
		pr_err("%s: cannot start its I/O thread: %s", dev->name, strerror(-ret));
	return ret;
}

static void vv_free(struct virtio_dev *dev)
{
	free(dev);
}

static int vv_add_rng(struct vm *vm, struct vm_virtio *vv)
{
	struct virtio_rng *rng = calloc(1, sizeof(*rng));
	int ret;

	if (!rng)
		return -ENOMEM;
	ret = virtio_rng_init(rng, "virtio-rng", &vv->ram, true);
	if (ret < 0) {
		free(rng);
		return ret;
	}
	return vv_add(vm, vv, &rng->dev, vv_free);
}

static void vv_blk_free(struct virtio_dev *dev)
{
	virtio_blk_destroy((struct virtio_blk *)dev);
	free(dev);
}

/* Opens --disk number i: a usage error (-EINVAL, reported) when it cannot be used. */
static int vv_open_disk(const struct virtio_disk_opt *o, uint64_t *size)
{
	int fd = open(o->path, (o->ro ? O_RDONLY : O_RDWR) | O_CLOEXEC);
	struct stat st;

	if (fd < 0) {
		int e = errno;

		pr_err("cannot open disk '%s' (--disk): %s; %s", o->path, strerror(e),
		       !o->ro && (e == EACCES || e == EROFS)
			       ? "give --disk PATH,ro to use it read-only"
			       : "check the path");
		return -EINVAL;
	}
	if (fstat(fd, &st) < 0 || !(S_ISREG(st.st_mode) || S_ISBLK(st.st_mode))) {
		pr_err("disk '%s' (--disk) is not a regular file or block device; give a raw "
		       "image file",
		       o->path);
		close(fd);
		return -EINVAL;
	}
	*size = (uint64_t)st.st_size;
	if (S_ISBLK(st.st_mode) && ioctl(fd, BLKGETSIZE64, size) < 0)
		*size = 0;
	/* Two writers of one image corrupt it: a lock says who has it. */
	if (flock(fd, (o->ro ? LOCK_SH : LOCK_EX) | LOCK_NB) < 0) {
		pr_err("disk '%s' (--disk) is in use by another process (it holds a lock on it); "
		       "stop that one or use a copy",
		       o->path);
		close(fd);
		return -EINVAL;
	}
	if (*size % VIRTIO_BLK_SECTOR)
		pr_info("disk '%s': its size is not a multiple of %d bytes; the guest sees the "
			"whole sectors only",
			o->path, VIRTIO_BLK_SECTOR);
	return fd;
}

static int vv_add_disk(struct vm *vm, struct vm_virtio *vv, unsigned int i)
{
	const struct virtio_disk_opt *o = &vm->opts->virtio.disks[i];
	const char *base = strrchr(o->path, '/');
	struct virtio_blk *b;
	char name[24];
	uint64_t size;
	int fd, ret;

	fd = vv_open_disk(o, &size);
	if (fd < 0)
		return fd;
	b = calloc(1, sizeof(*b));
	if (!b) {
		close(fd);
		return -ENOMEM;
	}
	snprintf(name, sizeof(name), "virtio-blk%u", i);
	/* The serial (GET_ID, /dev/disk/by-id/virtio-*): the image's file name. */
	ret = virtio_blk_init(b, name, &vv->ram, true, fd, size, o->ro, base ? base + 1 : o->path);
	if (ret < 0) {
		vv_blk_free(&b->dev);
		return ret;
	}
	return vv_add(vm, vv, &b->dev, vv_blk_free);
}

static void vv_net_free(struct virtio_dev *dev)
{
	virtio_net_destroy((struct virtio_net *)dev);
	free(dev);
}

static int vv_add_net(struct vm *vm, struct vm_virtio *vv)
{
	const struct virtio_opts *o = &vm->opts->virtio;
	char tap[TAP_NAME_MAX];
	uint8_t mac[6];
	struct virtio_net *n;
	int fd, ret;

	fd = tap_open(o->tap, tap);
	if (fd < 0)
		return fd;
	/* Locally administered and unicast, random per run: no two guests share one. */
	if (getrandom(mac, sizeof(mac), 0) != sizeof(mac))
		memset(mac, 0x5e, sizeof(mac));
	mac[0] = (uint8_t)((mac[0] & 0xfc) | 0x02);
	if (!o->tap[0])
		pr_info("--net: tap device %s (guest MAC %02x:%02x:%02x:%02x:%02x:%02x)", tap,
			mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
	n = calloc(1, sizeof(*n));
	if (!n) {
		close(fd);
		return -ENOMEM;
	}
	ret = virtio_net_init(n, "virtio-net", &vv->ram, true, fd, mac);
	if (ret < 0) {
		vv_net_free(&n->dev);
		return ret;
	}
	return vv_add(vm, vv, &n->dev, vv_net_free);
}

static void vv_console_free(struct virtio_dev *dev)
{
	virtio_console_destroy((struct virtio_console *)dev);
	free(dev);
}

/*
 * The listening socket of --virtio-port NAME,socket=PATH. A socket file left
 * by an earlier run is replaced; one some process still listens on is not.
 */
static int vv_listen(const char *name, const char *path)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	struct stat st;
	int fd;

	if (strlen(path) >= sizeof(a.sun_path)) {
		pr_err("--virtio-port %s: socket path '%s' is longer than %zu bytes; use a shorter "
		       "one",
		       name, path, sizeof(a.sun_path) - 1);
		return -EINVAL;
	}
	memcpy(a.sun_path, path, strlen(path));
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode) || connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0 ||
		    errno != ECONNREFUSED) {
			pr_err("--virtio-port %s: '%s' exists%s; give another socket path", name,
			       path,
			       S_ISSOCK(st.st_mode) ? " and is in use" : " and is not a socket");
			close(fd);
			return -EINVAL;
		}
		unlink(path);
	}
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(fd, 1) < 0) {
		pr_err("--virtio-port %s: cannot listen on '%s': %s; give a writable socket path",
		       name, path, strerror(errno));
		close(fd);
		return -EINVAL;
	}
	return fd;
}

static int vv_add_console(struct vm *vm, struct vm_virtio *vv)
{
	const struct virtio_opts *o = &vm->opts->virtio;
	struct virtio_console *vc = calloc(1, sizeof(*vc));
	int ret, fd;

	if (!vc)
		return -ENOMEM;
	ret = virtio_console_init(vc, "virtio-console", &vv->ram, true,
				  o->console == CONSOLE_VIRTIO ? STDOUT_FILENO : -1);
	for (unsigned int i = 0; ret == 0 && i < o->nr_ports; i++) {
		fd = vv_listen(o->ports[i].name, o->ports[i].socket);
		if (fd < 0) {
			ret = fd;
			break;
		}
		vv->listening++;
		ret = virtio_console_add_socket_port(vc, o->ports[i].name, fd);
		if (ret < 0) {
			close(fd);
			pr_err("--virtio-port %s: %s", o->ports[i].name,
			       ret == -ENOSPC ? "too many ports" : strerror(-ret));
		}
	}
	if (ret < 0) {
		vv_console_free(&vc->dev);
		return ret;
	}
	vv->console = vc;
	return vv_add(vm, vv, &vc->dev, vv_console_free);
}

int vm_virtio_setup(struct vm *vm)
{
	const struct virtio_opts *o = &vm->opts->virtio;
	struct vm_virtio *vv = calloc(1, sizeof(*vv));
	int ret = 0;

	if (!vv)
		return -ENOMEM;
	vm->virtio = vv;
	vv->ram = (struct guest_ram){
		.mem = &vm->mem,
		.known_poisoned = vv_known_poisoned,
		.report_poison = vv_report_poison,
		.ctx = vm,
	};
	vv->no_irqfd = kvm_check_extension(vm->vm_fd, KVM_CAP_IRQFD) <= 0;
	vv->no_ioeventfd = kvm_check_extension(vm->vm_fd, KVM_CAP_IOEVENTFD) <= 0;
	for (unsigned int i = 0; ret == 0 && i < o->nr_disks; i++)
		ret = vv_add_disk(vm, vv, i);
	if (ret == 0 && o->net)
		ret = vv_add_net(vm, vv);
	if (ret == 0 && o->rng)
		ret = vv_add_rng(vm, vv);
	if (ret == 0 && virtio_opts_want_console(o))
		ret = vv_add_console(vm, vv);
	return ret;
}

void vm_virtio_reset(struct vm *vm)
{
	struct vm_virtio *vv = vm->virtio;

	for (unsigned int i = 0; vv && i < vv->nr; i++)
		virtio_dev_reset(vv->slot[i].dev);
}

void vm_virtio_destroy(struct vm *vm)
{
	struct vm_virtio *vv = vm->virtio;

	if (!vv)
		return;
	/* Every thread first: none may touch guest RAM or the VM after this. */
	for (unsigned int i = 0; i < vv->nr; i++)
		virtio_dev_stop(vv->slot[i].dev);
	for (unsigned int i = 0; i < vv->nr; i++) {
		if (vv->slot[i].irqfd >= 0)
			close(vv->slot[i].irqfd);
		vv->slot[i].destroy(vv->slot[i].dev);
	}
	/* The sockets of --virtio-port go with the process that listened on them. */
	for (unsigned int i = 0; i < vv->listening; i++)
		unlink(vm->opts->virtio.ports[i].socket);
	free(vv);
	vm->virtio = NULL;
}

unsigned int vm_virtio_fdt(const struct vm *vm, struct vm_fdt_virtio *out, unsigned int max)
{
	const struct vm_virtio *vv = vm->virtio;
	unsigned int n = 0;

	for (; vv && n < vv->nr && n < max; n++)
		out[n] = (struct vm_fdt_virtio){ .base = vv->slot[n].base,
						 .size = VIRTIO_MMIO_SIZE,
						 .spi = vv->slot[n].spi };
	return n;
}

struct virtio_console *vm_virtio_console(struct vm *vm)
{
	return vm->virtio ? vm->virtio->console : NULL;
}
