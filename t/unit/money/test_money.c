/* Unit tests for lib/money: dollar text <-> int64 ucents, no doubles. */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "money/money.h"

static int parse(const char *text, int flags, int64_t *out)
{
	return money_parse_dollars(text, strlen(text), flags, out);
}

START_TEST(parse_plain_amounts)
{
	int64_t u = -1;

	ck_assert_int_eq(parse("0", 0, &u), MONEY_OK);
	ck_assert_int_eq(u, 0);
	ck_assert_int_eq(parse("5", 0, &u), MONEY_OK);
	ck_assert_int_eq(u, 50000);
	ck_assert_int_eq(parse("5.5", 0, &u), MONEY_OK);
	ck_assert_int_eq(u, 55000);
	ck_assert_int_eq(parse("10.00", 0, &u), MONEY_OK);
	ck_assert_int_eq(u, 100000);
	ck_assert_int_eq(parse("0.01", 0, &u), MONEY_OK);
	ck_assert_int_eq(u, 100);
	ck_assert_int_eq(parse("0.1", 0, &u), MONEY_OK);
	ck_assert_int_eq(u, 1000);
	ck_assert_int_eq(parse("1234567.89", 0, &u), MONEY_OK);
	ck_assert_int_eq(u, INT64_C(12345678900));
}
END_TEST

START_TEST(parse_negative)
{
	int64_t u = 7;

	ck_assert_int_eq(parse("-5.25", 0, &u), MONEY_ENEGATIVE);
	ck_assert_int_eq(u, 7);
	ck_assert_int_eq(parse("-5.25", MONEY_ALLOW_NEGATIVE, &u), MONEY_OK);
	ck_assert_int_eq(u, -52500);
	ck_assert_int_eq(parse("-0", 0, &u), MONEY_ENEGATIVE);
}
END_TEST

START_TEST(parse_rejects_precision_and_exponent)
{
	int64_t u = 7;

	ck_assert_int_eq(parse("0.001", 0, &u), MONEY_EPRECISION);
	ck_assert_int_eq(parse("5.500", 0, &u), MONEY_EPRECISION);
	ck_assert_int_eq(parse("1e2", 0, &u), MONEY_EEXPONENT);
	ck_assert_int_eq(parse("1.5E+2", 0, &u), MONEY_EEXPONENT);
	ck_assert_int_eq(parse("-1e-2", MONEY_ALLOW_NEGATIVE, &u),
			 MONEY_EEXPONENT);
	ck_assert_int_eq(u, 7);
}
END_TEST

START_TEST(parse_rejects_syntax)
{
	static const char *bad[] = {
		"", "-", ".5", "5.", "+5", "05", "00", "1.2.3", "1,5",
		" 5", "5 ", "0x10", "NaN", "Infinity", "5$", "--5", "1.-5",
	};
	int64_t u = 7;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(parse(bad[i], MONEY_ALLOW_NEGATIVE, &u) ==
				      MONEY_ESYNTAX,
			      "accepted '%s'", bad[i]);
	ck_assert_int_eq(u, 7);
	ck_assert_int_eq(money_parse_dollars(NULL, 0, 0, &u), MONEY_ESYNTAX);
}
END_TEST

START_TEST(parse_range_edges)
{
	int64_t u = 0;

	/* INT64_MAX ucents = 922337203685477.5807 dollars. */
	ck_assert_int_eq(parse("922337203685477.58", 0, &u), MONEY_OK);
	ck_assert_int_eq(u, INT64_MAX - 7);
	ck_assert_int_eq(parse("922337203685477.59", 0, &u), MONEY_ERANGE);
	ck_assert_int_eq(parse("922337203685478", 0, &u), MONEY_ERANGE);
	ck_assert_int_eq(parse("-922337203685477.58", MONEY_ALLOW_NEGATIVE, &u),
			 MONEY_OK);
	ck_assert_int_eq(u, -(INT64_MAX - 7));
	ck_assert_int_eq(parse("99999999999999999999999999999999", 0, &u),
			 MONEY_ERANGE);
}
END_TEST

START_TEST(parse_only_len_bytes)
{
	int64_t u = 0;

	ck_assert_int_eq(money_parse_dollars("12.34xyz", 5, 0, &u), MONEY_OK);
	ck_assert_int_eq(u, 123400);
}
END_TEST

static void check_format(int64_t ucents, const char *want)
{
	char buf[MONEY_FORMAT_SIZE];
	int n = money_format_dollars(ucents, buf, sizeof buf);

	ck_assert_str_eq(buf, want);
	ck_assert_int_eq(n, (int)strlen(want));
}

