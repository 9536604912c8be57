/*
 * test_moltpoker — MoltPoker's game_state and hand_complete for one viewer,
 * rendered from a real hand: each seat sees its own cards and nobody else's,
 * an observer none, actions and the turn token only on one's turn, toCall
 * always; and felt-wsd's configuration.
 */
#include <check.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "moltpoker.h"
#include "table.h"
#include "wsdconf.h"

static struct table *t;

/* A three-handed table dealing hand 1 from a fixed seed (no registry: the
 * codec only reads the table). */
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
	t->cfg.max_seats = 3;
	t->cfg.sb_chips = 1;
	t->cfg.bb_chips = 2;
	t->cfg.action_timeout_ms = 30000;
	t->button = -1;
	t->seq = 41;
	memset(&cfg, 0, sizeof(cfg));
	cfg.nseats = 3;
	for (i = 0; i < 3; i++) {
		t->seat[i].occupied = true;
		snprintf(t->seat[i].agent_id, sizeof(t->seat[i].agent_id), "agent-%d", i);
		strcpy(t->seat[i].name, names[i]);
		t->seat[i].stack_chips = 100;
		cfg.stacks_chips[i] = 100;
		strcpy(t->hand_agent[i], t->seat[i].agent_id);
	}
	cfg.button = 0;
	cfg.sb_chips = 1;
	cfg.bb_chips = 2;
	memset(seed, 7, sizeof(seed));
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

static struct json_object *state_for(int seat, bool agent)
{
	struct conn c;

	memset(&c, 0, sizeof(c));
	c.seat = seat;
	c.format = agent ? MP_AGENT : MP_ENVELOPE;
	return moltpoker_game_state(&c, t, agent);
}

static struct json_object *get(struct json_object *o, const char *k)
{
	struct json_object *v = NULL;

	json_object_object_get_ex(o, k, &v);
	return v;
}

static bool has(struct json_object *o, const char *k)
{
	return json_object_object_get_ex(o, k, NULL);
}

START_TEST(each_seat_sees_its_own_cards_only)
{
	int viewer, i;

	for (viewer = -1; viewer < 3; viewer++) {
		struct json_object *gs = state_for(viewer, true), *players = get(gs, "players");

		ck_assert_int_eq(json_object_array_length(players), 3);
		for (i = 0; i < 3; i++) {
			struct json_object *p = json_object_array_get_idx(players, (size_t)i);

			ck_assert_int_eq(has(p, "cards"), i == viewer);
			ck_assert_int_eq(json_object_get_int(get(p, "seat")), i);
		}
		ck_assert(has(gs, "toCall"));
		ck_assert_int_eq(has(gs, "actions"), viewer == t->hand.to_act);
		ck_assert_int_eq(has(gs, "turn_token"), viewer == t->hand.to_act);
		ck_assert_str_eq(json_object_get_string(get(gs, "phase")), "preflop");
		ck_assert_int_eq(json_object_get_int(get(gs, "seq")), 41);
		ck_assert_int_eq(json_object_get_int(get(gs, "hand")), 1);
		json_object_put(gs);
	}
}
END_TEST

START_TEST(envelope_payload_nulls_the_hidden_cards)
{
	struct json_object *gs = state_for(1, false), *players = get(gs, "players");
	int i;

	for (i = 0; i < 3; i++) {
		struct json_object *h = get(json_object_array_get_idx(players, (size_t)i), "holeCards");

		ck_assert_int_eq(h != NULL, i == 1);
	}
	ck_assert(has(gs, "legalActions"));
	ck_assert(has(gs, "currentSeat"));
	ck_assert_int_eq(json_object_get_int(get(gs, "toCall")), 1); /* seat 1: small blind */
	json_object_put(gs);
}
END_TEST

START_TEST(actions_in_order_with_amounts)
{
	int seat = t->hand.to_act;
	struct json_object *gs = state_for(seat, true), *a = get(gs, "actions");

	/* Three-handed, button 0: seat 0 acts first preflop facing 2. */
	ck_assert_int_eq(seat, 0);
	ck_assert_int_eq(json_object_array_length(a), 3);
	ck_assert_str_eq(json_object_get_string(get(json_object_array_get_idx(a, 0), "kind")), "fold");
	ck_assert_str_eq(json_object_get_string(get(json_object_array_get_idx(a, 1), "kind")), "call");
	ck_assert_int_eq(json_object_get_int(get(json_object_array_get_idx(a, 1), "min")), 2);
	ck_assert_str_eq(json_object_get_string(get(json_object_array_get_idx(a, 2), "kind")), "raiseTo");
	ck_assert_int_eq(json_object_get_int(get(json_object_array_get_idx(a, 2), "min")), 4);
	ck_assert_int_eq(json_object_get_int(get(json_object_array_get_idx(a, 2), "max")), 100);
	ck_assert_str_eq(json_object_get_string(get(gs, "turn_token")), "tok-1");
	json_object_put(gs);
}
END_TEST

