/*
 * Unit tests for lib/poker/handlog: the hand's log drives the engine and
 * keeps every event with its time, timeout flag and reasoning; its JSON
 * form reads back to the same log (and refuses anything else); its PHH form,
 * for every viewer, replays in the engine to the same final stacks — on
 * random hands and on the oracle sample (../shared/oracle, found through
 * FELT_SHARED or next to the source tree; skipped when absent).
 */
#include <check.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "handtest.h"
#include "oracle.h"
#include "poker/handlog.h"
#include "poker/phh.h"
#include "poker/replay.h"
#include "poker/view.h"


#define REQUIRE(c) \
	do { \
		if (!(c)) \
			ck_abort_msg("%s:%d: %s", __FILE__, __LINE__, #c); \
	} while (0)

static struct hand H, H2;
static struct handlog LOG, BACK;
static struct phh_hand P, P2;

static const uint8_t SEED[32] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
				 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32};

static void apply_ok(int seat, enum hand_action_type t, int64_t amount, int64_t at,
		     bool timeout, const char *why)
{
	struct hand_action a = {t, amount};
	int err = handlog_apply(&LOG, &H, seat, &a, at, timeout, why);
	ck_assert_msg(err == HANDLOG_OK, "seat %d: %s", seat, handlog_strerror(err));
}

START_TEST(start_records_deal_and_commitment)
{
	int64_t st[3] = {1000, 1000, 1000};
	struct hand_config c = ht_config(3, 0, st, 5, 10);
	struct deck d;
	uint8_t want[32];

	handlog_init(&LOG);
	ck_assert_int_eq(handlog_start(&LOG, &H, &c, SEED, NULL, 1000), HANDLOG_OK);
	deck_shuffle(&d, SEED);
	deck_commitment(SEED, &d, want);
	ck_assert(LOG.has_seed && memcmp(LOG.commitment, want, 32) == 0);
	ck_assert(memcmp(LOG.seed, SEED, 32) == 0);
	ck_assert_int_eq(LOG.started_ms, 1000);
	ck_assert_int_eq(LOG.cfg.min_bet_chips, 10); /* filled in as the engine does */
	ck_assert_int_eq(H.nevents, 0);
	ck_assert_int_eq(LOG.n, 2 + 3);
	ck_assert_int_eq(LOG.entries[0].ev.type, HAND_EV_SMALL_BLIND);
	ck_assert_int_eq(LOG.entries[1].ev.type, HAND_EV_BIG_BLIND);
	ck_assert_int_eq(LOG.entries[2].ev.type, HAND_EV_HOLE);
	/* The deal is the seed's deck: seat 1 (left of the button) gets the
	 * first card. */
	ck_assert_int_eq(H.seat[1].hole[0], d.cards[0]);
	ck_assert_int_eq(LOG.entries[2].at_ms, 1000);
	ck_assert(!LOG.entries[0].action);
	/* With a reused shuffler the deal is the same. */
	struct deck_shuffler *sh = deck_shuffler_new();
	ck_assert_ptr_nonnull(sh);
	ck_assert_int_eq(handlog_start(&LOG, &H2, &c, SEED, sh, 5), HANDLOG_OK);
	deck_shuffler_free(sh);
	ck_assert(memcmp(LOG.commitment, want, 32) == 0);
	ck_assert_int_eq(H2.seat[1].hole[0], d.cards[0]);
	/* A bad configuration leaves an empty log. */
	c.nseats = 1;
	ck_assert_int_eq(handlog_start(&LOG, &H, &c, SEED, NULL, 1), HAND_ECONFIG);
	ck_assert_int_eq(LOG.n, 0);
	ck_assert(!LOG.started);
	struct hand_action a = {HAND_FOLD, 0};
	ck_assert_int_eq(handlog_apply(&LOG, &H, 0, &a, 1, false, NULL), HANDLOG_ESTATE);
	handlog_free(&LOG);
}
END_TEST

