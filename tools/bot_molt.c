/* bot_molt — MoltPoker agent-format frames in, client frames out.  See bot_molt.h. */
#include "bot_molt.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/json.h"
#include "poker/cards.h"

#define MOLT_MAX_DEPTH 8

static const char *const type_names[] = {
	[MOLT_UNKNOWN] = "unknown",
	[MOLT_WELCOME] = "welcome",
	[MOLT_GAME_STATE] = "game_state",
	[MOLT_ACK] = "ack",
	[MOLT_ERROR] = "error",
	[MOLT_HAND_COMPLETE] = "hand_complete",
	[MOLT_STREET_DEALT] = "street_dealt",
	[MOLT_TABLE_STATUS] = "table_status",
	[MOLT_PLAYER_JOINED] = "player_joined",
	[MOLT_PLAYER_LEFT] = "player_left",
	[MOLT_PONG] = "pong",
};

const char *molt_type_name(enum molt_type t)
{
	return (unsigned)t < sizeof type_names / sizeof *type_names ? type_names[t] : "unknown";
}

void molt_agent_init(struct molt_agent *a, enum bot_strategy s, uint64_t seed)
{
	memset(a, 0, sizeof *a);
	a->strategy = s;
	a->rng = seed;
	a->seat = -1;
	a->seq = -1;
	a->hand = -1;
	a->token_seq = -1;
}

void molt_reconnected(struct molt_agent *a)
{
	a->token[0] = '\0';
	a->token_seq = -1;
	a->awaiting_ack = false;
	a->fallback_sent = false;
}

static enum molt_type type_of(const char *s)
{
	for (size_t i = 1; i < sizeof type_names / sizeof *type_names; i++)
		if (strcmp(s, type_names[i]) == 0)
			return (enum molt_type)i;
	return MOLT_UNKNOWN;
}

/* An integer member that must be there. */
static int64_t need_int(struct json_object *o, const char *key, int *err)
{
	int64_t v = 0;

	if (json_get_int64(o, key, &v) != JSON_OK)
		bot_frame_note(err, BOT_FRAME_ESHAPE);
	return v;
}

/* An integer member that may be absent or null; def then. */
static int64_t opt_int(struct json_object *o, const char *key, int64_t def, int *err)
{
	int64_t v = def;
	int r = json_get_int64(o, key, &v);

	if (r == JSON_ERR_MISSING || r == JSON_ERR_NULL)
		return def;
	if (r != JSON_OK) {
		bot_frame_note(err, BOT_FRAME_ESHAPE);
		return def;
	}
	return v;
}

static bool live_phase(const char *phase)
{
	return strcmp(phase, "preflop") == 0 || strcmp(phase, "flop") == 0 ||
	       strcmp(phase, "turn") == 0 || strcmp(phase, "river") == 0;
}

static bool known_phase(const char *phase)
{
	return live_phase(phase) || strcmp(phase, "waiting") == 0 ||
	       strcmp(phase, "showdown") == 0 || strcmp(phase, "ended") == 0;
}

/* The legal actions of an `actions` array ([{kind, min?, max?}]). */
static void legal_of(struct json_object *actions, int64_t to_call,
		     struct bot_legal *leg, int *err)
{
	memset(leg, 0, sizeof *leg);
	for (size_t i = 0; i < json_object_array_length(actions); i++) {
		struct json_object *act = json_object_array_get_idx(actions, i);
		const char *kind;

		if (json_get_string(act, "kind", &kind) != JSON_OK) {
			bot_frame_note(err, BOT_FRAME_ESHAPE);
			continue;
		}
		if (strcmp(kind, "fold") == 0) {
			leg->fold = true;
		} else if (strcmp(kind, "check") == 0) {
			leg->check = true;
		} else if (strcmp(kind, "call") == 0) {
			leg->call = true;
			leg->call_chips = opt_int(act, "min", to_call, err);
		} else if (strcmp(kind, "raiseTo") == 0) {
			leg->raise = true;
			leg->raise_min_chips = need_int(act, "min", err);
			leg->raise_max_chips = need_int(act, "max", err);
			/* A raise whose max is below min is an all-in for less. */
			if (leg->raise_min_chips > leg->raise_max_chips)
				leg->raise_min_chips = leg->raise_max_chips;
			if (leg->raise_max_chips <= 0)
				leg->raise = false;
			leg->allin = leg->raise;
			leg->allin_chips = leg->raise_max_chips;
		} else {
			bot_frame_note(err, BOT_FRAME_ESHAPE);
		}
	}
}

