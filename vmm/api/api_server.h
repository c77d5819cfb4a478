/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The control socket (--api-socket, docs/api.md): a Unix stream socket served
 * by one thread with poll(), never by a vCPU thread. Clients are untrusted
 * even when the kernel lets them in (root or seavmm's own uid, SO_PEERCRED):
 * every line, every reply and the number of clients are bounded, and a
 * client that breaks a bound gets an error reply or is dropped without the
 * VM or the other clients noticing.
 *
 * This file knows sockets and clients; api_requests.c turns a request line
 * into a reply, asking the VM through struct api_vm_ops (api_vm.c for the
 * real VM). Portable (no KVM), so unit tests drive it over socketpairs.
 */
#ifndef SEAVMM_API_SERVER_H
#define SEAVMM_API_SERVER_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "api_metrics.h"
#include "ras.h"

#define API_LINE_MAX	4096	     /* a request line, without its newline */
#define API_OUT_MAX	(512 * 1024) /* replies and events waiting for one client */
#define API_CLIENTS_MAX 64	     /* connections served at once; more are refused */
#define API_RING	64	     /* recent event records kept for 'events' */
#define API_PAGES_MAX	4096	     /* pages a poison-list or metrics snapshot holds */

/* What 'status' shows; api_vm.c fills it from the VM. */
struct api_status {
	const char *state; /* running, paused, stopping, restarting */
	const char *vm_name;
	unsigned int vcpus;
	uint64_t mem_bytes;
	uint64_t started_ns, booted_ns; /* CLOCK_MONOTONIC: first boot, this boot */
	unsigned int boots;
	const char *inject; /* the --allow-inject mechanism, or "disabled" */
	uint32_t quarantined;
	char policy[512]; /* ras_policy_format(): key=value lines */
};

/* What 'inject-poison' did, or why it did not. */
struct api_inject_result {
	const char *mechanism; /* emulator, einj, or "none" */
	uint64_t pa;	       /* host physical address poisoned */
	char detail[200];      /* how the error type maps (einj), or why it failed */
};

/*
 * The VM as the requests see it. Called on the API thread; none of them may
 * block for long (pause waits at most a second for the vCPUs to stop).
 */
struct api_vm_ops {
	void (*status)(void *ctx, struct api_status *st);
	/* Copies up to max tracked pages into pages; returns how many. */
	unsigned int (*pages)(void *ctx, struct ras_page *pages, unsigned int max);
	/* Pauses (pause) or resumes the vCPUs; returns the state name afterwards. */
	const char *(*pause)(void *ctx, bool pause);
	/* Asks the VM to stop, or to restart; false when it is already stopping. */
	bool (*stop)(void *ctx, bool restart);
	/* Poisons the host page behind gpa; 0 or -errno with r->detail saying why. */
	int (*inject)(void *ctx, uint64_t gpa, enum ras_set set, struct api_inject_result *r);
	/* Optional: run first on the server's thread (the VMM narrows it: seccomp). */
	void (*thread_start)(void *ctx);
};

struct api_client {
	int fd;
	uid_t uid;
	pid_t pid;
	char in[API_LINE_MAX + 1];
	size_t in_len;
	char *out; /* under api_server.lock: vCPU threads append events */
	size_t out_len, out_cap;
	bool subscribed; /* under lock: gets every new event record */
	bool read_done;	 /* no more requests: EOF, or a line too long */
	bool drop;	 /* under lock: broke a bound; closed at once */
};

struct api_server {
	int listen_fd; /* -1: clients only come through api_server_add_client */
	int wake_fd;   /* eventfd: new output for clients, or stop */
	char path[108];
	dev_t path_dev;
	ino_t path_ino;
	uid_t owner;
	const struct api_vm_ops *ops;
	void *ctx;
	pthread_t thread;
	bool running, stop;
	/* Everything below, and each client's output, under lock. */
	pthread_mutex_t lock;
	struct api_client *clients[API_CLIENTS_MAX];
	unsigned int nclients;
	char *ring[API_RING]; /* the newest records, ring[seq % API_RING] */
	size_t ring_len[API_RING];
	uint64_t seq;		   /* records published */
	uint64_t refused, dropped; /* connections refused and clients dropped */
	struct api_metrics metrics;
};

/*
 * Sets up s (no socket yet). owner is the uid besides root that may connect.
 * 0 or -errno.
 */
int api_server_init(struct api_server *s, uid_t owner, const struct api_vm_ops *ops, void *ctx);
/*
 * Creates the listening socket at path, mode 0600. A path that exists is
 * replaced only when it is a socket nobody listens on (a stale one);
 * otherwise -EEXIST (or -errno), with err saying what and how to fix.
 */
int api_server_listen(struct api_server *s, const char *path, char *err, size_t errlen);
/* Serves an already connected socket as a client with peer uid (tests). 0 or -errno. */
int api_server_add_client(struct api_server *s, int fd, uid_t uid);
/* Starts the thread. 0 or -errno. */
int api_server_start(struct api_server *s);
/*
 * Ends the thread, gives each client a moment to take its last replies,
 * closes every connection and removes the socket. Then frees s.
 */
void api_server_stop(struct api_server *s);
/*
 * An event record (one JSON line, docs/events.md) from any thread: kept in
 * the ring, counted in the metrics under key, and queued for every
 * subscriber (one that is too far behind is dropped).
 */
void api_server_publish(struct api_server *s, const char *rec, size_t len,
			const struct api_event_key *key);
/* A (re)boot of the guest begins, for the metrics. */
void api_server_note_boot(struct api_server *s, enum api_boot_cause cause);

/*
 * For api_requests.c, on the API thread: queues line[0..len) and a newline
 * for c, then, if subscribe, makes c a subscriber: under the lock publishing
 * takes, so no record comes before the reply.
 */
void api_client_reply(struct api_server *s, struct api_client *c, const char *line, size_t len,
		      bool subscribe);

#endif