START_TEST(actions_keep_time_timeout_and_reasoning)
{
	int64_t st[2] = {1000, 1000};
	struct hand_config c = ht_config(2, 0, st, 5, 10);

	ck_assert_int_eq(handlog_start(&LOG, &H, &c, SEED, NULL, 100), HANDLOG_OK);
	int first = LOG.n;
	apply_ok(0, HAND_RAISE, 30, 150, false, "strong hand, \"raise\"");
	apply_ok(1, HAND_CALL, 0, 170, false, NULL);
	ck_assert_int_eq(LOG.entries[first].ev.type, HAND_EV_RAISE);
	ck_assert(LOG.entries[first].action);
	ck_assert_int_eq(LOG.entries[first].at_ms, 150);
	ck_assert_str_eq(handlog_reasoning(&LOG, first), "strong hand, \"raise\"");
	ck_assert_ptr_null(handlog_reasoning(&LOG, first + 1));
	ck_assert_int_eq(LOG.entries[first + 2].ev.type, HAND_EV_STREET);
	ck_assert_int_eq(LOG.entries[first + 2].at_ms, 170);
	ck_assert(!LOG.entries[first + 2].action);
	/* A refused action records nothing. */
	int n = LOG.n;
	struct hand_action bad = {HAND_CALL, 0};
	ck_assert_int_eq(handlog_apply(&LOG, &H, 1, &bad, 180, false, "x"), HAND_ENOTHING_TO_CALL);
	ck_assert_int_eq(handlog_apply(&LOG, &H, 0, &bad, 180, false, "x"), HAND_ENOT_YOUR_TURN);
	ck_assert_int_eq(LOG.n, n);
	/* A timeout: the safety default, flagged. */
	struct hand_action t;
	ck_assert_int_eq(hand_timeout_action(&H, &t), 1);
	ck_assert_int_eq(handlog_apply(&LOG, &H, 1, &t, 30170, true, NULL), HANDLOG_OK);
	ck_assert_int_eq(LOG.entries[n].ev.type, HAND_EV_CHECK);
	ck_assert(LOG.entries[n].timeout);
	ck_assert(!LOG.entries[first].timeout);
}
END_TEST

/* Reasoning is cut at 2000 bytes on a character boundary and made valid
 * UTF-8, so it can always be stored; the hand's total is bounded. */
START_TEST(reasoning_is_bounded_and_valid)
{
	int64_t st[2] = {1000000, 1000000};
	struct hand_config c = ht_config(2, 0, st, 5, 10);
	static char why[5000];

	ck_assert_int_eq(handlog_start(&LOG, &H, &c, SEED, NULL, 0), HANDLOG_OK);
	/* 1999 'a' then a 3-byte character: it does not fit, it is dropped. */
	memset(why, 'a', 1999);
	strcpy(why + 1999, "\xe2\x82\xac tail");
	apply_ok(0, HAND_RAISE, 20, 1, false, why);
	const char *kept = handlog_reasoning(&LOG, LOG.n - 1);
	ck_assert_uint_eq(strlen(kept), 1999);
	/* Invalid bytes become U+FFFD; an overlong and a surrogate too. */
	apply_ok(1, HAND_RAISE, 40, 2, false, "a\xff" "b\xc0\xaf" "c\xed\xa0\x80" "d\xe2\x82\xac");
	ck_assert_str_eq(handlog_reasoning(&LOG, LOG.n - 1),
			 "a\xef\xbf\xbd" "b\xef\xbf\xbd\xef\xbf\xbd" "c\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
			 "d\xe2\x82\xac");
	/* A hand keeps at most HANDLOG_REASONING_TOTAL bytes of reasoning. */
	memset(why, 'b', 2000);
	why[2000] = '\0';
	int kept_count = 0, dropped = 0;
	for (int i = 0; i < 1000; i++) {
		struct hand_legal l;
		hand_legal(&H, &l);
		apply_ok(l.seat, HAND_RAISE, l.min_raise_to_chips, 3, false, why);
		if (handlog_reasoning(&LOG, LOG.n - 1))
			kept_count++;
		else
			dropped++;
	}
	ck_assert_int_gt(kept_count, 400);
	ck_assert_int_gt(dropped, 0);
	ck_assert_uint_le(LOG.text_len, HANDLOG_REASONING_TOTAL);
}
END_TEST

