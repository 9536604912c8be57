/* Unit tests for lib/core/name: name rules and confusable keys (ICU). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "core/name.h"

static int check(const char *s, struct name_checked *out)
{
	return name_check(s, strlen(s), 50, out);
}

/* The key of s, which must pass the rules. */
static const char *key_of(const char *s, struct name_checked *out)
{
	int rc = check(s, out);

	ck_assert_msg(rc == NAME_OK, "refused '%s': %s", s, name_strerror(rc));
	return out->key;
}

START_TEST(accepts_and_keeps_names)
{
	static const char *ok[] = {
		"bob", "my_bot", "Molt Bot 7", "\xe6\xa9\x9f\xe5\x99\xa8\xe4\xba\xba \xf0\x9f\xa4\x96",
		"Robert'); DROP TABLE agents;--", "\xc3\xbcn\xc3\xaf" "c\xc3\xb6" "d\xc3\xa9",
		"\xd0\x98\xd0\xb2\xd0\xb0\xd0\xbd_bot",          /* Иван_bot */
		"\xe2\x9d\xa4\xef\xb8\x8f fan",                  /* ❤️ with VS16 */
		"a", "00000000-0000-0000-0000-00000000000",      /* 31 hex digits */
	};
	struct name_checked n;

	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		int rc = check(ok[i], &n);

		ck_assert_msg(rc == NAME_OK, "refused '%s': %s", ok[i], name_strerror(rc));
		ck_assert_str_eq(n.name, ok[i]);
	}
}
END_TEST

START_TEST(trims_and_composes)
{
	struct name_checked n;

	ck_assert_int_eq(check("  bob \t", &n), NAME_OK);
	ck_assert_str_eq(n.name, "bob");
	ck_assert_uint_eq(n.chars, 3);
	/* NBSP and ideographic space are white space too. */
	ck_assert_int_eq(check("\xc2\xa0" "bob\xe3\x80\x80", &n), NAME_OK);
	ck_assert_str_eq(n.name, "bob");
	/* e + combining acute is stored composed (NFC). */
	ck_assert_int_eq(check("caf" "e\xcc\x81", &n), NAME_OK);
	ck_assert_str_eq(n.name, "caf\xc3\xa9");
	ck_assert_uint_eq(n.chars, 4);
	/* Inner spaces stay as sent. */
	ck_assert_int_eq(check("a  b", &n), NAME_OK);
	ck_assert_str_eq(n.name, "a  b");
}
END_TEST

START_TEST(refuses_invisible_and_control)
{
	static const char *bad[] = {
		"b\xe2\x80\x8b" "ob",        /* zero-width space U+200B */
		"bob\xe2\x80\xae" "cba",     /* right-to-left override U+202E */
		"\xe2\x80\x8f" "bob",        /* right-to-left mark */
		"bo\xe2\x80\x8d" "b",        /* zero-width joiner */
		"\xef\xbb\xbf" "bob",        /* BOM */
		"bo\xc2\xad" "b",            /* soft hyphen */
		"tab\there", "new\nline", "bell\x07", "del\x7f", "c1\xc2\x85x",
		"a\xe2\x80\xa8" "b",         /* line separator */
		"\xe3\x85\xa4",              /* HANGUL FILLER, invisible letter */
		"x\xe3\x85\xa4y",
		"pua\xee\x80\x80",           /* private use U+E000 */
		"\xf3\xa0\x80\x81tag",       /* language tag U+E0001 */
		"x\xcd\x8fy",                /* combining grapheme joiner */
	};
	struct name_checked n;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(check(bad[i], &n) == NAME_ECHARS, "accepted #%zu", i);
}
END_TEST

