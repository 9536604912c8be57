/* Unit tests for the hand state machine (lib/poker/hand.c, lib/poker/betting.c). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "handplay.h"

static int count_events(enum hand_event_type t, int seat)
{
	return ht_count_events(&H, t, seat);
}

static const struct hand_event *find_event(enum hand_event_type t)
{
	return ht_find_event(&H, t);
}

START_TEST(heads_up_blinds_and_order_every_street)
{
	int64_t st[2] = {1000, 1000};
	struct hand_config c = ht_config(2, 0, st, 5, 10);
	start(&c, NULL, NULL);
	/* The button posts the small blind and acts first preflop. */
	ck_assert_int_eq(H.sb_seat, 0);
	ck_assert_int_eq(H.bb_seat, 1);
	ck_assert_int_eq(H.seat[0].bet_chips, 5);
	ck_assert_int_eq(H.seat[1].bet_chips, 10);
	ck_assert_int_eq(find_event(HAND_EV_SMALL_BLIND)->seat, 0);
	ck_assert_int_eq(find_event(HAND_EV_BIG_BLIND)->seat, 1);
	ck_assert_int_eq(H.to_act, 0);
	act(0, HAND_CALL, 0);
	ck_assert_int_eq(H.to_act, 1); /* big blind's option */
	act(1, HAND_CHECK, 0);
	/* After the flop the button acts last on every street. */
	for (int street = HAND_FLOP; street <= HAND_RIVER; street++) {
		ck_assert_int_eq(H.street, street);
		ck_assert_int_eq(H.nboard, street == HAND_FLOP ? 3 : street + 2);
		ck_assert_int_eq(H.to_act, 1);
		act(1, HAND_CHECK, 0);
		ck_assert_int_eq(H.to_act, 0);
		act(0, HAND_CHECK, 0);
	}
	ck_assert_int_eq(H.phase, HAND_PHASE_SHOWDOWN);
	ck_assert_int_eq(hand_settle(&H), HAND_OK);
	ck_assert_int_eq(H.phase, HAND_PHASE_DONE);
	ck_assert_int_eq(H.seat[0].stack_chips + H.seat[1].stack_chips, 2000);
}
END_TEST

START_TEST(three_handed_preflop_and_postflop_order)
{
	int64_t st[3] = {1000, 1000, 1000};
	struct hand_config c = ht_config(3, 2, st, 5, 10);
	start(&c, NULL, NULL);
	ck_assert_int_eq(H.sb_seat, 0);
	ck_assert_int_eq(H.bb_seat, 1);
	ck_assert_int_eq(H.to_act, 2); /* after the big blind: the button */
	act(2, HAND_CALL, 0);
	act(0, HAND_CALL, 0);
	act(1, HAND_CHECK, 0);
	ck_assert_int_eq(H.street, HAND_FLOP);
	ck_assert_int_eq(H.to_act, 0); /* first seat left of the button */
}
END_TEST

START_TEST(three_way_all_in_two_side_pots)
{
	/* Button 0 (500) shoves; SB 1 (100) and BB 2 (300) call all-in. */
	int64_t st[3] = {500, 100, 300};
	const char *holes[3] = {"QsQh", "AsAh", "KsKh"};
	struct hand_config c = ht_config(3, 0, st, 5, 10);
	start(&c, holes, "2c7d9hJc3d");
	ck_assert_int_eq(H.to_act, 0);
	act(0, HAND_ALLIN, 0);
	act(1, HAND_ALLIN, 0);
	act(2, HAND_CALL, 0);
	/* Uncalled 200 back to seat 0, board run out, straight to showdown. */
	ck_assert_int_eq(H.phase, HAND_PHASE_SHOWDOWN);
	ck_assert_int_eq(H.nboard, 5);
	const struct hand_event *r = find_event(HAND_EV_RETURN);
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(r->seat, 0);
	ck_assert_int_eq(r->amount_chips, 200);
	ck_assert_int_eq(hand_settle(&H), HAND_OK);
	ck_assert_int_eq(H.npots, 2);
	ck_assert_int_eq(H.pots[0].amount_chips, 300);
	ck_assert_int_eq(H.pots[0].eligible, 0x7);
	ck_assert_int_eq(H.pots[1].amount_chips, 400);
	ck_assert_int_eq(H.pots[1].eligible, 0x5);
	ck_assert_int_eq(H.won_chips[1], 300); /* aces take the main pot */
	ck_assert_int_eq(H.won_chips[2], 400); /* kings the side pot */
	ck_assert_int_eq(H.seat[0].stack_chips, 200);
	ck_assert_int_eq(H.seat[1].stack_chips, 300);
	ck_assert_int_eq(H.seat[2].stack_chips, 400);
	ck_assert_int_eq(count_events(HAND_EV_SHOW, -1), 3);
	ck_assert_int_eq(count_events(HAND_EV_AWARD, -1), 2);
}
END_TEST

