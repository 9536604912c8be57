/* settings — the published platform rules from FELT_* variables.  See
 * settings.h. */
#include "money/settings.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "money/money.h"

/* Documented for operators; the defaults live only here (DESIGN §2, §6). */
const struct config_var settings_vars[] = {
	{"FELT_CHAIN_ID", "8453", "EVM chain id deposits are made on (8453 = Base)"},
	{"FELT_USDC_CONTRACT", "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913",
	 "USDC token contract on that chain"},
	{"FELT_DEPOSIT_ADDRESS", NULL, "platform address agents send USDC to"},
	{"FELT_HOT_WALLET_ADDRESS", NULL,
	 "platform address withdrawals are sent from (its key stays in the signer "
	 "at FELT_SIGNER_RPC_URL); unset = withdrawals are off"},
	{"FELT_CHAIN_PUBLIC_RPC_URL", NULL,
	 "an RPC URL agents may use for the chain, published as chain.rpc_url "
	 "(never the private FELT_CHAIN_RPC_URL)"},
	{"FELT_CONFIRMATIONS", "12",
	 "confirmations before a deposit is credited or a withdrawal is final"},
	{"FELT_WITHDRAW_MIN", "1.00", "smallest withdrawal, dollars"},
	{"FELT_WITHDRAW_MAX", "10000.00", "largest single withdrawal, dollars"},
	{"FELT_WITHDRAW_DAILY_MAX", "50000.00", "withdrawals per agent per UTC day, dollars"},
	{"FELT_LOBBY_SMALL_BLIND_CHIPS", "10", "lobby cash tables: small blind, chips"},
	{"FELT_LOBBY_BIG_BLIND_CHIPS", "20", "lobby cash tables: big blind, chips"},
	{"FELT_LOBBY_BUY_IN_MIN_CHIPS", "1000", "lobby buy-in minimum, chips"},
	{"FELT_LOBBY_BUY_IN_MAX_CHIPS", "5000", "lobby buy-in maximum, chips"},
	{"FELT_LOBBY_BUY_IN_DEFAULT_CHIPS", "2000", "lobby buy-in when none is given, chips"},
	{"FELT_LOBBY_CHIP_UCENTS", "10", "value of one lobby chip, ucents"},
	{"FELT_LOBBY_SEATS", "6", "seats per lobby table"},
	{"FELT_RAKE_BPS", "500", "rake per hand, basis points of the pot (0 = no rake)"},
	{"FELT_RAKE_CAP_BB", "3", "rake cap per hand, in big blinds"},
	{NULL, NULL, NULL},
};

#define CHIPS_MAX INT64_C(1000000000)

/* Integer settings: variable, accepted range, field. */
static const struct int_setting {
	const char *var;
	int64_t min, max;
	size_t offset;
} int_settings[] = {
	{"FELT_CHAIN_ID", 1, INT64_C(1) << 53, offsetof(struct settings, chain_id)},
	{"FELT_CONFIRMATIONS", 1, 10000, offsetof(struct settings, confirmations)},
	{"FELT_LOBBY_SMALL_BLIND_CHIPS", 1, CHIPS_MAX,
	 offsetof(struct settings, lobby_small_blind_chips)},
	{"FELT_LOBBY_BIG_BLIND_CHIPS", 1, CHIPS_MAX,
	 offsetof(struct settings, lobby_big_blind_chips)},
	{"FELT_LOBBY_BUY_IN_MIN_CHIPS", 1, CHIPS_MAX,
	 offsetof(struct settings, lobby_buy_in_min_chips)},
	{"FELT_LOBBY_BUY_IN_MAX_CHIPS", 1, CHIPS_MAX,
	 offsetof(struct settings, lobby_buy_in_max_chips)},
	{"FELT_LOBBY_BUY_IN_DEFAULT_CHIPS", 1, CHIPS_MAX,
	 offsetof(struct settings, lobby_buy_in_default_chips)},
	{"FELT_LOBBY_CHIP_UCENTS", 0, CHIPS_MAX, offsetof(struct settings, lobby_chip_ucents)},
	{"FELT_LOBBY_SEATS", 2, 10, offsetof(struct settings, lobby_seats)},
	{"FELT_RAKE_BPS", 0, 10000, offsetof(struct settings, rake_bps)},
	{"FELT_RAKE_CAP_BB", 0, 1000, offsetof(struct settings, rake_cap_big_blinds)},
};

