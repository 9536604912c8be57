/* Unit tests for lib/money/deposit: the deposit rule over receipts built
 * by hand (several transfers sum; other tokens, recipients and senders
 * count for nothing; failed, tiny and huge deposits are refused). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "money/abi.h"
#include "money/deposit.h"

#define USDC "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913"
#define OTHER_TOKEN "0xe78A0F7E598Cc8b0Bb87894B0F60dD2a88d6a8Ab"
#define PLATFORM "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359"
#define WALLET "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"
#define STRANGER "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB"

static const struct deposit_rules rules = { USDC, PLATFORM, WALLET };

static struct chain_log logs[8];
static struct chain_receipt receipt;

/* The topic word of an address. */
static void word(char out[CHAIN_HASH_SIZE], const char *address)
{
	snprintf(out, CHAIN_HASH_SIZE, "0x000000000000000000000000%s", address + 2);
	for (char *p = out; *p; p++)
		if (*p >= 'A' && *p <= 'F')
			*p = (char)(*p - 'A' + 'a');
}

/* Append a Transfer log of token from -> to of amount (hex word). */
static void add_transfer(const char *token, const char *from, const char *to,
			 const char *amount_word)
{
	struct chain_log *l = &logs[receipt.n_logs++];

	memset(l, 0, sizeof *l);
	snprintf(l->address, sizeof l->address, "%s", token);
	snprintf(l->topics[0], CHAIN_HASH_SIZE, "%s", ABI_TRANSFER_TOPIC);
	word(l->topics[1], from);
	word(l->topics[2], to);
	l->n_topics = 3;
	l->data = strdup(amount_word);
}

#define USDC_10 "0x0000000000000000000000000000000000000000000000000000000000989680"  /* 10,000,000 */
#define USDC_2_5 "0x00000000000000000000000000000000000000000000000000000000002625a0" /* 2,500,000 */
#define DUST_57 "0x0000000000000000000000000000000000000000000000000000000000000039"  /* 57 */
#define ODD "0x000000000000000000000000000000000000000000000000000000000012d687"      /* 1,234,567 */
#define HUGE "0x8000000000000000000000000000000000000000000000000000000000000000"

static void setup(void)
{
	memset(&receipt, 0, sizeof receipt);
	receipt.status = 1;
	receipt.logs = logs;
}

static void teardown(void)
{
	for (size_t i = 0; i < receipt.n_logs; i++)
		free(logs[i].data);
}

START_TEST(one_transfer)
{
	struct deposit_found f;

	add_transfer(USDC, WALLET, PLATFORM, USDC_10);
	ck_assert_int_eq(deposit_check(&receipt, &rules, &f), DEPOSIT_OK);
	ck_assert_int_eq(f.ucents, 100000); /* 10.00 USD */
	ck_assert_uint_eq(f.remainder, 0);
	ck_assert_uint_eq(f.transfers, 1);
}
END_TEST

START_TEST(several_transfers_sum_and_others_are_ignored)
{
	struct deposit_found f;

	add_transfer(USDC, WALLET, PLATFORM, USDC_10);
	add_transfer(USDC, WALLET, STRANGER, USDC_10);    /* elsewhere */
	add_transfer(OTHER_TOKEN, WALLET, PLATFORM, USDC_10); /* another token */
	add_transfer(USDC, STRANGER, PLATFORM, USDC_10);  /* someone else's */
	add_transfer(USDC, WALLET, PLATFORM, ODD);
	ck_assert_int_eq(deposit_check(&receipt, &rules, &f), DEPOSIT_OK);
	ck_assert_uint_eq(f.transfers, 2);
	ck_assert_int_eq(f.ucents, 100000 + 12345);
	ck_assert_uint_eq(f.remainder, 67);
}
END_TEST

