// SPDX-License-Identifier: GPL-2.0-only
/*
 * From a request line to its reply. Nothing a client sends is trusted: the
 * line is parsed strictly (valid UTF-8, standard JSON, at most
 * API_JSON_DEPTH levels, one value), every field is checked against what its
 * request takes, and every error is a reply saying what was wrong.
 */
#include "api_requests.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api_json.h"
#include "api_page.h"
#include "util.h"

#define API_METRICS_MAX 32768

struct api_req_def {
	const char *name;
	const char *fields[3]; /* besides "request" and "id" */
};

static const struct api_req_def api_reqs[API_REQ_COUNT] = {
	[API_REQ_STATUS] = { "status", { NULL } },
	[API_REQ_POISON_LIST] = { "poison-list", { NULL } },
	[API_REQ_EVENTS] = { "events", { "last", NULL } },
	[API_REQ_SUBSCRIBE] = { "subscribe", { NULL } },
	[API_REQ_METRICS] = { "metrics", { NULL } },
	[API_REQ_PAUSE] = { "pause", { NULL } },
	[API_REQ_RESUME] = { "resume", { NULL } },
	[API_REQ_STOP] = { "stop", { NULL } },
	[API_REQ_RESTART] = { "restart", { NULL } },
	[API_REQ_INJECT_POISON] = { "inject-poison", { "gpa", "type", NULL } },
};

#define API_REQ_LIST                                                                      \
	"status, poison-list, events, subscribe, metrics, pause, resume, stop, restart, " \
	"inject-poison"

const char *api_request_name(enum api_req_kind k)
{
	return (unsigned int)k < API_REQ_COUNT ? api_reqs[k].name : "?";
}

