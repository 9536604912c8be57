/*
 * openpoker_state.c — Open Poker's envelope and table_state: the frame
 * numbering (table_seq, hand_seq), the state_hash of reference §2, the
 * public snapshot with the viewer's hero (its cards, valid_actions), and
 * the small pieces other frames share (cards, players, valid_actions).
 */
#include "openpoker.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/hash.h"
#include "core/pyjson.h"
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

struct json_object *op_cards(const card_t *c, int n)
{
	struct json_object *a = json_object_new_array();
	int i;

	for (i = 0; i < n; i++)
		json_object_array_add(a, card_json(c[i]));
	return a;
}

void op_send(struct conn *c, struct json_object *o)
{
	const struct op_conn *oc = c->codec_data;
	size_t len;
	char *s;

	if (oc && oc->recording) {
		json_object_put(o); /* only public frames are kept (op_send_public) */
		return;
	}
	s = pyjson_dumps(o, &len);

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

/* Now, as the reference's frames write a time. */
static struct json_object *ts_now(void)
{
	struct timespec ts;
	char buf[PYJSON_TIME_SIZE];

	clock_gettime(CLOCK_REALTIME, &ts);
	pyjson_isoformat(&ts, buf);
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

/* The envelope's members a state_hash covers: stream, table_id, hand_id. */
static void envelope_hashed(struct json_object *o, const struct table *t, const char *stream)
{
	char hand_id[37];

	op_hand_id(t, hand_id);
	add_str(o, "stream", stream);
	add_str(o, "table_id", t->id);
	add_str(o, "hand_id", hand_id[0] ? hand_id : NULL);
}

/* ...and those it leaves out: table_seq seq, hand_seq, ts. */
static void envelope_numbers(struct json_object *o, int64_t seq, int64_t hand_seq)
{
	add_int(o, "table_seq", seq);
	add_int(o, "hand_seq", hand_seq);
	json_object_object_add(o, "ts", ts_now());
}

/* The envelope: stream, table_id, hand_id, table_seq seq, hand_seq, ts,
 * and state_hash when with_hash (computed for stream "state", else null). */
static void envelope(struct json_object *o, const struct table *t, int64_t seq, int64_t hand_seq,
		     const char *stream, bool with_hash)
{
	char hash[80];

	envelope_hashed(o, t, stream);
	envelope_numbers(o, seq, hand_seq);
	if (with_hash) {
		if (strcmp(stream, "state") == 0 && op_state_hash(o, hash, sizeof(hash)) == 0)
			add_str(o, "state_hash", hash);
		else
			add_null(o, "state_hash");
	}
}

void op_send_table_frame(struct conn *c, struct table *t, struct json_object *o,
			 const char *stream, bool with_hash)
{
	int64_t hand_seq, seq = table_next_frame(t, &hand_seq);

	envelope(o, t, seq, hand_seq, stream, with_hash);
	op_send(c, o);
}

void op_send_public(struct conn *c, struct table *t, struct json_object *o)
{
	const struct op_conn *s = c->codec_data;
	int64_t hand_seq, seq;
	size_t len;
	char *text;

	if (!s->recording && t->frame_shared_text) {
		/* The same frame for every viewer: spelled once. */
		json_object_put(o);
		conn_send(c, t->frame_shared_text, t->frame_shared_len);
		return;
	}
	if (!s->recording && t->frame_shared_seq) {
		envelope(o, t, t->frame_shared_seq, t->frame_shared_hand_seq, "event", true);
		op_send(c, o);
		return;
	}
	if (!s->recording) {
		op_send_table_frame(c, t, o, "event", true);
		return;
	}
	/* The spectator's copy, first of this broadcast: its numbers are the
	 * frame's for every recipient, and it is kept for resync. */
	seq = table_next_frame(t, &hand_seq);
	t->frame_shared_seq = seq;
	t->frame_shared_hand_seq = hand_seq;
	envelope(o, t, seq, hand_seq, "event", true);
	text = pyjson_dumps(o, &len);
	if (text && t->replay)
		replay_add(t->replay, t->frame_hand, seq, text, len);
	if (text && t->frame_caching) {
		t->frame_shared_text = text;
		t->frame_shared_len = len;
	} else {
		free(text);
	}
	json_object_put(o);
}

struct json_object *op_frame(const char *type)
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
struct json_object *op_players(const struct table *t, const struct hand_view *v)
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
struct json_object *op_valid_actions(const struct hand_view *v)
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
		/* All-in is a raise, or a call of the whole stack: facing only
		 * all-in opponents with more behind, it is neither (the engine
		 * refuses it, HAND_ERAISE_NO_OPPONENT). */
		{ me->stack_chips > 0 &&
			  (l->can_raise || (l->can_call && l->call_chips == me->stack_chips)),
		  "all_in", true, false, all_in_to, 0, 0 },
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
	/* Not dealt in: during a hand, or between hands a newcomer waiting
	 * for the big blind (the dead button, table_button.c). */
	add_str(o, "status", in_hand ? (v->seat[i].folded ? "folded" : "playing")
			     : live || table_seat_waits(t, i) ? "waiting" : "active");
	json_object_object_add(o, "in_hand", json_object_new_boolean(in_hand));
	if (in_hand)
		json_object_object_add(o, "folded", json_object_new_boolean(v->seat[i].folded));
	add_profile(o);
	return o;
}

/* The members of a table_state that every viewer shares; v is any
 * viewer's view (only what all may see is read). */
static void state_public(struct json_object *o, const struct table *t, const struct hand_view *v,
			 bool has_view, bool live)
{
	struct json_object *seats = json_object_new_array();
	int i;

	if (live) {
		add_str(o, "street", street_names[v->street]);
		add_int(o, "actor_seat", v->to_act);
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
		add_int(o, "dealer_seat", v->button);
	else
		add_null(o, "dealer_seat");
	add_int(o, "small_blind", t->cfg.sb_chips);
	add_int(o, "big_blind", t->cfg.bb_chips);
	add_int(o, "pot", live ? v->pot_chips + v->bets_chips : 0);
	add_int(o, "current_bet", live ? v->current_bet_chips : 0);
	/* The board persists on idle snapshots, as the reference's. */
	json_object_object_add(o, "board", has_view ? op_cards(v->board, v->nboard)
						    : json_object_new_array());
	for (i = 0; i < t->cfg.max_seats; i++)
		json_object_array_add(seats, seat_json(t, v, i, live));
	json_object_object_add(o, "seats", seats);
}

/* The members of c's table_state that are its own: to_call, the raise
 * range on its turn, and hero (v is c's view). */
static void state_own(struct json_object *o, const struct conn *c, const struct table *t,
		      const struct hand_view *v, bool has_view, bool live, bool with_token)
{
	struct json_object *hero;

	if (live && c->seat >= 0 && v->seat[c->seat].in_hand)
		add_int(o, "to_call", v->to_call_chips);
	if (live && v->my_turn) {
		add_int(o, "min_raise_to", v->legal.min_raise_to_chips);
		add_int(o, "max_raise_to", v->legal.max_raise_to_chips);
	}
	if (c->seat < 0) {
		add_null(o, "hero");
		return;
	}
	hero = json_object_new_object();
	add_int(hero, "seat", c->seat);
	if (has_view && v->seat[c->seat].in_hand && v->seat[c->seat].cards_visible && t->in_hand)
		json_object_object_add(hero, "hole_cards", op_cards(v->seat[c->seat].hole, 2));
	if (live && v->my_turn) {
		json_object_object_add(hero, "valid_actions", op_valid_actions(v));
		if (with_token)
			add_str(hero, "turn_token", table_turn_token(t, c->seat));
	}
	json_object_object_add(o, "hero", hero);
}

static bool is_live(const struct table *t, bool has_view, const struct hand_view *v)
{
	return has_view && t->in_hand && v->phase == HAND_PHASE_BETTING;
}

struct json_object *op_table_state(const struct conn *c, const struct table *t,
				   bool with_token)
{
	struct json_object *o = op_frame("table_state");
	struct hand_view v;
	bool has_view = table_view(t, c->seat >= 0 ? c->seat : VIEW_SPECTATOR, &v);
	bool live = is_live(t, has_view, &v);

	state_public(o, t, &v, has_view, live);
	state_own(o, c, t, &v, has_view, live, with_token);
	return o;
}

/* The shared members of t's table_state with the envelope's hashed ones,
 * spelled once (NULL when memory is short). */
static struct pyjson_members *shared_state(const struct table *t)
{
	struct pyjson_members *m = malloc(sizeof(*m));
	struct json_object *o = op_frame("table_state");
	struct hand_view v;
	bool has_view = table_view(t, VIEW_SPECTATOR, &v);

	state_public(o, t, &v, has_view, is_live(t, has_view, &v));
	envelope_hashed(o, t, "state");
	if (m && pyjson_members(o, m)) {
		free(m);
		m = NULL;
	}
	json_object_put(o);
	return m;
}

void op_drop_frame_cache(struct table *t)
{
	if (t->frame_cache) {
		pyjson_members_free(t->frame_cache);
		free(t->frame_cache);
		t->frame_cache = NULL;
	}
	free(t->frame_shared_text);
	t->frame_shared_text = NULL;
	t->frame_shared_len = 0;
}

/* o's members spelled into m (o consumed); false when memory is short. */
static bool members_of(struct json_object *o, struct pyjson_members *m)
{
	bool ok = pyjson_members(o, m) == 0;

	json_object_put(o);
	return ok;
}

char *op_state_text(const struct conn *c, struct table *t, size_t *len)
{
	struct pyjson_members *shared, own, numbers;
	const struct pyjson_members *parts[3];
	struct json_object *o;
	struct hand_view v;
	bool has_view, live;
	int64_t seq, hand_seq;
	uint8_t sum[HASH_SHA256_SIZE];
	char hex[2 * HASH_SHA256_SIZE + 1], hash[80], *text = NULL;

	shared = t->frame_caching && t->frame_cache ? t->frame_cache : shared_state(t);
	if (!shared)
		return NULL;
	has_view = table_view(t, c->seat >= 0 ? c->seat : VIEW_SPECTATOR, &v);
	live = is_live(t, has_view, &v);
	o = json_object_new_object();
	state_own(o, c, t, &v, has_view, live, false);
	if (!members_of(o, &own))
		goto done;
	parts[0] = shared;
	parts[1] = &own;
	/* state_hash: reference §2, the frame without ts, table_seq, hand_seq. */
	text = pyjson_join(parts, 2, len);
	if (!text)
		goto own_done;
	hash_sha256(text, *len, sum);
	free(text);
	text = NULL;
	hash_hex(sum, sizeof(sum), hex);
	snprintf(hash, sizeof(hash), "sha256:%s", hex);
	seq = table_next_frame(t, &hand_seq);
	o = json_object_new_object();
	envelope_numbers(o, seq, hand_seq);
	add_str(o, "state_hash", hash);
	if (!members_of(o, &numbers))
		goto own_done;
	parts[2] = &numbers;
	text = pyjson_join(parts, 3, len);
	pyjson_members_free(&numbers);
own_done:
	pyjson_members_free(&own);
done:
	if (t->frame_caching && !t->frame_cache) {
		t->frame_cache = shared;
	} else if (shared != t->frame_cache) {
		pyjson_members_free(shared);
		free(shared);
	}
	return text;
}

void op_send_state(struct conn *c, struct table *t)
{
	const struct op_conn *s = c->codec_data;
	size_t len;
	char *text;

	if (s && s->recording)
		return;
	text = op_state_text(c, t, &len);
	if (text)
		conn_send(c, text, len);
	free(text);
}
