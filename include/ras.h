/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ras/: the SEA policy engine. Decodes a KVM_EXIT_ARM_SEA (or a host SIGBUS),
 * decides what to do with it, tracks poisoned guest pages and formats records.
 * Pure library: no ioctls, no global state and no I/O of its own; vmm/
 * carries out its decisions (vmm/sea/ledger.c reads and writes the ledger file).
 * Functions return 0 (or a length) on success and a negative errno on failure.
 */
#ifndef SEAVMM_RAS_H
#define SEAVMM_RAS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kvm_compat.h"

/* ---- decoded ESR --------------------------------------------------------- */

enum ras_class {
	RAS_CLASS_INVALID,
	RAS_CLASS_IABT_LOW, /* instruction abort from a lower EL */
	RAS_CLASS_IABT_CUR, /* instruction abort from the same EL */
	RAS_CLASS_DABT_LOW,
	RAS_CLASS_DABT_CUR,
};

enum ras_fault {
	RAS_FAULT_INVALID,
	RAS_FAULT_SEA,	    /* FSC 0x10 */
	RAS_FAULT_SEA_WALK, /* FSC 0x13..0x17, level -1..3 */
	RAS_FAULT_ECC,	    /* FSC 0x18 */
	RAS_FAULT_ECC_WALK, /* FSC 0x1b..0x1f, level -1..3 */
};

enum ras_set {
	RAS_SET_NONE, /* the fault kind carries no error type */
	RAS_SET_UER,  /* recoverable */
	RAS_SET_UEO,  /* restartable */
	RAS_SET_UC,   /* uncontainable */
	RAS_SET_RESERVED,
};

#define RAS_LEVEL_NONE (-2)

struct ras_esr {
	uint64_t raw;
	bool valid;	     /* false: nothing below may be trusted */
	const char *invalid; /* why not valid (static string), else NULL */
	enum ras_class cls;
	enum ras_fault fault;
	enum ras_set set;
	int level; /* walk level -1..3, or RAS_LEVEL_NONE */
	uint8_t ec, fsc, set_bits;
	bool il, isv, fnv, ea, cm, s1ptw, wnr;
};

/* Never fails: an ESR KVM could not have reported comes back !valid. */
void ras_decode_esr(uint64_t esr, struct ras_esr *out);

/* ---- events -------------------------------------------------------------- */

enum ras_source {
	RAS_SRC_SEA_EXIT,  /* KVM_EXIT_ARM_SEA */
	RAS_SRC_SIGBUS_AR, /* host SIGBUS BUS_MCEERR_AR: consumed */
	RAS_SRC_SIGBUS_AO, /* host SIGBUS BUS_MCEERR_AO: found, not consumed */
	RAS_SRC_POISONED,  /* a later guest access to a page under virtual poison */
	RAS_SRC_DEVICE,	   /* seavmm's own device emulation met poison in a guest buffer */
	RAS_SRC_COUNT
};

/* What vmm/ knows about the vCPU when the event happened. */
struct ras_vcpu_ctx {
	uint32_t vcpu;
	uint64_t pstate; /* the guest's PSTATE at the fault */
	uint64_t pc;
	uint64_t mono_ns; /* CLOCK_MONOTONIC: ordering within a run */
	uint64_t wall_ns; /* CLOCK_REALTIME: windows and the ledger outlive a run */
};

struct ras_event {
	enum ras_source source;
	struct ras_vcpu_ctx ctx;
	int el; /* 0, 1, or -1 when PSTATE is not a guest EL0/EL1 */
	bool aarch32;
	bool sp_elx;  /* AArch64 EL1h rather than EL1t */
	bool has_esr; /* SIGBUS events carry none */
	struct ras_esr esr;
	bool gva_valid, gpa_valid;
	uint64_t gva, gpa; /* gpa is page granular */
};

/* From kvm_run.arm_sea. */
void ras_event_from_exit(struct ras_event *ev, const struct seavmm_arm_sea *sea,
			 const struct ras_vcpu_ctx *ctx);
/*
 * From a host SIGBUS (source AR or AO) or an access to a quarantined page:
 * gpa_valid says whether vmm/ could map the address back to guest memory.
 */
void ras_event_from_host(struct ras_event *ev, enum ras_source source, bool gpa_valid, uint64_t gpa,
			 const struct ras_vcpu_ctx *ctx);

/*
 * A guest access to a page under virtual poison, seen as the host kernel's
 * SIGBUS for its retired frame: fetch says vmm/ found the PC on the page.
 */
