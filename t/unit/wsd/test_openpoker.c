/*
 * test_openpoker — Open Poker's frames rendered from a real hand: the
 * table_state each seat sees (its own cards only), valid_actions,
 * player_action's chip accounting, reference §2's state_hash (the expected
 * value computed by CPython's json.dumps and hashlib), and the FELT_CASH_*
 * settings.
 */
#include <check.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "core/pyjson.h"
#include "openpoker.h"
#include "table.h"
#include "wsdconf.h"

static struct table *t;

/* Three seats at 10/20 with 2,000 chips each, hand 1 dealt from a fixed
 * seed (no registry: rendering only reads the table). */
static void setup(void)
{
	static const char *const names[] = { "ann", "bob", "cid" };
	struct hand_config cfg;
	uint8_t seed[DECK_SEED_SIZE];
	int i;

	t = calloc(1, sizeof(*t));
	ck_assert_ptr_nonnull(t);
	strcpy(t->id, "11111111-2222-4333-8444-555555555555");
	t->status = TABLE_RUNNING;
	t->cfg.cash = true;
	t->cfg.max_seats = 6;
	t->cfg.sb_chips = 10;
	t->cfg.bb_chips = 20;
	t->button = -1;
	t->seq = 7;
	memset(&cfg, 0, sizeof(cfg));
	cfg.nseats = 6;
	for (i = 0; i < 3; i++) {
		t->seat[i].occupied = true;
		snprintf(t->seat[i].agent_id, sizeof(t->seat[i].agent_id), "agent-%d", i);
		strcpy(t->seat[i].name, names[i]);
		t->seat[i].stack_chips = 2000;
		cfg.stacks_chips[i] = 2000;
		strcpy(t->hand_agent[i], t->seat[i].agent_id);
	}
	cfg.button = 0;
	cfg.sb_chips = 10;
	cfg.bb_chips = 20;
	memset(seed, 9, sizeof(seed));
	handlog_init(&t->log);
	ck_assert_int_eq(handlog_start(&t->log, &t->hand, &cfg, seed, NULL, 1000), 0);
	t->in_hand = true;
	strcpy(t->turn_token, "tok-1");
}

static void teardown(void)
{
	handlog_free(&t->log);
	free(t);
}

static struct json_object *get(struct json_object *o, const char *k)
{
	struct json_object *v = NULL;

	json_object_object_get_ex(o, k, &v);
	return v;
}

static int64_t geti(struct json_object *o, const char *k)
{
	return json_object_get_int64(get(o, k));
}

static struct json_object *state_for(int seat)
{
	struct conn c;

	memset(&c, 0, sizeof(c));
	c.seat = seat;
	return op_table_state(&c, t, false);
}

START_TEST(each_seat_sees_its_own_cards_only)
{
	int seat, i;

	for (seat = -1; seat < 3; seat++) {
		struct json_object *o = state_for(seat), *hero = get(o, "hero"), *seats;

		ck_assert_str_eq(json_object_get_string(get(o, "street")), "preflop");
		ck_assert_int_eq(geti(o, "pot"), 30);
		ck_assert_int_eq(geti(o, "current_bet"), 20);
		ck_assert_int_eq(geti(o, "actor_seat"), t->hand.to_act);
		seats = get(o, "seats");
		ck_assert_int_eq((int)json_object_array_length(seats), 6);
		for (i = 0; i < 6; i++) {
			struct json_object *s = json_object_array_get_idx(seats, i);

			ck_assert_ptr_null(get(s, "hole_cards"));
			ck_assert_str_eq(json_object_get_string(get(s, "status")),
					 i < 3 ? "playing" : "empty");
		}
		if (seat < 0) {
			ck_assert_ptr_null(hero);
		} else {
			ck_assert_int_eq(geti(hero, "seat"), seat);
			ck_assert_int_eq((int)json_object_array_length(get(hero, "hole_cards")), 2);
			/* valid_actions only on one's own turn */
			ck_assert(!get(hero, "valid_actions") == (seat != t->hand.to_act));
		}
		json_object_put(o);
	}
}
END_TEST

