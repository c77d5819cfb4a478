// SPDX-License-Identifier: GPL-2.0-only
#include "thread_pointer.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sigsafe.h"

/* tid: 0 free, -1 being claimed, else the owner. tp is set before tid. */
struct tp_slot {
	atomic_int tid;
	uint64_t tp;
	/* A wrong value a signal handler put right, until the loop reports it. */
	atomic_bool repaired;
	_Atomic uint64_t repaired_value;
};

static struct tp_slot tp_slots[TP_GUARD_SLOTS];
/* Slots ever claimed: handlers look no further. */
static atomic_int tp_slots_used;

#if defined(__aarch64__)
uint64_t tp_get(void)
{
	uint64_t tp;

	__asm__ volatile("mrs %0, tpidr_el0" : "=r"(tp));
	return tp;
}

void tp_set(uint64_t tp)
{
	__asm__ volatile("msr tpidr_el0, %0" : : "r"(tp) : "memory");
}

#else
/*
 * Only arm64 shares its thread pointer with a guest. Elsewhere (the native
 * unit tests) a per-thread variable stands in for the register, so the
 * guard's logic runs the same.
 */
static _Thread_local uint64_t tp_stand_in;

uint64_t tp_get(void)
{
	return tp_stand_in;
}

void tp_set(uint64_t tp)
{
	tp_stand_in = tp;
}
#endif

static int tp_gettid(void)
{
	return (int)sigsafe_syscall(__NR_gettid, 0, 0, 0);
}

int tp_guard_enter(void)
{
	int tid = tp_gettid();

	for (int i = 0; i < TP_GUARD_SLOTS; i++) {
		int expected = 0;

		if (!atomic_compare_exchange_strong(&tp_slots[i].tid, &expected, -1))
			continue;
		tp_slots[i].tp = tp_get();
		atomic_store(&tp_slots[i].repaired, false);
		for (int used = atomic_load(&tp_slots_used);
		     used <= i && !atomic_compare_exchange_weak(&tp_slots_used, &used, i + 1);)
			;
		atomic_store(&tp_slots[i].tid, tid);
		return i;
	}
	return -ENOSPC;
}

void tp_guard_leave(int slot)
{
	if (slot >= 0 && slot < TP_GUARD_SLOTS)
		atomic_store(&tp_slots[slot].tid, 0);
}

static bool tp_slot_fix(struct tp_slot *s, uint64_t *wrong)
{
	uint64_t now = tp_get();

	if (now == s->tp)
		return false;
	tp_set(s->tp);
	*wrong = now;
	return true;
}

int tp_guard_check(int slot, uint64_t *wrong)
{
	struct tp_slot *s;

	if (slot < 0 || slot >= TP_GUARD_SLOTS)
		return 0;
	s = &tp_slots[slot];
	if (tp_slot_fix(s, wrong))
		return 1;
	if (atomic_load_explicit(&s->repaired, memory_order_relaxed)) {
		*wrong = atomic_load(&s->repaired_value);
		atomic_store(&s->repaired, false);
		return 1;
	}
	return 0;
}

int tp_guard_repair(uint64_t *wrong)
{
	int tid = tp_gettid(), used = atomic_load(&tp_slots_used);
	uint64_t bad;

	for (int i = 0; i < used; i++) {
		struct tp_slot *s = &tp_slots[i];

		if (atomic_load_explicit(&s->tid, memory_order_acquire) != tid)
			continue;
		if (!tp_slot_fix(s, &bad))
			return 0;
		atomic_store(&s->repaired_value, bad);
		atomic_store(&s->repaired, true);
		if (wrong)
			*wrong = bad;
		return 1;
	}
	return 0;
}