START_TEST(refuses_blank_long_bad_bytes_and_ids)
{
	struct name_checked n;
	char big[NAME_MAX_BYTES + 2];

	ck_assert_int_eq(check("", &n), NAME_EEMPTY);
	ck_assert_int_eq(check("   ", &n), NAME_EEMPTY);
	ck_assert_int_eq(check("\xe3\x80\x80\xc2\xa0\t\n", &n), NAME_EEMPTY);
	ck_assert_int_eq(name_check("x\0y", 3, 50, &n), NAME_EENCODING);
	ck_assert_int_eq(check("\xc0\xaf", &n), NAME_EENCODING);
	ck_assert_int_eq(check("\xed\xa0\x80", &n), NAME_EENCODING);
	ck_assert_int_eq(check("\xf4\x90\x80\x80", &n), NAME_EENCODING);
	ck_assert_int_eq(check("x\xff", &n), NAME_EENCODING);
	memset(big, 'a', 51);
	big[51] = '\0';
	ck_assert_int_eq(check(big, &n), NAME_ELENGTH);
	big[50] = '\0';
	ck_assert_int_eq(check(big, &n), NAME_OK);
	/* 50 characters of 4 bytes each are fine: characters, not bytes. */
	ck_assert_int_eq(name_check("\xf0\x9f\xa4\x96\xf0\x9f\xa4\x96", 8, 2, &n), NAME_OK);
	ck_assert_int_eq(name_check("\xf0\x9f\xa4\x96\xf0\x9f\xa4\x96", 8, 1, &n), NAME_ELENGTH);
	memset(big, ' ', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	ck_assert_int_eq(check(big, &n), NAME_ELENGTH);

	ck_assert_int_eq(check("00000000-0000-0000-0000-000000000001", &n), NAME_EUUID);
	ck_assert_int_eq(check("00000000000000000000000000000001", &n), NAME_EUUID);
	ck_assert_int_eq(check("{A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11}", &n), NAME_EUUID);
	ck_assert_int_eq(check(" a0eebc999c0b4ef8bb6d6bb9bd380a11 ", &n), NAME_EUUID);
	/* Fullwidth digits and letters read as an id too. */
	ck_assert_int_eq(check("\xef\xbc\x90\xef\xbc\x90\xef\xbc\x90\xef\xbc\x90"
			       "0000000000000000000000000001", &n), NAME_EUUID);
}
END_TEST

START_TEST(uuid_shape)
{
	ck_assert(name_uuid_shaped("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"));
	ck_assert(name_uuid_shaped("a0ee-bc99-9c0b-4ef8-bb6d-6bb9-bd38-0a11"));
	ck_assert(name_uuid_shaped("{a0eebc999c0b4ef8bb6d6bb9bd380a11}"));
	ck_assert(!name_uuid_shaped("a0eebc999c0b4ef8bb6d6bb9bd380a1"));
	ck_assert(!name_uuid_shaped("a0eebc999c0b4ef8bb6d6bb9bd380a111"));
	ck_assert(!name_uuid_shaped("g0eebc999c0b4ef8bb6d6bb9bd380a11"));
	ck_assert(!name_uuid_shaped("a0eebc99_9c0b_4ef8_bb6d_6bb9bd380a11"));
	ck_assert(!name_uuid_shaped(""));
}
END_TEST

START_TEST(confusables_share_a_key)
{
	struct name_checked a, b;
	static const char *same_as_bob[] = {
		"Bob", "BOB", "\xef\xbd\x82\xef\xbd\x8f\xef\xbd\x82",   /* ｂｏｂ */
		"b\xd0\xbe" "b",                                         /* Cyrillic о */
		"\xd0\x92\xd0\x9e\xd0\x92",                              /* Cyrillic ВОВ */
		"b0b", " bob ",
	};

	key_of("bob", &a);
	for (size_t i = 0; i < sizeof same_as_bob / sizeof same_as_bob[0]; i++)
		ck_assert_msg(strcmp(key_of(same_as_bob[i], &b), a.key) == 0,
			      "#%zu: key '%s' differs from '%s'", i, b.key, a.key);
	/* I, l and 1 look alike; rn and m do too. */
	ck_assert_str_eq(key_of("botI", &a), key_of("bot1", &b));
	ck_assert_str_eq(key_of("botl", &a), key_of("bot1", &b));
	ck_assert_str_eq(key_of("warm", &a), key_of("warrn", &b));
	/* Runs of white space of any kind are one space. */
	ck_assert_str_eq(key_of("molt  bot", &a), key_of("molt\xe3\x80\x80" "bot", &b));
	/* Names that do not look alike keep distinct keys. */
	ck_assert_str_ne(key_of("bob", &a), key_of("bab", &b));
	ck_assert_str_ne(key_of("bob", &a), key_of("bob2", &b));
	ck_assert_str_ne(key_of("alice", &a), key_of("alic", &b));
}
END_TEST

START_TEST(key_of_stored_names)
{
	char key[NAME_KEY_SIZE], small[4];

	ck_assert_int_eq(name_key("Platform", key, sizeof key), NAME_OK);
	ck_assert_str_eq(key, "platforrn");
	ck_assert_int_eq(name_key("platform", small, sizeof small), NAME_ELENGTH);
	ck_assert_int_eq(name_key("\xc0\xaf", key, sizeof key), NAME_EENCODING);
}
END_TEST

START_TEST(strerror_covers_codes)
{
	for (int e = NAME_EINTERNAL; e <= NAME_OK; e++)
		ck_assert_str_ne(name_strerror(e), "unknown name error");
	ck_assert_str_eq(name_strerror(-42), "unknown name error");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("name");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, accepts_and_keeps_names);
	tcase_add_test(tc, trims_and_composes);
	tcase_add_test(tc, refuses_invisible_and_control);
	tcase_add_test(tc, refuses_blank_long_bad_bytes_and_ids);
	tcase_add_test(tc, uuid_shape);
	tcase_add_test(tc, confusables_share_a_key);
	tcase_add_test(tc, key_of_stored_names);
	tcase_add_test(tc, strerror_covers_codes);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
