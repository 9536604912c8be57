/*
 * Unit tests for the end of a hand and what a daemon needs around it
 * (lib/poker/showdown.c, hand_timeout_action, view_event_visible): showdown order,
 * mucking losers, tabling all-in hands, the timeout default, and which events
 * may be sent to everyone.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "handplay.h"
#include "poker/view.h"

/* The seats of the SHOW (or MUCK) events, in order; returns how many. */
static int shown(enum hand_event_type t, int seats[HAND_MAX_SEATS])
{
	int n = 0;
	for (int i = 0; i < H.nevents; i++)
		if (H.events[i].type == t)
			seats[n++] = H.events[i].seat;
	return n;
}

/* Three players, button 2: limp, check to the river. */
static void three_to_the_river(const struct hand_config *c, const char *const *holes,
			       const char *board)
{
	start(c, holes, board);
	act(2, HAND_CALL, 0);
	act(0, HAND_CALL, 0);
	act(1, HAND_CHECK, 0);
	for (int s = HAND_FLOP; s < HAND_RIVER; s++)
		for (int i = 0; i < 3; i++)
			act(i, HAND_CHECK, 0);
	ck_assert_int_eq(H.street, HAND_RIVER);
}

static const int64_t DEEP[3] = {1000, 1000, 1000};

/* TDA: the last aggressor of the final betting round shows first, then
 * clockwise. */
START_TEST(river_aggressor_shows_first)
{
	struct hand_config c = ht_config(3, 2, DEEP, 5, 10);
	int order[HAND_MAX_SEATS], seats[HAND_MAX_SEATS];
	c.show_all = true;
	three_to_the_river(&c, NULL, NULL);
	act(0, HAND_CHECK, 0);
	act(1, HAND_RAISE, 50);
	act(2, HAND_CALL, 0);
	act(0, HAND_CALL, 0);
	ck_assert_int_eq(H.phase, HAND_PHASE_SHOWDOWN);
	ck_assert_int_eq(H.aggressor, 1);
	ck_assert_int_eq(hand_showdown_order(&H, order), 3);
	ck_assert_int_eq(order[0], 1);
	ck_assert_int_eq(order[1], 2);
	ck_assert_int_eq(order[2], 0);
	hand_events_clear(&H);
	ck_assert_int_eq(hand_settle(&H), HAND_OK);
	ck_assert_int_eq(shown(HAND_EV_SHOW, seats), 3);
	ck_assert_int_eq(seats[0], 1);
	ck_assert_int_eq(seats[1], 2);
	ck_assert_int_eq(seats[2], 0);
}
END_TEST

/* No bet on the river: the first seat left of the button shows first, even
 * if someone bet on an earlier street. */
START_TEST(no_river_bet_first_left_of_button_first)
{
	struct hand_config c = ht_config(3, 2, DEEP, 5, 10);
	int order[HAND_MAX_SEATS];
	start(&c, NULL, NULL);
	act(2, HAND_RAISE, 30);
	act(0, HAND_CALL, 0);
	act(1, HAND_CALL, 0);
	ck_assert_int_eq(H.aggressor, -1); /* a new round, no bet yet */
	for (int s = HAND_FLOP; s <= HAND_RIVER; s++)
		for (int i = 0; i < 3; i++)
			act(i, HAND_CHECK, 0);
	ck_assert_int_eq(hand_showdown_order(&H, order), 3);
	ck_assert_int_eq(order[0], 0);
	ck_assert_int_eq(order[1], 1);
	ck_assert_int_eq(order[2], 2);
}
END_TEST

/* Without show_all and with nobody all-in, a hand that cannot beat (or tie)
 * a hand shown before it is mucked unseen; a better or equal one shows. */
START_TEST(beaten_hands_are_mucked_unseen)
{
	struct hand_config c = ht_config(3, 2, DEEP, 5, 10);
	const char *holes[3] = {"KsKh", "7c2d", "AsAd"};
	int seats[HAND_MAX_SEATS];
	three_to_the_river(&c, holes, "3c8d9hJcQd");
	for (int i = 0; i < 3; i++)
		act(i, HAND_CHECK, 0);
	hand_events_clear(&H);
	ck_assert_int_eq(hand_settle(&H), HAND_OK);
	ck_assert_int_eq(shown(HAND_EV_SHOW, seats), 2);
	ck_assert_int_eq(seats[0], 0);
	ck_assert_int_eq(seats[1], 2);
	ck_assert_int_eq(shown(HAND_EV_MUCK, seats), 1);
	ck_assert_int_eq(seats[0], 1);
	ck_assert_int_eq(ht_find_event(&H, HAND_EV_MUCK)->ncards, 0);
	ck_assert(H.seat[1].mucked);
	ck_assert_int_eq(H.won_chips[2], 30);
	ck_assert_int_eq(H.seat[2].stack_chips, 1020);
}
END_TEST

/* A hand that only ties the best shown one still shows, to take its share. */
START_TEST(tying_hand_shows_and_splits)
{
	struct hand_config c = ht_config(3, 2, DEEP, 5, 10);
	const char *holes[3] = {"AsKd", "7c2d", "AhKc"};
	int seats[HAND_MAX_SEATS];
	three_to_the_river(&c, holes, "3c8d9hJcQd");
	for (int i = 0; i < 3; i++)
		act(i, HAND_CHECK, 0);
	ck_assert_int_eq(hand_settle(&H), HAND_OK);
	ck_assert_int_eq(shown(HAND_EV_SHOW, seats), 2);
	ck_assert_int_eq(seats[0], 0);
	ck_assert_int_eq(seats[1], 2);
	ck_assert_int_eq(H.won_chips[0], 15);
	ck_assert_int_eq(H.won_chips[2], 15);
}
END_TEST

