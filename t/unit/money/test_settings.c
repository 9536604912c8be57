/* Unit tests for lib/settings: the published platform rules from FELT_*
 * variables, their defaults, and the refusals that stop a program at start. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "money/settings.h"

/* Every variable of the table unset, so each test starts from the defaults. */
static void clear_env(void)
{
	for (const struct config_var *v = settings_vars; v->name; v++)
		unsetenv(v->name);
}

/* Load with one variable set; returns the error and the variable blamed. */
static int load_with(const char *name, const char *value, struct settings *s,
		     const char **bad)
{
	clear_env();
	setenv(name, value, 1);
	*bad = NULL;
	return settings_load(s, bad);
}

START_TEST(defaults_are_design_s)
{
	struct settings s;
	const char *bad = "unchanged";

	clear_env();
	ck_assert_int_eq(settings_load(&s, &bad), SETTINGS_OK);
	ck_assert_ptr_null(bad);
	ck_assert_int_eq(s.chain_id, 8453);
	ck_assert_str_eq(s.usdc_contract, "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913");
	ck_assert_str_eq(s.deposit_address, "");
	ck_assert_str_eq(s.hot_wallet_address, "");
	ck_assert_str_eq(s.public_rpc_url, "");
	ck_assert_int_eq(s.confirmations, 12);
	ck_assert_int_eq(s.withdraw_min_ucents, 10000);
	ck_assert_int_eq(s.withdraw_max_ucents, 100000000);
	ck_assert_int_eq(s.withdraw_daily_max_ucents, 500000000);
	/* DESIGN §2: blinds 10/20 chips, buy-in 1,000-5,000 (2,000), chip = 10 ucents. */
	ck_assert_int_eq(s.lobby_small_blind_chips, 10);
	ck_assert_int_eq(s.lobby_big_blind_chips, 20);
	ck_assert_int_eq(s.lobby_buy_in_min_chips, 1000);
	ck_assert_int_eq(s.lobby_buy_in_max_chips, 5000);
	ck_assert_int_eq(s.lobby_buy_in_default_chips, 2000);
	ck_assert_int_eq(s.lobby_chip_ucents, 10);
	ck_assert_int_eq(s.lobby_seats, 6);
	ck_assert_int_eq(s.rake_bps, 500);
	ck_assert_int_eq(s.rake_cap_big_blinds, 3);
}
END_TEST

START_TEST(values_are_read_and_addresses_checksummed)
{
	struct settings s;
	const char *bad;

	clear_env();
	setenv("FELT_CHAIN_ID", "84532", 1);
	setenv("FELT_DEPOSIT_ADDRESS", "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", 1);
	setenv("FELT_WITHDRAW_MIN", "0.5", 1);
	setenv("FELT_RAKE_BPS", "0", 1);
	setenv("FELT_HOT_WALLET_ADDRESS", "0xFB6916095CA1DF60BB79CE92CE3EA74C37C5D359", 1);
	setenv("FELT_CHAIN_PUBLIC_RPC_URL", "https://sepolia.base.org", 1);
	ck_assert_int_eq(settings_load(&s, &bad), SETTINGS_OK);
	ck_assert_int_eq(s.chain_id, 84532);
	ck_assert_str_eq(s.deposit_address, "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
	ck_assert_str_eq(s.hot_wallet_address, "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359");
	ck_assert_str_eq(s.public_rpc_url, "https://sepolia.base.org");
	ck_assert_int_eq(s.withdraw_min_ucents, 5000);
	ck_assert_int_eq(s.rake_bps, 0);
	clear_env();
}
END_TEST

START_TEST(a_malformed_value_is_named)
{
	static const char *const cases[][2] = {
		{"FELT_CHAIN_ID", "abc"},
		{"FELT_CHAIN_ID", "0"},
		{"FELT_CONFIRMATIONS", "-1"},
		{"FELT_USDC_CONTRACT", "0x1234"},
		{"FELT_DEPOSIT_ADDRESS", "0x5AAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"}, /* bad checksum */
		{"FELT_WITHDRAW_MIN", "1.001"},
		{"FELT_WITHDRAW_MAX", "-5"},
		{"FELT_WITHDRAW_DAILY_MAX", "1e6"},
		{"FELT_LOBBY_SEATS", "11"},
		{"FELT_LOBBY_BIG_BLIND_CHIPS", "0"},
		{"FELT_RAKE_BPS", "10001"},
		{"FELT_RAKE_CAP_BB", "x"},
		{"FELT_HOT_WALLET_ADDRESS", "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beae"},
		{"FELT_CHAIN_PUBLIC_RPC_URL", "mainnet.base.org"},
		{"FELT_CHAIN_PUBLIC_RPC_URL", "https://a b"},
	};
	struct settings s;
	const char *bad;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int rc = load_with(cases[i][0], cases[i][1], &s, &bad);

		ck_assert_msg(rc < 0, "%s=%s accepted", cases[i][0], cases[i][1]);
		ck_assert_msg(bad && strcmp(bad, cases[i][0]) == 0, "%s=%s blamed %s",
			      cases[i][0], cases[i][1], bad ? bad : "nobody");
		ck_assert_str_ne(settings_strerror(rc), "unknown settings error");
	}
	clear_env();
}
END_TEST

