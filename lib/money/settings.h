/*
 * settings — the rules a felt deployment enforces and publishes: chain and
 * deposit address, withdrawal limits, lobby stakes, rake.
 *
 * felt-api shows them at GET /api/public-config, felt-wsd seats and rakes
 * by them, felt-payd pays out by them (where it sends from and how many
 * confirmations it waits for; how it reaches the chain is the private
 * lib/money/chain configuration): all three read them through this
 * module from the same FELT_* variables (settings_vars holds each default
 * once), so what an agent reads is what the servers enforce.  A malformed
 * value, or values that contradict each other (a buy-in minimum above the
 * maximum), stop the program at start with the variable's name.
 *
 * Amounts are integers: dollars in ucents (parsed by lib/money, never
 * through a double), stakes in chips.  No global state: settings_load
 * reads the environment into the caller's struct.
 */
#ifndef FELT_SETTINGS_H
#define FELT_SETTINGS_H

#include <stddef.h>
#include <stdint.h>

#include "core/config.h"
#include "money/eip55.h"

#define SETTINGS_URL_SIZE 512

enum settings_error {
	SETTINGS_OK = 0,
	SETTINGS_ESYNTAX = -1, /* not a number, amount or address */
	SETTINGS_ERANGE = -2,  /* a number outside its accepted range */
	SETTINGS_EORDER = -3,  /* contradicts another setting (min above max...) */
};

struct settings {
	int64_t chain_id;                       /* FELT_CHAIN_ID */
	char usdc_contract[EIP55_ADDRESS_SIZE]; /* checksummed */
	char deposit_address[EIP55_ADDRESS_SIZE]; /* checksummed; "" when unset */
	char hot_wallet_address[EIP55_ADDRESS_SIZE]; /* withdrawals come from it; "" when unset */
	char public_rpc_url[SETTINGS_URL_SIZE]; /* an RPC URL agents may use; "" when unset */
	int64_t confirmations;                  /* before a deposit is credited */
	int64_t withdraw_min_ucents;
	int64_t withdraw_max_ucents;            /* one withdrawal */
	int64_t withdraw_daily_max_ucents;      /* per agent per UTC day */
	int64_t lobby_small_blind_chips;
	int64_t lobby_big_blind_chips;
	int64_t lobby_buy_in_min_chips;
	int64_t lobby_buy_in_max_chips;
	int64_t lobby_buy_in_default_chips;
	int64_t lobby_chip_ucents;              /* value of one lobby chip */
	int64_t lobby_seats;
	int64_t rake_bps;                       /* basis points of the pot; 0 = none */
	int64_t rake_cap_big_blinds;
};

/* The variables with their defaults and help lines (NULL-name terminated),
 * for --help and `feltctl config`. */
extern const struct config_var settings_vars[];

/*
 * settings_load — read settings_vars from the environment into *s.
 * Returns SETTINGS_OK, or a negative settings_error with the name of the
 * offending variable in *bad (a static string; for a contradiction, the
 * variable whose value breaks the rule).  *s is only meaningful on
 * SETTINGS_OK.
 */
int settings_load(struct settings *s, const char **bad);

/*
 * settings_explain — one line for an operator about the variable bad that
 * settings_load refused with err: its value and the form wanted
 * ("FELT_RAKE_BPS='abc': want a whole number from 0 to 10000"), or for a
 * contradiction both variables and their values
 * ("FELT_LOBBY_SMALL_BLIND_CHIPS=20 must be below
 * FELT_LOBBY_BIG_BLIND_CHIPS=20 (the default)").  Written into buf (size
 * n, always NUL-terminated); returns buf.
 */
const char *settings_explain(int err, const char *bad, char *buf, size_t n);

/* settings_strerror — static English text for a settings_error code. */
const char *settings_strerror(int err);

#endif
