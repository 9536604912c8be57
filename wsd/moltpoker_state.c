/*
 * moltpoker_state.c — MoltPoker's game_state and hand_complete, in both
 * formats, for one viewer.  Every card comes from the viewer's hand_view
 * (poker/view.h): a seat sees its own cards and the ones shown at showdown,
 * an observer only the shown ones.
 */
#include "moltpoker.h"

#include <stdio.h>
#include <string.h>

#include "core/hash.h"
#include "poker/eval.h"
#include "table.h"

static void add_int(struct json_object *o, const char *k, int64_t v)
{
	json_object_object_add(o, k, json_object_new_int64(v));
}

static void add_str(struct json_object *o, const char *k, const char *v)
{
	json_object_object_add(o, k, json_object_new_string(v));
}

static void add_bool(struct json_object *o, const char *k, bool v)
{
	json_object_object_add(o, k, json_object_new_boolean(v));
}

/* "As" in the agent format, {"rank":"A","suit":"s"} in the envelope's. */
static struct json_object *card(card_t c, bool agent)
{
	char s[3];
	struct json_object *o;

	card_format(c, s);
	if (agent)
		return json_object_new_string(s);
	o = json_object_new_object();
	json_object_object_add(o, "rank", json_object_new_string_len(s, 1));
	json_object_object_add(o, "suit", json_object_new_string_len(s + 1, 1));
	return o;
}

static struct json_object *cards(const card_t *c, int n, bool agent)
{
	struct json_object *a = json_object_new_array();
	int i;

	for (i = 0; i < n; i++)
		json_object_array_add(a, card(c[i], agent));
	return a;
}

static int viewer(const struct conn *c)
{
	return c->seat >= 0 ? c->seat : VIEW_SPECTATOR;
}

static const char *kind_name(enum hand_action_type t)
{
	switch (t) {
	case HAND_FOLD: return "fold";
	case HAND_CHECK: return "check";
	case HAND_CALL: return "call";
	default: return "raiseTo";
	}
}

/* One seated player.  v is NULL before the first hand of this process.
 * game_state shows a viewer its own cards only, as the seed documents: cards
 * shown at showdown are in hand_complete. */
static struct json_object *player(const struct table *t, const struct hand_view *v, int i,
				  bool agent)
{
	const struct table_seat *s = &t->seat[i];
	const struct view_seat *vs = v && v->seat[i].in_hand ? &v->seat[i] : NULL;
	/* Not in the hand: busted (shown folded, as MoltPoker does), or no
	 * hand yet. */
	int64_t stack = vs ? vs->stack_chips : s->stack_chips;
	int64_t bet = vs ? vs->bet_chips : 0;
	bool folded = vs ? vs->folded : v != NULL;
	bool all_in = vs && vs->all_in;
	bool visible = vs && vs->cards_visible && v->viewer == i;
	struct json_object *o = json_object_new_object();

	if (agent) {
		add_int(o, "seat", i);
		add_str(o, "name", s->name);
		add_int(o, "stack", stack);
		add_int(o, "bet", bet);
		if (folded)
			add_bool(o, "folded", true);
		if (all_in)
			add_bool(o, "allIn", true);
		if (visible)
			json_object_object_add(o, "cards", cards(vs->hole, 2, true));
		return o;
	}
	add_int(o, "seatId", i);
	add_str(o, "agentId", s->agent_id);
	add_str(o, "agentName", s->name);
	add_int(o, "stack", stack);
	add_int(o, "bet", bet);
	add_bool(o, "folded", folded);
	add_bool(o, "allIn", all_in);
	add_bool(o, "isActive", vs ? true : stack > 0);
	json_object_object_add(o, "holeCards", visible ? cards(vs->hole, 2, false) : NULL);
	return o;
}

static struct json_object *legal_actions(const struct hand_view *v, bool agent)
{
	struct json_object *a = json_object_new_array(), *o;
	const char *kmin = agent ? "min" : "minAmount", *kmax = agent ? "max" : "maxAmount";

	if (v->legal.can_fold) {
		o = json_object_new_object();
		add_str(o, "kind", "fold");
		json_object_array_add(a, o);
	}
	if (v->legal.can_check) {
		o = json_object_new_object();
		add_str(o, "kind", "check");
		json_object_array_add(a, o);
	}
	if (v->legal.can_call) {
		o = json_object_new_object();
		add_str(o, "kind", "call");
		add_int(o, kmin, v->legal.call_chips);
		add_int(o, kmax, v->legal.call_chips);
		json_object_array_add(a, o);
	}
	if (v->legal.can_raise) {
		o = json_object_new_object();
		add_str(o, "kind", "raiseTo");
		add_int(o, kmin, v->legal.min_raise_to_chips);
		add_int(o, kmax, v->legal.max_raise_to_chips);
		json_object_array_add(a, o);
	}
	return a;
}

static struct json_object *last_action(const struct table *t, bool agent)
{
	struct json_object *o;

	if (!t->last.valid || !t->log.started)
		return NULL;
	o = json_object_new_object();
	add_int(o, agent ? "seat" : "seatId", t->last.seat);
	add_str(o, "kind", kind_name(t->last.type));
	if (t->last.type == HAND_RAISE)
		add_int(o, "amount", t->last.amount_chips);
	return o;
}

static struct json_object *pots(const struct hand_view *v)
{
	struct json_object *a = json_object_new_array();
	int i, j;

	for (i = 0; v && i < v->npots; i++) {
		struct json_object *p = json_object_new_object(), *el = json_object_new_array();

		add_int(p, "amount", v->pots[i].amount_chips);
		for (j = 0; j < v->nseats; j++)
			if (v->pots[i].eligible & (1u << j))
				json_object_array_add(el, json_object_new_int(j));
		json_object_object_add(p, "eligibleSeats", el);
		json_object_array_add(a, p);
	}
	return a;
}

