/*
 * Unit tests for lib/money/settle: a finished hand's ledger legs.  Side
 * pots, split pots, odd ucents, the rake cap, no flop no drop, overflow,
 * and a property test over random hands: the legs of each txn sum to zero
 * and each seat's legs add up to its net times the chip value.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "../poker/handplay.h"
#include "money/settle.h"

#define REQUIRE(c) \
	do { \
		if (!(c)) \
			ck_abort_msg("%s:%d: %s", __FILE__, __LINE__, #c); \
	} while (0)

static const int64_t ACCOUNT[HAND_MAX_SEATS] = {100, 101, 102, 103, 104, 105, 106, 107, 108, 109};
#define RAKE_ACCOUNT 7

static struct settle S;
static struct ledger_entry L[SETTLE_MAX_LEGS];

static int64_t sum_legs(int n)
{
	int64_t sum = 0;
	for (int i = 0; i < n; i++)
		sum += L[i].amount_ucents;
	return sum;
}

/* Play to the showdown checking every street. */
static void check_down(void)
{
	struct hand_legal l;
	for (hand_legal(&H, &l); l.seat >= 0; hand_legal(&H, &l))
		act(l.seat, l.can_check ? HAND_CHECK : HAND_CALL, 0);
	if (H.phase == HAND_PHASE_SHOWDOWN)
		ck_assert_int_eq(hand_settle(&H), HAND_OK);
	ck_assert_int_eq(H.phase, HAND_PHASE_DONE);
}

START_TEST(play_chips_move_nothing)
{
	int64_t st[2] = {1000, 1000};
	struct hand_config c = ht_config(2, 0, st, 5, 10);
	start(&c, NULL, NULL);
	act(0, HAND_RAISE, 30);
	act(1, HAND_FOLD, 0);
	ck_assert_int_eq(settle_hand(&H, 0, &S), SETTLE_OK);
	ck_assert_int_eq(S.net_chips[0], 10);
	ck_assert_int_eq(S.net_chips[1], -10);
	ck_assert_int_eq(settle_hand_legs(&S, ACCOUNT, L), 0);
	ck_assert_int_eq(settle_rake_legs(&S, ACCOUNT, RAKE_ACCOUNT, L), 0);
}
END_TEST

START_TEST(winner_takes_from_loser)
{
	int64_t st[2] = {1000, 1000};
	struct hand_config c = ht_config(2, 0, st, 5, 10);
	c.rake_bp = 500; /* no flop, no drop */
	start(&c, NULL, NULL);
	act(0, HAND_RAISE, 30);
	act(1, HAND_FOLD, 0);
	ck_assert_int_eq(settle_hand(&H, 10, &S), SETTLE_OK);
	ck_assert_int_eq(settle_hand_legs(&S, ACCOUNT, L), 2);
	ck_assert_int_eq(L[0].account_id, 100);
	ck_assert_int_eq(L[0].amount_ucents, 100);
	ck_assert_int_eq(L[1].account_id, 101);
	ck_assert_int_eq(L[1].amount_ucents, -100);
	ck_assert_int_eq(S.rake_chips, 0);
	ck_assert_int_eq(settle_rake_legs(&S, ACCOUNT, RAKE_ACCOUNT, L), 0);
}
END_TEST

/* Three all-in for different amounts: the main pot's rake is charged to
 * its winner, the side pot's to the side pot's. */
