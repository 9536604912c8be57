/*
 * openpoker_frames.c — the Open Poker table frames: the envelope,
 * table_state and its state_hash, hand_start, hole_cards, your_turn,
 * player_action, community_cards, hand_result, player_joined/left, busted,
 * table_closed.  Every card shown comes from a hand_view (poker/view.h) or
 * from a log entry the runtime has filtered for this viewer.
 */
#include "openpoker.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/hash.h"
#include "core/pyjson.h"
#include "poker/eval.h"
#include "server.h"

static const char *const street_names[] = { "preflop", "flop", "turn", "river" };

static void add_str(struct json_object *o, const char *k, const char *v)
{
	json_object_object_add(o, k, v ? json_object_new_string(v) : NULL);
}

static void add_int(struct json_object *o, const char *k, int64_t v)
{
	json_object_object_add(o, k, json_object_new_int64(v));
}

static void add_null(struct json_object *o, const char *k)
{
	json_object_object_add(o, k, NULL);
}

static struct json_object *card_json(card_t c)
{
	char s[3];

	card_format(c, s);
	return json_object_new_string(s);
}

static struct json_object *cards_json(const card_t *c, int n)
{
	struct json_object *a = json_object_new_array();
	int i;

	for (i = 0; i < n; i++)
		json_object_array_add(a, card_json(c[i]));
	return a;
}

void op_send(struct conn *c, struct json_object *o)
{
	size_t len;
	char *s = pyjson_dumps(o, &len);

	if (s)
		conn_send(c, s, len);
	free(s);
	json_object_put(o);
}

void op_hand_id(const struct table *t, char out[37])
{
	const uint8_t *b = t->log.commitment;
	char hex[33];

	out[0] = '\0';
	if (!t->log.started)
		return;
	hash_hex(b, 16, hex);
	/* Shaped as a version-4 UUID: the commitment's bits are random. */
	hex[12] = '4';
	hex[16] = "89ab"[hash_hex_value(hex[16]) & 3];
	snprintf(out, 37, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12, hex + 16,
		 hex + 20);
}

/* RFC 3339 with microseconds and +00:00, as the reference's frames. */
static struct json_object *ts_now(void)
{
	struct timespec ts;
	struct tm tm;
	char buf[48];

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), ".%06ld+00:00",
		 ts.tv_nsec / 1000);
	return json_object_new_string(buf);
}

int op_state_hash(struct json_object *o, char *out, size_t len)
{
	struct json_object *copy = json_object_new_object();
	uint8_t sum[HASH_SHA256_SIZE];
	char hex[2 * HASH_SHA256_SIZE + 1];
	size_t n;
	char *s;

	json_object_object_foreach(o, k, v)
	{
		if (strcmp(k, "ts") && strcmp(k, "table_seq") && strcmp(k, "hand_seq") &&
		    strcmp(k, "state_hash"))
			json_object_object_add(copy, k, json_object_get(v));
	}
	s = pyjson_dumps(copy, &n);
	json_object_put(copy);
	if (!s)
		return -1;
	hash_sha256(s, n, sum);
	free(s);
	hash_hex(sum, sizeof(sum), hex);
	snprintf(out, len, "sha256:%s", hex);
	return 0;
}

void op_send_table_frame(struct conn *c, struct table *t, struct json_object *o,
			 const char *stream, bool with_hash)
{
	char hand_id[37], hash[80];
	int64_t hand_seq, seq = table_next_frame(t, &hand_seq);

	op_hand_id(t, hand_id);
	add_str(o, "stream", stream);
	add_str(o, "table_id", t->id);
	add_str(o, "hand_id", hand_id[0] ? hand_id : NULL);
	add_int(o, "table_seq", seq);
	add_int(o, "hand_seq", hand_seq);
	json_object_object_add(o, "ts", ts_now());
	if (with_hash) {
		if (strcmp(stream, "state") == 0 && op_state_hash(o, hash, sizeof(hash)) == 0)
			add_str(o, "state_hash", hash);
		else
			add_null(o, "state_hash");
	}
	op_send(c, o);
}

static struct json_object *frame(const char *type)
{
	struct json_object *o = json_object_new_object();

