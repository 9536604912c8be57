/* Unit tests for lib/money/u256: exact 256-bit amounts and the USDC base
 * unit <-> ucent conversion, at the edges of int64 and of 2^256. */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "money/u256.h"

#define MAX256 "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
#define MAX256_DEC "115792089237316195423570985008687907853269984665640564039457584007913129639935"

static struct u256 hex(const char *s)
{
	struct u256 v;

	ck_assert_int_eq(u256_from_hex(s, strlen(s), &v), U256_OK);
	return v;
}

static const char *dec(const struct u256 *v)
{
	static char buf[U256_DEC_SIZE];

	u256_to_dec(v, buf);
	return buf;
}

START_TEST(hex_and_decimal)
{
	struct u256 v;
	char h[U256_HEX_SIZE];

	v = hex("0x0");
	ck_assert(u256_is_zero(&v));
	ck_assert_str_eq(dec(&v), "0");
	v = hex("0xF4240");
	ck_assert_str_eq(dec(&v), "1000000");
	u256_to_hex(&v, h);
	ck_assert_str_eq(h, "0x00000000000000000000000000000000000000000000000000000000000f4240");
	v = hex(MAX256);
	ck_assert_str_eq(dec(&v), MAX256_DEC);
	v = hex("0x0000000000000000000000000000000000000000000000000de0b6b3a7640000");
	ck_assert_str_eq(dec(&v), "1000000000000000000");
	{
		static const char *const bad[] = {
			"", "0x", "00", "0xg", "x1", "0x1 ",
			"0x10000000000000000000000000000000000000000000000000000000000000000",
		};

		for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
			ck_assert_int_eq(u256_from_hex(bad[i], strlen(bad[i]), &v), U256_ESYNTAX);
	}
}
END_TEST

START_TEST(add_detects_overflow)
{
	struct u256 a = hex(MAX256), one, out;

	u256_from_u64(&one, 1);
	ck_assert_int_eq(u256_add(&a, &one, &out), U256_EOVERFLOW);
	a = hex("0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe");
	ck_assert_int_eq(u256_add(&a, &one, &out), U256_OK);
	ck_assert_str_eq(dec(&out), MAX256_DEC);
	/* carries across every byte */
	a = hex("0xffffffffffffffff");
	ck_assert_int_eq(u256_add(&a, &one, &a), U256_OK);
	ck_assert_str_eq(dec(&a), "18446744073709551616");
	ck_assert_int_gt(u256_cmp(&a, &one), 0);
	ck_assert_int_lt(u256_cmp(&one, &a), 0);
	ck_assert_int_eq(u256_cmp(&a, &a), 0);
}
END_TEST

START_TEST(ucents_exact_with_remainder)
{
	struct u256 v;
	int64_t ucents;
	unsigned rem;

	/* 10.00 USDC = 10,000,000 base units = 100,000 ucents */
	u256_from_u64(&v, 10000000);
	ck_assert_int_eq(u256_to_ucents(&v, &ucents, &rem), U256_OK);
	ck_assert_int_eq(ucents, 100000);
	ck_assert_uint_eq(rem, 0);
	u256_from_u64(&v, 1234567);
	ck_assert_int_eq(u256_to_ucents(&v, &ucents, &rem), U256_OK);
	ck_assert_int_eq(ucents, 12345);
	ck_assert_uint_eq(rem, 67);
	u256_from_u64(&v, 99);
	ck_assert_int_eq(u256_to_ucents(&v, &ucents, &rem), U256_OK);
	ck_assert_int_eq(ucents, 0);
	ck_assert_uint_eq(rem, 99);
}
END_TEST

START_TEST(ucents_refuse_beyond_int64)
{
	struct u256 v;
	int64_t ucents = -1;
	unsigned rem = 7;

	/* INT64_MAX ucents * 100 + 99: the largest amount that fits */
	v = hex("0x31ffffffffffffffff"); /* 922337203685477580799 */
	ck_assert_str_eq(dec(&v), "922337203685477580799");
	ck_assert_int_eq(u256_to_ucents(&v, &ucents, &rem), U256_OK);
	ck_assert_int_eq(ucents, INT64_MAX);
	ck_assert_uint_eq(rem, 99);
	/* one base unit more is refused, nothing written */
	v = hex("0x320000000000000000");
	ucents = -1;
	ck_assert_int_eq(u256_to_ucents(&v, &ucents, &rem), U256_ERANGE);
	ck_assert_int_eq(ucents, -1);
	v = hex(MAX256);
	ck_assert_int_eq(u256_to_ucents(&v, &ucents, NULL), U256_ERANGE);
	/* 2^64 ucents would wrap to 0 in 64 bits */
	v = hex("0x640000000000000000"); /* 2^64 * 100 */
	ck_assert_int_eq(u256_to_ucents(&v, &ucents, NULL), U256_ERANGE);
}
END_TEST

START_TEST(from_ucents_round_trip)
{
	const int64_t samples[] = { 0, 1, 99, 100, 50000, INT64_MAX };

	for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
		struct u256 v;
		int64_t back;
		unsigned rem;

		u256_from_ucents(&v, samples[i]);
		ck_assert_int_eq(u256_to_ucents(&v, &back, &rem), U256_OK);
		ck_assert_int_eq(back, samples[i]);
		ck_assert_uint_eq(rem, 0);
	}
	{
		struct u256 v;

		u256_from_ucents(&v, INT64_MAX);
		ck_assert_str_eq(dec(&v), "922337203685477580700");
	}
}
END_TEST

START_TEST(u64_and_divmod)
{
	struct u256 v = hex("0x10000000000000000"), q;
	uint64_t out;
	unsigned r;

	ck_assert_int_eq(u256_to_u64(&v, &out), U256_ERANGE);
	v = hex("0xffffffffffffffff");
	ck_assert_int_eq(u256_to_u64(&v, &out), U256_OK);
	ck_assert(out == UINT64_MAX);
	v = hex(MAX256);
	u256_divmod_small(&v, 65535, &q, &r);
	ck_assert_uint_eq(r, 0); /* 2^256 - 1 is divisible by 2^16 - 1 */
	ck_assert_str_eq(u256_strerror(U256_ERANGE), "amount too large");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("u256");
	TCase *tc = tcase_create("u256");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, hex_and_decimal);
	tcase_add_test(tc, add_detects_overflow);
	tcase_add_test(tc, ucents_exact_with_remainder);
	tcase_add_test(tc, ucents_refuse_beyond_int64);
	tcase_add_test(tc, from_ucents_round_trip);
	tcase_add_test(tc, u64_and_divmod);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
