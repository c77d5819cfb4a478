// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: the SEA policy as a user gives it (vmm/cli/ras_config.c): a
 * --ras-policy file, then --ras KEY=VALUE flags. Input: the file's text,
 * then optionally "\n%%\n" and one flag per line. An error must be one line
 * naming the file and line or the flag; an accepted policy must survive a
 * round trip through its own text form.
 */
#include <fcntl.h>
#include <unistd.h>

#include "../../vmm/cli/ras_config.h"
#include "fuzz_util.h"

static char path[96];

static void fuzz_cleanup(void)
{
	unlink(path);
}

static void same_policy(const struct ras_policy *a, const struct ras_policy *b)
{
	CHECK(a->user == b->user && a->kernel == b->kernel && a->uc == b->uc &&
	      a->walk == b->walk && a->invalid == b->invalid && a->threshold == b->threshold &&
	      a->window_ns == b->window_ns && a->on_threshold == b->on_threshold &&
	      a->storm == b->storm && a->on_storm == b->on_storm && a->quarantine == b->quarantine);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data, *sep = memmem(text, size, "\n%%\n", 4);
	size_t flen = sep ? (size_t)(sep - text) : size;
	char flags[RUN_RAS_MAX][128], err[512], buf[1024];
	struct run_opts o = { .ras_policy = path };
	struct ras_policy p, q;
	int fd, ret, n;

	if (!path[0]) {
		snprintf(path, sizeof(path), "%s/seavmm-fuzz-policy.%d",
			 access("/dev/shm", W_OK) ? "/tmp" : "/dev/shm", (int)getpid());
		atexit(fuzz_cleanup);
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	CHECK(fd >= 0 && write(fd, text, flen) == (ssize_t)flen);
	close(fd);
	/* The flags: NUL-free lines after the separator, as argv would hold them. */
	for (size_t pos = sep ? flen + 4 : size; pos < size && o.n_ras < RUN_RAS_MAX;) {
		const char *nl = memchr(text + pos, '\n', size - pos);
		size_t len = (nl ? (size_t)(nl - text) : size) - pos;

		if (len < sizeof(flags[0]) && !memchr(text + pos, '\0', len)) {
			memcpy(flags[o.n_ras], text + pos, len);
			flags[o.n_ras][len] = '\0';
			o.ras[o.n_ras] = flags[o.n_ras];
			o.n_ras++;
		}
		pos += len + 1;
	}

	ret = ras_config_load(&o, &p, err, sizeof(err));
	if (ret) {
		CHECK(ret == -EINVAL || ret == -EFBIG);
		fuzz_check_line(err, sizeof(err));
		CHECK(!strncmp(err, path, strlen(path)) || !strncmp(err, "--ras ", 6) ||
		      !strncmp(err, "--ras-policy ", 13));
		return 0;
	}
	n = ras_policy_format(&p, buf, sizeof(buf));
	CHECK(n > 0 && (size_t)n == strlen(buf));
	ras_policy_default(&q);
	CHECK(ras_policy_parse(&q, buf, (size_t)n, err, sizeof(err)) == 0);
	same_policy(&p, &q);
	return 0;
}