/* TDA 16: once someone is all-in and the betting is over, every hand is
 * tabled, losers included. */
START_TEST(all_in_showdown_tables_every_hand)
{
	int64_t st[2] = {100, 100};
	const char *holes[2] = {"AsAd", "7c2d"};
	struct hand_config c = ht_config(2, 0, st, 5, 10);
	int seats[HAND_MAX_SEATS];
	start(&c, holes, "KhQh4s9c3c");
	act(0, HAND_ALLIN, 0);
	act(1, HAND_CALL, 0);
	ck_assert_int_eq(H.aggressor, 0);
	ck_assert_int_eq(hand_settle(&H), HAND_OK);
	ck_assert_int_eq(shown(HAND_EV_SHOW, seats), 2);
	ck_assert_int_eq(seats[0], 0); /* the aggressor */
	ck_assert_int_eq(shown(HAND_EV_MUCK, seats), 0);
}
END_TEST

/* The timeout default: check when it is free, otherwise fold. */
START_TEST(timeout_checks_if_free_else_folds)
{
	struct hand_config c = ht_config(3, 2, DEEP, 5, 10);
	struct hand_action a;
	start(&c, NULL, NULL);
	ck_assert_int_eq(hand_timeout_action(&H, &a), 2);
	ck_assert_int_eq(a.type, HAND_FOLD);
	act(2, HAND_CALL, 0);
	act(0, HAND_CALL, 0);
	ck_assert_int_eq(hand_timeout_action(&H, &a), 1);
	ck_assert_int_eq(a.type, HAND_CHECK); /* the big blind's option */
	ck_assert_int_eq(hand_apply(&H, 1, &a), HAND_OK);
	ck_assert_int_eq(H.street, HAND_FLOP);
	act(0, HAND_RAISE, 10);
	ck_assert_int_eq(hand_timeout_action(&H, &a), 1);
	ck_assert_int_eq(a.type, HAND_FOLD);
	act(1, HAND_FOLD, 0);
	act(2, HAND_FOLD, 0);
	ck_assert_int_eq(H.phase, HAND_PHASE_DONE);
	ck_assert_int_eq(hand_timeout_action(&H, &a), -1);
}
END_TEST

/* Only hole cards are private; cards in public events are the board and
 * the hands shown at showdown, never a mucked or folded hand. */
START_TEST(only_hole_events_are_private)
{
	struct hand_config c = ht_config(3, 2, DEEP, 5, 10);
	const char *holes[3] = {"KsKh", "7c2d", "AsAd"};
	three_to_the_river(&c, holes, "3c8d9hJcQd");
	for (int i = 0; i < 3; i++)
		act(i, HAND_CHECK, 0);
	ck_assert_int_eq(hand_settle(&H), HAND_OK);
	int holes_seen = 0;
	for (int i = 0; i < H.nevents; i++) {
		const struct hand_event *e = &H.events[i];
		if (e->type == HAND_EV_HOLE) {
			ck_assert(!view_event_visible(e, VIEW_SPECTATOR));
			ck_assert(view_event_visible(e, e->seat));
			ck_assert(!view_event_visible(e, (e->seat + 1) % 3));
			holes_seen++;
			continue;
		}
		ck_assert(view_event_visible(e, VIEW_SPECTATOR));
		if (e->ncards > 0)
			ck_assert(e->type == HAND_EV_STREET || e->type == HAND_EV_SHOW);
		if (e->type == HAND_EV_SHOW)
			ck_assert_int_ne(e->seat, 1); /* the mucked loser */
	}
	ck_assert_int_eq(holes_seen, 3);
}
END_TEST

/* A mucked hand never wins, so the last hand left in a side pot cannot
 * muck even while a short all-in is still in the showdown: that pot would
 * have nobody to go to. */
START_TEST(last_hand_in_a_side_pot_cannot_muck)
{
	int64_t st[3] = {50, 1000, 1000};
	struct hand_config c = ht_config(3, 2, st, 5, 10);
	start(&c, NULL, NULL);
	act(2, HAND_CALL, 0);
	act(0, HAND_ALLIN, 0);
	act(1, HAND_CALL, 0);
	act(2, HAND_CALL, 0);
	act(1, HAND_RAISE, 100);
	act(2, HAND_CALL, 0);
	for (int street = 0; street < 2; street++) {
		act(1, HAND_CHECK, 0);
		act(2, HAND_CHECK, 0);
	}
	ck_assert_int_eq(H.phase, HAND_PHASE_SHOWDOWN);
	ck_assert_int_eq(hand_muck(&H, 1), HAND_OK);
	ck_assert_int_eq(hand_muck(&H, 2), HAND_EMUCK_LAST);
	ck_assert(!H.seat[2].mucked);
	ck_assert_int_eq(hand_settle(&H), HAND_OK);
	ck_assert_int_eq(H.npots, 2);
	ck_assert(H.pot_winners[1] == (1u << 2));
	ck_assert_int_ge(H.won_chips[2], 200);
}
END_TEST

static Suite *showdown_suite(void)
{
	Suite *s = suite_create("showdown");
	TCase *t = tcase_create("core");
	tcase_add_test(t, river_aggressor_shows_first);
	tcase_add_test(t, no_river_bet_first_left_of_button_first);
	tcase_add_test(t, beaten_hands_are_mucked_unseen);
	tcase_add_test(t, tying_hand_shows_and_splits);
	tcase_add_test(t, all_in_showdown_tables_every_hand);
	tcase_add_test(t, timeout_checks_if_free_else_folds);
	tcase_add_test(t, only_hole_events_are_private);
	tcase_add_test(t, last_hand_in_a_side_pot_cannot_muck);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *r = srunner_create(showdown_suite());
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
