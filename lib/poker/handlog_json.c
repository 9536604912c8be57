/*
 * handlog_json — a hand's log as the JSON stored in hands.events, and read
 * back strictly (part of the handlog module; the format is in handlog.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/hash.h"
#include "core/json.h"
#include "poker/handlog.h"
#include "poker/handlog_internal.h"

/* Members of an event object besides type, at and street; a type's fields
 * are all required except F_REASONING. */
enum {
	F_SEAT = 1 << 0,
	F_AMOUNT = 1 << 1,
	F_BET = 1 << 2,
	F_ALL_IN = 1 << 3,
	F_CARDS = 1 << 4,
	F_TIMEOUT = 1 << 5,
	F_REASONING = 1 << 6,
	F_RANK = 1 << 7,
	F_POT = 1 << 8,
	F_ELIGIBLE = 1 << 9,
};

static const struct field {
	const char *name;
	unsigned flag;
} FIELDS[] = {
	{"seat", F_SEAT},       {"amount", F_AMOUNT},   {"bet", F_BET},
	{"all_in", F_ALL_IN},   {"cards", F_CARDS},     {"timeout", F_TIMEOUT},
	{"reasoning", F_REASONING}, {"rank", F_RANK},   {"pot", F_POT},
	{"eligible", F_ELIGIBLE},
};

/* The fields of each event type (indexed by enum hand_event_type). */
static const unsigned TYPE_FIELDS[] = {
	[HAND_EV_ANTE] = F_SEAT | F_AMOUNT | F_ALL_IN,
	[HAND_EV_SMALL_BLIND] = F_SEAT | F_AMOUNT | F_ALL_IN,
	[HAND_EV_BIG_BLIND] = F_SEAT | F_AMOUNT | F_ALL_IN,
	[HAND_EV_HOLE] = F_SEAT | F_CARDS,
	[HAND_EV_FOLD] = F_SEAT | F_TIMEOUT | F_REASONING,
	[HAND_EV_CHECK] = F_SEAT | F_TIMEOUT | F_REASONING,
	[HAND_EV_CALL] = F_SEAT | F_AMOUNT | F_BET | F_ALL_IN | F_TIMEOUT | F_REASONING,
	[HAND_EV_RAISE] = F_SEAT | F_AMOUNT | F_ALL_IN | F_TIMEOUT | F_REASONING,
	[HAND_EV_RETURN] = F_SEAT | F_AMOUNT,
	[HAND_EV_STREET] = F_CARDS,
	[HAND_EV_SHOW] = F_SEAT | F_CARDS | F_RANK,
	[HAND_EV_MUCK] = F_SEAT,
	[HAND_EV_POT] = F_POT | F_AMOUNT | F_ELIGIBLE,
	[HAND_EV_RAKE] = F_POT | F_AMOUNT,
	[HAND_EV_AWARD] = F_SEAT | F_POT | F_AMOUNT,
	[HAND_EV_END] = 0,
};
#define NTYPES ((int)(sizeof TYPE_FIELDS / sizeof TYPE_FIELDS[0]))

/* ---- writing ---- */

struct out {
	bool ok; /* false once an allocation failed */
};

static void put(struct out *o, struct json_object *obj, const char *key, struct json_object *v)
{
	if (!v) {
		o->ok = false;
		return;
	}
	if (json_object_object_add(obj, key, v) != 0) {
		json_object_put(v);
		o->ok = false;
	}
}

static void put_int(struct out *o, struct json_object *obj, const char *key, int64_t v)
{
	put(o, obj, key, json_object_new_int64(v));
}

static void put_bool(struct out *o, struct json_object *obj, const char *key, bool v)
{
	put(o, obj, key, json_object_new_boolean(v));
}

static void put_str(struct out *o, struct json_object *obj, const char *key, const char *v)
{
	put(o, obj, key, json_object_new_string(v));
}