START_TEST(split_side_pot_odd_chip)
{
	/* Seat 3 calls all-in for 5 of a 10 blind: main 20, side 15 among
	 * seats 0-2; seats 0 and 1 tie for the side pot, seat 1 is first left
	 * of the button and gets the odd chip. */
	int64_t st[4] = {1000, 1000, 1000, 5};
	const char *holes[4] = {"KdQc", "KcQd", "3c4d", "AsAh"};
	struct hand_config c = ht_config(4, 0, st, 5, 10);
	start(&c, holes, "2s7h9dJs8c");
	ck_assert_int_eq(H.to_act, 3);
	act(3, HAND_CALL, 0);
	ck_assert(H.seat[3].all_in);
	act(0, HAND_CALL, 0);
	act(1, HAND_CALL, 0);
	act(2, HAND_CHECK, 0);
	for (int s = HAND_FLOP; s <= HAND_RIVER; s++) {
		act(1, HAND_CHECK, 0);
		act(2, HAND_CHECK, 0);
		act(0, HAND_CHECK, 0);
	}
	ck_assert_int_eq(hand_settle(&H), HAND_OK);
	ck_assert_int_eq(H.npots, 2);
	ck_assert_int_eq(H.pots[0].amount_chips, 20);
	ck_assert_int_eq(H.pots[1].amount_chips, 15);
	ck_assert_int_eq(H.pots[1].eligible, 0x7);
	ck_assert_int_eq(H.won_chips[3], 20);
	ck_assert_int_eq(H.won_chips[1], 8);
	ck_assert_int_eq(H.won_chips[0], 7);
	ck_assert_int_eq(H.won_chips[2], 0);
	ck_assert_int_eq(H.seat[1].stack_chips, 998);
	ck_assert_int_eq(H.seat[0].stack_chips, 997);
}
END_TEST

/* Four seats with the given stacks, button 0, blinds 5/10: UTG (seat 3)
 * raises to 100, the button calls, the small blind (seat 1) shoves. */
static void utg_raises_small_blind_shoves(const int64_t stacks[4])
{
	struct hand_config c = ht_config(4, 0, stacks, 5, 10);
	start(&c, NULL, NULL);
	act(3, HAND_RAISE, 100);
	act(0, HAND_CALL, 0);
	act(1, HAND_ALLIN, 0);
}

/* UTG raises to 100, the button calls, the SB shoves 150 (short), the BB
 * calls: the raise is not reopened for UTG and the button (TDA 47). */