/* Dollar settings: variable, field (ucents). */
static const struct dollar_setting {
	const char *var;
	size_t offset;
} dollar_settings[] = {
	{"FELT_WITHDRAW_MIN", offsetof(struct settings, withdraw_min_ucents)},
	{"FELT_WITHDRAW_MAX", offsetof(struct settings, withdraw_max_ucents)},
	{"FELT_WITHDRAW_DAILY_MAX", offsetof(struct settings, withdraw_daily_max_ucents)},
};

/* Address settings: variable, field (checksummed; "" when unset). */
static const struct address_setting {
	const char *var;
	size_t offset;
} address_settings[] = {
	{"FELT_USDC_CONTRACT", offsetof(struct settings, usdc_contract)},
	{"FELT_DEPOSIT_ADDRESS", offsetof(struct settings, deposit_address)},
	{"FELT_HOT_WALLET_ADDRESS", offsetof(struct settings, hot_wallet_address)},
};

/* Rules between settings: low <= high (or <, when strict). */
static const struct order_rule {
	const char *low_var, *high_var;
	size_t low, high;
	int strict;
} order_rules[] = {
	{"FELT_LOBBY_SMALL_BLIND_CHIPS", "FELT_LOBBY_BIG_BLIND_CHIPS",
	 offsetof(struct settings, lobby_small_blind_chips),
	 offsetof(struct settings, lobby_big_blind_chips), 1},
	{"FELT_LOBBY_BUY_IN_MIN_CHIPS", "FELT_LOBBY_BUY_IN_DEFAULT_CHIPS",
	 offsetof(struct settings, lobby_buy_in_min_chips),
	 offsetof(struct settings, lobby_buy_in_default_chips), 0},
	{"FELT_LOBBY_BUY_IN_DEFAULT_CHIPS", "FELT_LOBBY_BUY_IN_MAX_CHIPS",
	 offsetof(struct settings, lobby_buy_in_default_chips),
	 offsetof(struct settings, lobby_buy_in_max_chips), 0},
	{"FELT_WITHDRAW_MIN", "FELT_WITHDRAW_MAX",
	 offsetof(struct settings, withdraw_min_ucents),
	 offsetof(struct settings, withdraw_max_ucents), 0},
	{"FELT_WITHDRAW_MAX", "FELT_WITHDRAW_DAILY_MAX",
	 offsetof(struct settings, withdraw_max_ucents),
	 offsetof(struct settings, withdraw_daily_max_ucents), 0},
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static int64_t *field(struct settings *s, size_t offset)
{
	return (int64_t *)((char *)s + offset);
}

static int fail(const char **bad, const char *var, int err)
{
	*bad = var;
	return err;
}

/* The address settings, checksummed; "" when unset and optional. */
static int read_addresses(struct settings *s, const char **bad)
{
	for (size_t i = 0; i < N(address_settings); i++) {
		const char *var = address_settings[i].var, *v = config_get(settings_vars, var);
		char *out = (char *)s + address_settings[i].offset;

		out[0] = '\0';
		if (v != NULL && eip55_normalize(v, out) != EIP55_OK)
			return fail(bad, var, SETTINGS_ESYNTAX);
	}
	return SETTINGS_OK;
}

static int read_numbers(struct settings *s, const char **bad)
{
	for (size_t i = 0; i < N(int_settings); i++) {
		const struct int_setting *is = &int_settings[i];
		const char *def = config_default(settings_vars, is->var);
		int rc = config_int(is->var, strtoll(def, NULL, 10), is->min, is->max,
				    field(s, is->offset));

		if (rc != CONFIG_OK)
			return fail(bad, is->var, rc == CONFIG_ERR_RANGE ? SETTINGS_ERANGE
									 : SETTINGS_ESYNTAX);
	}
	for (size_t i = 0; i < N(dollar_settings); i++) {
		const char *v = config_get(settings_vars, dollar_settings[i].var);

		if (money_parse_dollars(v, strlen(v), MONEY_NONNEGATIVE,
					field(s, dollar_settings[i].offset)) != MONEY_OK)
			return fail(bad, dollar_settings[i].var, SETTINGS_ESYNTAX);
	}
	return SETTINGS_OK;
}

/* The variable to blame for a broken rule: the one the operator set (the
 * low one when both are), since a default alone never contradicts. */
static int check_order(struct settings *s, const char **bad)
{
	for (size_t i = 0; i < N(order_rules); i++) {
		const struct order_rule *r = &order_rules[i];
		int64_t lo = *field(s, r->low), hi = *field(s, r->high);

		if (r->strict ? lo < hi : lo <= hi)
			continue;
		return fail(bad, config_str(r->low_var, NULL) ? r->low_var : r->high_var,
			    SETTINGS_EORDER);
	}
	return SETTINGS_OK;
}

/* A published URL: http(s)://, printable, no spaces; "" when unset. */
static int read_url(const char *var, char out[SETTINGS_URL_SIZE], const char **bad)
{
	const char *v = config_get(settings_vars, var);

	out[0] = '\0';
	if (v == NULL)
		return SETTINGS_OK;
	if (strlen(v) >= SETTINGS_URL_SIZE ||
	    (strncmp(v, "http://", 7) != 0 && strncmp(v, "https://", 8) != 0))
		return fail(bad, var, SETTINGS_ESYNTAX);
	for (const char *p = v; *p; p++)
		if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f)
			return fail(bad, var, SETTINGS_ESYNTAX);
	memcpy(out, v, strlen(v) + 1);
	return SETTINGS_OK;
}