void ras_event_from_reaccess(struct ras_event *ev, uint64_t gpa, bool fetch,
			     const struct ras_vcpu_ctx *ctx);

/* ---- policy -------------------------------------------------------------- */

enum ras_action {
	RAS_ACT_INJECT,
	RAS_ACT_RESTART,
	RAS_ACT_STOP,
	RAS_ACT_OFF, /* liveness only: not watched */
	RAS_ACT_COUNT
};

/*
 * How vmm/ presents an injected abort (docs/policy.md, inject_path): through
 * KVM_SET_VCPU_EVENTS with the ESR supplied (only kernels with the
 * not-upstream KVM_CAP_ARM_INJECT_EXT_IABT, include/kvm_compat.h), or by
 * emulating the exception entry with KVM_SET_ONE_REG. AUTO is a request:
 * vmm/ resolves it to one of the others when the VM is built.
 */
enum ras_inject_path {
	RAS_INJECT_AUTO,
	RAS_INJECT_EVENTS,
	RAS_INJECT_ENTRY,
};

struct ras_policy {
	enum ras_action user;	 /* error consumed by guest EL0 */
	enum ras_action kernel;	 /* ... by guest EL1 */
	enum ras_action uc;	 /* uncontainable: restart|stop */
	enum ras_action walk;	 /* SEA/ECC on a translation table walk */
	enum ras_action invalid; /* untrusted exit or context: restart|stop */
	uint32_t threshold;	 /* > this many distinct pages in window: 0 = off */
	uint64_t window_ns;
	enum ras_action on_threshold; /* restart|stop */
	uint32_t storm;		      /* > this many in a row on one page/PC: 1..254 */
	uint32_t storm_rate;	      /* > this many on one page (or without GPA) in 1 s */
	enum ras_action on_storm;     /* restart|stop */
	bool quarantine;	      /* retire the bad host frame */
	bool poison_keep;	      /* the page reads as poisoned until offlined or restart */
	enum ras_inject_path inject_path;
	enum ras_action liveness;     /* off|restart|stop: a silent agent after an error */
	uint64_t liveness_timeout_ns; /* how long silent */
};

void ras_policy_default(struct ras_policy *p);
/*
 * One key=value setting, as written in a policy file or given as a flag.
 * On error, err receives "what is wrong; how to fix" (no location prefix).
 */
int ras_policy_set(struct ras_policy *p, const char *key, const char *value, char *err,
		   size_t errlen);
/* "key=value" in one string (a --ras flag). */
int ras_policy_set_kv(struct ras_policy *p, const char *kv, char *err, size_t errlen);
/*
 * A whole policy file: '#' comments, blank lines, key = value per line.
 * Applies onto *p (start from ras_policy_default). On error *p is unchanged
 * and err holds "policy:LINE: what is wrong; how to fix".
 */
int ras_policy_parse(struct ras_policy *p, const char *text, size_t len, char *err, size_t errlen);
/* The effective policy as a policy file; returns its length or -ENOSPC. */
int ras_policy_format(const struct ras_policy *p, char *buf, size_t len);

/* ---- poison tracker ------------------------------------------------------ */

/* ras_page.flags */
#define RAS_PG_SRC_MASK	 0x07 /* enum ras_source */
#define RAS_PG_GVA_VALID 0x08
#define RAS_PG_INJECTED	 0x10
#define RAS_PG_RETIRED	 0x20 /* the bad host frame was taken out of use (sticky) */
#define RAS_PG_ESC_SHIFT 6    /* enum ras_escalate, 2 bits */
#define RAS_PG_ESC_MASK	 (3 << RAS_PG_ESC_SHIFT)

/*
 * ras_page.poison: what a guest access to the page meets now. The state is
 * in the low bits; the flags above it say how the frame was retired and
 * whether the guest agent was told.
 */
enum ras_poison {
	RAS_PZ_NONE,	 /* history only (a page from the ledger, or never poisoned) */
	RAS_PZ_ACTIVE,	 /* virtual poison: every guest access gets an abort */
	RAS_PZ_OFFLINED, /* ended: the guest took the page out of use */
	RAS_PZ_RESTART,	 /* ended: the VM restarted, fresh memory behind every GPA */
	RAS_PZ_FRESH,	 /* ended at once: poison=fresh gave the guest a fresh page */
	RAS_PZ_COUNT
};
#define RAS_PZ_STATE_MASK 0x07
#define RAS_PZ_HWPOISON	  0x08 /* retired through the host kernel (hwpoison entry) */
#define RAS_PZ_INPLACE	  0x10 /* could not be retired: left in place, protected */
#define RAS_PZ_TOLD	  0x20 /* the guest agent was told about the page */