START_TEST(side_pot_rake_to_each_pots_winner)
{
	int64_t st[3] = {100, 300, 300};
	struct hand_config c = ht_config(3, 2, st, 5, 10);
	c.rake_bp = 500;
	const char *holes[3] = {"AsAd", "KsKd", "2c7d"};
	start(&c, holes, "3h8c9dJsQh");
	act(2, HAND_ALLIN, 0);
	act(0, HAND_CALL, 0);
	act(1, HAND_CALL, 0);
	check_down();
	/* main 300 (all three), side 400 (seats 1 and 2); rake 35:
	 * 15 from the main pot, 20 from the side pot */
	ck_assert_int_eq(H.npots, 2);
	ck_assert_int_eq(H.pot_rake_chips[0], 15);
	ck_assert_int_eq(H.pot_rake_chips[1], 20);
	ck_assert_int_eq(settle_hand(&H, 10, &S), SETTLE_OK);
	ck_assert_int_eq(S.net_chips[0], 300 - 15 - 100);
	ck_assert_int_eq(S.net_chips[1], 400 - 20 - 300);
	ck_assert_int_eq(S.net_chips[2], -300);
	ck_assert_int_eq(S.rake_ucents[0], 150);
	ck_assert_int_eq(S.rake_ucents[1], 200);
	ck_assert_int_eq(S.rake_ucents[2], 0);
	ck_assert_int_eq(S.rake_total_ucents, 350);
	ck_assert_int_eq(S.hand_ucents[0], 2000);
	ck_assert_int_eq(S.hand_ucents[1], 1000);
	ck_assert_int_eq(S.hand_ucents[2], -3000);
	int n = settle_hand_legs(&S, ACCOUNT, L);
	ck_assert_int_eq(n, 3);
	ck_assert_int_eq(sum_legs(n), 0);
	n = settle_rake_legs(&S, ACCOUNT, RAKE_ACCOUNT, L);
	ck_assert_int_eq(n, 3);
	ck_assert_int_eq(sum_legs(n), 0);
	ck_assert_int_eq(L[0].account_id, 100);
	ck_assert_int_eq(L[0].amount_ucents, -150);
	ck_assert_int_eq(L[1].amount_ucents, -200);
	ck_assert_int_eq(L[2].account_id, RAKE_ACCOUNT);
	ck_assert_int_eq(L[2].amount_ucents, 350);
}
END_TEST

/* A chopped pot with one chip of rake at 7 ucents a chip: the odd ucent
 * goes to the first seat left of the button, as the odd chip does. */
START_TEST(split_pot_odd_ucents)
{
	int64_t st[2] = {1000, 1000};
	struct hand_config c = ht_config(2, 0, st, 5, 10);
	c.rake_bp = 500;
	start(&c, NULL, "AsKsQsJsTs");
	check_down();
	ck_assert_int_eq(H.rake_chips, 1);
	ck_assert_int_eq(H.pot_winners[0], 0x3);
	ck_assert_int_eq(settle_hand(&H, 7, &S), SETTLE_OK);
	/* 19 chips split 10 / 9: seat 1 (left of the button) gets the odd one. */
	ck_assert_int_eq(S.net_chips[1], 0);
	ck_assert_int_eq(S.net_chips[0], -1);
	ck_assert_int_eq(S.rake_ucents[1], 4);
	ck_assert_int_eq(S.rake_ucents[0], 3);
	ck_assert_int_eq(S.hand_ucents[1], 4);
	ck_assert_int_eq(S.hand_ucents[0], -4);
	ck_assert_int_eq(settle_rake_legs(&S, ACCOUNT, RAKE_ACCOUNT, L), 3);
	ck_assert_int_eq(L[2].amount_ucents, 7);
}
END_TEST

START_TEST(rake_cap)
{
	int64_t st[2] = {1000, 1000};
	struct hand_config c = ht_config(2, 0, st, 5, 10);
	c.rake_bp = 500;
	c.rake_cap_chips = 3;
	const char *holes[2] = {"AsAd", "2c7d"};
	start(&c, holes, "3h8c9dJsQh");
	act(0, HAND_RAISE, 500);
	act(1, HAND_CALL, 0);
	check_down();
	ck_assert_int_eq(H.rake_chips, 3);
	ck_assert_int_eq(settle_hand(&H, 100, &S), SETTLE_OK);
	ck_assert_int_eq(S.rake_total_ucents, 300);
	ck_assert_int_eq(S.rake_ucents[0], 300);
	ck_assert_int_eq(S.hand_ucents[0], 50000);
	ck_assert_int_eq(S.hand_ucents[1], -50000);
	ck_assert_int_eq(S.net_chips[0], 497);
}
END_TEST

