/*
 * Unit tests for cgi/history: what a viewer may read of a hand's log (its
 * own cards and the shown ones, never a folded hand), the action list in
 * Open Poker's terms, amounts in chips or dollars, the active-game body,
 * PHH file names and PHH text per viewer.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "../poker/handtest.h"
#include "history.h"
#include "poker/view.h"

static struct hand H;
static struct handlog LOG;

static void act(int seat, enum hand_action_type t, int64_t amount)
{
	struct hand_action a = { t, amount };

	ck_assert_int_eq(handlog_apply(&LOG, &H, seat, &a, 2000, false, NULL), 0);
}

/*
 * Three seats, button 0: seat 0 (AsAd) raises to 30, seat 1 (KcKd) calls,
 * seat 2 (7h2c) folds; checked down to a showdown seat 0 wins.
 */
static void three_handed(void)
{
	static const char *const holes[] = { "AsAd", "KcKd", "7h2c" };
	int64_t stacks[3] = { 1000, 1000, 1000 };
	struct hand_config c = ht_config(3, 0, stacks, 5, 10);
	struct deck d;

	ht_deck(&d, &c, holes, "2d5s9hJcQd");
	handlog_init(&LOG);
	ck_assert_int_eq(handlog_start_deck(&LOG, &H, &c, &d, 1000), 0);
	act(0, HAND_RAISE, 30);
	act(1, HAND_CALL, 0);
	act(2, HAND_FOLD, 0);
	for (int street = 0; street < 3; street++) {
		act(1, HAND_CHECK, 0);
		act(0, HAND_CHECK, 0);
	}
	ck_assert_int_eq(H.phase, HAND_PHASE_SHOWDOWN);
	ck_assert_int_eq(handlog_settle(&LOG, &H, 3000), 0);
}

static struct json_object *entry_for(int viewer)
{
	struct json_object *names = json_tokener_parse("{\"0\": \"alice\", \"1\": \"bob\"}");
	struct json_object *e = json_object_new_object();

	ck_assert_int_eq(history_hand_log_json(&LOG, viewer, names, e), HISTORY_OK);
	json_object_put(names);
	return e;
}

static const char *member(struct json_object *o, const char *key)
{
	struct json_object *v;

	ck_assert_msg(json_object_object_get_ex(o, key, &v), "no %s", key);
	return json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN);
}

START_TEST(a_seat_sees_its_own_and_the_shown_cards_only)
{
	three_handed();
	for (int viewer = 0; viewer < 3; viewer++) {
		struct json_object *e = entry_for(viewer);
		const char *text = json_object_to_json_string_ext(e, JSON_C_TO_STRING_PLAIN);
		static const char *const own[] = { "[\"As\",\"Ad\"]", "[\"Kc\",\"Kd\"]",
						   "[\"7h\",\"2c\"]" };

		ck_assert_str_eq(member(e, "hole_cards"), own[viewer]);
		ck_assert_str_eq(member(e, "board"), "[\"2d\",\"5s\",\"9h\",\"Jc\",\"Qd\"]");
		ck_assert_str_eq(member(e, "num_players"), "3");
		/* The winner showed; the folded hand is nobody else's business. */
		ck_assert_ptr_nonnull(strstr(member(e, "shown_cards"), "\"0\":[\"As\",\"Ad\"]"));
		ck_assert_ptr_null(strstr(member(e, "shown_cards"), "\"2\""));
		if (viewer != 2) {
			ck_assert_ptr_null(strstr(text, "\"7h\""));
			ck_assert_ptr_null(strstr(text, "\"2c\""));
		}
		if (viewer == 2 && !strstr(member(e, "shown_cards"), "\"1\""))
			ck_assert_ptr_null(strstr(text, "\"Kc\""));
		json_object_put(e);
	}
	handlog_free(&LOG);
}
END_TEST

