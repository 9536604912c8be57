/*
 * api_config.c — GET /api/public-config: the runtime configuration an
 * agent may see (chain, deposit address, limits, lobby stakes, rake,
 * protocol versions). Nothing secret is ever in here: no RPC URLs, no
 * database, no keys.
 *
 * Values come from FELT_* environment variables (lib/config) with the
 * defaults of DESIGN §2 and §6; the same variables configure felt-wsd and
 * felt-payd, so what an agent reads is what the servers enforce. The
 * answer is rendered once at start (api_public_config_load): a malformed
 * value is a deployment bug that stops felt-api with the variable's name,
 * never a default silently put in its place or a 500 on every request.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "api_handlers.h"
#include "config.h"
#include "json.h"
#include "money.h"

/* Documented for operators; the defaults live only here. */
const struct config_var api_public_config_vars[] = {
	{ "FELT_CHAIN_ID", "8453", "EVM chain id deposits are made on (8453 = Base)" },
	{ "FELT_USDC_CONTRACT", "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913",
	  "USDC token contract on that chain" },
	{ "FELT_DEPOSIT_ADDRESS", NULL, "platform address agents send USDC to" },
	{ "FELT_CONFIRMATIONS", "12", "confirmations before a deposit is credited" },
	{ "FELT_WITHDRAW_MIN", "1.00", "smallest withdrawal, dollars" },
	{ "FELT_WITHDRAW_MAX", "10000.00", "largest single withdrawal, dollars" },
	{ "FELT_WITHDRAW_DAILY_MAX", "50000.00", "withdrawals per agent per UTC day, dollars" },
	{ "FELT_LOBBY_SMALL_BLIND_CHIPS", "10", "lobby cash tables: small blind, chips" },
	{ "FELT_LOBBY_BIG_BLIND_CHIPS", "20", "lobby cash tables: big blind, chips" },
	{ "FELT_LOBBY_BUY_IN_MIN_CHIPS", "1000", "lobby buy-in minimum, chips" },
	{ "FELT_LOBBY_BUY_IN_MAX_CHIPS", "5000", "lobby buy-in maximum, chips" },
	{ "FELT_LOBBY_BUY_IN_DEFAULT_CHIPS", "2000", "lobby buy-in when none is given, chips" },
	{ "FELT_LOBBY_CHIP_UCENTS", "10", "value of one lobby chip, ucents" },
	{ "FELT_LOBBY_SEATS", "6", "seats per lobby table" },
	{ "FELT_RAKE_BPS", "500", "rake per hand, basis points of the pot (0 = no rake)" },
	{ "FELT_RAKE_CAP_BB", "3", "rake cap per hand, in big blinds" },
	{ NULL, NULL, NULL },
};

struct int_field {
	const char *json_key;
	const char *var;
	int64_t min, max;
};

/* Integer settings: key in the answer, variable, accepted range. */
static const struct int_field lobby_fields[] = {
	{ "small_blind_chips", "FELT_LOBBY_SMALL_BLIND_CHIPS", 1, 1000000000 },
	{ "big_blind_chips", "FELT_LOBBY_BIG_BLIND_CHIPS", 1, 1000000000 },
	{ "buy_in_min_chips", "FELT_LOBBY_BUY_IN_MIN_CHIPS", 1, 1000000000 },
	{ "buy_in_max_chips", "FELT_LOBBY_BUY_IN_MAX_CHIPS", 1, 1000000000 },
	{ "buy_in_default_chips", "FELT_LOBBY_BUY_IN_DEFAULT_CHIPS", 1, 1000000000 },
	{ "chip_ucents", "FELT_LOBBY_CHIP_UCENTS", 0, 1000000000 },
	{ "seats", "FELT_LOBBY_SEATS", 2, 10 },
};

/* The first bad variable's name and its config_error. */
struct reader {
	const char *bad;
	int rc;
};

static int64_t read_int(struct reader *rd, const char *var, int64_t min,
			int64_t max)
{
	int64_t v = 0;
	int64_t def = 0;
	const char *d = config_default(api_public_config_vars, var);

	/* Defaults are literals of the table above and always parse. */
	if (d != NULL)
		sscanf(d, "%" SCNd64, &def);
	int rc = config_int(var, def, min, max, &v);

	if (rc != CONFIG_OK && rd->bad == NULL) {
		rd->bad = var;
		rd->rc = rc;
	}
	return v;
}

