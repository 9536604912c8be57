/* Unit tests for lib/money/abi with published vectors: function selectors
 * from the Solidity ABI specification and ERC-20, the Transfer and
 * Approval event topics, and the encoding rules (addresses left-padded,
 * uint256 big-endian words). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "money/abi.h"

#define ALICE "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed" /* EIP-55 vector */
#define BOB "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359"
#define ALICE_WORD "0x0000000000000000000000005aaeb6053f3e94c9b9a09f33669435e7ef1beaed"
#define BOB_WORD "0x000000000000000000000000fb6916095ca1df60bb79ce92ce3ea74c37c5d359"
#define ONE_USDC_WORD "0x00000000000000000000000000000000000000000000000000000000000f4240"

START_TEST(published_selectors_and_topics)
{
	char sel[ABI_SELECTOR_SIZE], topic[ABI_WORD_SIZE];

	/* Solidity ABI specification, "Examples". */
	abi_selector("baz(uint32,bool)", sel);
	ck_assert_str_eq(sel, "0xcdcd77c0");
	abi_selector("bar(bytes3[2])", sel);
	ck_assert_str_eq(sel, "0xfce353f6");
	abi_selector("sam(bytes,bool,uint256[])", sel);
	ck_assert_str_eq(sel, "0xa5643bf2");
	/* ERC-20 (EIP-20). */
	abi_selector("transfer(address,uint256)", sel);
	ck_assert_str_eq(sel, ABI_TRANSFER_SELECTOR);
	ck_assert_str_eq(sel, "0xa9059cbb");
	abi_selector("balanceOf(address)", sel);
	ck_assert_str_eq(sel, "0x70a08231");
	abi_topic("Transfer(address,address,uint256)", topic);
	ck_assert_str_eq(topic, ABI_TRANSFER_TOPIC);
	ck_assert_str_eq(topic, "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef");
	abi_topic("Approval(address,address,uint256)", topic);
	ck_assert_str_eq(topic, "0x8c5be1e5ebec7d5bd14f71427d1e84f3dd0314c0f7b2291e5b200ac8c7c3b925");
}
END_TEST

START_TEST(transfer_call_encoding)
{
	char data[ABI_TRANSFER_CALL_SIZE], to[EIP55_ADDRESS_SIZE];
	struct u256 amount, back;

	u256_from_u64(&amount, 1000000);
	ck_assert_int_eq(abi_transfer_call(ALICE, &amount, data), ABI_OK);
	/* selector, the address left-padded to a word, the amount word */
	ck_assert_str_eq(data, "0xa9059cbb"
			 "0000000000000000000000005aaeb6053f3e94c9b9a09f33669435e7ef1beaed"
			 "00000000000000000000000000000000000000000000000000000000000f4240");
	ck_assert_uint_eq(strlen(data), ABI_TRANSFER_CALL_SIZE - 1);
	ck_assert_int_eq(abi_parse_transfer_call(data, to, &back), ABI_OK);
	ck_assert_str_eq(to, ALICE);
	ck_assert_int_eq(u256_cmp(&amount, &back), 0);
	/* lowercase or checksummed input gives the same bytes */
	{
		char data2[ABI_TRANSFER_CALL_SIZE];

		ck_assert_int_eq(abi_transfer_call("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed",
						   &amount, data2), ABI_OK);
		ck_assert_str_eq(data, data2);
	}
	ck_assert_int_eq(abi_transfer_call("0x5AAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
					   &amount, data), ABI_EADDRESS);
	ck_assert_int_eq(abi_transfer_call("0x1234", &amount, data), ABI_EADDRESS);
}
END_TEST

START_TEST(transfer_call_parse_refusals)
{
	char to[EIP55_ADDRESS_SIZE];
	struct u256 amount;

	ck_assert_int_eq(abi_parse_transfer_call("0x", to, &amount), ABI_ENOTTRANSFER);
	ck_assert_int_eq(abi_parse_transfer_call(NULL, to, &amount), ABI_ENOTTRANSFER);
	ck_assert_int_eq(abi_parse_transfer_call("0x095ea7b3" ALICE_WORD, to, &amount),
			 ABI_ENOTTRANSFER);
	ck_assert_int_eq(abi_parse_transfer_call("0xa9059cbb00", to, &amount), ABI_EMALFORMED);
	/* an address word with a high byte set */
	ck_assert_int_eq(abi_parse_transfer_call(
		"0xa9059cbb0100000000000000000000005aaeb6053f3e94c9b9a09f33669435e7ef1beaed"
		"00000000000000000000000000000000000000000000000000000000000f4240", to, &amount),
		ABI_EMALFORMED);
	ck_assert_int_eq(abi_parse_transfer_call(
		"0xa9059cbb0000000000000000000000005aaeb6053f3e94c9b9a09f33669435e7ef1beaed"
		"00000000000000000000000000000000000000000000000000000000000f424z", to, &amount),
		ABI_EMALFORMED);
}
END_TEST