START_TEST(short_all_in_does_not_reopen)
{
	static const int64_t st[4] = {1000, 150, 1000, 1000};
	struct hand_legal l;
	utg_raises_small_blind_shoves(st);
	ck_assert_int_eq(H.current_bet_chips, 150);
	l = legal_for(2);
	ck_assert(l.can_raise); /* the big blind has not acted yet */
	ck_assert_int_eq(l.min_raise_to_chips, 240);
	act(2, HAND_CALL, 0);
	l = legal_for(3);
	ck_assert(!l.can_raise);
	ck_assert(l.can_call);
	ck_assert_int_eq(l.call_chips, 50);
	struct hand before = H;
	ck_assert_int_eq(try_act(3, HAND_RAISE, 400), HAND_ERAISE_CLOSED);
	ck_assert_int_eq(try_act(3, HAND_ALLIN, 0), HAND_ERAISE_CLOSED);
	ck_assert(memcmp(&before, &H, sizeof H) == 0);
	act(3, HAND_CALL, 0);
	ck_assert_int_eq(try_act(0, HAND_RAISE, 400), HAND_ERAISE_CLOSED);
	act(0, HAND_CALL, 0);
	ck_assert_int_eq(H.street, HAND_FLOP);
}
END_TEST

/* Same start, but two short all-ins add up to a full raise over UTG's bet:
 * the betting is reopened for UTG. */
START_TEST(short_all_ins_adding_to_full_raise_reopen)
{
	static const int64_t st[4] = {1000, 150, 200, 1000};
	struct hand_legal l;
	utg_raises_small_blind_shoves(st);
	act(2, HAND_ALLIN, 0);
	l = legal_for(3);
	ck_assert(l.can_raise);
	ck_assert_int_eq(l.min_raise_to_chips, 290);
	ck_assert_int_eq(try_act(3, HAND_RAISE, 289), HAND_ERAISE_BELOW_MIN);
	act(3, HAND_RAISE, 290);
	/* The button now faces a full raise too. */
	l = legal_for(0);
	ck_assert(l.can_raise);
}
END_TEST

/* TDA 2022 Rule 47, Illustration Example 1, as written: blinds 50/100,
 * post-flop A opens 100, B is all-in for 125, C calls 125, D is all-in for
 * 200, E calls 200.  The short all-ins add up to a full raise (100) over A's
 * bet, so A may raise, at least to 300 (the last full raise, Rule 43); C
 * faces only 75 more since it acted and may not. */
START_TEST(tda_47_example_1_cumulative_short_all_ins)
{
	/* seats 0..4 = A..E, button 4 (E): A is first to act after the flop */
	int64_t st[5] = {5000, 225, 5000, 300, 5000};
	struct hand_config c = ht_config(5, 4, st, 50, 100);
	struct hand_legal l;
	start(&c, NULL, NULL);
	act(2, HAND_CALL, 0);
	act(3, HAND_CALL, 0);
	act(4, HAND_CALL, 0);
	act(0, HAND_CALL, 0);
	act(1, HAND_CHECK, 0);
	ck_assert_int_eq(H.street, HAND_FLOP);
	act(0, HAND_RAISE, 100);
	act(1, HAND_ALLIN, 0);
	ck_assert_int_eq(H.current_bet_chips, 125);
	act(2, HAND_CALL, 0);
	act(3, HAND_ALLIN, 0);
	ck_assert_int_eq(H.current_bet_chips, 200);
	act(4, HAND_CALL, 0);
	l = legal_for(0);
	ck_assert(l.can_raise);
	ck_assert_int_eq(l.min_raise_to_chips, 300);
	act(0, HAND_CALL, 0);
	l = legal_for(2);
	ck_assert(!l.can_raise);
	ck_assert_int_eq(l.call_chips, 75);
}
END_TEST

/* After the flop: a check, then an all-in bet below the minimum bet.  The
 * player who checked has acted and faces less than a full bet: call or fold. */
