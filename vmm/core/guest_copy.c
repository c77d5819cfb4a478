// SPDX-License-Identifier: GPL-2.0-only
#include "guest_copy.h"

#include <errno.h>
#include <setjmp.h>
#include <stdatomic.h>
#include <string.h>

/*
 * The guard of the copy running on this thread, and the only state the
 * SIGBUS handler reaches here (a handler gets no context argument). Thread
 * local: each thread guards only its own copies. lo..hi is the host range of
 * the guest page being copied now, set before its bytes move.
 */
struct guest_copy_guard {
	sigjmp_buf env;
	volatile sig_atomic_t active;
	volatile uintptr_t lo, hi;
};

static _Thread_local struct guest_copy_guard guest_copy_guard;

bool guest_ram_contains(const struct guest_ram *g, uint64_t gpa, uint64_t len)
{
	return mem_gpa_to_hva(g->mem, gpa, len) != NULL;
}

void guest_copy_sigbus(const siginfo_t *si)
{
	struct guest_copy_guard *gd = &guest_copy_guard;
	uintptr_t addr = (uintptr_t)si->si_addr;

	if (!gd->active || (si->si_code != BUS_OBJERR && si->si_code != BUS_MCEERR_AR))
		return;
	/* Only the guest page being copied: seavmm's own buffer stays fatal. */
	if (addr < gd->lo || addr >= gd->hi)
		return;
	gd->active = 0;
	siglongjmp(gd->env, 1);
}

/* SIGBUS stays blocked after a jump out of its handler: unblock it. */
static void guest_copy_unblock_sigbus(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGBUS);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
}

static int guest_copy(const struct guest_ram *g, uint64_t gpa, uint8_t *buf, size_t len,
		      bool to_guest, uint64_t *bad_gpa)
{
	struct guest_copy_guard *gd = &guest_copy_guard;
	uint8_t *hva;
	volatile size_t done = 0;
	uint64_t page, bad;

	if (!len)
		return 0;
	hva = mem_gpa_to_hva(g->mem, gpa, len);
	if (!hva)
		return -EFAULT;
	if (g->known_poisoned) {
		for (page = gpa & ~(GUEST_COPY_PAGE - 1); page < gpa + len; page += GUEST_COPY_PAGE)
			if (g->known_poisoned(g->ctx, page)) {
				if (bad_gpa)
					*bad_gpa = page;
				return -EHWPOISON;
			}
	}
	/*
	 * No signal mask saved: that would be a system call per copy. The
	 * jump leaves SIGBUS blocked, which the error path undoes.
	 */
	if (sigsetjmp(gd->env, 0)) {
		guest_copy_unblock_sigbus();
		bad = (gpa + done) & ~(GUEST_COPY_PAGE - 1);
		if (bad_gpa)
			*bad_gpa = bad;
		if (g->report_poison)
			g->report_poison(g->ctx, bad, g->device);
		return -EHWPOISON;
	}
	while (done < len) {
		size_t off = (size_t)((gpa + done) & (GUEST_COPY_PAGE - 1));
		size_t n = (size_t)GUEST_COPY_PAGE - off;
		uint8_t *p = hva + done;

		if (n > len - done)
			n = len - done;
		gd->lo = (uintptr_t)p;
		gd->hi = (uintptr_t)p + n;
		gd->active = 1;
		/* The handler must see the range before the first byte moves. */
		atomic_signal_fence(memory_order_seq_cst);
		if (to_guest)
			memcpy(p, buf + done, n);
		else
			memcpy(buf + done, p, n);
		atomic_signal_fence(memory_order_seq_cst);
		gd->active = 0;
		done += n;
	}
	return 0;
}

int guest_copy_from(const struct guest_ram *g, uint64_t gpa, void *dst, size_t len,
		    uint64_t *bad_gpa)
{
	return guest_copy(g, gpa, dst, len, false, bad_gpa);
}

int guest_copy_to(const struct guest_ram *g, uint64_t gpa, const void *src, size_t len,
		  uint64_t *bad_gpa)
{
	return guest_copy(g, gpa, (uint8_t *)src, len, true, bad_gpa);
}
