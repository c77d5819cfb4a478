// SPDX-License-Identifier: GPL-2.0-only
/*
 * The policy: defaults, one key=value setting (shared by the policy file and
 * command-line flags), a whole file, and the effective policy as text.
 * docs/policy.md documents every key; keep the two in step.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ras.h"

#define NS_PER_S	  1000000000ULL
#define RAS_ACTS_ALL	  ((1u << RAS_ACT_INJECT) | (1u << RAS_ACT_RESTART) | (1u << RAS_ACT_STOP))
#define RAS_ACTS_ESC	  ((1u << RAS_ACT_RESTART) | (1u << RAS_ACT_STOP))
#define RAS_ACTS_LIVE	  (RAS_ACTS_ESC | (1u << RAS_ACT_OFF))
#define RAS_THRESHOLD_MAX 1000000u
#define RAS_WINDOW_MAX_S  (3650ULL * 86400)

enum ras_key_type { RAS_KEY_ACTION, RAS_KEY_U32, RAS_KEY_DURATION, RAS_KEY_BOOL, RAS_KEY_PATH };

struct ras_key {
	const char *name;
	enum ras_key_type type;
	size_t off;
	unsigned int acts;	   /* RAS_KEY_ACTION: allowed actions */
	uint32_t min, max;	   /* RAS_KEY_U32 */
	const char *on, *off_word; /* RAS_KEY_BOOL words other than yes/no */
};

/* clang-format off */
#define ACT(n, f, a) { n, RAS_KEY_ACTION, offsetof(struct ras_policy, f), a, 0, 0, NULL, NULL }
/* clang-format on */
static const struct ras_key ras_keys[] = {
	ACT("user", user, RAS_ACTS_ALL),
	ACT("kernel", kernel, RAS_ACTS_ALL),
	ACT("uc", uc, RAS_ACTS_ESC),
	ACT("walk", walk, RAS_ACTS_ALL),
	ACT("invalid", invalid, RAS_ACTS_ESC),
	{ "threshold", RAS_KEY_U32, offsetof(struct ras_policy, threshold), 0, 0, RAS_THRESHOLD_MAX,
	  NULL, NULL },
	{ "window", RAS_KEY_DURATION, offsetof(struct ras_policy, window_ns), 0, 0, 0, NULL, NULL },
	ACT("on_threshold", on_threshold, RAS_ACTS_ESC),
	/* The streak counter saturates at 255: storm=255 could never fire. */
	{ "storm", RAS_KEY_U32, offsetof(struct ras_policy, storm), 0, 1, 254, NULL, NULL },
	{ "storm_rate", RAS_KEY_U32, offsetof(struct ras_policy, storm_rate), 0, 1, 254, NULL,
	  NULL },
	ACT("on_storm", on_storm, RAS_ACTS_ESC),
	{ "quarantine", RAS_KEY_BOOL, offsetof(struct ras_policy, quarantine), 0, 0, 0, NULL,
	  NULL },
	{ "poison", RAS_KEY_BOOL, offsetof(struct ras_policy, poison_keep), 0, 0, 0, "keep",
	  "fresh" },
	{ "inject_path", RAS_KEY_PATH, offsetof(struct ras_policy, inject_path), 0, 0, 0, NULL,
	  NULL },
	ACT("liveness", liveness, RAS_ACTS_LIVE),
	{ "liveness_timeout", RAS_KEY_DURATION, offsetof(struct ras_policy, liveness_timeout_ns), 0,
	  0, 0, NULL, NULL },
};
#undef ACT
#define RAS_NKEYS (sizeof(ras_keys) / sizeof(ras_keys[0]))

void ras_policy_default(struct ras_policy *p)
{
	*p = (struct ras_policy){
		.user = RAS_ACT_INJECT,
		.kernel = RAS_ACT_RESTART,
		.uc = RAS_ACT_STOP,
		.walk = RAS_ACT_RESTART,
		.invalid = RAS_ACT_STOP,
		.threshold = 8,
		.window_ns = 24 * 3600 * NS_PER_S,
		.on_threshold = RAS_ACT_RESTART,
		.storm = 3,
		.storm_rate = 20,
		.on_storm = RAS_ACT_RESTART,
		.quarantine = true,
		.poison_keep = true,
		.inject_path = RAS_INJECT_AUTO,
		.liveness = RAS_ACT_RESTART,
		.liveness_timeout_ns = 30 * NS_PER_S,
	};
}

/* Strict: digits only, no sign, no spaces, no overflow. */
static int ras_parse_u64(const char *s, uint64_t max, uint64_t *out, const char **end)
{
	uint64_t v = 0;
	const char *c = s;

	if (*c < '0' || *c > '9')
		return -EINVAL;
	for (; *c >= '0' && *c <= '9'; c++) {
		if (v > (max - (uint64_t)(*c - '0')) / 10)
			return -ERANGE;
		v = v * 10 + (uint64_t)(*c - '0');
	}
	*out = v;
	*end = c;
	return 0;
}