START_TEST(refusals_say_why)
{
	struct deposit_found f;
	char why[256];

	add_transfer(USDC, WALLET, PLATFORM, USDC_10);
	receipt.status = 0;
	ck_assert_int_eq(deposit_check(&receipt, &rules, &f), DEPOSIT_EREVERTED);
	ck_assert_ptr_nonnull(strstr(deposit_describe(DEPOSIT_EREVERTED, &rules, &f, why,
						      sizeof why), "failed"));
	receipt.status = 1;
	teardown();
	receipt.n_logs = 0;

	add_transfer(USDC, WALLET, STRANGER, USDC_10);
	ck_assert_int_eq(deposit_check(&receipt, &rules, &f), DEPOSIT_ENOTRANSFER);
	ck_assert_ptr_nonnull(strstr(deposit_describe(DEPOSIT_ENOTRANSFER, &rules, &f, why,
						      sizeof why), PLATFORM));

	add_transfer(OTHER_TOKEN, WALLET, PLATFORM, USDC_10);
	ck_assert_int_eq(deposit_check(&receipt, &rules, &f), DEPOSIT_EWRONGTOKEN);
	ck_assert_str_eq(f.seen, OTHER_TOKEN);
	deposit_describe(DEPOSIT_EWRONGTOKEN, &rules, &f, why, sizeof why);
	ck_assert_ptr_nonnull(strstr(why, OTHER_TOKEN));
	ck_assert_ptr_nonnull(strstr(why, USDC));

	add_transfer(USDC, STRANGER, PLATFORM, USDC_10);
	ck_assert_int_eq(deposit_check(&receipt, &rules, &f), DEPOSIT_EWRONGSENDER);
	ck_assert_str_eq(f.seen, STRANGER);
	deposit_describe(DEPOSIT_EWRONGSENDER, &rules, &f, why, sizeof why);
	ck_assert_ptr_nonnull(strstr(why, STRANGER));
	ck_assert_ptr_nonnull(strstr(why, WALLET));
}
END_TEST

START_TEST(too_small_and_too_large)
{
	struct deposit_found f;

	add_transfer(USDC, WALLET, PLATFORM, DUST_57);
	ck_assert_int_eq(deposit_check(&receipt, &rules, &f), DEPOSIT_ETOOSMALL);
	ck_assert_uint_eq(f.remainder, 57);
	teardown();
	receipt.n_logs = 0;
	add_transfer(USDC, WALLET, PLATFORM, HUGE);
	ck_assert_int_eq(deposit_check(&receipt, &rules, &f), DEPOSIT_ETOOLARGE);
	/* two halves of 2^256 overflow the sum itself */
	add_transfer(USDC, WALLET, PLATFORM, HUGE);
	ck_assert_int_eq(deposit_check(&receipt, &rules, &f), DEPOSIT_ETOOLARGE);
}
END_TEST

START_TEST(removed_and_malformed_logs)
{
	struct deposit_found f;

	add_transfer(USDC, WALLET, PLATFORM, USDC_10);
	logs[0].removed = true;
	ck_assert_int_eq(deposit_check(&receipt, &rules, &f), DEPOSIT_ENOTRANSFER);
	/* another contract's malformed Transfer is nobody's business */
	add_transfer(OTHER_TOKEN, WALLET, PLATFORM, "0x");
	add_transfer(USDC, WALLET, PLATFORM, USDC_2_5);
	ck_assert_int_eq(deposit_check(&receipt, &rules, &f), DEPOSIT_OK);
	ck_assert_int_eq(f.ucents, 25000);
	/* the token's own malformed Transfer means the node or config is wrong */
	add_transfer(USDC, WALLET, PLATFORM, "0x01");
	ck_assert_int_eq(deposit_check(&receipt, &rules, &f), DEPOSIT_EMALFORMED);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("deposit");
	TCase *tc = tcase_create("deposit");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, one_transfer);
	tcase_add_test(tc, several_transfers_sum_and_others_are_ignored);
	tcase_add_test(tc, refusals_say_why);
	tcase_add_test(tc, too_small_and_too_large);
	tcase_add_test(tc, removed_and_malformed_logs);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