/* The dealer to show: this hand's button, the last committed one, or the
 * first seated player before any hand. */
static int dealer(const struct table *t, const struct hand_view *v)
{
	int i;

	if (v)
		return v->button;
	if (t->button >= 0)
		return t->button;
	for (i = 0; i < t->cfg.max_seats; i++)
		if (t->seat[i].occupied)
			return i;
	return 0;
}

struct json_object *moltpoker_game_state(const struct conn *c, const struct table *t,
					 bool agent)
{
	struct hand_view view, *v = table_view(t, viewer(c), &view) ? &view : NULL;
	struct json_object *o = json_object_new_object(), *players = json_object_new_array();
	const char *token = table_turn_token(t, c->seat);
	bool betting = v && t->in_hand && v->phase == HAND_PHASE_BETTING;
	int hand = t->in_hand ? t->hand_number + 1 : t->hand_number;
	char commitment[2 * DECK_COMMITMENT_SIZE + 1];
	int i;

	hash_hex(t->log.commitment, DECK_COMMITMENT_SIZE, commitment);

	for (i = 0; i < t->cfg.max_seats; i++)
		if (t->seat[i].occupied)
			json_object_array_add(players, player(t, v, i, agent));
	if (agent) {
		add_str(o, "type", "game_state");
		add_int(o, "seq", t->seq);
		add_int(o, "hand", hand);
		add_str(o, "phase", table_phase_name(t));
		json_object_object_add(o, "board", cards(v ? v->board : NULL, v ? v->nboard : 0, true));
		add_int(o, "pot", v ? v->pot_chips : 0);
		json_object_object_add(o, "players", players);
		add_int(o, "dealer", dealer(t, v));
		if (betting)
			add_int(o, "turn", v->to_act);
		if (t->last.valid && v)
			json_object_object_add(o, "last", last_action(t, true));
		if (token && v->my_turn)
			json_object_object_add(o, "actions", legal_actions(v, true));
		add_int(o, "toCall", v && c->seat >= 0 ? v->to_call_chips : 0);
		if (token && v->my_turn)
			add_str(o, "turn_token", token);
		if (t->in_hand)
			add_str(o, "deck_commitment", commitment);
		return o;
	}
	add_str(o, "tableId", t->id);
	add_int(o, "handNumber", hand);
	add_str(o, "phase", table_phase_name(t));
	json_object_object_add(o, "communityCards",
			       cards(v ? v->board : NULL, v ? v->nboard : 0, false));
	json_object_object_add(o, "pots", pots(v));
	json_object_object_add(o, "players", players);
	add_int(o, "dealerSeat", dealer(t, v));
	json_object_object_add(o, "currentSeat",
			       betting ? json_object_new_int(v->to_act) : NULL);
	json_object_object_add(o, "lastAction", v ? last_action(t, false) : NULL);
	json_object_object_add(o, "legalActions",
			       token && v->my_turn ? legal_actions(v, false) : NULL);
	add_int(o, "minRaise", t->in_hand ? t->hand.full_raise_chips : t->cfg.bb_chips);
	add_int(o, "toCall", v && c->seat >= 0 ? v->to_call_chips : 0);
	add_int(o, "seq", t->seq);
	if (token && v->my_turn)
		add_str(o, "turn_token", token);
	if (t->in_hand)
		add_str(o, "deckCommitment", commitment);
	return o;
}

struct json_object *moltpoker_hand_complete(const struct conn *c, const struct table *t,
					    bool agent)
{
	struct hand_view v;
	struct json_object *o = json_object_new_object(), *results = json_object_new_array();
	int i, left = 0;
	char hex[2 * DECK_SEED_SIZE + 1];

	if (!table_view(t, viewer(c), &v))
		return o;
	for (i = 0; i < v.nseats; i++)
		if (v.seat[i].in_hand && !v.seat[i].folded)
			left++;
	for (i = 0; i < v.nseats; i++) {
		const struct view_seat *s = &v.seat[i];
		struct json_object *r;
		char desc[64];

		if (!s->in_hand)
			continue;
		r = json_object_new_object();
		add_int(r, agent ? "seat" : "seatId", i);
		if (!agent)
			add_str(r, "agentId", t->hand_agent[i]);
		/* Shown hands and the viewer's own; never a folded or mucked
		 * one of someone else (DESIGN §7). */
		json_object_object_add(r, agent ? "cards" : "holeCards",
				       cards(s->hole, s->cards_visible ? 2 : 0, agent));
		if (s->shown) {
			eval_describe(s->rank, desc, sizeof(desc));
			add_str(r, agent ? "rank" : "handRank", desc);
		}
		add_int(r, agent ? "won" : "winnings", s->won_chips);
		json_object_array_add(results, r);
	}
	hash_hex(t->log.seed, DECK_SEED_SIZE, hex);
	if (agent) {
		add_str(o, "type", "hand_complete");
		add_int(o, "hand", t->hand_number + 1);
		json_object_object_add(o, "results", results);
		add_bool(o, "showdown", left > 1);
		add_str(o, "deck_seed", hex);
		return o;
	}
	add_int(o, "handNumber", t->hand_number + 1);
	json_object_object_add(o, "results", results);
	json_object_object_add(o, "finalPots", pots(&v));
	json_object_object_add(o, "communityCards", cards(v.board, v.nboard, false));
	add_bool(o, "showdown", left > 1);
	add_str(o, "deckSeed", hex);
	hash_hex(t->log.commitment, DECK_COMMITMENT_SIZE, hex);
	add_str(o, "deckCommitment", hex);
	return o;
}