START_TEST(values_that_contradict_each_other_are_refused)
{
	static const char *const cases[][2] = {
		{"FELT_LOBBY_SMALL_BLIND_CHIPS", "20"},      /* not below the big blind */
		{"FELT_LOBBY_BUY_IN_MIN_CHIPS", "6000"},     /* above the maximum */
		{"FELT_LOBBY_BUY_IN_DEFAULT_CHIPS", "999"},  /* below the minimum */
		{"FELT_LOBBY_BUY_IN_DEFAULT_CHIPS", "5001"}, /* above the maximum */
		{"FELT_WITHDRAW_MIN", "10000.01"},           /* above the single maximum */
		{"FELT_WITHDRAW_MAX", "50000.01"},           /* above the daily maximum */
	};
	struct settings s;
	const char *bad;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		ck_assert_int_eq(load_with(cases[i][0], cases[i][1], &s, &bad),
				 SETTINGS_EORDER);
		ck_assert_msg(bad && strcmp(bad, cases[i][0]) == 0, "%s=%s blamed %s",
			      cases[i][0], cases[i][1], bad ? bad : "nobody");
	}
	/* Equal bounds are a fixed buy-in, not a contradiction. */
	clear_env();
	setenv("FELT_LOBBY_BUY_IN_MIN_CHIPS", "2000", 1);
	setenv("FELT_LOBBY_BUY_IN_MAX_CHIPS", "2000", 1);
	ck_assert_int_eq(settings_load(&s, &bad), SETTINGS_OK);
	clear_env();
}
END_TEST

/* Issue 8: "malformed value" and "contradicts another setting" said
 * neither the value nor the form wanted nor which other setting. */
START_TEST(explanations_name_value_form_and_the_other_setting)
{
	static const char *const cases[][3] = {
		{"FELT_RAKE_BPS", "abc", "FELT_RAKE_BPS='abc': want a whole number from 0 to 10000"},
		{"FELT_RAKE_BPS", "20000", "FELT_RAKE_BPS='20000': want a whole number from 0 to 10000"},
		{"FELT_WITHDRAW_MIN", "1.001",
		 "FELT_WITHDRAW_MIN='1.001': want dollars with at most 2 decimals, e.g. 12.50"},
		{"FELT_USDC_CONTRACT", "0x1234", "FELT_USDC_CONTRACT='0x1234': want an address, 0x"
		 " and 40 hex digits (in mixed case only with a valid EIP-55 checksum)"},
		{"FELT_LOBBY_SMALL_BLIND_CHIPS", "20", "FELT_LOBBY_SMALL_BLIND_CHIPS=20 must be below"
		 " FELT_LOBBY_BIG_BLIND_CHIPS=20 (the default)"},
		{"FELT_LOBBY_BUY_IN_DEFAULT_CHIPS", "999", "FELT_LOBBY_BUY_IN_MIN_CHIPS=1000 (the"
		 " default) must be at most FELT_LOBBY_BUY_IN_DEFAULT_CHIPS=999"},
		{"FELT_WITHDRAW_MAX", "50000.01", "FELT_WITHDRAW_MAX=50000.01 must be at most"
		 " FELT_WITHDRAW_DAILY_MAX=50000.00 (the default)"},
	};
	struct settings s;
	const char *bad;
	char why[512];

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int rc = load_with(cases[i][0], cases[i][1], &s, &bad);

		ck_assert_int_lt(rc, 0);
		ck_assert_str_eq(settings_explain(rc, bad, why, sizeof why), cases[i][2]);
	}
	/* Both set: both values are the operator's. */
	clear_env();
	setenv("FELT_LOBBY_SMALL_BLIND_CHIPS", "50", 1);
	setenv("FELT_LOBBY_BIG_BLIND_CHIPS", "40", 1);
	ck_assert_int_eq(settings_load(&s, &bad), SETTINGS_EORDER);
	ck_assert_str_eq(settings_explain(SETTINGS_EORDER, bad, why, sizeof why),
			 "FELT_LOBBY_SMALL_BLIND_CHIPS=50 must be below FELT_LOBBY_BIG_BLIND_CHIPS=40");
	clear_env();
}
END_TEST

int main(void)
{
	Suite *su = suite_create("settings");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, defaults_are_design_s);
	tcase_add_test(tc, values_are_read_and_addresses_checksummed);
	tcase_add_test(tc, a_malformed_value_is_named);
	tcase_add_test(tc, values_that_contradict_each_other_are_refused);
	tcase_add_test(tc, explanations_name_value_form_and_the_other_setting);
	suite_add_tcase(su, tc);
	sr = srunner_create(su);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
