/* Unit tests for lib/core/utf8: strict RFC 3629 decoding and validation. */
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"

static int check(const char *s, size_t *bad)
{
	return utf8_validate(s, strlen(s), bad);
}

START_TEST(accepts_every_form)
{
	static const char *ok[] = {
		"", "ascii only", "\x7f",
		"\xc2\x80", "\xdf\xbf",                      /* U+0080, U+07FF */
		"\xe0\xa0\x80", "\xed\x9f\xbf",              /* U+0800, U+D7FF */
		"\xee\x80\x80", "\xef\xbf\xbf",              /* U+E000, U+FFFF */
		"\xf0\x90\x80\x80", "\xf4\x8f\xbf\xbf",      /* U+10000, U+10FFFF */
		"caf\xc3\xa9 \xe6\xa9\x9f \xf0\x9f\xa4\x96", /* café 機 🤖 */
	};

	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
		ck_assert_msg(check(ok[i], NULL) == UTF8_OK, "refused #%zu", i);
	/* U+0000 is valid UTF-8: NUL is the callers' business. */
	ck_assert_int_eq(utf8_validate("a\0b", 3, NULL), UTF8_OK);
}
END_TEST

START_TEST(refuses_with_reason_and_offset)
{
	static const struct {
		const char *s;
		int err;
		size_t at;
	} bad[] = {
		{ "\xc0\xaf", UTF8_EOVERLONG, 0 },           /* '/' in two bytes */
		{ "ab\xc1\xbf", UTF8_EOVERLONG, 2 },
		{ "\xe0\x80\xaf", UTF8_EOVERLONG, 0 },       /* '/' in three */
		{ "\xe0\x9f\xbf", UTF8_EOVERLONG, 0 },       /* U+07FF in three */
		{ "\xf0\x80\x80\xaf", UTF8_EOVERLONG, 0 },   /* '/' in four */
		{ "\xf0\x8f\xbf\xbf", UTF8_EOVERLONG, 0 },   /* U+FFFF in four */
		{ "x\xed\xa0\x80", UTF8_ESURROGATE, 1 },     /* U+D800 */
		{ "\xed\xbf\xbf", UTF8_ESURROGATE, 0 },      /* U+DFFF */
		{ "\xf4\x90\x80\x80", UTF8_ERANGE, 0 },      /* U+110000 */
		{ "\xf5\x80\x80\x80", UTF8_ERANGE, 0 },
		{ "\xff", UTF8_ERANGE, 0 },
		{ "\x80", UTF8_EBYTE, 0 },                   /* lone continuation */
		{ "ok\xbf", UTF8_EBYTE, 2 },
		{ "\xc3", UTF8_ETRUNCATED, 0 },
		{ "\xc3(", UTF8_ETRUNCATED, 0 },
		{ "\xe6\xa9", UTF8_ETRUNCATED, 0 },
		{ "\xf0\x9f\xa4", UTF8_ETRUNCATED, 0 },
		{ "\xf0\x9f\xa4x", UTF8_ETRUNCATED, 0 },
	};

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		size_t at = 99;
		int rc = check(bad[i].s, &at);

		ck_assert_msg(rc == bad[i].err, "#%zu: %d, want %d", i, rc, bad[i].err);
		ck_assert_msg(at == bad[i].at, "#%zu: at %zu, want %zu", i, at,
			      bad[i].at);
	}
}
END_TEST

START_TEST(decodes_code_points)
{
	uint32_t cp = 0;

	ck_assert_int_eq(utf8_decode("A", 1, &cp), 1);
	ck_assert_uint_eq(cp, 0x41);
	ck_assert_int_eq(utf8_decode("\xc3\xa9", 2, &cp), 2);
	ck_assert_uint_eq(cp, 0xE9);
	ck_assert_int_eq(utf8_decode("\xe2\x80\x8b", 3, &cp), 3);
	ck_assert_uint_eq(cp, 0x200B);
	ck_assert_int_eq(utf8_decode("\xf4\x8f\xbf\xbf", 4, &cp), 4);
	ck_assert_uint_eq(cp, 0x10FFFF);
	/* A length that cuts the sequence short is truncation, even when the
	 * bytes beyond would complete it. */
	ck_assert_int_eq(utf8_decode("\xe2\x80\x8b", 2, &cp), UTF8_ETRUNCATED);
}
END_TEST

/* Every 2- and 3-byte sequence: accepted exactly when it is the shortest
 * encoding of the code point it decodes to, outside the surrogates.
 * Mismatches are counted, not asserted one by one: check's per-assertion
 * bookkeeping would make this loop of 100,000 cases crawl. */
START_TEST(exhaustive_short_sequences)
{
	char s[3], first_bad[32] = "";
	int mismatches = 0;
	uint32_t cp;

	for (int a = 0x80; a < 0x100; a++)
		for (int b = 0; b < 0x100; b++) {
			bool want = a >= 0xC2 && a <= 0xDF && (b & 0xC0) == 0x80;

			s[0] = (char)a;
			s[1] = (char)b;
			if ((utf8_decode(s, 2, &cp) == 2) != want && !mismatches++)
				snprintf(first_bad, sizeof first_bad, "%02x %02x", a, b);
		}
	for (int a = 0xE0; a < 0xF0; a++)
		for (int b = 0x80; b < 0xC0; b++)
			for (int c = 0x80; c < 0xC0; c++) {
				uint32_t v = (uint32_t)((a & 0x0F) << 12 |
							(b & 0x3F) << 6 | (c & 0x3F));
				bool want = v >= 0x800 && (v < 0xD800 || v > 0xDFFF);
				int len;

				s[0] = (char)a;
				s[1] = (char)b;
				s[2] = (char)c;
				len = utf8_decode(s, 3, &cp);
				if (((len == 3) != want || (want && cp != v)) &&
				    !mismatches++)
					snprintf(first_bad, sizeof first_bad,
						 "%02x %02x %02x", a, b, c);
			}
	ck_assert_msg(mismatches == 0, "%d mismatches, first: %s", mismatches,
		      first_bad);
}
END_TEST

START_TEST(strerror_covers_codes)
{
	for (int e = UTF8_ERANGE; e <= UTF8_OK; e++)
		ck_assert_str_ne(utf8_strerror(e), "unknown utf8 error");
	ck_assert_str_eq(utf8_strerror(-42), "unknown utf8 error");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("utf8");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, accepts_every_form);
	tcase_add_test(tc, refuses_with_reason_and_offset);
	tcase_add_test(tc, decodes_code_points);
	tcase_add_test(tc, exhaustive_short_sequences);
	tcase_add_test(tc, strerror_covers_codes);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