/* No 256-event limit: a raise war of thousands of raises is logged whole;
 * near HANDLOG_MAX_ENTRIES raises are refused but the hand still ends. */
START_TEST(long_hands_grow_then_stop_raising)
{
	int64_t st[2] = {HAND_MAX_CHIPS, HAND_MAX_CHIPS};
	struct hand_config c = ht_config(2, 0, st, 1, 2);
	struct hand_legal l;
	int err = HANDLOG_OK, raises = 0;

	ck_assert_int_eq(handlog_start(&LOG, &H, &c, SEED, NULL, 0), HANDLOG_OK);
	while (err == HANDLOG_OK) {
		hand_legal(&H, &l);
		struct hand_action a = {HAND_RAISE, l.min_raise_to_chips};
		err = handlog_apply(&LOG, &H, l.seat, &a, raises, false, NULL);
		raises += err == HANDLOG_OK;
	}
	ck_assert_int_eq(err, HANDLOG_EFULL);
	ck_assert_int_eq(LOG.n, HANDLOG_MAX_ENTRIES - HANDLOG_RESERVE);
	ck_assert_int_gt(raises, 3000);
	ck_assert_int_eq(H.nevents, 0);
	struct hand_action allin = {HAND_ALLIN, 0};
	ck_assert_int_eq(handlog_apply(&LOG, &H, l.seat, &allin, 0, false, NULL), HANDLOG_EFULL);
	/* Calls and checks go on to the end. */
	while (H.phase == HAND_PHASE_BETTING) {
		hand_legal(&H, &l);
		struct hand_action a = {l.can_check ? HAND_CHECK : HAND_CALL, 0};
		ck_assert_int_eq(handlog_apply(&LOG, &H, l.seat, &a, 0, false, NULL), HANDLOG_OK);
	}
	ck_assert_int_eq(handlog_settle(&LOG, &H, 0), HANDLOG_OK);
	ck_assert(handlog_done(&LOG));
	ck_assert_int_le(LOG.n, HANDLOG_MAX_ENTRIES);
	/* It still exports, and the PHH replays. */
	ck_assert_int_eq(handlog_phh(&LOG, VIEW_PLATFORM, &P), HANDLOG_OK);
	struct replay_result res;
	replay_hand(&P, 0, 0, &H2, NULL, &res);
	ck_assert_msg(res.verdict == REPLAY_PASS, "%s", res.msg);
}
END_TEST

/* ---- JSON ---- */

/* handlog_json, as text. */
static char *json_text(const struct handlog *log)
{
	struct json_object *j;
	ck_assert_int_eq(handlog_json(log, &j), HANDLOG_OK);
	char *s = strdup(json_to_string(j));
	json_object_put(j);
	return s;
}

static void same_log(const struct handlog *a, const struct handlog *b)
{
	const struct hand_config *x = &a->cfg, *y = &b->cfg; /* compared member by member: padding */
	REQUIRE(x->nseats == y->nseats && x->button == y->button);
	for (int i = 0; i < HAND_MAX_SEATS; i++)
		REQUIRE(x->stacks_chips[i] == y->stacks_chips[i] &&
			x->antes_chips[i] == y->antes_chips[i]);
	REQUIRE(x->sb_chips == y->sb_chips && x->bb_chips == y->bb_chips &&
		x->min_bet_chips == y->min_bet_chips && x->ante_trimming == y->ante_trimming &&
		x->rake_bp == y->rake_bp && x->rake_cap_chips == y->rake_cap_chips &&
		x->show_all == y->show_all && x->blinds_given == y->blinds_given);
	REQUIRE(!x->blinds_given || (x->sb_seat == y->sb_seat && x->bb_seat == y->bb_seat));
	for (int i = 0; i < HAND_MAX_SEATS; i++)
		REQUIRE(x->posts_chips[i] == y->posts_chips[i]);
	REQUIRE(a->has_seed == b->has_seed);
	REQUIRE(memcmp(a->seed, b->seed, 32) == 0 && memcmp(a->commitment, b->commitment, 32) == 0);
	REQUIRE(a->started_ms == b->started_ms);
	REQUIRE(a->n == b->n);
	for (int i = 0; i < a->n; i++) {
		const struct handlog_entry *ex = &a->entries[i], *ey = &b->entries[i];
		REQUIRE(memcmp(&ex->ev, &ey->ev, sizeof ex->ev) == 0);
		REQUIRE(ex->at_ms == ey->at_ms && ex->action == ey->action &&
			ex->timeout == ey->timeout);
		const char *rx = handlog_reasoning(a, i), *ry = handlog_reasoning(b, i);
		REQUIRE((rx == NULL) == (ry == NULL));
		REQUIRE(!rx || strcmp(rx, ry) == 0);
	}
}

