/*
 * openpoker.c — the Open Poker dialect: connecting with an API key,
 * session takeover, the lobby, and client messages; the table frames are
 * openpoker_frames.c's.
 */
#include "openpoker.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/json.h"
#include "core/log.h"
#include "lobby.h"
#include "server.h"
#include "tables.h"

#define KEY_ARG_MAX 256

static struct op_conn *oc(const struct conn *c)
{
	return c->codec_data;
}

static void add_str(struct json_object *o, const char *k, const char *v)
{
	json_object_object_add(o, k, v ? json_object_new_string(v) : NULL);
}

/* {type: error, code, message[, table_id, details: {table_id}]}, no envelope. */
static void send_error(struct conn *c, const char *code, const char *message,
		       const char *table_id)
{
	struct json_object *o = op_frame("error");

	add_str(o, "code", code);
	add_str(o, "message", message);
	if (table_id) {
		struct json_object *d = json_object_new_object();

		add_str(o, "table_id", table_id);
		add_str(d, "table_id", table_id);
		json_object_object_add(o, "details", d);
	}
	op_send(c, o);
}

static const char *err_code(enum wsd_err err)
{
	switch (err) {
	case WSD_ERATE: return "rate_limited";
	case WSD_EUNAUTHORIZED: return "auth_failed";
	case WSD_EVALIDATION: return "invalid_message";
	case WSD_EINVALID_ACTION: return "invalid_action";
	case WSD_EUNAVAILABLE: return "service_unavailable";
	default: return "invalid_message";
	}
}

static void flood_check(struct conn *c);

static void op_error(struct conn *c, enum wsd_err err, const char *message)
{
	send_error(c, err_code(err), message ? message : "Request refused", NULL);
	/* Reference §3, §7: a message dropped over the rate counts toward
	 * flood control like a rejected action. */
	if (err == WSD_ERATE && c->authenticated)
		flood_check(c);
}

/* Connecting ----------------------------------------------------------------*/

static void on_attached(struct conn *c, int err, const char *message)
{
	if (err)
		log_event(LOG_INFO, "op_attach_failed", "conn=%" PRIu64 " error=\"%s\"", c->id,
			  message ? message : "");
}

static void on_seat(struct conn *c, const struct cash_reply *rep)
{
	(void)c;
	(void)rep; /* seated: on_attached follows; not seated: the lobby is next */
}

/* The same agent on another socket: the newest wins (reference §1). */
static void take_over(struct conn *c)
{
	struct conn *o;

	for (o = c->srv->all; o; o = o->all_next) {
		if (o == c || o->codec != c->codec || !o->authenticated || !conn_open(o) ||
		    strcmp(o->agent_id, c->agent_id) != 0)
			continue;
		if (o->table)
			table_detach(o->table, o);
		conn_close(o, 4002, "Replaced by a new connection");
	}
}

static void on_agent(struct conn *c, const struct cash_reply *rep)
{
	struct json_object *o;

	if (rep->err == WSD_EUNAUTHORIZED) {
		send_error(c, "auth_failed", "Invalid or missing API key", NULL);
		conn_close(c, 4001, "auth_failed");
		return;
	}
	if (rep->err) {
		send_error(c, "service_unavailable", rep->message, NULL);
		conn_close(c, 1013, "Try again later");
		return;
	}
	take_over(c);
	c->authenticated = true;
	snprintf(oc(c)->name, sizeof(oc(c)->name), "%s", rep->name);
	o = op_frame("connected");
	add_str(o, "agent_id", c->agent_id);
	add_str(o, "name", rep->name);
	op_send(c, o);
	conn_pause(c, false);
	/* Back at the table it sits at, if any (a reconnection). */
	tables_cash_seat(c->srv->tables, c, on_seat, on_attached);
}

/* The API key: "Authorization: Bearer <key>" (the scheme is optional and
 * case-insensitive, surrounding blanks ignored), else ?token=. */
