/* Unit tests for lib/token: key shapes, hashing, prefixes, comparisons. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "core/hash.h"
#include "core/token.h"

static bool only(const char *s, const char *alphabet)
{
	return strspn(s, alphabet) == strlen(s);
}

#define BASE62 "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

START_TEST(random_fills_buffer)
{
	unsigned char a[64], b[64];

	memset(a, 0, sizeof a);
	memset(b, 0, sizeof b);
	ck_assert_int_eq(token_random(a, sizeof a), TOKEN_OK);
	ck_assert_int_eq(token_random(b, sizeof b), TOKEN_OK);
	/* 512 random bits equal by chance: probability 2^-512 */
	ck_assert_mem_ne(a, b, sizeof a);
	ck_assert_int_eq(token_random(NULL, 0), TOKEN_OK);
	ck_assert_int_eq(token_random(NULL, 4), TOKEN_ERR_ARG);
}
END_TEST

START_TEST(op_keys_have_fixed_shape)
{
	char k[TOKEN_OP_KEY_SIZE], prev[TOKEN_OP_KEY_SIZE] = "";

	for (int i = 0; i < 200; i++) {
		ck_assert_int_eq(token_api_key_op(k), TOKEN_OK);
		ck_assert_uint_eq(strlen(k), TOKEN_OP_KEY_SIZE - 1);
		ck_assert_int_eq(strncmp(k, "op_live_", 8), 0);
		ck_assert(only(k + 8, BASE62));
		ck_assert(token_looks_like_key(k));
		ck_assert_str_ne(k, prev);
		strcpy(prev, k);
	}
}
END_TEST

START_TEST(mpk_keys_have_fixed_shape)
{
	char k[TOKEN_MPK_KEY_SIZE];

	for (int i = 0; i < 50; i++) {
		ck_assert_int_eq(token_api_key_mpk(k), TOKEN_OK);
		ck_assert_uint_eq(strlen(k), 68);
		ck_assert_int_eq(strncmp(k, "mpk_", 4), 0);
		ck_assert(only(k + 4, "0123456789abcdef"));
		ck_assert(token_looks_like_key(k));
	}
}
END_TEST

START_TEST(session_tokens_are_url_safe)
{
	char t[TOKEN_SESSION_SIZE], u[TOKEN_SESSION_SIZE];

	ck_assert_int_eq(token_session(t), TOKEN_OK);
	ck_assert_int_eq(token_session(u), TOKEN_OK);
	ck_assert_uint_eq(strlen(t), 43);
	ck_assert(only(t, BASE62 "-_"));
	ck_assert_str_ne(t, u);
}
END_TEST

START_TEST(looks_like_key_rejects_near_misses)
{
	char k[TOKEN_OP_KEY_SIZE], m[TOKEN_MPK_KEY_SIZE], bad[80];

	token_api_key_op(k);
	token_api_key_mpk(m);
	ck_assert(!token_looks_like_key(NULL));
	ck_assert(!token_looks_like_key(""));
	ck_assert(!token_looks_like_key("op_live_"));
	ck_assert(!token_looks_like_key("op_live_abc123"));
	strcpy(bad, k);
	bad[20] = '-';
	ck_assert(!token_looks_like_key(bad));
	strcpy(bad, k);
	strcat(bad, "A");
	ck_assert(!token_looks_like_key(bad));
	strcpy(bad, k);
	bad[strlen(bad) - 1] = '\0';
	ck_assert(!token_looks_like_key(bad));
	memcpy(bad, "op_test_", 8);
	ck_assert(!token_looks_like_key(bad));
	strcpy(bad, m);
	bad[10] = 'A'; /* hex keys are lowercase */
	ck_assert(!token_looks_like_key(bad));
	strcpy(bad, m);
	bad[0] = 'n';
	ck_assert(!token_looks_like_key(bad));
}
END_TEST

START_TEST(hash_and_prefix)
{
	char h[TOKEN_HASH_SIZE], h2[HASH_SHA256_HEX_SIZE], p[TOKEN_PREFIX_SIZE];
	const char *key = "op_live_abcdefghijklmnop";

	token_key_hash(key, h);
	hash_sha256_hex(key, strlen(key), h2);
	ck_assert_str_eq(h, h2);
	ck_assert_uint_eq(strlen(h), 64);
	token_key_prefix(key, p);
	ck_assert_str_eq(p, "op_live_abcd");
	token_key_prefix("mpk_1", p);
	ck_assert_str_eq(p, "mpk_1");
}
END_TEST

START_TEST(equal_is_exact)
{
	ck_assert(token_equal("abc", "abc"));
	ck_assert(token_equal("", ""));
	ck_assert(!token_equal("abc", "abd"));
	ck_assert(!token_equal("abc", "abcd"));
	ck_assert(!token_equal("abcd", "abc"));
	ck_assert(!token_equal("", "a"));
	ck_assert(!token_equal(NULL, "a"));
	ck_assert(!token_equal("a", NULL));
}
END_TEST

START_TEST(strerror_names_codes)
{
	ck_assert_str_eq(token_strerror(TOKEN_OK), "ok");
	ck_assert_ptr_nonnull(strstr(token_strerror(TOKEN_ERR_RANDOM), "getrandom"));
	ck_assert_str_eq(token_strerror(-99), "unknown token error");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("token");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, random_fills_buffer);
	tcase_add_test(tc, op_keys_have_fixed_shape);
	tcase_add_test(tc, mpk_keys_have_fixed_shape);
	tcase_add_test(tc, session_tokens_are_url_safe);
	tcase_add_test(tc, looks_like_key_rejects_near_misses);
	tcase_add_test(tc, hash_and_prefix);
	tcase_add_test(tc, equal_is_exact);
	tcase_add_test(tc, strerror_names_codes);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