/*
 * players[]: our hole cards and stack into sit; another seat's cards while
 * the hand is live are a leak; folded seats are remembered for hand_complete.
 */
static void players_of(struct molt_agent *a, struct json_object *players, bool live,
		       struct bot_situation *sit, int *err)
{
	for (size_t i = 0; i < json_object_array_length(players); i++) {
		struct json_object *p = json_object_array_get_idx(players, i), *cards;
		int64_t seat = need_int(p, "seat", err);
		bool folded = false;

		need_int(p, "stack", err);
		need_int(p, "bet", err);
		if (json_get_bool(p, "folded", &folded) == JSON_OK && folded &&
		    seat >= 0 && seat < MOLT_SEATS)
			a->folded_mask |= 1u << seat;
		if (seat == a->seat)
			sit->stack_chips = opt_int(p, "stack", 0, err);
		if (json_get_array(p, "cards", &cards) != JSON_OK)
			continue;
		if (seat == a->seat)
			sit->n_hole = bot_frame_cards(cards, sit->hole, 2, err);
		else if (live && json_object_array_length(cards) > 0)
			bot_frame_note(err, BOT_FRAME_ELEAK);
	}
}

static int build_and_send(struct molt_agent *a, const char *token, int64_t seq,
			  const struct bot_choice *c, struct bot_out *out)
{
	int n = molt_build_action(token, seq, c, bot_strategy_name(a->strategy),
				  out->text, sizeof out->text);

	if (n < 0)
		return BOT_FRAME_ESHAPE;
	out->send = true;
	out->acted = true;
	out->kind = c->kind;
	out->amount_chips = c->amount_chips;
	a->awaiting_ack = true;
	return BOT_FRAME_OK;
}

static int on_game_state(struct molt_agent *a, struct json_object *o, struct bot_out *out)
{
	int err = BOT_FRAME_OK;
	struct json_object *players = NULL, *actions = NULL, *board = NULL;
	struct bot_situation sit;
	const char *phase = "", *token = NULL;
	int64_t seq, hand, turn;
	bool live;

	memset(&sit, 0, sizeof sit);
	seq = need_int(o, "seq", &err);
	hand = need_int(o, "hand", &err);
	if (json_get_string(o, "phase", &phase) != JSON_OK || !known_phase(phase))
		bot_frame_note(&err, BOT_FRAME_ESHAPE);
	live = live_phase(phase);
	if (json_get_array(o, "board", &board) == JSON_OK)
		sit.n_board = bot_frame_cards(board, sit.board, 5, &err);
	else
		bot_frame_note(&err, BOT_FRAME_ESHAPE);
	sit.pot_chips = need_int(o, "pot", &err);
	need_int(o, "dealer", &err);
	/* DESIGN §8: toCall is always present (the reference omits a zero). */
	sit.to_call_chips = need_int(o, "toCall", &err);
	turn = opt_int(o, "turn", -1, &err);
	if (hand != a->hand) {
		a->hand = hand;
		a->folded_mask = 0;
	}
	if (json_get_array(o, "players", &players) == JSON_OK)
		players_of(a, players, live, &sit, &err);
	else
		bot_frame_note(&err, BOT_FRAME_ESHAPE);
	if (seq > a->seq)
		a->seq = seq;
	a->running = true;
	out->state = true;
	out->healthy = true;

	if (turn != a->seat || a->seat < 0)
		return err;
	if (json_get_array(o, "actions", &actions) != JSON_OK ||
	    json_object_array_length(actions) == 0)
		return err;
	if (json_get_string(o, "turn_token", &token) != JSON_OK ||
	    strlen(token) >= MOLT_TOKEN_MAX || !*token) {
		bot_frame_note(&err, BOT_FRAME_ESHAPE);
		return err;
	}
	/* Never two actions for one turn (skill.md); a new token is a new turn. */
	if (strcmp(token, a->token) == 0)
		return err;
	legal_of(actions, sit.to_call_chips, &a->legal, &err);
	snprintf(a->token, sizeof a->token, "%s", token);
	a->token_seq = seq;
	a->fallback_sent = false;
	{
		struct bot_choice c = bot_decide(a->strategy, &sit, &a->legal, &a->rng);
		int e = build_and_send(a, token, seq, &c, out);

		if (e != BOT_FRAME_OK)
			bot_frame_note(&err, e);
	}
	return err;
}

