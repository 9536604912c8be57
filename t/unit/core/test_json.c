/* Unit tests for lib/json: strict bounded parsing, typed getters, number text. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"

static int parse(const char *s, int depth, struct json_object **o, char *err)
{
	return json_parse(s, strlen(s), depth, o, err, 128);
}

START_TEST(parses_valid_documents)
{
	struct json_object *o;
	char err[128];

	ck_assert_int_eq(parse("{\"a\":1}", 0, &o, err), JSON_OK);
	ck_assert(json_object_is_type(o, json_type_object));
	json_object_put(o);
	ck_assert_int_eq(parse("  [1, 2, 3]\n", 0, &o, err), JSON_OK);
	ck_assert_int_eq(json_object_array_length(o), 3);
	json_object_put(o);
	ck_assert_int_eq(parse("42", 0, &o, err), JSON_OK); /* bare number */
	ck_assert_int_eq(json_object_get_int64(o), 42);
	json_object_put(o);
	ck_assert_int_eq(parse("\"x\"", 0, &o, err), JSON_OK);
	json_object_put(o);
	ck_assert_int_eq(parse("null", 0, &o, err), JSON_OK);
	ck_assert_ptr_null(o);
}
END_TEST

START_TEST(rejects_malformed_documents)
{
	static const char *bad[] = {
		"", "   ", "{", "{\"a\":}", "[1,]", "{\"a\":1}x", "{\"a\":1} {}", "tru",
		"{'a':1}", "{\"a\":01}", "/* c */ {}", "{\"a\":\"\xff\"}", "1.5e",
	};
	struct json_object *o = (struct json_object *)&o;
	char err[128];

	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		ck_assert_msg(parse(bad[i], 0, &o, err) == JSON_ERR_SYNTAX, "accepted: %s", bad[i]);
		ck_assert_ptr_null(o);
		ck_assert_msg(strstr(err, "at byte") != NULL, "no offset in: %s", err);
	}
	/* an embedded NUL byte */
	ck_assert_int_eq(json_parse("{\"a\":\0}", 7, 0, &o, err, sizeof err), JSON_ERR_SYNTAX);
	ck_assert_ptr_nonnull(strstr(err, "NUL"));
	/* err may be NULL */
	ck_assert_int_eq(json_parse("{", 1, 0, &o, NULL, 0), JSON_ERR_SYNTAX);
}
END_TEST

/*
 * json-c accepts NaN and Infinity even in strict mode, and clamps integers
 * it cannot hold: neither may reach a consumer (PostgreSQL's jsonb refuses
 * NaN; a clamped number is silently different data).
 */
START_TEST(rejects_extensions_and_unrepresentable_integers)
{
	static const char *bad[] = {
		"[NaN]", "[Infinity]", "[-Infinity]", "{\"a\":NaN}", "NaN",
		"[18446744073709551616]", "[-9223372036854775809]",
		"{\"a\":123456789012345678901234567890}", "99999999999999999999",
	};
	static const char *good[] = {
		"[\"NaN\", \"Infinity\", \"it's\"]", "{\"NaN\":1}",
		"[18446744073709551615]", "[-9223372036854775808]", "[1e308]",
		"[123456789012345678901234567890.5]", "[1E2, -0, 0.0]",
		"[\"\\\"'\"]", "[true, false, null]",
	};
	struct json_object *o;
	char err[128];

	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		ck_assert_msg(parse(bad[i], 0, &o, err) == JSON_ERR_SYNTAX, "accepted: %s", bad[i]);
		ck_assert_ptr_null(o);
		ck_assert_msg(strstr(err, "at byte") != NULL, "no offset in: %s", err);
	}
	for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
		ck_assert_msg(parse(good[i], 0, &o, err) == JSON_OK, "refused %s: %s", good[i], err);
		json_object_put(o);
	}
	ck_assert_int_eq(parse("[1, NaN]", 0, &o, err), JSON_ERR_SYNTAX);
	ck_assert_ptr_nonnull(strstr(err, "at byte 4"));
}
END_TEST

/*
 * Hostile bytes (issue 7): what json-c would let through or silently change
 * is refused before it parses, with the offset of the culprit.
 */
