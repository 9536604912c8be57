/* Unit tests for lib/hash: SHA-256 against FIPS 180-2 vectors, hex. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "core/hash.h"

START_TEST(sha256_known_vectors)
{
	char hex[HASH_SHA256_HEX_SIZE];
	const char *two_blocks = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";

	hash_sha256_hex("abc", 3, hex);
	ck_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	hash_sha256_hex("", 0, hex);
	ck_assert_str_eq(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	hash_sha256_hex(NULL, 0, hex);
	ck_assert_str_eq(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	hash_sha256_hex(two_blocks, strlen(two_blocks), hex);
	ck_assert_str_eq(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}
END_TEST

START_TEST(sha256_raw_matches_hex)
{
	uint8_t md[HASH_SHA256_SIZE];
	char hex[HASH_SHA256_HEX_SIZE], hex2[HASH_SHA256_HEX_SIZE];

	hash_sha256("abc", 3, md);
	ck_assert_uint_eq(md[0], 0xba);
	ck_assert_uint_eq(md[31], 0xad);
	hash_hex(md, sizeof md, hex);
	hash_sha256_hex("abc", 3, hex2);
	ck_assert_str_eq(hex, hex2);
}
END_TEST

START_TEST(hex_encoding)
{
	const uint8_t in[] = {0x00, 0x01, 0x7f, 0x80, 0xfe, 0xff};
	char out[2 * sizeof in + 1];

	memset(out, 'x', sizeof out);
	hash_hex(in, sizeof in, out);
	ck_assert_str_eq(out, "00017f80feff");
	hash_hex(in, 0, out);
	ck_assert_str_eq(out, "");
}
END_TEST

START_TEST(hex_decoding)
{
	static const char digits[] = "0123456789abcdefABCDEF";

	for (int i = 0; digits[i]; i++)
		ck_assert_int_eq(hash_hex_value(digits[i]), i < 16 ? i : i - 6);
	ck_assert_int_eq(hash_hex_value('g'), -1);
	ck_assert_int_eq(hash_hex_value('x'), -1);
	ck_assert_int_eq(hash_hex_value('\0'), -1);
	ck_assert_int_eq(hash_hex_value(' '), -1);
	ck_assert(hash_is_hex("00ff9aB", 7));
	ck_assert(!hash_is_hex("0x12", 4));
	ck_assert(hash_is_hex("", 0));
}
END_TEST

START_TEST(unhex_is_strict)
{
	uint8_t b[3];

	ck_assert(hash_unhex("00fFa1", b, 3));
	ck_assert_int_eq(b[0], 0x00);
	ck_assert_int_eq(b[1], 0xff);
	ck_assert_int_eq(b[2], 0xa1);
	ck_assert(!hash_unhex("00ffa", b, 3));   /* too short */
	ck_assert(!hash_unhex("00ffa1b", b, 3)); /* too long */
	ck_assert(!hash_unhex(" 0ffa1", b, 3));  /* sscanf would take this */
	ck_assert(!hash_unhex("+0ffa1", b, 3));
	ck_assert(!hash_unhex("00ffg1", b, 3));
	ck_assert(!hash_unhex(NULL, b, 3));
	ck_assert(hash_unhex("", b, 0));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("hash");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, sha256_known_vectors);
	tcase_add_test(tc, sha256_raw_matches_hex);
	tcase_add_test(tc, hex_encoding);
	tcase_add_test(tc, hex_decoding);
	tcase_add_test(tc, unhex_is_strict);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
