/* Unit tests for lib/eip55, with the test addresses published in EIP-55. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "money/eip55.h"

/* From EIP-55: every one of these is already correctly checksummed. */
static const char *const checksummed[] = {
	"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
	"0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
	"0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
	"0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
	/* No letters that the checksum uppercases / lowercases. */
	"0x52908400098527886E0F7030069857D2E4169EE7",
	"0x8617E340B3D01FA5F11F306F4090FD50E238070D",
	"0xde709f2102306220921060314715629080e2fb77",
	"0x27b1fdb04752bbc536007a920d24acb045561c26",
};

static void case_map(const char *in, char *out, int upper)
{
	out[0] = '0';
	out[1] = 'x';
	for (size_t i = 2; in[i]; i++) {
		char c = in[i];

		if (upper && c >= 'a' && c <= 'f')
			c = (char)(c - 'a' + 'A');
		if (!upper && c >= 'A' && c <= 'F')
			c = (char)(c - 'A' + 'a');
		out[i] = c;
	}
	out[strlen(in)] = '\0';
}

START_TEST(published_vectors_round_trip)
{
	for (size_t i = 0; i < sizeof checksummed / sizeof checksummed[0]; i++) {
		char out[EIP55_ADDRESS_SIZE];

		ck_assert_int_eq(eip55_normalize(checksummed[i], out), EIP55_OK);
		ck_assert_str_eq(out, checksummed[i]);
	}
}
END_TEST

START_TEST(all_lower_and_all_upper_get_checksummed)
{
	for (size_t i = 0; i < sizeof checksummed / sizeof checksummed[0]; i++) {
		char in[EIP55_ADDRESS_SIZE], out[EIP55_ADDRESS_SIZE];

		case_map(checksummed[i], in, 0);
		ck_assert_int_eq(eip55_normalize(in, out), EIP55_OK);
		ck_assert_str_eq(out, checksummed[i]);
		case_map(checksummed[i], in, 1);
		ck_assert_int_eq(eip55_normalize(in, out), EIP55_OK);
		ck_assert_str_eq(out, checksummed[i]);
	}
}
END_TEST

START_TEST(wrong_checksum_rejected)
{
	char out[EIP55_ADDRESS_SIZE] = "untouched";

	/* One letter's case flipped (first 'a' -> 'A'). */
	ck_assert_int_eq(
		eip55_normalize("0x5AAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", out),
		EIP55_ECHECKSUM);
	ck_assert_str_eq(out, "untouched");
	/* Last letter flipped ('d' -> 'D'). */
	ck_assert_int_eq(
		eip55_normalize("0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5D359", out),
		EIP55_ECHECKSUM);
	ck_assert_int_eq(
		eip55_normalize("0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6Fb", out),
		EIP55_ECHECKSUM);
}
END_TEST

START_TEST(format_errors)
{
	char out[EIP55_ADDRESS_SIZE];

	ck_assert_int_eq(eip55_normalize(NULL, out), EIP55_EFORMAT);
	ck_assert_int_eq(eip55_normalize("", out), EIP55_EFORMAT);
	ck_assert_int_eq(eip55_normalize("0x1234", out), EIP55_EFORMAT);
	ck_assert_int_eq(
		eip55_normalize("5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed00", out),
		EIP55_EFORMAT);
	ck_assert_int_eq(
		eip55_normalize("0X5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", out),
		EIP55_EFORMAT);
	ck_assert_int_eq(
		eip55_normalize("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed0", out),
		EIP55_EFORMAT);
	ck_assert_int_eq(
		eip55_normalize("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeg", out),
		EIP55_EHEX);
	ck_assert_int_eq(
		eip55_normalize("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeA'd", out),
		EIP55_EHEX);
}
END_TEST

START_TEST(in_place_and_strerror)
{
	char buf[EIP55_ADDRESS_SIZE] = "0xde709f2102306220921060314715629080e2fb77";

	ck_assert_int_eq(eip55_normalize(buf, buf), EIP55_OK);
	ck_assert_str_eq(buf, "0xde709f2102306220921060314715629080e2fb77");
	for (int e = EIP55_ECHECKSUM; e <= EIP55_OK; e++)
		ck_assert_str_ne(eip55_strerror(e), "unknown eip55 error");
	ck_assert_str_eq(eip55_strerror(5), "unknown eip55 error");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("eip55");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, published_vectors_round_trip);
	tcase_add_test(tc, all_lower_and_all_upper_get_checksummed);
	tcase_add_test(tc, wrong_checksum_rejected);
	tcase_add_test(tc, format_errors);
	tcase_add_test(tc, in_place_and_strerror);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
