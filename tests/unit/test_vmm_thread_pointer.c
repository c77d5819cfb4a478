// SPDX-License-Identifier: GPL-2.0-only
/*
 * vmm/core/thread_pointer.c: a vCPU thread's thread pointer is noted, a
 * wrong one is put back and reported once, by the vCPU loop's check or by
 * a signal handler's repair; other threads are left alone. Natively a
 * per-thread stand-in plays the register (thread_pointer.c says why);
 * tests/integration/progs/tp_guard.c runs the same on arm64's TPIDR_EL0.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../../vmm/core/thread_pointer.h"

#define OWN   0x0000ffff80001000ULL
#define GUEST 0x1de7ec7edbadc0deULL

static void test_check_puts_back_and_reports(void **state)
{
	uint64_t wrong = 0;
	int slot;

	(void)state;
	tp_set(OWN);
	slot = tp_guard_enter();
	assert_true(slot >= 0);
	assert_int_equal(tp_guard_check(slot, &wrong), 0);
	tp_set(GUEST);
	assert_int_equal(tp_guard_check(slot, &wrong), 1);
	assert_int_equal(wrong, GUEST);
	assert_int_equal(tp_get(), OWN);
	/* Reported once. */
	assert_int_equal(tp_guard_check(slot, &wrong), 0);
	tp_guard_leave(slot);
}

/* A guest's kernel threads run with TPIDR_EL0 0: a wrong 0 is still wrong. */
static void test_wrong_zero_is_reported(void **state)
{
	uint64_t wrong = 1;
	int slot;

	(void)state;
	tp_set(OWN);
	slot = tp_guard_enter();
	tp_set(0);
	assert_int_equal(tp_guard_check(slot, &wrong), 1);
	assert_int_equal(wrong, 0);
	assert_int_equal(tp_get(), OWN);
	tp_guard_leave(slot);
}

/* A handler's repair first, then the loop's check reports it once. */
static void test_repair_then_check_reports(void **state)
{
	uint64_t wrong = 0, seen = 0;
	int slot;

	(void)state;
	tp_set(OWN);
	slot = tp_guard_enter();
	assert_int_equal(tp_guard_repair(&wrong), 0);
	tp_set(GUEST);
	assert_int_equal(tp_guard_repair(&wrong), 1);
	assert_int_equal(wrong, GUEST);
	assert_int_equal(tp_get(), OWN);
	assert_int_equal(tp_guard_repair(NULL), 0);
	assert_int_equal(tp_guard_check(slot, &seen), 1);
	assert_int_equal(seen, GUEST);
	assert_int_equal(tp_guard_check(slot, &seen), 0);
	tp_guard_leave(slot);
	/* Left: nothing is guarded any more. */
	tp_set(GUEST);
	assert_int_equal(tp_guard_repair(NULL), 0);
	assert_int_equal(tp_get(), GUEST);
}

static void *unguarded_thread(void *arg)
{
	(void)arg;
	tp_set(GUEST);
	return (void *)(intptr_t)tp_guard_repair(NULL);
}

/* A thread that noted nothing is not touched, even beside a guarded one. */
static void test_other_threads_untouched(void **state)
{
	pthread_t t;
	void *ret;
	int slot;

	(void)state;
	tp_set(OWN);
	slot = tp_guard_enter();
	assert_int_equal(pthread_create(&t, NULL, unguarded_thread, NULL), 0);
	assert_int_equal(pthread_join(t, &ret), 0);
	assert_int_equal((intptr_t)ret, 0);
	assert_int_equal(tp_get(), OWN);
	tp_guard_leave(slot);
}

/* Out of slots: -ENOSPC, and checking with it is a no-op; leaving frees them. */
static void test_slots_run_out(void **state)
{
	static int slots[TP_GUARD_SLOTS];
	uint64_t wrong = 0;
	int extra;

	(void)state;
	tp_set(OWN);
	for (int i = 0; i < TP_GUARD_SLOTS; i++) {
		slots[i] = tp_guard_enter();
		assert_true(slots[i] >= 0);
	}
	extra = tp_guard_enter();
	assert_int_equal(extra, -ENOSPC);
	tp_set(GUEST);
	assert_int_equal(tp_guard_check(extra, &wrong), 0);
	tp_set(OWN);
	for (int i = 0; i < TP_GUARD_SLOTS; i++)
		tp_guard_leave(slots[i]);
	extra = tp_guard_enter();
	assert_true(extra >= 0);
	tp_guard_leave(extra);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check_puts_back_and_reports),
		cmocka_unit_test(test_wrong_zero_is_reported),
		cmocka_unit_test(test_repair_then_check_reports),
		cmocka_unit_test(test_other_threads_untouched),
		cmocka_unit_test(test_slots_run_out),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
