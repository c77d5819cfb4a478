// SPDX-License-Identifier: GPL-2.0-only
/*
 * The control socket bound to the running VM: struct api_vm_ops for the
 * requests (api_requests.c), and the hooks the VMM calls (api.h).
 */
#include "api.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "api_server.h"
#include "sea_report.h"
#include "seccomp.h"
#include "util.h"
#include "vm.h"

#define container_of(ptr, type, member) ((type *)((char *)(ptr)-offsetof(type, member)))

struct api {
	struct api_server srv;
	struct vm *vm;
	uint64_t started_ns;	    /* CLOCK_MONOTONIC of the first boot */
	_Atomic uint64_t booted_ns; /* ... of this boot */
	atomic_uint boots;
};

static uint64_t api_mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static const char *api_vm_state(struct vm *vm)
{
	switch (vm_stop_reason(vm)) {
	case VM_RUNNING:
		return atomic_load(&vm->pause_requested) ? "paused" : "running";
	case VM_STOP_RESET:
		return vm->opts->reboot == REBOOT_RESTART ? "restarting" : "stopping";
	case VM_STOP_RAS_RESTART:
	case VM_STOP_API_RESTART:
		return "restarting";
	default:
		return "stopping";
	}
}

static void api_vm_status(void *ctx, struct api_status *st)
{
	struct api *a = ctx;
	struct vm *vm = a->vm;

	st->state = api_vm_state(vm);
	st->vm_name = vm->sea.name;
	st->vcpus = vm->nr_vcpus;
	st->mem_bytes = vm->opts->mem_size;
	st->started_ns = a->started_ns;
	st->booted_ns = atomic_load(&a->booted_ns);
	st->boots = atomic_load(&a->boots);
	st->inject = poison_inject_name(&vm->pinj);
	if (ras_policy_format(&vm->ras_policy, st->policy, sizeof(st->policy)) < 0)
		st->policy[0] = '\0';
	pthread_mutex_lock(&vm->sea.lock);
	st->quarantined = vm->sea.quarantine.used;
	pthread_mutex_unlock(&vm->sea.lock);
}

struct api_pages_copy {
	struct ras_page *pages;
	unsigned int n, max;
};

static int api_vm_page_copy(const struct ras_page *pg, void *arg)
{
	struct api_pages_copy *c = arg;

	if (c->n == c->max)
		return 1;
	c->pages[c->n++] = *pg;
	return 0;
}

static unsigned int api_vm_pages(void *ctx, struct ras_page *pages, unsigned int max)
{
	struct api *a = ctx;
	struct api_pages_copy c = { pages, 0, max };

	/* A copy: formatting happens after the vCPUs may have the lock again. */
	pthread_mutex_lock(&a->vm->sea.lock);
	ras_tracker_foreach(&a->vm->sea.tracker, api_vm_page_copy, &c);
	pthread_mutex_unlock(&a->vm->sea.lock);
	return c.n;
}

static const char *api_vm_pause(void *ctx, bool pause)
{
	struct api *a = ctx;
	bool done = vm_pause(a->vm, pause);

	if (!pause)
		return api_vm_state(a->vm);
	/* Some vCPU is still busy with an exit: it stops as soon as it is done. */
	return done || vm_stop_reason(a->vm) != VM_RUNNING ? api_vm_state(a->vm) : "pausing";
}

static bool api_vm_stop(void *ctx, bool restart)
{
	struct api *a = ctx;

	return vm_request_stop(a->vm, restart ? VM_STOP_API_RESTART : VM_STOP_API_STOP);
}

static int api_vm_inject(void *ctx, uint64_t gpa, enum ras_set set, struct api_inject_result *r)
{
	struct api *a = ctx;

	return poison_inject_gpa(&a->vm->pinj, &a->vm->mem, gpa, set, &r->mechanism, &r->pa,
				 r->detail, sizeof(r->detail));
}

/* Started before main's filter: the thread has none until it installs its own. */
static void api_vm_thread_start(void *ctx)
{
	struct api *a = ctx;

	if (a->vm->opts->seccomp && seccomp_enter(SECCOMP_API) < 0)
		pr_err("api: cannot install its seccomp filter; its thread runs without one");
}

static const struct api_vm_ops api_vm_ops = {
	.status = api_vm_status,
	.pages = api_vm_pages,
	.pause = api_vm_pause,
	.stop = api_vm_stop,
	.inject = api_vm_inject,
	.thread_start = api_vm_thread_start,
};

int api_open(struct vm *vm, const char *path, char *err, size_t errlen)
{
	struct api *a = calloc(1, sizeof(*a));
	int ret;

	if (!a) {
		snprintf(err, errlen, "--api-socket %s: out of memory", path);
		return -ENOMEM;
	}
	a->vm = vm;
	ret = api_server_init(&a->srv, geteuid(), &api_vm_ops, a);
	if (ret) {
		snprintf(err, errlen, "--api-socket %s: %s", path, strerror(-ret));
		free(a);
		return ret;
	}
	ret = api_server_listen(&a->srv, path, err, errlen);
	if (ret) {
		api_server_stop(&a->srv);
		free(a);
		return ret;
	}
	vm->api = a;
	return 0;
}

int api_start(struct vm *vm)
{
	if (!vm->api)
		return 0;
	vm->api->started_ns = api_mono_ns();
	atomic_store(&vm->api->booted_ns, vm->api->started_ns);
	return api_server_start(&vm->api->srv);
}

void api_note_boot(struct vm *vm, enum api_boot_cause cause)
{
	if (!vm->api)
		return;
	atomic_store(&vm->api->booted_ns, api_mono_ns());
	atomic_fetch_add(&vm->api->boots, 1);
	api_server_note_boot(&vm->api->srv, cause);
}

void api_publish_event(struct sea_state *s, const struct ras_event *ev,
		       const struct ras_decision *d)
{
	struct vm *vm = container_of(s, struct vm, sea);
	struct api_event_key key;
	char rec[SEA_RECORD_MAX];
	int len;

	if (!vm->api)
		return;
	api_event_key_from(&key, ev, d);
	/* The same record --ras-events gets; too long (never) still counts. */
	len = ras_record_format(ev, d, s->name, rec, sizeof(rec));
	if (len < 0)
		len = 0;
	api_server_publish(&vm->api->srv, rec, (size_t)len, &key);
}

void api_close(struct vm *vm)
{
	if (!vm->api)
		return;
	api_server_stop(&vm->api->srv);
	free(vm->api);
	vm->api = NULL;
}