START_TEST(rejects_bad_utf8_nul_escapes_and_surrogates)
{
	static const struct {
		const char *doc;
		const char *why;
		const char *at;
	} bad[] = {
		{ "{\"name\":\"\xc0\xaf\"}", "overlong UTF-8 encoding in \"name\"", "byte 9" },
		{ "{\"name\":\"\xed\xa0\x80\"}", "surrogate", "byte 9" },
		{ "{\"name\":\"\xf4\x90\x80\x80\"}", "U+10FFFF", "byte 9" },
		{ "{\"\xe0\x80\xaf\":1}", "overlong UTF-8 encoding in an object key", "byte 2" },
		{ "{\"a\":\"x\xc3\"}", "truncated", "byte 7" },
		{ "{\"metadata\":{\"a\":\"\\u0000\"}}", "NUL character (\\u0000) in \"a\"", "byte 18" },
		{ "{\"metadata\":{\"\\u0000\":1}}", "NUL character (\\u0000) in an object key", "byte 14" },
		{ "{\"a\":{\"b\":1},\"c\":[\"x\", \"\\udc00\"]}", "unpaired surrogate escape in \"c\"", "byte 24" },
		{ "[\"a\\u0000\"]", "NUL", "byte 3" },
		{ "[\"\\ud800\"]", "unpaired", "byte 2" },
		{ "[\"\\udc00\"]", "unpaired", "byte 2" },
		{ "[\"\\ud800\\u0041\"]", "unpaired", "byte 2" },
		{ "[\"\\ud800x\"]", "unpaired", "byte 2" },
		{ "[\"\\uDBFF\"]", "unpaired", "byte 2" },
	};
	static const char *good[] = {
		"[\"\\\\u0000\"]",                  /* an escaped backslash, then u0000 */
		"[\"\\ud83e\\udd16\"]",             /* a surrogate pair: U+1F916 */
		"[\"\\u00e9\\u0001\"]",
		"{\"\xe6\xa9\x9f\":\"\xf0\x9f\xa4\x96\"}",
	};
	struct json_object *o;
	char err[128];

	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		ck_assert_msg(parse(bad[i].doc, 0, &o, err) == JSON_ERR_SYNTAX,
			      "accepted #%zu", i);
		ck_assert_ptr_null(o);
		ck_assert_msg(strstr(err, bad[i].why) && strstr(err, bad[i].at),
			      "#%zu: %s", i, err);
	}
	for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
		ck_assert_msg(parse(good[i], 0, &o, err) == JSON_OK, "refused #%zu: %s", i, err);
		json_object_put(o);
	}
	ck_assert_int_eq(parse("[\"\\ud83e\\udd16\"]", 0, &o, err), JSON_OK);
	ck_assert_str_eq(json_object_get_string(json_object_array_get_idx(o, 0)),
			 "\xf0\x9f\xa4\x96");
	json_object_put(o);
}
END_TEST

/* Numbers beyond binary64 or with absurd exponents: PostgreSQL would
 * expand 1e9000 into 9001 digits (or overflow), never a number a client
 * meant.  Integers keep their own int64/uint64 rule. */
START_TEST(rejects_numbers_out_of_range)
{
	static const char *bad[] = {
		"{\"metadata\":{\"a\":1e9000}}", "[1e400]", "[-1e400]", "[1e-400]",
		"[0e-99999]", "[0e1001]", "[2.5e-324]", "[1.8e308]",
		"[0.000000000000000000000000000000000000000000000000000000000000000000000"
		"000000000000000000000000000000000000000000000000000000000000000000000000"
		"000000000000000000000000000000000000000000000000000000000000000000000000"
		"00000000000000000000000000000000000000000000000000000000000000000001]",
	};
	static const char *good[] = {
		"[1e308]", "[-1.7976931348623157e308]", "[2.2250738585072014e-308]",
		"[0e1000]", "[0.0]", "[-0.0e-5]", "[1.5]", "[1E+2]", "[123.456e-7]",
	};
	struct json_object *o;
	char err[128];

	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		ck_assert_msg(parse(bad[i], 0, &o, err) == JSON_ERR_SYNTAX, "accepted: %s", bad[i]);
		ck_assert_msg(strstr(err, "number out of range"), "%s: %s", bad[i], err);
	}
	for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
		ck_assert_msg(parse(good[i], 0, &o, err) == JSON_OK, "refused %s: %s", good[i], err);
		json_object_put(o);
	}
	ck_assert_int_eq(parse("{\"a\":[1, 2e999]}", 0, &o, err), JSON_ERR_SYNTAX);
	ck_assert_str_eq(err, "number out of range in \"a\" at byte 9");
}
END_TEST

