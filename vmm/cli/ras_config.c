// SPDX-License-Identifier: GPL-2.0-only
#include "ras_config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Reads the whole file into a NUL-terminated buffer the caller frees. */
static int ras_config_read(const char *path, char **out, size_t *outlen, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t len = 0;
	char *buf;

	if (fd < 0) {
		int e = errno;

		snprintf(err, errlen, "--ras-policy %s: %s; give a readable policy file", path,
			 strerror(e));
		return -e;
	}
	/* One byte over the limit tells a large file from one exactly at it. */
	buf = malloc(RAS_POLICY_FILE_MAX + 1);
	if (!buf) {
		close(fd);
		snprintf(err, errlen, "--ras-policy %s: out of memory", path);
		return -ENOMEM;
	}
	for (;;) {
		ssize_t n = read(fd, buf + len, RAS_POLICY_FILE_MAX + 1 - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;

			snprintf(err, errlen, "--ras-policy %s: %s; give a readable policy file",
				 path, strerror(e));
			free(buf);
			close(fd);
			return -e;
		}
		if (n == 0 || (len += (size_t)n) > RAS_POLICY_FILE_MAX)
			break;
	}
	close(fd);
	if (len > RAS_POLICY_FILE_MAX) {
		snprintf(err, errlen,
			 "--ras-policy %s: larger than %d KiB; a policy file is a few key=value "
			 "lines (docs/policy.md)",
			 path, RAS_POLICY_FILE_MAX / 1024);
		free(buf);
		return -EFBIG;
	}
	*out = buf;
	*outlen = len;
	return 0;
}

int ras_config_load(const struct run_opts *o, struct ras_policy *p, char *err, size_t errlen)
{
	char msg[512];
	int ret;

	ras_policy_default(p);
	if (o->ras_policy) {
		char *text = NULL;
		size_t len = 0;

		ret = ras_config_read(o->ras_policy, &text, &len, err, errlen);
		if (ret)
			return ret;
		ret = ras_policy_parse(p, text, len, msg, sizeof(msg));
		free(text);
		if (ret) {
			/* ras says "policy:LINE: ..."; name the file the user gave. */
			const char *at = strncmp(msg, "policy:", 7) ? msg : msg + 7;

			snprintf(err, errlen, "%s:%s", o->ras_policy, at);
			return ret;
		}
	}
	for (unsigned int i = 0; i < o->n_ras; i++) {
		ret = ras_policy_set_kv(p, o->ras[i], msg, sizeof(msg));
		if (ret) {
			snprintf(err, errlen, "--ras %s: %s", o->ras[i], msg);
			return ret;
		}
	}
	return 0;
}