START_TEST(transfer_log_decoding)
{
	const char *topics[3] = { ABI_TRANSFER_TOPIC, ALICE_WORD, BOB_WORD };
	char from[EIP55_ADDRESS_SIZE], to[EIP55_ADDRESS_SIZE];
	struct u256 amount;
	char d[U256_DEC_SIZE];

	ck_assert_int_eq(abi_parse_transfer_log(topics, 3, ONE_USDC_WORD, from, to, &amount),
			 ABI_OK);
	ck_assert_str_eq(from, ALICE);
	ck_assert_str_eq(to, BOB);
	u256_to_dec(&amount, d);
	ck_assert_str_eq(d, "1000000");
	/* topics in upper case from an odd node */
	{
		const char *upper[3] = {
			"0xDDF252AD1BE2C89B69C2B068FC378DAA952BA7F163C4A11628F55A4DF523B3EF",
			"0x0000000000000000000000005AAEB6053F3E94C9B9A09F33669435E7EF1BEAED",
			BOB_WORD,
		};

		ck_assert_int_eq(abi_parse_transfer_log(upper, 3, ONE_USDC_WORD, from, to, &amount),
				 ABI_OK);
		ck_assert_str_eq(from, ALICE);
	}
}
END_TEST

START_TEST(transfer_log_refusals)
{
	const char *approval[3] = {
		"0x8c5be1e5ebec7d5bd14f71427d1e84f3dd0314c0f7b2291e5b200ac8c7c3b925",
		ALICE_WORD, BOB_WORD,
	};
	const char *erc721[4] = { ABI_TRANSFER_TOPIC, ALICE_WORD, BOB_WORD, ONE_USDC_WORD };
	const char *dirty[3] = {
		ABI_TRANSFER_TOPIC,
		"0xff00000000000000000000005aaeb6053f3e94c9b9a09f33669435e7ef1beaed", BOB_WORD,
	};
	const char *ok[3] = { ABI_TRANSFER_TOPIC, ALICE_WORD, BOB_WORD };
	char from[EIP55_ADDRESS_SIZE], to[EIP55_ADDRESS_SIZE];
	struct u256 amount;

	ck_assert_int_eq(abi_parse_transfer_log(approval, 3, ONE_USDC_WORD, from, to, &amount),
			 ABI_ENOTTRANSFER);
	ck_assert_int_eq(abi_parse_transfer_log(ok, 0, ONE_USDC_WORD, from, to, &amount),
			 ABI_ENOTTRANSFER);
	ck_assert_int_eq(abi_parse_transfer_log(erc721, 4, "0x", from, to, &amount),
			 ABI_EMALFORMED);
	ck_assert_int_eq(abi_parse_transfer_log(dirty, 3, ONE_USDC_WORD, from, to, &amount),
			 ABI_EMALFORMED);
	ck_assert_int_eq(abi_parse_transfer_log(ok, 3, "0x", from, to, &amount), ABI_EMALFORMED);
	ck_assert_int_eq(abi_parse_transfer_log(ok, 3, ONE_USDC_WORD "00", from, to, &amount),
			 ABI_EMALFORMED);
	ck_assert_int_eq(abi_parse_transfer_log(ok, 2, ONE_USDC_WORD, from, to, &amount),
			 ABI_EMALFORMED);
	ck_assert_int_eq(abi_word_address("0x1234", from), ABI_EMALFORMED);
	ck_assert_str_eq(abi_strerror(ABI_EMALFORMED), "malformed ERC-20 transfer encoding");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("abi");
	TCase *tc = tcase_create("abi");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, published_selectors_and_topics);
	tcase_add_test(tc, transfer_call_encoding);
	tcase_add_test(tc, transfer_call_parse_refusals);
	tcase_add_test(tc, transfer_log_decoding);
	tcase_add_test(tc, transfer_log_refusals);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