START_TEST(valid_actions_of_the_first_actor)
{
	struct json_object *o = state_for(t->hand.to_act);
	struct json_object *va = get(get(o, "hero"), "valid_actions");
	static const char *const want[] = { "fold", "call", "raise", "all_in" };
	size_t i;

	ck_assert_int_eq((int)json_object_array_length(va), 4);
	for (i = 0; i < 4; i++) {
		struct json_object *a = json_object_array_get_idx(va, i);

		ck_assert_str_eq(json_object_get_string(get(a, "action")), want[i]);
		/* every entry has all four keys */
		ck_assert(json_object_object_get_ex(a, "amount", NULL));
		ck_assert(json_object_object_get_ex(a, "min", NULL));
		ck_assert(json_object_object_get_ex(a, "max", NULL));
	}
	ck_assert_int_eq(geti(json_object_array_get_idx(va, 1), "amount"), 20);
	ck_assert_int_eq(geti(json_object_array_get_idx(va, 2), "min"), 40);
	ck_assert_int_eq(geti(json_object_array_get_idx(va, 2), "max"), 2000);
	ck_assert_int_eq(geti(json_object_array_get_idx(va, 3), "amount"), 2000);
	ck_assert_int_eq(geti(o, "min_raise_to"), 40);
	json_object_put(o);
}
END_TEST

START_TEST(player_action_accounts_for_the_chips)
{
	struct hand_action raise = { .type = HAND_RAISE, .amount_chips = 60 };
	struct hand_action call = { .type = HAND_CALL };
	int utg = t->hand.to_act, sb, n;
	struct json_object *o;

	ck_assert_int_eq(handlog_apply(&t->log, &t->hand, utg, &raise, 2000, false, NULL), 0);
	n = t->log.n - 1;
	o = op_player_action(t, n);
	ck_assert_str_eq(json_object_get_string(get(o, "action")), "raise");
	ck_assert_str_eq(json_object_get_string(get(o, "amount_mode")), "to_total");
	ck_assert_int_eq(geti(o, "amount"), 60);
	ck_assert_int_eq(geti(o, "stack_before"), 2000);
	ck_assert_int_eq(geti(o, "stack_after"), 1940);
	ck_assert_int_eq(geti(o, "contribution_delta"), 60);
	ck_assert_int_eq(geti(o, "pot_before"), 30);
	ck_assert_int_eq(geti(o, "pot_after"), 90);
	ck_assert_int_eq(geti(o, "to_call_before"), 20);
	ck_assert_str_eq(json_object_get_string(get(o, "street")), "preflop");
	json_object_put(o);

	/* The small blind calls 50 more: amount null, incremental. */
	sb = t->hand.to_act;
	ck_assert_int_eq(handlog_apply(&t->log, &t->hand, sb, &call, 3000, false, NULL), 0);
	o = op_player_action(t, t->log.n - 1);
	ck_assert_str_eq(json_object_get_string(get(o, "action")), "call");
	ck_assert_ptr_null(get(o, "amount"));
	ck_assert_str_eq(json_object_get_string(get(o, "amount_mode")), "incremental");
	ck_assert_int_eq(geti(o, "contribution_delta"), 50);
	ck_assert_int_eq(geti(o, "to_call_before"), 50);
	json_object_put(o);
}
END_TEST

START_TEST(state_hash_is_pythons)
{
	/* CPython 3.11: json.dumps(o minus ts/table_seq/hand_seq/state_hash,
	 * sort_keys=True, ensure_ascii=True, separators=(",", ":")), SHA-256. */
	struct json_object *o = json_tokener_parse(
		"{\"type\":\"table_state\",\"ts\":\"2026\",\"table_seq\":5,\"hand_seq\":1,"
		"\"state_hash\":null,\"configured_delay_seconds\":5.0,"
		"\"name\":\"\\u00e9l\\u00e8ve\",\"seats\":[{\"seat\":0,\"stack\":2000}]}");
	char hash[80];

	ck_assert_ptr_nonnull(o);
	ck_assert_int_eq(op_state_hash(o, hash, sizeof(hash)), 0);
	ck_assert_str_eq(hash,
			 "sha256:50d4eac776577e2ccc09f60ed6ffb047e371e362296d0a7ef303df8d4e633f62");
	json_object_put(o);
}
END_TEST

/* c's table_state as op_send_state spells it: one broadcast spells the
 * shared members once; each frame reads as op_table_state's, with its
 * numbers, and hashes as op_state_hash says. */
