/*
 * moltpoker.c — the MoltPoker dialect: connecting, client messages, and
 * every frame but game_state and hand_complete (moltpoker_state.c).
 */
#include "moltpoker.h"

#include <stdio.h>
#include <string.h>

#include "core/json.h"
#include "core/log.h"
#include "server.h"
#include "table.h"
#include "tables.h"

#define TOKEN_ARG_MAX 256

static bool is_agent(const struct conn *c)
{
	return c->format == MP_AGENT;
}

static void add_str(struct json_object *o, const char *k, const char *v)
{
	json_object_object_add(o, k, json_object_new_string(v));
}

static void add_int(struct json_object *o, const char *k, int64_t v)
{
	json_object_object_add(o, k, json_object_new_int64(v));
}

static void send_json(struct conn *c, struct json_object *o)
{
	size_t len;
	const char *s = json_to_string_len(o, &len);

	conn_send(c, s, len);
	json_object_put(o);
}

/*
 * Send a message of type whose fields are in payload (consumed): flat with
 * "type" first in the agent format, else the envelope {type, table_id,
 * seq, ts, payload} (seq only when with_seq).
 */
static void send_msg(struct conn *c, const char *type, struct json_object *payload,
		     bool with_seq, int64_t seq)
{
	struct json_object *o = json_object_new_object();

	add_str(o, "type", type);
	if (is_agent(c)) {
		json_object_object_foreach(payload, k, v)
		{
			if (strcmp(k, "type") != 0)
				json_object_object_add(o, k, json_object_get(v));
		}
		json_object_put(payload);
		send_json(c, o);
		return;
	}
	if (c->table_id[0])
		add_str(o, "table_id", c->table_id);
	if (with_seq)
		add_int(o, "seq", seq);
	add_int(o, "ts", loop_now_ms());
	json_object_object_add(o, "payload", payload);
	send_json(c, o);
}

const char *wsd_err_name(enum wsd_err err)
{
	switch (err) {
	case WSD_ENOT_YOUR_TURN: return "NOT_YOUR_TURN";
	case WSD_ESTALE: return "STALE_SEQ";
	case WSD_EINVALID_ACTION: return "INVALID_ACTION";
	case WSD_EVALIDATION: return "VALIDATION_ERROR";
	case WSD_EUNAUTHORIZED: return "UNAUTHORIZED";
	case WSD_ESESSION_EXPIRED: return "SESSION_EXPIRED";
	case WSD_ETABLE_NOT_FOUND: return "TABLE_NOT_FOUND";
	case WSD_ETABLE_ENDED: return "TABLE_ENDED";
	case WSD_EUNAVAILABLE: return "SERVICE_UNAVAILABLE";
	case WSD_ERATE: return "RATE_LIMITED";
	default: return "INTERNAL_ERROR";
	}
}

static const char *default_message(enum wsd_err err)
{
	switch (err) {
	case WSD_ENOT_YOUR_TURN: return "It is not your turn to act";
	case WSD_ESTALE: return "Game state has changed. Please refresh.";
	case WSD_EUNAUTHORIZED: return "Invalid session token";
	case WSD_ESESSION_EXPIRED: return "Session expired: join the table again";
	case WSD_ETABLE_NOT_FOUND: return "Table not found";
	case WSD_ETABLE_ENDED: return "Table has ended";
	case WSD_EUNAVAILABLE: return "Service unavailable: try again";
	default: return "Invalid message";
	}
}

/* The error frame; connect-time refusals in the envelope format also carry
 * the protocol versions and the skill document, as the reference does. */
static void send_error(struct conn *c, enum wsd_err err, const char *message, bool refusal)
{
	struct json_object *p = json_object_new_object();

	add_str(p, "code", wsd_err_name(err));
	add_str(p, "message", message ? message : default_message(err));
	if (refusal && !is_agent(c)) {
		char url[WSDCONF_URL_MAX + 16];

		snprintf(url, sizeof(url), "%s/skill.md", c->srv->cfg->public_url);
		add_str(p, "min_supported_protocol_version", MOLTPOKER_PROTOCOL_VERSION);
		add_str(p, "skill_doc_url", url);
	}
	send_msg(c, "error", p, false, 0);
}

static void mp_error(struct conn *c, enum wsd_err err, const char *message)
{
	send_error(c, err, message, false);
}

/* Refuse the connection: the error, then close 1008 with the message as
 * the reason (1013, try again later, when the database is down). */