static struct json_object *read_dollars(struct reader *rd, const char *var,
					int64_t *ucents_out)
{
	const char *s = config_get(api_public_config_vars, var);
	int64_t ucents = 0;

	if (money_parse_dollars(s, strlen(s), MONEY_NONNEGATIVE, &ucents) !=
		    MONEY_OK && rd->bad == NULL) {
		rd->bad = var;
		rd->rc = CONFIG_ERR_SYNTAX;
	}
	*ucents_out = ucents;
	return money_json_dollars(ucents);
}

static struct json_object *chain_json(struct reader *rd)
{
	struct json_object *o = json_object_new_object();
	const char *deposit = config_get(api_public_config_vars,
					 "FELT_DEPOSIT_ADDRESS");

	json_object_object_add(o, "chain_id", json_object_new_int64(
		read_int(rd, "FELT_CHAIN_ID", 1, INT64_C(1) << 53)));
	json_object_object_add(o, "usdc_contract", json_object_new_string(
		config_get(api_public_config_vars, "FELT_USDC_CONTRACT")));
	json_object_object_add(o, "deposit_address",
			       deposit ? json_object_new_string(deposit) : NULL);
	json_object_object_add(o, "confirmations_required", json_object_new_int64(
		read_int(rd, "FELT_CONFIRMATIONS", 1, 10000)));
	return o;
}

static struct json_object *withdrawal_json(struct reader *rd)
{
	struct json_object *o = json_object_new_object();
	static const char *const keys[][2] = {
		{ "min", "FELT_WITHDRAW_MIN" },
		{ "max", "FELT_WITHDRAW_MAX" },
		{ "daily_max", "FELT_WITHDRAW_DAILY_MAX" },
	};

	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		char ukey[32];
		int64_t ucents;

		json_object_object_add(o, keys[i][0],
				       read_dollars(rd, keys[i][1], &ucents));
		snprintf(ukey, sizeof ukey, "%s_ucents", keys[i][0]);
		json_object_object_add(o, ukey, json_object_new_int64(ucents));
	}
	return o;
}

static struct json_object *lobby_json(struct reader *rd)
{
	struct json_object *o = json_object_new_object();

	for (size_t i = 0; i < sizeof lobby_fields / sizeof lobby_fields[0]; i++) {
		const struct int_field *f = &lobby_fields[i];

		json_object_object_add(o, f->json_key, json_object_new_int64(
			read_int(rd, f->var, f->min, f->max)));
	}
	return o;
}

static struct json_object *rake_json(struct reader *rd)
{
	struct json_object *o = json_object_new_object();
	int64_t bps = read_int(rd, "FELT_RAKE_BPS", 0, 10000);

	json_object_object_add(o, "percent_bps", json_object_new_int64(bps));
	json_object_object_add(o, "cap_big_blinds", json_object_new_int64(
		read_int(rd, "FELT_RAKE_CAP_BB", 0, 1000)));
	json_object_object_add(o, "no_flop_no_drop", json_object_new_boolean(1));
	json_object_object_add(o, "whole_chips", json_object_new_boolean(1));
	return o;
}

static struct json_object *protocols_json(void)
{
	struct json_object *o = json_object_new_object();

	/* DESIGN §8: era-A money REST with era-C ("V2") WS framing for Open
	 * Poker; MoltPoker protocol 0.1 as its skill.md. */
	json_object_object_add(o, "openpoker_rest", json_object_new_string("A"));
	json_object_object_add(o, "openpoker_ws", json_object_new_string("2"));
	json_object_object_add(o, "moltpoker", json_object_new_string("0.1"));
	json_object_object_add(o, "moltpoker_min_supported",
			       json_object_new_string("0.1"));
	return o;
}

int api_public_config_load(char **json_out, size_t *len_out,
			   const char **bad)
{
	struct reader rd = { NULL, CONFIG_OK };
	struct json_object *o = json_object_new_object();
	const char *text;

	*json_out = NULL;
	json_object_object_add(o, "chain", chain_json(&rd));
	json_object_object_add(o, "withdrawal_limits", withdrawal_json(&rd));
	json_object_object_add(o, "lobby", lobby_json(&rd));
	json_object_object_add(o, "rake", rake_json(&rd));
	json_object_object_add(o, "protocol_versions", protocols_json());
	if (rd.bad != NULL) {
		json_object_put(o);
		*bad = rd.bad;
		return rd.rc;
	}
	text = json_to_string_len(o, len_out);
	*json_out = text ? strdup(text) : NULL;
	json_object_put(o);
	if (*json_out == NULL) {
		*bad = "(out of memory)";
		return CONFIG_ERR_SYNTAX;
	}
	return CONFIG_OK;
}

int api_public_config(struct handler_ctx *ctx, struct request *req,
		      struct response *res)
{
	(void)req;
	return response_body(res, 200, "application/json",
			     ctx->public_config, ctx->public_config_len);
}