/* 64 bytes: with its index slots a tracked page costs at most 72 bytes. */
struct ras_page {
	uint64_t gpa;		    /* page aligned */
	uint64_t first_ns, last_ns; /* wall clock */
	uint64_t gva;		    /* last valid GVA (RAS_PG_GVA_VALID) */
	uint32_t esr;		    /* last ESR (sanitized ESRs fit in 32 bits) */
	uint32_t count;		    /* events on this page */
	uint32_t prev, next;	    /* internal: recency list */
	uint32_t pc_tag;	    /* internal: low bits of the last consuming PC */
	uint16_t vcpu;		    /* last vCPU */
	uint8_t streak;		    /* consecutive consumptions from one vCPU and PC */
	uint8_t flags;		    /* RAS_PG_*: last source and action taken */
	uint8_t poison;		    /* enum ras_poison | RAS_PZ_* */
	uint8_t guest_errno;	    /* the guest kernel's answer to offlining (agent) */
	uint8_t burst;		    /* events in the one-second bucket burst_s */
	uint8_t reserved;
	uint32_t burst_s; /* wall-clock second (low 32 bits) of burst */
};

static inline enum ras_poison ras_page_poison(const struct ras_page *pg)
{
	return (enum ras_poison)(pg->poison & RAS_PZ_STATE_MASK);
}

static inline void ras_page_set_poison(struct ras_page *pg, enum ras_poison st)
{
	pg->poison = (uint8_t)((pg->poison & ~RAS_PZ_STATE_MASK) | st);
}

struct ras_tracker {
	struct ras_page *pages; /* dense, insertion order */
	uint32_t *slots;	/* open addressing: page index + 1, 0 = empty */
	uint32_t n, cap, max, nslots;
	uint32_t head, tail; /* recency list by last_ns, oldest first */
	/* Events with no GPA still need storm protection. */
	uint32_t nogpa_vcpu, nogpa_pc_tag, nogpa_streak;
	uint32_t nogpa_burst, nogpa_burst_s;
};

/* The most pages a tracker can hold (24-bit indices in its slots). */
#define RAS_TRACKER_MAX ((1u << 24) - 1)
/* Tracks up to max pages (1 to RAS_TRACKER_MAX); memory grows as pages arrive. */
int ras_tracker_init(struct ras_tracker *t, uint32_t max);
void ras_tracker_free(struct ras_tracker *t);
struct ras_page *ras_tracker_lookup(const struct ras_tracker *t, uint64_t gpa);
/*
 * Finds or adds the page of gpa and moves it to now in the recency list;
 * *created tells which. -ENOSPC when full, -ENOMEM.
 */
int ras_tracker_touch(struct ras_tracker *t, uint64_t gpa, uint64_t now_ns, struct ras_page **page,
		      bool *created);
/* Adds or replaces a whole page record (ledger reload); keeps recency order. */
int ras_tracker_put(struct ras_tracker *t, const struct ras_page *pg);
/* Distinct pages with last_ns in [now - window, now], counting at most limit. */
uint32_t ras_tracker_count_window(const struct ras_tracker *t, uint64_t now_ns, uint64_t window_ns,
				  uint32_t limit);
/* Calls fn for each page in GPA order; stops at fn's first non-zero return. */
int ras_tracker_foreach(const struct ras_tracker *t,
			int (*fn)(const struct ras_page *pg, void *arg), void *arg);
/* Heap bytes held, for the 64-bytes-per-page budget. */
size_t ras_tracker_mem_bytes(const struct ras_tracker *t);

/* ---- decisions ----------------------------------------------------------- */

enum ras_escalate {
	RAS_ESC_NONE,
	RAS_ESC_RESTART,
	RAS_ESC_STOP,
};

struct ras_inject {
	bool pending;	  /* inject an abort; nothing below matters otherwise */
	bool instruction; /* instruction abort, else data abort */
	uint8_t ec;	  /* as the guest sees it: 0x20/0x21/0x24/0x25 */
	uint32_t iss;	  /* ESR_EL1[24:0] */
	uint64_t esr;	  /* the full ESR_EL1 to present */
	uint64_t far;	  /* FAR_EL1 (0 when FnV) */
	uint16_t vector;  /* offset from VBAR_EL1 for exception-entry emulation */
	/*
	 * KVM_SET_VCPU_EVENTS ext_dabt_pending would produce exactly this ESR
	 * and FAR (data abort, FSC 0x10, SET 0, FnV 0, no WnR/CM, FAR of this
	 * exit); otherwise vmm/ must emulate the exception entry.
	 */
	bool kvm_ext_dabt_exact;
	enum ras_inject_path path; /* the policy's inject_path, resolved by vmm/ */
};