static void refuse(struct conn *c, enum wsd_err err, const char *message)
{
	const char *m = message ? message : default_message(err);

	send_error(c, err, m, true);
	conn_close(c, err == WSD_EUNAVAILABLE ? 1013 : 1008, m);
}

/* Connecting ----------------------------------------------------------------*/

static void attached(struct conn *c, int err, const char *message)
{
	if (err) {
		refuse(c, err, message);
		return;
	}
	c->authenticated = true;
	conn_pause(c, false);
}

static bool uuid_ok(const char *s)
{
	int i;

	if (strlen(s) != 36)
		return false;
	for (i = 0; i < 36; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;

		if (dash ? s[i] != '-' : !strchr("0123456789abcdefABCDEF", s[i]))
			return false;
	}
	return true;
}

static int mp_open(struct conn *c, const char *path_arg)
{
	char token[TOKEN_ARG_MAX], format[16];

	c->format = conn_query_arg(c, "format", format, sizeof(format)) &&
			    strcmp(format, "agent") == 0
		? MP_AGENT
		: MP_ENVELOPE;
	/* Nothing is read from the client until it is attached. */
	conn_pause(c, true);
	if (strncmp(path_arg, "/observe/", 9) == 0) {
		if (!uuid_ok(path_arg + 9)) {
			refuse(c, WSD_ETABLE_NOT_FOUND, "Table not found");
			return 0;
		}
		tables_observe(c->srv->tables, c, path_arg + 9, attached);
		return 0;
	}
	if (path_arg[0]) {
		refuse(c, WSD_ETABLE_NOT_FOUND, "Unknown WebSocket path");
		return 0;
	}
	if (!conn_query_arg(c, "token", token, sizeof(token)) || !token[0]) {
		refuse(c, WSD_EUNAUTHORIZED, "Session token is required");
		return 0;
	}
	tables_session(c->srv->tables, c, token, attached);
	return 0;
}

static void mp_closed(struct conn *c)
{
	if (c->table)
		table_detach(c->table, c);
}

/* Server -> client ---------------------------------------------------------*/

static void welcome(struct conn *c, const struct table *t)
{
	struct json_object *p = json_object_new_object();
	char url[WSDCONF_URL_MAX + 16];

	if (is_agent(c)) {
		add_int(p, "seat", c->seat);
		add_str(p, "agent_id", c->agent_id);
		add_int(p, "timeout", t->cfg.action_timeout_ms);
	} else {
		snprintf(url, sizeof(url), "%s/skill.md", c->srv->cfg->public_url);
		add_str(p, "protocol_version", MOLTPOKER_PROTOCOL_VERSION);
		add_str(p, "min_supported_protocol_version", MOLTPOKER_PROTOCOL_VERSION);
		add_str(p, "skill_doc_url", url);
		add_int(p, "seat_id", c->seat);
		add_str(p, "agent_id", c->agent_id);
		add_int(p, "action_timeout_ms", t->cfg.action_timeout_ms);
	}
	send_msg(c, "welcome", p, false, 0);
}

static void table_status(struct conn *c, const struct table *t)
{
	struct json_object *p = json_object_new_object();
	int64_t stacks[HAND_MAX_SEATS];
	int i;

	if (t->status == TABLE_ENDED) {
		struct json_object *a = json_object_new_array();

		add_str(p, "status", "ended");
		add_str(p, "reason", t->end_reason ? t->end_reason : "admin_stopped");
		table_final_stacks(t, stacks);
		for (i = 0; i < t->cfg.max_seats; i++) {
			struct json_object *s;

			if (stacks[i] < 0)
				continue;
			s = json_object_new_object();
			add_int(s, "seat_id", i);
			add_str(s, "agent_id", t->seat[i].agent_id);
			add_int(s, "stack", stacks[i]);
			json_object_array_add(a, s);
		}
		json_object_object_add(p, "final_stacks", a);
	} else {
		add_str(p, "status", t->status == TABLE_RUNNING ? "running" : "waiting");
		if (c->seat >= 0) {
			add_int(p, "seat_id", c->seat);
			add_str(p, "agent_id", c->agent_id);
		}
		add_int(p, "min_players_to_start", t->cfg.min_players);
		add_int(p, "current_players", table_seated(t));
	}
	send_msg(c, "table_status", p, false, 0);
}

