// SPDX-License-Identifier: GPL-2.0-only
#include "virtio_opts.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int vopt_error(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int vopt_error(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* --disk PATH[,ro] */
static int vopt_disk(struct virtio_opts *v, const char *val, char *err, size_t errlen)
{
	struct virtio_disk_opt *d;
	const char *comma = strrchr(val, ',');
	size_t n = comma ? (size_t)(comma - val) : strlen(val);

	if (v->nr_disks == VIRTIO_OPTS_DISKS_MAX)
		return vopt_error(err, errlen, "more than %d --disk flags", VIRTIO_OPTS_DISKS_MAX);
	if (comma && strcmp(comma + 1, "ro"))
		return vopt_error(err, errlen,
				  "--disk '%s': unknown option '%s'; use --disk PATH or "
				  "--disk PATH,ro",
				  val, comma + 1);
	if (!n)
		return vopt_error(err, errlen, "--disk '%s' names no file; use --disk PATH[,ro]",
				  val);
	if (n >= VIRTIO_OPTS_PATH_MAX)
		return vopt_error(err, errlen, "--disk path is longer than %d bytes",
				  VIRTIO_OPTS_PATH_MAX - 1);
	d = &v->disks[v->nr_disks++];
	memcpy(d->path, val, n);
	d->path[n] = '\0';
	d->ro = comma != NULL;
	return 0;
}

/* Port names: what Linux shows in /sys/class/virtio-ports/ and udev rules match. */
static bool vopt_name_ok(const char *s, size_t n)
{
	if (!n || n >= VIRTIO_OPTS_NAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '.' || s[i] == '_' || s[i] == '-'))
			return false;
	return true;
}

/* --virtio-port NAME,socket=PATH */
static int vopt_port(struct virtio_opts *v, const char *val, char *err, size_t errlen)
{
	const char *comma = strchr(val, ',');
	size_t n = comma ? (size_t)(comma - val) : strlen(val);
	struct virtio_port_opt *p;

	if (v->nr_ports == VIRTIO_OPTS_PORTS_MAX)
		return vopt_error(err, errlen, "more than %d --virtio-port flags",
				  VIRTIO_OPTS_PORTS_MAX);
	if (!vopt_name_ok(val, n))
		return vopt_error(err, errlen,
				  "--virtio-port '%s': a port name is 1 to %d of A-Z a-z 0-9 . _ -",
				  val, VIRTIO_OPTS_NAME_MAX - 1);
	if (!comma || strncmp(comma + 1, "socket=", 7) || !comma[8])
		return vopt_error(err, errlen,
				  "--virtio-port '%s': say where its host side is: "
				  "--virtio-port NAME,socket=PATH",
				  val);
	if (strlen(comma + 8) >= VIRTIO_OPTS_PATH_MAX)
		return vopt_error(err, errlen, "--virtio-port socket path is too long");
	for (unsigned int i = 0; i < v->nr_ports; i++)
		if (strlen(v->ports[i].name) == n && !strncmp(v->ports[i].name, val, n))
			return vopt_error(err, errlen, "--virtio-port: port '%.*s' given twice",
					  (int)n, val);
	p = &v->ports[v->nr_ports++];
	memcpy(p->name, val, n);
	p->name[n] = '\0';
	snprintf(p->socket, sizeof(p->socket), "%s", comma + 8);
	return 0;
}

/* --net tap[=NAME] */
static int vopt_net(struct virtio_opts *v, const char *val, char *err, size_t errlen)
{
	if (v->net)
		return vopt_error(err, errlen,
				  "--net given twice; seavmm offers one network device");
	if (!strcmp(val, "tap")) {
		v->tap[0] = '\0';
	} else if (!strncmp(val, "tap=", 4) && val[4] && strlen(val + 4) < sizeof(v->tap)) {
		snprintf(v->tap, sizeof(v->tap), "%s", val + 4);
	} else {
		return vopt_error(err, errlen,
				  "--net '%s': use --net tap (a new tap device) or --net tap=NAME "
				  "(NAME at most 15 characters)",
				  val);
	}
	v->net = true;
	return 0;
}

int virtio_opts_apply(struct virtio_opts *v, enum virtio_flag flag, const char *val, char *err,
		      size_t errlen)
{
	switch (flag) {
	case VIRTIO_FLAG_CONSOLE:
		if (!strcmp(val, "serial"))
			v->console = CONSOLE_SERIAL;
		else if (!strcmp(val, "virtio"))
			v->console = CONSOLE_VIRTIO;
		else
			return vopt_error(
				err, errlen,
				"--console '%s': use --console serial or --console virtio", val);
		return 0;
	case VIRTIO_FLAG_DISK:
		return vopt_disk(v, val, err, errlen);
	case VIRTIO_FLAG_NET:
		return vopt_net(v, val, err, errlen);
	case VIRTIO_FLAG_RNG:
		v->rng = true;
		return 0;
	case VIRTIO_FLAG_PORT:
		return vopt_port(v, val, err, errlen);
	}
	return -EINVAL;
}

bool virtio_opts_want_console(const struct virtio_opts *v)
{
	return v->console == CONSOLE_VIRTIO || v->nr_ports > 0 || v->console_device;
}