/* After INVALID_ACTION the turn stays open: answer once with the safety default. */
static int on_error(struct molt_agent *a, struct json_object *o, struct bot_out *out)
{
	int err = BOT_FRAME_OK;
	const char *code = "", *msg;

	if (json_get_string(o, "code", &code) != JSON_OK ||
	    json_get_string(o, "message", &msg) != JSON_OK)
		bot_frame_note(&err, BOT_FRAME_ESHAPE);
	snprintf(out->error_code, sizeof out->error_code, "%s", code);
	if (!a->awaiting_ack)
		return err;
	a->awaiting_ack = false;
	if (strcmp(code, "INVALID_ACTION") == 0 && !a->fallback_sent && a->token[0]) {
		struct bot_choice c = bot_safe_choice(&a->legal);
		int e;

		a->fallback_sent = true;
		e = build_and_send(a, a->token, a->token_seq, &c, out);
		if (e != BOT_FRAME_OK)
			bot_frame_note(&err, e);
	}
	return err;
}

/* hand_complete: results [{seat, cards?, won, rank?}]; a folded hand is never shown. */
static int on_hand_complete(struct molt_agent *a, struct json_object *o)
{
	int err = BOT_FRAME_OK;
	struct json_object *results, *cards;
	bool showdown;

	need_int(o, "hand", &err);
	if (json_get_bool(o, "showdown", &showdown) != JSON_OK)
		bot_frame_note(&err, BOT_FRAME_ESHAPE);
	if (json_get_array(o, "results", &results) != JSON_OK) {
		bot_frame_note(&err, BOT_FRAME_ESHAPE);
		return err;
	}
	for (size_t i = 0; i < json_object_array_length(results); i++) {
		struct json_object *r = json_object_array_get_idx(results, i);
		int64_t seat = need_int(r, "seat", &err);

		need_int(r, "won", &err);
		if (json_get_array(r, "cards", &cards) == JSON_OK &&
		    json_object_array_length(cards) > 0 && seat != a->seat &&
		    seat >= 0 && seat < MOLT_SEATS && (a->folded_mask >> seat & 1))
			bot_frame_note(&err, BOT_FRAME_ELEAK);
	}
	a->hands_done++;
	a->folded_mask = 0;
	return err;
}

static int on_table_status(struct molt_agent *a, struct json_object *o, struct bot_out *out)
{
	int err = BOT_FRAME_OK;
	const char *status = "", *reason = "";

	if (json_get_string(o, "status", &status) != JSON_OK)
		bot_frame_note(&err, BOT_FRAME_ESHAPE);
	if (strcmp(status, "ended") == 0) {
		a->ended = true;
		out->ended = true;
		if (json_get_string(o, "reason", &reason) == JSON_OK)
			snprintf(a->end_reason, sizeof a->end_reason, "%s", reason);
	} else if (strcmp(status, "waiting") != 0 && strcmp(status, "running") != 0) {
		bot_frame_note(&err, BOT_FRAME_ESHAPE);
	}
	return err;
}