static int api_err(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int api_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static bool api_field_allowed(const struct api_req_def *d, const char *key)
{
	if (!strcmp(key, "request") || !strcmp(key, "id"))
		return true;
	for (unsigned int i = 0; i < ARRAY_SIZE(d->fields) && d->fields[i]; i++)
		if (!strcmp(key, d->fields[i]))
			return true;
	return false;
}

static int api_parse_id(struct json_object *id, struct api_request *req, char *err, size_t errlen)
{
	if (json_object_is_type(id, json_type_int)) {
		req->id_num = json_object_get_int64(id);
	} else if (json_object_is_type(id, json_type_string) &&
		   json_object_get_string_len(id) < (int)sizeof(req->id_str)) {
		req->id_is_str = true;
		snprintf(req->id_str, sizeof(req->id_str), "%s", json_object_get_string(id));
	} else {
		return api_err(err, errlen,
			       "\"id\" must be an integer or a string of at most %zu bytes",
			       sizeof(req->id_str) - 1);
	}
	req->has_id = true;
	return 0;
}

static int api_parse_args(struct json_object *o, struct api_request *req, char *err, size_t errlen)
{
	struct json_object *v;

	if (req->kind == API_REQ_EVENTS && json_object_object_get_ex(o, "last", &v)) {
		int64_t n = json_object_get_int64(v);

		if (!json_object_is_type(v, json_type_int) || n < 1 || n > API_RING)
			return api_err(err, errlen,
				       "events: \"last\" must be an integer from 1 to %d",
				       API_RING);
		req->last = (unsigned int)n;
	}
	if (req->kind != API_REQ_INJECT_POISON)
		return 0;
	if (!json_object_object_get_ex(o, "gpa", &v))
		return api_err(err, errlen,
			       "inject-poison needs \"gpa\", the guest-physical address, e.g. "
			       "{\"request\":\"inject-poison\",\"gpa\":\"0x48000000\"}");
	if (api_json_get_u64(v, &req->gpa))
		return api_err(err, errlen,
			       "inject-poison: \"gpa\" must be an address: a \"0x...\" string or a "
			       "non-negative integer");
	req->set = RAS_SET_UER;
	if (json_object_object_get_ex(o, "type", &v)) {
		const char *t = json_object_get_string(v);

		if (!json_object_is_type(v, json_type_string))
			t = "";
		if (!strcmp(t, "uer"))
			req->set = RAS_SET_UER;
		else if (!strcmp(t, "ueo"))
			req->set = RAS_SET_UEO;
		else if (!strcmp(t, "uc"))
			req->set = RAS_SET_UC;
		else
			return api_err(
				err, errlen,
				"inject-poison: \"type\" must be \"uer\", \"ueo\" or \"uc\"");
	}
	return 0;
}

/* The parsed object, or NULL with err saying why. */
static struct json_object *api_parse_json(const char *line, size_t len, char *err, size_t errlen)
{
	struct json_tokener *tok;
	struct json_object *o;
	size_t end;

	if (memchr(line, '\0', len)) {
		api_err(err, errlen, "a NUL byte in the request; send one JSON object per line");
		return NULL;
	}
	tok = json_tokener_new_ex(API_JSON_DEPTH);
	if (!tok) {
		api_err(err, errlen, "out of memory");
		return NULL;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	o = json_tokener_parse_ex(tok, line, (int)len);
	end = json_tokener_get_parse_end(tok);
	if (!o) {
		enum json_tokener_error e = json_tokener_get_error(tok);

		if (e == json_tokener_continue || e == json_tokener_success)
			api_err(err, errlen,
				"malformed JSON: the line ends inside a value; send one whole "
				"JSON object per line, e.g. {\"request\":\"status\"}");
		else
			api_err(err, errlen,
				"malformed JSON at byte %zu: %s; send one JSON object per line, "
				"e.g. {\"request\":\"status\"}",
				end, json_tokener_error_desc(e));
	} else {
		/* Only white space may follow the one value. */
		while (end < len && (line[end] == ' ' || line[end] == '\t'))
			end++;
		if (end < len) {
			api_err(err, errlen,
				"malformed JSON: more after the request object at byte %zu; send "
				"one JSON object per line",
				end);
			json_object_put(o);
			o = NULL;
		}
	}
	json_tokener_free(tok);
	return o;
}

int api_request_parse(const char *line, size_t len, struct api_request *req, char *err,
		      size_t errlen)
{
	struct json_object *o = api_parse_json(line, len, err, errlen), *v;
	const char *name;
	int ret = -EINVAL;

	memset(req, 0, sizeof(*req));
	if (!o)
		return -EINVAL;
	if (!json_object_is_type(o, json_type_object)) {
		api_err(err, errlen,
			"a request is a JSON object, e.g. {\"request\":\"status\"}, not a %s",
			json_type_to_name(json_object_get_type(o)));
		goto out;
	}
	if (json_object_object_get_ex(o, "id", &v) && api_parse_id(v, req, err, errlen))
		goto out;
	if (!json_object_object_get_ex(o, "request", &v) ||
	    !json_object_is_type(v, json_type_string)) {
		api_err(err, errlen,
			"no \"request\" name; e.g. {\"request\":\"status\"}; "
			"requests: " API_REQ_LIST);
		goto out;
	}
	name = json_object_get_string(v);
	for (unsigned int k = 0; k < API_REQ_COUNT; k++)
		if (!strcmp(name, api_reqs[k].name)) {
			req->kind = (enum api_req_kind)k;
			req->known = true;
		}
	if (!req->known) {
		/* Bounded: the name is the client's and may be anything. */
		api_err(err, errlen, "unknown request '%.40s'; requests: " API_REQ_LIST, name);
		goto out;
	}
	json_object_object_foreach(o, key, val)
	{
		(void)val;
		if (!api_field_allowed(&api_reqs[req->kind], key)) {
			api_err(err, errlen, "%s takes no field '%.40s'; see docs/api.md", name,
				key);
			goto out;
		}
	}
	ret = api_parse_args(o, req, err, errlen);
out:
	json_object_put(o);
	return ret;
}

/* ---- replies ------------------------------------------------------------- */

static struct json_object *api_reply_new(const struct api_request *req, bool ok)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "ok", json_object_new_boolean(ok));
	if (req && req->known)
		json_object_object_add(o, "request",
				       json_object_new_string(api_request_name(req->kind)));
	if (req && req->has_id)
		json_object_object_add(o, "id",
				       req->id_is_str ? json_object_new_string(req->id_str)
						      : json_object_new_int64(req->id_num));
	return o;
}

/* Queues o as one line for c (and marks c a subscriber, if subscribe), and frees o. */
static void api_reply_send(struct api_server *s, struct api_client *c, struct json_object *o,
			   bool subscribe)
{
	size_t n = 0;
	const char *txt = json_object_to_json_string_length(
		o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &n);

	if (txt)
		api_client_reply(s, c, txt, n, subscribe);
	json_object_put(o);
}

static void api_verror(struct api_server *s, struct api_client *c, const struct api_request *req,
		       const char *fmt, va_list ap)
{
	struct json_object *o = api_reply_new(req, false);
	char msg[320];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	json_object_object_add(o, "error", json_object_new_string(msg));
	api_reply_send(s, c, o, false);
}

void api_request_error(struct api_server *s, struct api_client *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	api_verror(s, c, NULL, fmt, ap);
	va_end(ap);
}

