// SPDX-License-Identifier: GPL-2.0-only
#include "poison_einj.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define EINJ_MEM_UC_NONFATAL 0x10
#define EINJ_MEM_UC_FATAL    0x20
#define EINJ_FLAG_MEM_ADDR   0x2 /* SET_ERROR_TYPE_WITH_ADDRESS: param1/param2 valid */
#define EINJ_PAGE_MASK	     0xfffffffffffff000ULL

uint32_t poison_einj_type(enum ras_set set)
{
	switch (set) {
	case RAS_SET_UER:
		return EINJ_MEM_UC_NONFATAL;
	case RAS_SET_UC:
		return EINJ_MEM_UC_FATAL;
	default:
		return 0;
	}
}

static int poison_einj_write(const char *dir, const char *file, const char *val, char *detail,
			     size_t len)
{
	char path[256];
	ssize_t n;
	int fd, ret = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		snprintf(detail, len, "EINJ: cannot open %s: %s", path, strerror(-ret));
		return ret;
	}
	n = write(fd, val, strlen(val));
	if (n < 0 || (size_t)n != strlen(val)) {
		ret = n < 0 ? -errno : -EIO;
		snprintf(detail, len, "EINJ: writing %s to %s: %s", val, path, strerror(-ret));
	}
	close(fd);
	return ret;
}

/* Whether available_error_type lists type. */
static int poison_einj_available(const char *dir, uint32_t type, char *detail, size_t len)
{
	char path[256], buf[1024], want[16];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/available_error_type", dir);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;

		snprintf(detail, len,
			 "no ACPI EINJ on this host (%s: %s): mount debugfs, and the kernel needs "
			 "CONFIG_ACPI_APEI_EINJ and the firmware an EINJ table",
			 path, strerror(e));
		return -ENODEV;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	snprintf(want, sizeof(want), "0x%08x", type);
	if (!strstr(buf, want)) {
		snprintf(detail, len, "this platform's EINJ does not offer error type 0x%x", type);
		return -EOPNOTSUPP;
	}
	return 0;
}

int poison_einj_inject(const char *dir, uint64_t pa, enum ras_set set, char *detail, size_t len)
{
	uint32_t type = poison_einj_type(set);
	char val[32];
	int ret;

	if (!type) {
		snprintf(detail, len,
			 "EINJ has no memory error of type %s: it offers corrected (0x08, never "
			 "consumed, no SEA), uncorrectable non-fatal (0x10: use uer) and fatal "
			 "(0x20: use uc)",
			 ras_set_name(set));
		return -EOPNOTSUPP;
	}
	if (geteuid() != 0) {
		snprintf(detail, len, "EINJ needs root: seavmm runs as uid %u",
			 (unsigned int)geteuid());
		return -EPERM;
	}
	ret = poison_einj_available(dir, type, detail, len);
	if (ret)
		return ret;
	snprintf(val, sizeof(val), "0x%x\n", type);
	ret = poison_einj_write(dir, "error_type", val, detail, len);
	if (!ret) {
		snprintf(val, sizeof(val), "0x%x\n", EINJ_FLAG_MEM_ADDR);
		ret = poison_einj_write(dir, "flags", val, detail, len);
	}
	if (!ret) {
		snprintf(val, sizeof(val), "0x%llx\n", (unsigned long long)pa);
		ret = poison_einj_write(dir, "param1", val, detail, len);
	}
	if (!ret) {
		snprintf(val, sizeof(val), "0x%llx\n", EINJ_PAGE_MASK);
		ret = poison_einj_write(dir, "param2", val, detail, len);
	}
	if (!ret)
		ret = poison_einj_write(dir, "notrigger", "0\n", detail, len);
	if (!ret)
		ret = poison_einj_write(dir, "error_inject", "1\n", detail, len);
	if (ret)
		return ret;
	if (type == EINJ_MEM_UC_NONFATAL)
		snprintf(detail, len,
			 "EINJ 0x10 (memory uncorrectable non-fatal): recoverable, SET uer when "
			 "the CPU reports it; firmware-first platforms report it through APEI "
			 "(seavmm then sees SIGBUS)");
	else
		snprintf(detail, len,
			 "EINJ 0x20 (memory uncorrectable fatal): uncontainable, SET uc; the "
			 "platform may reset the whole host");
	return 0;
}