static const char *api_key(struct conn *c, char *buf, size_t len)
{
	char *k = (char *)conn_authorization(c, buf, len), *end;

	if (!k)
		k = (char *)conn_query_arg(c, "token", buf, len);
	if (!k)
		return NULL;
	while (*k == ' ' || *k == '\t')
		k++;
	if (strncasecmp(k, "Bearer", 6) == 0 && (k[6] == ' ' || k[6] == '\t'))
		for (k += 7; *k == ' ' || *k == '\t'; k++)
			;
	end = k + strlen(k);
	while (end > k && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r' ||
			   end[-1] == '\n'))
		*--end = '\0';
	return *k ? k : NULL;
}

static int op_open(struct conn *c, const char *path_arg)
{
	char buf[KEY_ARG_MAX];
	const char *key;

	c->codec_data = calloc(1, sizeof(struct op_conn));
	if (!c->codec_data) {
		conn_close(c, 1011, "Out of memory");
		return -1;
	}
	if (path_arg[0]) {
		send_error(c, "invalid_message", "Unknown WebSocket path", NULL);
		conn_close(c, 1008, "Unknown path");
		return 0;
	}
	key = api_key(c, buf, sizeof(buf));
	if (!key) {
		send_error(c, "auth_failed", "Invalid or missing API key", NULL);
		conn_close(c, 4001, "auth_failed");
		return 0;
	}
	/* Nothing is read from the client until it is authenticated. */
	conn_pause(c, true);
	tables_cash_agent(c->srv->tables, c, key, on_agent);
	return 0;
}

static void op_closed(struct conn *c)
{
	lobby_forget(tables_lobby(c->srv->tables), c);
	if (c->table)
		table_detach(c->table, c);
	free(c->codec_data);
	c->codec_data = NULL;
}

/* The lobby (lobby.c queues and seats; this renders its answers) -----------*/

static void insufficient(struct conn *c, int64_t balance_ucents)
{
	char msg[160];

	snprintf(msg, sizeof(msg), "Insufficient funds: the balance is $%" PRId64 ".%04" PRId64 "",
		 balance_ucents / 10000, balance_ucents % 10000);
	send_error(c, "insufficient_funds", msg, NULL);
}

static void lobby_queued(struct conn *c, int position, const char *estimated_wait)
{
	struct json_object *o = op_frame("lobby_joined");

	json_object_object_add(o, "position", json_object_new_int(position));
	add_str(o, "estimated_wait", estimated_wait);
	op_send(c, o);
}

static void lobby_refused(struct conn *c, const struct cash_reply *rep)
{
	if (rep->err) {
		send_error(c, "service_unavailable", rep->message, NULL);
	} else if (strcmp(rep->result, "already_seated") == 0) {
		send_error(c, "already_seated", "Already seated at a table: leave it first",
			   rep->table_id);
	} else {
		insufficient(c, rep->balance_ucents);
	}
}

/* leave_table while queued: reference §3's not_at_table, the "clean exit"
 * confirmation. */
static void lobby_left(struct conn *c)
{
	send_error(c, "not_at_table", "Left the lobby queue: not seated at a table", NULL);
}

static const struct lobby_client lobby_answers = {
	.queued = lobby_queued,
	.refused = lobby_refused,
	.left = lobby_left,
};

/* Queue c for a seat with buy_in chips (auto: an automatic rebuy). */
static void queue(struct conn *c, int64_t buy_in, bool autorebuy)
{
	int rc;

	oc(c)->last_buy_in = buy_in;
	rc = lobby_join(tables_lobby(c->srv->tables), c, buy_in, autorebuy, &lobby_answers);
	if (rc == LOBBY_EALREADY)
		send_error(c, "already_in_lobby", "Already waiting in the lobby", NULL);
	else if (rc == LOBBY_EFULL)
		send_error(c, "lobby_full", "The lobby queue is full: try again later", NULL);
	else if (rc)
		send_error(c, "service_unavailable", lobby_strerror(rc), NULL);
}