START_TEST(folded_hands_stay_hidden_at_the_end)
{
	struct hand_action fold = { .type = HAND_FOLD };
	struct conn c;
	struct json_object *hc, *r;
	int i;

	/* Seats 0 and 1 fold: seat 2 wins the blinds without a showdown. */
	ck_assert_int_eq(handlog_apply(&t->log, &t->hand, 0, &fold, 2000, false, NULL), 0);
	ck_assert_int_eq(handlog_apply(&t->log, &t->hand, 1, &fold, 3000, false, NULL), 0);
	ck_assert_int_eq(t->hand.phase, HAND_PHASE_DONE);
	memset(&c, 0, sizeof(c));
	c.seat = 0;
	c.format = MP_AGENT;
	hc = moltpoker_hand_complete(&c, t, true);
	ck_assert(!json_object_get_boolean(get(hc, "showdown")));
	r = get(hc, "results");
	for (i = 0; i < 3; i++) {
		struct json_object *x = json_object_array_get_idx(r, (size_t)i);

		ck_assert_int_eq(json_object_array_length(get(x, "cards")), i == 0 ? 2 : 0);
		ck_assert(!has(x, "rank"));
		/* the pot is 1 + 1: the big blind's uncalled chip went back */
		ck_assert_int_eq(json_object_get_int(get(x, "won")), i == 2 ? 2 : 0);
	}
	ck_assert_int_eq(strlen(json_object_get_string(get(hc, "deck_seed"))), 64);
	json_object_put(hc);
	c.seat = -1;
	hc = moltpoker_hand_complete(&c, t, true);
	r = get(hc, "results");
	for (i = 0; i < 3; i++)
		ck_assert_int_eq(json_object_array_length(get(json_object_array_get_idx(r, (size_t)i),
							       "cards")), 0);
	json_object_put(hc);
}
END_TEST

START_TEST(config_defaults_and_refusals)
{
	struct wsdconf cfg;
	const char *bad = NULL;

	unsetenv("FELT_WSD_ADDR");
	unsetenv("FELT_WSD_INSTANCE");
	unsetenv("FELT_WSD_WS_URL");
	setenv("FELT_PUBLIC_URL", "https://poker.example.com/", 1);
	ck_assert_int_eq(wsdconf_load(&cfg, &bad), CONFIG_OK);
	ck_assert_str_eq(cfg.host, "127.0.0.1");
	ck_assert_int_eq(cfg.port, 8081);
	ck_assert_str_eq(cfg.ws_url, "wss://poker.example.com/v1/ws");
	setenv("FELT_WSD_INSTANCE", "east-2", 1);
	ck_assert_int_eq(wsdconf_load(&cfg, &bad), CONFIG_OK);
	ck_assert_str_eq(cfg.ws_url, "wss://poker.example.com/wsd/east-2/v1/ws");
	setenv("FELT_WSD_INSTANCE", "no/slash", 1);
	ck_assert_int_eq(wsdconf_load(&cfg, &bad), CONFIG_ERR_SYNTAX);
	ck_assert_str_eq(bad, "FELT_WSD_INSTANCE");
	unsetenv("FELT_WSD_INSTANCE");
	setenv("FELT_WSD_WS_URL", "ws://x/v1/ws?token=1", 1);
	ck_assert_int_eq(wsdconf_load(&cfg, &bad), CONFIG_ERR_SYNTAX);
	ck_assert_str_eq(bad, "FELT_WSD_WS_URL");
	unsetenv("FELT_WSD_WS_URL");
	setenv("FELT_WSD_ADDR", "127.0.0.1:70000", 1);
	ck_assert_int_eq(wsdconf_load(&cfg, &bad), CONFIG_ERR_RANGE);
	setenv("FELT_WSD_ADDR", "nocolon", 1);
	ck_assert_int_eq(wsdconf_load(&cfg, &bad), CONFIG_ERR_SYNTAX);
	unsetenv("FELT_WSD_ADDR");
	/* A ping needs time to be answered before silence means dead.
	 * (script/test exports its own FELT_WSD_PING_S for the daemons.) */
	unsetenv("FELT_WSD_PING_S");
	unsetenv("FELT_WSD_DEAD_S");
	ck_assert_int_eq(wsdconf_load(&cfg, &bad), CONFIG_OK);
	ck_assert_int_eq(cfg.ping_s, 30);
	ck_assert_int_eq(cfg.dead_s, 75);
	setenv("FELT_WSD_PING_S", "75", 1);
	ck_assert_int_eq(wsdconf_load(&cfg, &bad), CONFIG_ERR_RANGE);
	ck_assert_str_eq(bad, "FELT_WSD_DEAD_S");
	unsetenv("FELT_WSD_PING_S");
	unsetenv("FELT_PUBLIC_URL");
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("moltpoker");
	TCase *tc = tcase_create("render");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, each_seat_sees_its_own_cards_only);
	tcase_add_test(tc, envelope_payload_nulls_the_hidden_cards);
	tcase_add_test(tc, actions_in_order_with_amounts);
	tcase_add_test(tc, folded_hands_stay_hidden_at_the_end);
	suite_add_tcase(s, tc);
	tc = tcase_create("config");
	tcase_add_test(tc, config_defaults_and_refusals);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *r = srunner_create(suite());
	int failed;

	srunner_run_all(r, CK_NORMAL);
	failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
