/*
 * commit.c — the JSON felt-wsd commits for each finished hand.
 */
#include "commit.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/hash.h"
#include "core/json.h"
#include "money/ledger.h"
#include "money/settle.h"
#include "poker/eval.h"
#include "poker/view.h"
#include "table.h"

static const char *const streets[] = { "preflop", "flop", "turn", "river" };

static struct json_object *iso_time(int64_t ms)
{
	char buf[40];
	time_t s = (time_t)(ms / 1000);
	struct tm tm;

	gmtime_r(&s, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), ".%03dZ", (int)(ms % 1000));
	return json_object_new_string(buf);
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

static struct json_object *hex_json(const uint8_t *p, size_t n)
{
	char hex[2 * 32 + 1];

	hash_hex(p, n, hex);
	return json_object_new_string(hex);
}

static void add_int(struct json_object *o, const char *k, int64_t v)
{
	json_object_object_add(o, k, json_object_new_int64(v));
}

static void add_str(struct json_object *o, const char *k, const char *v)
{
	json_object_object_add(o, k, json_object_new_string(v));
}

static struct json_object *event(const char *type, struct json_object *payload)
{
	struct json_object *e = json_object_new_object();

	add_str(e, "type", type);
	json_object_object_add(e, "payload", payload);
	return e;
}

static struct json_object *public_hand_start(const struct table *t, const struct hand_view *v,
				      int number)
{
	const struct handlog *log = &t->log;
	struct json_object *p = json_object_new_object(), *players = json_object_new_array();
	int i;

	add_int(p, "handNumber", number);
	add_int(p, "dealerSeat", v->button);
	add_int(p, "smallBlindSeat", v->sb_seat);
	add_int(p, "bigBlindSeat", v->bb_seat);
	add_int(p, "smallBlind", log->cfg.sb_chips);
	add_int(p, "bigBlind", log->cfg.bb_chips);
	json_object_object_add(p, "deckCommitment", hex_json(log->commitment, DECK_COMMITMENT_SIZE));
	for (i = 0; i < log->cfg.nseats; i++) {
		struct json_object *pl;

		if (log->cfg.stacks_chips[i] <= 0)
			continue;
		pl = json_object_new_object();
		add_int(pl, "seatId", i);
		add_str(pl, "agentId", t->hand_agent[i]);
		add_int(pl, "stack", log->cfg.stacks_chips[i]);
		json_object_array_add(players, pl);
	}
	json_object_object_add(p, "players", players);
	return event("HAND_START", p);
}

/* A player's action or a street, as a public event; NULL for the others. */
static struct json_object *log_event_json(const struct table *t, int i, int number)
{
	const struct handlog_entry *e = &t->log.entries[i];
	struct json_object *p;
	static const char *const kinds[] = {
		[HAND_EV_FOLD] = "fold", [HAND_EV_CHECK] = "check",
		[HAND_EV_CALL] = "call", [HAND_EV_RAISE] = "raiseTo",
	};

	if (e->action) {
		p = json_object_new_object();
		add_int(p, "handNumber", number);
		add_int(p, "seatId", e->ev.seat);
		add_str(p, "agentId", t->hand_agent[e->ev.seat]);
		add_str(p, "kind", kinds[e->ev.type]);
		if (e->ev.type == HAND_EV_RAISE || e->ev.type == HAND_EV_CALL)
			add_int(p, "amount", e->ev.type == HAND_EV_RAISE ? e->ev.amount_chips
									 : e->ev.amount2_chips);
		json_object_object_add(p, "allIn", json_object_new_boolean(e->ev.all_in));
		json_object_object_add(p, "isTimeout", json_object_new_boolean(e->timeout));
		return event("PLAYER_ACTION", p);
	}
	if (e->ev.type == HAND_EV_STREET) {
		p = json_object_new_object();
		add_int(p, "handNumber", number);
		add_str(p, "street", streets[e->ev.street]);
		json_object_object_add(p, "cards", cards_json(e->ev.cards, e->ev.ncards));
		return event("STREET_DEALT", p);
	}
	return NULL;
}