START_TEST(refusals)
{
	int64_t st[2] = {HAND_MAX_CHIPS, HAND_MAX_CHIPS};
	struct hand_config c = ht_config(2, 0, st, 5, 10);
	const char *holes[2] = {"AsAd", "2c7d"};
	start(&c, holes, "3h8c9dJsQh");
	ck_assert_int_eq(settle_hand(&H, 10, &S), SETTLE_EPHASE);
	act(0, HAND_ALLIN, 0);
	act(1, HAND_CALL, 0);
	check_down();
	/* 1e15 chips won at 1e3 ucents a chip fit in int64; at 1e4 they do not. */
	ck_assert_int_eq(settle_hand(&H, 1000, &S), SETTLE_OK);
	ck_assert_int_eq(S.hand_ucents[0], HAND_MAX_CHIPS * 1000);
	ck_assert_int_eq(settle_hand(&H, 10000, &S), SETTLE_EOVERFLOW);
	ck_assert_int_eq(S.nseats, 0);
	ck_assert_int_eq(S.hand_ucents[0], 0);
	ck_assert_int_eq(settle_hand(&H, -1, &S), SETTLE_EINVAL);
	/* A hand whose chips do not add up is refused, not settled. */
	H.seat[0].stack_chips += 1;
	ck_assert_int_eq(settle_hand(&H, 1, &S), SETTLE_EINVAL);
	ck_assert_str_eq(settle_strerror(SETTLE_EOVERFLOW), "amount too large");
}
END_TEST

START_TEST(random_hands_balance)
{
	static const int64_t CHIP[] = {0, 1, 7, 10, 100, 12345};
	uint64_t rs = 0x5e771eull;
	struct hand_config c;
	struct deck d;
	long raked = 0, split = 0;

	for (int n = 0; n < 20000; n++) {
		ht_random_config(&c, &rs);
		if (ht_rand(&rs) % 2) {
			c.rake_bp = 1 + (int)(ht_rand(&rs) % 1000);
			c.rake_cap_chips = (int64_t)(ht_rand(&rs) % 50);
		}
		ht_shuffle(&d, &rs);
		REQUIRE(hand_start(&H, &c, &d) == HAND_OK);
		while (H.phase == HAND_PHASE_BETTING) {
			struct hand_legal l;
			hand_legal(&H, &l);
			struct hand_action a = ht_random_action(&l, &rs);
			REQUIRE(hand_apply(&H, l.seat, &a) == HAND_OK);
			hand_events_clear(&H);
		}
		hand_events_clear(&H);
		if (H.phase == HAND_PHASE_SHOWDOWN)
			REQUIRE(hand_settle(&H) == HAND_OK);
		hand_events_clear(&H);
		int64_t cu = CHIP[ht_rand(&rs) % (sizeof CHIP / sizeof CHIP[0])];
		REQUIRE(settle_hand(&H, cu, &S) == SETTLE_OK);
		int64_t shares = 0;
		for (int i = 0; i < c.nseats; i++) {
			REQUIRE(S.net_chips[i] == H.seat[i].stack_chips - c.stacks_chips[i]);
			REQUIRE(S.hand_ucents[i] - S.rake_ucents[i] == S.net_chips[i] * cu);
			REQUIRE(S.rake_ucents[i] >= 0);
			/* Only a pot's winners pay its rake. */
			bool won = false;
			for (int p = 0; p < H.npots; p++)
				won |= H.pot_rake_chips[p] > 0 && (H.pot_winners[p] & (1u << i));
			REQUIRE(won || S.rake_ucents[i] == 0);
			shares += S.rake_ucents[i];
		}
		REQUIRE(shares == H.rake_chips * cu);
		int nh = settle_hand_legs(&S, ACCOUNT, L);
		REQUIRE(sum_legs(nh) == 0);
		REQUIRE(cu != 0 || nh == 0);
		for (int i = 0; i < nh; i++)
			REQUIRE(L[i].amount_ucents != 0);
		int nr = settle_rake_legs(&S, ACCOUNT, RAKE_ACCOUNT, L);
		REQUIRE(sum_legs(nr) == 0);
		REQUIRE((nr > 0) == (H.rake_chips * cu > 0));
		REQUIRE(nr == 0 || L[nr - 1].account_id == RAKE_ACCOUNT);
		raked += H.rake_chips > 0;
		for (int p = 0; p < H.npots; p++)
			split += H.pot_rake_chips[p] > 0 && __builtin_popcount(H.pot_winners[p]) > 1;
	}
	REQUIRE(raked > 1000);
	REQUIRE(split > 10);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("settle");
	TCase *t = tcase_create("settle");
	tcase_set_timeout(t, 120);
	tcase_add_test(t, play_chips_move_nothing);
	tcase_add_test(t, winner_takes_from_loser);
	tcase_add_test(t, side_pot_rake_to_each_pots_winner);
	tcase_add_test(t, split_pot_odd_ucents);
	tcase_add_test(t, rake_cap);
	tcase_add_test(t, refusals);
	tcase_add_test(t, random_hands_balance);
	suite_add_tcase(s, t);
	SRunner *r = srunner_create(s);
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