START_TEST(short_all_in_bet_after_check)
{
	int64_t st[3] = {1000, 1000, 17};
	struct hand_config c = ht_config(3, 0, st, 5, 10);
	struct hand_legal l;
	start(&c, NULL, NULL);
	act(0, HAND_CALL, 0);
	act(1, HAND_CALL, 0);
	act(2, HAND_CHECK, 0);
	act(1, HAND_CHECK, 0);
	act(2, HAND_ALLIN, 0); /* 7 where the minimum bet is 10: short */
	l = legal_for(0);
	ck_assert(l.can_raise); /* has not acted on the flop */
	ck_assert_int_eq(l.min_raise_to_chips, 17);
	act(0, HAND_CALL, 0);
	l = legal_for(1);
	ck_assert(!l.can_raise);
	ck_assert_int_eq(try_act(1, HAND_RAISE, 40), HAND_ERAISE_CLOSED);
}
END_TEST

START_TEST(ante_trimming_returns_an_unmatched_ante)
{
	int64_t st[3] = {1000, 1000, 1000};
	struct hand_config c = ht_config(3, 0, st, 5, 10);
	hand_antes_big_blind(&c, 10);
	c.ante_trimming = true;
	start(&c, NULL, NULL);
	const struct hand_event *r = find_event(HAND_EV_RETURN);
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(r->seat, 2);
	ck_assert_int_eq(r->amount_chips, 10);
	ck_assert_int_eq(H.seat[2].total_chips, 10); /* only the blind */
}
END_TEST

START_TEST(full_raise_reopens)
{
	int64_t st[3] = {1000, 1000, 1000};
	struct hand_config c = ht_config(3, 2, st, 5, 10);
	struct hand_legal l;
	start(&c, NULL, NULL);
	act(2, HAND_RAISE, 30); /* increment 20 */
	hand_legal(&H, &l);
	ck_assert_int_eq(l.min_raise_to_chips, 50);
	act(0, HAND_CALL, 0);
	act(1, HAND_RAISE, 80); /* full raise, increment 50 */
	l = legal_for(2);
	ck_assert(l.can_raise);
	ck_assert_int_eq(l.min_raise_to_chips, 130);
	ck_assert_int_eq(l.max_raise_to_chips, 1000);
}
END_TEST

START_TEST(big_blind_all_in_for_less_than_a_blind)
{
	int64_t st[3] = {1000, 1000, 3};
	struct hand_config c = ht_config(3, 0, st, 5, 10);
	struct hand_legal l;
	start(&c, NULL, NULL);
	ck_assert(H.seat[2].all_in);
	ck_assert_int_eq(H.seat[2].bet_chips, 3);
	/* The bet to call is what was actually put in: the small blind's 5. */
	ck_assert_int_eq(H.current_bet_chips, 5);
	l = legal_for(0);
	ck_assert_int_eq(l.call_chips, 5);
	ck_assert_int_eq(l.min_raise_to_chips, 15);
	act(0, HAND_CALL, 0);
	l = legal_for(1);
	ck_assert(l.can_check);
	act(1, HAND_CHECK, 0);
	ck_assert_int_eq(H.street, HAND_FLOP);
	for (int s = HAND_FLOP; s <= HAND_RIVER; s++) {
		act(1, HAND_CHECK, 0);
		act(0, HAND_CHECK, 0);
	}
	ck_assert_int_eq(hand_settle(&H), HAND_OK);
	ck_assert_int_eq(H.npots, 2);
	ck_assert_int_eq(H.pots[0].amount_chips, 9);
	ck_assert_int_eq(H.pots[0].eligible, 0x7);
	ck_assert_int_eq(H.pots[1].amount_chips, 4);
	ck_assert_int_eq(H.pots[1].eligible, 0x3);
}
END_TEST

START_TEST(everyone_all_in_from_the_blinds)
{
	int64_t st[2] = {5, 8};
	const char *holes[2] = {"AsAd", "7c2d"};
	struct hand_config c = ht_config(2, 0, st, 5, 10);
	start(&c, holes, "KhQh4s9c3c");
	/* Nobody can act: returned excess, run-out, showdown. */
	ck_assert_int_eq(H.phase, HAND_PHASE_SHOWDOWN);
	ck_assert_int_eq(H.nboard, 5);
	ck_assert_int_eq(count_events(HAND_EV_STREET, -1), 3);
	ck_assert_int_eq(find_event(HAND_EV_RETURN)->amount_chips, 3);
	ck_assert_int_eq(find_event(HAND_EV_RETURN)->seat, 1);
	ck_assert_int_eq(hand_settle(&H), HAND_OK);
	ck_assert_int_eq(H.seat[0].stack_chips, 10);
	ck_assert_int_eq(H.seat[1].stack_chips, 3);
}
END_TEST