static void append(struct out *o, struct json_object *arr, struct json_object *v)
{
	if (!v) {
		o->ok = false;
		return;
	}
	if (json_object_array_add(arr, v) != 0) {
		json_object_put(v);
		o->ok = false;
	}
}

static struct json_object *ints(struct out *o, const int64_t *v, int n)
{
	struct json_object *arr = json_object_new_array();
	for (int i = 0; arr && i < n; i++)
		append(o, arr, json_object_new_int64(v[i]));
	return arr;
}

static struct json_object *cards(struct out *o, const card_t *c, int n)
{
	struct json_object *arr = json_object_new_array();
	char s[3];

	for (int i = 0; arr && i < n; i++) {
		card_format(c[i], s);
		append(o, arr, json_object_new_string(s));
	}
	return arr;
}

static struct json_object *start_object(struct out *o, const struct handlog *log)
{
	const struct hand_config *c = &log->cfg;
	struct json_object *obj = json_object_new_object();
	char hex[2 * DECK_SEED_SIZE + 1];

	if (!obj)
		return NULL;
	put_str(o, obj, "type", "start");
	put_int(o, obj, "at", log->started_ms);
	put_int(o, obj, "nseats", c->nseats);
	put_int(o, obj, "button", c->button);
	put(o, obj, "stacks", ints(o, c->stacks_chips, c->nseats));
	put(o, obj, "antes", ints(o, c->antes_chips, c->nseats));
	put_int(o, obj, "sb", c->sb_chips);
	put_int(o, obj, "bb", c->bb_chips);
	put_int(o, obj, "min_bet", c->min_bet_chips);
	put_bool(o, obj, "ante_trimming", c->ante_trimming);
	put_int(o, obj, "rake_bp", c->rake_bp);
	put_int(o, obj, "rake_cap", c->rake_cap_chips);
	put_bool(o, obj, "show_all", c->show_all);
	if (c->blinds_given) {
		put_int(o, obj, "sb_seat", c->sb_seat);
		put_int(o, obj, "bb_seat", c->bb_seat);
	}
	for (int i = 0; i < c->nseats; i++) {
		if (c->posts_chips[i] > 0) {
			put(o, obj, "posts", ints(o, c->posts_chips, c->nseats));
			break;
		}
	}
	if (log->has_seed) {
		hash_hex(log->seed, DECK_SEED_SIZE, hex);
		put_str(o, obj, "seed", hex);
		hash_hex(log->commitment, DECK_COMMITMENT_SIZE, hex);
		put_str(o, obj, "commitment", hex);
	}
	return obj;
}

static struct json_object *event_object(struct out *o, const struct handlog *log, int i)
{
	const struct handlog_entry *en = &log->entries[i];
	const struct hand_event *e = &en->ev;
	struct json_object *obj = json_object_new_object();
	unsigned f = e->type < NTYPES ? TYPE_FIELDS[e->type] : 0;
	const char *name = hand_event_name(e->type), *street = hand_street_name(e->street);

	if (!obj)
		return NULL;
	put_str(o, obj, "type", name ? name : "?");
	put_int(o, obj, "at", en->at_ms);
	put_str(o, obj, "street", street ? street : "?");
	if (f & F_SEAT)
		put_int(o, obj, "seat", e->seat);
	if (f & F_AMOUNT)
		put_int(o, obj, "amount", e->amount_chips);
	if (f & F_BET)
		put_int(o, obj, "bet", e->amount2_chips);
	if (f & F_ALL_IN)
		put_bool(o, obj, "all_in", e->all_in);
	if (f & F_CARDS)
		put(o, obj, "cards", cards(o, e->cards, e->ncards));
	if (f & F_RANK)
		put_int(o, obj, "rank", e->rank);
	if (f & F_POT)
		put_int(o, obj, "pot", e->pot);
	if (f & F_ELIGIBLE) {
		int64_t seats[HAND_MAX_SEATS];
		int n = 0;
		for (int s = 0; s < HAND_MAX_SEATS; s++)
			if (e->mask & (1u << s))
				seats[n++] = s;
		put(o, obj, "eligible", ints(o, seats, n));
	}
	if (f & F_TIMEOUT)
		put_bool(o, obj, "timeout", en->timeout);
	const char *why = handlog_reasoning(log, i);
	if ((f & F_REASONING) && why)
		put_str(o, obj, "reasoning", why);
	return obj;
}