int settings_load(struct settings *s, const char **bad)
{
	int rc;

	memset(s, 0, sizeof *s);
	*bad = NULL;
	if ((rc = read_numbers(s, bad)) != SETTINGS_OK ||
	    (rc = read_addresses(s, bad)) != SETTINGS_OK ||
	    (rc = read_url("FELT_CHAIN_PUBLIC_RPC_URL", s->public_rpc_url, bad)) != SETTINGS_OK)
		return rc;
	return check_order(s, bad);
}

/* A variable's text as the operator set it, or its default marked so. */
static void value_text(const char *var, char *buf, size_t n)
{
	const char *v = config_str(var, NULL);

	if (v)
		snprintf(buf, n, "%s", v);
	else
		snprintf(buf, n, "%s (the default)", config_default(settings_vars, var));
}

/* "A=20 must be below B=20 (the default)" for the rule bad breaks. */
static const char *explain_order(const char *bad, char *buf, size_t n)
{
	struct settings s;
	const char *ignored;

	if (read_numbers(&s, &ignored) == SETTINGS_OK) {
		for (size_t i = 0; i < N(order_rules); i++) {
			const struct order_rule *r = &order_rules[i];
			int64_t lo = *field(&s, r->low), hi = *field(&s, r->high);
			char lo_text[64], hi_text[64];

			if ((r->strict ? lo < hi : lo <= hi) ||
			    (strcmp(bad, r->low_var) != 0 && strcmp(bad, r->high_var) != 0))
				continue;
			value_text(r->low_var, lo_text, sizeof lo_text);
			value_text(r->high_var, hi_text, sizeof hi_text);
			snprintf(buf, n, "%s=%s must be %s %s=%s", r->low_var, lo_text,
				 r->strict ? "below" : "at most", r->high_var, hi_text);
			return buf;
		}
	}
	snprintf(buf, n, "%s contradicts another setting", bad);
	return buf;
}

const char *settings_explain(int err, const char *bad, char *buf, size_t n)
{
	if (err == SETTINGS_EORDER)
		return explain_order(bad, buf, n);
	for (size_t i = 0; i < N(int_settings); i++)
		if (strcmp(int_settings[i].var, bad) == 0)
			return config_explain_int(buf, n, bad, int_settings[i].min,
						  int_settings[i].max);
	for (size_t i = 0; i < N(dollar_settings); i++)
		if (strcmp(dollar_settings[i].var, bad) == 0) {
			snprintf(buf, n, "%s='%s': want dollars with at most 2 decimals,"
				 " e.g. 12.50", bad, config_str(bad, ""));
			return buf;
		}
	if (strcmp(bad, "FELT_CHAIN_PUBLIC_RPC_URL") == 0) {
		snprintf(buf, n, "%s='%s': want an http:// or https:// URL without spaces,"
			 " shorter than %d bytes", bad, config_str(bad, ""), SETTINGS_URL_SIZE);
		return buf;
	}
	for (size_t i = 0; i < N(address_settings); i++)
		if (strcmp(address_settings[i].var, bad) == 0) {
			snprintf(buf, n, "%s='%s': want an address, 0x and 40 hex digits"
				 " (in mixed case only with a valid EIP-55 checksum)", bad,
				 config_str(bad, ""));
			return buf;
		}
	return config_explain(buf, n, settings_vars, bad,
			      err == SETTINGS_ERANGE ? CONFIG_ERR_RANGE : CONFIG_ERR_SYNTAX);
}

const char *settings_strerror(int err)
{
	switch (err) {
	case SETTINGS_OK: return "ok";
	case SETTINGS_ESYNTAX: return "malformed value";
	case SETTINGS_ERANGE: return "value out of range";
	case SETTINGS_EORDER: return "contradicts another setting";
	}
	return "unknown settings error";
}
