/* Unit tests for lib/eval: hand-built cases, exhaustive 5-card enumeration,
 * eval_7 against the best of its 21 five-card subsets, descriptions. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "poker/eval.h"
#include "randhand.h"

/* Parse exactly n cards or fail the test. */
static void parse_n(const char *text, card_t *out, int n)
{
	int got = cards_parse(text, strlen(text), out, n);
	ck_assert_msg(got == n, "parse \"%s\": %d", text, got);
}

static eval_rank_t r7(const char *text)
{
	card_t c[7];
	parse_n(text, c, 7);
	return eval_7(c);
}

static eval_rank_t r5(const char *text)
{
	card_t c[5];
	parse_n(text, c, 5);
	return eval_5(c);
}

/* eval_describe's text for r.  The buffer is filled with junk first and
 * the returned length must be the text's, so a describe that wrote nothing
 * or left a stale text fails instead of passing on the previous answer. */
static const char *describe(eval_rank_t r)
{
	static char buf[64];
	memset(buf, '#', sizeof buf);
	size_t n = eval_describe(r, buf, sizeof buf);
	ck_assert_uint_lt(n, sizeof buf);
	ck_assert_uint_eq(n, strlen(buf));
	ck_assert_uint_gt(n, 0);
	return buf;
}

/* A description is "Unknown" exactly when r is no hand, and otherwise
 * names r's category. */
static void describes_consistently(eval_rank_t r)
{
	int k[5];
	const char *text = describe(r);
	if (eval_best_ranks(r, k) != 0) {
		ck_assert_str_eq(text, "Unknown");
		return;
	}
	const char *cat = eval_category(r) == EVAL_ONE_PAIR ? "Pair of "
			  : eval_category(r) == EVAL_STRAIGHT_FLUSH && k[0] == 12
				  ? "Royal Flush"
				  : eval_category_name(eval_category(r));
	ck_assert_msg(strncmp(text, cat, strlen(cat)) == 0, "rank %u: '%s' is not a %s", r, text,
		      cat);
}

START_TEST(wheel_and_steel_wheel)
{
	eval_rank_t wheel = r7("Ah 2c 3d 4s 5h 9c Kd");
	eval_rank_t six = r7("6h 2c 3d 4s 5h 9c Kd");
	eval_rank_t broadway = r5("Ts Jh Qd Kc Ac");

	ck_assert_int_eq(eval_category(wheel), EVAL_STRAIGHT);
	ck_assert_str_eq(describe(wheel), "Straight, Five-high");
	ck_assert_uint_lt(wheel, six);
	ck_assert_uint_lt(six, broadway);
	/* An ace-high hand with 2-3-4-5 is the wheel, not ace-high nothing. */
	ck_assert_uint_gt(wheel, r7("Ah Ad Ac 4s 5h 9c Kd"));

	eval_rank_t steel = r7("Ah 2h 3h 4h 5h 9c Kd");
	ck_assert_int_eq(eval_category(steel), EVAL_STRAIGHT_FLUSH);
	ck_assert_str_eq(describe(steel), "Straight Flush, Five-high");
	ck_assert_uint_lt(steel, r7("6h 2h 3h 4h 5h 9c Kd"));
	ck_assert_uint_gt(steel, r7("Ah Ad Ac As 5h 9c Kd"));
	ck_assert_str_eq(describe(r5("Ts Js Qs Ks As")), "Royal Flush");
	/* A straight flush beats a higher plain straight in the same seven. */
	ck_assert_int_eq(eval_category(r7("2h 3h 4h 5h 6h 7c 8d")), EVAL_STRAIGHT_FLUSH);
	ck_assert_str_eq(describe(r7("2h 3h 4h 5h 6h 7c 8d")), "Straight Flush, Six-high");
	/* No wrap-around straights. */
	ck_assert_int_eq(eval_category(r5("Qs Kd Ac 2h 3c")), EVAL_HIGH_CARD);
}
END_TEST

START_TEST(flush_beats_straight)
{
	eval_rank_t r = r7("2h 7h 9h Jh Qh Tc 8d");

	ck_assert_int_eq(eval_category(r), EVAL_FLUSH);
	ck_assert_str_eq(describe(r), "Flush, Queen-high");
	ck_assert_uint_gt(r, r7("As Ks Qd Jc Th 2c 3d"));
	/* Six of a suit: the best five count. */
	ck_assert_uint_eq(r7("2h 7h 9h Jh Qh Ah 8d"), r5("7h 9h Jh Qh Ah"));
	/* Flush kickers go all the way down to the fifth card. */
	ck_assert_uint_gt(r5("Ah Kh Qh Jh 9h"), r5("As Ks Qs Js 8s"));
	ck_assert_uint_gt(r5("Ah Kh Qh Jh 3h"), r5("As Ks Qs Js 2s"));
	/* Suits never rank against each other. */
	ck_assert_uint_eq(r5("Ah Kh Qh Jh 9h"), r5("Ac Kc Qc Jc 9c"));
}
END_TEST