START_TEST(json_shape)
{
	int64_t st[2] = {1000, 1000};
	struct hand_config c = ht_config(2, 0, st, 5, 10);
	ck_assert_int_eq(handlog_start(&LOG, &H, &c, SEED, NULL, 7), HANDLOG_OK);
	apply_ok(0, HAND_FOLD, 0, 9, true, "tired");
	ck_assert(handlog_done(&LOG));
	char *s = json_text(&LOG);
	struct json_object *j;
	ck_assert_int_eq(json_parse(s, strlen(s), 4, &j, NULL, 0), JSON_OK);
	struct json_object *e0 = json_object_array_get_idx(j, 0);
	const char *str;
	int64_t v;
	ck_assert_int_eq(json_get_string(e0, "type", &str), JSON_OK);
	ck_assert_str_eq(str, "start");
	ck_assert_int_eq(json_get_int64(e0, "button", &v), JSON_OK);
	ck_assert_int_eq(v, 0);
	ck_assert_int_eq(json_get_string(e0, "seed", &str), JSON_OK);
	ck_assert_str_eq(str, "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20");
	/* start, blinds, holes, the fold, the returned big blind's excess,
	 * pot, award, end. */
	struct json_object *fold = json_object_array_get_idx(j, 5);
	ck_assert_int_eq(json_get_string(fold, "type", &str), JSON_OK);
	ck_assert_str_eq(str, "fold");
	ck_assert_int_eq(json_get_string(fold, "reasoning", &str), JSON_OK);
	ck_assert_str_eq(str, "tired");
	bool b;
	ck_assert_int_eq(json_get_bool(fold, "timeout", &b), JSON_OK);
	ck_assert(b);
	ck_assert_int_eq(json_get_int64(fold, "at", &v), JSON_OK);
	ck_assert_int_eq(v, 9);
	struct json_object *hole = json_object_array_get_idx(j, 3);
	struct json_object *cards;
	ck_assert_int_eq(json_get_array(hole, "cards", &cards), JSON_OK);
	ck_assert_int_eq(json_object_array_length(cards), 2);
	struct json_object *last = json_object_array_get_idx(j, json_object_array_length(j) - 1);
	ck_assert_int_eq(json_get_string(last, "type", &str), JSON_OK);
	ck_assert_str_eq(str, "end");
	json_object_put(j);
	free(s);
}
END_TEST

