/*
 * openpoker_frames.c — the Open Poker frames of a hand and of a table's
 * players: hand_start, hole_cards, your_turn, player_action,
 * community_cards, hand_result, busted, table_joined, player_joined/left,
 * table_closed (the envelope and table_state: openpoker_state.c).  Every card shown comes from a hand_view (poker/view.h) or
 * from a log entry the runtime has filtered for this viewer.
 */
#include "openpoker.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	struct json_object *o = op_frame("player_action");
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
		op_send_public(c, t, o);
	} else if (e->type == HAND_EV_HOLE && e->seat == c->seat) {
		o = op_frame("hole_cards");
		json_object_object_add(o, "cards", op_cards(e->cards, 2));
		op_send_table_frame(c, t, o, "event", true);
	} else if (e->type == HAND_EV_STREET && e->street >= 1 && e->street <= 3) {
		struct hand_view v;
		int n = e->street == 1 ? 3 : e->street + 2;

		/* The whole board so far: the first n cards of the view's. */
		if (!table_view(t, VIEW_SPECTATOR, &v) || v.nboard < n)
			return;
		o = op_frame("community_cards");
		json_object_object_add(o, "cards", op_cards(v.board, n));
		add_str(o, "street", street_names[e->street]);
		op_send_public(c, t, o);
	}
}

static void send_hand_start(struct conn *c, struct table *t)
{
	struct json_object *o = op_frame("hand_start"), *b = json_object_new_object();
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
	op_send_public(c, t, o);
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
	o = op_frame("your_turn");
	add_int(o, "seat", c->seat);
	json_object_object_add(o, "valid_actions", op_valid_actions(&v));
	add_int(o, "pot", v.pot_chips + v.bets_chips);
	add_int(o, "to_call", v.to_call_chips);
	json_object_object_add(o, "community_cards", op_cards(v.board, v.nboard));
	json_object_object_add(o, "players", op_players(t, &v));
	add_int(o, "min_raise", v.legal.min_raise_to_chips);
	add_int(o, "max_raise", v.legal.max_raise_to_chips);
	add_str(o, "turn_token", token);
	op_send_table_frame(c, t, o, "event", true);
}

static void send_hand_result(struct conn *c, struct table *t)
{
	struct json_object *o = op_frame("hand_result"), *winners = json_object_new_array(),
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
			json_object_object_add(shown, key, op_cards(s->hole, 2));
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
	op_send_public(c, t, o);
	if (c->seat >= 0 && v.seat[c->seat].in_hand && v.seat[c->seat].stack_chips == 0) {
		struct json_object *b = op_frame("busted"), *opts = json_object_new_array();

		json_object_array_add(opts, json_object_new_string("rebuy"));
		json_object_array_add(opts, json_object_new_string("leave_table"));
		json_object_object_add(b, "options", opts);
		op_send_table_frame(c, t, b, "event", true);
	}
}

static void send_table_joined(struct conn *c, struct table *t)
{
	struct json_object *o = op_frame("table_joined");
	struct hand_view v;
	bool has_view = table_view(t, c->seat, &v);

	add_int(o, "seat", c->seat);
	json_object_object_add(o, "players", op_players(t, has_view ? &v : NULL));
	op_send_table_frame(c, t, o, "event", true);
}

static void send_player_joined(struct conn *c, struct table *t, int seat)
{
	struct json_object *o = op_frame("player_joined");

	add_int(o, "seat", seat);
	add_str(o, "name", t->seat[seat].name);
	add_int(o, "stack", t->seat[seat].stack_chips);
	op_send_public(c, t, o);
}

static void send_player_left(struct conn *c, struct table *t, const struct tmsg *m)
{
	struct json_object *o = op_frame("player_left");

	add_int(o, "seat", m->seat);
	add_str(o, "name", t->seat[m->seat].name);
	add_str(o, "reason", m->reason ? m->reason : "leave");
	op_send_public(c, t, o);
}

void op_emit_frames(struct conn *c, struct table *t, const struct tmsg *m)
{
	struct json_object *o;

	switch (m->type) {
	case TM_ATTACHED:
		/* Its public frames are kept for resync from now on. */
		table_keep_frames(t, &openpoker_codec);
		if (c->seat >= 0)
			send_table_joined(c, t);
		op_send_table_frame(c, t, op_table_state(c, t, true), "state", true);
		send_your_turn(c, t);
		break;
	case TM_STATUS:
		if (t->status == TABLE_ENDED) {
			o = op_frame("table_closed");
			add_str(o, "reason", t->end_reason ? t->end_reason : "closed");
			op_send_public(c, t, o);
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
		op_send_state(c, t);
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

/* The messages whose frame is the same for every viewer (hand_start's seat
 * aside): numbered once for all, kept for resync. */
static bool is_public(const struct tmsg *m)
{
	switch (m->type) {
	case TM_STATUS:
	case TM_PLAYER_JOINED:
	case TM_PLAYER_LEFT:
	case TM_HAND_STARTED:
	case TM_HAND_EVENT:
	case TM_HAND_DONE:
		return true;
	default:
		return false;
	}
}

void op_broadcast(struct table *t, const struct tmsg *m, bool begin)
{
	struct op_conn spectator = { .recording = true };
	struct conn rec;

	t->frame_shared_seq = t->frame_shared_hand_seq = 0;
	/* A broadcast inside this one (a viewer's send failing, say) ends the
	 * caching: the state may have changed.  A public frame is the same
	 * for every viewer but hand_start's (its seat). */
	op_drop_frame_cache(t);
	t->frame_caching = begin && m->type != TM_HAND_STARTED;
	if (!begin || !is_public(m))
		return;
	memset(&rec, 0, sizeof(rec));
	rec.seat = -1;
	rec.codec = &openpoker_codec;
	rec.codec_data = &spectator;
	op_emit_frames(&rec, t, m);
}
