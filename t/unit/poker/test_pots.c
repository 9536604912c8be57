/* Unit tests for lib/pots: uncalled chips, layers, rake, odd chips. */
#include <check.h>
#include <stdlib.h>

#include "poker/pots.h"

START_TEST(uncalled_largest_over_second)
{
	int64_t bets[4] = {100, 400, 250, 0};
	int seat;
	ck_assert_int_eq(pots_uncalled(bets, 4, &seat), 150);
	ck_assert_int_eq(seat, 1);
	int64_t even[3] = {50, 50, 10};
	ck_assert_int_eq(pots_uncalled(even, 3, &seat), 0);
	ck_assert_int_eq(seat, -1);
	int64_t lone[2] = {0, 30};
	ck_assert_int_eq(pots_uncalled(lone, 2, &seat), 30);
	ck_assert_int_eq(seat, 1);
}
END_TEST

START_TEST(three_way_all_in_two_side_pots)
{
	/* A all-in 100, B all-in 300, C called 300 (its extra already returned). */
	int64_t c[3] = {100, 300, 300};
	struct pot p[POTS_MAX];
	int n = pots_build(c, 3, 0x7, 0, p);
	ck_assert_int_eq(n, 2);
	ck_assert_int_eq(p[0].amount_chips, 300);
	ck_assert_int_eq(p[0].eligible, 0x7);
	ck_assert_int_eq(p[1].amount_chips, 400);
	ck_assert_int_eq(p[1].eligible, 0x6);

	/* Four players, three all-in levels: main + two side pots. */
	int64_t d[4] = {50, 150, 400, 400};
	n = pots_build(d, 4, 0xf, 0, p);
	ck_assert_int_eq(n, 3);
	ck_assert_int_eq(p[0].amount_chips, 200);
	ck_assert_int_eq(p[1].amount_chips, 300);
	ck_assert_int_eq(p[1].eligible, 0xe);
	ck_assert_int_eq(p[2].amount_chips, 500);
	ck_assert_int_eq(p[2].eligible, 0xc);
}
END_TEST

START_TEST(folded_chips_fill_layers_and_merge)
{
	/* Seat 0 folded after putting in 60; seats 1 and 2 went to 200.  The
	 * layer boundary at 60 has the same eligible set: one pot. */
	int64_t c[3] = {60, 200, 200};
	struct pot p[POTS_MAX];
	int n = pots_build(c, 3, 0x6, 0, p);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(p[0].amount_chips, 460);
	ck_assert_int_eq(p[0].eligible, 0x6);
	/* A folded player above a live all-in: its chips above the all-in level
	 * go to the side pot of the players who reached them. */
	int64_t d[3] = {100, 250, 300};
	n = pots_build(d, 3, 0x5, 0, p);
	ck_assert_int_eq(n, 2);
	ck_assert_int_eq(p[0].amount_chips, 300);
	ck_assert_int_eq(p[0].eligible, 0x5);
	ck_assert_int_eq(p[1].amount_chips, 350);
	ck_assert_int_eq(p[1].eligible, 0x4);
}
END_TEST

START_TEST(dead_money_in_main_pot)
{
	/* Antes as dead money: seat 2 is all-in on its ante alone, so it is
	 * eligible for the dead money but not the bets. */
	int64_t c[3] = {40, 40, 0};
	struct pot p[POTS_MAX];
	int n = pots_build(c, 3, 0x7, 30, p);
	ck_assert_int_eq(n, 2);
	ck_assert_int_eq(p[0].amount_chips, 30);
	ck_assert_int_eq(p[0].eligible, 0x7);
	ck_assert_int_eq(p[1].amount_chips, 80);
	ck_assert_int_eq(p[1].eligible, 0x3);
	/* Everyone live reached the first layer: dead money merges into it. */
	int64_t d[2] = {10, 10};
	n = pots_build(d, 2, 0x3, 4, p);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(p[0].amount_chips, 24);
}
END_TEST

