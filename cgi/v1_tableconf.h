/*
 * v1_tableconf.h — the configuration of a /v1 (MoltPoker) agent table and
 * the pure checks felt-api applies to what clients send for one: the
 * bucket_key form sb{S}_bb{B}_seats{N}_timeout{MS} (DESIGN §4), the
 * TableConfig of POST /v1/admin/tables (reference/moltpoker.md §1, §4),
 * and client_protocol_version.
 *
 * No I/O, no state. The limits are the ones sql/008_tables.sql enforces,
 * checked here first so that a client gets a 400 naming the field instead
 * of a constraint violation.
 */
#ifndef FELT_CGI_V1_TABLECONF_H
#define FELT_CGI_V1_TABLECONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#define V1_PROTOCOL_VERSION "0.1"
#define V1_MIN_PROTOCOL_VERSION "0.1"
#define V1_BUCKET_DEFAULT "default"
#define V1_BUCKET_MAX_CHARS 64      /* tables_bucket_check */
#define V1_SEED_MAX_BYTES 256       /* TableConfig.seed, kept for display */
#define V1_VERSION_MAX_PARTS 4
#define V1_CHIPS_MAX INT64_C(1000000000000) /* tables_blinds/stack_check */
#define V1_SEATS_MIN 2
#define V1_SEATS_MAX 10
#define V1_TIMEOUT_MIN_MS 1000
#define V1_TIMEOUT_MAX_MS 3600000
#define V1_START_DELAY_MAX_MS 3600000

enum v1_tableconf_error {
	V1_CONF_OK = 0,
	V1_CONF_EINVALID = -1,  /* a value breaks its rules (message says which) */
	V1_CONF_EVERSION = -2,  /* not a dotted version number */
};

/* What felt enforces for an agent table: the columns of `tables`. */
struct v1_table_config {
	int64_t small_blind_chips;
	int64_t big_blind_chips;
	int64_t initial_stack_chips;
	int max_seats;
	int action_timeout_ms;
	int min_players;
	int start_delay_ms;
};

/* The fields of a config, for naming the one that is wrong. */
enum v1_conf_field {
	V1_FIELD_SMALL_BLIND,
	V1_FIELD_BIG_BLIND,
	V1_FIELD_MAX_SEATS,
	V1_FIELD_INITIAL_STACK,
	V1_FIELD_ACTION_TIMEOUT,
	V1_FIELD_MIN_PLAYERS,
	V1_FIELD_START_DELAY,
};

/* The TableConfig fields felt keeps for display only. */
struct v1_conf_extras {
	const char *seed;     /* borrowed from the JSON, or NULL */
	bool real_money;      /* requested realMoney: true (felt has none) */
};

/*
 * v1_conf_field_path: the MoltPoker TableConfig name of f, e.g.
 * "blinds.small", "maxSeats". Static string.
 */
const char *v1_conf_field_path(enum v1_conf_field f);

/*
 * v1_conf_check: are c's values allowed together? Blinds 0 < small < big
 * <= 10^12, 2-10 seats, a stack of at least the big blind (and at most
 * 10^12), 1000-3600000 ms to act, 2..max_seats players to start, a start
 * delay of 0-3600000 ms. Returns V1_CONF_OK, or V1_CONF_EINVALID with the
 * first bad field in *bad and the rule it breaks ("must be ...") in why
 * (why_len bytes).
 */
int v1_conf_check(const struct v1_table_config *c, enum v1_conf_field *bad,
		  char *why, size_t why_len);

/*
 * v1_bucket_key_ok: 1..64 characters of UTF-8 without control characters
 * (a bucket_key as stored). key is NUL-terminated, len its length in bytes.
 */
bool v1_bucket_key_ok(const char *key, size_t len);

/*
 * v1_bucket_parse: the config of the tables auto-join creates for key.
 * A key of the form sb{S}_bb{B}_seats{N}_timeout{MS} (four parts in this
 * order, each a decimal integer without sign or leading zero) sets those
 * four values over *defaults into *out and returns 1; any other key leaves
 * *out = *defaults and returns 0. A key of the form whose values break the
 * rules of v1_conf_check returns V1_CONF_EINVALID with a message naming
 * the part ("bucket_key: bb must be greater than sb") in msg.
 */
int v1_bucket_parse(const char *key, const struct v1_table_config *defaults,
		    struct v1_table_config *out, char *msg, size_t msg_len);

/*
 * v1_conf_from_json: apply a MoltPoker TableConfig object (may be NULL:
 * nothing to apply) over *cfg: blinds{small,big}, maxSeats, initialStack,
 * actionTimeoutMs, minPlayersToStart, startDelayMs (felt's own), seed,
 * realMoney. Unknown members are ignored and null counts as absent, as
 * zod's optional fields. Every problem is appended to details (a JSON
 * array the caller owns) as {"path": [...], "message": "..."}, paths
 * prefixed with path_prefix (e.g. "config"); the combination is checked
 * with v1_conf_check. extras gets seed and realMoney. Returns the number
 * of problems found (0: *cfg is valid).
 */
int v1_conf_from_json(struct json_object *config, const char *path_prefix,
		      struct v1_table_config *cfg, struct v1_conf_extras *extras,
		      struct json_object *details);

/*
 * v1_version_cmp: compare two protocol versions numerically, part by part
 * ("0.10" > "0.9"; "0.1" == "0.1.0"): 1-4 dot-separated decimal parts of
 * at most 9 digits. *cmp gets -1, 0 or 1. Returns V1_CONF_OK, or
 * V1_CONF_EVERSION when either is not such a version.
 */
int v1_version_cmp(const char *a, const char *b, int *cmp);

/* v1_tableconf_strerror: static English text for an error code. */
const char *v1_tableconf_strerror(int err);

#endif