static struct json_object *public_hand_complete(const struct table *t, const struct hand_view *v,
					 int number)
{
	struct json_object *p = json_object_new_object(), *results = json_object_new_array(),
			   *pots = json_object_new_array();
	int i, in_showdown = 0, j;

	for (i = 0; i < v->nseats; i++)
		if (v->seat[i].in_hand && !v->seat[i].folded)
			in_showdown++;
	add_int(p, "handNumber", number);
	for (i = 0; i < v->nseats; i++) {
		const struct view_seat *s = &v->seat[i];
		struct json_object *r;

		if (!s->in_hand)
			continue;
		r = json_object_new_object();
		add_int(r, "seatId", i);
		add_str(r, "agentId", t->hand_agent[i]);
		/* Public: only hands shown at showdown (DESIGN §7). */
		json_object_object_add(r, "holeCards", s->shown ? cards_json(s->hole, 2) : NULL);
		if (s->shown) {
			char desc[64];

			eval_describe(s->rank, desc, sizeof(desc));
			add_str(r, "handRank", desc);
		}
		add_int(r, "winnings", s->won_chips);
		json_object_array_add(results, r);
	}
	json_object_object_add(p, "results", results);
	for (i = 0; i < v->npots; i++) {
		struct json_object *pot = json_object_new_object(), *el = json_object_new_array();

		add_int(pot, "amount", v->pots[i].amount_chips);
		for (j = 0; j < v->nseats; j++)
			if (v->pots[i].eligible & (1u << j))
				json_object_array_add(el, json_object_new_int(j));
		json_object_object_add(pot, "eligibleSeats", el);
		json_object_array_add(pots, pot);
	}
	json_object_object_add(p, "finalPots", pots);
	json_object_object_add(p, "communityCards", cards_json(v->board, v->nboard));
	json_object_object_add(p, "showdown", json_object_new_boolean(in_showdown > 1));
	add_int(p, "rake", v->rake_chips);
	json_object_object_add(p, "deckSeed", hex_json(t->log.seed, DECK_SEED_SIZE));
	json_object_object_add(p, "deckCommitment",
			       hex_json(t->log.commitment, DECK_COMMITMENT_SIZE));
	return event("HAND_COMPLETE", p);
}

static void add_seats(const struct table *t, const struct hand_view *v, struct json_object *o)
{
	struct json_object *seats = json_object_new_array(), *stacks = json_object_new_array(),
			   *leaves = json_object_new_array();
	int i;

	for (i = 0; i < v->nseats; i++) {
		const struct view_seat *s = &v->seat[i];
		struct json_object *r;
		char hole[5];

		if (!s->in_hand)
			continue;
		r = json_object_new_object();
		add_int(r, "seat", i);
		add_str(r, "agent_id", t->hand_agent[i]);
		add_int(r, "start_stack", t->log.cfg.stacks_chips[i]);
		add_int(r, "end_stack", s->stack_chips);
		add_int(r, "won", s->won_chips);
		cards_format(s->hole, 2, hole, sizeof(hole));
		add_str(r, "hole", hole);
		json_object_object_add(r, "shown", json_object_new_boolean(s->shown));
		json_object_array_add(seats, r);
		r = json_object_new_object();
		add_int(r, "seat", i);
		add_str(r, "agent_id", t->hand_agent[i]);
		if (t->seat[i].leaving) {
			/* Mid-hand leave or kick: the seat is cleared and what
			 * is left of the stack forfeited, after the hand. */
			add_str(r, "reason", t->seat[i].leave_reason);
			add_int(r, "forfeit", s->stack_chips);
			if (t->seat[i].leave_command)
				add_int(r, "command", t->seat[i].leave_command);
			json_object_array_add(leaves, r);
		} else {
			add_int(r, "stack", s->stack_chips);
			json_object_array_add(stacks, r);
		}
	}
	json_object_object_add(o, "seats", seats);
	json_object_object_add(o, "stacks", stacks);
	json_object_object_add(o, "leaves", leaves);
}

/* One ledger txn of settle's legs, whose accounts are seat numbers (the
 * platform's rake account is -1): the SQL side finds each seat's agent's
 * in-play account. */
static struct json_object *ledger_txn(const struct table *t, const char *kind, int number,
				      const struct ledger_entry *legs, int n)
{
	struct json_object *o = json_object_new_object(), *ref = json_object_new_object(),
			   *a = json_object_new_array();
	int i;

	add_str(o, "kind", kind);
	add_str(ref, "table", t->id);
	add_int(ref, "hand", number);
	json_object_object_add(o, "reference", ref);
	for (i = 0; i < n; i++) {
		struct json_object *leg = json_object_new_object();
		int64_t seat = legs[i].account_id;

		json_object_object_add(leg, "agent_id",
				       seat >= 0 ? json_object_new_string(t->hand_agent[seat]) : NULL);
		add_int(leg, "amount", legs[i].amount_ucents);
		json_object_array_add(a, leg);
	}
	json_object_object_add(o, "legs", a);
	return o;
}

