/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The control socket's requests (docs/api.md): one JSON object per line,
 * parsed with json-c in strict mode, answered with one JSON object per line.
 * Portable, so unit tests cover parsing and replies natively.
 */
#ifndef SEAVMM_API_REQUESTS_H
#define SEAVMM_API_REQUESTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "api_server.h"
#include "ras.h"

#define API_JSON_DEPTH 8 /* nesting a request may have; far more than any needs */

enum api_req_kind {
	API_REQ_STATUS,
	API_REQ_POISON_LIST,
	API_REQ_EVENTS,
	API_REQ_SUBSCRIBE,
	API_REQ_METRICS,
	API_REQ_PAUSE,
	API_REQ_RESUME,
	API_REQ_STOP,
	API_REQ_RESTART,
	API_REQ_INJECT_POISON,
	API_REQ_COUNT
};

struct api_request {
	enum api_req_kind kind;
	bool known;	   /* kind is set: error replies name the request */
	uint64_t gpa;	   /* inject-poison */
	enum ras_set set;  /* inject-poison: uer (default), ueo, uc */
	unsigned int last; /* events: how many of the newest (0: all kept) */
	/* The client's "id", echoed in the reply: a string or an integer. */
	bool has_id, id_is_str;
	int64_t id_num;
	char id_str[65];
};

/*
 * Parses one request line (without its newline). 0, or -EINVAL with err
 * saying what is wrong and how to fix it (req->known tells whether the
 * request's name was understood).
 */
int api_request_parse(const char *line, size_t len, struct api_request *req, char *err,
		      size_t errlen);
/* Handles one line from c: queues its reply (and, for subscribe, marks c). */
void api_request_handle(struct api_server *s, struct api_client *c, const char *line, size_t len);
/* Queues {"ok":false,"error":...} for c. */
void api_request_error(struct api_server *s, struct api_client *c, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
const char *api_request_name(enum api_req_kind k);

#endif