static void api_req_error(struct api_server *s, struct api_client *c, const struct api_request *req,
			  const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void api_req_error(struct api_server *s, struct api_client *c, const struct api_request *req,
			  const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	api_verror(s, c, req, fmt, ap);
	va_end(ap);
}

static uint64_t api_now(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* A snapshot of the tracked pages: heap, API_PAGES_MAX at most. */
static unsigned int api_pages(struct api_server *s, struct ras_page **pages)
{
	*pages = calloc(API_PAGES_MAX, sizeof(**pages));
	if (!*pages)
		return 0;
	return s->ops->pages(s->ctx, *pages, API_PAGES_MAX);
}

/* "key=value\n" lines (ras_policy_format) as an object of strings. */
static struct json_object *api_policy_object(const char *text)
{
	struct json_object *o = json_object_new_object();
	char key[32], val[64];
	int n;

	while (*text && sscanf(text, "%31[^=\n]=%63[^\n]%n", key, val, &n) == 2) {
		json_object_object_add(o, key, json_object_new_string(val));
		text += n;
		while (*text == '\n')
			text++;
	}
	return o;
}

static void api_do_status(struct api_server *s, struct api_client *c, const struct api_request *r)
{
	struct json_object *o = api_reply_new(r, true), *counts;
	struct api_status st = { 0 };
	struct api_page_counts pc;
	struct ras_page *pages;
	unsigned int n = api_pages(s, &pages);
	uint64_t now = api_now(CLOCK_MONOTONIC), events, restarts = 0;

	s->ops->status(s->ctx, &st);
	api_page_count(pages, n, &pc);
	free(pages);
	pthread_mutex_lock(&s->lock);
	events = api_metrics_events_total(&s->metrics);
	for (unsigned int i = API_BOOT_GUEST_RESET; i < API_BOOT_COUNT; i++)
		restarts += s->metrics.boots[i];
	pthread_mutex_unlock(&s->lock);

	json_object_object_add(o, "state", json_object_new_string(st.state));
	json_object_object_add(o, "vm", json_object_new_string(st.vm_name));
	json_object_object_add(o, "vcpus", json_object_new_int64(st.vcpus));
	json_object_object_add(o, "memory_bytes", json_object_new_uint64(st.mem_bytes));
	json_object_object_add(o, "uptime_s",
			       api_json_seconds(now > st.started_ns ? now - st.started_ns : 0));
	json_object_object_add(o, "boot_uptime_s",
			       api_json_seconds(now > st.booted_ns ? now - st.booted_ns : 0));
	json_object_object_add(o, "boots", json_object_new_int64(st.boots));
	json_object_object_add(o, "inject", json_object_new_string(st.inject));
	json_object_object_add(o, "policy", api_policy_object(st.policy));
	counts = json_object_new_object();
	json_object_object_add(counts, "events", json_object_new_uint64(events));
	json_object_object_add(counts, "pages", json_object_new_int64(pc.total));
	json_object_object_add(counts, "poisoned", json_object_new_int64(pc.poisoned));
	json_object_object_add(counts, "retired", json_object_new_int64(pc.retired));
	json_object_object_add(counts, "offlined", json_object_new_int64(pc.offlined));
	json_object_object_add(counts, "quarantined", json_object_new_int64(st.quarantined));
	json_object_object_add(counts, "restarts", json_object_new_uint64(restarts));
	json_object_object_add(o, "counts", counts);
	api_reply_send(s, c, o, false);
}

static struct json_object *api_page_object(const struct ras_page *pg)
{
	struct json_object *p = json_object_new_object();
	enum ras_escalate esc =
		(enum ras_escalate)((pg->flags & RAS_PG_ESC_MASK) >> RAS_PG_ESC_SHIFT);

	json_object_object_add(p, "gpa", api_json_hex(pg->gpa));
	json_object_object_add(p, "state", json_object_new_string(api_page_state(pg)));
	json_object_object_add(p, "offlined", json_object_new_boolean(api_page_offlined(pg)));
	json_object_object_add(p, "count", json_object_new_int64(pg->count));
	json_object_object_add(p, "first", api_json_time(pg->first_ns));
	json_object_object_add(p, "last", api_json_time(pg->last_ns));
	json_object_object_add(p, "source",
			       json_object_new_string(ras_source_name(
				       (enum ras_source)(pg->flags & RAS_PG_SRC_MASK))));
	json_object_object_add(p, "vcpu", json_object_new_int64(pg->vcpu));
	json_object_object_add(p, "gva",
			       pg->flags & RAS_PG_GVA_VALID ? api_json_hex(pg->gva) : NULL);
	json_object_object_add(p, "esr", api_json_hex(pg->esr));
	json_object_object_add(p, "injected", json_object_new_boolean(pg->flags & RAS_PG_INJECTED));
	json_object_object_add(p, "escalate", json_object_new_string(ras_escalate_name(esc)));
	return p;
}

static void api_do_poison_list(struct api_server *s, struct api_client *c,
			       const struct api_request *r)
{
	struct json_object *o = api_reply_new(r, true), *arr = json_object_new_array();
	struct ras_page *pages;
	unsigned int n = api_pages(s, &pages);

	for (unsigned int i = 0; i < n; i++)
		json_object_array_add(arr, api_page_object(&pages[i]));
	free(pages);
	json_object_object_add(o, "pages", arr);
	api_reply_send(s, c, o, false);
}

static void api_do_events(struct api_server *s, struct api_client *c, const struct api_request *r)
{
	struct json_object *o = api_reply_new(r, true), *arr = json_object_new_array();
	uint64_t first, seq;

	pthread_mutex_lock(&s->lock);
	seq = s->seq;
	first = seq > API_RING ? seq - API_RING : 0;
	if (r->last && seq - first > r->last)
		first = seq - r->last;
	for (uint64_t i = first; i < seq; i++) {
		const char *rec = s->ring[i % API_RING];
		/* Our own records: parsed back so the reply is one JSON value. */
		struct json_object *e = rec ? json_tokener_parse(rec) : NULL;

		if (e)
			json_object_array_add(arr, e);
	}
	pthread_mutex_unlock(&s->lock);
	json_object_object_add(o, "events", arr);
	json_object_object_add(o, "total", json_object_new_uint64(seq));
	api_reply_send(s, c, o, false);
}

static void api_do_metrics(struct api_server *s, struct api_client *c, const struct api_request *r)
{
	struct json_object *o;
	struct api_page_counts pc;
	struct ras_page *pages;
	unsigned int n = api_pages(s, &pages);
	char *text = malloc(API_METRICS_MAX);
	int len;

	api_page_count(pages, n, &pc);
	free(pages);
	if (!text) {
		api_req_error(s, c, r, "out of memory");
		return;
	}
	pthread_mutex_lock(&s->lock);
	len = api_metrics_format(&s->metrics, &pc, api_now(CLOCK_MONOTONIC), text, API_METRICS_MAX);
	pthread_mutex_unlock(&s->lock);
	if (len < 0) {
		api_req_error(s, c, r, "the metrics do not fit in %d bytes", API_METRICS_MAX);
	} else {
		o = api_reply_new(r, true);
		json_object_object_add(o, "text", json_object_new_string_len(text, len));
		api_reply_send(s, c, o, false);
	}
	free(text);
}

static void api_do_state(struct api_server *s, struct api_client *c, const struct api_request *r)
{
	struct json_object *o;
	const char *state;

	if (r->kind == API_REQ_PAUSE || r->kind == API_REQ_RESUME) {
		state = s->ops->pause(s->ctx, r->kind == API_REQ_PAUSE);
	} else {
		bool restart = r->kind == API_REQ_RESTART;

		if (!s->ops->stop(s->ctx, restart)) {
			api_req_error(s, c, r, "the VM is already stopping or restarting");
			return;
		}
		state = restart ? "restarting" : "stopping";
	}
	o = api_reply_new(r, true);
	json_object_object_add(o, "state", json_object_new_string(state));
	api_reply_send(s, c, o, false);
}

static void api_do_inject(struct api_server *s, struct api_client *c, const struct api_request *r)
{
	struct api_inject_result res = { .mechanism = "none" };
	int ret = s->ops->inject(s->ctx, r->gpa, r->set, &res);
	struct json_object *o = api_reply_new(r, ret == 0);

	json_object_object_add(o, "gpa", api_json_hex(r->gpa));
	json_object_object_add(o, "type", json_object_new_string(ras_set_name(r->set)));
	json_object_object_add(o, "mechanism", json_object_new_string(res.mechanism));
	if (ret == 0) {
		json_object_object_add(o, "pa", api_json_hex(res.pa));
		json_object_object_add(o, "detail", json_object_new_string(res.detail));
	} else {
		json_object_object_add(o, "error", json_object_new_string(res.detail));
	}
	api_reply_send(s, c, o, false);
}

void api_request_handle(struct api_server *s, struct api_client *c, const char *line, size_t len)
{
	struct api_request req;
	char err[256];

	if (api_request_parse(line, len, &req, err, sizeof(err))) {
		api_req_error(s, c, &req, "%s", err);
		return;
	}
	switch (req.kind) {
	case API_REQ_STATUS:
		api_do_status(s, c, &req);
		break;
	case API_REQ_POISON_LIST:
		api_do_poison_list(s, c, &req);
		break;
	case API_REQ_EVENTS:
		api_do_events(s, c, &req);
		break;
	case API_REQ_SUBSCRIBE:
		api_reply_send(s, c, api_reply_new(&req, true), true);
		break;
	case API_REQ_METRICS:
		api_do_metrics(s, c, &req);
		break;
	case API_REQ_PAUSE:
	case API_REQ_RESUME:
	case API_REQ_STOP:
	case API_REQ_RESTART:
		api_do_state(s, c, &req);
		break;
	case API_REQ_INJECT_POISON:
		api_do_inject(s, c, &req);
		break;
	case API_REQ_COUNT:
		break;
	}
}
