/* bot_open — Open Poker frames in, client frames out.  See bot_open.h. */
#include "bot_open.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "poker/cards.h"

#define OPEN_MAX_DEPTH 10

void open_agent_init(struct open_agent *a, enum bot_strategy s, uint64_t seed,
		     int64_t buy_in, bool rejoin, const char *prefix)
{
	memset(a, 0, sizeof *a);
	a->strategy = s;
	a->rng = seed;
	a->buy_in_chips = buy_in;
	a->rejoin = rejoin;
	snprintf(a->id_prefix, sizeof a->id_prefix, "%s", prefix ? prefix : "fb");
	a->seat = -1;
	a->table_seq = -1;
}

void open_reconnected(struct open_agent *a)
{
	if (a->phase != OPEN_DONE)
		a->phase = OPEN_CONNECTING;
	a->token[0] = '\0';
	a->awaiting_ack = false;
	a->fallback_sent = false;
}

/*
 * A chip amount: an integer, or a number with no fraction (a Python server
 * may spell 60 as 60.0).  Absent or null gives def; anything else is a
 * shape error.
 */
static int64_t chips(struct json_object *o, const char *key, int64_t def, int *err)
{
	struct json_object *v;
	double d;

	if (!json_object_object_get_ex(o, key, &v) || !v)
		return def;
	if (json_object_is_type(v, json_type_int))
		return json_object_get_int64(v);
	if (json_object_is_type(v, json_type_double)) {
		d = json_object_get_double(v);
		if (d == floor(d) && fabs(d) < 9e15)
			return (int64_t)d;
	}
	bot_frame_note(err, BOT_FRAME_ESHAPE);
	return def;
}

static int64_t need_chips(struct json_object *o, const char *key, int *err)
{
	if (!json_object_object_get_ex(o, key, NULL)) {
		bot_frame_note(err, BOT_FRAME_ESHAPE);
		return 0;
	}
	return chips(o, key, 0, err);
}

static void copy_id(char *dst, struct json_object *o, const char *key, int *err)
{
	const char *s;

	if (json_get_string(o, key, &s) != JSON_OK || strlen(s) >= OPEN_ID_MAX || !*s) {
		bot_frame_note(err, BOT_FRAME_ESHAPE);
		return;
	}
	memcpy(dst, s, strlen(s) + 1);
}

