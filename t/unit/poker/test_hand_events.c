/*
 * Unit tests for the hand's event list (lib/poker/hand.h, "Events"): what is
 * reported and in which order, and the room each call needs, so that a
 * daemon consuming events after every call can never be refused.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "handplay.h"

START_TEST(event_list_reports_actions_in_order)
{
	int64_t st[2] = {1000, 1000};
	struct hand_config c = ht_config(2, 0, st, 5, 10);
	start(&c, NULL, NULL);
	act(0, HAND_RAISE, 30);
	act(1, HAND_CALL, 0);
	static const enum hand_event_type want[] = {
		HAND_EV_SMALL_BLIND, HAND_EV_BIG_BLIND, HAND_EV_HOLE, HAND_EV_HOLE,
		HAND_EV_RAISE, HAND_EV_CALL, HAND_EV_STREET};
	ck_assert_int_eq(H.nevents, 7);
	for (int i = 0; i < 7; i++)
		ck_assert_int_eq(H.events[i].type, want[i]);
	ck_assert_int_eq(H.events[4].amount_chips, 30);
	ck_assert_int_eq(H.events[5].amount_chips, 20);
	ck_assert_int_eq(H.events[5].amount2_chips, 30);
	ck_assert_int_eq(H.events[6].ncards, 3);
	ck_assert_int_eq(H.events[6].street, HAND_FLOP);
	hand_events_clear(&H);
	ck_assert_int_eq(H.nevents, 0);
	ck_assert_int_eq(H.street, HAND_FLOP);
}
END_TEST

/* A heads-up min-raise war, 400 raises deep: a caller that consumes the
 * events after every call never sees HAND_EEVENTS_FULL; one that keeps them
 * all is refused only when fewer than HAND_EVENTS_PER_ACTION slots are free,
 * and the refusal changes nothing. */
START_TEST(event_room_is_per_action)
{
	int64_t st[2] = {1000000, 1000000};
	struct hand_config c = ht_config(2, 0, st, 5, 10);
	struct hand_legal l;
	start(&c, NULL, NULL);
	for (int i = 0; i < 400; i++) {
		hand_events_clear(&H);
		hand_legal(&H, &l);
		act(l.seat, HAND_RAISE, l.min_raise_to_chips);
		ck_assert_int_le(H.nevents, HAND_EVENTS_PER_ACTION);
	}
	ck_assert_int_eq(H.current_bet_chips, 4010);
	ck_assert_int_eq(H.events_base + H.nevents, 4 + 400);

	start(&c, NULL, NULL);
	int err = HAND_OK, raises = 0;
	while (err == HAND_OK) {
		hand_legal(&H, &l);
		struct hand before = H;
		err = try_act(l.seat, HAND_RAISE, l.min_raise_to_chips);
		if (err != HAND_OK)
			ck_assert(memcmp(&before, &H, sizeof H) == 0);
		else
			raises++;
	}
	ck_assert_int_eq(err, HAND_EEVENTS_FULL);
	ck_assert_int_lt(HAND_MAX_EVENTS - H.nevents, HAND_EVENTS_PER_ACTION);
	ck_assert_int_eq(raises, HAND_MAX_EVENTS - HAND_EVENTS_PER_ACTION + 1 - 4);
	hand_events_clear(&H);
	ck_assert_int_eq(H.events_base, HAND_MAX_EVENTS - HAND_EVENTS_PER_ACTION + 1);
	hand_legal(&H, &l);
	act(l.seat, HAND_RAISE, l.min_raise_to_chips);
}
END_TEST

/* The most a settlement can emit: ten players all-in for different amounts,
 * every hand tied on a royal flush board, rake on: nine pots, each split
 * among all its players. */
START_TEST(settle_worst_case_fits)
{
	int64_t st[10];
	for (int i = 0; i < 10; i++)
		st[i] = 100 * (i + 1);
	struct hand_config c = ht_config(10, 9, st, 5, 10);
	c.rake_bp = 100;
	start(&c, NULL, "AsKsQsJsTs");
	struct hand_legal l;
	for (hand_legal(&H, &l); l.seat >= 0; hand_legal(&H, &l))
		act(l.seat, l.can_raise ? HAND_ALLIN : HAND_CALL, 0);
	ck_assert_int_eq(H.phase, HAND_PHASE_SHOWDOWN);
	hand_events_clear(&H);
	struct hand full = H;
	full.nevents = HAND_MAX_EVENTS - HAND_EVENTS_PER_SETTLE + 1;
	struct hand before = full;
	ck_assert_int_eq(hand_settle(&full), HAND_EEVENTS_FULL);
	ck_assert(memcmp(&before, &full, sizeof full) == 0);
	ck_assert_int_eq(hand_settle(&H), HAND_OK);
	ck_assert_int_eq(H.npots, 9);
	/* 10 shows + 9 pots + 9 rakes + (10 + 9 + ... + 2) awards + end */
	ck_assert_int_eq(H.nevents, 10 + 9 + 9 + 54 + 1);
	ck_assert_int_le(H.nevents, HAND_EVENTS_PER_SETTLE);
	int64_t sum = H.rake_chips;
	for (int i = 0; i < 10; i++)
		sum += H.seat[i].stack_chips;
	ck_assert_int_eq(sum, 5500);
}
END_TEST

static Suite *events_suite(void)
{
	Suite *s = suite_create("hand_events");
	TCase *t = tcase_create("events");
	tcase_add_test(t, event_list_reports_actions_in_order);
	tcase_add_test(t, event_room_is_per_action);
	tcase_add_test(t, settle_worst_case_fits);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *r = srunner_create(events_suite());
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
