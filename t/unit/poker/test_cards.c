/* Unit tests for lib/cards: encoding, parsing and printing of cards. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "poker/cards.h"

START_TEST(encoding_matches_header)
{
	card_t c;

	ck_assert_int_eq(card_parse("2c", &c), CARDS_OK);
	ck_assert_int_eq(c, 0);
	ck_assert_int_eq(card_parse("2s", &c), CARDS_OK);
	ck_assert_int_eq(c, 3);
	ck_assert_int_eq(card_parse("As", &c), CARDS_OK);
	ck_assert_int_eq(c, 51);
	ck_assert_int_eq(CARD_RANK(c), 12);
	ck_assert_int_eq(CARD_SUIT(c), 3);
	ck_assert_int_eq(card_parse("Td", &c), CARDS_OK);
	ck_assert_int_eq(c, 8 * 4 + 1);
	ck_assert_int_eq(card_parse("7h", &c), CARDS_OK);
	ck_assert_int_eq(c, CARD_MAKE(5, 2));
}
END_TEST

START_TEST(every_card_round_trips)
{
	for (int v = 0; v < CARDS_COUNT; v++) {
		char text[3];
		card_t c = CARD_NONE;

		card_format((card_t)v, text);
		ck_assert_uint_eq(strlen(text), 2);
		ck_assert_int_eq(card_parse(text, &c), CARDS_OK);
		ck_assert_int_eq(c, v);
	}
}
END_TEST

START_TEST(parse_accepts_either_case)
{
	card_t c;

	ck_assert_int_eq(card_parse("ah", &c), CARDS_OK);
	ck_assert_int_eq(c, CARD_MAKE(12, 2));
	ck_assert_int_eq(card_parse("tS", &c), CARDS_OK);
	ck_assert_int_eq(c, CARD_MAKE(8, 3));
	ck_assert_int_eq(card_parse("KD", &c), CARDS_OK);
	ck_assert_int_eq(c, CARD_MAKE(11, 1));
}
END_TEST

START_TEST(parse_rejects_bad_cards)
{
	static const char *const bad[] = {
		"", "A", "1s", "10", "0c", "Ax", "sA", "  ", "?h", "A ", "Xs", "1c", "Bc",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		card_t c = 42;
		ck_assert_msg(card_parse(bad[i], &c) == CARDS_EINVAL, "accepted \"%s\"", bad[i]);
		ck_assert_int_eq(c, 42);
	}
}
END_TEST

START_TEST(parse_many)
{
	card_t out[7];
	const char *s = "AsKd7h";

	ck_assert_int_eq(cards_parse(s, strlen(s), out, 7), 3);
	ck_assert_int_eq(out[0], 51);
	ck_assert_int_eq(out[1], CARD_MAKE(11, 1));
	ck_assert_int_eq(out[2], CARD_MAKE(5, 2));

	s = "As, Kd 7h\t2c";
	ck_assert_int_eq(cards_parse(s, strlen(s), out, 7), 4);
	ck_assert_int_eq(out[3], 0);

	ck_assert_int_eq(cards_parse("", 0, out, 7), 0);
	ck_assert_int_eq(cards_parse("  ", 2, out, 7), 0);
	/* Only len bytes are read: the trailing "Qc" is outside the span. */
	ck_assert_int_eq(cards_parse("AsQc", 2, out, 7), 1);
}
END_TEST

START_TEST(parse_many_errors)
{
	card_t out[3];
	const char *s;

	s = "AsK";
	ck_assert_int_eq(cards_parse(s, strlen(s), out, 3), CARDS_EINVAL);
	s = "AsKx";
	ck_assert_int_eq(cards_parse(s, strlen(s), out, 3), CARDS_EINVAL);
	s = "A s";
	ck_assert_int_eq(cards_parse(s, strlen(s), out, 3), CARDS_EINVAL);
	s = "AsKdQcJh";
	ck_assert_int_eq(cards_parse(s, strlen(s), out, 3), CARDS_ETOOMANY);
	s = "As";
	ck_assert_int_eq(cards_parse(s, strlen(s), out, 0), CARDS_ETOOMANY);
	/* An embedded NUL is not a card. */
	ck_assert_int_eq(cards_parse("As\0d", 4, out, 3), CARDS_EINVAL);
}
END_TEST

START_TEST(format_cards)
{
	card_t c[3] = {51, CARD_MAKE(8, 1), 0};
	char buf[16], one[3];

	ck_assert_uint_eq(cards_format(c, 3, buf, sizeof buf), 6);
	ck_assert_str_eq(buf, "AsTd2c");
	/* Truncation keeps whole cards and reports the full length. */
	ck_assert_uint_eq(cards_format(c, 3, buf, 4), 6);
	ck_assert_str_eq(buf, "As");
	ck_assert_uint_eq(cards_format(c, 3, buf, 5), 6);
	ck_assert_str_eq(buf, "AsTd");
	ck_assert_uint_eq(cards_format(c, 0, buf, sizeof buf), 0);
	ck_assert_str_eq(buf, "");
	ck_assert_uint_eq(cards_format(c, 3, NULL, 0), 6);

	card_format(CARD_NONE, one);
	ck_assert_str_eq(one, "??");
	card_format(52, one);
	ck_assert_str_eq(one, "??");
	ck_assert_int_eq(card_rank_char(9), 'J');
	ck_assert_int_eq(card_rank_char(13), '?');
	ck_assert_int_eq(card_suit_char(1), 'd');
	ck_assert_int_eq(card_suit_char(-1), '?');
}
END_TEST

START_TEST(strerror_texts)
{
	ck_assert_str_eq(cards_strerror(CARDS_OK), "success");
	ck_assert_ptr_nonnull(strstr(cards_strerror(CARDS_EINVAL), "invalid card"));
	ck_assert_str_eq(cards_strerror(CARDS_ETOOMANY), "too many cards");
	ck_assert_str_eq(cards_strerror(-99), "unknown cards error");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("cards");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, encoding_matches_header);
	tcase_add_test(tc, every_card_round_trips);
	tcase_add_test(tc, parse_accepts_either_case);
	tcase_add_test(tc, parse_rejects_bad_cards);
	tcase_add_test(tc, parse_many);
	tcase_add_test(tc, parse_many_errors);
	tcase_add_test(tc, format_cards);
	tcase_add_test(tc, strerror_texts);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