/* A join's balance is read before it is queued, so a join the balance
 * cannot pay is refused at once (reference §3: insufficient_funds answers
 * join_lobby), not after lobby_joined; cash_join still decides, in its
 * transaction, when the player's turn comes. */
static void on_balance(struct conn *c, const struct cash_reply *rep)
{
	struct op_conn *s = oc(c);
	int64_t buy_in = s->checking_buy_in;
	bool autorebuy = s->checking_auto, left = s->checking_left;

	s->checking_buy_in = 0;
	s->checking_auto = s->checking_left = false;
	if (left)
		return;
	if (rep->err)
		send_error(c, "service_unavailable", rep->message, NULL);
	else if (rep->balance_ucents < buy_in * c->srv->cfg->cash.chip_ucents)
		insufficient(c, rep->balance_ucents);
	else
		queue(c, buy_in, autorebuy);
}

static void check_then_queue(struct conn *c, int64_t buy_in, bool autorebuy)
{
	struct op_conn *s = oc(c);

	if (s->checking_buy_in)
		return;
	s->last_buy_in = buy_in;
	s->checking_buy_in = buy_in;
	s->checking_auto = autorebuy;
	s->checking_left = false;
	tables_cash_balance(c->srv->tables, c, on_balance);
}

/* join_lobby {buy_in} and rebuy {amount}: a seat with that many chips. */
static void join(struct conn *c, struct json_object *msg, const char *field)
{
	const struct wsdconf_cash *k = &c->srv->cfg->cash;
	int64_t buy_in;
	char why[160];
	int rc;

	if (c->table && c->seat >= 0) {
		send_error(c, "already_seated", "Already seated at a table: leave it first",
			   c->table->id);
		return;
	}
	if (oc(c)->checking_buy_in || lobby_has(tables_lobby(c->srv->tables), c)) {
		send_error(c, "already_in_lobby", "Already waiting in the lobby", NULL);
		return;
	}
	rc = json_get_whole(msg, field, &buy_in);
	if (rc == JSON_ERR_MISSING || rc == JSON_ERR_NULL) {
		buy_in = oc(c)->last_buy_in ? oc(c)->last_buy_in : k->min_buy_in_chips * 2;
		if (buy_in > k->max_buy_in_chips)
			buy_in = k->max_buy_in_chips;
	} else if (rc != JSON_OK || buy_in < k->min_buy_in_chips ||
		   buy_in > k->max_buy_in_chips) {
		snprintf(why, sizeof(why), "%s must be a whole number of chips from %" PRId64
			 " to %" PRId64, field, k->min_buy_in_chips, k->max_buy_in_chips);
		send_error(c, "invalid_message", why, NULL);
		return;
	}
	check_then_queue(c, buy_in, false);
}

/* c's own player_left from t: when its player busted with auto-rebuy on,
 * it goes back to the lobby with its last buy-in (reserved like a rebuy). */
static void auto_rebuy(struct conn *c, const struct table *t, const struct tmsg *m)
{
	if (!oc(c)->auto_rebuy || m->seat != c->seat || c->seat < 0 ||
	    t->seat[m->seat].stack_chips != 0 || !m->agent_id ||
	    strcmp(m->agent_id, c->agent_id) != 0 || !oc(c)->last_buy_in)
		return;
	check_then_queue(c, oc(c)->last_buy_in, true);
}

/* Actions ---------------------------------------------------------------------*/

/* Count a rejected action: at OP_FLOOD_WARN within the window a warning, at
 * OP_FLOOD_KICK the player is removed from its table. */