START_TEST(depth_and_size_limits)
{
	struct json_object *o;
	char err[128];
	char *big;

	ck_assert_int_eq(parse("[[[1]]]", 3, &o, err), JSON_OK);
	json_object_put(o);
	ck_assert_int_eq(parse("[[[[1]]]]", 3, &o, err), JSON_ERR_DEPTH);
	ck_assert_ptr_null(o);
	big = malloc(JSON_MAX_BYTES + 2);
	memset(big, ' ', JSON_MAX_BYTES + 1);
	big[0] = '1';
	ck_assert_int_eq(json_parse(big, JSON_MAX_BYTES + 1, 0, &o, err, sizeof err), JSON_ERR_TOO_BIG);
	ck_assert_int_eq(json_parse(big, JSON_MAX_BYTES, 0, &o, err, sizeof err), JSON_OK);
	json_object_put(o);
	free(big);
}
END_TEST

START_TEST(getters_distinguish_missing_null_type)
{
	struct json_object *o;
	const char *s = NULL;
	int64_t i = 0;
	bool b = false;
	struct json_object *sub;
	char err[128];

	ck_assert_int_eq(parse("{\"s\":\"hi\",\"n\":null,\"i\":7,\"f\":1.0,\"e\":1e3,\"b\":true,"
			       "\"o\":{},\"a\":[],\"big\":9223372036854775808,"
			       "\"min\":-9223372036854775808,\"max\":9223372036854775807}",
			       0, &o, err), JSON_OK);
	ck_assert_int_eq(json_get_string(o, "s", &s), JSON_OK);
	ck_assert_str_eq(s, "hi");
	ck_assert_int_eq(json_get_string(o, "missing", &s), JSON_ERR_MISSING);
	ck_assert_int_eq(json_get_string(o, "n", &s), JSON_ERR_NULL);
	ck_assert_int_eq(json_get_string(o, "i", &s), JSON_ERR_TYPE);
	/* json_parse refuses \u0000, but objects built in code may hold it. */
	json_object_object_add(o, "z", json_object_new_string_len("a\0b", 3));
	ck_assert_int_eq(json_get_string(o, "z", &s), JSON_ERR_TYPE);
	ck_assert_int_eq(json_get_int64(o, "i", &i), JSON_OK);
	ck_assert_int_eq(i, 7);
	ck_assert_int_eq(json_get_int64(o, "f", &i), JSON_ERR_TYPE);
	ck_assert_int_eq(json_get_int64(o, "e", &i), JSON_ERR_TYPE);
	ck_assert_int_eq(json_get_int64(o, "s", &i), JSON_ERR_TYPE);
	ck_assert_int_eq(json_get_int64(o, "big", &i), JSON_ERR_RANGE);
	ck_assert_int_eq(json_get_int64(o, "min", &i), JSON_ERR_RANGE);
	ck_assert_int_eq(json_get_int64(o, "max", &i), JSON_OK);
	ck_assert(i == INT64_MAX);
	ck_assert_int_eq(json_get_bool(o, "b", &b), JSON_OK);
	ck_assert(b);
	ck_assert_int_eq(json_get_bool(o, "i", &b), JSON_ERR_TYPE);
	ck_assert_int_eq(json_get_object(o, "o", &sub), JSON_OK);
	ck_assert_int_eq(json_get_object(o, "a", &sub), JSON_ERR_TYPE);
	ck_assert_int_eq(json_get_array(o, "a", &sub), JSON_OK);
	ck_assert_int_eq(json_get_string(NULL, "s", &s), JSON_ERR_MISSING);
	ck_assert_int_eq(json_get_string(sub, "s", &s), JSON_ERR_MISSING); /* not an object */
	json_object_put(o);
}
END_TEST