/* Stored documents that are not a log are refused with a reason. */
START_TEST(json_refuses_what_is_not_a_log)
{
	int64_t st[2] = {1000, 1000};
	struct hand_config c = ht_config(2, 0, st, 5, 10);
	ck_assert_int_eq(handlog_start(&LOG, &H, &c, SEED, NULL, 7), HANDLOG_OK);
	apply_ok(0, HAND_CALL, 0, 8, false, NULL);
	apply_ok(1, HAND_CHECK, 0, 9, false, NULL);
	char *good = json_text(&LOG);
	char err[200];
	ck_assert_int_eq(handlog_from_json(&BACK, good, strlen(good), err, sizeof err), HANDLOG_OK);
	same_log(&LOG, &BACK);

	/* Each edit of the good text (first occurrence of from -> to). */
	static const char *const edits[][2] = {
		{"\"type\":\"start\"", "\"type\":\"begin\""},
		{"\"nseats\":2", "\"nseats\":11"},
		{"\"button\":0", "\"button\":2"},
		{"\"stacks\":[1000,1000]", "\"stacks\":[1000]"},
		{"\"stacks\":[1000,1000]", "\"stacks\":[1000,-1]"},
		{"\"stacks\":[1000,1000]", "\"stacks\":[1000,1e3]"},
		{"\"sb\":5", "\"sb\":\"5\""},
		{"\"rake_bp\":0", "\"rake_bp\":10001"},
		{"\"seed\":\"01", "\"seed\":\"02"},
		{"\"seed\":\"01", "\"seed\":\"0G"},
		{"\"seed\":\"0102030405060708090a", "\"seed\":\"0102030405060708090A"},
		{"\"commitment\":", "\"commitmant\":"},
		{"\"type\":\"small_blind\"", "\"type\":\"straddle\""},
		{"\"street\":\"preflop\"", "\"street\":\"showdown\""},
		{"\"seat\":1", "\"seat\":5"},
		{"\"seat\":1", "\"seat\":-1"},
		{"\"amount\":5", "\"amount\":5.0"},
		{"\"all_in\":false", "\"all_in\":0"},
		{"\"all_in\":false", "\"all_in\":false,\"x\":1"},
		{"\"timeout\":false", "\"reasoning\":null"},
		{",\"timeout\":false", ""},
		{"\"type\":\"check\"", "\"type\":\"fold\",\"bet\":1"},
		{"\"at\":8", "\"at\":-8"},
	};
	for (size_t k = 0; k < sizeof edits / sizeof edits[0]; k++) {
		const char *at = strstr(good, edits[k][0]);
		ck_assert_msg(at != NULL, "edit %zu: '%s' not in %s", k, edits[k][0], good);
		size_t pre = (size_t)(at - good), from = strlen(edits[k][0]);
		char *bad = malloc(strlen(good) + strlen(edits[k][1]) + 1);
		memcpy(bad, good, pre);
		strcpy(bad + pre, edits[k][1]);
		strcat(bad, at + from);
		err[0] = '\0';
		int rc = handlog_from_json(&BACK, bad, strlen(bad), err, sizeof err);
		ck_assert_msg(rc == HANDLOG_EJSON, "edit %zu accepted: %s", k, bad);
		ck_assert_msg(strlen(err) > 0, "edit %zu: no reason", k);
		ck_assert_int_eq(BACK.n, 0);
		ck_assert(!BACK.started);
		free(bad);
	}
	/* Cards: dealt twice, not canonical, not a card. */
	const char *hole = strstr(good, "\"type\":\"hole\"");
	ck_assert_ptr_nonnull(hole);
	static const char *const docs[] = {
		"", "{}", "[]", "[1]", "null", "[{\"type\":\"start\"}]",
		"[{\"type\":\"fold\",\"at\":0,\"street\":\"preflop\",\"seat\":0,\"timeout\":false}]",
	};
	for (size_t k = 0; k < sizeof docs / sizeof docs[0]; k++)
		ck_assert_int_eq(handlog_from_json(&BACK, docs[k], strlen(docs[k]), err, sizeof err),
				 HANDLOG_EJSON);
	/* The board card dealt again as a hole card, a lowercase card, junk. */
	char card[3];
	card_format(H.board[0], card);
	static const char *const card_edits[] = {NULL, "as", "A", "Xx"};
	for (size_t k = 0; k < sizeof card_edits / sizeof card_edits[0]; k++) {
		const char *to = card_edits[k] ? card_edits[k] : card;
		const char *c0 = strstr(hole, "\"cards\":[\"") + 10;
		size_t pre = (size_t)(c0 - good);
		char *bad = malloc(strlen(good) + 8);
		memcpy(bad, good, pre);
		strcpy(bad + pre, to);
		strcat(bad, c0 + 2);
		ck_assert_msg(handlog_from_json(&BACK, bad, strlen(bad), err, sizeof err) ==
				      HANDLOG_EJSON, "card edit %zu accepted", k);
		free(bad);
	}
	/* Entries after the end. */
	ck_assert_int_eq(handlog_start(&LOG, &H, &c, SEED, NULL, 7), HANDLOG_OK);
	apply_ok(0, HAND_FOLD, 0, 9, false, NULL);
	char *done = json_text(&LOG);
	size_t len = strlen(done);
	char *more = malloc(len + 64);
	memcpy(more, done, len - 1);
	strcpy(more + len - 1, ",{\"type\":\"end\",\"at\":1,\"street\":\"preflop\"}]");
	ck_assert_int_eq(handlog_from_json(&BACK, more, strlen(more), err, sizeof err), HANDLOG_EJSON);
	ck_assert_int_eq(handlog_from_json(&BACK, done, len, err, sizeof err), HANDLOG_OK);
	free(more);
	free(done);
	free(good);
	handlog_free(&BACK);
}
END_TEST