static void flood_check(struct conn *c)
{
	struct op_conn *s = oc(c);
	int64_t now = loop_mono_ms();
	int i, n = 0;

	s->rejected_ms[s->rejected_next] = now;
	s->rejected_next = (s->rejected_next + 1) % OP_FLOOD_KICK;
	for (i = 0; i < OP_FLOOD_KICK; i++)
		if (s->rejected_ms[i] && now - s->rejected_ms[i] < OP_FLOOD_WINDOW_MS)
			n++;
	if (n == OP_FLOOD_WARN) {
		send_error(c, "flood_warning", "Too many rejected actions: slow down or be removed",
			   NULL);
	} else if (n >= OP_FLOOD_KICK) {
		memset(s->rejected_ms, 0, sizeof(s->rejected_ms));
		send_error(c, "flood_kick", "Too many rejected actions: removed from the table",
			   NULL);
		if (c->table && c->seat >= 0)
			table_leave(c->table, c->seat, c->agent_id, "kick", 0);
	}
}

static void reject(struct conn *c, const char *code, const char *reason)
{
	struct json_object *o = op_frame("action_rejected"), *d = json_object_new_object();

	add_str(o, "code", code);
	add_str(o, "reason", reason);
	add_str(d, "code", code);
	json_object_object_add(o, "details", d);
	if (c->table)
		op_send_table_frame(c, c->table, o, "event", true);
	else
		op_send(c, o);
	flood_check(c);
}

static void ack(struct conn *c, struct table *t, const char *action_id)
{
	struct json_object *o = op_frame("action_ack");

	add_str(o, "client_action_id", action_id && action_id[0] ? action_id : NULL);
	add_str(o, "status", "accepted");
	op_send_table_frame(c, t, o, "event", false);
}

static bool action_type(const char *s, enum hand_action_type *out)
{
	static const struct {
		const char *name;
		enum hand_action_type type;
	} names[] = { { "fold", HAND_FOLD }, { "check", HAND_CHECK }, { "call", HAND_CALL },
		      { "raise", HAND_RAISE }, { "bet", HAND_RAISE }, { "all_in", HAND_ALLIN },
		      { "allin", HAND_ALLIN } };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(s, names[i].name) == 0)
			return *out = names[i].type, true;
	return false;
}

/* An optional string member: NULL when absent or null; false when it is
 * there but not a string. */
static bool opt_string(struct json_object *msg, const char *key, const char **out)
{
	int rc = json_get_string(msg, key, out);

	if (rc == JSON_ERR_MISSING || rc == JSON_ERR_NULL) {
		*out = NULL;
		return true;
	}
	return rc == JSON_OK;
}

static void on_action(struct conn *c, struct json_object *msg)
{
	struct op_conn *s = oc(c);
	struct table *t = c->table;
	struct table_act a = { 0 };
	const char *kind, *cid, *hand, *token, *current;
	char hand_id[37], payload[sizeof(s->done_payload)], why[256];
	int rc;

	if (json_get_string(msg, "action", &kind) != JSON_OK ||
	    !opt_string(msg, "client_action_id", &cid) || !opt_string(msg, "hand_id", &hand) ||
	    !opt_string(msg, "turn_token", &token)) {
		send_error(c, "invalid_message", "action needs action (a string); client_action_id, "
			   "hand_id and turn_token are strings when present", NULL);
		return;
	}
	if (cid && strlen(cid) >= OP_ACTION_ID_MAX) {
		send_error(c, "invalid_message", "client_action_id is too long", NULL);
		return;
	}
	rc = json_get_whole(msg, "amount", &a.amount_chips);
	if (rc != JSON_OK && rc != JSON_ERR_MISSING && rc != JSON_ERR_NULL) {
		send_error(c, "invalid_message", "amount must be a whole number of chips", NULL);
		return;
	}
	if (!action_type(kind, &a.type)) {
		reject(c, "invalid_action", "action must be fold, check, call, raise or all_in");
		return;
	}
	if (a.type == HAND_RAISE && rc != JSON_OK) {
		reject(c, "invalid_action", "raise needs amount (the raise-to total)");
		return;
	}
	if (!t || c->seat < 0 || !t->in_hand) {
		reject(c, "no_hand_in_progress", "No hand is in progress at your table");
		return;
	}
	op_hand_id(t, hand_id);
	snprintf(payload, sizeof(payload), "%s|%" PRId64 "|%s", kind,
		 a.type == HAND_RAISE ? a.amount_chips : 0, hand ? hand : hand_id);
	if (cid && strcmp(cid, s->done_id) == 0) {
		/* A retry of an accepted action: the same answer; another
		 * payload under the same id is a conflict. */
		if (strcmp(payload, s->done_payload) == 0)
			ack(c, t, cid);
		else
			reject(c, "action_id_conflict",
			       "client_action_id was already used for another action");
		return;
	}
	if (hand && strcmp(hand, hand_id) != 0) {
		reject(c, "stale_hand_action", "hand_id is not the hand in progress");
		return;
	}
	current = table_turn_token(t, c->seat);
	if (!current) {
		reject(c, "not_your_turn", "It is not your turn to act");
		return;
	}
	if (token && strcmp(token, current) != 0) {
		reject(c, "stale_turn_token", "turn_token is not the token of this turn");
		return;
	}
	snprintf(s->acting_id, sizeof(s->acting_id), "%s", cid ? cid : "");
	rc = table_act(t, c, &a, why, sizeof(why));
	s->acting_id[0] = '\0';
	if (rc == WSD_ENOT_YOUR_TURN) {
		reject(c, "not_your_turn", why);
	} else if (rc) {
		reject(c, "invalid_action", why);
	} else if (cid) {
		snprintf(s->done_id, sizeof(s->done_id), "%s", cid);
		snprintf(s->done_payload, sizeof(s->done_payload), "%s", payload);
	}
}