START_TEST(kickers)
{
	/* Same pair on the board; the ace kicker wins over the queen. */
	ck_assert_uint_gt(r7("Ah 3c 9s 9d Kc 5h 2d"), r7("Qh 3c 9s 9d Kc 5h 2d"));
	/* Fifth card decides high card; sixth and seventh never do. */
	ck_assert_uint_gt(r5("Ah Kd 9c 7s 4h"), r5("As Kh 9d 7c 3s"));
	ck_assert_uint_eq(r7("Ah Kd 9c 7s 5h 3c 2d"), r7("As Kh 9d 7c 5s 4c 2h"));
	/* Trips: two kickers. */
	ck_assert_uint_gt(r7("7h 7c 7d Ks Qc 2d 3h"), r7("7h 7c 7d Ks Jc 2d 3h"));
	ck_assert_uint_eq(r7("7h 7c 7d Ks Qc 2d 3h"), r7("7h 7c 7d Ks Qc 4d 3h"));
	/* Quads on board: the best kicker, tie when the board's is best. */
	ck_assert_uint_gt(r7("9h 9c 9d 9s 2c Ah 3d"), r7("9h 9c 9d 9s 2c Kh 3d"));
	ck_assert_uint_eq(r7("9h 9c 9d 9s Ac Kh 3d"), r7("9h 9c 9d 9s Ac Qh 3d"));
	ck_assert_str_eq(describe(r7("9h 9c 9d 9s Ac Kh 3d")), "Four of a Kind, Nines");
}
END_TEST

START_TEST(counterfeit_and_board_plays)
{
	/* Pocket sevens are counterfeited by the board's two higher pairs:
	 * A-2 plays KKQQ with an ace and wins. */
	eval_rank_t sevens = r7("7c 7d Kh Kd Qs Qc 3h");
	eval_rank_t ace = r7("Ah 2c Kh Kd Qs Qc 3h");
	ck_assert_int_eq(eval_category(sevens), EVAL_TWO_PAIR);
	ck_assert_str_eq(describe(sevens), "Two Pair, Kings and Queens");
	ck_assert_uint_gt(ace, sevens);
	/* The board plays: a broadway board ties any two hole cards. */
	ck_assert_uint_eq(r7("2c 3d Ts Jh Qd Kc Ac"), r7("4h 5s Ts Jh Qd Kc Ac"));
	/* Two full houses from two sets of trips: the higher trips lead. */
	eval_rank_t fh = r7("Ah Ac Ad Kh Kc Kd 2s");
	ck_assert_str_eq(describe(fh), "Full House, Aces full of Kings");
	ck_assert_uint_gt(fh, r7("Kh Kc Kd Ah Ac Qd Qs"));
	/* Three pairs: the third pair's rank can be the kicker. */
	ck_assert_uint_eq(r7("Ah Ac Kh Kc Qd Qs 2c"), r7("Ah Ac Kh Kc Qd 3s 2c"));
}
END_TEST

START_TEST(six_cards)
{
	card_t c[6];

	parse_n("Ah Kh Qh Jh Th 9h", c, 6);
	ck_assert_str_eq(describe(eval_6(c)), "Royal Flush");
	parse_n("2c 2d 5h 5s 9c Jd", c, 6);
	ck_assert_uint_eq(eval_6(c), r5("2c 2d 5h 5s Jd"));
}
END_TEST

/* Bad input is a caller bug, but must not become a read out of bounds
 * (the sanitizer build checks that): any byte, any duplicates.  Whatever
 * rank comes out, its description is consistent with it. */
START_TEST(bad_cards_stay_in_bounds)
{
	card_t c[7];

	for (int v = 0; v < 256; v++) {
		memset(c, v, sizeof c);
		describes_consistently(eval_7(c));
		describes_consistently(eval_6(c));
		describes_consistently(eval_5(c));
	}
	card_t mixed[7] = {51, 51, 51, 51, 51, 47, 47};
	describes_consistently(eval_7(mixed));
	card_t holes[7] = {CARD_NONE, 12, CARD_NONE, 51, 50, 49, CARD_NONE};
	eval_rank_t r = eval_7(holes);
	describes_consistently(r);
	/* Measuring (NULL, 0) gives the same length as writing. */
	ck_assert_uint_eq(eval_describe(r, NULL, 0), strlen(describe(r)));
}
END_TEST

