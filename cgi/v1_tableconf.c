/*
 * v1_tableconf.c — agent table configs, bucket keys, protocol versions
 * (see v1_tableconf.h).
 */
#include "v1_tableconf.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/json.h"

const char *v1_conf_field_path(enum v1_conf_field f)
{
	switch (f) {
	case V1_FIELD_SMALL_BLIND: return "blinds.small";
	case V1_FIELD_BIG_BLIND: return "blinds.big";
	case V1_FIELD_MAX_SEATS: return "maxSeats";
	case V1_FIELD_INITIAL_STACK: return "initialStack";
	case V1_FIELD_ACTION_TIMEOUT: return "actionTimeoutMs";
	case V1_FIELD_MIN_PLAYERS: return "minPlayersToStart";
	case V1_FIELD_START_DELAY: return "startDelayMs";
	}
	return "config";
}

static int bad_field(enum v1_conf_field f, enum v1_conf_field *bad,
		     char *why, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static int bad_field(enum v1_conf_field f, enum v1_conf_field *bad,
		     char *why, size_t len, const char *fmt, ...)
{
	va_list ap;

	*bad = f;
	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
	return V1_CONF_EINVALID;
}

int v1_conf_check(const struct v1_table_config *c, enum v1_conf_field *bad,
		  char *why, size_t why_len)
{
	if (c->small_blind_chips < 1 || c->small_blind_chips >= V1_CHIPS_MAX)
		return bad_field(V1_FIELD_SMALL_BLIND, bad, why, why_len,
				 "must be between 1 and %lld",
				 (long long)V1_CHIPS_MAX - 1);
	if (c->big_blind_chips <= c->small_blind_chips)
		return bad_field(V1_FIELD_BIG_BLIND, bad, why, why_len,
				 "must be greater than the small blind (%lld)",
				 (long long)c->small_blind_chips);
	if (c->big_blind_chips > V1_CHIPS_MAX)
		return bad_field(V1_FIELD_BIG_BLIND, bad, why, why_len,
				 "must be at most %lld", (long long)V1_CHIPS_MAX);
	if (c->max_seats < V1_SEATS_MIN || c->max_seats > V1_SEATS_MAX)
		return bad_field(V1_FIELD_MAX_SEATS, bad, why, why_len,
				 "must be between %d and %d", V1_SEATS_MIN,
				 V1_SEATS_MAX);
	/* A stack below the big blind would put everyone all-in on the
	 * blinds every hand: nobody asks for that on purpose. */
	if (c->initial_stack_chips < c->big_blind_chips ||
	    c->initial_stack_chips > V1_CHIPS_MAX)
		return bad_field(V1_FIELD_INITIAL_STACK, bad, why, why_len,
				 "must be between the big blind (%lld) and %lld",
				 (long long)c->big_blind_chips,
				 (long long)V1_CHIPS_MAX);
	if (c->action_timeout_ms < V1_TIMEOUT_MIN_MS ||
	    c->action_timeout_ms > V1_TIMEOUT_MAX_MS)
		return bad_field(V1_FIELD_ACTION_TIMEOUT, bad, why, why_len,
				 "must be between %d and %d milliseconds",
				 V1_TIMEOUT_MIN_MS, V1_TIMEOUT_MAX_MS);
	if (c->min_players < V1_SEATS_MIN || c->min_players > c->max_seats)
		return bad_field(V1_FIELD_MIN_PLAYERS, bad, why, why_len,
				 "must be between %d and the number of seats "
				 "(%d)", V1_SEATS_MIN, c->max_seats);
	if (c->start_delay_ms < 0 || c->start_delay_ms > V1_START_DELAY_MAX_MS)
		return bad_field(V1_FIELD_START_DELAY, bad, why, why_len,
				 "must be between 0 and %d milliseconds",
				 V1_START_DELAY_MAX_MS);
	return V1_CONF_OK;
}

bool v1_bucket_key_ok(const char *key, size_t len)
{
	const unsigned char *s = (const unsigned char *)key;
	size_t chars = 0;

	if (strlen(key) != len)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < 0x20 || s[i] == 0x7f)
			return false;
		if ((s[i] & 0xc0) != 0x80)
			chars++;
	}
	return chars >= 1 && chars <= V1_BUCKET_MAX_CHARS;
}

/* The four parts of the structured key, in order. */
static const char *const bucket_parts[] = { "sb", "bb", "seats", "timeout" };
#define BUCKET_PARTS 4
#define BUCKET_DIGITS_MAX 13 /* one more than any limit has */

/*
 * Split key into the values of its four parts when it has the form
 * (prefixes in order, separated by '_'). Returns 1 with each part's text
 * span in start/len, 0 when the key is a plain label.
 */