int handlog_json(const struct handlog *log, struct json_object **out)
{
	struct out o = {true};
	struct json_object *arr = json_object_new_array_ext(log->n + 1);

	*out = NULL;
	if (!arr)
		return HANDLOG_ENOMEM;
	append(&o, arr, start_object(&o, log));
	for (int i = 0; i < log->n && o.ok; i++)
		append(&o, arr, event_object(&o, log, i));
	if (!o.ok) {
		json_object_put(arr);
		return HANDLOG_ENOMEM;
	}
	*out = arr;
	return HANDLOG_OK;
}

/* ---- reading ---- */

struct in {
	struct handlog *log;
	int entry;        /* entry being read (0 = the start) */
	char *err;
	size_t errlen;
	uint64_t dealt;   /* cards seen so far */
	card_t hole[HAND_MAX_SEATS][2];
	bool has_hole[HAND_MAX_SEATS];
};

static int bad(struct in *in, const char *fmt, ...)
{
	if (in->err && in->errlen) {
		va_list ap;
		int k = snprintf(in->err, in->errlen, "entry %d: ", in->entry);
		if (k >= 0 && (size_t)k < in->errlen) {
			va_start(ap, fmt);
			vsnprintf(in->err + k, in->errlen - (size_t)k, fmt, ap);
			va_end(ap);
		}
	}
	return HANDLOG_EJSON;
}

static int get_int(struct in *in, struct json_object *obj, const char *key, int64_t lo,
		   int64_t hi, int64_t *v)
{
	int rc = json_get_int64(obj, key, v);
	if (rc != JSON_OK)
		return bad(in, "%s: %s", key, json_strerror(rc));
	if (*v < lo || *v > hi)
		return bad(in, "%s: %lld is outside %lld .. %lld", key, (long long)*v, (long long)lo,
			   (long long)hi);
	return HANDLOG_OK;
}

static int get_bool(struct in *in, struct json_object *obj, const char *key, bool *v)
{
	int rc = json_get_bool(obj, key, v);
	return rc == JSON_OK ? HANDLOG_OK : bad(in, "%s: %s", key, json_strerror(rc));
}

static int get_chips_array(struct in *in, struct json_object *obj, const char *key, int n,
			   int64_t *v)
{
	struct json_object *arr;
	int rc = json_get_array(obj, key, &arr);

	if (rc != JSON_OK)
		return bad(in, "%s: %s", key, json_strerror(rc));
	if ((int)json_object_array_length(arr) != n)
		return bad(in, "%s: want %d numbers", key, n);
	for (int i = 0; i < n; i++) {
		struct json_object *x = json_object_array_get_idx(arr, (size_t)i);
		if (!json_object_is_type(x, json_type_int))
			return bad(in, "%s: not an integer", key);
		v[i] = json_object_get_int64(x);
		/* json-c keeps integers above INT64_MAX as uint64. */
		if (v[i] < 0 || v[i] > HAND_MAX_CHIPS || json_object_get_uint64(x) > INT64_MAX)
			return bad(in, "%s: chips outside 0 .. %lld", key, (long long)HAND_MAX_CHIPS);
	}
	return HANDLOG_OK;
}