START_TEST(actions_winners_and_the_platform)
{
	struct json_object *e;

	three_handed();
	e = entry_for(1);
	ck_assert_str_eq(member(e, "actions"),
		"[{\"seat\":0,\"action\":\"raise\",\"amount\":30,\"street\":\"preflop\"},"
		"{\"seat\":1,\"action\":\"call\",\"amount\":null,\"street\":\"preflop\"},"
		"{\"seat\":2,\"action\":\"fold\",\"amount\":null,\"street\":\"preflop\"},"
		"{\"seat\":1,\"action\":\"check\",\"amount\":null,\"street\":\"flop\"},"
		"{\"seat\":0,\"action\":\"check\",\"amount\":null,\"street\":\"flop\"},"
		"{\"seat\":1,\"action\":\"check\",\"amount\":null,\"street\":\"turn\"},"
		"{\"seat\":0,\"action\":\"check\",\"amount\":null,\"street\":\"turn\"},"
		"{\"seat\":1,\"action\":\"check\",\"amount\":null,\"street\":\"river\"},"
		"{\"seat\":0,\"action\":\"check\",\"amount\":null,\"street\":\"river\"}]");
	ck_assert_str_eq(member(e, "winners"), "[{\"seat\":0,\"name\":\"alice\",\"amount\":70}]");
	json_object_put(e);
	/* The platform is no seat: no hole_cards of its own, and in a history
	 * entry only the shown hands (PHH gives it every card). */
	e = entry_for(VIEW_PLATFORM);
	ck_assert_str_eq(member(e, "hole_cards"), "null");
	ck_assert_ptr_null(strstr(member(e, "shown_cards"), "\"2\""));
	json_object_put(e);
	handlog_free(&LOG);
}
END_TEST

START_TEST(all_ins_carry_the_total_bet)
{
	int64_t stacks[2] = { 1000, 500 };
	struct hand_config c = ht_config(2, 0, stacks, 5, 10);
	struct json_object *e;
	struct deck d;

	ht_deck(&d, &c, NULL, NULL);
	handlog_init(&LOG);
	ck_assert_int_eq(handlog_start_deck(&LOG, &H, &c, &d, 1000), 0);
	act(0, HAND_ALLIN, 0);
	act(1, HAND_CALL, 0);
	if (H.phase == HAND_PHASE_SHOWDOWN)
		ck_assert_int_eq(handlog_settle(&LOG, &H, 3000), 0);
	e = entry_for(0);
	ck_assert_str_eq(member(e, "actions"),
		"[{\"seat\":0,\"action\":\"all_in\",\"amount\":1000,\"street\":\"preflop\"},"
		"{\"seat\":1,\"action\":\"all_in\",\"amount\":500,\"street\":\"preflop\"}]");
	json_object_put(e);
	handlog_free(&LOG);
}
END_TEST

START_TEST(amounts_in_chips_or_dollars)
{
	struct json_object *o = json_object_new_object();

	history_add_amount(o, "stack", 1005, 0);
	history_add_amount(o, "money", 1005, 10);
	history_add_amount(o, "loss", -20, 10);
	history_add_amount(o, "huge", INT64_MAX / 2, 10);
	ck_assert_str_eq(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN),
		"{\"stack_chips\":1005,\"stack\":1005,"
		"\"money_chips\":1005,\"money\":1.005,\"money_ucents\":10050,"
		"\"loss_chips\":-20,\"loss\":-0.02,\"loss_ucents\":-200,"
		"\"huge_chips\":4611686018427387903,\"huge\":null,\"huge_ucents\":null}");
	json_object_put(o);
}
END_TEST