/*
 * The money of a hand at a table whose chips are worth something
 * (chip_ucents > 0, cash tables): lib/money/settle's hand and rake txns,
 * posted by wsd_hand_commit through ledger_post with the hand's history.
 * Play chips move no money: an empty list.  Returns 0, or -1 when the hand
 * does not settle (its chips do not add up: never commit it).
 */
static int add_ledger(const struct table *t, int number, struct json_object *o)
{
	struct json_object *a = json_object_new_array();
	int64_t account[HAND_MAX_SEATS];
	struct ledger_entry legs[SETTLE_MAX_LEGS];
	struct settle s;
	int i, n, rc;

	json_object_object_add(o, "ledger", a);
	if (t->cfg.chip_ucents <= 0)
		return 0;
	rc = settle_hand(&t->hand, t->cfg.chip_ucents, &s);
	if (rc != SETTLE_OK)
		return -1;
	for (i = 0; i < HAND_MAX_SEATS; i++)
		account[i] = i;
	n = settle_hand_legs(&s, account, legs);
	if (n > 0)
		json_object_array_add(a, ledger_txn(t, LEDGER_TXN_HAND, number, legs, n));
	n = settle_rake_legs(&s, account, -1, legs);
	if (n > 0)
		json_object_array_add(a, ledger_txn(t, LEDGER_TXN_RAKE, number, legs, n));
	return 0;
}

static char *finish(struct json_object *o)
{
	char *s = strdup(json_to_string(o));

	json_object_put(o);
	return s;
}

char *commit_hand(const struct table *t)
{
	struct json_object *o = json_object_new_object(), *events = NULL,
			   *pub = json_object_new_array();
	struct hand_view v;
	int64_t pot = 0, ended_ms = t->log.n ? t->log.entries[t->log.n - 1].at_ms
					     : t->log.started_ms;
	int number = t->hand_number + 1, i;
	char board[11];

	hand_view(&t->hand, VIEW_PLATFORM, &v);
	for (i = 0; i < v.npots; i++)
		pot += v.pots[i].amount_chips;
	add_int(o, "hand_number", number);
	add_int(o, "button_seat", v.button);
	add_int(o, "small_blind_chips", t->log.cfg.sb_chips);
	add_int(o, "big_blind_chips", t->log.cfg.bb_chips);
	json_object_object_add(o, "deck_commitment",
			       hex_json(t->log.commitment, DECK_COMMITMENT_SIZE));
	json_object_object_add(o, "deck_seed", hex_json(t->log.seed, DECK_SEED_SIZE));
	cards_format(v.board, v.nboard, board, sizeof(board));
	add_str(o, "board", board);
	add_int(o, "pot_chips", pot);
	add_int(o, "rake_chips", v.rake_chips);
	json_object_object_add(o, "started_at", iso_time(t->log.started_ms));
	json_object_object_add(o, "ended_at", iso_time(ended_ms));
	add_int(o, "table_seq", t->seq);
	if (handlog_json(&t->log, &events) != 0) {
		json_object_put(o);
		json_object_put(pub);
		return NULL;
	}
	json_object_object_add(o, "events", events);
	json_object_array_add(pub, public_hand_start(t, &v, number));
	for (i = 0; i < t->log.n; i++) {
		struct json_object *e = log_event_json(t, i, number);

		if (e)
			json_object_array_add(pub, e);
	}
	json_object_array_add(pub, public_hand_complete(t, &v, number));
	json_object_object_add(o, "public_events", pub);
	add_seats(t, &v, o);
	if (add_ledger(t, number, o) != 0) {
		json_object_put(o);
		return NULL;
	}
	return finish(o);
}

char *commit_final_stacks(const struct table *t)
{
	struct json_object *a = json_object_new_array();
	int64_t stacks[HAND_MAX_SEATS];
	int i;

	table_final_stacks(t, stacks);
	for (i = 0; i < t->cfg.max_seats; i++) {
		struct json_object *o;

		if (stacks[i] < 0)
			continue;
		o = json_object_new_object();
		add_int(o, "seat", i);
		add_str(o, "agent_id", t->seat[i].agent_id);
		add_int(o, "stack", stacks[i]);
		json_object_array_add(a, o);
	}
	return finish(a);
}