static int dispatch(struct molt_agent *a, enum molt_type t, struct json_object *o,
		    struct bot_out *out)
{
	int err = BOT_FRAME_OK;
	const char *s;

	switch (t) {
	case MOLT_WELCOME:
		out->healthy = true;
		a->seat = (int)need_int(o, "seat", &err);
		a->timeout_ms = need_int(o, "timeout", &err);
		if (json_get_string(o, "agent_id", &s) != JSON_OK)
			bot_frame_note(&err, BOT_FRAME_ESHAPE);
		return err;
	case MOLT_GAME_STATE:
		return on_game_state(a, o, out);
	case MOLT_ACK:
		if (json_get_string(o, "turn_token", &s) != JSON_OK)
			bot_frame_note(&err, BOT_FRAME_ESHAPE);
		need_int(o, "seq", &err);
		a->awaiting_ack = false;
		return err;
	case MOLT_ERROR:
		return on_error(a, o, out);
	case MOLT_HAND_COMPLETE:
		out->hand_done = true;
		return on_hand_complete(a, o);
	case MOLT_STREET_DEALT:
		need_int(o, "hand", &err);
		if (json_get_string(o, "street", &s) != JSON_OK)
			bot_frame_note(&err, BOT_FRAME_ESHAPE);
		return err;
	case MOLT_TABLE_STATUS:
		return on_table_status(a, o, out);
	case MOLT_PLAYER_JOINED:
	case MOLT_PLAYER_LEFT:
		need_int(o, "seatId", &err);
		return err;
	case MOLT_PONG:
	case MOLT_UNKNOWN:
		break;
	}
	return err;
}

int molt_on_frame(struct molt_agent *a, const char *p, size_t len, struct bot_out *out)
{
	const char *type;
	int err = BOT_FRAME_OK;
	struct json_object *o = bot_frame_parse(p, len, MOLT_MAX_DEPTH, &type, &err);

	memset(out, 0, sizeof *out);
	if (!o)
		return err;
	snprintf(out->type, sizeof out->type, "%s", type);
	/* skill.md: table_id + payload means the wrong (envelope) format. */
	if (json_object_object_get_ex(o, "payload", NULL))
		err = BOT_FRAME_EENVELOPE;
	else if (type_of(type) == MOLT_UNKNOWN)
		err = BOT_FRAME_ETYPE;
	else
		err = dispatch(a, type_of(type), o, out);
	json_object_put(o);
	return err;
}

int molt_build_action(const char *token, int64_t seq, const struct bot_choice *c,
		      const char *reasoning, char *buf, size_t len)
{
	struct json_object *msg = json_object_new_object();
	struct json_object *act = json_object_new_object();
	const char *kind = c->kind == BOT_FOLD ? "fold" : c->kind == BOT_CHECK ? "check" :
			   c->kind == BOT_CALL ? "call" : "raiseTo";

	json_object_object_add(msg, "type", json_object_new_string("action"));
	json_object_object_add(act, "turn_token", json_object_new_string(token));
	json_object_object_add(act, "kind", json_object_new_string(kind));
	if (c->kind == BOT_RAISE || c->kind == BOT_ALLIN)
		json_object_object_add(act, "amount", json_object_new_int64(c->amount_chips));
	if (reasoning)
		json_object_object_add(act, "reasoning", json_object_new_string(reasoning));
	json_object_object_add(msg, "action", act);
	if (seq >= 0)
		json_object_object_add(msg, "expected_seq", json_object_new_int64(seq));
	return bot_frame_emit(msg, buf, len);
}

int molt_build_ping(int64_t ms, char *buf, size_t len)
{
	int n = snprintf(buf, len, "{\"type\":\"ping\",\"payload\":{\"timestamp\":%" PRId64 "}}", ms);

	return n >= 0 && (size_t)n < len ? n : -1;
}