START_TEST(active_game_bodies)
{
	struct json_object *o = history_active_game_json(NULL, 0, 0, 0);

	ck_assert_str_eq(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN),
		"{\"playing\":false,\"table_id\":null,\"seat\":null,\"stack_cents\":null,"
		"\"stack_ucents\":null,\"stack\":null}");
	json_object_put(o);
	o = history_active_game_json("t1", 0, 300, 0);
	ck_assert_str_eq(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN),
		"{\"playing\":true,\"table_id\":\"t1\",\"seat\":0,\"stack_cents\":null,"
		"\"stack_ucents\":null,\"stack\":300}");
	json_object_put(o);
	/* 1,005 chips at 10 ucents: 100.5 cents, 100 whole ones. */
	o = history_active_game_json("t2", 5, 1005, 10);
	ck_assert_str_eq(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN),
		"{\"playing\":true,\"table_id\":\"t2\",\"seat\":5,\"stack_cents\":100,"
		"\"stack_ucents\":10050,\"stack\":1005}");
	json_object_put(o);
}
END_TEST

START_TEST(phh_file_names)
{
	char id[HISTORY_ID_SIZE];

	ck_assert(history_phh_file_id("0a1b2c3d-4e5f-6789-abcd-ef0123456789.phh", id));
	ck_assert_str_eq(id, "0a1b2c3d-4e5f-6789-abcd-ef0123456789");
	ck_assert(history_phh_file_id("0A1B2C3D-4E5F-6789-ABCD-EF0123456789.phh", id));
	ck_assert_str_eq(id, "0a1b2c3d-4e5f-6789-abcd-ef0123456789");
	ck_assert(!history_phh_file_id("0a1b2c3d-4e5f-6789-abcd-ef0123456789", id));
	ck_assert(!history_phh_file_id("0a1b2c3d-4e5f-6789-abcd-ef0123456789.PHH", id));
	ck_assert(!history_phh_file_id("0a1b2c3d-4e5f-6789-abcd-ef0123456789.phhs", id));
	ck_assert(!history_phh_file_id("0a1b2c3d4e5f-6789-abcd-ef0123456789-.phh", id));
	ck_assert(!history_phh_file_id("0a1b2c3d-4e5f-6789-abcd-ef012345678g.phh", id));
	ck_assert(!history_phh_file_id("", id));
	ck_assert(!history_phh_file_id(".phh", id));
}
END_TEST

START_TEST(phh_text_per_viewer)
{
	struct handlog empty;
	char *text;
	size_t len;

	three_handed();
	ck_assert_int_eq(history_phh_text(&LOG, 1, "felt hand x", &text, &len), HISTORY_OK);
	ck_assert_uint_eq(strlen(text), len);
	ck_assert_ptr_eq(strstr(text, "# felt hand x\nvariant = 'NT'\n"), text);
	ck_assert_ptr_nonnull(strstr(text, "KcKd"));
	ck_assert_ptr_nonnull(strstr(text, "AsAd"));     /* shown */
	ck_assert_ptr_null(strstr(text, "7h"));           /* folded */
	ck_assert_ptr_nonnull(strstr(text, "????"));
	ck_assert_ptr_nonnull(strstr(text, "finishing_stacks = "));
	free(text);
	ck_assert_int_eq(history_phh_text(&LOG, VIEW_PLATFORM, NULL, &text, &len), HISTORY_OK);
	ck_assert_ptr_eq(strstr(text, "variant = 'NT'\n"), text);
	ck_assert_ptr_nonnull(strstr(text, "7h2c"));
	ck_assert_ptr_null(strstr(text, "??"));
	free(text);
	handlog_free(&LOG);
	handlog_init(&empty);
	ck_assert_int_eq(history_phh_text(&empty, VIEW_PLATFORM, NULL, &text, &len), HISTORY_ELOG);
	ck_assert_ptr_null(text);
}
END_TEST

static Suite *history_suite(void)
{
	Suite *s = suite_create("history");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, a_seat_sees_its_own_and_the_shown_cards_only);
	tcase_add_test(tc, actions_winners_and_the_platform);
	tcase_add_test(tc, all_ins_carry_the_total_bet);
	tcase_add_test(tc, amounts_in_chips_or_dollars);
	tcase_add_test(tc, active_game_bodies);
	tcase_add_test(tc, phh_file_names);
	tcase_add_test(tc, phh_text_per_viewer);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(history_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