/* 5-card hands per category, and distinct ranks per category. */
static const long COUNT5[9] = {1302540, 1098240, 123552, 54912, 10200, 5108, 3744, 624, 40};
static const int DISTINCT5[9] = {1277, 2860, 858, 858, 10, 1277, 156, 156, 10};

START_TEST(all_five_card_hands)
{
	static unsigned char seen[1 << 16];
	long count[9] = {0};
	int distinct[9] = {0}, total = 0;
	card_t c[5];

	memset(seen, 0, sizeof seen);
	for (c[0] = 0; c[0] < 52; c[0]++)
		for (c[1] = c[0] + 1; c[1] < 52; c[1]++)
			for (c[2] = c[1] + 1; c[2] < 52; c[2]++)
				for (c[3] = c[2] + 1; c[3] < 52; c[3]++)
					for (c[4] = c[3] + 1; c[4] < 52; c[4]++) {
						eval_rank_t r = eval_5(c);
						/* Plain ifs in hot loops: every ck_assert
						 * reports to the check parent process. */
						if (r >= 1u << 16)
							ck_abort_msg("rank %u out of range", r);
						count[eval_category(r)]++;
						if (!seen[r]) {
							seen[r] = 1;
							distinct[eval_category(r)]++;
							total++;
						}
					}
	for (int k = 0; k < 9; k++) {
		ck_assert_int_eq(count[k], COUNT5[k]);
		ck_assert_int_eq(distinct[k], DISTINCT5[k]);
	}
	ck_assert_int_eq(total, EVAL_DISTINCT_RANKS);
	/* Values are 1-based and dense inside each category. */
	for (int k = 0; k < 9; k++)
		for (int i = 1; i <= DISTINCT5[k]; i++)
			ck_assert(seen[k << EVAL_CATEGORY_SHIFT | i]);
}
END_TEST

static eval_rank_t best_of_21(const card_t c[7])
{
	eval_rank_t best = 0;
	for (int skip1 = 0; skip1 < 7; skip1++)
		for (int skip2 = skip1 + 1; skip2 < 7; skip2++) {
			card_t five[5];
			int n = 0;
			for (int i = 0; i < 7; i++)
				if (i != skip1 && i != skip2)
					five[n++] = c[i];
			eval_rank_t r = eval_5(five);
			if (r > best)
				best = r;
		}
	return best;
}

/* Best of the six five-card subsets of c[0..5]. */
static eval_rank_t best_of_6(const card_t c[6])
{
	eval_rank_t best = 0;
	for (int skip = 0; skip < 6; skip++) {
		card_t five[5];
		int n = 0;
		for (int i = 0; i < 6; i++)
			if (i != skip)
				five[n++] = c[i];
		eval_rank_t r = eval_5(five);
		if (r > best)
			best = r;
	}
	return best;
}

START_TEST(seven_equals_best_five_random)
{
	uint64_t state = 20261123;
	long cats[9] = {0};

	for (int n = 0; n < 1000000; n++) {
		card_t c[7];
		randhand_7(&state, c);
		eval_rank_t r = eval_7(c);
		if (r != best_of_21(c)) {
			char text[15];
			cards_format(c, 7, text, sizeof text);
			ck_abort_msg("eval_7(%s) = %u, best of 21 = %u", text, r, best_of_21(c));
		}
		cats[eval_category(r)]++;
		if (n % 8 == 0 && eval_6(c) != best_of_6(c))
			ck_abort_msg("eval_6 differs from the best of 6 at hand %d", n);
	}
	/* The sample should touch every category, straight flushes included. */
	for (int k = 0; k < 9; k++)
		ck_assert_int_gt(cats[k], 0);
}
END_TEST