static int get_hex(struct in *in, struct json_object *obj, const char *key, uint8_t out[32])
{
	const char *s;
	int rc = json_get_string(obj, key, &s);

	if (rc != JSON_OK)
		return bad(in, "%s: %s", key, json_strerror(rc));
	if (strlen(s) != 64)
		return bad(in, "%s: want 64 lowercase hex digits", key);
	for (int i = 0; i < 64; i++) {
		/* Lowercase, as handlog_json writes it and hands.* stores it. */
		int v = hash_hex_value(s[i]);
		if (v < 0 || (s[i] >= 'A' && s[i] <= 'F'))
			return bad(in, "%s: want 64 lowercase hex digits", key);
		out[i / 2] = (uint8_t)(i % 2 ? out[i / 2] | v : v << 4);
	}
	return HANDLOG_OK;
}

/* Every member of obj must be one of the names in allowed[] (n of them). */
static int only_members(struct in *in, struct json_object *obj, const char *const *allowed,
			int n)
{
	json_object_object_foreach(obj, key, val)
	{
		(void)val;
		int k = 0;
		while (k < n && strcmp(key, allowed[k]) != 0)
			k++;
		if (k == n)
			return bad(in, "unknown member '%s'", key);
	}
	return HANDLOG_OK;
}

/* The start must be one the engine accepts: try it on a scratch hand. */
static int check_start(struct in *in)
{
	struct hand *h = malloc(sizeof *h);
	struct deck d = {.next = 0};

	if (!h)
		return HANDLOG_ENOMEM;
	for (int i = 0; i < 52; i++)
		d.cards[i] = (card_t)i;
	int err = hand_start(h, &in->log->cfg, &d);
	free(h);
	if (err != HAND_OK)
		return bad(in, "not a hand the engine can start: %s", hand_strerror(err));
	in->log->started = true;
	return HANDLOG_OK;
}

static int read_start(struct in *in, struct json_object *obj)
{
	static const char *const names[] = {
		"type", "at", "nseats", "button", "stacks", "antes", "sb", "bb", "min_bet",
		"ante_trimming", "rake_bp", "rake_cap", "show_all", "sb_seat", "bb_seat", "posts",
		"seed", "commitment"};
	struct handlog *log = in->log;
	struct hand_config *c = &log->cfg;
	int64_t v;
	int err;
	const char *type;

	if (json_get_string(obj, "type", &type) != JSON_OK || strcmp(type, "start") != 0)
		return bad(in, "the first entry must be the start");
	if ((err = only_members(in, obj, names, (int)(sizeof names / sizeof names[0]))) ||
	    (err = get_int(in, obj, "at", 0, INT64_MAX, &log->started_ms)) ||
	    (err = get_int(in, obj, "nseats", 2, HAND_MAX_SEATS, &v)))
		return err;
	c->nseats = (int)v;
	if ((err = get_int(in, obj, "button", 0, c->nseats - 1, &v)))
		return err;
	c->button = (int)v;
	if ((err = get_chips_array(in, obj, "stacks", c->nseats, c->stacks_chips)) ||
	    (err = get_chips_array(in, obj, "antes", c->nseats, c->antes_chips)) ||
	    (err = get_int(in, obj, "sb", 0, HAND_MAX_CHIPS, &c->sb_chips)) ||
	    (err = get_int(in, obj, "bb", 0, HAND_MAX_CHIPS, &c->bb_chips)) ||
	    (err = get_int(in, obj, "min_bet", 1, HAND_MAX_CHIPS, &c->min_bet_chips)) ||
	    (err = get_bool(in, obj, "ante_trimming", &c->ante_trimming)) ||
	    (err = get_int(in, obj, "rake_bp", 0, 10000, &v)) ||
	    (err = get_int(in, obj, "rake_cap", 0, HAND_MAX_CHIPS, &c->rake_cap_chips)) ||
	    (err = get_bool(in, obj, "show_all", &c->show_all)))
		return err;
	c->rake_bp = (int)v;
	struct json_object *x;
	bool given = json_object_object_get_ex(obj, "sb_seat", &x);
	if (given != json_object_object_get_ex(obj, "bb_seat", &x))
		return bad(in, "sb_seat and bb_seat go together");
	if (given) {
		c->blinds_given = true;
		if ((err = get_int(in, obj, "sb_seat", -1, c->nseats - 1, &v)))
			return err;
		c->sb_seat = (int)v;
		if ((err = get_int(in, obj, "bb_seat", 0, c->nseats - 1, &v)))
			return err;
		c->bb_seat = (int)v;
	}
	if (json_object_object_get_ex(obj, "posts", &x) &&
	    (err = get_chips_array(in, obj, "posts", c->nseats, c->posts_chips)))
		return err;
	bool seed = json_object_object_get_ex(obj, "seed", &x);
	bool commitment = json_object_object_get_ex(obj, "commitment", &x);
	if (seed != commitment)
		return bad(in, "seed and commitment go together");
	if (seed) {
		struct deck d;
		uint8_t want[DECK_COMMITMENT_SIZE];
		if ((err = get_hex(in, obj, "seed", log->seed)) ||
		    (err = get_hex(in, obj, "commitment", log->commitment)))
			return err;
		deck_shuffle(&d, log->seed);
		deck_commitment(log->seed, &d, want);
		if (memcmp(want, log->commitment, sizeof want) != 0)
			return bad(in, "the commitment is not the seed's");
		log->has_seed = true;
	}
	return check_start(in);
}