	add_str(o, "type", type);
	return o;
}

/* Seats and players ---------------------------------------------------------------*/

static void add_profile(struct json_object *s)
{
	add_null(s, "public_profile_slug");
	json_object_object_add(s, "is_pro", json_object_new_boolean(false));
}

/* The occupied seats: {seat, name, stack, avatar_url, public_profile_slug,
 * is_pro} (table_joined, your_turn). */
static struct json_object *players_json(const struct table *t, const struct hand_view *v)
{
	struct json_object *a = json_object_new_array();
	int i;

	for (i = 0; i < t->cfg.max_seats; i++) {
		const struct table_seat *s = &t->seat[i];
		struct json_object *p;

		if (!s->occupied)
			continue;
		p = json_object_new_object();
		add_int(p, "seat", i);
		add_str(p, "name", s->name);
		add_int(p, "stack", v && t->in_hand && v->seat[i].in_hand ? v->seat[i].stack_chips
									  : s->stack_chips);
		add_null(p, "avatar_url");
		add_profile(p);
		json_object_array_add(a, p);
	}
	return a;
}

/* What the player to act may do: each entry has action, amount, min, max. */
static struct json_object *valid_actions(const struct hand_view *v)
{
	struct json_object *a = json_object_new_array();
	const struct hand_legal *l = &v->legal;
	const struct view_seat *me = &v->seat[l->seat];
	int64_t all_in_to = me->bet_chips + me->stack_chips;
	struct {
		bool ok;
		const char *name;
		bool has_amount, has_range;
		int64_t amount, min, max;
	} e[] = {
		{ l->can_fold, "fold", false, false, 0, 0, 0 },
		{ l->can_check, "check", false, false, 0, 0, 0 },
		{ l->can_call, "call", true, false, l->call_chips, 0, 0 },
		{ l->can_raise && l->min_raise_to_chips < l->max_raise_to_chips, "raise", false,
		  true, 0, l->min_raise_to_chips, l->max_raise_to_chips },
		{ me->stack_chips > 0 && (l->can_raise || l->can_call), "all_in", true, false,
		  all_in_to, 0, 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(e) / sizeof(e[0]); i++) {
		struct json_object *x;

		if (!e[i].ok)
			continue;
		x = json_object_new_object();
		add_str(x, "action", e[i].name);
		if (e[i].has_amount)
			add_int(x, "amount", e[i].amount);
		else
			add_null(x, "amount");
		if (e[i].has_range) {
			add_int(x, "min", e[i].min);
			add_int(x, "max", e[i].max);
		} else {
			add_null(x, "min");
			add_null(x, "max");
		}
		json_object_array_add(a, x);
	}
	return a;
}

/* table_state ------------------------------------------------------------------*/

static int with_chips(const struct table *t)
{
	int i, n = 0;

	for (i = 0; i < t->cfg.max_seats; i++)
		if (t->seat[i].occupied && !t->seat[i].leaving && t->seat[i].stack_chips > 0)
			n++;
	return n;
}

static struct json_object *seat_json(const struct table *t, const struct hand_view *v, int i,
				     bool live)
{
	const struct table_seat *s = &t->seat[i];
	struct json_object *o = json_object_new_object();
	bool in_hand = live && v->seat[i].in_hand;

	add_int(o, "seat", i);
	if (!s->occupied) {
		add_str(o, "status", "empty");
		return o;
	}
	add_str(o, "name", s->name);
	add_int(o, "stack", in_hand ? v->seat[i].stack_chips : s->stack_chips);
	add_int(o, "bet", in_hand ? v->seat[i].bet_chips : 0);
	add_str(o, "status", in_hand ? (v->seat[i].folded ? "folded" : "playing")
			     : live ? "waiting" : "active");
	json_object_object_add(o, "in_hand", json_object_new_boolean(in_hand));
	if (in_hand)
		json_object_object_add(o, "folded", json_object_new_boolean(v->seat[i].folded));
	add_profile(o);
	return o;
}

struct json_object *op_table_state(const struct conn *c, const struct table *t,
				   bool with_token)
{
	struct json_object *o = frame("table_state"), *seats = json_object_new_array(),
			   *hero = json_object_new_object();
	struct hand_view v;
	bool has_view = table_view(t, c->seat >= 0 ? c->seat : VIEW_SPECTATOR, &v);
	bool live = has_view && t->in_hand && v.phase == HAND_PHASE_BETTING;
	int i;

	if (live) {
		add_str(o, "street", street_names[v.street]);
	} else {
		struct json_object *d = json_object_new_object();
		int n = with_chips(t);

		add_str(o, "street", "idle");
		add_str(o, "waiting_reason", n < 2 ? "insufficient_players" : "awaiting_hand_start");
		add_int(d, "player_count", table_seated(t));
		add_int(d, "eligible_players", n);
		add_int(d, "min_required", 2);
		add_int(d, "connected_players", t->connected_players);
		json_object_object_add(o, "waiting_details", d);
	}
	if (has_view)
		add_int(o, "dealer_seat", v.button);
	else
		add_null(o, "dealer_seat");
	add_int(o, "small_blind", t->cfg.sb_chips);
	add_int(o, "big_blind", t->cfg.bb_chips);
	add_int(o, "pot", live ? v.pot_chips + v.bets_chips : 0);
	add_int(o, "current_bet", live ? v.current_bet_chips : 0);
	if (live) {
		add_int(o, "actor_seat", v.to_act);
		if (c->seat >= 0 && v.seat[c->seat].in_hand)
			add_int(o, "to_call", v.to_call_chips);
	}
	if (live && v.my_turn) {
		add_int(o, "min_raise_to", v.legal.min_raise_to_chips);
		add_int(o, "max_raise_to", v.legal.max_raise_to_chips);
	}
	/* The board persists on idle snapshots, as the reference's. */
	json_object_object_add(o, "board", has_view ? cards_json(v.board, v.nboard)
						    : json_object_new_array());
	for (i = 0; i < t->cfg.max_seats; i++)
		json_object_array_add(seats, seat_json(t, &v, i, live));
	json_object_object_add(o, "seats", seats);
	if (c->seat >= 0) {
		add_int(hero, "seat", c->seat);
		if (has_view && v.seat[c->seat].in_hand && v.seat[c->seat].cards_visible &&
		    t->in_hand)
			json_object_object_add(hero, "hole_cards", cards_json(v.seat[c->seat].hole, 2));
		if (live && v.my_turn) {
			json_object_object_add(hero, "valid_actions", valid_actions(&v));
			if (with_token)
				add_str(hero, "turn_token", table_turn_token(t, c->seat));
		}
		json_object_object_add(o, "hero", hero);
	} else {
		json_object_put(hero);
		add_null(o, "hero");
	}
	return o;
}

/* Hand events -------------------------------------------------------------------*/

/* Chips of each seat (behind and in front) and of the pot after log entries
 * 0..n-1. */
struct op_chips {
	int64_t stack[HAND_MAX_SEATS], bet[HAND_MAX_SEATS];
	int64_t pot, current_bet;
};

static void replay(const struct handlog *log, int n, struct op_chips *x)
{
	int i, s;

	memset(x, 0, sizeof(*x));
	memcpy(x->stack, log->cfg.stacks_chips, sizeof(x->stack));
	for (i = 0; i < n && i < log->n; i++) {
		const struct hand_event *e = &log->entries[i].ev;
		int64_t add = 0;

		s = e->seat;
		switch (e->type) {
		case HAND_EV_ANTE:
			x->stack[s] -= e->amount_chips;
			x->pot += e->amount_chips;
			break;
		case HAND_EV_SMALL_BLIND:
		case HAND_EV_BIG_BLIND:
		case HAND_EV_CALL:
			add = e->amount_chips;
			break;
		case HAND_EV_RAISE:
			add = e->amount_chips - x->bet[s];
			break;
		case HAND_EV_RETURN:
			x->stack[s] += e->amount_chips;
			x->bet[s] -= e->amount_chips;
			x->pot -= e->amount_chips;
			break;
		case HAND_EV_STREET:
			memset(x->bet, 0, sizeof(x->bet));
			x->current_bet = 0;
			break;
		default:
			break;
		}
		if (add) {
			x->stack[s] -= add;
			x->bet[s] += add;
			x->pot += add;
			if (x->bet[s] > x->current_bet)
				x->current_bet = x->bet[s];
		}
	}
}

/* The street after action entry i: the next street dealt before the next
 * action, "showdown" when the hand went to one, else the action's own. */
static const char *street_after(const struct handlog *log, int i)
{
	const struct hand_event *e = &log->entries[i].ev;
	int j;

	for (j = i + 1; j < log->n; j++) {
		const struct handlog_entry *n = &log->entries[j];

		if (n->action)
			break;
		if (n->ev.type == HAND_EV_STREET && n->ev.street >= 1 && n->ev.street <= 3)
			return street_names[n->ev.street];
		if (n->ev.type == HAND_EV_SHOW || n->ev.type == HAND_EV_MUCK)
			return "showdown";
	}
	return street_names[e->street <= 3 ? e->street : 0];
}

static const char *action_name(const struct hand_event *e)
{
	switch (e->type) {
	case HAND_EV_FOLD: return "fold";
	case HAND_EV_CHECK: return "check";
	case HAND_EV_CALL: return e->all_in ? "all_in" : "call";
	default: return e->all_in ? "all_in" : "raise";
	}
}

struct json_object *op_player_action(const struct table *t, int i)
{
	const struct handlog_entry *en = &t->log.entries[i];
	const struct hand_event *e = &en->ev;
	struct json_object *o = frame("player_action");
	struct op_chips before, after;
	int s = e->seat;
	int64_t to_call;
	bool raise = e->type == HAND_EV_RAISE;