/* ---- PHH, and everything on random hands ---- */

/* Write ph as PHH text, read it back into P2 and replay it; it must pass. */
static void replays(const struct phh_hand *ph, const int64_t *final, struct replay_result *res)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	REQUIRE(phh_write(m, ph, NULL) == PHH_OK);
	fclose(m);
	struct phh_reader r;
	struct phh_failure f;
	phh_reader_init(&r, buf, len);
	REQUIRE(phh_next(&r, &P2, &f) == 1);
	replay_hand(&P2, LOG.cfg.rake_bp, LOG.cfg.rake_cap_chips, &H2, NULL, res);
	if (res->verdict != REPLAY_PASS)
		ck_abort_msg("%s\n%s", res->msg, buf);
	for (int k = 0; k < ph->nplayers; k++)
		REQUIRE(res->final_chips[k] == final[k]);
	free(buf);
}

/* In viewer's PHH, the only known hole cards are its own and shown ones. */
static void phh_hides(const struct phh_hand *ph, int viewer, const int seat_of[])
{
	bool shown[PHH_MAX_PLAYERS] = {false};
	for (int i = 0; i < ph->nactions; i++)
		if (ph->actions[i].type == PHH_SHOW_MUCK && ph->actions[i].ncards > 0)
			shown[ph->actions[i].player] = true;
	for (int i = 0; i < ph->nactions; i++) {
		const struct phh_action *a = &ph->actions[i];
		if (a->type != PHH_DEAL_HOLE)
			continue;
		bool known = a->cards[0] != CARD_NONE;
		REQUIRE(known == (viewer == VIEW_PLATFORM || seat_of[a->player] == viewer));
		(void)shown;
	}
}

static void check_log(int viewer_rounds)
{
	int64_t final[HAND_MAX_SEATS], by_player[PHH_MAX_PLAYERS];
	int seat_of[PHH_MAX_PLAYERS], n = 0;

	/* The log's arithmetic agrees with the engine. */
	handlog_final_stacks(&LOG, final);
	for (int i = 0; i < H.cfg.nseats; i++)
		REQUIRE(final[i] == H.seat[i].stack_chips);
	for (int k = 1; k <= H.cfg.nseats; k++) {
		int i = (H.cfg.button + k) % H.cfg.nseats;
		if (H.seat[i].in_hand) {
			seat_of[n] = i;
			by_player[n++] = H.seat[i].stack_chips;
		}
	}
	/* JSON round trip. */
	char *s = json_text(&LOG);
	char err[200];
	if (handlog_from_json(&BACK, s, strlen(s), err, sizeof err) != HANDLOG_OK)
		ck_abort_msg("%s\n%s", err, s);
	same_log(&LOG, &BACK);
	char *again = json_text(&BACK);
	REQUIRE(strcmp(s, again) == 0);
	free(again);
	free(s);
	/* PHH for the platform, then for some viewers, from the read-back
	 * log: each replays to the same stacks. */
	struct replay_result res;
	REQUIRE(handlog_phh(&BACK, VIEW_PLATFORM, &P) == HANDLOG_OK);
	REQUIRE(P.nplayers == n && P.has_finishing);
	replays(&P, by_player, &res);
	phh_hides(&P, VIEW_PLATFORM, seat_of);
	for (int r = 0; r < viewer_rounds; r++) {
		int viewer = r == 0 ? VIEW_SPECTATOR : seat_of[(r - 1) % n];
		REQUIRE(handlog_phh(&BACK, viewer, &P) == HANDLOG_OK);
		phh_hides(&P, viewer, seat_of);
		replays(&P, by_player, &res);
	}
}