/* Cards of an event: n of them (lo .. hi), canonical text, never dealt
 * before unless again is set (a show repeats the hole cards). */
static int read_cards(struct in *in, struct json_object *obj, int lo, int hi, bool again,
		      struct hand_event *e)
{
	struct json_object *arr;
	int rc = json_get_array(obj, "cards", &arr);

	if (rc != JSON_OK)
		return bad(in, "cards: %s", json_strerror(rc));
	int n = (int)json_object_array_length(arr);
	if (n < lo || n > hi)
		return bad(in, "cards: want %d to %d cards", lo, hi);
	for (int i = 0; i < n; i++) {
		struct json_object *x = json_object_array_get_idx(arr, (size_t)i);
		const char *s = json_object_is_type(x, json_type_string) ? json_object_get_string(x)
									  : "";
		char canon[3];
		card_t c;
		if (strlen(s) != 2 || card_parse(s, &c) != CARDS_OK)
			return bad(in, "cards: '%s' is not a card", s);
		card_format(c, canon);
		if (strcmp(canon, s) != 0)
			return bad(in, "cards: write '%s' as '%s'", s, canon);
		if (!again && (in->dealt & (1ull << c)))
			return bad(in, "cards: %s dealt twice", s);
		in->dealt |= 1ull << c;
		e->cards[i] = c;
	}
	e->ncards = (uint8_t)n;
	return HANDLOG_OK;
}

static int read_eligible(struct in *in, struct json_object *obj, struct hand_event *e)
{
	struct json_object *arr;
	int rc = json_get_array(obj, "eligible", &arr);

	if (rc != JSON_OK)
		return bad(in, "eligible: %s", json_strerror(rc));
	int n = (int)json_object_array_length(arr);
	for (int i = 0; i < n; i++) {
		struct json_object *x = json_object_array_get_idx(arr, (size_t)i);
		int64_t s = json_object_is_type(x, json_type_int) ? json_object_get_int64(x) : -1;
		if (s < 0 || s >= in->log->cfg.nseats || (e->mask & (1u << s)))
			return bad(in, "eligible: not a list of distinct seats");
		e->mask |= (uint16_t)(1u << s);
	}
	return HANDLOG_OK;
}

static int event_type(const char *name)
{
	for (int t = 0; t < NTYPES; t++)
		if (strcmp(name, hand_event_name((enum hand_event_type)t)) == 0)
			return t;
	return -1;
}

/* The members of an event: common ones, then its type's (all required but
 * the reasoning), nothing else. */