static int ras_set_action(const struct ras_key *k, void *field, const char *v, char *err,
			  size_t errlen)
{
	char allowed[40] = "";

	for (unsigned int a = RAS_ACT_INJECT; a < RAS_ACT_COUNT; a++) {
		if (!(k->acts & (1u << a)))
			continue;
		if (!strcmp(v, ras_action_name(a))) {
			*(enum ras_action *)field = (enum ras_action)a;
			return 0;
		}
		size_t n = strlen(allowed);
		snprintf(allowed + n, sizeof(allowed) - n, "%s%s", n ? "|" : "",
			 ras_action_name(a));
	}
	snprintf(err, errlen, "bad value '%s' for %s; use one of %s", v, k->name, allowed);
	return -EINVAL;
}

static int ras_set_u32(const struct ras_key *k, void *field, const char *v, char *err,
		       size_t errlen)
{
	uint64_t n;
	const char *end;

	if (ras_parse_u64(v, UINT32_MAX, &n, &end) || *end || n < k->min || n > k->max) {
		snprintf(err, errlen, "bad number '%s' for %s; use an integer from %u to %u", v,
			 k->name, k->min, k->max);
		return -EINVAL;
	}
	*(uint32_t *)field = (uint32_t)n;
	return 0;
}

static int ras_set_duration(const struct ras_key *k, void *field, const char *v, char *err,
			    size_t errlen)
{
	static const struct {
		char unit;
		uint64_t s;
	} units[] = {
		{ 's', 1 },
		{ 'm', 60 },
		{ 'h', 3600 },
		{ 'd', 86400 },
	};
	uint64_t n, mul = 0;
	const char *end;

	if (!ras_parse_u64(v, RAS_WINDOW_MAX_S, &n, &end)) {
		if (!*end)
			mul = 1;
		for (size_t i = 0; i < sizeof(units) / sizeof(units[0]) && *end; i++)
			if (end[0] == units[i].unit && !end[1])
				mul = units[i].s;
	}
	if (!mul || !n || n > RAS_WINDOW_MAX_S / mul) {
		snprintf(err, errlen,
			 "bad duration '%s' for %s; use a number with s, m, h or d (1s to 3650d)",
			 v, k->name);
		return -EINVAL;
	}
	*(uint64_t *)field = n * mul * NS_PER_S;
	return 0;
}

static int ras_set_bool(const struct ras_key *k, void *field, const char *v, char *err,
			size_t errlen)
{
	if (k->on) {
		if (strcmp(v, k->on) && strcmp(v, k->off_word)) {
			snprintf(err, errlen, "bad value '%s' for %s; use %s or %s", v, k->name,
				 k->on, k->off_word);
			return -EINVAL;
		}
		*(bool *)field = !strcmp(v, k->on);
		return 0;
	}
	if (!strcmp(v, "yes") || !strcmp(v, "true") || !strcmp(v, "1")) {
		*(bool *)field = true;
		return 0;
	}
	if (!strcmp(v, "no") || !strcmp(v, "false") || !strcmp(v, "0")) {
		*(bool *)field = false;
		return 0;
	}
	snprintf(err, errlen, "bad value '%s' for %s; use yes or no", v, k->name);
	return -EINVAL;
}

static int ras_set_path(const struct ras_key *k, void *field, const char *v, char *err,
			size_t errlen)
{
	for (unsigned int p = RAS_INJECT_AUTO; p <= RAS_INJECT_ENTRY; p++) {
		if (!strcmp(v, ras_inject_path_name(p))) {
			*(enum ras_inject_path *)field = (enum ras_inject_path)p;
			return 0;
		}
	}
	snprintf(err, errlen, "bad value '%s' for %s; use one of auto|events|entry", v, k->name);
	return -EINVAL;
}

static const struct ras_key *ras_key_find(const char *key)
{
	for (size_t i = 0; i < RAS_NKEYS; i++)
		if (!strcmp(key, ras_keys[i].name))
			return &ras_keys[i];
	return NULL;
}

int ras_policy_set(struct ras_policy *p, const char *key, const char *value, char *err,
		   size_t errlen)
{
	const struct ras_key *k = ras_key_find(key);
	void *field;

	if (!k) {
		char known[256] = "";

		for (size_t i = 0; i < RAS_NKEYS; i++) {
			size_t n = strlen(known);

			snprintf(known + n, sizeof(known) - n, "%s%s", i ? ", " : "",
				 ras_keys[i].name);
		}
		snprintf(err, errlen, "unknown key '%s'; known keys: %s", key, known);
		return -EINVAL;
	}
	field = (char *)p + k->off;
	switch (k->type) {
	case RAS_KEY_ACTION:
		return ras_set_action(k, field, value, err, errlen);
	case RAS_KEY_U32:
		return ras_set_u32(k, field, value, err, errlen);
	case RAS_KEY_DURATION:
		return ras_set_duration(k, field, value, err, errlen);
	case RAS_KEY_BOOL:
		return ras_set_bool(k, field, value, err, errlen);
	case RAS_KEY_PATH:
		return ras_set_path(k, field, value, err, errlen);
	}
	return -EINVAL;
}