START_TEST(random_hands_round_trip)
{
	uint64_t rs = 0x10960001ull;
	struct hand_config c;
	uint8_t seed[32];
	static char why[64];

	for (int n = 0; n < 2000; n++) {
		ht_random_config(&c, &rs);
		for (int k = 0; k < 32; k++)
			seed[k] = (uint8_t)ht_rand(&rs);
		int64_t t = 1700000000000 + n * 1000;
		REQUIRE(handlog_start(&LOG, &H, &c, seed, NULL, t) == HANDLOG_OK);
		while (H.phase == HAND_PHASE_BETTING) {
			struct hand_legal l;
			hand_legal(&H, &l);
			struct hand_action a = ht_random_action(&l, &rs);
			bool timeout = ht_rand(&rs) % 10 == 0;
			if (timeout)
				hand_timeout_action(&H, &a);
			snprintf(why, sizeof why, "hand %d \"%s\"\n\t\\", n, timeout ? "slow" : "ok");
			REQUIRE(handlog_apply(&LOG, &H, l.seat, &a, ++t, timeout,
					      ht_rand(&rs) % 2 ? why : NULL) == HANDLOG_OK);
		}
		if (H.phase == HAND_PHASE_SHOWDOWN) {
			if (ht_rand(&rs) % 8 == 0)
				for (int i = 0; i < c.nseats; i++)
					handlog_muck(&LOG, &H, i, t); /* all but the last succeed */
			REQUIRE(handlog_settle(&LOG, &H, ++t) == HANDLOG_OK);
		}
		REQUIRE(H.phase == HAND_PHASE_DONE && handlog_done(&LOG));
		check_log(n % 4 == 0 ? 3 : 1);
	}
}
END_TEST

/* Every oracle hand, replayed through a log, exports for the platform and
 * for a spectator to PHH that replays to the oracle's own final stacks. */
START_TEST(oracle_through_the_log)
{
	size_t len;
	char *buf = oracle_read(&len);
	static struct phh_hand O;
	struct phh_reader r;
	struct phh_failure fail;
	struct replay_result res;
	int got, total = 0;
	phh_reader_init(&r, buf, len);
	while ((got = phh_next(&r, &O, &fail)) != 0) {
		ck_assert_msg(got == 1, "line %d: %s", fail.line, fail.msg);
		replay_hand(&O, 0, 0, &H, &LOG, &res);
		ck_assert_msg(res.verdict == REPLAY_PASS, "hand [%s]: %s", O.id, res.msg);
		check_log(1);
		total++;
	}
	ck_assert_int_eq(total, 1000);
	free(buf);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("handlog");
	TCase *t = tcase_create("handlog");
	tcase_set_timeout(t, 300);
	tcase_add_test(t, start_records_deal_and_commitment);
	tcase_add_test(t, actions_keep_time_timeout_and_reasoning);
	tcase_add_test(t, reasoning_is_bounded_and_valid);
	tcase_add_test(t, long_hands_grow_then_stop_raising);
	tcase_add_test(t, json_shape);
	tcase_add_test(t, json_refuses_what_is_not_a_log);
	tcase_add_test(t, random_hands_round_trip);
	bool oracle = oracle_find();
	if (oracle)
		tcase_add_test(t, oracle_through_the_log);
	suite_add_tcase(s, t);
	SRunner *r = srunner_create(s);
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	handlog_free(&LOG);
	handlog_free(&BACK);
	if (failed)
		return EXIT_FAILURE;
	if (!oracle)
		fprintf(stderr, "test_handlog: no oracle at %s (set FELT_SHARED): oracle case skipped\n",
			oracle_path);
	return EXIT_SUCCESS;
}