static int check_members(struct in *in, struct json_object *obj, unsigned f)
{
	const char *names[16] = {"type", "at", "street"};
	int n = 3;

	for (size_t k = 0; k < sizeof FIELDS / sizeof FIELDS[0]; k++) {
		if (!(f & FIELDS[k].flag))
			continue;
		names[n++] = FIELDS[k].name;
		struct json_object *x;
		if (FIELDS[k].flag != F_REASONING && !json_object_object_get_ex(obj, FIELDS[k].name, &x))
			return bad(in, "member '%s' missing", FIELDS[k].name);
	}
	return only_members(in, obj, names, n);
}

static int read_fields(struct in *in, struct json_object *obj, unsigned f,
		       struct handlog_entry *en)
{
	struct hand_event *e = &en->ev;
	const struct hand_config *c = &in->log->cfg;
	int64_t v;
	int err;

	if (f & F_SEAT) {
		if ((err = get_int(in, obj, "seat", 0, c->nseats - 1, &v)))
			return err;
		if (c->stacks_chips[v] <= 0)
			return bad(in, "seat %lld was not dealt in", (long long)v);
		e->seat = (int8_t)v;
	}
	if ((f & F_AMOUNT) && (err = get_int(in, obj, "amount", 0, HAND_MAX_SEATS * HAND_MAX_CHIPS,
					     &e->amount_chips)))
		return err;
	if ((f & F_BET) && (err = get_int(in, obj, "bet", 0, HAND_MAX_CHIPS, &e->amount2_chips)))
		return err;
	if (f & F_ALL_IN) {
		bool b;
		if ((err = get_bool(in, obj, "all_in", &b)))
			return err;
		e->all_in = b;
	}
	if (f & F_POT) {
		if ((err = get_int(in, obj, "pot", 0, POTS_MAX - 1, &v)))
			return err;
		e->pot = (uint8_t)v;
	}
	if ((f & F_ELIGIBLE) && (err = read_eligible(in, obj, e)))
		return err;
	if (f & F_RANK) {
		int ranks[5];
		if ((err = get_int(in, obj, "rank", 1, UINT16_MAX, &v)))
			return err;
		if (eval_best_ranks((eval_rank_t)v, ranks) != 0)
			return bad(in, "rank: %lld is no hand", (long long)v);
		e->rank = (uint32_t)v;
	}
	if ((f & F_TIMEOUT) && (err = get_bool(in, obj, "timeout", &en->timeout)))
		return err;
	return HANDLOG_OK;
}

static int read_reasoning(struct in *in, struct json_object *obj, struct handlog_entry *en)
{
	struct handlog *log = in->log;
	const char *s;
	struct json_object *x;

	if (!json_object_object_get_ex(obj, "reasoning", &x))
		return HANDLOG_OK;
	int rc = json_get_string(obj, "reasoning", &s);
	if (rc != JSON_OK)
		return bad(in, "reasoning: %s", json_strerror(rc));
	size_t len = strlen(s);
	if (len > HANDLOG_REASONING_MAX || log->text_len + len + 1 > HANDLOG_REASONING_TOTAL)
		return bad(in, "reasoning: longer than a log keeps");
	if (handlog_text_room(log, len + 1) != HANDLOG_OK)
		return HANDLOG_ENOMEM;
	/* json_parse_max validated the UTF-8 and json_get_string refused NUL. */
	memcpy(log->text + log->text_len, s, len + 1);
	en->reasoning = (int32_t)log->text_len;
	log->text_len += len + 1;
	return HANDLOG_OK;
}

