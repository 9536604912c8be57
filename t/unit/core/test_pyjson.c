/* Unit tests for lib/core/pyjson: Python json.dumps spelling (the expected
 * texts are what CPython 3.11 prints). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "core/pyjson.h"

static void float_is(double d, const char *want)
{
	char got[PYJSON_FLOAT_SIZE];

	pyjson_float(d, got);
	ck_assert_msg(strcmp(got, want) == 0, "%.17g: got %s, want %s", d, got, want);
}

START_TEST(floats_are_python_repr)
{
	float_is(5.0, "5.0");
	float_is(0.1, "0.1");
	float_is(0.3, "0.3");
	float_is(100.0, "100.0");
	float_is(-2.5, "-2.5");
	float_is(123.456, "123.456");
	float_is(1e16, "1e+16");
	float_is(1e22, "1e+22");
	float_is(1234567890123456.0, "1234567890123456.0");
	float_is(1.5e-05, "1.5e-05");
	float_is(0.0001, "0.0001");
	float_is(3e-300, "3e-300");
	float_is(1e-4 * 1.5, "0.00015000000000000001");
	float_is(0.0, "0.0");
	float_is(-0.0, "-0.0");
}
END_TEST

START_TEST(documents_are_sorted_compact_ascii)
{
	const char *src = "{\"b\":1,\"a\":[true,null,\"\\u00e9\\ud83d\\ude00\\u007f\\\"\\\\/\\n\"],"
			  "\"A\":2.0,\"n\":{\"z\":-7,\"y\":[]}}";
	const char *want = "{\"A\":2.0,\"a\":[true,null,\"\\u00e9\\ud83d\\ude00\\u007f\\\"\\\\/\\n\"],"
			   "\"b\":1,\"n\":{\"y\":[],\"z\":-7}}";
	struct json_object *o = json_tokener_parse(src);
	size_t len;
	char *s;

	ck_assert_ptr_nonnull(o);
	s = pyjson_dumps(o, &len);
	ck_assert_str_eq(s, want);
	ck_assert_uint_eq(len, strlen(want));
	free(s);
	json_object_put(o);
	s = pyjson_dumps(NULL, NULL);
	ck_assert_str_eq(s, "null");
	free(s);
}
END_TEST

/* An object split in parts spells, joined again, as the whole does. */
START_TEST(joined_members_spell_as_the_whole)
{
	const char *src = "{\"type\":\"table_state\",\"seats\":[{\"seat\":0,\"name\":\"b\\u00e9\"}],"
			  "\"hero\":{\"seat\":0,\"hole_cards\":[\"As\",\"Kd\"]},\"pot\":30,"
			  "\"\\u00e9\":1.0,\"Z\":null,\"to_call\":10,\"ts\":\"x\",\"a\\\"q\":[]}";
	struct json_object *whole = json_tokener_parse(src), *half[2];
	struct pyjson_members m[3];
	const struct pyjson_members *parts[3] = { &m[0], &m[1], &m[2] };
	char *want, *got;
	size_t wlen, glen;
	int i = 0;

	ck_assert_ptr_nonnull(whole);
	half[0] = json_object_new_object();
	half[1] = json_object_new_object();
	json_object_object_foreach(whole, k, v)
	{
		json_object_object_add(half[i++ % 2], k, json_object_get(v));
	}
	ck_assert_int_eq(pyjson_members(half[0], &m[0]), 0);
	ck_assert_int_eq(pyjson_members(half[1], &m[1]), 0);
	json_object_put(half[0]);
	json_object_put(half[1]);
	half[0] = json_object_new_object();
	ck_assert_int_eq(pyjson_members(half[0], &m[2]), 0);
	ck_assert_int_eq(m[2].n, 0);
	want = pyjson_dumps(whole, &wlen);
	got = pyjson_join(parts, 3, &glen);
	ck_assert_str_eq(got, want);
	ck_assert_uint_eq(glen, wlen);
	free(got);
	got = pyjson_join(parts + 2, 1, &glen);
	ck_assert_str_eq(got, "{}");
	free(got);
	for (i = 0; i < 3; i++)
		pyjson_members_free(&m[i]);
	ck_assert_int_eq(pyjson_members(json_object_object_get(whole, "seats"), &m[0]), -1);
	ck_assert_int_eq(m[0].n, 0);
	free(want);
	json_object_put(half[0]);
	json_object_put(whole);
}
END_TEST

START_TEST(times_are_python_isoformat)
{
	/* datetime.fromtimestamp(1796562000.000042, timezone.utc).isoformat() */
	struct timespec ts = { 1796562000, 42999 };
	char out[PYJSON_TIME_SIZE];

	pyjson_isoformat(&ts, out);
	ck_assert_str_eq(out, "2026-12-06T13:00:00.000042+00:00");
	ts.tv_nsec = 999999999;
	pyjson_isoformat(&ts, out);
	ck_assert_str_eq(out, "2026-12-06T13:00:00.999999+00:00");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("pyjson");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, floats_are_python_repr);
	tcase_add_test(tc, joined_members_spell_as_the_whole);
	tcase_add_test(tc, documents_are_sorted_compact_ascii);
	tcase_add_test(tc, times_are_python_isoformat);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
