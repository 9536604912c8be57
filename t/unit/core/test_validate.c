/* Unit tests for lib/validate: name, email and avatar URL syntax. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "core/validate.h"

START_TEST(names)
{
	char long_name[VALIDATE_NAME_MAX + 2];

	ck_assert_int_eq(validate_name("my_bot"), VALIDATE_OK);
	ck_assert_int_eq(validate_name("abc"), VALIDATE_OK);
	ck_assert_int_eq(validate_name("A_9"), VALIDATE_OK);
	ck_assert_int_eq(validate_name("ab"), VALIDATE_ELENGTH);
	ck_assert_int_eq(validate_name(""), VALIDATE_EEMPTY);
	ck_assert_int_eq(validate_name(NULL), VALIDATE_EEMPTY);
	ck_assert_int_eq(validate_name("my bot"), VALIDATE_ECHARS);
	ck_assert_int_eq(validate_name("bot-1"), VALIDATE_ECHARS);
	ck_assert_int_eq(validate_name("x'; DROP TABLE agents;--"),
			 VALIDATE_ECHARS);
	ck_assert_int_eq(validate_name("b\xc3\xb6t"), VALIDATE_ECHARS);
	memset(long_name, 'a', VALIDATE_NAME_MAX);
	long_name[VALIDATE_NAME_MAX] = '\0';
	ck_assert_int_eq(validate_name(long_name), VALIDATE_OK);
	long_name[VALIDATE_NAME_MAX] = 'a';
	long_name[VALIDATE_NAME_MAX + 1] = '\0';
	ck_assert_int_eq(validate_name(long_name), VALIDATE_ELENGTH);
}
END_TEST

START_TEST(emails_accepted)
{
	static const char *ok[] = {
		"you@example.com", "a.b+tag@sub.example.co.uk", "x@y.io",
		"o'brien@example.org", "UPPER@EXAMPLE.COM", "a-b@x-y.example",
	};

	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
		ck_assert_msg(validate_email(ok[i]) == VALIDATE_OK, "refused %s",
			      ok[i]);
}
END_TEST

START_TEST(emails_refused)
{
	static const char *bad[] = {
		"plain", "@example.com", "you@", "you@localhost",
		"a@@example.com", "a@b@example.com", ".a@example.com",
		"a.@example.com", "a..b@example.com", "a@-x.com", "a@x-.com",
		"a@x..com", "a@.x.com", "a@x.com.", "a b@example.com",
		"a@exa mple.com", "a\"b@example.com", "a@ex_ample.com",
		"j\xc3\xb6rg@example.com", "a@example.com\n",
	};
	char big[VALIDATE_EMAIL_MAX + 8];
	char local[VALIDATE_EMAIL_LOCAL_MAX + 16];

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(validate_email(bad[i]) < 0, "accepted %s", bad[i]);
	ck_assert_int_eq(validate_email(""), VALIDATE_EEMPTY);
	ck_assert_int_eq(validate_email(NULL), VALIDATE_EEMPTY);
	memset(big, 'a', sizeof big);
	memcpy(big + sizeof big - 13, "@example.com", 13);
	ck_assert_int_eq(validate_email(big), VALIDATE_ELENGTH);
	memset(local, 'a', VALIDATE_EMAIL_LOCAL_MAX + 1);
	strcpy(local + VALIDATE_EMAIL_LOCAL_MAX + 1, "@x.com");
	ck_assert_int_eq(validate_email(local), VALIDATE_EFORMAT);
	strcpy(local + VALIDATE_EMAIL_LOCAL_MAX, "@x.com");
	ck_assert_int_eq(validate_email(local), VALIDATE_OK);
}
END_TEST

START_TEST(avatar_urls)
{
	char big[VALIDATE_URL_MAX + 2];

	ck_assert_int_eq(validate_avatar_url("https://example.com/avatar.png"),
			 VALIDATE_OK);
	ck_assert_int_eq(validate_avatar_url("http://example.com"), VALIDATE_OK);
	ck_assert_int_eq(validate_avatar_url("HTTPS://x.io:8443/a?b=c#d"),
			 VALIDATE_OK);
	ck_assert_int_eq(validate_avatar_url("ftp://example.com/a.png"),
			 VALIDATE_ESCHEME);
	ck_assert_int_eq(validate_avatar_url("javascript:alert(1)"),
			 VALIDATE_ESCHEME);
	ck_assert_int_eq(validate_avatar_url("example.com/a.png"),
			 VALIDATE_ESCHEME);
	ck_assert_int_eq(validate_avatar_url("https://"), VALIDATE_EFORMAT);
	ck_assert_int_eq(validate_avatar_url("https:///a.png"), VALIDATE_EFORMAT);
	ck_assert_int_eq(validate_avatar_url("https://user@evil.com/"),
			 VALIDATE_EFORMAT);
	ck_assert_int_eq(validate_avatar_url("https://:80/"), VALIDATE_EFORMAT);
	ck_assert_int_eq(validate_avatar_url("https://x.com/a b.png"),
			 VALIDATE_ECHARS);
	ck_assert_int_eq(validate_avatar_url("https://x.com/\"><script>"),
			 VALIDATE_ECHARS);
	ck_assert_int_eq(validate_avatar_url("https://x.com/\xc3\xa9"),
			 VALIDATE_ECHARS);
	ck_assert_int_eq(validate_avatar_url(""), VALIDATE_EEMPTY);
	ck_assert_int_eq(validate_avatar_url(NULL), VALIDATE_EEMPTY);
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	memcpy(big, "https://x.com/", 14);
	ck_assert_int_eq(validate_avatar_url(big), VALIDATE_ELENGTH);
	big[VALIDATE_URL_MAX] = '\0';
	ck_assert_int_eq(validate_avatar_url(big), VALIDATE_OK);
}
END_TEST

START_TEST(strerror_covers_codes)
{
	for (int e = VALIDATE_ESCHEME; e <= VALIDATE_OK; e++)
		ck_assert_str_ne(validate_strerror(e), "unknown validate error");
	ck_assert_str_eq(validate_strerror(-42), "unknown validate error");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("validate");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, names);
	tcase_add_test(tc, emails_accepted);
	tcase_add_test(tc, emails_refused);
	tcase_add_test(tc, avatar_urls);
	tcase_add_test(tc, strerror_covers_codes);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