START_TEST(uncalled_bet_returned_after_fold)
{
	int64_t st[2] = {1000, 1000};
	struct hand_config c = ht_config(2, 0, st, 5, 10);
	start(&c, NULL, NULL);
	act(0, HAND_RAISE, 100);
	act(1, HAND_FOLD, 0);
	ck_assert_int_eq(H.phase, HAND_PHASE_DONE);
	const struct hand_event *r = find_event(HAND_EV_RETURN);
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(r->seat, 0);
	ck_assert_int_eq(r->amount_chips, 90);
	ck_assert_int_eq(H.npots, 1);
	ck_assert_int_eq(H.pots[0].amount_chips, 20);
	ck_assert_int_eq(H.pots[0].eligible, 0x1);
	ck_assert_int_eq(H.seat[0].stack_chips, 1010);
	ck_assert_int_eq(H.seat[1].stack_chips, 990);
	ck_assert_int_eq(count_events(HAND_EV_SHOW, -1), 0); /* nothing revealed */
	ck_assert_int_eq(H.rake_chips, 0);
}
END_TEST

START_TEST(illegal_actions_refused_precisely)
{
	int64_t st[2] = {1000, 1000};
	struct hand_config c = ht_config(2, 0, st, 5, 10);
	start(&c, NULL, NULL);
	struct hand before = H;
	ck_assert_int_eq(try_act(1, HAND_CALL, 0), HAND_ENOT_YOUR_TURN);
	ck_assert_int_eq(try_act(0, HAND_CHECK, 0), HAND_ECHECK_FACING_BET);
	ck_assert_int_eq(try_act(0, HAND_RAISE, 15), HAND_ERAISE_BELOW_MIN);
	ck_assert_int_eq(try_act(0, HAND_RAISE, 10), HAND_ERAISE_BELOW_MIN);
	ck_assert_int_eq(try_act(0, HAND_RAISE, 1001), HAND_ERAISE_ABOVE_STACK);
	ck_assert_int_eq(try_act(0, (enum hand_action_type)99, 0), HAND_EACTION);
	ck_assert_int_eq(try_act(7, HAND_FOLD, 0), HAND_ESEAT);
	ck_assert_int_eq(try_act(-1, HAND_FOLD, 0), HAND_ESEAT);
	ck_assert_int_eq(hand_settle(&H), HAND_EPHASE);
	ck_assert_int_eq(hand_muck(&H, 0), HAND_EPHASE);
	ck_assert(memcmp(&before, &H, sizeof H) == 0);
	act(0, HAND_CALL, 0);
	ck_assert_int_eq(try_act(1, HAND_CALL, 0), HAND_ENOTHING_TO_CALL);
	act(1, HAND_FOLD, 0);
	ck_assert_int_eq(H.phase, HAND_PHASE_DONE);
	ck_assert_int_eq(try_act(0, HAND_CHECK, 0), HAND_EPHASE);
	ck_assert_str_eq(hand_strerror(HAND_ERAISE_CLOSED),
			 "raise not allowed: betting was not reopened");
}
END_TEST

START_TEST(no_raise_against_all_in_opponents)
{
	/* The big blind is all-in for 8: the button can only call or fold. */
	int64_t st[2] = {1000, 8};
	struct hand_config c = ht_config(2, 0, st, 5, 10);
	struct hand_legal l;
	start(&c, NULL, NULL);
	l = legal_for(0);
	ck_assert(!l.can_raise);
	ck_assert_int_eq(l.call_chips, 3);
	ck_assert_int_eq(try_act(0, HAND_RAISE, 100), HAND_ERAISE_NO_OPPONENT);
	act(0, HAND_CALL, 0);
	ck_assert_int_eq(H.phase, HAND_PHASE_SHOWDOWN);
}
END_TEST