START_TEST(number_text_is_the_source_text)
{
	struct json_object *o;
	char buf[JSON_NUMBER_TEXT_MAX], err[128];

	ck_assert_int_eq(parse("{\"a\":10.50,\"b\":1e2,\"c\":0.1000000000000000000001,\"d\":-7,"
			       "\"e\":\"5.00\",\"f\":null,\"g\":12345678901234567890}", 0, &o, err), JSON_OK);
	ck_assert_int_eq(json_get_number_text(o, "a", buf, sizeof buf), JSON_OK);
	ck_assert_str_eq(buf, "10.50");
	ck_assert_int_eq(json_get_number_text(o, "b", buf, sizeof buf), JSON_OK);
	ck_assert_str_eq(buf, "1e2");
	ck_assert_int_eq(json_get_number_text(o, "c", buf, sizeof buf), JSON_OK);
	ck_assert_str_eq(buf, "0.1000000000000000000001");
	ck_assert_int_eq(json_get_number_text(o, "d", buf, sizeof buf), JSON_OK);
	ck_assert_str_eq(buf, "-7");
	ck_assert_int_eq(json_get_number_text(o, "e", buf, sizeof buf), JSON_ERR_TYPE);
	ck_assert_int_eq(json_get_number_text(o, "f", buf, sizeof buf), JSON_ERR_NULL);
	ck_assert_int_eq(json_get_number_text(o, "x", buf, sizeof buf), JSON_ERR_MISSING);
	ck_assert_int_eq(json_get_number_text(o, "g", buf, sizeof buf), JSON_ERR_RANGE);
	ck_assert_int_eq(json_get_number_text(o, "a", buf, 5), JSON_ERR_SPACE);
	json_object_put(o);
}
END_TEST

START_TEST(serialization_is_compact_without_slash_escapes)
{
	struct json_object *o = json_object_new_object();
	size_t len = 0;

	json_object_object_add(o, "url", json_object_new_string("https://x/y"));
	json_object_object_add(o, "n", json_object_new_int64(5));
	ck_assert_str_eq(json_to_string_len(o, &len), "{\"url\":\"https://x/y\",\"n\":5}");
	ck_assert_uint_eq(len, strlen("{\"url\":\"https://x/y\",\"n\":5}"));
	json_object_put(o);
	ck_assert_str_eq(json_to_string(NULL), "null");
}
END_TEST

START_TEST(whole_numbers_may_be_written_as_floats)
{
	struct json_object *o;
	char err[128];
	int64_t v = 0;

	ck_assert_int_eq(parse("{\"a\":2000.0,\"b\":60,\"c\":2.5,\"d\":\"7\",\"e\":null,"
			       "\"f\":1e300,\"g\":6e1}", 0, &o, err), JSON_OK);
	ck_assert_int_eq(json_get_whole(o, "a", &v), JSON_OK);
	ck_assert_int_eq(v, 2000);
	ck_assert_int_eq(json_get_whole(o, "b", &v), JSON_OK);
	ck_assert_int_eq(v, 60);
	ck_assert_int_eq(json_get_whole(o, "g", &v), JSON_OK);
	ck_assert_int_eq(v, 60);
	ck_assert_int_eq(json_get_whole(o, "c", &v), JSON_ERR_TYPE);
	ck_assert_int_eq(json_get_whole(o, "d", &v), JSON_ERR_TYPE);
	ck_assert_int_eq(json_get_whole(o, "e", &v), JSON_ERR_NULL);
	ck_assert_int_eq(json_get_whole(o, "f", &v), JSON_ERR_RANGE);
	ck_assert_int_eq(json_get_whole(o, "x", &v), JSON_ERR_MISSING);
	json_object_put(o);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("json");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, parses_valid_documents);
	tcase_add_test(tc, rejects_malformed_documents);
	tcase_add_test(tc, rejects_extensions_and_unrepresentable_integers);
	tcase_add_test(tc, rejects_bad_utf8_nul_escapes_and_surrogates);
	tcase_add_test(tc, rejects_numbers_out_of_range);
	tcase_add_test(tc, depth_and_size_limits);
	tcase_add_test(tc, getters_distinguish_missing_null_type);
	tcase_add_test(tc, number_text_is_the_source_text);
	tcase_add_test(tc, serialization_is_compact_without_slash_escapes);
	tcase_add_test(tc, whole_numbers_may_be_written_as_floats);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