/* Other messages ---------------------------------------------------------------*/

static void on_leave(struct conn *c)
{
	enum lobby_leave q = lobby_leave(tables_lobby(c->srv->tables), c);

	if (oc(c)->checking_buy_in && !oc(c)->checking_left) {
		/* Its balance is being read: the join is dropped. */
		oc(c)->checking_left = true;
		lobby_left(c);
		return;
	}
	if (q == LOBBY_REMOVED) {
		lobby_left(c);
		return;
	}
	if (q == LOBBY_LEAVE_SEATED)
		return; /* being seated: it leaves once seated (player_left) */
	if (!c->table || c->seat < 0) {
		send_error(c, "not_at_table", "Not seated at a table", NULL);
		return;
	}
	/* The runtime answers with this player's player_left and lets the
	 * socket go on (codec.keeps_socket). */
	table_leave(c->table, c->seat, c->agent_id, "leave", 0);
}

static void on_auto_rebuy(struct conn *c, struct json_object *msg)
{
	struct json_object *o;
	bool on;

	if (json_get_bool(msg, "enabled", &on) != JSON_OK) {
		send_error(c, "invalid_message", "enabled must be true or false", NULL);
		return;
	}
	oc(c)->auto_rebuy = on;
	o = op_frame("auto_rebuy_set");
	json_object_object_add(o, "enabled", json_object_new_boolean(on));
	op_send(c, o);
}

/* replay_since's callback: one kept frame into the array arg. */
static void add_replayed(void *arg, int64_t seq, const char *text, size_t len)
{
	struct json_object *frame = NULL;
	char err[64];

	(void)seq;
	if (json_parse(text, len, 16, &frame, err, sizeof(err)) == JSON_OK)
		json_object_array_add(arg, frame);
}

/* resync_request {table_id, last_table_seq}: the public frames of c's table
 * numbered after last_table_seq that the table still keeps (replay.h: this
 * hand and the one before), oldest first, and a snapshot with c's pending
 * turn and its token. */