START_TEST(format_dollars)
{
	check_format(0, "0.00");
	check_format(100000, "10.00");
	check_format(150, "0.015");
	check_format(1, "0.0001");
	check_format(10, "0.001");
	check_format(100, "0.01");
	check_format(12345, "1.2345");
	check_format(-5000, "-0.50");
	check_format(-1, "-0.0001");
	check_format(INT64_MAX, "922337203685477.5807");
	check_format(INT64_MIN, "-922337203685477.5808");
}
END_TEST

START_TEST(format_small_buffer)
{
	char buf[5] = "xxxx";

	ck_assert_int_eq(money_format_dollars(100000, buf, sizeof buf),
			 MONEY_ERANGE);
	ck_assert_str_eq(buf, "");
	ck_assert_int_eq(money_format_dollars(100000, buf, 0), MONEY_ERANGE);
}
END_TEST

START_TEST(format_parse_round_trip)
{
	/* Every whole-cent amount must survive format -> parse unchanged. */
	for (int64_t c = -2000; c <= 2000; c += 7) {
		char buf[MONEY_FORMAT_SIZE];
		int64_t back = 0;
		int64_t ucents = c * MONEY_UCENTS_PER_CENT;

		money_format_dollars(ucents, buf, sizeof buf);
		ck_assert_int_eq(parse(buf, MONEY_ALLOW_NEGATIVE, &back), MONEY_OK);
		ck_assert_int_eq(back, ucents);
	}
}
END_TEST

START_TEST(json_values)
{
	struct json_object *doc = json_tokener_parse(
		"{\"a\": 5.25, \"b\": 7, \"c\": 0.001, \"d\": \"5.00\", "
		"\"e\": 1e3, \"f\": null, \"g\": true, \"h\": -3}");
	struct json_object *v;
	int64_t u = 0;

	ck_assert_ptr_nonnull(doc);
	ck_assert(json_object_object_get_ex(doc, "a", &v));
	ck_assert_int_eq(money_parse_json(v, 0, &u), MONEY_OK);
	ck_assert_int_eq(u, 52500);
	ck_assert(json_object_object_get_ex(doc, "b", &v));
	ck_assert_int_eq(money_parse_json(v, 0, &u), MONEY_OK);
	ck_assert_int_eq(u, 70000);
	ck_assert(json_object_object_get_ex(doc, "c", &v));
	ck_assert_int_eq(money_parse_json(v, 0, &u), MONEY_EPRECISION);
	ck_assert(json_object_object_get_ex(doc, "d", &v));
	ck_assert_int_eq(money_parse_json(v, 0, &u), MONEY_ETYPE);
	ck_assert(json_object_object_get_ex(doc, "e", &v));
	ck_assert_int_eq(money_parse_json(v, 0, &u), MONEY_EEXPONENT);
	ck_assert(json_object_object_get_ex(doc, "f", &v));
	ck_assert_int_eq(money_parse_json(v, 0, &u), MONEY_ETYPE);
	ck_assert(json_object_object_get_ex(doc, "g", &v));
	ck_assert_int_eq(money_parse_json(v, 0, &u), MONEY_ETYPE);
	ck_assert(json_object_object_get_ex(doc, "h", &v));
	ck_assert_int_eq(money_parse_json(v, 0, &u), MONEY_ENEGATIVE);
	ck_assert_int_eq(money_parse_json(NULL, 0, &u), MONEY_ETYPE);
	json_object_put(doc);
}
END_TEST

START_TEST(json_dollars_serialize_exactly)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "balance", money_json_dollars(100000));
	json_object_object_add(o, "fee", money_json_dollars(150));
	json_object_object_add(o, "neg", money_json_dollars(-5000));
	ck_assert_str_eq(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN),
			 "{\"balance\":10.00,\"fee\":0.015,\"neg\":-0.50}");
	json_object_put(o);
}
END_TEST

START_TEST(cents_and_strerror)
{
	ck_assert_int_eq(money_ucents_to_cents(20000), 200);
	ck_assert_int_eq(money_ucents_to_cents(20099), 200);
	ck_assert_int_eq(money_ucents_to_cents(-150), -1);
	for (int e = MONEY_ETYPE; e <= MONEY_OK; e++)
		ck_assert_str_ne(money_strerror(e), "unknown money error");
	ck_assert_str_eq(money_strerror(-99), "unknown money error");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("money");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, parse_plain_amounts);
	tcase_add_test(tc, parse_negative);
	tcase_add_test(tc, parse_rejects_precision_and_exponent);
	tcase_add_test(tc, parse_rejects_syntax);
	tcase_add_test(tc, parse_range_edges);
	tcase_add_test(tc, parse_only_len_bytes);
	tcase_add_test(tc, format_dollars);
	tcase_add_test(tc, format_small_buffer);
	tcase_add_test(tc, format_parse_round_trip);
	tcase_add_test(tc, json_values);
	tcase_add_test(tc, json_dollars_serialize_exactly);
	tcase_add_test(tc, cents_and_strerror);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
