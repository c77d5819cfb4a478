// SPDX-License-Identifier: GPL-2.0-only
#include "poison_inject.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "arm64_esr.h"
#include "pagemap.h"
#include "poison_einj.h"

int poison_inject_open(struct poison_inject *p, enum inject_mech mech, char *err, size_t errlen)
{
	int ret = 0;

	memset(p, 0, sizeof(*p));
	p->mech = mech;
	p->einj_dir = POISON_EINJ_DIR;
	if (mech == INJECT_EMULATOR)
		ret = poison_emul_open(&p->emul, err, errlen);
	if (ret)
		return ret;
	pthread_mutex_init(&p->lock, NULL);
	p->lock_init = true;
	return 0;
}

const char *poison_inject_name(const struct poison_inject *p)
{
	switch (p->mech) {
	case INJECT_EMULATOR:
		return "emulator";
	case INJECT_EINJ:
		return "einj";
	default:
		return "disabled";
	}
}

/* Under p->lock: remembers an emulator page until it is cleared. */
static void poison_inject_note(struct poison_inject *p, uint64_t gpa, uint64_t pa, uintptr_t hva)
{
	for (unsigned int i = 0; i < p->n; i++)
		if (p->pages[i].pa == pa) {
			p->pages[i].gpa = gpa;
			p->pages[i].hva = hva;
			return;
		}
	/* The injector holds as many: one more would have been refused. */
	if (p->n < POISON_INJECT_MAX) {
		p->pages[p->n].gpa = gpa;
		p->pages[p->n].pa = pa;
		p->pages[p->n].hva = hva;
		p->n++;
	}
}

static int poison_inject_locked(struct poison_inject *p, const struct guest_memory *mem,
				uint64_t gpa, enum ras_set set, uint64_t *pa, char *detail,
				size_t len)
{
	long psz = sysconf(_SC_PAGESIZE);
	uint8_t *hva = mem_gpa_to_hva(mem, gpa, 1ULL << ARM64_PAGE_SHIFT);
	uintptr_t host_page;
	int ret;

	if (!hva) {
		snprintf(detail, len, "gpa 0x%llx is not guest RAM", (unsigned long long)gpa);
		return -EINVAL;
	}
	if (p->mech == INJECT_EINJ && !poison_einj_type(set))
		return poison_einj_inject(p->einj_dir, 0, set, detail, len);
	/*
	 * Present and private: never the shared zero page, nor a page the
	 * guest has not got yet. The kernel faults it in without seavmm
	 * reading it, so a page already poisoned is not consumed here.
	 */
	host_page = (uintptr_t)hva & ~((uintptr_t)psz - 1);
	if (madvise((void *)host_page, (size_t)psz, MADV_POPULATE_WRITE) < 0) {
		ret = -errno;
		snprintf(detail, len, "cannot make gpa 0x%llx present (MADV_POPULATE_WRITE): %s",
			 (unsigned long long)gpa, strerror(-ret));
		return ret;
	}
	ret = pagemap_hva_to_pa((uintptr_t)hva, pa, detail, len);
	if (ret)
		return ret;
	if (p->mech == INJECT_EINJ)
		return poison_einj_inject(p->einj_dir, *pa, set, detail, len);
	ret = poison_emul_poison(&p->emul, *pa, set, detail, len);
	if (ret)
		return ret;
	poison_inject_note(p, gpa, *pa, (uintptr_t)hva);
	snprintf(
		detail, len,
		"the emulated platform's injector poisoned host PA 0x%llx with SET %s; the guest's "
		"next access to it consumes it",
		(unsigned long long)*pa, ras_set_name(set));
	return 0;
}

int poison_inject_gpa(struct poison_inject *p, const struct guest_memory *mem, uint64_t gpa,
		      enum ras_set set, const char **mech, uint64_t *pa, char *detail, size_t len)
{
	int ret;

	*mech = p->mech == INJECT_NONE ? "none" : poison_inject_name(p);
	*pa = 0;
	if (p->mech == INJECT_NONE) {
		snprintf(
			detail, len,
			"inject-poison is not enabled; start seavmm run with "
			"--allow-inject=emulator (the seavmm test platform) or --allow-inject=einj "
			"(ACPI EINJ)");
		return -EPERM;
	}
	pthread_mutex_lock(&p->lock);
	ret = poison_inject_locked(p, mem, gpa & ARM64_PAGE_MASK, set, pa, detail, len);
	pthread_mutex_unlock(&p->lock);
	return ret;
}

void poison_inject_release(struct poison_inject *p, bool all)
{
	unsigned int j = 0;
	char why[96];

	if (p->mech != INJECT_EMULATOR || !p->lock_init)
		return;
	pthread_mutex_lock(&p->lock);
	for (unsigned int i = 0; i < p->n; i++) {
		uint64_t pa = 0;

		/*
		 * A page the quarantine moved away is no longer at its guest
		 * address: it stays poisoned (and is never read) until exit.
		 */
		if (all || (pagemap_hva_to_pa(p->pages[i].hva, &pa, why, sizeof(why)) == 0 &&
			    pa == p->pages[i].pa)) {
			poison_emul_clear(&p->emul, p->pages[i].pa);
			continue;
		}
		p->pages[j++] = p->pages[i];
	}
	p->n = j;
	pthread_mutex_unlock(&p->lock);
}

void poison_inject_close(struct poison_inject *p)
{
	poison_emul_close(&p->emul);
	if (p->lock_init)
		pthread_mutex_destroy(&p->lock);
	p->lock_init = false;
	p->mech = INJECT_NONE;
}