static void on_resync(struct conn *c, struct json_object *msg)
{
	struct json_object *o = op_frame("resync_response"), *events;
	const char *table_id;
	int64_t last = 0;
	struct table *t = c->table;
	int rc = json_get_whole(msg, "last_table_seq", &last);

	if (!opt_string(msg, "table_id", &table_id) ||
	    (rc != JSON_OK && rc != JSON_ERR_MISSING && rc != JSON_ERR_NULL)) {
		json_object_put(o);
		send_error(c, "invalid_message", "resync_request needs table_id (a string) and "
			   "last_table_seq (an integer)", NULL);
		return;
	}
	if (t && table_id && strcmp(table_id, t->id) != 0)
		t = NULL;
	add_str(o, "role", t && c->seat >= 0 ? "player" : "spectator");
	json_object_object_add(o, "from_table_seq", json_object_new_int64(last));
	json_object_object_add(o, "to_table_seq", json_object_new_int64(t ? t->frame_seq : last));
	events = json_object_new_array();
	if (t && t->replay)
		replay_since(t->replay, last, add_replayed, events);
	json_object_object_add(o, "replayed_events", events);
	json_object_object_add(o, "snapshot", t ? op_table_state(c, t, true) : NULL);
	if (t)
		op_send_table_frame(c, t, o, "event", true);
	else
		op_send(c, o);
}

/* codec.rate_exempt: an action while it is c's turn (with no turn_token or
 * the current one) is taken over the rate: bots at a table without pacing
 * act faster than 20 times a second, and a turn accepts one action only
 * (rejected ones count toward flood control). */
static bool op_rate_exempt(struct conn *c, const char *text, size_t len)
{
	struct json_object *msg = NULL;
	const char *type, *token, *current;
	char err[64];
	bool ok;

	if (!c->table || c->seat < 0)
		return false;
	current = table_turn_token(c->table, c->seat);
	if (!current || json_parse(text, len, 8, &msg, err, sizeof(err)) != JSON_OK)
		return false;
	ok = json_object_is_type(msg, json_type_object) &&
	     json_get_string(msg, "type", &type) == JSON_OK && strcmp(type, "action") == 0 &&
	     opt_string(msg, "turn_token", &token) && (!token || strcmp(token, current) == 0);
	json_object_put(msg);
	return ok;
}

static void op_rx(struct conn *c, const char *text, size_t len)
{
	struct json_object *msg = NULL;
	const char *type;
	char err[128];

	if (json_parse(text, len, 8, &msg, err, sizeof(err)) != JSON_OK) {
		send_error(c, "invalid_message", "Invalid JSON", NULL);
		return;
	}
	if (!json_object_is_type(msg, json_type_object) ||
	    json_get_string(msg, "type", &type) != JSON_OK)
		send_error(c, "invalid_message", "Every message is an object with a type", NULL);
	else if (strcmp(type, "action") == 0)
		on_action(c, msg);
	else if (strcmp(type, "join_lobby") == 0)
		join(c, msg, "buy_in");
	else if (strcmp(type, "rebuy") == 0)
		join(c, msg, "amount");
	else if (strcmp(type, "leave_table") == 0)
		on_leave(c);
	else if (strcmp(type, "set_auto_rebuy") == 0)
		on_auto_rebuy(c, msg);
	else if (strcmp(type, "resync_request") == 0)
		on_resync(c, msg);
	else
		send_error(c, "unknown_message", "Unknown message type", NULL);
	json_object_put(msg);
}

static void op_emit(struct conn *c, const struct table *ct, const struct tmsg *m)
{
	/* Frames number themselves from the table's counter (table_seq): the
	 * one thing a dialect changes in the table it renders. */
	struct table *t = (struct table *)ct;

	if (!c->codec_data)
		return;
	if (m->type == TM_ACK) {
		ack(c, t, oc(c)->acting_id);
		return;
	}
	op_emit_frames(c, t, m);
	if (m->type == TM_PLAYER_LEFT)
		auto_rebuy(c, t, m);
}

const struct codec openpoker_codec = {
	.name = "openpoker",
	.keeps_socket = true,
	.rate_per_s = OP_RATE_PER_S,
	.open = op_open,
	.rx = op_rx,
	.emit = op_emit,
	.error = op_error,
	.closed = op_closed,
	.broadcast = op_broadcast,
	.rate_exempt = op_rate_exempt,
};