static void game_state(struct conn *c, const struct table *t)
{
	struct json_object *o = moltpoker_game_state(c, t, is_agent(c));

	if (is_agent(c))
		send_json(c, o);
	else
		send_msg(c, "game_state", o, true, t->seq);
}

static void player_joined(struct conn *c, const struct table *t, int seat)
{
	struct json_object *p = json_object_new_object();

	add_int(p, "seatId", seat);
	add_str(p, "agentId", t->seat[seat].agent_id);
	add_str(p, "agentName", t->seat[seat].name);
	add_int(p, "stack", t->seat[seat].stack_chips);
	send_msg(c, "player_joined", p, false, 0);
}

static void street_dealt(struct conn *c, const struct table *t, int entry)
{
	static const char *const names[] = { "preflop", "flop", "turn", "river" };
	const struct hand_event *e = &t->log.entries[entry].ev;
	struct json_object *p = json_object_new_object(), *cards = json_object_new_array();
	int i;

	if (e->type != HAND_EV_STREET || e->street < 1 || e->street > 3) {
		json_object_put(p);
		json_object_put(cards);
		return;
	}
	for (i = 0; i < e->ncards; i++) {
		char s[3];
		struct json_object *card;

		card_format(e->cards[i], s);
		if (is_agent(c)) {
			card = json_object_new_string(s);
		} else {
			card = json_object_new_object();
			json_object_object_add(card, "rank", json_object_new_string_len(s, 1));
			json_object_object_add(card, "suit", json_object_new_string_len(s + 1, 1));
		}
		json_object_array_add(cards, card);
	}
	add_int(p, is_agent(c) ? "hand" : "handNumber", t->hand_number + 1);
	add_str(p, "street", names[e->street]);
	json_object_object_add(p, "cards", cards);
	send_msg(c, "street_dealt", p, false, 0);
}

static void mp_emit(struct conn *c, const struct table *t, const struct tmsg *m)
{
	struct json_object *p;

	switch (m->type) {
	case TM_ATTACHED:
		if (c->seat >= 0)
			welcome(c, t);
		if (t->status == TABLE_RUNNING)
			game_state(c, t);
		else
			table_status(c, t);
		break;
	case TM_STATUS:
		table_status(c, t);
		break;
	case TM_PLAYER_JOINED:
		if (m->seat != c->seat)
			player_joined(c, t, m->seat);
		break;
	case TM_PLAYER_LEFT:
		p = json_object_new_object();
		add_int(p, "seatId", m->seat);
		add_str(p, "agentId", m->agent_id ? m->agent_id : "");
		send_msg(c, "player_left", p, false, 0);
		break;
	case TM_HAND_EVENT:
		street_dealt(c, t, m->entry);
		break;
	case TM_STATE:
		game_state(c, t);
		break;
	case TM_HAND_DONE:
		p = moltpoker_hand_complete(c, t, is_agent(c));
		if (is_agent(c))
			send_json(c, p);
		else
			send_msg(c, "hand_complete", p, false, 0);
		break;
	case TM_ACK:
		p = json_object_new_object();
		add_str(p, "turn_token", m->turn_token);
		add_int(p, "seq", m->seq);
		if (!is_agent(c))
			json_object_object_add(p, "success", json_object_new_boolean(true));
		send_msg(c, "ack", p, true, m->seq);
		break;
	default:
		break;
	}
}

/* Client -> server ----------------------------------------------------------*/

/* An integer member, also written as a whole-number float (100.0). */
static int get_int(struct json_object *o, const char *key, int64_t *out)
{
	int rc = json_get_whole(o, key, out);

	return rc == JSON_ERR_RANGE ? JSON_ERR_TYPE : rc;
}

/* Characters (code points) of a UTF-8 string. */
static size_t utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

static void on_ping(struct conn *c, struct json_object *msg)
{
	struct json_object *payload, *p = json_object_new_object();
	int64_t ts = loop_now_ms();

	/* The reference requires payload.timestamp; felt answers a bare ping
	 * too, with its own clock. */
	if (json_get_object(msg, "payload", &payload) == JSON_OK &&
	    get_int(payload, "timestamp", &ts) == JSON_ERR_TYPE) {
		json_object_put(p);
		mp_error(c, WSD_EVALIDATION, "Invalid message format: payload.timestamp must be "
					     "an integer");
		return;
	}
	add_int(p, "timestamp", ts);
	send_msg(c, "pong", p, false, 0);
}