/* How vmm/ took the bad host frame out of use (it fills ras_decision.retired). */
enum ras_retire {
	RAS_RT_NONE,	 /* nothing done (no GPA, quarantine=no, or a re-access) */
	RAS_RT_HWPOISON, /* madvise(MADV_HWPOISON): the host kernel retired it for good */
	RAS_RT_KERNEL,	 /* the host kernel had already retired it (its SIGBUS) */
	RAS_RT_INPLACE,	 /* the host kernel would not: left in place, protected */
	RAS_RT_COUNT
};

struct ras_decision {
	struct ras_inject inject;
	bool quarantine;	 /* the page's bad host frame is (to be) out of use */
	bool retire;		 /* vmm/ must retire the frame now (first error on it) */
	bool fresh;		 /* then give the GPA a fresh page (poison=fresh) */
	bool reaccess;		 /* the page was already under virtual poison */
	enum ras_poison poison;	 /* the page's state after this event */
	enum ras_retire retired; /* filled in by vmm/ once carried out */
	bool guest_informed;	 /* the guest was told: an abort, or its agent */
	uint64_t quarantine_gpa; /* the page of all the above */
	enum ras_escalate escalate;
	bool tracked;	     /* the page is in the tracker */
	uint32_t page_count; /* events on this page so far */
	uint32_t streak;
	uint32_t burst;	       /* events on the page (or without GPA) this second */
	uint32_t window_pages; /* distinct pages in the window, capped */
	char reason[160];
};

/*
 * Decides what to do with ev under p, recording the page and the action in t.
 * Deterministic: the same policy, tracker state and event give the same
 * decision. Never fails: trouble (tracker full) is folded into the decision.
 */
void ras_decide(const struct ras_policy *p, struct ras_tracker *t, const struct ras_event *ev,
		struct ras_decision *d);

/* ---- records and ledger -------------------------------------------------- */

/* One JSON object and '\n' (docs/events.md); returns its length or -ENOSPC. */
int ras_record_format(const struct ras_event *ev, const struct ras_decision *d, const char *vm_name,
		      char *buf, size_t len);

/*
 * A page's poison changed without a new error (the VM restarted, the guest
 * agent offlined it): {"kind":"poison_state",...} and '\n' (docs/events.md).
 */
int ras_poison_record_format(const struct ras_page *pg, uint64_t wall_ns, const char *vm_name,
			     const char *by, char *buf, size_t len);

#define RAS_LEDGER_LINE_MAX 256
/* One ledger line with its checksum and '\n'; returns its length or -ENOSPC. */
int ras_ledger_format(const struct ras_page *pg, char *buf, size_t len);
/* One line without its '\n'; -EBADMSG when it is not a well-formed record. */
int ras_ledger_parse_line(const char *line, size_t len, struct ras_page *pg);
/*
 * Loads ledger text into t; a later line for a page replaces an earlier one.
 * Returns the number of bytes that hold complete lines (vmm/sea/ledger.c cuts the
 * file there): a torn last line is skipped and named in warn. Corrupt complete
 * lines are skipped and counted in warn too. History fills at most half of t
 * (rounded up): of more pages than that, the most recent (by last_ns, which
 * the threshold window counts) are kept and warn says how many were left
 * out. -ENOMEM, or -ENOSPC past RAS_TRACKER_MAX distinct pages, are errors.
 */
long ras_ledger_load_buf(struct ras_tracker *t, const char *buf, size_t len, char *warn,
			 size_t warnlen);

/* ---- names (JSON, ledger, policy files) ---------------------------------- */

const char *ras_class_name(enum ras_class c);
const char *ras_fault_name(enum ras_fault f);
const char *ras_set_name(enum ras_set s);
const char *ras_source_name(enum ras_source s);
const char *ras_action_name(enum ras_action a);
const char *ras_escalate_name(enum ras_escalate e);
const char *ras_poison_name(enum ras_poison p);
const char *ras_retire_name(enum ras_retire r);
const char *ras_inject_path_name(enum ras_inject_path p);
/* Name to value; -EINVAL when unknown. */
int ras_source_parse(const char *name, enum ras_source *out);

#endif