static int bucket_split(const char *key, const char *start[BUCKET_PARTS],
			size_t len[BUCKET_PARTS])
{
	const char *p = key;

	for (int i = 0; i < BUCKET_PARTS; i++) {
		size_t plen = strlen(bucket_parts[i]);

		if (strncmp(p, bucket_parts[i], plen) != 0)
			return 0;
		p += plen;
		start[i] = p;
		len[i] = strcspn(p, "_");
		p += len[i];
		if (i < BUCKET_PARTS - 1) {
			if (*p != '_')
				return 0;
			p++;
		}
	}
	return *p == '\0';
}

/* A decimal integer without sign or leading zero; -1 if not one or too long. */
static long long bucket_number(const char *s, size_t len)
{
	long long v = 0;

	if (len == 0 || len > BUCKET_DIGITS_MAX || s[0] == '0')
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* int fields: out-of-range values become ones that fail the check. */
static int clamp_int(long long v)
{
	return v > INT_MAX ? INT_MAX : v < INT_MIN ? INT_MIN : (int)v;
}

int v1_bucket_parse(const char *key, const struct v1_table_config *defaults,
		    struct v1_table_config *out, char *msg, size_t msg_len)
{
	static const enum v1_conf_field part_field[BUCKET_PARTS] = {
		V1_FIELD_SMALL_BLIND, V1_FIELD_BIG_BLIND, V1_FIELD_MAX_SEATS,
		V1_FIELD_ACTION_TIMEOUT,
	};
	const char *start[BUCKET_PARTS];
	size_t len[BUCKET_PARTS];
	long long v[BUCKET_PARTS];
	enum v1_conf_field bad;
	char why[128];

	*out = *defaults;
	if (!bucket_split(key, start, len))
		return 0;
	for (int i = 0; i < BUCKET_PARTS; i++) {
		v[i] = bucket_number(start[i], len[i]);
		if (v[i] < 0) {
			snprintf(msg, msg_len, "bucket_key: %s must be a "
				 "positive whole number without leading zeros "
				 "(got '%.*s')",
				 bucket_parts[i], (int)(len[i] > 20 ? 20 : len[i]),
				 start[i]);
			return V1_CONF_EINVALID;
		}
	}
	out->small_blind_chips = v[0];
	out->big_blind_chips = v[1];
	out->max_seats = clamp_int(v[2]);
	out->action_timeout_ms = clamp_int(v[3]);
	/* Fewer seats than the default start threshold: start when full. */
	if (out->min_players > out->max_seats && out->max_seats >= V1_SEATS_MIN)
		out->min_players = out->max_seats;
	if (v1_conf_check(out, &bad, why, sizeof why) == V1_CONF_OK)
		return 1;
	if (bad == V1_FIELD_INITIAL_STACK) {
		snprintf(msg, msg_len, "bucket_key: bb must be at most the "
			 "initial stack (%lld chips)",
			 (long long)out->initial_stack_chips);
		return V1_CONF_EINVALID;
	}
	for (int i = 0; i < BUCKET_PARTS; i++)
		if (part_field[i] == bad) {
			snprintf(msg, msg_len, "bucket_key: %s %s",
				 bucket_parts[i], why);
			return V1_CONF_EINVALID;
		}
	snprintf(msg, msg_len, "bucket_key: %s %s", v1_conf_field_path(bad),
		 why);
	return V1_CONF_EINVALID;
}

/* Append {"path": [prefix, a, b], "message": msg} to details. */
static void add_issue(struct json_object *details, const char *prefix,
		      const char *dotted, const char *msg)
{
	struct json_object *issue = json_object_new_object();
	struct json_object *path = json_object_new_array();
	char buf[64];
	const char *p = dotted;

	if (prefix && *prefix)
		json_object_array_add(path, json_object_new_string(prefix));
	while (*p) {
		size_t n = strcspn(p, ".");

		snprintf(buf, sizeof buf, "%.*s", (int)n, p);
		json_object_array_add(path, json_object_new_string(buf));
		p += n;
		if (*p == '.')
			p++;
	}
	json_object_object_add(issue, "path", path);
	json_object_object_add(issue, "message", json_object_new_string(msg));
	json_object_array_add(details, issue);
}

/* Read an optional integer member into *v; returns 1 on a problem. */
static int get_int(struct json_object *obj, const char *key, int64_t *v,
		   const char *prefix, const char *dotted,
		   struct json_object *details)
{
	int rc = json_get_int64(obj, key, v);

	if (rc == JSON_OK || rc == JSON_ERR_MISSING || rc == JSON_ERR_NULL)
		return 0;
	add_issue(details, prefix, dotted, rc == JSON_ERR_RANGE
		  ? "is out of range" : "must be an integer");
	return 1;
}

int v1_conf_from_json(struct json_object *config, const char *path_prefix,
		      struct v1_table_config *cfg, struct v1_conf_extras *extras,
		      struct json_object *details)
{
	int64_t sb = cfg->small_blind_chips, bb = cfg->big_blind_chips;
	int64_t seats = cfg->max_seats, stack = cfg->initial_stack_chips;
	int64_t timeout = cfg->action_timeout_ms, min = cfg->min_players;
	int64_t delay = cfg->start_delay_ms;
	struct json_object *blinds = NULL;
	enum v1_conf_field bad;
	int problems = 0, rc;
	char why[128];

	extras->seed = NULL;
	extras->real_money = false;
	if (config == NULL)
		return 0;
	if (!json_object_is_type(config, json_type_object)) {
		add_issue(details, path_prefix, "", "must be an object");
		return 1;
	}
	rc = json_get_object(config, "blinds", &blinds);
	if (rc == JSON_ERR_TYPE) {
		add_issue(details, path_prefix, "blinds", "must be an object");
		problems++;
	} else if (rc == JSON_OK) {
		problems += get_int(blinds, "small", &sb, path_prefix,
				    "blinds.small", details);
		problems += get_int(blinds, "big", &bb, path_prefix,
				    "blinds.big", details);
	}
	problems += get_int(config, "maxSeats", &seats, path_prefix,
			    "maxSeats", details);
	problems += get_int(config, "initialStack", &stack, path_prefix,
			    "initialStack", details);
	problems += get_int(config, "actionTimeoutMs", &timeout, path_prefix,
			    "actionTimeoutMs", details);
	problems += get_int(config, "minPlayersToStart", &min, path_prefix,
			    "minPlayersToStart", details);
	problems += get_int(config, "startDelayMs", &delay, path_prefix,
			    "startDelayMs", details);
	rc = json_get_string(config, "seed", &extras->seed);
	if (rc == JSON_OK && strlen(extras->seed) > V1_SEED_MAX_BYTES)
		rc = JSON_ERR_RANGE;
	if (rc != JSON_OK && rc != JSON_ERR_MISSING && rc != JSON_ERR_NULL) {
		extras->seed = NULL;
		add_issue(details, path_prefix, "seed",
			  "must be a string of at most 256 bytes");
		problems++;
	} else if (rc != JSON_OK) {
		extras->seed = NULL;
	}
	rc = json_get_bool(config, "realMoney", &extras->real_money);
	if (rc == JSON_ERR_TYPE) {
		add_issue(details, path_prefix, "realMoney", "must be a boolean");
		problems++;
	}
	if (problems)
		return problems;
	cfg->small_blind_chips = sb;
	cfg->big_blind_chips = bb;
	cfg->max_seats = clamp_int(seats);
	cfg->initial_stack_chips = stack;
	cfg->action_timeout_ms = clamp_int(timeout);
	cfg->min_players = clamp_int(min);
	cfg->start_delay_ms = clamp_int(delay);
	if (v1_conf_check(cfg, &bad, why, sizeof why) != V1_CONF_OK) {
		add_issue(details, path_prefix, v1_conf_field_path(bad), why);
		return 1;
	}
	return 0;
}

/* Parse "1.2.3" into parts; returns the number of parts or -1. */
static int version_parse(const char *s, long parts[V1_VERSION_MAX_PARTS])
{
	int n = 0;

	if (s == NULL)
		return -1;
	for (;;) {
		size_t digits = 0;
		long v = 0;

		while (s[digits] >= '0' && s[digits] <= '9') {
			if (digits == 9)
				return -1;
			v = v * 10 + (s[digits] - '0');
			digits++;
		}
		if (digits == 0 || n == V1_VERSION_MAX_PARTS)
			return -1;
		parts[n++] = v;
		s += digits;
		if (*s == '\0')
			return n;
		if (*s != '.')
			return -1;
		s++;
	}
}

int v1_version_cmp(const char *a, const char *b, int *cmp)
{
	long pa[V1_VERSION_MAX_PARTS], pb[V1_VERSION_MAX_PARTS];
	int na = version_parse(a, pa), nb = version_parse(b, pb);

	if (na < 0 || nb < 0)
		return V1_CONF_EVERSION;
	*cmp = 0;
	for (int i = 0; i < V1_VERSION_MAX_PARTS && *cmp == 0; i++) {
		long x = i < na ? pa[i] : 0, y = i < nb ? pb[i] : 0;

		*cmp = (x > y) - (x < y);
	}
	return V1_CONF_OK;
}

const char *v1_tableconf_strerror(int err)
{
	switch (err) {
	case V1_CONF_OK: return "success";
	case V1_CONF_EINVALID: return "invalid table configuration";
	case V1_CONF_EVERSION: return "not a protocol version";
	}
	return "unknown table configuration error";
}