static int parse_action(struct json_object *msg, struct table_act *a, char *why, size_t len)
{
	struct json_object *action;
	const char *kind;
	int rc;

	memset(a, 0, sizeof(*a));
	if (json_get_object(msg, "action", &action) != JSON_OK)
		return snprintf(why, len, "Invalid message format: action must be an object"), -1;
	if (json_get_string(action, "turn_token", &a->turn_token) != JSON_OK)
		return snprintf(why, len, "Invalid message format: action.turn_token must be a "
					  "string"), -1;
	if (json_get_string(action, "kind", &kind) != JSON_OK)
		return snprintf(why, len, "Invalid message format: action.kind must be one of "
					  "fold, check, call, raiseTo"), -1;
	if (strcmp(kind, "fold") == 0)
		a->type = HAND_FOLD;
	else if (strcmp(kind, "check") == 0)
		a->type = HAND_CHECK;
	else if (strcmp(kind, "call") == 0)
		a->type = HAND_CALL;
	else if (strcmp(kind, "raiseTo") == 0)
		a->type = HAND_RAISE;
	else
		return snprintf(why, len, "Invalid message format: action.kind must be one of "
					  "fold, check, call, raiseTo"), -1;
	rc = get_int(action, "amount", &a->amount_chips);
	if (rc == JSON_OK && a->amount_chips <= 0)
		return snprintf(why, len, "Invalid message format: action.amount must be a "
					  "positive integer"), -1;
	if (rc != JSON_OK && rc != JSON_ERR_MISSING && rc != JSON_ERR_NULL)
		return snprintf(why, len, "Invalid message format: action.amount must be a "
					  "positive integer"), -1;
	if (a->type == HAND_RAISE && rc != JSON_OK)
		return snprintf(why, len, "Raise amount is required"), 1;
	rc = json_get_string(action, "reasoning", &a->reasoning);
	if (rc == JSON_ERR_MISSING || rc == JSON_ERR_NULL)
		a->reasoning = NULL;
	else if (rc != JSON_OK)
		return snprintf(why, len, "Invalid message format: action.reasoning must be a "
					  "string"), -1;
	else if (utf8_chars(a->reasoning) > MOLTPOKER_REASONING_MAX)
		return snprintf(why, len, "Invalid message format: action.reasoning is longer "
					  "than %d characters", MOLTPOKER_REASONING_MAX), -1;
	rc = get_int(msg, "expected_seq", &a->expected_seq);
	a->has_expected_seq = rc == JSON_OK;
	if (rc != JSON_OK && rc != JSON_ERR_MISSING && rc != JSON_ERR_NULL)
		return snprintf(why, len, "Invalid message format: expected_seq must be an "
					  "integer"), -1;
	return 0;
}

static void on_action(struct conn *c, struct json_object *msg)
{
	struct table_act a;
	char why[256];
	int rc;

	if (c->seat < 0)
		return; /* observers do not play; their messages are ignored */
	rc = parse_action(msg, &a, why, sizeof(why));
	if (rc) {
		mp_error(c, rc < 0 ? WSD_EVALIDATION : WSD_EINVALID_ACTION, why);
		return;
	}
	if (!c->table) {
		mp_error(c, WSD_ETABLE_NOT_FOUND, "Table not found");
		return;
	}
	rc = table_act(c->table, c, &a, why, sizeof(why));
	if (rc)
		mp_error(c, rc, why);
}

static void mp_rx(struct conn *c, const char *text, size_t len)
{
	struct json_object *msg = NULL;
	const char *type;
	char err[128];

	if (json_parse(text, len, 8, &msg, err, sizeof(err)) != JSON_OK) {
		mp_error(c, WSD_EVALIDATION, "Invalid JSON");
		return;
	}
	if (!json_object_is_type(msg, json_type_object) ||
	    json_get_string(msg, "type", &type) != JSON_OK) {
		mp_error(c, WSD_EVALIDATION, "Invalid message format: type is required");
	} else if (strcmp(type, "ping") == 0) {
		on_ping(c, msg);
	} else if (strcmp(type, "action") == 0) {
		on_action(c, msg);
	} else {
		mp_error(c, WSD_EVALIDATION, "Invalid message format: type must be action or ping");
	}
	json_object_put(msg);
}

const struct codec moltpoker_codec = {
	.name = "moltpoker",
	.open = mp_open,
	.rx = mp_rx,
	.emit = mp_emit,
	.error = mp_error,
	.closed = mp_closed,
};