	replay(&t->log, i, &before);
	replay(&t->log, i + 1, &after);
	to_call = before.current_bet - before.bet[s];
	add_int(o, "seat", s);
	add_str(o, "name", t->seat[s].name);
	add_str(o, "action", action_name(e));
	if (raise || (e->type == HAND_EV_CALL && e->all_in))
		add_int(o, "amount", raise ? e->amount_chips : e->amount2_chips);
	else
		add_null(o, "amount");
	add_str(o, "amount_mode", raise ? "to_total" : "incremental");
	add_str(o, "reason", en->timeout ? "timeout" : NULL);
	add_null(o, "action_id");
	add_str(o, "street", street_after(&t->log, i));
	add_int(o, "stack", after.stack[s]);
	add_int(o, "pot", after.pot);
	add_int(o, "pot_before", before.pot);
	add_int(o, "pot_after", after.pot);
	if (to_call > 0)
		add_int(o, "to_call_before", to_call);
	else
		add_null(o, "to_call_before");
	add_int(o, "stack_before", before.stack[s]);
	add_int(o, "stack_after", after.stack[s]);
	add_int(o, "contribution_delta", before.stack[s] - after.stack[s]);
	add_int(o, "player_stack_before", before.stack[s]);
	add_int(o, "player_stack_after", after.stack[s]);
	return o;
}

static void send_hand_event(struct conn *c, struct table *t, int i)
{
	const struct handlog_entry *en = &t->log.entries[i];
	const struct hand_event *e = &en->ev;
	struct json_object *o;

	if (en->action) {
		const struct conn *actor = t->seat[e->seat].conn;

		o = op_player_action(t, i);
		/* The actor's client_action_id while its action is applied. */
		if (actor && actor->codec == &openpoker_codec && actor->codec_data &&
		    ((const struct op_conn *)actor->codec_data)->acting_id[0])
			add_str(o, "action_id",
				((const struct op_conn *)actor->codec_data)->acting_id);
		op_send_table_frame(c, t, o, "event", true);
	} else if (e->type == HAND_EV_HOLE && e->seat == c->seat) {
		o = frame("hole_cards");
		json_object_object_add(o, "cards", cards_json(e->cards, 2));
		op_send_table_frame(c, t, o, "event", true);
	} else if (e->type == HAND_EV_STREET && e->street >= 1 && e->street <= 3) {
		struct hand_view v;
		int n = e->street == 1 ? 3 : e->street + 2;

		/* The whole board so far: the first n cards of the view's. */
		if (!table_view(t, VIEW_SPECTATOR, &v) || v.nboard < n)
			return;
		o = frame("community_cards");
		json_object_object_add(o, "cards", cards_json(v.board, n));
		add_str(o, "street", street_names[e->street]);
		op_send_table_frame(c, t, o, "event", true);
	}
}

static void send_hand_start(struct conn *c, struct table *t)
{
	struct json_object *o = frame("hand_start"), *b = json_object_new_object();
	struct hand_view v;
	char id[37];

	if (!table_view(t, c->seat >= 0 ? c->seat : VIEW_SPECTATOR, &v)) {
		json_object_put(o);
		json_object_put(b);
		return;
	}
	op_hand_id(t, id);
	add_str(o, "hand_id", id);
	if (c->seat >= 0 && v.seat[c->seat].in_hand)
		add_int(o, "seat", c->seat);
	else
		add_null(o, "seat");
	add_int(o, "dealer_seat", v.button);
	add_int(b, "small_blind", t->cfg.sb_chips);
	add_int(b, "big_blind", t->cfg.bb_chips);
	json_object_object_add(o, "blinds", b);
	op_send_table_frame(c, t, o, "event", true);
}

static void send_your_turn(struct conn *c, struct table *t)
{
	struct op_conn *oc = c->codec_data;
	const char *token = table_turn_token(t, c->seat);
	struct json_object *o;
	struct hand_view v;

	if (!token || strcmp(oc->turn_sent, token) == 0 || !table_view(t, c->seat, &v))
		return;
	snprintf(oc->turn_sent, sizeof(oc->turn_sent), "%s", token);
	o = frame("your_turn");
	add_int(o, "seat", c->seat);
	json_object_object_add(o, "valid_actions", valid_actions(&v));
	add_int(o, "pot", v.pot_chips + v.bets_chips);
	add_int(o, "to_call", v.to_call_chips);
	json_object_object_add(o, "community_cards", cards_json(v.board, v.nboard));
	json_object_object_add(o, "players", players_json(t, &v));
	add_int(o, "min_raise", v.legal.min_raise_to_chips);
	add_int(o, "max_raise", v.legal.max_raise_to_chips);
	add_str(o, "turn_token", token);
	op_send_table_frame(c, t, o, "event", true);
}

static void send_hand_result(struct conn *c, struct table *t)
{
	struct json_object *o = frame("hand_result"), *winners = json_object_new_array(),
			   *payouts = json_object_new_array(), *stacks = json_object_new_object(),
			   *shown = json_object_new_object(), *actions = json_object_new_array();
	struct hand_view v;
	int64_t total = 0, transferable = 0;
	char key[12], id[37];
	int i;

	if (!table_view(t, c->seat >= 0 ? c->seat : VIEW_SPECTATOR, &v))
		return;
	for (i = 0; i < v.nseats; i++) {
		const struct view_seat *s = &v.seat[i];
		struct json_object *w;

		if (!s->in_hand)
			continue;
		total += s->total_chips;
		snprintf(key, sizeof(key), "%d", i);
		add_int(stacks, key, s->stack_chips);
		if (s->shown && s->cards_visible)
			json_object_object_add(shown, key, cards_json(s->hole, 2));
		if (s->won_chips <= 0)
			continue;
		w = json_object_new_object();
		add_int(w, "seat", i);
		add_str(w, "name", t->seat[i].name);
		add_int(w, "stack", s->stack_chips);
		add_int(w, "amount", s->won_chips - s->total_chips);
		add_str(w, "hand_description",
			s->shown && s->rank ? eval_category_name(eval_category(s->rank)) : NULL);
		json_object_array_add(winners, w);
		w = json_object_new_object();
		add_int(w, "seat", i);
		add_int(w, "amount", s->won_chips);
		json_object_array_add(payouts, w);
		if (s->won_chips > s->total_chips)
			transferable += s->won_chips - s->total_chips;
	}
	for (i = 0; i < t->log.n; i++) {
		const struct handlog_entry *en = &t->log.entries[i];
		struct json_object *a;

		if (!en->action)
			continue;
		a = json_object_new_object();
		add_int(a, "seat", en->ev.seat);
		add_str(a, "action", action_name(&en->ev));
		if (en->ev.type == HAND_EV_RAISE)
			add_int(a, "amount", en->ev.amount_chips);
		else if (en->ev.type == HAND_EV_CALL)
			add_int(a, "amount", en->ev.amount_chips);
		else
			add_null(a, "amount");
		add_str(a, "street", street_names[en->ev.street <= 3 ? en->ev.street : 0]);
		json_object_array_add(actions, a);
	}
	op_hand_id(t, id);
	add_str(o, "hand_id", id);
	json_object_object_add(o, "winners", winners);
	add_int(o, "pot", transferable);
	add_int(o, "total_pot", total);
	add_int(o, "transferable_pot", transferable);
	add_int(o, "rake", v.rake_chips);
	json_object_object_add(o, "payouts", payouts);
	json_object_object_add(o, "final_stacks", stacks);
	json_object_object_add(o, "actions", actions);
	json_object_object_add(o, "shown_cards", shown);
	add_str(o, "pot_kind", "transferable");
	add_str(o, "outcome_kind", "win");
	op_send_table_frame(c, t, o, "event", true);
	if (c->seat >= 0 && v.seat[c->seat].in_hand && v.seat[c->seat].stack_chips == 0) {
		struct json_object *b = frame("busted"), *opts = json_object_new_array();

		json_object_array_add(opts, json_object_new_string("rebuy"));
		json_object_array_add(opts, json_object_new_string("leave_table"));
		json_object_object_add(b, "options", opts);
		op_send_table_frame(c, t, b, "event", true);
	}
}

static void send_table_joined(struct conn *c, struct table *t)
{
	struct json_object *o = frame("table_joined");
	struct hand_view v;
	bool has_view = table_view(t, c->seat, &v);

	add_int(o, "seat", c->seat);
	json_object_object_add(o, "players", players_json(t, has_view ? &v : NULL));
	op_send_table_frame(c, t, o, "event", true);
}

static void send_player_joined(struct conn *c, struct table *t, int seat)
{
	struct json_object *o = frame("player_joined");

	add_int(o, "seat", seat);
	add_str(o, "name", t->seat[seat].name);
	add_int(o, "stack", t->seat[seat].stack_chips);
	op_send_table_frame(c, t, o, "event", true);
}

static void send_player_left(struct conn *c, struct table *t, const struct tmsg *m)
{
	struct json_object *o = frame("player_left");

	add_int(o, "seat", m->seat);
	add_str(o, "name", t->seat[m->seat].name);
	add_str(o, "reason", m->reason ? m->reason : "leave");
	op_send_table_frame(c, t, o, "event", true);
}

void op_emit_frames(struct conn *c, struct table *t, const struct tmsg *m)
{
	struct json_object *o;

	switch (m->type) {
	case TM_ATTACHED:
		if (c->seat >= 0)
			send_table_joined(c, t);
		op_send_table_frame(c, t, op_table_state(c, t, true), "state", true);
		send_your_turn(c, t);
		break;
	case TM_STATUS:
		if (t->status == TABLE_ENDED) {
			o = frame("table_closed");
			add_str(o, "reason", t->end_reason ? t->end_reason : "closed");
			op_send_table_frame(c, t, o, "event", true);
		}
		break;
	case TM_PLAYER_JOINED:
		if (m->seat != c->seat)
			send_player_joined(c, t, m->seat);
		break;
	case TM_PLAYER_LEFT:
		send_player_left(c, t, m);
		break;
	case TM_HAND_STARTED:
		((struct op_conn *)c->codec_data)->turn_sent[0] = '\0';
		send_hand_start(c, t);
		break;
	case TM_HAND_EVENT:
		send_hand_event(c, t, m->entry);
		break;
	case TM_STATE:
		op_send_table_frame(c, t, op_table_state(c, t, false), "state", true);
		if (c->seat >= 0)
			send_your_turn(c, t);
		break;
	case TM_HAND_DONE:
		send_hand_result(c, t);
		break;
	default:
		break;
	}
}