static char *ras_trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t' || *s == '\r')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

/* Splits "key=value" in place; the message says what is missing. */
static int ras_split_kv(char *s, char **key, char **value, char *err, size_t errlen)
{
	char *eq = strchr(s, '=');

	if (!eq) {
		snprintf(err, errlen, "missing '=' in '%s'; write key=value", s);
		return -EINVAL;
	}
	*eq = '\0';
	*key = ras_trim(s);
	*value = ras_trim(eq + 1);
	if (!**key || !**value) {
		snprintf(err, errlen, "empty %s; write key=value", **key ? "value" : "key");
		return -EINVAL;
	}
	return 0;
}

int ras_policy_set_kv(struct ras_policy *p, const char *kv, char *err, size_t errlen)
{
	char buf[256], *key, *value;

	if (strlen(kv) >= sizeof(buf)) {
		snprintf(err, errlen, "setting too long; keep key=value under %zu bytes",
			 sizeof(buf));
		return -EINVAL;
	}
	strcpy(buf, kv);
	if (ras_split_kv(buf, &key, &value, err, errlen))
		return -EINVAL;
	return ras_policy_set(p, key, value, err, errlen);
}

/* One line of a policy file, already cut out; *seen catches repeated keys. */
static int ras_policy_line(struct ras_policy *p, char *line, uint32_t *seen, char *msg,
			   size_t msglen)
{
	char *hash = strchr(line, '#'), *key, *value, *s;

	if (hash)
		*hash = '\0';
	s = ras_trim(line);
	if (!*s)
		return 0;
	if (ras_split_kv(s, &key, &value, msg, msglen) ||
	    ras_policy_set(p, key, value, msg, msglen))
		return -EINVAL;
	uint32_t bit = 1u << (ras_key_find(key) - ras_keys);
	if (*seen & bit) {
		snprintf(msg, msglen, "'%s' set twice; keep one", key);
		return -EINVAL;
	}
	*seen |= bit;
	return 0;
}

int ras_policy_parse(struct ras_policy *p, const char *text, size_t len, char *err, size_t errlen)
{
	struct ras_policy tmp = *p;
	uint32_t seen = 0;
	unsigned int lineno = 0;
	char line[256], msg[256];

	for (size_t pos = 0; pos < len;) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t n = (nl ? (size_t)(nl - text) : len) - pos;

		lineno++;
		msg[0] = '\0';
		if (n >= sizeof(line))
			snprintf(msg, sizeof(msg), "line too long; keep lines under %zu bytes",
				 sizeof(line));
		else if (memchr(text + pos, '\0', n))
			snprintf(msg, sizeof(msg), "NUL byte; a policy file is plain text");
		if (!msg[0]) {
			memcpy(line, text + pos, n);
			line[n] = '\0';
			ras_policy_line(&tmp, line, &seen, msg, sizeof(msg));
		}
		if (msg[0]) {
			snprintf(err, errlen, "policy:%u: %s", lineno, msg);
			return -EINVAL;
		}
		pos += n + 1;
	}
	*p = tmp;
	return 0;
}

int ras_policy_format(const struct ras_policy *p, char *buf, size_t len)
{
	size_t off = 0;

	for (size_t i = 0; i < RAS_NKEYS; i++) {
		const struct ras_key *k = &ras_keys[i];
		const void *field = (const char *)p + k->off;
		char v[32];

		switch (k->type) {
		case RAS_KEY_ACTION:
			snprintf(v, sizeof(v), "%s",
				 ras_action_name(*(const enum ras_action *)field));
			break;
		case RAS_KEY_U32:
			snprintf(v, sizeof(v), "%u", *(const uint32_t *)field);
			break;
		case RAS_KEY_DURATION:
			snprintf(v, sizeof(v), "%llus",
				 (unsigned long long)(*(const uint64_t *)field / NS_PER_S));
			break;
		case RAS_KEY_BOOL:
			snprintf(v, sizeof(v), "%s",
				 *(const bool *)field ? (k->on ? k->on : "yes")
						      : (k->on ? k->off_word : "no"));
			break;
		case RAS_KEY_PATH:
			snprintf(v, sizeof(v), "%s",
				 ras_inject_path_name(*(const enum ras_inject_path *)field));
			break;
		}
		int n = snprintf(off < len ? buf + off : NULL, off < len ? len - off : 0, "%s=%s\n",
				 k->name, v);
		off += (size_t)n;
	}
	if (off >= len)
		return -ENOSPC;
	return (int)off;
}
