/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * inject-poison (docs/api.md): makes the host page behind a guest page
 * really poisoned on the platform seavmm runs on, through the mechanism the
 * operator named with --allow-inject (none by default). The guest address
 * becomes a host physical address through /proc/self/pagemap, after the page
 * is made present and private (MADV_POPULATE_WRITE: never the shared zero
 * page, and seavmm reads nothing of it).
 *
 * The emulated platform has no APEI: a poisoned page the host kernel gets
 * back and zeroes panics it. So seavmm remembers what it poisoned there and
 * clears it before it gives the page back: at a guest restart for pages
 * still in guest RAM (the restart discards them), at exit for all (those the
 * quarantine holds too). EINJ poison is real and stays.
 */
#ifndef SEAVMM_POISON_INJECT_H
#define SEAVMM_POISON_INJECT_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "memory.h"
#include "opts.h"
#include "poison_emul.h"
#include "ras.h"

#define POISON_INJECT_MAX 64 /* pages poisoned through the emulator at once: its table */

struct poison_inject {
	enum inject_mech mech;
	bool lock_init;
	pthread_mutex_t lock; /* the API thread injects, the main thread restarts */
	struct poison_emul emul;
	const char *einj_dir;
	unsigned int n; /* emulator: pages seavmm poisoned and has not cleared */
	struct {
		uint64_t gpa, pa;
		uintptr_t hva;
	} pages[POISON_INJECT_MAX];
};

/*
 * At start-up, single-threaded, before the SIGBUS handler: opens mech
 * (INJECT_EMULATOR maps and checks the injector). 0, or -errno with err.
 */
int poison_inject_open(struct poison_inject *p, enum inject_mech mech, char *err, size_t errlen);
/* "emulator", "einj" or "disabled". */
const char *poison_inject_name(const struct poison_inject *p);
/*
 * Poisons the host page behind gpa with error type set. On success *pa is
 * the host physical address and detail says what was done; on failure
 * (-EPERM not enabled or not root, -EINVAL not guest RAM, -ENODEV,
 * -EOPNOTSUPP, -errno) detail says why. *mech names the mechanism tried.
 */
int poison_inject_gpa(struct poison_inject *p, const struct guest_memory *mem, uint64_t gpa,
		      enum ras_set set, const char **mech, uint64_t *pa, char *detail, size_t len);
/*
 * Emulator: clears the poison seavmm injected on pages that guest RAM still
 * holds (all: on every page, the quarantined ones too) before the host gets
 * them back. No-op for the other mechanisms.
 */
void poison_inject_release(struct poison_inject *p, bool all);
void poison_inject_close(struct poison_inject *p);

#endif