START_TEST(rake_no_flop_no_drop_and_cap)
{
	int64_t st[3] = {1000, 1000, 1000};
	struct hand_config c = ht_config(3, 2, st, 5, 10);
	c.rake_bp = 500;
	c.rake_cap_chips = 30;
	start(&c, NULL, NULL);
	act(2, HAND_RAISE, 30);
	act(0, HAND_FOLD, 0);
	act(1, HAND_FOLD, 0);
	ck_assert_int_eq(H.rake_chips, 0); /* no flop, no drop */
	ck_assert_int_eq(H.seat[2].stack_chips, 1015);

	start(&c, NULL, NULL);
	act(2, HAND_RAISE, 300);
	act(0, HAND_CALL, 0);
	act(1, HAND_CALL, 0);
	act(0, HAND_RAISE, 100);
	act(1, HAND_FOLD, 0);
	act(2, HAND_FOLD, 0);
	/* 900 in the pot: 5% is 45, capped at 30. */
	ck_assert_int_eq(H.pots[0].amount_chips, 900);
	ck_assert_int_eq(H.rake_chips, 30);
	ck_assert_int_eq(H.won_chips[0], 870);
	ck_assert_int_eq(find_event(HAND_EV_RAKE)->amount_chips, 30);
	int64_t sum = H.rake_chips;
	for (int i = 0; i < 3; i++)
		sum += H.seat[i].stack_chips;
	ck_assert_int_eq(sum, 3000);
}
END_TEST

START_TEST(antes_uniform_short_and_big_blind)
{
	int64_t st[3] = {1000, 1000, 4};
	struct hand_config c = ht_config(3, 0, st, 5, 10);
	hand_antes_uniform(&c, 5);
	start(&c, NULL, NULL);
	ck_assert_int_eq(count_events(HAND_EV_ANTE, -1), 3);
	ck_assert(H.seat[2].all_in); /* all-in on the ante, posts no blind */
	ck_assert_int_eq(H.seat[2].total_chips, 4);
	ck_assert_int_eq(count_events(HAND_EV_BIG_BLIND, -1), 0);

	int64_t st2[4] = {1000, 1000, 1000, 1000};
	struct hand_config b = ht_config(4, 1, st2, 5, 10);
	hand_antes_big_blind(&b, 10);
	ck_assert_int_eq(b.antes_chips[3], 10);
	ck_assert_int_eq(b.antes_chips[0] + b.antes_chips[1] + b.antes_chips[2], 0);
	start(&b, NULL, NULL);
	ck_assert_int_eq(H.seat[3].total_chips, 20);
	ck_assert_int_eq(H.current_bet_chips, 10); /* the ante is not a bet */
}
END_TEST

START_TEST(muck_at_showdown)
{
	int64_t st[2] = {100, 100};
	const char *holes[2] = {"AsAd", "7c2d"};
	struct hand_config c = ht_config(2, 0, st, 5, 10);
	start(&c, holes, "KhQh4s9c3c");
	act(0, HAND_ALLIN, 0);
	act(1, HAND_CALL, 0);
	ck_assert_int_eq(H.phase, HAND_PHASE_SHOWDOWN);
	ck_assert_int_eq(hand_muck(&H, 0), HAND_OK);
	ck_assert_int_eq(hand_muck(&H, 1), HAND_EMUCK_LAST);
	ck_assert_int_eq(hand_muck(&H, 0), HAND_ESEAT);
	ck_assert_int_eq(hand_settle(&H), HAND_OK);
	ck_assert_int_eq(H.seat[1].stack_chips, 200); /* the aces gave up */
	ck_assert_int_eq(count_events(HAND_EV_SHOW, 0), 0);
}
END_TEST