START_TEST(build_rejects_bad_input)
{
	int64_t c[2] = {10, -1};
	struct pot p[POTS_MAX];
	ck_assert_int_eq(pots_build(c, 2, 0x3, 0, p), POTS_EINVAL);
	c[1] = 5;
	ck_assert_int_eq(pots_build(c, 2, 0, 0, p), POTS_EINVAL);
	ck_assert_int_eq(pots_build(c, 0, 1, 0, p), POTS_EINVAL);
	ck_assert_int_eq(pots_build(c, 2, 0x3, -1, p), POTS_EINVAL);
	ck_assert_str_eq(pots_strerror(POTS_EINVAL), "invalid pot arguments");
}
END_TEST

START_TEST(rake_percentage_cap_no_flop)
{
	ck_assert_int_eq(pots_rake_total(1000, 500, 60, true), 50);
	ck_assert_int_eq(pots_rake_total(1999, 500, 0, true), 99); /* rounded down */
	ck_assert_int_eq(pots_rake_total(5000, 500, 60, true), 60); /* capped */
	ck_assert_int_eq(pots_rake_total(5000, 500, 60, false), 0); /* no flop no drop */
	ck_assert_int_eq(pots_rake_total(5000, 0, 60, true), 0);
	ck_assert_int_eq(pots_rake_total(INT64_MAX / 2, 10000, 0, true), INT64_MAX / 2);
}
END_TEST

START_TEST(rake_taken_in_proportion)
{
	struct pot p[3] = {{600, 0x7}, {300, 0x6}, {100, 0x4}};
	int64_t taken[3];
	ck_assert_int_eq(pots_rake_take(p, 3, 50, taken), 0);
	ck_assert_int_eq(taken[0], 30);
	ck_assert_int_eq(taken[1], 15);
	ck_assert_int_eq(taken[2], 5);
	ck_assert_int_eq(p[0].amount_chips, 570);
	/* Leftover chips from the main pot first. */
	struct pot q[2] = {{10, 0x3}, {10, 0x2}};
	ck_assert_int_eq(pots_rake_take(q, 2, 3, taken), 0);
	ck_assert_int_eq(taken[0], 2);
	ck_assert_int_eq(taken[1], 1);
	ck_assert_int_eq(pots_rake_take(q, 2, 100, taken), POTS_EINVAL);
}
END_TEST

START_TEST(split_odd_chips_from_left_of_button)
{
	int64_t award[6] = {0};
	/* 100 among seats 1, 3, 5; first seat left of the button is 3:
	 * 34 to seat 3, 33 to 5, 33 to 1. */
	ck_assert_int_eq(pots_split(100, 0x2a, 3, 6, award), 0);
	ck_assert_int_eq(award[3], 34);
	ck_assert_int_eq(award[5], 33);
	ck_assert_int_eq(award[1], 33);
	/* Two odd chips among three: one each, wrapping past the last seat. */
	int64_t b[6] = {0};
	ck_assert_int_eq(pots_split(101, 0x2a, 4, 6, b), 0);
	ck_assert_int_eq(b[5], 34);
	ck_assert_int_eq(b[1], 34);
	ck_assert_int_eq(b[3], 33);
	ck_assert_int_eq(pots_split(10, 0, 0, 6, b), POTS_EINVAL);
	ck_assert_int_eq(pots_split(10, 0x1, 6, 6, b), POTS_EINVAL);
}
END_TEST

static Suite *pots_suite(void)
{
	Suite *s = suite_create("pots");
	TCase *t = tcase_create("core");
	tcase_add_test(t, uncalled_largest_over_second);
	tcase_add_test(t, three_way_all_in_two_side_pots);
	tcase_add_test(t, folded_chips_fill_layers_and_merge);
	tcase_add_test(t, dead_money_in_main_pot);
	tcase_add_test(t, build_rejects_bad_input);
	tcase_add_test(t, rake_percentage_cap_no_flop);
	tcase_add_test(t, rake_taken_in_proportion);
	tcase_add_test(t, split_odd_chips_from_left_of_button);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *r = srunner_create(pots_suite());
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