static int read_event(struct in *in, struct json_object *obj, struct handlog_entry *en)
{
	const char *type, *street;
	int err, rc;

	memset(en, 0, sizeof *en);
	en->reasoning = -1;
	en->ev.seat = -1;
	if ((rc = json_get_string(obj, "type", &type)) != JSON_OK)
		return bad(in, "type: %s", json_strerror(rc));
	int t = event_type(type);
	if (t < 0)
		return bad(in, "unknown type '%s'", type);
	unsigned f = TYPE_FIELDS[t];
	en->ev.type = (uint8_t)t;
	en->action = t == HAND_EV_FOLD || t == HAND_EV_CHECK || t == HAND_EV_CALL ||
		     t == HAND_EV_RAISE;
	if ((err = check_members(in, obj, f)) || (err = get_int(in, obj, "at", 0, INT64_MAX, &en->at_ms)))
		return err;
	if ((rc = json_get_string(obj, "street", &street)) != JSON_OK)
		return bad(in, "street: %s", json_strerror(rc));
	int s = 0;
	while (s <= HAND_RIVER && strcmp(street, hand_street_name((enum hand_street)s)) != 0)
		s++;
	if (s > HAND_RIVER)
		return bad(in, "street: unknown '%s'", street);
	en->ev.street = (uint8_t)s;
	if ((err = read_fields(in, obj, f, en)))
		return err;
	if (t == HAND_EV_HOLE || t == HAND_EV_SHOW || t == HAND_EV_STREET) {
		int lo = t == HAND_EV_STREET ? 1 : 2, hi = t == HAND_EV_STREET ? 3 : 2;
		if ((err = read_cards(in, obj, lo, hi, t == HAND_EV_SHOW, &en->ev)))
			return err;
		int seat = en->ev.seat;
		if (t == HAND_EV_HOLE) {
			if (in->has_hole[seat])
				return bad(in, "seat %d dealt twice", seat);
			in->has_hole[seat] = true;
			memcpy(in->hole[seat], en->ev.cards, 2);
		} else if (t == HAND_EV_SHOW &&
			   (!in->has_hole[seat] || memcmp(in->hole[seat], en->ev.cards, 2) != 0)) {
			return bad(in, "seat %d shows cards it was not dealt", seat);
		}
	}
	return read_reasoning(in, obj, en);
}

int handlog_from_json(struct handlog *log, const char *text, size_t len, char *err,
		      size_t errlen)
{
	struct json_object *arr;
	struct in in = {.log = log, .err = err, .errlen = errlen};
	char why[128];
	int rc;

	handlog_free(log);
	if (err && errlen)
		err[0] = '\0';
	/* Three levels: the array, an entry, a list of cards or seats. */
	if (json_parse_max(text, len, 3, HANDLOG_JSON_MAX_BYTES, &arr, why, sizeof why) != JSON_OK)
		return bad(&in, "%s", why);
	if (!json_object_is_type(arr, json_type_array)) {
		json_object_put(arr);
		return bad(&in, "not a JSON array");
	}
	size_t n = json_object_array_length(arr);
	if (n < 1 || n > HANDLOG_MAX_ENTRIES + 1) {
		json_object_put(arr);
		return bad(&in, "want 1 to %d entries", HANDLOG_MAX_ENTRIES + 1);
	}
	rc = HANDLOG_OK;
	if (n > 1) {
		log->entries = malloc((n - 1) * sizeof *log->entries);
		log->cap = (int)(n - 1);
		if (!log->entries)
			rc = HANDLOG_ENOMEM;
	}
	for (size_t i = 0; i < n && rc == HANDLOG_OK; i++) {
		struct json_object *obj = json_object_array_get_idx(arr, i);
		in.entry = (int)i;
		if (!json_object_is_type(obj, json_type_object)) {
			rc = bad(&in, "not an object");
		} else if (i == 0) {
			rc = read_start(&in, obj);
		} else if (handlog_done(log)) {
			rc = bad(&in, "entries after the end");
		} else {
			rc = read_event(&in, obj, &log->entries[log->n]);
			if (rc == HANDLOG_OK)
				log->n++;
		}
	}
	json_object_put(arr);
	if (rc != HANDLOG_OK)
		handlog_free(log);
	return rc;
}