START_TEST(broadcast_state_frames_are_the_snapshots)
{
	struct conn c;
	int seat, round;
	int64_t last_seq = 0;

	memset(&c, 0, sizeof(c));
	for (round = 0; round < 2; round++) {
		t->frame_caching = round == 1;
		for (seat = -1; seat < 3; seat++) {
			struct json_object *got, *want, *v;
			size_t len;
			char *text, *again, hash[80];

			c.seat = seat;
			text = op_state_text(&c, t, &len);
			ck_assert_ptr_nonnull(text);
			ck_assert_uint_eq(strlen(text), len);
			ck_assert(t->frame_caching == (t->frame_cache != NULL));
			got = json_tokener_parse(text);
			ck_assert_ptr_nonnull(got);
			again = pyjson_dumps(got, NULL);
			ck_assert_str_eq(again, text);
			free(again);
			ck_assert_int_gt(geti(got, "table_seq"), last_seq);
			last_seq = geti(got, "table_seq");
			ck_assert_int_eq(op_state_hash(got, hash, sizeof(hash)), 0);
			ck_assert_str_eq(json_object_get_string(get(got, "state_hash")), hash);
			ck_assert_str_eq(json_object_get_string(get(got, "stream")), "state");
			ck_assert_str_eq(json_object_get_string(get(got, "table_id")), t->id);
			want = state_for(seat);
			ck_assert_int_eq(json_object_object_length(got),
					 json_object_object_length(want) + 7);
			json_object_object_foreach(want, k, w)
			{
				char *a = pyjson_dumps(w, NULL), *b;

				ck_assert(json_object_object_get_ex(got, k, &v));
				b = pyjson_dumps(v, NULL);
				ck_assert_msg(strcmp(a, b) == 0, "seat %d %s: %s, want %s", seat, k,
					      b, a);
				free(a);
				free(b);
			}
			json_object_put(want);
			json_object_put(got);
			free(text);
		}
		op_drop_frame_cache(t);
		t->frame_caching = false;
	}
}
END_TEST

START_TEST(hand_id_is_a_uuid_of_the_commitment)
{
	char id[37], again[37];
	int i;

	op_hand_id(t, id);
	ck_assert_uint_eq(strlen(id), 36);
	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23)
			ck_assert_int_eq(id[i], '-');
		else
			ck_assert_ptr_nonnull(strchr("0123456789abcdef", id[i]));
	}
	ck_assert_int_eq(id[14], '4');
	op_hand_id(t, again);
	ck_assert_str_eq(id, again);
}
END_TEST

START_TEST(cash_settings_defaults_and_refusals)
{
	struct wsdconf cfg;
	const char *bad = NULL;

	unsetenv("FELT_CASH_BLINDS");
	unsetenv("FELT_CASH_BUY_IN");
	ck_assert_int_eq(wsdconf_load(&cfg, &bad), CONFIG_OK);
	ck_assert_int_eq(cfg.cash.chip_ucents, 10);
	ck_assert_int_eq(cfg.cash.sb_chips, 10);
	ck_assert_int_eq(cfg.cash.bb_chips, 20);
	ck_assert_int_eq(cfg.cash.min_buy_in_chips, 1000);
	ck_assert_int_eq(cfg.cash.max_buy_in_chips, 5000);
	ck_assert_int_eq(cfg.cash.seats, 6);
	ck_assert_int_eq(cfg.cash.rake_bp, 500);
	ck_assert_int_eq(cfg.cash.rake_cap_chips, 60);
	setenv("FELT_CASH_BLINDS", "20/10", 1);
	ck_assert_int_ne(wsdconf_load(&cfg, &bad), CONFIG_OK);
	ck_assert_str_eq(bad, "FELT_CASH_BLINDS");
	setenv("FELT_CASH_BLINDS", "5/10", 1);
	setenv("FELT_CASH_BUY_IN", "400-200", 1);
	ck_assert_int_ne(wsdconf_load(&cfg, &bad), CONFIG_OK);
	ck_assert_str_eq(bad, "FELT_CASH_BUY_IN");
	setenv("FELT_CASH_BUY_IN", "200-400", 1);
	ck_assert_int_eq(wsdconf_load(&cfg, &bad), CONFIG_OK);
	ck_assert_int_eq(cfg.cash.rake_cap_chips, 30);
	unsetenv("FELT_CASH_BLINDS");
	unsetenv("FELT_CASH_BUY_IN");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("openpoker");
	TCase *tc = tcase_create("frames");
	TCase *cf = tcase_create("config");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, each_seat_sees_its_own_cards_only);
	tcase_add_test(tc, valid_actions_of_the_first_actor);
	tcase_add_test(tc, player_action_accounts_for_the_chips);
	tcase_add_test(tc, state_hash_is_pythons);
	tcase_add_test(tc, broadcast_state_frames_are_the_snapshots);
	tcase_add_test(tc, hand_id_is_a_uuid_of_the_commitment);
	suite_add_tcase(s, tc);
	tcase_add_test(cf, cash_settings_defaults_and_refusals);
	suite_add_tcase(s, cf);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
