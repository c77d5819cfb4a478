/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * seavmm's side of the agent protocol (docs/agent.md), as a pure state
 * machine: bytes from the guest's agent in, lines for it and callbacks out,
 * time passed in by the caller. No I/O, no threads, no allocation, so that
 * unit tests and the fuzzer drive it natively; vmm/agent/agent.c carries it.
 *
 * The agent is untrusted: a line it sends is at most AGENT_LINE_MAX bytes
 * (longer ones are dropped whole), only a page seavmm told it about in this
 * session, with the sequence number of that telling, can be answered, each
 * answer is taken once, and every kind of nonsense is counted and reported
 * at most once per AGENT_REPORT_PERIOD_NS with the count since the last report.
 */
#ifndef SEAVMM_AGENT_PROTO_H
#define SEAVMM_AGENT_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../agent/agent_protocol.h"

/* Pages one VM tracks for its agent: as many as the poison tracker holds. */
#define AGENT_PAGES_MAX 1024
/* Bytes waiting for the port: room for a HELLO and many POISON lines. */
#define AGENT_TX_MAX 4096
/* Lines accepted per second; more are dropped as a flood (counted). */
#define AGENT_LINES_PER_S      4096
#define AGENT_REPORT_PERIOD_NS (10ULL * 1000000000ULL)

/* What is reported about the agent (agent_note_name() gives the names). */
enum agent_note_kind {
	AGENT_NOTE_CONNECTED,	 /* a HELLO: version and ident */
	AGENT_NOTE_DISCONNECTED, /* the port closed; count = pages still unanswered */
	AGENT_NOTE_LIVENESS,	 /* no message for the liveness timeout after a memory error */
	/* Violations: the line is ignored, the VM runs on. */
	AGENT_NOTE_GARBAGE,	/* not a message: bytes outside printable ASCII, bad fields */
	AGENT_NOTE_OVERLONG,	/* longer than AGENT_LINE_MAX */
	AGENT_NOTE_UNKNOWN,	/* a message name this version does not have */
	AGENT_NOTE_EARLY,	/* a message before HELLO */
	AGENT_NOTE_VERSION,	/* a HELLO with no version in common */
	AGENT_NOTE_UNSOLICITED, /* an answer for a page or sequence number never sent */
	AGENT_NOTE_DUPLICATE,	/* an answer for a page already answered in this session */
	AGENT_NOTE_TRUNCATED,	/* the port closed in the middle of a line */
	AGENT_NOTE_FLOOD,	/* lines beyond AGENT_LINES_PER_S, dropped */
	AGENT_NOTE_COUNT
};
#define AGENT_NOTE_FIRST_VIOLATION AGENT_NOTE_GARBAGE

struct agent_note {
	enum agent_note_kind kind;
	uint64_t count;	  /* violations: how many since the last report of this kind */
	bool summary;	  /* violations: the ones counted over the last period, no line */
	uint32_t version; /* CONNECTED: the agreed version */
	uint64_t gpa;	  /* UNSOLICITED, DUPLICATE: the page claimed */
	uint64_t idle_ns; /* LIVENESS: time since the agent's last message */
	char detail[AGENT_LINE_MAX + 8]; /* printable ASCII: ident, or the start of the line */
};

struct agent_proto_ops {
	/* The agent's answer for a page seavmm told it about: once per answer. */
	void (*offlined)(void *ctx, uint64_t gpa, int guest_errno);
	/* Something to report (a line on stderr, an event record). */
	void (*note)(void *ctx, const struct agent_note *n);
	/* A POISON for gpa was queued for the agent; first: the first time in this boot. */
	void (*told)(void *ctx, uint64_t gpa, uint32_t seq, bool first);
};

enum agent_page_state {
	AGENT_PG_QUEUED,   /* to be sent in this session */
	AGENT_PG_SENT,	   /* sent with seq, not answered */
	AGENT_PG_ANSWERED, /* answered with err (not 0: still poisoned) */
};