START_TEST(describe_and_best_ranks)
{
	int k[5];
	char small[8];

	ck_assert_str_eq(describe(r5("As 9d 7c 4h 2s")), "High Card, Ace");
	ck_assert_str_eq(describe(r5("As Ad 7c 4h 2s")), "Pair of Aces");
	ck_assert_str_eq(describe(r5("3s 3d 3c 4h 2s")), "Three of a Kind, Threes");
	ck_assert_str_eq(describe(r5("6s 6d 6c Th Ts")), "Full House, Sixes full of Tens");
	ck_assert_str_eq(describe(r5("Js 9s 7s 4s 2s")), "Flush, Jack-high");
	ck_assert_str_eq(describe(r5("8s 9d Tc Jh Qs")), "Straight, Queen-high");
	ck_assert_str_eq(describe(r5("Ks Kd Kc Kh Qs")), "Four of a Kind, Kings");

	/* Every example in reference/moltpoker.md, whose wording we follow. */
	ck_assert_str_eq(describe(r5("Ah Kh Qh Jh Th")), "Royal Flush");
	ck_assert_str_eq(describe(r5("9c 8c 7c 6c 5c")), "Straight Flush, Nine-high");
	ck_assert_str_eq(describe(r5("Kc Kd Kh Ks 2c")), "Four of a Kind, Kings");
	ck_assert_str_eq(describe(r5("Ac Ad Ah Ks Kc")), "Full House, Aces full of Kings");
	ck_assert_str_eq(describe(r5("Ad 9d 7d 4d 2d")), "Flush, Ace-high");
	ck_assert_str_eq(describe(r5("Ad 2c 3h 4d 5s")), "Straight, Five-high");
	ck_assert_str_eq(describe(r5("7c 7d 7h Ks 2c")), "Three of a Kind, Sevens");
	ck_assert_str_eq(describe(r5("Ac Ad Kh Ks 2c")), "Two Pair, Aces and Kings");
	ck_assert_str_eq(describe(r5("Ac Ad Jh 9s 2c")), "Pair of Aces");
	ck_assert_str_eq(describe(r5("Ac Td 8h 5s 2c")), "High Card, Ace");

	ck_assert_int_eq(eval_best_ranks(r5("Ah 2c 3d 4s 5h"), k), 0);
	ck_assert_int_eq(k[0], 3);
	ck_assert_int_eq(k[4], 12);
	ck_assert_int_eq(eval_best_ranks(r7("7c 7d Kh Kd Qs Qc 3h"), k), 0);
	ck_assert(k[0] == 11 && k[1] == 11 && k[2] == 10 && k[3] == 10 && k[4] == 5);

	/* snprintf semantics. */
	eval_rank_t tp = r5("As Ad Kc Kh 2s");
	ck_assert_uint_eq(eval_describe(tp, small, sizeof small), strlen("Two Pair, Aces and Kings"));
	ck_assert_str_eq(small, "Two Pai");
	ck_assert_uint_eq(eval_describe(tp, NULL, 0), strlen("Two Pair, Aces and Kings"));

	/* Values no evaluator returns. */
	ck_assert_int_eq(eval_best_ranks(0, k), -1);
	ck_assert_int_eq(eval_best_ranks(EVAL_STRAIGHT << EVAL_CATEGORY_SHIFT | 11, k), -1);
	ck_assert_int_eq(eval_best_ranks(9u << EVAL_CATEGORY_SHIFT | 1, k), -1);
	ck_assert_str_eq(describe(0), "Unknown");

	ck_assert_str_eq(eval_category_name(EVAL_HIGH_CARD), "High Card");
	ck_assert_str_eq(eval_category_name(EVAL_ONE_PAIR), "One Pair");
	ck_assert_str_eq(eval_category_name(EVAL_TWO_PAIR), "Two Pair");
	ck_assert_str_eq(eval_category_name(EVAL_THREE_OF_A_KIND), "Three of a Kind");
	ck_assert_str_eq(eval_category_name(EVAL_STRAIGHT), "Straight");
	ck_assert_str_eq(eval_category_name(EVAL_FLUSH), "Flush");
	ck_assert_str_eq(eval_category_name(EVAL_FULL_HOUSE), "Full House");
	ck_assert_str_eq(eval_category_name(EVAL_FOUR_OF_A_KIND), "Four of a Kind");
	ck_assert_str_eq(eval_category_name(EVAL_STRAIGHT_FLUSH), "Straight Flush");
	ck_assert_str_eq(eval_category_name((enum eval_category)42), "Unknown");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("eval");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	/* The exhaustive and random loops take seconds under sanitizers. */
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, wheel_and_steel_wheel);
	tcase_add_test(tc, flush_beats_straight);
	tcase_add_test(tc, kickers);
	tcase_add_test(tc, counterfeit_and_board_plays);
	tcase_add_test(tc, six_cards);
	tcase_add_test(tc, all_five_card_hands);
	tcase_add_test(tc, seven_equals_best_five_random);
	tcase_add_test(tc, describe_and_best_ranks);
	tcase_add_test(tc, bad_cards_stay_in_bounds);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