static bool is_sha256(const char *s)
{
	if (strncmp(s, "sha256:", 7) != 0 || strlen(s) != 7 + 64)
		return false;
	for (s += 7; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
			return false;
	return true;
}

/*
 * The era-C envelope of a table frame: table_id, table_seq strictly
 * increasing per table on one connection (gaps are normal: other seats'
 * private frames use numbers too), and a state_hash on table_state.
 */
static void envelope(struct open_agent *a, struct json_object *o, bool state, int *err)
{
	const char *tid, *hash;
	int64_t seq;

	if (json_get_string(o, "table_id", &tid) != JSON_OK ||
	    json_get_int64(o, "table_seq", &seq) != JSON_OK) {
		bot_frame_note(err, BOT_FRAME_EENVELOPE);
		return;
	}
	if (strcmp(tid, a->table_id) != 0) {
		snprintf(a->table_id, sizeof a->table_id, "%s", tid);
		a->table_seq = -1;
	}
	if (seq <= a->table_seq)
		bot_frame_note(err, BOT_FRAME_EENVELOPE);
	else
		a->table_seq = seq;
	if (state && (json_get_string(o, "state_hash", &hash) != JSON_OK || !is_sha256(hash)))
		bot_frame_note(err, BOT_FRAME_EENVELOPE);
}

static void send_text(struct bot_out *out, struct json_object *msg)
{
	out->send = bot_frame_emit(msg, out->text, sizeof out->text) >= 0;
}

static void join_lobby(struct open_agent *a, struct bot_out *out)
{
	struct json_object *m = json_object_new_object();

	json_object_object_add(m, "type", json_object_new_string("join_lobby"));
	json_object_object_add(m, "buy_in", json_object_new_int64(a->buy_in_chips));
	send_text(out, m);
	a->phase = OPEN_LOBBY;
}

static void simple(struct bot_out *out, const char *type)
{
	struct json_object *m = json_object_new_object();

	json_object_object_add(m, "type", json_object_new_string(type));
	send_text(out, m);
}

/* valid_actions [{action, amount, min, max}] (nulls where not applicable). */
static void legal_of(struct json_object *va, struct bot_legal *leg, int *err)
{
	memset(leg, 0, sizeof *leg);
	for (size_t i = 0; i < json_object_array_length(va); i++) {
		struct json_object *v = json_object_array_get_idx(va, i);
		const char *act;

		if (json_get_string(v, "action", &act) != JSON_OK) {
			bot_frame_note(err, BOT_FRAME_ESHAPE);
			continue;
		}
		if (strcmp(act, "fold") == 0) {
			leg->fold = true;
		} else if (strcmp(act, "check") == 0) {
			leg->check = true;
		} else if (strcmp(act, "call") == 0) {
			leg->call = true;
			leg->call_chips = chips(v, "amount", 0, err);
		} else if (strcmp(act, "raise") == 0) {
			leg->raise = true;
			leg->raise_min_chips = need_chips(v, "min", err);
			leg->raise_max_chips = need_chips(v, "max", err);
			if (leg->raise_min_chips > leg->raise_max_chips)
				leg->raise_min_chips = leg->raise_max_chips;
		} else if (strcmp(act, "all_in") == 0) {
			leg->allin = true;
			leg->allin_chips = chips(v, "amount", 0, err);
		} else {
			bot_frame_note(err, BOT_FRAME_ESHAPE);
		}
	}
}

static void act(struct open_agent *a, const struct bot_choice *choice, struct bot_out *out,
		int *err)
{
	struct bot_choice cc = *choice, *c = &cc;
	char id[48];

	/* An all-in the server does not offer as such is a raise to the maximum. */
	if (c->kind == BOT_ALLIN && !a->legal.allin)
		c->kind = BOT_RAISE;

	snprintf(id, sizeof id, "%s-%u", a->id_prefix, ++a->action_no);
	if (open_build_action(a->hand_id, a->token, id, c, out->text, sizeof out->text) < 0) {
		bot_frame_note(err, BOT_FRAME_ESHAPE);
		return;
	}
	out->send = true;
	out->acted = true;
	out->kind = c->kind;
	out->amount_chips = c->amount_chips;
	a->awaiting_ack = true;
}

/* A turn offered by your_turn or a resync snapshot's hero: answer it once. */
static void turn(struct open_agent *a, struct json_object *va, const char *token,
		 int64_t pot, int64_t to_call, struct bot_out *out, int *err)
{
	struct bot_situation sit;
	struct bot_choice c;

	if (strlen(token) >= OPEN_ID_MAX || !*token) {
		bot_frame_note(err, BOT_FRAME_ESHAPE);
		return;
	}
	if (strcmp(token, a->token) == 0)
		return;
	/* Leaving (SIGINT, or busted without a rebuy): a turn that crossed the
	 * leave_table is not answered (no_hand_in_progress once it is done). */
	if (a->phase == OPEN_LEAVING || a->phase == OPEN_DONE)
		return;
	memcpy(a->token, token, strlen(token) + 1);
	a->fallback_sent = false;
	legal_of(va, &a->legal, err);
	memset(&sit, 0, sizeof sit);
	memcpy(sit.hole, a->hole, sizeof sit.hole);
	sit.n_hole = a->n_hole;
	memcpy(sit.board, a->board, sizeof sit.board);
	sit.n_board = a->n_board;
	sit.pot_chips = pot;
	sit.to_call_chips = to_call >= 0 ? to_call : a->legal.call_chips;
	sit.stack_chips = a->stack_chips;
	c = bot_decide(a->strategy, &sit, &a->legal, &a->rng);
	act(a, &c, out, err);
}

static void on_your_turn(struct open_agent *a, struct json_object *o, struct bot_out *out,
			 int *err)
{
	struct json_object *va, *board, *players;
	const char *token, *hid;

	envelope(a, o, false, err);
	if (json_get_string(o, "hand_id", &hid) == JSON_OK && strlen(hid) < OPEN_ID_MAX)
		memcpy(a->hand_id, hid, strlen(hid) + 1);
	else
		bot_frame_note(err, BOT_FRAME_ESHAPE);
	if (json_get_array(o, "community_cards", &board) == JSON_OK)
		a->n_board = bot_frame_cards(board, a->board, 5, err);
	if (json_get_array(o, "players", &players) == JSON_OK)
		for (size_t i = 0; i < json_object_array_length(players); i++) {
			struct json_object *p = json_object_array_get_idx(players, i);
			int64_t seat = -1;

			if (json_get_int64(p, "seat", &seat) == JSON_OK && seat == a->seat)
				a->stack_chips = chips(p, "stack", a->stack_chips, err);
		}
	if (json_get_array(o, "valid_actions", &va) != JSON_OK ||
	    json_get_string(o, "turn_token", &token) != JSON_OK) {
		bot_frame_note(err, BOT_FRAME_ESHAPE);
		return;
	}
	turn(a, va, token, chips(o, "pot", 0, err), -1, out, err);
}

/* table_state / a resync snapshot: seats never show hole cards; hero is ours. */
static void on_snapshot(struct open_agent *a, struct json_object *o, struct bot_out *out,
			int *err)
{
	struct json_object *seats, *hero, *va, *cards;
	const char *token;

	if (json_get_array(o, "seats", &seats) != JSON_OK) {
		bot_frame_note(err, BOT_FRAME_ESHAPE);
	} else {
		for (size_t i = 0; i < json_object_array_length(seats); i++) {
			struct json_object *s = json_object_array_get_idx(seats, i);

			if (json_object_object_get_ex(s, "hole_cards", &cards) && cards &&
			    json_object_array_length(cards) > 0)
				bot_frame_note(err, BOT_FRAME_ELEAK);
		}
	}
	if (json_get_object(o, "hero", &hero) != JSON_OK)
		return;
	if (json_get_array(hero, "hole_cards", &cards) == JSON_OK)
		a->n_hole = bot_frame_cards(cards, a->hole, 2, err);
	if (json_get_array(hero, "valid_actions", &va) == JSON_OK &&
	    json_get_string(hero, "turn_token", &token) == JSON_OK) {
		const char *hid;

		/* The turn of the snapshot's hand: an agent attached (or
		 * resynced) mid-hand has seen no hand_start of it, and an
		 * action under another hand_id is stale_hand_action. */
		if (json_get_string(o, "hand_id", &hid) == JSON_OK && strlen(hid) < OPEN_ID_MAX)
			memcpy(a->hand_id, hid, strlen(hid) + 1);
		turn(a, va, token, chips(o, "pot", 0, err), chips(o, "to_call", -1, err),
		     out, err);
	}
}

static void on_rejected(struct open_agent *a, struct json_object *o, struct bot_out *out,
			int *err)
{
	const char *code = "";

	if (json_get_string(o, "code", &code) != JSON_OK)
		bot_frame_note(err, BOT_FRAME_ESHAPE);
	snprintf(out->error_code, sizeof out->error_code, "%s", code);
	a->awaiting_ack = false;
	/* The turn stays open after a rejection (§4): one safety fallback. */
	if (!a->fallback_sent && a->token[0] && a->seat >= 0) {
		struct bot_choice c = bot_safe_choice(&a->legal);

		a->fallback_sent = true;
		act(a, &c, out, err);
	}
}

static void on_error(struct open_agent *a, struct json_object *o, struct bot_out *out,
		     int *err)
{
	const char *code = "";

	if (json_get_string(o, "code", &code) != JSON_OK)
		bot_frame_note(err, BOT_FRAME_ESHAPE);
	snprintf(out->error_code, sizeof out->error_code, "%s", code);
	if (strcmp(code, "insufficient_funds") == 0 ||
	    strcmp(code, "insufficient_season_chips") == 0 || strcmp(code, "auth_failed") == 0) {
		out->fatal = true;
		out->ended = true;
		a->phase = OPEN_DONE;
	} else if (strcmp(code, "not_at_table") == 0 && a->phase == OPEN_LEAVING) {
		out->ended = true;
		a->phase = OPEN_DONE;
	}
}

/* hand_result: shown_cards {"<seat>": [..]} never includes a folded seat. */
static void on_hand_result(struct open_agent *a, struct json_object *o, int *err)
{
	struct json_object *shown, *winners;

	envelope(a, o, false, err);
	if (json_get_array(o, "winners", &winners) != JSON_OK)
		bot_frame_note(err, BOT_FRAME_ESHAPE);
	if (json_get_object(o, "shown_cards", &shown) == JSON_OK) {
		json_object_object_foreach(shown, key, val) {
			long seat = strtol(key, NULL, 10);

			(void)val;
			if (seat >= 0 && seat < OPEN_SEATS && (a->folded_mask >> seat & 1))
				bot_frame_note(err, BOT_FRAME_ELEAK);
		}
	}
	a->hands_done++;
	a->folded_mask = 0;
}

static void on_player_action(struct open_agent *a, struct json_object *o, int *err)
{
	const char *action;
	int64_t seat;

	envelope(a, o, false, err);
	if (json_get_int64(o, "seat", &seat) != JSON_OK ||
	    json_get_string(o, "action", &action) != JSON_OK) {
		bot_frame_note(err, BOT_FRAME_ESHAPE);
		return;
	}
	if (strcmp(action, "fold") == 0 && seat >= 0 && seat < OPEN_SEATS)
		a->folded_mask |= 1u << seat;
	if (seat == a->seat)
		a->stack_chips = chips(o, "stack_after", a->stack_chips, err);
}

static void rebuy(struct open_agent *a, struct bot_out *out)
{
	struct json_object *m = json_object_new_object();

	json_object_object_add(m, "type", json_object_new_string("rebuy"));
	json_object_object_add(m, "amount", json_object_new_int64(a->buy_in_chips));
	send_text(out, m);
	a->rebuys++;
	a->rebuy_due = false;
	a->phase = OPEN_LOBBY;
}

static void left_table(struct open_agent *a, struct bot_out *out)
{
	a->seat = -1;
	a->token[0] = '\0';
	if (a->rebuy_due && a->phase != OPEN_LEAVING && a->phase != OPEN_DONE) {
		rebuy(a, out);
	} else if (a->phase == OPEN_LEAVING || a->phase == OPEN_DONE || !a->rejoin) {
		a->phase = OPEN_DONE;
		out->ended = true;
	} else {
		join_lobby(a, out);
	}
}

static int dispatch(struct open_agent *a, const char *type, struct json_object *o,
		    struct bot_out *out)
{
	int err = BOT_FRAME_OK;
	struct json_object *arr;
	int64_t seat;

	if (strcmp(type, "connected") == 0) {
		const char *id;

		if (json_get_string(o, "agent_id", &id) != JSON_OK)
			bot_frame_note(&err, BOT_FRAME_ESHAPE);
		out->healthy = true;
		if (a->phase == OPEN_CONNECTING)
			join_lobby(a, out);
	} else if (strcmp(type, "lobby_joined") == 0) {
		need_chips(o, "position", &err);
	} else if (strcmp(type, "table_joined") == 0) {
		envelope(a, o, false, &err);
		a->seat = (int)need_chips(o, "seat", &err);
		if (a->phase != OPEN_LEAVING)
			a->phase = OPEN_SEATED;
	} else if (strcmp(type, "table_state") == 0) {
		envelope(a, o, true, &err);
		out->state = true;
		out->healthy = true;
		on_snapshot(a, o, out, &err);
	} else if (strcmp(type, "hand_start") == 0) {
		envelope(a, o, false, &err);
		copy_id(a->hand_id, o, "hand_id", &err);
		a->n_hole = a->n_board = 0;
		a->folded_mask = 0;
		if (json_get_object(o, "blinds", &arr) != JSON_OK)
			bot_frame_note(&err, BOT_FRAME_ESHAPE);
	} else if (strcmp(type, "hole_cards") == 0) {
		if (json_get_array(o, "cards", &arr) == JSON_OK)
			a->n_hole = bot_frame_cards(arr, a->hole, 2, &err);
		else
			bot_frame_note(&err, BOT_FRAME_ESHAPE);
	} else if (strcmp(type, "your_turn") == 0) {
		on_your_turn(a, o, out, &err);
	} else if (strcmp(type, "action_ack") == 0) {
		const char *id;

		if (json_get_string(o, "client_action_id", &id) != JSON_OK)
			bot_frame_note(&err, BOT_FRAME_ESHAPE);
		a->awaiting_ack = false;
	} else if (strcmp(type, "action_rejected") == 0) {
		on_rejected(a, o, out, &err);
	} else if (strcmp(type, "player_action") == 0) {
		out->state = true;
		out->healthy = true;
		on_player_action(a, o, &err);
	} else if (strcmp(type, "community_cards") == 0) {
		envelope(a, o, false, &err);
		if (json_get_array(o, "cards", &arr) == JSON_OK)
			a->n_board = bot_frame_cards(arr, a->board, 5, &err);
		else
			bot_frame_note(&err, BOT_FRAME_ESHAPE);
	} else if (strcmp(type, "hand_result") == 0) {
		out->hand_done = true;
		on_hand_result(a, o, &err);
	} else if (strcmp(type, "busted") == 0) {
		bool offered = false;

		if (json_get_array(o, "options", &arr) == JSON_OK)
			for (size_t i = 0; i < json_object_array_length(arr); i++) {
				const char *opt = json_object_get_string(
					json_object_array_get_idx(arr, i));

				offered |= opt && strcmp(opt, "rebuy") == 0;
			}
		if (offered && a->phase == OPEN_SEATED) {
			a->rebuy_due = true; /* once the seat is gone (left_table) */
		} else if (a->phase != OPEN_LEAVING) {
			simple(out, "leave_table");
			a->phase = OPEN_LEAVING;
		}
	} else if (strcmp(type, "rebuy_confirmed") == 0) {
		/* era C: a rebuy credits the balance and does not seat; era A keeps the seat */
		if (a->seat < 0 && (a->phase == OPEN_SEATED || a->phase == OPEN_LOBBY))
			join_lobby(a, out);
	} else if (strcmp(type, "player_left") == 0) {
		if (json_get_int64(o, "seat", &seat) == JSON_OK && seat == a->seat && seat >= 0)
			left_table(a, out);
	} else if (strcmp(type, "table_closed") == 0) {
		left_table(a, out);
	} else if (strcmp(type, "error") == 0) {
		on_error(a, o, out, &err);
	} else if (strcmp(type, "resync_response") == 0) {
		struct json_object *snap;

		if (json_get_object(o, "snapshot", &snap) == JSON_OK)
			on_snapshot(a, snap, out, &err);
	} else if (strcmp(type, "player_joined") == 0 || strcmp(type, "auto_rebuy_set") == 0 ||
		   strcmp(type, "auto_rebuy_scheduled") == 0 ||
		   strcmp(type, "chips_skimmed") == 0 || strcmp(type, "season_ended") == 0) {
		/* informational */
	} else {
		bot_frame_note(&err, BOT_FRAME_ETYPE);
	}
	return err;
}

int open_on_frame(struct open_agent *a, const char *p, size_t len, struct bot_out *out)
{
	const char *type;
	int err = BOT_FRAME_OK;
	struct json_object *o = bot_frame_parse(p, len, OPEN_MAX_DEPTH, &type, &err);

	memset(out, 0, sizeof *out);
	if (!o)
		return err;
	snprintf(out->type, sizeof out->type, "%s", type);
	err = dispatch(a, type, o, out);
	json_object_put(o);
	return err;
}

void open_stop(struct open_agent *a, struct bot_out *out)
{
	memset(out, 0, sizeof *out);
	if (a->phase == OPEN_LOBBY || a->phase == OPEN_SEATED) {
		simple(out, "leave_table");
		a->phase = OPEN_LEAVING;
	} else if (a->phase != OPEN_LEAVING) {
		a->phase = OPEN_DONE;
		out->ended = true;
	}
}

int open_build_action(const char *hand_id, const char *token, const char *id,
		      const struct bot_choice *c, char *buf, size_t len)
{
	struct json_object *m = json_object_new_object();
	const char *action = c->kind == BOT_FOLD ? "fold" : c->kind == BOT_CHECK ? "check" :
			     c->kind == BOT_CALL ? "call" : c->kind == BOT_RAISE ? "raise" : "all_in";

	json_object_object_add(m, "type", json_object_new_string("action"));
	json_object_object_add(m, "hand_id", json_object_new_string(hand_id));
	json_object_object_add(m, "action", json_object_new_string(action));
	if (c->kind == BOT_RAISE)
		json_object_object_add(m, "amount", json_object_new_int64(c->amount_chips));
	json_object_object_add(m, "client_action_id", json_object_new_string(id));
	json_object_object_add(m, "turn_token", json_object_new_string(token));
	return bot_frame_emit(m, buf, len);
}
