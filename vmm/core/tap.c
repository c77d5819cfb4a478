// SPDX-License-Identifier: GPL-2.0-only
#include "tap.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "util.h"

/* Up, so frames flow as soon as the host side gives it an address. */
static void tap_link_up(const char *name)
{
	struct ifreq ifr;
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (s < 0)
		return;
	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, name, strnlen(name, IFNAMSIZ - 1));
	if (ioctl(s, SIOCGIFFLAGS, &ifr) == 0 && !(ifr.ifr_flags & IFF_UP)) {
		ifr.ifr_flags |= IFF_UP;
		if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0)
			pr_info("--net: cannot bring %s up (%s); 'ip link set %s up' does it", name,
				strerror(errno), name);
	}
	close(s);
}

int tap_open(const char *want, char name[TAP_NAME_MAX])
{
	struct ifreq ifr;
	int fd, e;

	fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		e = errno;
		pr_err("--net: cannot open /dev/net/tun: %s; %s", strerror(e),
		       e == ENOENT || e == ENODEV ? "load the tun module (modprobe tun)"
						  : "run seavmm as root (it needs CAP_NET_ADMIN)");
		return -e;
	}
	memset(&ifr, 0, sizeof(ifr));
	/* No IFF_VNET_HDR: no offloads, seavmm adds and strips the virtio header. */
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	memcpy(ifr.ifr_name, want, strnlen(want, IFNAMSIZ - 1));
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		e = errno;
		pr_err("--net tap%s%s: TUNSETIFF: %s; %s", want[0] ? "=" : "", want, strerror(e),
		       e == EBUSY   ? "another process has that tap open; name another one"
		       : e == EPERM ? "run seavmm as root (it needs CAP_NET_ADMIN)"
				    : "name a tap device (or none, for a new one)");
		close(fd);
		return -e;
	}
	snprintf(name, TAP_NAME_MAX, "%s", ifr.ifr_name);
	tap_link_up(name);
	return fd;
}