START_TEST(button_moves_among_seats_with_chips)
{
	int64_t st[6] = {100, 0, 50, 0, 0, 20};
	ck_assert_int_eq(hand_next_button(st, 6, 0), 2);
	ck_assert_int_eq(hand_next_button(st, 6, 2), 5);
	ck_assert_int_eq(hand_next_button(st, 6, 5), 0);
	ck_assert_int_eq(hand_next_button(st, 6, -1), 0);
	int64_t none[2] = {0, 0};
	ck_assert_int_eq(hand_next_button(none, 2, 0), -1);
	/* Empty seats are skipped when placing the blinds. */
	struct hand_config c = ht_config(6, 0, st, 5, 10);
	int sb, bb;
	ck_assert_int_eq(hand_blind_seats(&c, &sb, &bb), HAND_OK);
	ck_assert_int_eq(sb, 2);
	ck_assert_int_eq(bb, 5);
}
END_TEST

START_TEST(bad_configs_refused)
{
	int64_t st[3] = {100, 0, 0};
	struct hand_config c = ht_config(3, 0, st, 5, 10);
	struct deck d;
	ht_deck(&d, &c, NULL, NULL);
	ck_assert_int_eq(hand_start(&H, &c, &d), HAND_ECONFIG); /* one player */
	st[1] = 100;
	c = ht_config(3, 2, st, 5, 10);
	ck_assert_int_eq(hand_start(&H, &c, &d), HAND_ECONFIG); /* empty button seat */
	c = ht_config(3, 0, st, 5, 10);
	d.cards[1] = d.cards[0];
	ck_assert_int_eq(hand_start(&H, &c, &d), HAND_ECONFIG); /* card twice */
	ht_deck(&d, &c, NULL, NULL);
	d.next = 45;
	ck_assert_int_eq(hand_start(&H, &c, &d), HAND_ECONFIG); /* too few cards */
	ht_deck(&d, &c, NULL, NULL);
	c.stacks_chips[0] = HAND_MAX_CHIPS + 1;
	ck_assert_int_eq(hand_start(&H, &c, &d), HAND_ECONFIG); /* could overflow sums */
	c.stacks_chips[0] = HAND_MAX_CHIPS;
	ck_assert_int_eq(hand_start(&H, &c, &d), HAND_OK);
}
END_TEST

static Suite *hand_suite(void)
{
	Suite *s = suite_create("hand");
	TCase *t = tcase_create("rules");
	tcase_add_test(t, heads_up_blinds_and_order_every_street);
	tcase_add_test(t, three_handed_preflop_and_postflop_order);
	tcase_add_test(t, three_way_all_in_two_side_pots);
	tcase_add_test(t, split_side_pot_odd_chip);
	tcase_add_test(t, short_all_in_does_not_reopen);
	tcase_add_test(t, short_all_ins_adding_to_full_raise_reopen);
	tcase_add_test(t, tda_47_example_1_cumulative_short_all_ins);
	tcase_add_test(t, short_all_in_bet_after_check);
	tcase_add_test(t, ante_trimming_returns_an_unmatched_ante);
	tcase_add_test(t, full_raise_reopens);
	tcase_add_test(t, big_blind_all_in_for_less_than_a_blind);
	tcase_add_test(t, everyone_all_in_from_the_blinds);
	tcase_add_test(t, uncalled_bet_returned_after_fold);
	tcase_add_test(t, illegal_actions_refused_precisely);
	tcase_add_test(t, no_raise_against_all_in_opponents);
	tcase_add_test(t, rake_no_flop_no_drop_and_cap);
	tcase_add_test(t, antes_uniform_short_and_big_blind);
	tcase_add_test(t, muck_at_showdown);
	tcase_add_test(t, button_moves_among_seats_with_chips);
	tcase_add_test(t, bad_configs_refused);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *r = srunner_create(hand_suite());
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