struct agent_page {
	uint64_t gpa;
	uint32_t seq;  /* given at its first POISON and kept; 0: never sent */
	uint8_t state; /* enum agent_page_state */
	bool answered; /* err holds an answer (from this session or an earlier one) */
	int16_t err;   /* the guest kernel's answer (never 0: offlined pages leave) */
};

struct agent_proto_cfg {
	uint64_t liveness_timeout_ns; /* 0: liveness off */
	const char *host_ident;	      /* "seavmm/VERSION", sent in the HELLO answer */
};

struct agent_proto {
	struct agent_proto_cfg cfg;
	const struct agent_proto_ops *ops;
	void *ctx;
	/* Session: the port open, then a HELLO. */
	bool open, ready;
	uint32_t version;
	bool want_sync; /* a session began: the caller passes the poisoned pages */
	/* Line assembly. */
	char line[AGENT_LINE_MAX];
	size_t line_len;
	bool discarding; /* in an over-long or bad line, up to its '\n' */
	bool bad_byte;
	/* Pages seavmm told or will tell the agent about, sorted by gpa. */
	struct agent_page pages[AGENT_PAGES_MAX];
	uint32_t npages;
	uint32_t next_seq;
	bool lost; /* a page did not fit: resync from the poisoned pages when room frees */
	/* Bytes for the agent. */
	char tx[AGENT_TX_MAX];
	size_t tx_len;
	/* Flood limit: lines in the current second. */
	uint64_t rate_start_ns;
	uint32_t rate_lines;
	/* Violations: counted, reported at most once per period. */
	uint64_t unreported[AGENT_NOTE_COUNT];
	uint64_t total[AGENT_NOTE_COUNT];
	uint64_t last_report_ns[AGENT_NOTE_COUNT];
	bool reported_once[AGENT_NOTE_COUNT];
	/* Liveness: armed by a memory error while an agent is connected. */
	bool error_seen, fired;
	uint64_t error_ns, last_heard_ns;
};

void agent_proto_init(struct agent_proto *p, const struct agent_proto_cfg *cfg,
		      const struct agent_proto_ops *ops, void *ctx);
/* The guest opened the port (its agent is there), or closed it. */
void agent_proto_open(struct agent_proto *p, uint64_t now_ns);
void agent_proto_close(struct agent_proto *p, uint64_t now_ns);
/* Bytes the agent sent. */
void agent_proto_input(struct agent_proto *p, const void *buf, size_t len, uint64_t now_ns);
/*
 * A page came under virtual poison: the agent is told (now, or when it
 * connects). Arms liveness. -ENOSPC when the table is full: the page is told
 * later, through a resync (agent_proto_wants_sync).
 */
int agent_proto_poison(struct agent_proto *p, uint64_t gpa, uint64_t now_ns);
/*
 * True when the caller should pass the pages under virtual poison that the
 * guest has not offlined (a session began, or a page did not fit).
 */
bool agent_proto_wants_sync(const struct agent_proto *p);
/*
 * The pages under virtual poison not yet offlined (gpas is sorted in place):
 * pages not in gpas are forgotten, new ones queued, the others keep their
 * sequence number and answer. O(n log n).
 */
void agent_proto_sync(struct agent_proto *p, uint64_t *gpas, size_t n);
/* Queues POISON lines for unsent pages while there is room in tx. */
void agent_proto_pump(struct agent_proto *p);
/* Bytes for the agent: agent_proto_tx_take() removes what the port took. */
static inline const char *agent_proto_tx(const struct agent_proto *p, size_t *len)
{
	*len = p->tx_len;
	return p->tx;
}
void agent_proto_tx_take(struct agent_proto *p, size_t n);
/*
 * Time passes: reports counted violations that are due and checks liveness.
 * Returns true once when the agent has been silent for the liveness timeout
 * after a memory error (a LIVENESS note was given): the caller acts by policy.
 */
bool agent_proto_tick(struct agent_proto *p, uint64_t now_ns);
/* The VM restarted: fresh memory, no poisoned page, liveness disarmed. */
void agent_proto_reset(struct agent_proto *p);
/* Pages were lost on the way in (a full queue): resync when connected. */
void agent_proto_lost(struct agent_proto *p);

const char *agent_note_name(enum agent_note_kind k);

#endif
